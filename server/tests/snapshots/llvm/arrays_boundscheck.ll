; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_host_parallel_for = internal global ptr null
@kc_host_num_threads = internal global ptr null
@kc_host_alloc = internal global ptr null
@kc_host_release = internal global ptr null
@kc_module_abi = dso_local constant i64 3
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
  %v5 = alloca i64
  %v6 = alloca i64
  %v7 = alloca %kc.array, align 8
  %v7.o = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %v7.o
  %v8 = alloca i64
  %v9 = alloca %kc.array, align 8
  %v9.o = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %v9.o
  %v10 = alloca i64
  %v11 = alloca double
  %t5 = alloca i64
  %t13 = alloca i64
  %t170 = alloca i64
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v0, ptr align 8 %p0, i64 160, i1 false)
  call void @kc.incref(ptr %v0)
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v1, ptr align 8 %p1, i64 160, i1 false)
  call void @kc.incref(ptr %v1)
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v2, ptr align 8 %p2, i64 160, i1 false)
  call void @kc.incref(ptr %v2)
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v3, ptr align 8 %p3, i64 160, i1 false)
  call void @kc.incref(ptr %v3)
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
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok12:
  %t30 = icmp slt i64 %t19, 0
  %t31 = add i64 %t19, %t25
  %t32 = select i1 %t30, i64 %t31, i64 %t19
  %t33 = icmp uge i64 %t32, %t25
  br i1 %t33, label %raise13, label %ok14, !prof !1
raise13:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok14:
  %t34 = getelementptr inbounds i8, ptr %v0, i64 80
  %t35 = load i64, ptr %t34, align 8
  %t36 = sdiv exact i64 %t35, 8
  %t37 = mul nsw i64 %t28, %t36
  %t38 = getelementptr inbounds i8, ptr %v0, i64 88
  %t39 = load i64, ptr %t38, align 8
  %t40 = sdiv exact i64 %t39, 8
  %t41 = mul nsw i64 %t32, %t40
  %t42 = add nsw i64 %t37, %t41
  %t43 = getelementptr inbounds double, ptr %t21, i64 %t42
  %t44 = load double, ptr %t43
  %t45 = load i64, ptr %v5
  %t46 = load i64, ptr %v6
  %t47 = getelementptr inbounds i8, ptr %v1, i64 0
  %t48 = load ptr, ptr %t47, align 8
  %t49 = getelementptr inbounds i8, ptr %v1, i64 16
  %t50 = load i64, ptr %t49, align 8
  %t51 = getelementptr inbounds i8, ptr %v1, i64 24
  %t52 = load i64, ptr %t51, align 8
  %t53 = icmp slt i64 %t45, 0
  %t54 = add i64 %t45, %t50
  %t55 = select i1 %t53, i64 %t54, i64 %t45
  %t56 = icmp uge i64 %t55, %t50
  br i1 %t56, label %raise15, label %ok16, !prof !1
raise15:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok16:
  %t57 = icmp slt i64 %t46, 0
  %t58 = add i64 %t46, %t52
  %t59 = select i1 %t57, i64 %t58, i64 %t46
  %t60 = icmp uge i64 %t59, %t52
  br i1 %t60, label %raise17, label %ok18, !prof !1
raise17:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok18:
  %t61 = mul nsw i64 %t55, %t52
  %t62 = add nsw i64 %t61, %t59
  %t63 = getelementptr inbounds double, ptr %t48, i64 %t62
  %t64 = load double, ptr %t63
  %t65 = fadd double %t44, %t64
  %t66 = load i64, ptr %v5
  %t67 = load i64, ptr %v6
  %t68 = getelementptr inbounds i8, ptr %v2, i64 0
  %t69 = load ptr, ptr %t68, align 8
  %t70 = getelementptr inbounds i8, ptr %v2, i64 16
  %t71 = load i64, ptr %t70, align 8
  %t72 = getelementptr inbounds i8, ptr %v2, i64 24
  %t73 = load i64, ptr %t72, align 8
  %t74 = icmp slt i64 %t66, 0
  %t75 = add i64 %t66, %t71
  %t76 = select i1 %t74, i64 %t75, i64 %t66
  %t77 = icmp uge i64 %t76, %t71
  br i1 %t77, label %raise19, label %ok20, !prof !1
