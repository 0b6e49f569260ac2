; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_host_release = internal global ptr null
@kc_module_abi = dso_local constant i64 4
@.exc.0 = private unnamed_addr constant [35 x i8] c"IndexError: index is out of bounds\00"

define internal i32 @"f[array(float64,2,A),array(float64,2,C),array(float64,2,F),array(float64,1,A)]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, ptr noalias nocapture readonly nonnull align 8 dereferenceable(160) %p0, ptr noalias nocapture readonly nonnull align 8 dereferenceable(160) %p1, ptr noalias nocapture readonly nonnull align 8 dereferenceable(160) %p2, ptr noalias nocapture readonly nonnull align 8 dereferenceable(160) %p3) #3 {
entry:
  %v0 = alloca %kc.array, align 8
  %v0.o = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %v0.o
  %v1 = alloca %kc.array, align 8
  %v1.o = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %v1.o
  %v2 = alloca %kc.array, align 8
  %v2.o = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %v2.o
  %v3 = alloca %kc.array, align 8
  %v3.o = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %v3.o
  %v4 = alloca double
  store double zeroinitializer, ptr %v4
  %v5 = alloca i64
  store i64 zeroinitializer, ptr %v5
  %v6 = alloca i64
  store i64 zeroinitializer, ptr %v6
  %v7 = alloca i64
  store i64 zeroinitializer, ptr %v7
  %v8 = alloca %kc.array, align 8
  %v8.o = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %v8.o
  %v9 = alloca i64
  store i64 zeroinitializer, ptr %v9
  %v10 = alloca double
  store double zeroinitializer, ptr %v10
  %t5 = alloca i64
  %t13 = alloca i64
  %t182 = alloca i64
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v0, ptr align 8 %p0, i64 160, i1 false)
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v1, ptr align 8 %p1, i64 160, i1 false)
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v2, ptr align 8 %p2, i64 160, i1 false)
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v3, ptr align 8 %p3, i64 160, i1 false)
  store double 0x0000000000000000, ptr %v4
  %t1 = getelementptr inbounds i8, ptr %v1, i64 16
  %t2 = load i64, ptr %t1, align 8
  %t3 = sub i64 %t2, 0
  %t4 = call i64 @llvm.smax.i64(i64 %t3, i64 0)
  store i64 0, ptr %t5
  br label %for.cond1
for.cond1:
  %t6 = load i64, ptr %t5
  %t7 = icmp slt i64 %t6, %t4
  br i1 %t7, label %for.body2, label %for.else4
for.body2:
  %t8 = add nsw i64 0, %t6
  store i64 %t8, ptr %v5
  %t9 = getelementptr inbounds i8, ptr %v1, i64 24
  %t10 = load i64, ptr %t9, align 8
  %t11 = sub i64 %t10, 0
  %t12 = call i64 @llvm.smax.i64(i64 %t11, i64 0)
  store i64 0, ptr %t13
  br label %for.cond6
for.cond6:
  %t14 = load i64, ptr %t13
  %t15 = icmp slt i64 %t14, %t12
  br i1 %t15, label %for.body7, label %for.else9
for.body7:
  %t16 = add nsw i64 0, %t14
  store i64 %t16, ptr %v6
  %t17 = load double, ptr %v4
  %t18 = load i64, ptr %v5
  %t19 = load i64, ptr %v6
  %t20 = getelementptr inbounds i8, ptr %v0, i64 0
  %t21 = load ptr, ptr %t20, align 8
  %t22 = getelementptr inbounds i8, ptr %v0, i64 16
  %t23 = load i64, ptr %t22, align 8
  %t24 = getelementptr inbounds i8, ptr %v0, i64 24
  %t25 = load i64, ptr %t24, align 8
  %t26 = icmp slt i64 %t18, 0
  %t27 = add i64 %t18, %t23
  %t28 = select i1 %t26, i64 %t27, i64 %t18
  %t29 = icmp uge i64 %t28, %t23
  br i1 %t29, label %raise11, label %ok12, !prof !1
raise11:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t30 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t30
  ret i32 1
