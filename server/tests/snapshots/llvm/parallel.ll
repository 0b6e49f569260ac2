; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@kc_host_set_error = internal global ptr null
@kc_host_parallel_for = internal global ptr null
@kc_host_num_threads = internal global ptr null
@kc_module_abi = dso_local constant i64 2

define internal i32 @"f[array(float64,1,A)]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, ptr noalias nocapture readonly nonnull align 8 dereferenceable(152) %p0) #3 {
entry:
  %v0 = alloca ptr
  %v1 = alloca double
  %v2 = alloca double
  %v3 = alloca double
  %v4 = alloca i64
  %v5 = alloca i64
  store ptr %p0, ptr %v0
  %t20 = alloca [10 x ptr]
  %t21 = alloca i64
  %t22 = alloca i64
  %t23 = alloca i64
  %t24 = alloca i32
  %t49 = alloca i64
  store double 0x0000000000000000, ptr %v1
  store double 0x3FF0000000000000, ptr %v2
  %t1 = load ptr, ptr %v0
  %t2 = getelementptr inbounds i8, ptr %t1, i64 0
  %t3 = load ptr, ptr %t2, align 8, !invariant.load !0
  %t4 = getelementptr inbounds i8, ptr %t1, i64 16
  %t5 = load i64, ptr %t4, align 8, !invariant.load !0
  %t6 = icmp slt i64 0, 0
  %t7 = add i64 0, %t5
  %t8 = select i1 %t6, i64 %t7, i64 0
  %t9 = getelementptr inbounds i8, ptr %t1, i64 80
  %t10 = load i64, ptr %t9, align 8, !invariant.load !0
  %t11 = sdiv exact i64 %t10, 8
  %t12 = mul nsw i64 %t8, %t11
  %t13 = getelementptr inbounds double, ptr %t3, i64 %t12
  %t14 = load double, ptr %t13
  store double %t14, ptr %v3
  store i64 0, ptr %v4
  %t15 = load ptr, ptr %v0
  %t16 = getelementptr inbounds i8, ptr %t15, i64 16
  %t17 = load i64, ptr %t16, align 8, !invariant.load !0
  %t18 = sub i64 %t17, 0
  %t19 = call i64 @llvm.smax.i64(i64 %t18, i64 0)
  store i64 0, ptr %t21
  store i64 1, ptr %t22
  %t25 = getelementptr inbounds ptr, ptr %t20, i64 0
  store ptr %v0, ptr %t25
  %t26 = getelementptr inbounds ptr, ptr %t20, i64 1
  store ptr %v1, ptr %t26
  %t27 = getelementptr inbounds ptr, ptr %t20, i64 2
  store ptr %v2, ptr %t27
  %t28 = getelementptr inbounds ptr, ptr %t20, i64 3
  store ptr %v3, ptr %t28
  %t29 = getelementptr inbounds ptr, ptr %t20, i64 4
  store ptr %v4, ptr %t29
  %t30 = getelementptr inbounds ptr, ptr %t20, i64 5
  store ptr %v5, ptr %t30
  %t31 = getelementptr inbounds ptr, ptr %t20, i64 6
  store ptr %t21, ptr %t31
  %t32 = getelementptr inbounds ptr, ptr %t20, i64 7
  store ptr %t22, ptr %t32
  %t33 = getelementptr inbounds ptr, ptr %t20, i64 9
  store ptr %exc, ptr %t33
  %t34 = load ptr, ptr @kc_host_parallel_for
  %t35 = load ptr, ptr @kc_host_num_threads
  %t36 = icmp ne ptr %t34, null
  store i64 1, ptr %t23
  br i1 %t36, label %par.threads1, label %par.go2
par.threads1:
  %t37 = call i64 %t35()
  store i64 %t37, ptr %t23
  br label %par.go2
