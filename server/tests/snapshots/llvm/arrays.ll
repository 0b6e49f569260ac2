; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@kc_host_set_error = internal global ptr null
@kc_host_parallel_for = internal global ptr null
@kc_host_num_threads = internal global ptr null
@kc_module_abi = dso_local constant i64 2

define internal i32 @"f[array(float64,2,A),array(float64,2,C),array(float64,2,F),array(float64,1,A)]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, ptr noalias nocapture readonly nonnull align 8 dereferenceable(152) %p0, ptr noalias nocapture readonly nonnull align 8 dereferenceable(152) %p1, ptr noalias nocapture readonly nonnull align 8 dereferenceable(152) %p2, ptr noalias nocapture readonly nonnull align 8 dereferenceable(152) %p3) #3 {
entry:
  %v0 = alloca ptr
  %v1 = alloca ptr
  %v2 = alloca ptr
  %v3 = alloca ptr
  %v4 = alloca double
  %v5 = alloca i64
  %v6 = alloca i64
  %v7 = alloca ptr
  %v8 = alloca i64
  %v9 = alloca ptr
  %v10 = alloca i64
  %v11 = alloca double
  store ptr %p0, ptr %v0
  store ptr %p1, ptr %v1
  store ptr %p2, ptr %v2
  store ptr %p3, ptr %v3
  %t6 = alloca i64
  %t15 = alloca i64
  %t173 = alloca i64
  store double 0x0000000000000000, ptr %v4
  %t1 = load ptr, ptr %v1
  %t2 = getelementptr inbounds i8, ptr %t1, i64 16
  %t3 = load i64, ptr %t2, align 8, !invariant.load !0
  %t4 = sub i64 %t3, 0
  %t5 = call i64 @llvm.smax.i64(i64 %t4, i64 0)
  store i64 0, ptr %t6
  br label %for.cond1
for.cond1:
  %t7 = load i64, ptr %t6
  %t8 = icmp slt i64 %t7, %t5
  br i1 %t8, label %for.body2, label %for.else4
for.body2:
  %t9 = add nsw i64 0, %t7
  store i64 %t9, ptr %v5
  %t10 = load ptr, ptr %v1
  %t11 = getelementptr inbounds i8, ptr %t10, i64 24
  %t12 = load i64, ptr %t11, align 8, !invariant.load !0
  %t13 = sub i64 %t12, 0
  %t14 = call i64 @llvm.smax.i64(i64 %t13, i64 0)
  store i64 0, ptr %t15
  br label %for.cond6
for.cond6:
  %t16 = load i64, ptr %t15
  %t17 = icmp slt i64 %t16, %t14
  br i1 %t17, label %for.body7, label %for.else9