ok12:
  %t31 = icmp slt i64 %t19, 0
  %t32 = add i64 %t19, %t25
  %t33 = select i1 %t31, i64 %t32, i64 %t19
  %t34 = icmp uge i64 %t33, %t25
  br i1 %t34, label %raise13, label %ok14, !prof !1
raise13:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t35 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t35
  ret i32 1
ok14:
  %t36 = getelementptr inbounds i8, ptr %v0, i64 80
  %t37 = load i64, ptr %t36, align 8
  %t38 = sdiv exact i64 %t37, 8
  %t39 = mul nsw i64 %t28, %t38
  %t40 = getelementptr inbounds i8, ptr %v0, i64 88
  %t41 = load i64, ptr %t40, align 8
  %t42 = sdiv exact i64 %t41, 8
  %t43 = mul nsw i64 %t33, %t42
  %t44 = add nsw i64 %t39, %t43
  %t45 = getelementptr inbounds double, ptr %t21, i64 %t44
  %t46 = load double, ptr %t45
  %t47 = load i64, ptr %v5
  %t48 = load i64, ptr %v6
  %t49 = getelementptr inbounds i8, ptr %v1, i64 0
  %t50 = load ptr, ptr %t49, align 8
  %t51 = getelementptr inbounds i8, ptr %v1, i64 16
  %t52 = load i64, ptr %t51, align 8
  %t53 = getelementptr inbounds i8, ptr %v1, i64 24
  %t54 = load i64, ptr %t53, align 8
  %t55 = icmp slt i64 %t47, 0
  %t56 = add i64 %t47, %t52
  %t57 = select i1 %t55, i64 %t56, i64 %t47
  %t58 = icmp uge i64 %t57, %t52
  br i1 %t58, label %raise15, label %ok16, !prof !1
raise15:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t59 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t59
  ret i32 1
ok16:
  %t60 = icmp slt i64 %t48, 0
  %t61 = add i64 %t48, %t54
  %t62 = select i1 %t60, i64 %t61, i64 %t48
  %t63 = icmp uge i64 %t62, %t54
  br i1 %t63, label %raise17, label %ok18, !prof !1
raise17:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t64 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t64
  ret i32 1
ok18:
  %t65 = mul nsw i64 %t57, %t54
  %t66 = add nsw i64 %t65, %t62
  %t67 = getelementptr inbounds double, ptr %t50, i64 %t66
  %t68 = load double, ptr %t67
  %t69 = fadd double %t46, %t68
  %t70 = load i64, ptr %v5
  %t71 = load i64, ptr %v6
  %t72 = getelementptr inbounds i8, ptr %v2, i64 0
  %t73 = load ptr, ptr %t72, align 8
  %t74 = getelementptr inbounds i8, ptr %v2, i64 16
  %t75 = load i64, ptr %t74, align 8
  %t76 = getelementptr inbounds i8, ptr %v2, i64 24
  %t77 = load i64, ptr %t76, align 8
  %t78 = icmp slt i64 %t70, 0
  %t79 = add i64 %t70, %t75
  %t80 = select i1 %t78, i64 %t79, i64 %t70
  %t81 = icmp uge i64 %t80, %t75
  br i1 %t81, label %raise19, label %ok20, !prof !1
raise19:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t82 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t82
  ret i32 1
ok20:
  %t83 = icmp slt i64 %t71, 0
  %t84 = add i64 %t71, %t77
  %t85 = select i1 %t83, i64 %t84, i64 %t71
  %t86 = icmp uge i64 %t85, %t77
  br i1 %t86, label %raise21, label %ok22, !prof !1
raise21:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t87 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t87
  ret i32 1
ok22:
  %t88 = mul nsw i64 %t85, %t75
  %t89 = add nsw i64 %t88, %t80
  %t90 = getelementptr inbounds double, ptr %t73, i64 %t89
  %t91 = load double, ptr %t90
  %t92 = fadd double %t69, %t91
  %t93 = sub i64 0, 1
  %t94 = load i64, ptr %v6
  %t95 = sub i64 0, %t94
  %t96 = getelementptr inbounds i8, ptr %v1, i64 0
  %t97 = load ptr, ptr %t96, align 8
  %t98 = getelementptr inbounds i8, ptr %v1, i64 16
  %t99 = load i64, ptr %t98, align 8
  %t100 = getelementptr inbounds i8, ptr %v1, i64 24
  %t101 = load i64, ptr %t100, align 8
  %t102 = icmp slt i64 %t93, 0
  %t103 = add i64 %t93, %t99
  %t104 = select i1 %t102, i64 %t103, i64 %t93
  %t105 = icmp uge i64 %t104, %t99
  br i1 %t105, label %raise23, label %ok24, !prof !1
