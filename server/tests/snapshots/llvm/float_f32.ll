; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4
@.exc.0 = private unnamed_addr constant [36 x i8] c"ZeroDivisionError: division by zero\00"
@.exc.1 = private unnamed_addr constant [48 x i8] c"ZeroDivisionError: float floor division by zero\00"
@.exc.2 = private unnamed_addr constant [32 x i8] c"ZeroDivisionError: float modulo\00"

define internal i32 @"f[float32,float32]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, float %p0, float %p1) #3 {
entry:
  %v0 = alloca float
  store float zeroinitializer, ptr %v0
  %v1 = alloca float
  store float zeroinitializer, ptr %v1
  store float %p0, ptr %v0
  store float %p1, ptr %v1
  %t1 = load float, ptr %v0
  %t2 = load float, ptr %v1
  %t3 = fadd float %t1, %t2
  %t4 = load float, ptr %v0
  %t5 = load float, ptr %v1
  %t6 = fsub float %t4, %t5
  %t7 = fmul float %t3, %t6
  %t8 = load float, ptr %v1
  %t9 = fcmp oeq float %t8, 0x0000000000000000
  br i1 %t9, label %raise1, label %ok2, !prof !1
raise1:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok2:
  %t10 = fdiv float %t7, %t8
  %t11 = load float, ptr %v0
  %t12 = load float, ptr %v1
  %t13 = fcmp oeq float %t12, 0x0000000000000000
  br i1 %t13, label %raise3, label %ok4, !prof !1
raise3:
  store ptr @.exc.1, ptr %exc
  ret i32 1
ok4:
  %t14 = fpext float %t11 to double
  %t15 = fpext float %t12 to double
  %t16 = call double @kc.fmod.f64(double %t14, double %t15)
  %t17 = fptrunc double %t16 to float
  %t18 = fcmp une float %t17, 0x0000000000000000
  %t19 = fcmp olt float %t12, 0x0000000000000000
  %t20 = fcmp olt float %t17, 0x0000000000000000
  %t21 = xor i1 %t19, %t20
  %t22 = and i1 %t18, %t21
  %t23 = fadd float %t17, %t12
  %t24 = call float @llvm.copysign.f32(float 0x0000000000000000, float %t12)
  %t25 = select i1 %t22, float %t23, float %t17
  %t26 = select i1 %t18, float %t25, float %t24
  %t27 = fsub float %t11, %t17
  %t28 = fdiv float %t27, %t12
  %t29 = fsub float %t28, 0x3FF0000000000000
  %t30 = select i1 %t22, float %t29, float %t28
  %t31 = call float @llvm.floor.f32(float %t30)
  %t32 = fsub float %t30, %t31
  %t33 = fcmp ogt float %t32, 0x3FE0000000000000
  %t34 = fadd float %t31, 0x3FF0000000000000
  %t35 = select i1 %t33, float %t34, float %t31
  %t36 = bitcast float %t11 to i32
  %t37 = bitcast float %t12 to i32
  %t38 = xor i32 %t36, %t37
  %t39 = and i32 %t38, -2147483648
  %t40 = bitcast i32 %t39 to float
  %t41 = fcmp une float %t30, 0x0000000000000000
  %t42 = select i1 %t41, float %t35, float %t40
  %t43 = fadd float %t10, %t42
  %t44 = load float, ptr %v0
  %t45 = load float, ptr %v1
  %t46 = fcmp oeq float %t45, 0x0000000000000000
  br i1 %t46, label %raise5, label %ok6, !prof !1
raise5:
  store ptr @.exc.2, ptr %exc
  ret i32 1