par.go2:
  %t38 = load i64, ptr %t23
  %t39 = call i64 @llvm.smin.i64(i64 %t38, i64 %t19)
  %t40 = call i64 @llvm.smax.i64(i64 %t39, i64 1)
  %t41 = call ptr @llvm.stacksave.p0()
  %t42 = mul i64 %t40, 4
  %t43 = alloca i64, i64 %t42, align 8
  %t44 = getelementptr inbounds ptr, ptr %t20, i64 8
  store ptr %t43, ptr %t44
  br i1 %t36, label %par.pool3, label %par.alone4
par.pool3:
  %t45 = call i32 %t34(ptr @"f[array(float64,1,A)].prange1", ptr %t20, i64 %t19, i64 %t40)
  store i32 %t45, ptr %t24
  br label %par.done5
par.alone4:
  %t46 = call i32 @"f[array(float64,1,A)].prange1"(ptr %t20, i64 0, i64 %t19, i64 0)
  store i32 %t46, ptr %t24
  br label %par.done5
par.done5:
  %t47 = load i32, ptr %t24
  %t48 = icmp ne i32 %t47, 0
  br i1 %t48, label %par.raise6, label %par.ok7
par.raise6:
  call void @llvm.stackrestore.p0(ptr %t41)
  ret i32 %t47
par.ok7:
  store i64 0, ptr %t49
  br label %par.combine8
par.combine8:
  %t50 = load i64, ptr %t49
  %t51 = icmp slt i64 %t50, %t40
  br i1 %t51, label %par.combine.body9, label %par.combine.end10
par.combine.body9:
  %t52 = mul i64 %t50, 4
  %t53 = add i64 %t52, 0
  %t54 = getelementptr inbounds i64, ptr %t43, i64 %t53
  %t55 = load double, ptr %t54
  %t56 = load double, ptr %v1
  %t57 = fadd double %t56, %t55
  store double %t57, ptr %v1
  %t58 = mul i64 %t50, 4
  %t59 = add i64 %t58, 1
  %t60 = getelementptr inbounds i64, ptr %t43, i64 %t59
  %t61 = load double, ptr %t60
  %t62 = load double, ptr %v2
  %t63 = fmul double %t62, %t61
  store double %t63, ptr %v2
  %t64 = mul i64 %t50, 4
  %t65 = add i64 %t64, 2
  %t66 = getelementptr inbounds i64, ptr %t43, i64 %t65
  %t67 = load double, ptr %t66
  %t68 = load double, ptr %v3
  %t69 = fcmp ogt double %t67, %t68
  %t70 = select i1 %t69, double %t67, double %t68
  store double %t70, ptr %v3
  %t71 = mul i64 %t50, 4
  %t72 = add i64 %t71, 3
  %t73 = getelementptr inbounds i64, ptr %t43, i64 %t72
  %t74 = load i64, ptr %t73
  %t75 = load i64, ptr %v4
  %t76 = add i64 %t75, %t74
  store i64 %t76, ptr %v4
  %t77 = add i64 %t50, 1
  store i64 %t77, ptr %t49
  br label %par.combine8
par.combine.end10:
  call void @llvm.stackrestore.p0(ptr %t41)
  %t78 = icmp sgt i64 %t19, 0
  %t79 = sub i64 %t19, 1
  %t80 = mul i64 %t79, 1
  %t81 = add i64 0, %t80
  %t82 = load i64, ptr %v5
  %t83 = select i1 %t78, i64 %t81, i64 %t82
  store i64 %t83, ptr %v5
  %t162 = load double, ptr %v1
  %t163 = load double, ptr %v2
  %t164 = fadd double %t162, %t163
  %t165 = load double, ptr %v3
  %t166 = fadd double %t164, %t165
  %t167 = load i64, ptr %v4
  %t168 = sitofp i64 %t167 to double
  %t169 = fadd double %t166, %t168
  store double %t169, ptr %ret
  ret i32 0
}