for.body7:
  %t18 = add nsw i64 0, %t16
  store i64 %t18, ptr %v6
  %t19 = load double, ptr %v4
  %t20 = load ptr, ptr %v0
  %t21 = load i64, ptr %v5
  %t22 = load i64, ptr %v6
  %t23 = getelementptr inbounds i8, ptr %t20, i64 0
  %t24 = load ptr, ptr %t23, align 8, !invariant.load !0
  %t25 = getelementptr inbounds i8, ptr %t20, i64 16
  %t26 = load i64, ptr %t25, align 8, !invariant.load !0
  %t27 = getelementptr inbounds i8, ptr %t20, i64 24
  %t28 = load i64, ptr %t27, align 8, !invariant.load !0
  %t29 = icmp slt i64 %t21, 0
  %t30 = add i64 %t21, %t26
  %t31 = select i1 %t29, i64 %t30, i64 %t21
  %t32 = icmp slt i64 %t22, 0
  %t33 = add i64 %t22, %t28
  %t34 = select i1 %t32, i64 %t33, i64 %t22
  %t35 = getelementptr inbounds i8, ptr %t20, i64 80
  %t36 = load i64, ptr %t35, align 8, !invariant.load !0
  %t37 = sdiv exact i64 %t36, 8
  %t38 = mul nsw i64 %t31, %t37
  %t39 = getelementptr inbounds i8, ptr %t20, i64 88
  %t40 = load i64, ptr %t39, align 8, !invariant.load !0
  %t41 = sdiv exact i64 %t40, 8
  %t42 = mul nsw i64 %t34, %t41
  %t43 = add nsw i64 %t38, %t42
  %t44 = getelementptr inbounds double, ptr %t24, i64 %t43
  %t45 = load double, ptr %t44
  %t46 = load ptr, ptr %v1
  %t47 = load i64, ptr %v5
  %t48 = load i64, ptr %v6
  %t49 = getelementptr inbounds i8, ptr %t46, i64 0
  %t50 = load ptr, ptr %t49, align 8, !invariant.load !0
  %t51 = getelementptr inbounds i8, ptr %t46, i64 16
  %t52 = load i64, ptr %t51, align 8, !invariant.load !0
  %t53 = getelementptr inbounds i8, ptr %t46, i64 24
  %t54 = load i64, ptr %t53, align 8, !invariant.load !0
  %t55 = icmp slt i64 %t47, 0
  %t56 = add i64 %t47, %t52
  %t57 = select i1 %t55, i64 %t56, i64 %t47
  %t58 = icmp slt i64 %t48, 0
  %t59 = add i64 %t48, %t54
  %t60 = select i1 %t58, i64 %t59, i64 %t48
  %t61 = mul nsw i64 %t57, %t54
  %t62 = add nsw i64 %t61, %t60
  %t63 = getelementptr inbounds double, ptr %t50, i64 %t62
  %t64 = load double, ptr %t63
  %t65 = fadd double %t45, %t64
  %t66 = load ptr, ptr %v2
  %t67 = load i64, ptr %v5
  %t68 = load i64, ptr %v6
  %t69 = getelementptr inbounds i8, ptr %t66, i64 0
  %t70 = load ptr, ptr %t69, align 8, !invariant.load !0
  %t71 = getelementptr inbounds i8, ptr %t66, i64 16
  %t72 = load i64, ptr %t71, align 8, !invariant.load !0
  %t73 = getelementptr inbounds i8, ptr %t66, i64 24
  %t74 = load i64, ptr %t73, align 8, !invariant.load !0
  %t75 = icmp slt i64 %t67, 0
  %t76 = add i64 %t67, %t72
  %t77 = select i1 %t75, i64 %t76, i64 %t67
  %t78 = icmp slt i64 %t68, 0
  %t79 = add i64 %t68, %t74
  %t80 = select i1 %t78, i64 %t79, i64 %t68
  %t81 = mul nsw i64 %t80, %t72
  %t82 = add nsw i64 %t81, %t77
  %t83 = getelementptr inbounds double, ptr %t70, i64 %t82
  %t84 = load double, ptr %t83
  %t85 = fadd double %t65, %t84
  %t86 = load ptr, ptr %v1
  %t87 = sub i64 0, 1
  %t88 = load i64, ptr %v6
  %t89 = sub i64 0, %t88
  %t90 = getelementptr inbounds i8, ptr %t86, i64 0
  %t91 = load ptr, ptr %t90, align 8, !invariant.load !0
  %t92 = getelementptr inbounds i8, ptr %t86, i64 16
  %t93 = load i64, ptr %t92, align 8, !invariant.load !0
  %t94 = getelementptr inbounds i8, ptr %t86, i64 24
  %t95 = load i64, ptr %t94, align 8, !invariant.load !0
  %t96 = icmp slt i64 %t87, 0
  %t97 = add i64 %t87, %t93
  %t98 = select i1 %t96, i64 %t97, i64 %t87
  %t99 = icmp slt i64 %t89, 0
  %t100 = add i64 %t89, %t95
  %t101 = select i1 %t99, i64 %t100, i64 %t89
  %t102 = mul nsw i64 %t98, %t95
  %t103 = add nsw i64 %t102, %t101
  %t104 = getelementptr inbounds double, ptr %t91, i64 %t103
  %t105 = load double, ptr %t104
  %t106 = fadd double %t85, %t105
  %t107 = fadd double %t19, %t106
  store double %t107, ptr %v4
  br label %for.latch8
for.latch8:
  %t108 = load i64, ptr %t15
  %t109 = add nuw nsw i64 %t108, 1
  store i64 %t109, ptr %t15
  br label %for.cond6
for.else9:
  br label %for.end10
for.end10:
  br label %for.latch3
for.latch3:
  %t110 = load i64, ptr %t6
  %t111 = add nuw nsw i64 %t110, 1
  store i64 %t111, ptr %t6
  br label %for.cond1
for.else4:
  br label %for.end5