ok6:
  %t47 = fpext float %t44 to double
  %t48 = fpext float %t45 to double
  %t49 = call double @kc.fmod.f64(double %t47, double %t48)
  %t50 = fptrunc double %t49 to float
  %t51 = fcmp une float %t50, 0x0000000000000000
  %t52 = fcmp olt float %t45, 0x0000000000000000
  %t53 = fcmp olt float %t50, 0x0000000000000000
  %t54 = xor i1 %t52, %t53
  %t55 = and i1 %t51, %t54
  %t56 = fadd float %t50, %t45
  %t57 = call float @llvm.copysign.f32(float 0x0000000000000000, float %t45)
  %t58 = select i1 %t55, float %t56, float %t50
  %t59 = select i1 %t51, float %t58, float %t57
  %t60 = fadd float %t43, %t59
  %t61 = load float, ptr %v0
  %t62 = load float, ptr %v1
  %t63 = call float @powf(float %t61, float %t62) #4
  %t64 = fadd float %t60, %t63
  %t65 = load float, ptr %v0
  %t66 = fneg float %t65
  %t67 = fsub float %t64, %t66
  %t68 = load float, ptr %v0
  %t69 = load float, ptr %v1
  %t70 = fcmp olt float %t68, %t69
  %t71 = uitofp i1 %t70 to float
  %t72 = fadd float %t67, %t71
  %t73 = load float, ptr %v0
  %t74 = load float, ptr %v1
  %t75 = fcmp oeq float %t73, %t74
  %t76 = uitofp i1 %t75 to float
  %t77 = fadd float %t72, %t76
  store float %t77, ptr %ret
  ret i32 0
}

define dso_local float @"kc_entry_f"(float %a0, float %a1) #0 {
entry:
  %retslot = alloca float, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[float32,float32]"(ptr %retslot, ptr %exc, float %a0, float %a1)
  %ok = icmp eq i32 %st, 0
  br i1 %ok, label %good, label %bad
good:
  %r = load float, ptr %retslot
  ret float %r
bad:
  %msg = load ptr, ptr %exc
  %hook = load ptr, ptr @kc_host_set_error
  %has = icmp ne ptr %hook, null
  br i1 %has, label %report, label %done
report:
  call void %hook(ptr %msg)
  br label %done
done:
  ret float 0.0
}

define dso_local i32 @"kc_generic_f"(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {
entry:
  %retslot = alloca float, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %ap0 = getelementptr inbounds ptr, ptr %args, i64 0
  %pp0 = load ptr, ptr %ap0
  %v0 = load float, ptr %pp0
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %v1 = load float, ptr %pp1
  %st = call i32 @"f[float32,float32]"(ptr %retslot, ptr %exc, float %v0, float %v1)
  %ok = icmp eq i32 %st, 0
  br i1 %ok, label %good, label %bad
good:
  %r = load float, ptr %retslot
  store float %r, ptr %retp
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

declare double @llvm.copysign.f64(double, double)
declare double @llvm.fabs.f64(double)
declare double @llvm.fma.f64(double, double, double)
declare double @llvm.trunc.f64(double)
declare float @llvm.copysign.f32(float, float)
declare float @llvm.floor.f32(float)
declare float @powf(float, float) #1
declare void @llvm.memcpy.inline.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64 immarg, i1 immarg)
declare void @llvm.memset.inline.p0.i64(ptr nocapture writeonly, i8, i64 immarg, i1 immarg)
define internal double @kc.fmod.f64(double %x, double %y) #0 {
entry:
  %ax = call double @llvm.fabs.f64(double %x)
  %ay = call double @llvm.fabs.f64(double %y)
  %q0 = fdiv double %ax, %ay
  %small = fcmp olt double %q0, 0x4330000000000000
  %finite = fcmp olt double %ay, 0x7FF0000000000000
  %ok = and i1 %small, %finite
  br i1 %ok, label %fast, label %slow
fast:
  %q = call double @llvm.trunc.f64(double %q0)
  %nq = fneg double %q
  %r0 = call double @llvm.fma.f64(double %nq, double %ay, double %ax)
  %over = fcmp olt double %r0, 0.0
  %r1 = fadd double %r0, %ay
  %r = select i1 %over, double %r1, double %r0
  %res = call double @llvm.copysign.f64(double %r, double %x)
  ret double %res
slow:
  %m = frem double %x, %y
  ret double %m
}


attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
attributes #4 = { nobuiltin nounwind willreturn memory(none) }
attributes #5 = { nounwind noinline optnone }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
!3 = !{!"llvm.loop.unroll.runtime.disable"}
