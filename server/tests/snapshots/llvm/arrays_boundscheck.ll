; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@kc_host_set_error = internal global ptr null
@kc_host_parallel_for = internal global ptr null
@kc_host_num_threads = internal global ptr null
@kc_module_abi = dso_local constant i64 2
@.exc.0 = private unnamed_addr constant [35 x i8] c"IndexError: index is out of bounds\00"

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
  %t184 = alloca i64
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
  %t32 = icmp uge i64 %t31, %t26
  br i1 %t32, label %raise11, label %ok12, !prof !1
raise11:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok12:
  %t33 = icmp slt i64 %t22, 0
  %t34 = add i64 %t22, %t28
  %t35 = select i1 %t33, i64 %t34, i64 %t22
  %t36 = icmp uge i64 %t35, %t28
  br i1 %t36, label %raise13, label %ok14, !prof !1
raise13:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok14:
  %t37 = getelementptr inbounds i8, ptr %t20, i64 80
  %t38 = load i64, ptr %t37, align 8, !invariant.load !0
  %t39 = sdiv exact i64 %t38, 8
  %t40 = mul nsw i64 %t31, %t39
  %t41 = getelementptr inbounds i8, ptr %t20, i64 88
  %t42 = load i64, ptr %t41, align 8, !invariant.load !0
  %t43 = sdiv exact i64 %t42, 8
  %t44 = mul nsw i64 %t35, %t43
  %t45 = add nsw i64 %t40, %t44
  %t46 = getelementptr inbounds double, ptr %t24, i64 %t45
  %t47 = load double, ptr %t46
  %t48 = load ptr, ptr %v1
  %t49 = load i64, ptr %v5
  %t50 = load i64, ptr %v6
  %t51 = getelementptr inbounds i8, ptr %t48, i64 0
  %t52 = load ptr, ptr %t51, align 8, !invariant.load !0
  %t53 = getelementptr inbounds i8, ptr %t48, i64 16
  %t54 = load i64, ptr %t53, align 8, !invariant.load !0
  %t55 = getelementptr inbounds i8, ptr %t48, i64 24
  %t56 = load i64, ptr %t55, align 8, !invariant.load !0
  %t57 = icmp slt i64 %t49, 0
  %t58 = add i64 %t49, %t54
  %t59 = select i1 %t57, i64 %t58, i64 %t49
  %t60 = icmp uge i64 %t59, %t54
  br i1 %t60, label %raise15, label %ok16, !prof !1
raise15:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok16:
  %t61 = icmp slt i64 %t50, 0
  %t62 = add i64 %t50, %t56
  %t63 = select i1 %t61, i64 %t62, i64 %t50
  %t64 = icmp uge i64 %t63, %t56
  br i1 %t64, label %raise17, label %ok18, !prof !1
raise17:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok18:
  %t65 = mul nsw i64 %t59, %t56
  %t66 = add nsw i64 %t65, %t63
  %t67 = getelementptr inbounds double, ptr %t52, i64 %t66
  %t68 = load double, ptr %t67
  %t69 = fadd double %t47, %t68
  %t70 = load ptr, ptr %v2
  %t71 = load i64, ptr %v5
  %t72 = load i64, ptr %v6
  %t73 = getelementptr inbounds i8, ptr %t70, i64 0
  %t74 = load ptr, ptr %t73, align 8, !invariant.load !0
  %t75 = getelementptr inbounds i8, ptr %t70, i64 16
  %t76 = load i64, ptr %t75, align 8, !invariant.load !0
  %t77 = getelementptr inbounds i8, ptr %t70, i64 24
  %t78 = load i64, ptr %t77, align 8, !invariant.load !0
  %t79 = icmp slt i64 %t71, 0
  %t80 = add i64 %t71, %t76
  %t81 = select i1 %t79, i64 %t80, i64 %t71
  %t82 = icmp uge i64 %t81, %t76
  br i1 %t82, label %raise19, label %ok20, !prof !1
raise19:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok20:
  %t83 = icmp slt i64 %t72, 0
  %t84 = add i64 %t72, %t78
  %t85 = select i1 %t83, i64 %t84, i64 %t72
  %t86 = icmp uge i64 %t85, %t78
  br i1 %t86, label %raise21, label %ok22, !prof !1