for.end5:
  %t112 = load ptr, ptr %v3
  %t113 = load double, ptr %v4
  %t114 = getelementptr inbounds i8, ptr %t112, i64 0
  %t115 = load ptr, ptr %t114, align 8, !invariant.load !0
  %t116 = getelementptr inbounds i8, ptr %t112, i64 16
  %t117 = load i64, ptr %t116, align 8, !invariant.load !0
  %t118 = icmp slt i64 0, 0
  %t119 = add i64 0, %t117
  %t120 = select i1 %t118, i64 %t119, i64 0
  %t121 = getelementptr inbounds i8, ptr %t112, i64 80
  %t122 = load i64, ptr %t121, align 8, !invariant.load !0
  %t123 = sdiv exact i64 %t122, 8
  %t124 = mul nsw i64 %t120, %t123
  %t125 = getelementptr inbounds double, ptr %t115, i64 %t124
  store double %t113, ptr %t125
  %t126 = load ptr, ptr %v3
  store ptr %t126, ptr %v7
  %t127 = sub i64 0, 1
  store i64 %t127, ptr %v8
  %t128 = load ptr, ptr %v7
  %t129 = load i64, ptr %v8
  %t130 = load ptr, ptr %v7
  %t131 = load i64, ptr %v8
  %t132 = getelementptr inbounds i8, ptr %t130, i64 0
  %t133 = load ptr, ptr %t132, align 8, !invariant.load !0
  %t134 = getelementptr inbounds i8, ptr %t130, i64 16
  %t135 = load i64, ptr %t134, align 8, !invariant.load !0
  %t136 = icmp slt i64 %t131, 0
  %t137 = add i64 %t131, %t135
  %t138 = select i1 %t136, i64 %t137, i64 %t131
  %t139 = getelementptr inbounds i8, ptr %t130, i64 80
  %t140 = load i64, ptr %t139, align 8, !invariant.load !0
  %t141 = sdiv exact i64 %t140, 8
  %t142 = mul nsw i64 %t138, %t141
  %t143 = getelementptr inbounds double, ptr %t133, i64 %t142
  %t144 = load double, ptr %t143
  %t145 = load ptr, ptr %v3
  %t146 = getelementptr inbounds i8, ptr %t145, i64 16
  %t147 = load i64, ptr %t146, align 8, !invariant.load !0
  %t148 = load ptr, ptr %v3
  %t149 = getelementptr inbounds i8, ptr %t148, i64 16
  %t150 = load i64, ptr %t149, align 8, !invariant.load !0
  %t151 = add i64 %t147, %t150
  %t152 = add i64 %t151, 1
  %t153 = sitofp i64 %t152 to double
  %t154 = fadd double %t144, %t153
  %t155 = getelementptr inbounds i8, ptr %t128, i64 0
  %t156 = load ptr, ptr %t155, align 8, !invariant.load !0
  %t157 = getelementptr inbounds i8, ptr %t128, i64 16
  %t158 = load i64, ptr %t157, align 8, !invariant.load !0
  %t159 = icmp slt i64 %t129, 0
  %t160 = add i64 %t129, %t158
  %t161 = select i1 %t159, i64 %t160, i64 %t129
  %t162 = getelementptr inbounds i8, ptr %t128, i64 80
  %t163 = load i64, ptr %t162, align 8, !invariant.load !0
  %t164 = sdiv exact i64 %t163, 8
  %t165 = mul nsw i64 %t161, %t164
  %t166 = getelementptr inbounds double, ptr %t156, i64 %t165
  store double %t154, ptr %t166
  %t167 = load ptr, ptr %v3
  store ptr %t167, ptr %v9
  store i64 0, ptr %v10
  %t168 = load ptr, ptr %v9
  %t169 = getelementptr inbounds i8, ptr %t168, i64 16
  %t170 = load i64, ptr %t169, align 8, !invariant.load !0
  %t171 = sub i64 %t170, 0
  %t172 = call i64 @llvm.smax.i64(i64 %t171, i64 0)
  store i64 0, ptr %t173
  br label %for.cond11
for.cond11:
  %t174 = load i64, ptr %t173
  %t175 = icmp slt i64 %t174, %t172
  br i1 %t175, label %for.body12, label %for.else14
for.body12:
  %t176 = add nsw i64 0, %t174
  store i64 %t176, ptr %v10
  %t177 = load ptr, ptr %v9
  %t178 = load i64, ptr %v10
  %t179 = getelementptr inbounds i8, ptr %t177, i64 0
  %t180 = load ptr, ptr %t179, align 8, !invariant.load !0
  %t181 = getelementptr inbounds i8, ptr %t177, i64 16
  %t182 = load i64, ptr %t181, align 8, !invariant.load !0
  %t183 = icmp slt i64 %t178, 0
  %t184 = add i64 %t178, %t182
  %t185 = select i1 %t183, i64 %t184, i64 %t178
  %t186 = getelementptr inbounds i8, ptr %t177, i64 80
  %t187 = load i64, ptr %t186, align 8, !invariant.load !0
  %t188 = sdiv exact i64 %t187, 8
  %t189 = mul nsw i64 %t185, %t188
  %t190 = getelementptr inbounds double, ptr %t180, i64 %t189
  %t191 = load double, ptr %t190
  store double %t191, ptr %v11
  %t192 = load double, ptr %v4
  %t193 = load double, ptr %v11
  %t194 = fadd double %t192, %t193
  store double %t194, ptr %v4
  br label %for.latch13
for.latch13:
  %t195 = load i64, ptr %t173
  %t196 = add nuw nsw i64 %t195, 1
  store i64 %t196, ptr %t173
  br label %for.cond11
for.else14:
  br label %for.end15
for.end15:
  %t197 = load double, ptr %v4
  store double %t197, ptr %ret
  ret i32 0
}

define dso_local double @kc_entry_f(ptr %a0, ptr %a1, ptr %a2, ptr %a3) #0 {
entry:
  %retslot = alloca double
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[array(float64,2,A),array(float64,2,C),array(float64,2,F),array(float64,1,A)]"(ptr %retslot, ptr %exc, ptr %a0, ptr %a1, ptr %a2, ptr %a3)
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
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %ap2 = getelementptr inbounds ptr, ptr %args, i64 2
  %pp2 = load ptr, ptr %ap2
  %ap3 = getelementptr inbounds ptr, ptr %args, i64 3
  %pp3 = load ptr, ptr %ap3
  %st = call i32 @"f[array(float64,2,A),array(float64,2,C),array(float64,2,F),array(float64,1,A)]"(ptr %retslot, ptr %exc, ptr %pp0, ptr %pp1, ptr %pp2, ptr %pp3)
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

attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