raise19:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok20:
  %t78 = icmp slt i64 %t67, 0
  %t79 = add i64 %t67, %t73
  %t80 = select i1 %t78, i64 %t79, i64 %t67
  %t81 = icmp uge i64 %t80, %t73
  br i1 %t81, label %raise21, label %ok22, !prof !1
raise21:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok22:
  %t82 = mul nsw i64 %t80, %t71
  %t83 = add nsw i64 %t82, %t76
  %t84 = getelementptr inbounds double, ptr %t69, i64 %t83
  %t85 = load double, ptr %t84
  %t86 = fadd double %t65, %t85
  %t87 = sub i64 0, 1
  %t88 = load i64, ptr %v6
  %t89 = sub i64 0, %t88
  %t90 = getelementptr inbounds i8, ptr %v1, i64 0
  %t91 = load ptr, ptr %t90, align 8
  %t92 = getelementptr inbounds i8, ptr %v1, i64 16
  %t93 = load i64, ptr %t92, align 8
  %t94 = getelementptr inbounds i8, ptr %v1, i64 24
  %t95 = load i64, ptr %t94, align 8
  %t96 = icmp slt i64 %t87, 0
  %t97 = add i64 %t87, %t93
  %t98 = select i1 %t96, i64 %t97, i64 %t87
  %t99 = icmp uge i64 %t98, %t93
  br i1 %t99, label %raise23, label %ok24, !prof !1
raise23:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok24:
  %t100 = icmp slt i64 %t89, 0
  %t101 = add i64 %t89, %t95
  %t102 = select i1 %t100, i64 %t101, i64 %t89
  %t103 = icmp uge i64 %t102, %t95
  br i1 %t103, label %raise25, label %ok26, !prof !1
raise25:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok26:
  %t104 = mul nsw i64 %t98, %t95
  %t105 = add nsw i64 %t104, %t102
  %t106 = getelementptr inbounds double, ptr %t91, i64 %t105
  %t107 = load double, ptr %t106
  %t108 = fadd double %t86, %t107
  %t109 = fadd double %t17, %t108
  store double %t109, ptr %v4
  br label %for.latch8
for.latch8:
  %t110 = load i64, ptr %t13
  %t111 = add nuw nsw i64 %t110, 1
  store i64 %t111, ptr %t13
  br label %for.cond6
for.else9:
  br label %for.end10
for.end10:
  br label %for.latch3
for.latch3:
  %t112 = load i64, ptr %t5
  %t113 = add nuw nsw i64 %t112, 1
  store i64 %t113, ptr %t5
  br label %for.cond1
for.else4:
  br label %for.end5
for.end5:
  %t114 = load double, ptr %v4
  %t115 = getelementptr inbounds i8, ptr %v3, i64 0
  %t116 = load ptr, ptr %t115, align 8
  %t117 = getelementptr inbounds i8, ptr %v3, i64 16
  %t118 = load i64, ptr %t117, align 8
  %t119 = icmp slt i64 0, 0
  %t120 = add i64 0, %t118
  %t121 = select i1 %t119, i64 %t120, i64 0
  %t122 = icmp uge i64 %t121, %t118
  br i1 %t122, label %raise27, label %ok28, !prof !1