raise23:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t106 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t106
  ret i32 1
ok24:
  %t107 = icmp slt i64 %t95, 0
  %t108 = add i64 %t95, %t101
  %t109 = select i1 %t107, i64 %t108, i64 %t95
  %t110 = icmp uge i64 %t109, %t101
  br i1 %t110, label %raise25, label %ok26, !prof !1
raise25:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t111 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t111
  ret i32 1
ok26:
  %t112 = mul nsw i64 %t104, %t101
  %t113 = add nsw i64 %t112, %t109
  %t114 = getelementptr inbounds double, ptr %t97, i64 %t113
  %t115 = load double, ptr %t114
  %t116 = fadd double %t92, %t115
  %t117 = fadd double %t17, %t116
  store double %t117, ptr %v4
  br label %for.latch8
for.latch8:
  %t118 = load i64, ptr %t13
  %t119 = add nuw nsw i64 %t118, 1
  store i64 %t119, ptr %t13
  br label %for.cond6, !llvm.loop !100
for.else9:
  br label %for.end10
for.end10:
  br label %for.latch3
for.latch3:
  %t120 = load i64, ptr %t5
  %t121 = add nuw nsw i64 %t120, 1
  store i64 %t121, ptr %t5
  br label %for.cond1
for.else4:
  br label %for.end5
for.end5:
  %t122 = load double, ptr %v4
  %t123 = getelementptr inbounds i8, ptr %v3, i64 0
  %t124 = load ptr, ptr %t123, align 8
  %t125 = getelementptr inbounds i8, ptr %v3, i64 16
  %t126 = load i64, ptr %t125, align 8
  %t127 = icmp slt i64 0, 0
  %t128 = add i64 0, %t126
  %t129 = select i1 %t127, i64 %t128, i64 0
  %t130 = icmp uge i64 %t129, %t126
  br i1 %t130, label %raise27, label %ok28, !prof !1
raise27:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t131 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t131
  ret i32 1
ok28:
  %t132 = getelementptr inbounds i8, ptr %v3, i64 80
  %t133 = load i64, ptr %t132, align 8
  %t134 = sdiv exact i64 %t133, 8
  %t135 = mul nsw i64 %t129, %t134
  %t136 = getelementptr inbounds double, ptr %t124, i64 %t135
  store double %t122, ptr %t136
  %t137 = sub i64 0, 1
  store i64 %t137, ptr %v7
  %t138 = load i64, ptr %v7
  %t139 = getelementptr inbounds i8, ptr %v3, i64 0
  %t140 = load ptr, ptr %t139, align 8
  %t141 = getelementptr inbounds i8, ptr %v3, i64 16
  %t142 = load i64, ptr %t141, align 8
  %t143 = icmp slt i64 %t138, 0
  %t144 = add i64 %t138, %t142
  %t145 = select i1 %t143, i64 %t144, i64 %t138
  %t146 = icmp uge i64 %t145, %t142
  br i1 %t146, label %raise29, label %ok30, !prof !1
raise29:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t147 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t147
  ret i32 1
ok30:
  %t148 = getelementptr inbounds i8, ptr %v3, i64 80
  %t149 = load i64, ptr %t148, align 8
  %t150 = sdiv exact i64 %t149, 8
  %t151 = mul nsw i64 %t145, %t150
  %t152 = getelementptr inbounds double, ptr %t140, i64 %t151
  %t153 = load double, ptr %t152
  %t154 = getelementptr inbounds i8, ptr %v3, i64 16
  %t155 = load i64, ptr %t154, align 8
  %t156 = getelementptr inbounds i8, ptr %v3, i64 16
  %t157 = load i64, ptr %t156, align 8
  %t158 = add i64 %t155, %t157
  %t159 = add i64 %t158, 1
  %t160 = sitofp i64 %t159 to double
  %t161 = fadd double %t153, %t160
  %t162 = load i64, ptr %v7
  %t163 = getelementptr inbounds i8, ptr %v3, i64 0
  %t164 = load ptr, ptr %t163, align 8
  %t165 = getelementptr inbounds i8, ptr %v3, i64 16
  %t166 = load i64, ptr %t165, align 8
  %t167 = icmp slt i64 %t162, 0
  %t168 = add i64 %t162, %t166
  %t169 = select i1 %t167, i64 %t168, i64 %t162
  %t170 = icmp uge i64 %t169, %t166
  br i1 %t170, label %raise31, label %ok32, !prof !1
