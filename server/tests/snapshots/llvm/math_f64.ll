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
  %t2 = call double @llvm.sqrt.f64(double %t1)
  %t3 = load double, ptr %v0
  %t4 = call double @llvm.exp.f64(double %t3)
  %t5 = fadd double %t2, %t4
  %t6 = load double, ptr %v0
  %t7 = call double @llvm.exp2.f64(double %t6)
  %t8 = fadd double %t5, %t7
  %t9 = load double, ptr %v0
  %t10 = call double @expm1(double %t9)
  %t11 = fadd double %t8, %t10
  %t12 = load double, ptr %v0
  %t13 = call double @llvm.log.f64(double %t12)
  %t14 = fadd double %t11, %t13
  %t15 = load double, ptr %v0
  %t16 = call double @llvm.log2.f64(double %t15)
  %t17 = fadd double %t14, %t16
  %t18 = load double, ptr %v0
  %t19 = call double @llvm.log10.f64(double %t18)
  %t20 = fadd double %t17, %t19
  %t21 = load double, ptr %v0
  %t22 = call double @log1p(double %t21)
  %t23 = fadd double %t20, %t22
  %t24 = load double, ptr %v0
  %t25 = call double @llvm.sin.f64(double %t24)
  %t26 = fadd double %t23, %t25
  %t27 = load double, ptr %v0
  %t28 = call double @llvm.cos.f64(double %t27)
  %t29 = fadd double %t26, %t28
  %t30 = load double, ptr %v0
  %t31 = call double @llvm.tan.f64(double %t30)
  %t32 = fadd double %t29, %t31
  %t33 = load double, ptr %v0
  %t34 = call double @asin(double %t33)
  %t35 = fadd double %t32, %t34
  %t36 = load double, ptr %v0
  %t37 = call double @acos(double %t36)
  %t38 = fadd double %t35, %t37
  %t39 = load double, ptr %v0
  %t40 = call double @atan(double %t39)
  %t41 = fadd double %t38, %t40
  %t42 = load double, ptr %v0
  %t43 = load double, ptr %v1
  %t44 = call double @atan2(double %t42, double %t43)
  %t45 = fadd double %t41, %t44
  %t46 = load double, ptr %v0
  %t47 = call double @sinh(double %t46)
  %t48 = fadd double %t45, %t47
  %t49 = load double, ptr %v0
  %t50 = call double @cosh(double %t49)
  %t51 = fadd double %t48, %t50
  %t52 = load double, ptr %v0
  %t53 = call double @tanh(double %t52)
  %t54 = fadd double %t51, %t53
  %t55 = load double, ptr %v0
  %t56 = call double @asinh(double %t55)
  %t57 = fadd double %t54, %t56
  %t58 = load double, ptr %v1
  %t59 = call double @acosh(double %t58)
  %t60 = fadd double %t57, %t59
  %t61 = load double, ptr %v0
  %t62 = call double @atanh(double %t61)
  %t63 = fadd double %t60, %t62
  %t64 = load double, ptr %v0
  %t65 = call double @erf(double %t64)
  %t66 = fadd double %t63, %t65
  %t67 = load double, ptr %v0
  %t68 = call double @erfc(double %t67)
  %t69 = fadd double %t66, %t68
  %t70 = load double, ptr %v1
  %t71 = call double @tgamma(double %t70)
  %t72 = fadd double %t69, %t71
  %t73 = load double, ptr %v1
  %t74 = call double @lgamma(double %t73)
  %t75 = fadd double %t72, %t74
  %t76 = load double, ptr %v0
  %t77 = call double @llvm.floor.f64(double %t76)
  %t78 = fadd double %t75, %t77
  %t79 = load double, ptr %v0
  %t80 = call double @llvm.ceil.f64(double %t79)
  %t81 = fadd double %t78, %t80
  %t82 = load double, ptr %v0
  %t83 = call double @llvm.trunc.f64(double %t82)
  %t84 = fadd double %t81, %t83
  %t85 = load double, ptr %v0
  %t86 = call double @llvm.roundeven.f64(double %t85)
  %t87 = fadd double %t84, %t86
  %t88 = load double, ptr %v0
  %t89 = call double @llvm.fabs.f64(double %t88)
  %t90 = fadd double %t87, %t89
  %t91 = load double, ptr %v0
  %t92 = load double, ptr %v1
  %t93 = call double @llvm.copysign.f64(double %t91, double %t92)
  %t94 = fadd double %t90, %t93
  %t95 = load double, ptr %v0
  %t96 = load double, ptr %v1
  %t97 = call double @hypot(double %t95, double %t96)
  %t98 = fadd double %t94, %t97
  %t99 = load double, ptr %v0
  %t100 = load double, ptr %v1
  %t101 = call double @pow(double %t99, double %t100) #4
  %t102 = fadd double %t98, %t101
  %t103 = load double, ptr %v0
  %t104 = load double, ptr %v1
  %t105 = call double @kc.fmod.f64(double %t103, double %t104)
  %t106 = fadd double %t102, %t105
  %t107 = load double, ptr %v0
  %t108 = load double, ptr %v1
  %t109 = call double @llvm.minimum.f64(double %t107, double %t108)
  %t110 = fadd double %t106, %t109
  %t111 = load double, ptr %v0
  %t112 = load double, ptr %v1
  %t113 = call double @llvm.maximum.f64(double %t111, double %t112)
  %t114 = fadd double %t110, %t113
  %t115 = load double, ptr %v0
  %t116 = call double @llvm.floor.f64(double %t115)
  %t117 = fcmp oge double %t116, 0xC3E0000000000000
  %t118 = fcmp olt double %t116, 0x43E0000000000000
  %t119 = and i1 %t117, %t118
  %t120 = fptosi double %t116 to i64
  %t121 = select i1 %t119, i64 %t120, i64 -9223372036854775808
  %t122 = sitofp i64 %t121 to double
  %t123 = fadd double %t114, %t122
  %t124 = load double, ptr %v1
  %t125 = call double @llvm.ceil.f64(double %t124)
  %t126 = fcmp oge double %t125, 0xC3E0000000000000
  %t127 = fcmp olt double %t125, 0x43E0000000000000
  %t128 = and i1 %t126, %t127
  %t129 = fptosi double %t125 to i64
  %t130 = select i1 %t128, i64 %t129, i64 -9223372036854775808
  %t131 = sitofp i64 %t130 to double
  %t132 = fadd double %t123, %t131
  %t133 = load double, ptr %v0
  %t134 = call double @llvm.trunc.f64(double %t133)
  %t135 = fcmp oge double %t134, 0xC3E0000000000000
  %t136 = fcmp olt double %t134, 0x43E0000000000000
  %t137 = and i1 %t135, %t136
  %t138 = fptosi double %t134 to i64
  %t139 = select i1 %t137, i64 %t138, i64 -9223372036854775808
  %t140 = sitofp i64 %t139 to double
  %t141 = fadd double %t132, %t140
  %t142 = load double, ptr %v0
  %t143 = fcmp uno double %t142, %t142
  %t144 = uitofp i1 %t143 to double
  %t145 = fadd double %t141, %t144
  %t146 = load double, ptr %v1
  %t147 = call double @llvm.fabs.f64(double %t146)
  %t148 = fcmp oeq double %t147, 0x7FF0000000000000
  %t149 = uitofp i1 %t148 to double
  %t150 = fadd double %t145, %t149
  %t151 = load double, ptr %v0
  %t152 = call double @llvm.fabs.f64(double %t151)
  %t153 = fcmp one double %t152, 0x7FF0000000000000
  %t154 = uitofp i1 %t153 to double
  %t155 = fadd double %t150, %t154
  store double %t155, ptr %ret
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

