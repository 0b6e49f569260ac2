; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4

define internal i32 @"f[int64,int32,float64,float32]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, i64 %p0, i32 %p1, double %p2, float %p3) #3 {
entry:
  %v0 = alloca i64
  store i64 zeroinitializer, ptr %v0
  %v1 = alloca i32
  store i32 zeroinitializer, ptr %v1
  %v2 = alloca double
  store double zeroinitializer, ptr %v2
  %v3 = alloca float
  store float zeroinitializer, ptr %v3
  %t63 = alloca i64
  %t72 = alloca i1
  %t81 = alloca i64
  store i64 %p0, ptr %v0
  store i32 %p1, ptr %v1
  store double %p2, ptr %v2
  store float %p3, ptr %v3
  %t1 = load i64, ptr %v0
  %t2 = call i64 @llvm.abs.i64(i64 %t1, i1 false)
  %t3 = sitofp i64 %t2 to double
  %t4 = load double, ptr %v2
  %t5 = call double @llvm.fabs.f64(double %t4)
  %t6 = fadd double %t3, %t5
  %t7 = load i64, ptr %v0
  %t8 = load i32, ptr %v1
  %t9 = sext i32 %t8 to i64
  %t10 = icmp slt i64 %t9, %t7
  %t11 = select i1 %t10, i64 %t9, i64 %t7
  %t12 = sitofp i64 %t11 to double
  %t13 = fadd double %t6, %t12
  %t14 = load i64, ptr %v0
  %t15 = load i32, ptr %v1
  %t16 = sext i32 %t15 to i64
  %t17 = icmp sgt i64 %t16, %t14
  %t18 = select i1 %t17, i64 %t16, i64 %t14
  %t19 = icmp sgt i64 3, %t18
  %t20 = select i1 %t19, i64 3, i64 %t18
  %t21 = sitofp i64 %t20 to double
  %t22 = fadd double %t13, %t21
  %t23 = load double, ptr %v2
  %t24 = load float, ptr %v3
  %t25 = fpext float %t24 to double
  %t26 = fcmp olt double %t25, %t23
  %t27 = select i1 %t26, double %t25, double %t23
  %t28 = fadd double %t22, %t27
  %t29 = load double, ptr %v2
  %t30 = load float, ptr %v3
  %t31 = fpext float %t30 to double
  %t32 = fcmp ogt double %t31, %t29
  %t33 = select i1 %t32, double %t31, double %t29
  %t34 = fadd double %t28, %t33
  %t35 = load double, ptr %v2
  %t36 = call double @llvm.roundeven.f64(double %t35)
  %t37 = fcmp oge double %t36, 0xC3E0000000000000
  %t38 = fcmp olt double %t36, 0x43E0000000000000
  %t39 = and i1 %t37, %t38
  %t40 = fptosi double %t36 to i64
  %t41 = select i1 %t39, i64 %t40, i64 -9223372036854775808
  %t42 = sitofp i64 %t41 to double
  %t43 = fadd double %t34, %t42
  %t44 = load double, ptr %v2
  %t45 = fcmp oge double %t44, 0xC3E0000000000000
  %t46 = fcmp olt double %t44, 0x43E0000000000000
  %t47 = and i1 %t45, %t46
  %t48 = fptosi double %t44 to i64
  %t49 = select i1 %t47, i64 %t48, i64 -9223372036854775808
  %t50 = sitofp i64 %t49 to double
  %t51 = fadd double %t43, %t50
  %t52 = load i64, ptr %v0
  %t53 = sitofp i64 %t52 to double
  %t54 = fadd double %t51, %t53
  %t55 = load i32, ptr %v1
  %t56 = icmp ne i32 %t55, 0
  %t57 = uitofp i1 %t56 to double
  %t58 = fadd double %t54, %t57
  %t59 = load double, ptr %v2
  %t60 = load float, ptr %v3
  %t61 = fpext float %t60 to double
  %t62 = fcmp ogt double %t59, %t61
  br i1 %t62, label %ifexp.then1, label %ifexp.else2
ifexp.then1:
  %t64 = load i64, ptr %v0
  store i64 %t64, ptr %t63
  br label %ifexp.end3
ifexp.else2:
  %t65 = load i32, ptr %v1
  %t66 = sext i32 %t65 to i64
  store i64 %t66, ptr %t63
  br label %ifexp.end3
ifexp.end3:
  %t67 = load i64, ptr %t63
  %t68 = sitofp i64 %t67 to double
  %t69 = fadd double %t58, %t68
  %t70 = load i64, ptr %v0
  %t71 = icmp sgt i64 %t70, 0
  store i1 %t71, ptr %t72
  br i1 %t71, label %logic.rhs4, label %logic.end5
logic.rhs4:
  %t73 = load i32, ptr %v1
  %t74 = sext i32 %t73 to i64
  %t75 = icmp sgt i64 %t74, 0
  store i1 %t75, ptr %t72
  br label %logic.end5
logic.end5:
  %t76 = load i1, ptr %t72
  %t77 = uitofp i1 %t76 to double
  %t78 = fadd double %t69, %t77
  %t79 = load i64, ptr %v0
  %t80 = icmp ne i64 %t79, 0
  store i64 %t79, ptr %t81
  br i1 %t80, label %logic.end7, label %logic.rhs6
logic.rhs6:
  %t82 = load i32, ptr %v1
  %t83 = sext i32 %t82 to i64
  store i64 %t83, ptr %t81
  br label %logic.end7
logic.end7:
  %t84 = load i64, ptr %t81
  %t85 = sitofp i64 %t84 to double
  %t86 = fadd double %t78, %t85
  store double %t86, ptr %ret
  ret i32 0
}

define dso_local double @"kc_entry_f"(i64 %a0, i32 %a1, double %a2, float %a3) #0 {
entry:
  %retslot = alloca double, align 8
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

define dso_local i32 @"kc_generic_f"(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {
entry:
  %retslot = alloca double, align 8
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

define dso_local void @kc_module_init(ptr nocapture readonly %host) #5 {
entry:
  %fp = getelementptr inbounds i8, ptr %host, i64 8
  %f = load ptr, ptr %fp
  store ptr %f, ptr @kc_host_set_error
  br label %done
done:
  ret void
}

declare double @llvm.fabs.f64(double)
declare double @llvm.roundeven.f64(double)
declare i64 @llvm.abs.i64(i64, i1)
declare void @llvm.memcpy.inline.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64 immarg, i1 immarg)
declare void @llvm.memset.inline.p0.i64(ptr nocapture writeonly, i8, i64 immarg, i1 immarg)

attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
attributes #4 = { nobuiltin nounwind willreturn memory(none) }
attributes #5 = { nounwind noinline optnone }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
!3 = !{!"llvm.loop.unroll.runtime.disable"}