define internal i32 @"f[array(float64,1,A)].prange1"(ptr nocapture readonly %ctx, i64 %lo, i64 %hi, i64 %chunk) #0 {
entry:
  %v0 = alloca ptr
  %cp0 = getelementptr inbounds ptr, ptr %ctx, i64 0
  %pp0 = load ptr, ptr %cp0
  %lv0 = load ptr, ptr %pp0
  store ptr %lv0, ptr %v0
  %v1 = alloca double
  %cp1 = getelementptr inbounds ptr, ptr %ctx, i64 1
  %pp1 = load ptr, ptr %cp1
  %lv1 = load double, ptr %pp1
  store double %lv1, ptr %v1
  %v2 = alloca double
  %cp2 = getelementptr inbounds ptr, ptr %ctx, i64 2
  %pp2 = load ptr, ptr %cp2
  %lv2 = load double, ptr %pp2
  store double %lv2, ptr %v2
  %v3 = alloca double
  %cp3 = getelementptr inbounds ptr, ptr %ctx, i64 3
  %pp3 = load ptr, ptr %cp3
  %lv3 = load double, ptr %pp3
  store double %lv3, ptr %v3
  %v4 = alloca i64
  %cp4 = getelementptr inbounds ptr, ptr %ctx, i64 4
  %pp4 = load ptr, ptr %cp4
  %lv4 = load i64, ptr %pp4
  store i64 %lv4, ptr %v4
  %v5 = alloca i64
  %cp5 = getelementptr inbounds ptr, ptr %ctx, i64 5
  %pp5 = load ptr, ptr %cp5
  %lv5 = load i64, ptr %pp5
  store i64 %lv5, ptr %v5
  %cstart = getelementptr inbounds ptr, ptr %ctx, i64 6
  %pstart = load ptr, ptr %cstart
  %start = load i64, ptr %pstart
  %cstep = getelementptr inbounds ptr, ptr %ctx, i64 7
  %pstep = load ptr, ptr %cstep
  %step = load i64, ptr %pstep
  %cexc = getelementptr inbounds ptr, ptr %ctx, i64 9
  %exc = load ptr, ptr %cexc
  store double 0.0, ptr %v1
  store double 1.0, ptr %v2
  store i64 0, ptr %v4
  %t84 = alloca i64
  store i64 %lo, ptr %t84
  br label %for.cond11
for.cond11:
  %t85 = load i64, ptr %t84
  %t86 = icmp slt i64 %t85, %hi
  br i1 %t86, label %for.body12, label %for.else14