declare double @acos(double) #1
declare double @acosh(double) #1
declare double @asin(double) #1
declare double @asinh(double) #1
declare double @atan(double) #1
declare double @atan2(double, double) #1
declare double @atanh(double) #1
declare double @cosh(double) #1
declare double @erf(double) #1
declare double @erfc(double) #1
declare double @expm1(double) #1
declare double @hypot(double, double) #1
declare double @lgamma(double) #1
declare double @llvm.ceil.f64(double)
declare double @llvm.copysign.f64(double, double)
declare double @llvm.cos.f64(double)
declare double @llvm.exp.f64(double)
declare double @llvm.exp2.f64(double)
declare double @llvm.fabs.f64(double)
declare double @llvm.floor.f64(double)
declare double @llvm.fma.f64(double, double, double)
declare double @llvm.log.f64(double)
declare double @llvm.log10.f64(double)
declare double @llvm.log2.f64(double)
declare double @llvm.maximum.f64(double, double)
declare double @llvm.minimum.f64(double, double)
declare double @llvm.roundeven.f64(double)
declare double @llvm.sin.f64(double)
declare double @llvm.sqrt.f64(double)
declare double @llvm.tan.f64(double)
declare double @llvm.trunc.f64(double)
declare double @log1p(double) #1
declare double @pow(double, double) #1
declare double @sinh(double) #1
declare double @tanh(double) #1
declare double @tgamma(double) #1
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
