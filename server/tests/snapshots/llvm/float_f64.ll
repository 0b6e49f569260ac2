; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4
@.exc.0 = private unnamed_addr constant [36 x i8] c"ZeroDivisionError: division by zero\00"
@.exc.1 = private unnamed_addr constant [48 x i8] c"ZeroDivisionError: float floor division by zero\00"
@.exc.2 = private unnamed_addr constant [32 x i8] c"ZeroDivisionError: float modulo\00"

define internal i32 @"f[float64,float64]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, double %p0, double %p1) #3 {
entry:
  %v0 = alloca double
  store double zeroinitializer, ptr %v0
  %v1 = alloca double
  store double zeroinitializer, ptr %v1
  store double %p0, ptr %v0
  store double %p1, ptr %v1
  %t1 = load double, ptr %v0
  %t2 = load double, ptr %v1
  %t3 = fadd double %t1, %t2
  %t4 = load double, ptr %v0
  %t5 = load double, ptr %v1
  %t6 = fsub double %t4, %t5
  %t7 = fmul double %t3, %t6
  %t8 = load double, ptr %v1
  %t9 = fcmp oeq double %t8, 0x0000000000000000
  br i1 %t9, label %raise1, label %ok2, !prof !1
raise1:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok2:
  %t10 = fdiv double %t7, %t8
  %t11 = load double, ptr %v0
  %t12 = load double, ptr %v1
  %t13 = fcmp oeq double %t12, 0x0000000000000000
  br i1 %t13, label %raise3, label %ok4, !prof !1
raise3:
  store ptr @.exc.1, ptr %exc
  ret i32 1
ok4:
  %t14 = call double @kc.fmod.f64(double %t11, double %t12)
  %t15 = fcmp une double %t14, 0x0000000000000000
  %t16 = fcmp olt double %t12, 0x0000000000000000
  %t17 = fcmp olt double %t14, 0x0000000000000000
  %t18 = xor i1 %t16, %t17
  %t19 = and i1 %t15, %t18
  %t20 = fadd double %t14, %t12
  %t21 = call double @llvm.copysign.f64(double 0x0000000000000000, double %t12)
  %t22 = select i1 %t19, double %t20, double %t14
  %t23 = select i1 %t15, double %t22, double %t21
  %t24 = fsub double %t11, %t14
  %t25 = fdiv double %t24, %t12
  %t26 = fsub double %t25, 0x3FF0000000000000
  %t27 = select i1 %t19, double %t26, double %t25
  %t28 = call double @llvm.floor.f64(double %t27)
  %t29 = fsub double %t27, %t28
  %t30 = fcmp ogt double %t29, 0x3FE0000000000000
  %t31 = fadd double %t28, 0x3FF0000000000000
  %t32 = select i1 %t30, double %t31, double %t28
  %t33 = bitcast double %t11 to i64
  %t34 = bitcast double %t12 to i64
  %t35 = xor i64 %t33, %t34
  %t36 = and i64 %t35, -9223372036854775808
  %t37 = bitcast i64 %t36 to double
  %t38 = fcmp une double %t27, 0x0000000000000000
  %t39 = select i1 %t38, double %t32, double %t37
  %t40 = fadd double %t10, %t39
  %t41 = load double, ptr %v0
  %t42 = load double, ptr %v1
  %t43 = fcmp oeq double %t42, 0x0000000000000000
  br i1 %t43, label %raise5, label %ok6, !prof !1
raise5:
  store ptr @.exc.2, ptr %exc
  ret i32 1
ok6:
  %t44 = call double @kc.fmod.f64(double %t41, double %t42)
  %t45 = fcmp une double %t44, 0x0000000000000000
  %t46 = fcmp olt double %t42, 0x0000000000000000
  %t47 = fcmp olt double %t44, 0x0000000000000000
  %t48 = xor i1 %t46, %t47
  %t49 = and i1 %t45, %t48
  %t50 = fadd double %t44, %t42
  %t51 = call double @llvm.copysign.f64(double 0x0000000000000000, double %t42)
  %t52 = select i1 %t49, double %t50, double %t44
  %t53 = select i1 %t45, double %t52, double %t51
  %t54 = fadd double %t40, %t53
  %t55 = load double, ptr %v0
  %t56 = load double, ptr %v1
  %t57 = call double @pow(double %t55, double %t56) #4
  %t58 = fadd double %t54, %t57
  %t59 = load double, ptr %v0
  %t60 = fneg double %t59
  %t61 = fsub double %t58, %t60
  %t62 = load double, ptr %v0
  %t63 = load double, ptr %v1
  %t64 = fcmp olt double %t62, %t63
  %t65 = uitofp i1 %t64 to double
  %t66 = fadd double %t61, %t65
  %t67 = load double, ptr %v0
  %t68 = load double, ptr %v1
  %t69 = fcmp oeq double %t67, %t68
  %t70 = uitofp i1 %t69 to double
  %t71 = fadd double %t66, %t70
  store double %t71, ptr %ret
  ret i32 0
}

define dso_local double @"kc_entry_f"(double %a0, double %a1) #0 {
entry:
  %retslot = alloca double, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[float64,float64]"(ptr %retslot, ptr %exc, double %a0, double %a1)
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
  %v0 = load double, ptr %pp0
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %v1 = load double, ptr %pp1
  %st = call i32 @"f[float64,float64]"(ptr %retslot, ptr %exc, double %v0, double %v1)
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

declare double @llvm.copysign.f64(double, double)
declare double @llvm.fabs.f64(double)
declare double @llvm.floor.f64(double)
declare double @llvm.fma.f64(double, double, double)
declare double @llvm.trunc.f64(double)
declare double @pow(double, double) #1
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