raise27:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok28:
  %t123 = getelementptr inbounds i8, ptr %v3, i64 80
  %t124 = load i64, ptr %t123, align 8
  %t125 = sdiv exact i64 %t124, 8
  %t126 = mul nsw i64 %t121, %t125
  %t127 = getelementptr inbounds double, ptr %t116, i64 %t126
  store double %t114, ptr %t127
  call void @kc.incref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v7, ptr align 8 %v3, i64 160, i1 false)
  %t128 = sub i64 0, 1
  store i64 %t128, ptr %v8
  %t129 = load i64, ptr %v8
  %t130 = load i64, ptr %v8
  %t131 = getelementptr inbounds i8, ptr %v7, i64 0
  %t132 = load ptr, ptr %t131, align 8
  %t133 = getelementptr inbounds i8, ptr %v7, i64 16
  %t134 = load i64, ptr %t133, align 8
  %t135 = icmp slt i64 %t130, 0
  %t136 = add i64 %t130, %t134
  %t137 = select i1 %t135, i64 %t136, i64 %t130
  %t138 = icmp uge i64 %t137, %t134
  br i1 %t138, label %raise29, label %ok30, !prof !1
raise29:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok30:
  %t139 = getelementptr inbounds i8, ptr %v7, i64 80
  %t140 = load i64, ptr %t139, align 8
  %t141 = sdiv exact i64 %t140, 8
  %t142 = mul nsw i64 %t137, %t141
  %t143 = getelementptr inbounds double, ptr %t132, i64 %t142
  %t144 = load double, ptr %t143
  %t145 = getelementptr inbounds i8, ptr %v3, i64 16
  %t146 = load i64, ptr %t145, align 8
  %t147 = getelementptr inbounds i8, ptr %v3, i64 16
  %t148 = load i64, ptr %t147, align 8
  %t149 = add i64 %t146, %t148
  %t150 = add i64 %t149, 1
  %t151 = sitofp i64 %t150 to double
  %t152 = fadd double %t144, %t151
  %t153 = getelementptr inbounds i8, ptr %v7, i64 0
  %t154 = load ptr, ptr %t153, align 8
  %t155 = getelementptr inbounds i8, ptr %v7, i64 16
  %t156 = load i64, ptr %t155, align 8
  %t157 = icmp slt i64 %t129, 0
  %t158 = add i64 %t129, %t156
  %t159 = select i1 %t157, i64 %t158, i64 %t129
  %t160 = icmp uge i64 %t159, %t156
  br i1 %t160, label %raise31, label %ok32, !prof !1
raise31:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok32:
  %t161 = getelementptr inbounds i8, ptr %v7, i64 80
  %t162 = load i64, ptr %t161, align 8
  %t163 = sdiv exact i64 %t162, 8
  %t164 = mul nsw i64 %t159, %t163
  %t165 = getelementptr inbounds double, ptr %t154, i64 %t164
  store double %t152, ptr %t165
  call void @kc.incref(ptr %v3)
  call void @kc.decref(ptr %v9)
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v9, ptr align 8 %v3, i64 160, i1 false)
  store i64 0, ptr %v10
  %t166 = getelementptr inbounds i8, ptr %v9, i64 16
  %t167 = load i64, ptr %t166, align 8
  %t168 = sub i64 %t167, 0
  %t169 = call i64 @llvm.smax.i64(i64 %t168, i64 0)
  store i64 0, ptr %t170
  br label %for.cond33
for.cond33:
  %t171 = load i64, ptr %t170
  %t172 = icmp slt i64 %t171, %t169
  br i1 %t172, label %for.body34, label %for.else36
for.body34:
  %t173 = add nsw i64 0, %t171
  store i64 %t173, ptr %v10
  %t174 = load i64, ptr %v10
  %t175 = getelementptr inbounds i8, ptr %v9, i64 0
  %t176 = load ptr, ptr %t175, align 8
  %t177 = getelementptr inbounds i8, ptr %v9, i64 16
  %t178 = load i64, ptr %t177, align 8
  %t179 = icmp slt i64 %t174, 0
  %t180 = add i64 %t174, %t178
  %t181 = select i1 %t179, i64 %t180, i64 %t174
  %t182 = icmp uge i64 %t181, %t178
  br i1 %t182, label %raise38, label %ok39, !prof !1
