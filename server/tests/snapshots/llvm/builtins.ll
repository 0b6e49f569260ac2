; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@kc_host_set_error = internal global ptr null
@kc_host_parallel_for = internal global ptr null
@kc_host_num_threads = internal global ptr null
@kc_module_abi = dso_local constant i64 2

define internal i32 @"f[int64,int32,float64,float32]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, i64 %p0, i32 %p1, double %p2, float %p3) #3 {
entry:
  %v0 = alloca i64
  %v1 = alloca i32
  %v2 = alloca double
  %v3 = alloca float
  store i64 %p0, ptr %v0
  store i32 %p1, ptr %v1
  store double %p2, ptr %v2
  store float %p3, ptr %v3
  %t3 = alloca i64
  %t60 = alloca i64
  %t69 = alloca i1
  %t78 = alloca i64
  %t1 = load i64, ptr %v0
  %t2 = icmp slt i64 %t1, 0
  br i1 %t2, label %ifexp.then1, label %ifexp.else2
ifexp.then1:
  %t4 = load i64, ptr %v0
  %t5 = sub i64 0, %t4
  store i64 %t5, ptr %t3
  br label %ifexp.end3
ifexp.else2:
  %t6 = load i64, ptr %v0
  store i64 %t6, ptr %t3
  br label %ifexp.end3
ifexp.end3:
  %t7 = load i64, ptr %t3
  %t8 = sitofp i64 %t7 to double
  %t9 = load double, ptr %v2
  %t10 = call double @llvm.fabs.f64(double %t9)
  %t11 = fadd double %t8, %t10
  %t12 = load i64, ptr %v0
  %t13 = load i32, ptr %v1
  %t14 = sext i32 %t13 to i64
  %t15 = icmp slt i64 %t14, %t12
  %t16 = select i1 %t15, i64 %t14, i64 %t12
  %t17 = sitofp i64 %t16 to double
  %t18 = fadd double %t11, %t17
  %t19 = load i64, ptr %v0
  %t20 = load i32, ptr %v1
  %t21 = sext i32 %t20 to i64
  %t22 = icmp sgt i64 %t21, %t19
  %t23 = select i1 %t22, i64 %t21, i64 %t19
  %t24 = icmp sgt i64 3, %t23
  %t25 = select i1 %t24, i64 3, i64 %t23
  %t26 = sitofp i64 %t25 to double
  %t27 = fadd double %t18, %t26
  %t28 = load double, ptr %v2
  %t29 = load float, ptr %v3
  %t30 = fpext float %t29 to double
  %t31 = fcmp olt double %t30, %t28
  %t32 = select i1 %t31, double %t30, double %t28
  %t33 = fadd double %t27, %t32
  %t34 = load double, ptr %v2
  %t35 = load float, ptr %v3
  %t36 = fpext float %t35 to double
  %t37 = fcmp ogt double %t36, %t34
  %t38 = select i1 %t37, double %t36, double %t34
  %t39 = fadd double %t33, %t38
  %t40 = load double, ptr %v2
  %t41 = call double @llvm.roundeven.f64(double %t40)
  %t42 = call i64 @llvm.fptosi.sat.i64.f64(double %t41)
  %t43 = sitofp i64 %t42 to double
  %t44 = fadd double %t39, %t43
  %t45 = load double, ptr %v2
  %t46 = call i64 @llvm.fptosi.sat.i64.f64(double %t45)
  %t47 = sitofp i64 %t46 to double
  %t48 = fadd double %t44, %t47
  %t49 = load i64, ptr %v0
  %t50 = sitofp i64 %t49 to double
  %t51 = fadd double %t48, %t50
  %t52 = load i32, ptr %v1
  %t53 = icmp ne i32 %t52, 0
  %t54 = uitofp i1 %t53 to double
  %t55 = fadd double %t51, %t54
  %t56 = load double, ptr %v2
  %t57 = load float, ptr %v3
  %t58 = fpext float %t57 to double
  %t59 = fcmp ogt double %t56, %t58
  br i1 %t59, label %ifexp.then4, label %ifexp.else5
ifexp.then4:
  %t61 = load i64, ptr %v0
  store i64 %t61, ptr %t60
  br label %ifexp.end6
ifexp.else5:
  %t62 = load i32, ptr %v1
  %t63 = sext i32 %t62 to i64
  store i64 %t63, ptr %t60
  br label %ifexp.end6