for.body12:
  %t87 = add nsw i64 %start, %t85
  store i64 %t87, ptr %v5
  %t88 = load double, ptr %v1
  %t89 = load ptr, ptr %v0
  %t90 = load i64, ptr %v5
  %t91 = getelementptr inbounds i8, ptr %t89, i64 0
  %t92 = load ptr, ptr %t91, align 8, !invariant.load !0
  %t93 = getelementptr inbounds i8, ptr %t89, i64 16
  %t94 = load i64, ptr %t93, align 8, !invariant.load !0
  %t95 = icmp slt i64 %t90, 0
  %t96 = add i64 %t90, %t94
  %t97 = select i1 %t95, i64 %t96, i64 %t90
  %t98 = getelementptr inbounds i8, ptr %t89, i64 80
  %t99 = load i64, ptr %t98, align 8, !invariant.load !0
  %t100 = sdiv exact i64 %t99, 8
  %t101 = mul nsw i64 %t97, %t100
  %t102 = getelementptr inbounds double, ptr %t92, i64 %t101
  %t103 = load double, ptr %t102
  %t104 = fadd reassoc double %t88, %t103
  store double %t104, ptr %v1
  %t105 = load double, ptr %v2
  %t106 = load ptr, ptr %v0
  %t107 = load i64, ptr %v5
  %t108 = getelementptr inbounds i8, ptr %t106, i64 0
  %t109 = load ptr, ptr %t108, align 8, !invariant.load !0
  %t110 = getelementptr inbounds i8, ptr %t106, i64 16
  %t111 = load i64, ptr %t110, align 8, !invariant.load !0
  %t112 = icmp slt i64 %t107, 0
  %t113 = add i64 %t107, %t111
  %t114 = select i1 %t112, i64 %t113, i64 %t107
  %t115 = getelementptr inbounds i8, ptr %t106, i64 80
  %t116 = load i64, ptr %t115, align 8, !invariant.load !0
  %t117 = sdiv exact i64 %t116, 8
  %t118 = mul nsw i64 %t114, %t117
  %t119 = getelementptr inbounds double, ptr %t109, i64 %t118
  %t120 = load double, ptr %t119
  %t121 = fmul reassoc double %t105, %t120
  store double %t121, ptr %v2
  %t122 = load double, ptr %v3
  %t123 = load ptr, ptr %v0
  %t124 = load i64, ptr %v5
  %t125 = getelementptr inbounds i8, ptr %t123, i64 0
  %t126 = load ptr, ptr %t125, align 8, !invariant.load !0
  %t127 = getelementptr inbounds i8, ptr %t123, i64 16
  %t128 = load i64, ptr %t127, align 8, !invariant.load !0
  %t129 = icmp slt i64 %t124, 0
  %t130 = add i64 %t124, %t128
  %t131 = select i1 %t129, i64 %t130, i64 %t124
  %t132 = getelementptr inbounds i8, ptr %t123, i64 80
  %t133 = load i64, ptr %t132, align 8, !invariant.load !0
  %t134 = sdiv exact i64 %t133, 8
  %t135 = mul nsw i64 %t131, %t134
  %t136 = getelementptr inbounds double, ptr %t126, i64 %t135
  %t137 = load double, ptr %t136
  %t138 = fcmp ogt double %t137, %t122
  %t139 = select i1 %t138, double %t137, double %t122
  store double %t139, ptr %v3
  %t140 = load i64, ptr %v4
  %t141 = add i64 %t140, 1
  store i64 %t141, ptr %v4
  br label %for.latch13
for.latch13:
  %t142 = load i64, ptr %t84
  %t143 = add nuw nsw i64 %t142, 1
  store i64 %t143, ptr %t84
  br label %for.cond11
for.else14:
  br label %for.end15
for.end15:
  %t144 = getelementptr inbounds ptr, ptr %ctx, i64 8
  %t145 = load ptr, ptr %t144
  %t146 = mul i64 %chunk, 4
  %t147 = add i64 %t146, 0
  %t148 = getelementptr inbounds i64, ptr %t145, i64 %t147
  %t149 = load double, ptr %v1
  store double %t149, ptr %t148
  %t150 = mul i64 %chunk, 4
  %t151 = add i64 %t150, 1
  %t152 = getelementptr inbounds i64, ptr %t145, i64 %t151
  %t153 = load double, ptr %v2
  store double %t153, ptr %t152
  %t154 = mul i64 %chunk, 4
  %t155 = add i64 %t154, 2
  %t156 = getelementptr inbounds i64, ptr %t145, i64 %t155
  %t157 = load double, ptr %v3
  store double %t157, ptr %t156
  %t158 = mul i64 %chunk, 4
  %t159 = add i64 %t158, 3
  %t160 = getelementptr inbounds i64, ptr %t145, i64 %t159
  %t161 = load i64, ptr %v4
  store i64 %t161, ptr %t160
  ret i32 0
}

define dso_local double @kc_entry_f(ptr %a0) #0 {
entry:
  %retslot = alloca double
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[array(float64,1,A)]"(ptr %retslot, ptr %exc, ptr %a0)
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
  %st = call i32 @"f[array(float64,1,A)]"(ptr %retslot, ptr %exc, ptr %pp0)
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

declare i64 @llvm.abs.i64(i64, i1)
declare i64 @llvm.smax.i64(i64, i64)
declare i64 @llvm.smin.i64(i64, i64)
declare ptr @llvm.stacksave.p0()
declare void @llvm.stackrestore.p0(ptr)

attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