raise21:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok22:
  %t87 = mul nsw i64 %t85, %t76
  %t88 = add nsw i64 %t87, %t81
  %t89 = getelementptr inbounds double, ptr %t74, i64 %t88
  %t90 = load double, ptr %t89
  %t91 = fadd double %t69, %t90
  %t92 = load ptr, ptr %v1
  %t93 = sub i64 0, 1
  %t94 = load i64, ptr %v6
  %t95 = sub i64 0, %t94
  %t96 = getelementptr inbounds i8, ptr %t92, i64 0
  %t97 = load ptr, ptr %t96, align 8, !invariant.load !0
  %t98 = getelementptr inbounds i8, ptr %t92, i64 16
  %t99 = load i64, ptr %t98, align 8, !invariant.load !0
  %t100 = getelementptr inbounds i8, ptr %t92, i64 24
  %t101 = load i64, ptr %t100, align 8, !invariant.load !0
  %t102 = icmp slt i64 %t93, 0
  %t103 = add i64 %t93, %t99
  %t104 = select i1 %t102, i64 %t103, i64 %t93
  %t105 = icmp uge i64 %t104, %t99
  br i1 %t105, label %raise23, label %ok24, !prof !1
raise23:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok24:
  %t106 = icmp slt i64 %t95, 0
  %t107 = add i64 %t95, %t101
  %t108 = select i1 %t106, i64 %t107, i64 %t95
  %t109 = icmp uge i64 %t108, %t101
  br i1 %t109, label %raise25, label %ok26, !prof !1
raise25:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok26:
  %t110 = mul nsw i64 %t104, %t101
  %t111 = add nsw i64 %t110, %t108
  %t112 = getelementptr inbounds double, ptr %t97, i64 %t111
  %t113 = load double, ptr %t112
  %t114 = fadd double %t91, %t113
  %t115 = fadd double %t19, %t114
  store double %t115, ptr %v4
  br label %for.latch8
for.latch8:
  %t116 = load i64, ptr %t15
  %t117 = add nuw nsw i64 %t116, 1
  store i64 %t117, ptr %t15
  br label %for.cond6
for.else9:
  br label %for.end10
for.end10:
  br label %for.latch3
for.latch3:
  %t118 = load i64, ptr %t6
  %t119 = add nuw nsw i64 %t118, 1
  store i64 %t119, ptr %t6
  br label %for.cond1
for.else4:
  br label %for.end5
for.end5:
  %t120 = load ptr, ptr %v3
  %t121 = load double, ptr %v4
  %t122 = getelementptr inbounds i8, ptr %t120, i64 0
  %t123 = load ptr, ptr %t122, align 8, !invariant.load !0
  %t124 = getelementptr inbounds i8, ptr %t120, i64 16
  %t125 = load i64, ptr %t124, align 8, !invariant.load !0
  %t126 = icmp slt i64 0, 0
  %t127 = add i64 0, %t125
  %t128 = select i1 %t126, i64 %t127, i64 0
  %t129 = icmp uge i64 %t128, %t125
  br i1 %t129, label %raise27, label %ok28, !prof !1
raise27:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok28:
  %t130 = getelementptr inbounds i8, ptr %t120, i64 80
  %t131 = load i64, ptr %t130, align 8, !invariant.load !0
  %t132 = sdiv exact i64 %t131, 8
  %t133 = mul nsw i64 %t128, %t132
  %t134 = getelementptr inbounds double, ptr %t123, i64 %t133
  store double %t121, ptr %t134
  %t135 = load ptr, ptr %v3
  store ptr %t135, ptr %v7
  %t136 = sub i64 0, 1
  store i64 %t136, ptr %v8
  %t137 = load ptr, ptr %v7
  %t138 = load i64, ptr %v8
  %t139 = load ptr, ptr %v7
  %t140 = load i64, ptr %v8
  %t141 = getelementptr inbounds i8, ptr %t139, i64 0
  %t142 = load ptr, ptr %t141, align 8, !invariant.load !0
  %t143 = getelementptr inbounds i8, ptr %t139, i64 16
  %t144 = load i64, ptr %t143, align 8, !invariant.load !0
  %t145 = icmp slt i64 %t140, 0
  %t146 = add i64 %t140, %t144
  %t147 = select i1 %t145, i64 %t146, i64 %t140
  %t148 = icmp uge i64 %t147, %t144
  br i1 %t148, label %raise29, label %ok30, !prof !1
