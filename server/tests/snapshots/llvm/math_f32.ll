; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4

define internal i32 @"f[float32,float32]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, float %p0, float %p1) #3 {
entry:
  %v0 = alloca float
  store float zeroinitializer, ptr %v0
  %v1 = alloca float
  store float zeroinitializer, ptr %v1
  store float %p0, ptr %v0
  store float %p1, ptr %v1
  %t1 = load float, ptr %v0
  %t2 = call float @llvm.sqrt.f32(float %t1)
  %t3 = load float, ptr %v0
  %t4 = call float @llvm.exp.f32(float %t3)
  %t5 = fadd float %t2, %t4
  %t6 = load float, ptr %v0
  %t7 = call float @llvm.exp2.f32(float %t6)
  %t8 = fadd float %t5, %t7
  %t9 = load float, ptr %v0
  %t10 = call float @expm1f(float %t9)
  %t11 = fadd float %t8, %t10
  %t12 = load float, ptr %v0
  %t13 = call float @llvm.log.f32(float %t12)
  %t14 = fadd float %t11, %t13
  %t15 = load float, ptr %v0
  %t16 = call float @llvm.log2.f32(float %t15)
  %t17 = fadd float %t14, %t16
  %t18 = load float, ptr %v0
  %t19 = call float @llvm.log10.f32(float %t18)
  %t20 = fadd float %t17, %t19
  %t21 = load float, ptr %v0
  %t22 = call float @log1pf(float %t21)
  %t23 = fadd float %t20, %t22
  %t24 = load float, ptr %v0
  %t25 = call float @llvm.sin.f32(float %t24)
  %t26 = fadd float %t23, %t25
  %t27 = load float, ptr %v0
  %t28 = call float @llvm.cos.f32(float %t27)
  %t29 = fadd float %t26, %t28
  %t30 = load float, ptr %v0
  %t31 = call float @llvm.tan.f32(float %t30)
  %t32 = fadd float %t29, %t31
  %t33 = load float, ptr %v0
  %t34 = call float @asinf(float %t33)
  %t35 = fadd float %t32, %t34
  %t36 = load float, ptr %v0
  %t37 = call float @acosf(float %t36)
  %t38 = fadd float %t35, %t37
  %t39 = load float, ptr %v0
  %t40 = call float @atanf(float %t39)
  %t41 = fadd float %t38, %t40
  %t42 = load float, ptr %v0
  %t43 = load float, ptr %v1
  %t44 = call float @atan2f(float %t42, float %t43)
  %t45 = fadd float %t41, %t44
  %t46 = load float, ptr %v0
  %t47 = call float @sinhf(float %t46)
  %t48 = fadd float %t45, %t47
  %t49 = load float, ptr %v0
  %t50 = call float @coshf(float %t49)
  %t51 = fadd float %t48, %t50
  %t52 = load float, ptr %v0
  %t53 = call float @tanhf(float %t52)
  %t54 = fadd float %t51, %t53
  %t55 = load float, ptr %v0
  %t56 = call float @asinhf(float %t55)
  %t57 = fadd float %t54, %t56
  %t58 = load float, ptr %v1
  %t59 = call float @acoshf(float %t58)
  %t60 = fadd float %t57, %t59
  %t61 = load float, ptr %v0
  %t62 = call float @atanhf(float %t61)
  %t63 = fadd float %t60, %t62
  %t64 = load float, ptr %v0
  %t65 = call float @erff(float %t64)
  %t66 = fadd float %t63, %t65
  %t67 = load float, ptr %v0
  %t68 = call float @erfcf(float %t67)
  %t69 = fadd float %t66, %t68
  %t70 = load float, ptr %v1
  %t71 = call float @tgammaf(float %t70)
  %t72 = fadd float %t69, %t71
  %t73 = load float, ptr %v1
  %t74 = call float @lgammaf(float %t73)
  %t75 = fadd float %t72, %t74
  %t76 = load float, ptr %v0
  %t77 = call float @llvm.floor.f32(float %t76)
  %t78 = fadd float %t75, %t77
  %t79 = load float, ptr %v0
  %t80 = call float @llvm.ceil.f32(float %t79)
  %t81 = fadd float %t78, %t80
  %t82 = load float, ptr %v0
  %t83 = call float @llvm.trunc.f32(float %t82)
  %t84 = fadd float %t81, %t83
  %t85 = load float, ptr %v0
  %t86 = call float @llvm.roundeven.f32(float %t85)
  %t87 = fadd float %t84, %t86
  %t88 = load float, ptr %v0
  %t89 = call float @llvm.fabs.f32(float %t88)
  %t90 = fadd float %t87, %t89
  %t91 = load float, ptr %v0
  %t92 = load float, ptr %v1
  %t93 = call float @llvm.copysign.f32(float %t91, float %t92)
  %t94 = fadd float %t90, %t93
  %t95 = load float, ptr %v0
  %t96 = load float, ptr %v1
  %t97 = call float @hypotf(float %t95, float %t96)
  %t98 = fadd float %t94, %t97
  %t99 = load float, ptr %v0
  %t100 = load float, ptr %v1
  %t101 = call float @powf(float %t99, float %t100) #4
  %t102 = fadd float %t98, %t101
  %t103 = load float, ptr %v0
  %t104 = load float, ptr %v1
  %t105 = fpext float %t103 to double
  %t106 = fpext float %t104 to double
  %t107 = call double @kc.fmod.f64(double %t105, double %t106)
  %t108 = fptrunc double %t107 to float
  %t109 = fadd float %t102, %t108
  %t110 = load float, ptr %v0
  %t111 = load float, ptr %v1
  %t112 = call float @llvm.minimum.f32(float %t110, float %t111)
  %t113 = fadd float %t109, %t112
  %t114 = load float, ptr %v0
  %t115 = load float, ptr %v1
  %t116 = call float @llvm.maximum.f32(float %t114, float %t115)
  %t117 = fadd float %t113, %t116
  %t118 = fpext float %t117 to double
  %t119 = load float, ptr %v0
  %t120 = call float @llvm.floor.f32(float %t119)
  %t121 = fcmp oge float %t120, 0xC3E0000000000000
  %t122 = fcmp olt float %t120, 0x43E0000000000000
  %t123 = and i1 %t121, %t122
  %t124 = fptosi float %t120 to i64
  %t125 = select i1 %t123, i64 %t124, i64 -9223372036854775808
  %t126 = sitofp i64 %t125 to double
  %t127 = fadd double %t118, %t126
  %t128 = load float, ptr %v1
  %t129 = call float @llvm.ceil.f32(float %t128)
  %t130 = fcmp oge float %t129, 0xC3E0000000000000
  %t131 = fcmp olt float %t129, 0x43E0000000000000
  %t132 = and i1 %t130, %t131
  %t133 = fptosi float %t129 to i64
  %t134 = select i1 %t132, i64 %t133, i64 -9223372036854775808
  %t135 = sitofp i64 %t134 to double
  %t136 = fadd double %t127, %t135
  %t137 = load float, ptr %v0
  %t138 = call float @llvm.trunc.f32(float %t137)
  %t139 = fcmp oge float %t138, 0xC3E0000000000000
  %t140 = fcmp olt float %t138, 0x43E0000000000000
  %t141 = and i1 %t139, %t140
  %t142 = fptosi float %t138 to i64
  %t143 = select i1 %t141, i64 %t142, i64 -9223372036854775808
  %t144 = sitofp i64 %t143 to double
  %t145 = fadd double %t136, %t144
  %t146 = load float, ptr %v0
  %t147 = fcmp uno float %t146, %t146
  %t148 = uitofp i1 %t147 to double
  %t149 = fadd double %t145, %t148
  %t150 = load float, ptr %v1
  %t151 = call float @llvm.fabs.f32(float %t150)
  %t152 = fcmp oeq float %t151, 0x7FF0000000000000
  %t153 = uitofp i1 %t152 to double
  %t154 = fadd double %t149, %t153
  %t155 = load float, ptr %v0
  %t156 = call float @llvm.fabs.f32(float %t155)
  %t157 = fcmp one float %t156, 0x7FF0000000000000
  %t158 = uitofp i1 %t157 to double
  %t159 = fadd double %t154, %t158
  %t160 = fptrunc double %t159 to float
  store float %t160, ptr %ret
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
declare float @acosf(float) #1
declare float @acoshf(float) #1
declare float @asinf(float) #1
declare float @asinhf(float) #1
declare float @atan2f(float, float) #1
declare float @atanf(float) #1
declare float @atanhf(float) #1
declare float @coshf(float) #1
declare float @erfcf(float) #1
declare float @erff(float) #1
declare float @expm1f(float) #1
declare float @hypotf(float, float) #1
declare float @lgammaf(float) #1
declare float @llvm.ceil.f32(float)
declare float @llvm.copysign.f32(float, float)
declare float @llvm.cos.f32(float)
declare float @llvm.exp.f32(float)
declare float @llvm.exp2.f32(float)
declare float @llvm.fabs.f32(float)
declare float @llvm.floor.f32(float)
declare float @llvm.log.f32(float)
declare float @llvm.log10.f32(float)
declare float @llvm.log2.f32(float)
declare float @llvm.maximum.f32(float, float)
declare float @llvm.minimum.f32(float, float)
declare float @llvm.roundeven.f32(float)
declare float @llvm.sin.f32(float)
declare float @llvm.sqrt.f32(float)
declare float @llvm.tan.f32(float)
declare float @llvm.trunc.f32(float)
declare float @log1pf(float) #1
declare float @powf(float, float) #1
declare float @sinhf(float) #1
declare float @tanhf(float) #1
declare float @tgammaf(float) #1
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