raise31:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t171 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t171
  ret i32 1
ok32:
  %t172 = getelementptr inbounds i8, ptr %v3, i64 80
  %t173 = load i64, ptr %t172, align 8
  %t174 = sdiv exact i64 %t173, 8
  %t175 = mul nsw i64 %t169, %t174
  %t176 = getelementptr inbounds double, ptr %t164, i64 %t175
  store double %t161, ptr %t176
  call void @kc.incref(ptr %v3)
  call void @kc.decref(ptr %v8)
  %t177 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t177
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v8, ptr align 8 %v3, i64 160, i1 false)
  store i64 0, ptr %v9
  %t178 = getelementptr inbounds i8, ptr %v8, i64 16
  %t179 = load i64, ptr %t178, align 8
  %t180 = sub i64 %t179, 0
  %t181 = call i64 @llvm.smax.i64(i64 %t180, i64 0)
  store i64 0, ptr %t182
  br label %for.cond33
for.cond33:
  %t183 = load i64, ptr %t182
  %t184 = icmp slt i64 %t183, %t181
  br i1 %t184, label %for.body34, label %for.else36
for.body34:
  %t185 = add nsw i64 0, %t183
  store i64 %t185, ptr %v9
  %t186 = load i64, ptr %v9
  %t187 = getelementptr inbounds i8, ptr %v8, i64 0
  %t188 = load ptr, ptr %t187, align 8
  %t189 = getelementptr inbounds i8, ptr %v8, i64 16
  %t190 = load i64, ptr %t189, align 8
  %t191 = icmp slt i64 %t186, 0
  %t192 = add i64 %t186, %t190
  %t193 = select i1 %t191, i64 %t192, i64 %t186
  %t194 = icmp uge i64 %t193, %t190
  br i1 %t194, label %raise38, label %ok39, !prof !1
raise38:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v8)
  %t195 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t195
  ret i32 1
ok39:
  %t196 = getelementptr inbounds i8, ptr %v8, i64 80
  %t197 = load i64, ptr %t196, align 8
  %t198 = sdiv exact i64 %t197, 8
  %t199 = mul nsw i64 %t193, %t198
  %t200 = getelementptr inbounds double, ptr %t188, i64 %t199
  %t201 = load double, ptr %t200
  store double %t201, ptr %v10
  %t202 = load double, ptr %v4
  %t203 = load double, ptr %v10
  %t204 = fadd double %t202, %t203
  store double %t204, ptr %v4
  br label %for.latch35
for.latch35:
  %t205 = load i64, ptr %t182
  %t206 = add nuw nsw i64 %t205, 1
  store i64 %t206, ptr %t182
  br label %for.cond33, !llvm.loop !101
for.else36:
  br label %for.end37
for.end37:
  %t207 = load double, ptr %v4
  store double %t207, ptr %ret
  call void @kc.decref(ptr %v8)
  %t208 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t208
  ret i32 0
}