raise29:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok30:
  %t149 = getelementptr inbounds i8, ptr %t139, i64 80
  %t150 = load i64, ptr %t149, align 8, !invariant.load !0
  %t151 = sdiv exact i64 %t150, 8
  %t152 = mul nsw i64 %t147, %t151
  %t153 = getelementptr inbounds double, ptr %t142, i64 %t152
  %t154 = load double, ptr %t153
  %t155 = load ptr, ptr %v3
  %t156 = getelementptr inbounds i8, ptr %t155, i64 16
  %t157 = load i64, ptr %t156, align 8, !invariant.load !0
  %t158 = load ptr, ptr %v3
  %t159 = getelementptr inbounds i8, ptr %t158, i64 16
  %t160 = load i64, ptr %t159, align 8, !invariant.load !0
  %t161 = add i64 %t157, %t160
  %t162 = add i64 %t161, 1
  %t163 = sitofp i64 %t162 to double
  %t164 = fadd double %t154, %t163
  %t165 = getelementptr inbounds i8, ptr %t137, i64 0
  %t166 = load ptr, ptr %t165, align 8, !invariant.load !0
  %t167 = getelementptr inbounds i8, ptr %t137, i64 16
  %t168 = load i64, ptr %t167, align 8, !invariant.load !0
  %t169 = icmp slt i64 %t138, 0
  %t170 = add i64 %t138, %t168
  %t171 = select i1 %t169, i64 %t170, i64 %t138
  %t172 = icmp uge i64 %t171, %t168
  br i1 %t172, label %raise31, label %ok32, !prof !1
raise31:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok32:
  %t173 = getelementptr inbounds i8, ptr %t137, i64 80
  %t174 = load i64, ptr %t173, align 8, !invariant.load !0
  %t175 = sdiv exact i64 %t174, 8
  %t176 = mul nsw i64 %t171, %t175
  %t177 = getelementptr inbounds double, ptr %t166, i64 %t176
  store double %t164, ptr %t177
  %t178 = load ptr, ptr %v3
  store ptr %t178, ptr %v9
  store i64 0, ptr %v10
  %t179 = load ptr, ptr %v9
  %t180 = getelementptr inbounds i8, ptr %t179, i64 16
  %t181 = load i64, ptr %t180, align 8, !invariant.load !0
  %t182 = sub i64 %t181, 0
  %t183 = call i64 @llvm.smax.i64(i64 %t182, i64 0)
  store i64 0, ptr %t184
  br label %for.cond33
for.cond33:
  %t185 = load i64, ptr %t184
  %t186 = icmp slt i64 %t185, %t183
  br i1 %t186, label %for.body34, label %for.else36
for.body34:
  %t187 = add nsw i64 0, %t185
  store i64 %t187, ptr %v10
  %t188 = load ptr, ptr %v9
  %t189 = load i64, ptr %v10
  %t190 = getelementptr inbounds i8, ptr %t188, i64 0
  %t191 = load ptr, ptr %t190, align 8, !invariant.load !0
  %t192 = getelementptr inbounds i8, ptr %t188, i64 16
  %t193 = load i64, ptr %t192, align 8, !invariant.load !0
  %t194 = icmp slt i64 %t189, 0
  %t195 = add i64 %t189, %t193
  %t196 = select i1 %t194, i64 %t195, i64 %t189
  %t197 = icmp uge i64 %t196, %t193
  br i1 %t197, label %raise38, label %ok39, !prof !1
raise38:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok39:
  %t198 = getelementptr inbounds i8, ptr %t188, i64 80
  %t199 = load i64, ptr %t198, align 8, !invariant.load !0
  %t200 = sdiv exact i64 %t199, 8
  %t201 = mul nsw i64 %t196, %t200
  %t202 = getelementptr inbounds double, ptr %t191, i64 %t201
  %t203 = load double, ptr %t202
  store double %t203, ptr %v11
  %t204 = load double, ptr %v4
  %t205 = load double, ptr %v11
  %t206 = fadd double %t204, %t205
  store double %t206, ptr %v4
  br label %for.latch35
for.latch35:
  %t207 = load i64, ptr %t184
  %t208 = add nuw nsw i64 %t207, 1
  store i64 %t208, ptr %t184
  br label %for.cond33
for.else36:
  br label %for.end37
for.end37:
  %t209 = load double, ptr %v4
  store double %t209, ptr %ret
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
