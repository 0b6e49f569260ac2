; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4

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
  %t3 = fadd fast double %t1, %t2
  %t4 = load double, ptr %v0
  %t5 = load double, ptr %v1
  %t6 = fsub fast double %t4, %t5
  %t7 = fmul fast double %t3, %t6
  %t8 = load double, ptr %v1
  %t9 = fdiv fast double %t7, %t8
  %t10 = load double, ptr %v0
  %t11 = load double, ptr %v1
  %t12 = call double @kc.fmod.f64(double %t10, double %t11)
  %t13 = fcmp une double %t12, 0x0000000000000000
  %t14 = fcmp olt double %t11, 0x0000000000000000
  %t15 = fcmp olt double %t12, 0x0000000000000000
  %t16 = xor i1 %t14, %t15
  %t17 = and i1 %t13, %t16
  %t18 = fadd double %t12, %t11
  %t19 = call double @llvm.copysign.f64(double 0x0000000000000000, double %t11)
  %t20 = select i1 %t17, double %t18, double %t12
  %t21 = select i1 %t13, double %t20, double %t19
  %t22 = fsub double %t10, %t12
  %t23 = fdiv double %t22, %t11
  %t24 = fsub double %t23, 0x3FF0000000000000
  %t25 = select i1 %t17, double %t24, double %t23
  %t26 = call double @llvm.floor.f64(double %t25)
  %t27 = fsub double %t25, %t26
  %t28 = fcmp ogt double %t27, 0x3FE0000000000000
  %t29 = fadd double %t26, 0x3FF0000000000000
  %t30 = select i1 %t28, double %t29, double %t26
  %t31 = bitcast double %t10 to i64
  %t32 = bitcast double %t11 to i64
  %t33 = xor i64 %t31, %t32
  %t34 = and i64 %t33, -9223372036854775808
  %t35 = bitcast i64 %t34 to double
  %t36 = fcmp une double %t25, 0x0000000000000000
  %t37 = select i1 %t36, double %t30, double %t35
  %t38 = fdiv double %t10, %t11
  %t39 = fcmp oeq double %t11, 0x0000000000000000
  %t40 = select i1 %t39, double %t38, double %t37
  %t41 = fadd fast double %t9, %t40
  %t42 = load double, ptr %v0
  %t43 = load double, ptr %v1
  %t44 = call double @kc.fmod.f64(double %t42, double %t43)
  %t45 = fcmp une double %t44, 0x0000000000000000
  %t46 = fcmp olt double %t43, 0x0000000000000000
  %t47 = fcmp olt double %t44, 0x0000000000000000
  %t48 = xor i1 %t46, %t47
  %t49 = and i1 %t45, %t48
  %t50 = fadd double %t44, %t43
  %t51 = call double @llvm.copysign.f64(double 0x0000000000000000, double %t43)
  %t52 = select i1 %t49, double %t50, double %t44
  %t53 = select i1 %t45, double %t52, double %t51
  %t54 = fadd fast double %t41, %t53
  %t55 = load double, ptr %v0
  %t56 = load double, ptr %v1
  %t57 = call fast double @llvm.pow.f64(double %t55, double %t56)
  %t58 = fadd fast double %t54, %t57
  %t59 = load double, ptr %v0
  %t60 = fneg fast double %t59
  %t61 = fsub fast double %t58, %t60
  %t62 = load double, ptr %v0
  %t63 = load double, ptr %v1
  %t64 = fcmp fast olt double %t62, %t63
  %t65 = uitofp i1 %t64 to double
  %t66 = fadd fast double %t61, %t65
  %t67 = load double, ptr %v0
  %t68 = load double, ptr %v1
  %t69 = fcmp fast oeq double %t67, %t68
  %t70 = uitofp i1 %t69 to double
  %t71 = fadd fast double %t66, %t70
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
declare double @llvm.pow.f64(double, double)
declare double @llvm.trunc.f64(double)
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