ifexp.end6:
  %t64 = load i64, ptr %t60
  %t65 = sitofp i64 %t64 to double
  %t66 = fadd double %t55, %t65
  %t67 = load i64, ptr %v0
  %t68 = icmp sgt i64 %t67, 0
  store i1 %t68, ptr %t69
  br i1 %t68, label %logic.rhs7, label %logic.end8
logic.rhs7:
  %t70 = load i32, ptr %v1
  %t71 = sext i32 %t70 to i64
  %t72 = icmp sgt i64 %t71, 0
  store i1 %t72, ptr %t69
  br label %logic.end8
logic.end8:
  %t73 = load i1, ptr %t69
  %t74 = uitofp i1 %t73 to double
  %t75 = fadd double %t66, %t74
  %t76 = load i64, ptr %v0
  %t77 = icmp ne i64 %t76, 0
  store i64 %t76, ptr %t78
  br i1 %t77, label %logic.end10, label %logic.rhs9
logic.rhs9:
  %t79 = load i32, ptr %v1
  %t80 = sext i32 %t79 to i64
  store i64 %t80, ptr %t78
  br label %logic.end10
logic.end10:
  %t81 = load i64, ptr %t78
  %t82 = sitofp i64 %t81 to double
  %t83 = fadd double %t75, %t82
  store double %t83, ptr %ret
  ret i32 0
}

define dso_local double @kc_entry_f(i64 %a0, i32 %a1, double %a2, float %a3) #0 {
entry:
  %retslot = alloca double
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[int64,int32,float64,float32]"(ptr %retslot, ptr %exc, i64 %a0, i32 %a1, double %a2, float %a3)
  %ok = icmp eq i32 %st, 0
  br i1 %ok, label %good, label %bad
good:
  %r = load double, ptr %retslot
  ret double %r
bad:
  %msg = load ptr, ptr %exc
  %hook = load ptr, ptr @kc_host_set_error
  %has = icmp ne ptr %hook, null
  br i1 %has, label %report, label %done
report:
  call void %hook(ptr %msg)
  br label %done
done:
  ret double 0.0
}

define dso_local i32 @kc_generic_f(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {
entry:
  %retslot = alloca double
  %exc = alloca ptr
  store ptr null, ptr %exc
  %ap0 = getelementptr inbounds ptr, ptr %args, i64 0
  %pp0 = load ptr, ptr %ap0
  %v0 = load i64, ptr %pp0
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %v1 = load i32, ptr %pp1
  %ap2 = getelementptr inbounds ptr, ptr %args, i64 2
  %pp2 = load ptr, ptr %ap2
  %v2 = load double, ptr %pp2
  %ap3 = getelementptr inbounds ptr, ptr %args, i64 3
  %pp3 = load ptr, ptr %ap3
  %v3 = load float, ptr %pp3
  %st = call i32 @"f[int64,int32,float64,float32]"(ptr %retslot, ptr %exc, i64 %v0, i32 %v1, double %v2, float %v3)
  %ok = icmp eq i32 %st, 0
  br i1 %ok, label %good, label %bad
good:
  %r = load double, ptr %retslot
  store double %r, ptr %retp
  ret i32 0
bad:
  %msg = load ptr, ptr %exc
  store ptr %msg, ptr %errp
  ret i32 %st
}

define dso_local void @kc_module_init(ptr nocapture readonly %host) #0 {
entry:
  %fp = getelementptr inbounds i8, ptr %host, i64 8
  %f = load ptr, ptr %fp
  store ptr %f, ptr @kc_host_set_error
  %ver = load i64, ptr %host
  %v2 = icmp uge i64 %ver, 2
  br i1 %v2, label %pool, label %done
pool:
  %pp = getelementptr inbounds i8, ptr %host, i64 16
  %p = load ptr, ptr %pp
  store ptr %p, ptr @kc_host_parallel_for
  %np = getelementptr inbounds i8, ptr %host, i64 24
  %n = load ptr, ptr %np
  store ptr %n, ptr @kc_host_num_threads
  br label %done
done:
  ret void
}

declare double @llvm.fabs.f64(double)
declare double @llvm.roundeven.f64(double)
declare i64 @llvm.fptosi.sat.i64.f64(double)

attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