define dso_local double @"kc_entry_f"(ptr %a0, ptr %a1, ptr %a2, ptr %a3) #0 {
entry:
  %retslot = alloca double, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %d0 = alloca %kc.array, align 8
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d0, ptr align 8 %a0, i64 152, i1 false)
  %d0.o = getelementptr inbounds i8, ptr %d0, i64 152
  store ptr null, ptr %d0.o
  %d1 = alloca %kc.array, align 8
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d1, ptr align 8 %a1, i64 152, i1 false)
  %d1.o = getelementptr inbounds i8, ptr %d1, i64 152
  store ptr null, ptr %d1.o
  %d2 = alloca %kc.array, align 8
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d2, ptr align 8 %a2, i64 152, i1 false)
  %d2.o = getelementptr inbounds i8, ptr %d2, i64 152
  store ptr null, ptr %d2.o
  %d3 = alloca %kc.array, align 8
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d3, ptr align 8 %a3, i64 152, i1 false)
  %d3.o = getelementptr inbounds i8, ptr %d3, i64 152
  store ptr null, ptr %d3.o
  %st = call i32 @"f[array(float64,2,A),array(float64,2,C),array(float64,2,F),array(float64,1,A)]"(ptr %retslot, ptr %exc, ptr %d0, ptr %d1, ptr %d2, ptr %d3)
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
  %d0 = alloca %kc.array, align 8
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d0, ptr align 8 %pp0, i64 152, i1 false)
  %d0.o = getelementptr inbounds i8, ptr %d0, i64 152
  store ptr null, ptr %d0.o
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %d1 = alloca %kc.array, align 8
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d1, ptr align 8 %pp1, i64 152, i1 false)
  %d1.o = getelementptr inbounds i8, ptr %d1, i64 152
  store ptr null, ptr %d1.o
  %ap2 = getelementptr inbounds ptr, ptr %args, i64 2
  %pp2 = load ptr, ptr %ap2
  %d2 = alloca %kc.array, align 8
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d2, ptr align 8 %pp2, i64 152, i1 false)
  %d2.o = getelementptr inbounds i8, ptr %d2, i64 152
  store ptr null, ptr %d2.o
  %ap3 = getelementptr inbounds ptr, ptr %args, i64 3
  %pp3 = load ptr, ptr %ap3
  %d3 = alloca %kc.array, align 8
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d3, ptr align 8 %pp3, i64 152, i1 false)
  %d3.o = getelementptr inbounds i8, ptr %d3, i64 152
  store ptr null, ptr %d3.o
  %st = call i32 @"f[array(float64,2,A),array(float64,2,C),array(float64,2,F),array(float64,1,A)]"(ptr %retslot, ptr %exc, ptr %d0, ptr %d1, ptr %d2, ptr %d3)
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
  %ver = load i64, ptr %host
  %v3 = icmp uge i64 %ver, 3
  br i1 %v3, label %v3.fields, label %done
v3.fields:
  %rlp = getelementptr inbounds i8, ptr %host, i64 40
  %rl = load ptr, ptr %rlp
  store ptr %rl, ptr @kc_host_release
  br label %done
done:
  ret void
}

declare i64 @llvm.abs.i64(i64, i1)
declare i64 @llvm.smax.i64(i64, i64)
declare void @llvm.memcpy.inline.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64 immarg, i1 immarg)
declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)
declare void @llvm.memset.inline.p0.i64(ptr nocapture writeonly, i8, i64 immarg, i1 immarg)
define internal void @kc.decref(ptr %a) #0 {
entry:
  %op = getelementptr inbounds i8, ptr %a, i64 152
  %o = load ptr, ptr %op
  call void @kc.decref.mi(ptr %o)
  ret void
}

define internal void @kc.decref.mi(ptr %o) #0 {
entry:
  %has = icmp ne ptr %o, null
  br i1 %has, label %dec, label %done
dec:
  %rc = getelementptr inbounds i8, ptr %o, i64 0
  %old = atomicrmw sub ptr %rc, i64 1 acq_rel
  %last = icmp eq i64 %old, 1
  br i1 %last, label %free, label %done
free:
  %rel = load ptr, ptr @kc_host_release
  call void %rel(ptr %o)
  br label %done
done:
  ret void
}

define internal void @kc.incref(ptr %a) #0 {
entry:
  %op = getelementptr inbounds i8, ptr %a, i64 152
  %o = load ptr, ptr %op
  call void @kc.incref.mi(ptr %o)
  ret void
}

define internal void @kc.incref.mi(ptr %o) #0 {
entry:
  %has = icmp ne ptr %o, null
  br i1 %has, label %inc, label %done
inc:
  %rc = getelementptr inbounds i8, ptr %o, i64 0
  %old = atomicrmw add ptr %rc, i64 1 monotonic
  br label %done
done:
  ret void
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
!100 = distinct !{!100, !3}
!101 = distinct !{!101, !3}