raise38:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 1
ok39:
  %t183 = getelementptr inbounds i8, ptr %v9, i64 80
  %t184 = load i64, ptr %t183, align 8
  %t185 = sdiv exact i64 %t184, 8
  %t186 = mul nsw i64 %t181, %t185
  %t187 = getelementptr inbounds double, ptr %t176, i64 %t186
  %t188 = load double, ptr %t187
  store double %t188, ptr %v11
  %t189 = load double, ptr %v4
  %t190 = load double, ptr %v11
  %t191 = fadd double %t189, %t190
  store double %t191, ptr %v4
  br label %for.latch35
for.latch35:
  %t192 = load i64, ptr %t170
  %t193 = add nuw nsw i64 %t192, 1
  store i64 %t193, ptr %t170
  br label %for.cond33
for.else36:
  br label %for.end37
for.end37:
  %t194 = load double, ptr %v4
  store double %t194, ptr %ret
  call void @kc.decref(ptr %v0)
  call void @kc.decref(ptr %v1)
  call void @kc.decref(ptr %v2)
  call void @kc.decref(ptr %v3)
  call void @kc.decref(ptr %v7)
  call void @kc.decref(ptr %v9)
  ret i32 0
}

define dso_local double @kc_entry_f(ptr %a0, ptr %a1, ptr %a2, ptr %a3) #0 {
entry:
  %retslot = alloca double, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %d0 = alloca %kc.array, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d0, ptr align 8 %a0, i64 152, i1 false)
  %d0.o = getelementptr inbounds i8, ptr %d0, i64 152
  store ptr null, ptr %d0.o
  %d1 = alloca %kc.array, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d1, ptr align 8 %a1, i64 152, i1 false)
  %d1.o = getelementptr inbounds i8, ptr %d1, i64 152
  store ptr null, ptr %d1.o
  %d2 = alloca %kc.array, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d2, ptr align 8 %a2, i64 152, i1 false)
  %d2.o = getelementptr inbounds i8, ptr %d2, i64 152
  store ptr null, ptr %d2.o
  %d3 = alloca %kc.array, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d3, ptr align 8 %a3, i64 152, i1 false)
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

define dso_local i32 @kc_generic_f(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {
entry:
  %retslot = alloca double, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %ap0 = getelementptr inbounds ptr, ptr %args, i64 0
  %pp0 = load ptr, ptr %ap0
  %d0 = alloca %kc.array, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d0, ptr align 8 %pp0, i64 152, i1 false)
  %d0.o = getelementptr inbounds i8, ptr %d0, i64 152
  store ptr null, ptr %d0.o
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %d1 = alloca %kc.array, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d1, ptr align 8 %pp1, i64 152, i1 false)
  %d1.o = getelementptr inbounds i8, ptr %d1, i64 152
  store ptr null, ptr %d1.o
  %ap2 = getelementptr inbounds ptr, ptr %args, i64 2
  %pp2 = load ptr, ptr %ap2
  %d2 = alloca %kc.array, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d2, ptr align 8 %pp2, i64 152, i1 false)
  %d2.o = getelementptr inbounds i8, ptr %d2, i64 152
  store ptr null, ptr %d2.o
  %ap3 = getelementptr inbounds ptr, ptr %args, i64 3
  %pp3 = load ptr, ptr %ap3
  %d3 = alloca %kc.array, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d3, ptr align 8 %pp3, i64 152, i1 false)
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
  %v3 = icmp uge i64 %ver, 3
  br i1 %v3, label %v3.fields, label %done
v3.fields:
  %alp = getelementptr inbounds i8, ptr %host, i64 32
  %al = load ptr, ptr %alp
  store ptr %al, ptr @kc_host_alloc
  %rlp = getelementptr inbounds i8, ptr %host, i64 40
  %rl = load ptr, ptr %rlp
  store ptr %rl, ptr @kc_host_release
  br label %done
done:
  ret void
}

declare i64 @llvm.abs.i64(i64, i1)
declare i64 @llvm.smax.i64(i64, i64)
declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)
declare void @llvm.memset.p0.i64(ptr nocapture writeonly, i8, i64, i1)
define internal void @kc.decref(ptr %a) #0 {
entry:
  %op = getelementptr inbounds i8, ptr %a, i64 152
  %o = load ptr, ptr %op
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
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
