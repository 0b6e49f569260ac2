; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_host_parallel_for = internal global ptr null
@kc_host_num_threads = internal global ptr null
@kc_host_alloc = internal global ptr null
@kc_host_release = internal global ptr null
@kc_host_random_seed = internal global ptr null
@kc_host_random_u32 = internal global ptr null
@kc_host_random_double = internal global ptr null
@kc_host_random_gauss = internal global ptr null
@kc_host_print_text = internal global ptr null
@kc_host_print_number = internal global ptr null
@kc_host_print_end = internal global ptr null
@kc_host_dict_new = internal global ptr null
@kc_host_dict_lookup = internal global ptr null
@kc_host_dict_insert = internal global ptr null
@kc_host_dict_remove = internal global ptr null
@kc_host_dict_clear = internal global ptr null
@kc_host_dict_copy = internal global ptr null
@kc_host_dict_list = internal global ptr null
@kc_host_dict_popitem = internal global ptr null
@kc_host_dict_update = internal global ptr null
@kc_host_key_error = internal global ptr null
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
  %t238 = alloca i64
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
  %t30 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t30
  call void @kc.decref(ptr %v1)
  %t31 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t31
  call void @kc.decref(ptr %v2)
  %t32 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t32
  call void @kc.decref(ptr %v3)
  %t33 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t33
  call void @kc.decref(ptr %v7)
  %t34 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t34
  call void @kc.decref(ptr %v9)
  %t35 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t35
  ret i32 1
ok12:
  %t36 = icmp slt i64 %t19, 0
  %t37 = add i64 %t19, %t25
  %t38 = select i1 %t36, i64 %t37, i64 %t19
  %t39 = icmp uge i64 %t38, %t25
  br i1 %t39, label %raise13, label %ok14, !prof !1
raise13:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t40 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t40
  call void @kc.decref(ptr %v1)
  %t41 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t41
  call void @kc.decref(ptr %v2)
  %t42 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t42
  call void @kc.decref(ptr %v3)
  %t43 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t43
  call void @kc.decref(ptr %v7)
  %t44 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t44
  call void @kc.decref(ptr %v9)
  %t45 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t45
  ret i32 1
ok14:
  %t46 = getelementptr inbounds i8, ptr %v0, i64 80
  %t47 = load i64, ptr %t46, align 8
  %t48 = sdiv exact i64 %t47, 8
  %t49 = mul nsw i64 %t28, %t48
  %t50 = getelementptr inbounds i8, ptr %v0, i64 88
  %t51 = load i64, ptr %t50, align 8
  %t52 = sdiv exact i64 %t51, 8
  %t53 = mul nsw i64 %t38, %t52
  %t54 = add nsw i64 %t49, %t53
  %t55 = getelementptr inbounds double, ptr %t21, i64 %t54
  %t56 = load double, ptr %t55
  %t57 = load i64, ptr %v5
  %t58 = load i64, ptr %v6
  %t59 = getelementptr inbounds i8, ptr %v1, i64 0
  %t60 = load ptr, ptr %t59, align 8
  %t61 = getelementptr inbounds i8, ptr %v1, i64 16
  %t62 = load i64, ptr %t61, align 8
  %t63 = getelementptr inbounds i8, ptr %v1, i64 24
  %t64 = load i64, ptr %t63, align 8
  %t65 = icmp slt i64 %t57, 0
  %t66 = add i64 %t57, %t62
  %t67 = select i1 %t65, i64 %t66, i64 %t57
  %t68 = icmp uge i64 %t67, %t62
  br i1 %t68, label %raise15, label %ok16, !prof !1
raise15:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t69 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t69
  call void @kc.decref(ptr %v1)
  %t70 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t70
  call void @kc.decref(ptr %v2)
  %t71 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t71
  call void @kc.decref(ptr %v3)
  %t72 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t72
  call void @kc.decref(ptr %v7)
  %t73 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t73
  call void @kc.decref(ptr %v9)
  %t74 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t74
  ret i32 1
ok16:
  %t75 = icmp slt i64 %t58, 0
  %t76 = add i64 %t58, %t64
  %t77 = select i1 %t75, i64 %t76, i64 %t58
  %t78 = icmp uge i64 %t77, %t64
  br i1 %t78, label %raise17, label %ok18, !prof !1
raise17:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t79 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t79
  call void @kc.decref(ptr %v1)
  %t80 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t80
  call void @kc.decref(ptr %v2)
  %t81 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t81
  call void @kc.decref(ptr %v3)
  %t82 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t82
  call void @kc.decref(ptr %v7)
  %t83 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t83
  call void @kc.decref(ptr %v9)
  %t84 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t84
  ret i32 1
ok18:
  %t85 = mul nsw i64 %t67, %t64
  %t86 = add nsw i64 %t85, %t77
  %t87 = getelementptr inbounds double, ptr %t60, i64 %t86
  %t88 = load double, ptr %t87
  %t89 = fadd double %t56, %t88
  %t90 = load i64, ptr %v5
  %t91 = load i64, ptr %v6
  %t92 = getelementptr inbounds i8, ptr %v2, i64 0
  %t93 = load ptr, ptr %t92, align 8
  %t94 = getelementptr inbounds i8, ptr %v2, i64 16
  %t95 = load i64, ptr %t94, align 8
  %t96 = getelementptr inbounds i8, ptr %v2, i64 24
  %t97 = load i64, ptr %t96, align 8
  %t98 = icmp slt i64 %t90, 0
  %t99 = add i64 %t90, %t95
  %t100 = select i1 %t98, i64 %t99, i64 %t90
  %t101 = icmp uge i64 %t100, %t95
  br i1 %t101, label %raise19, label %ok20, !prof !1
raise19:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t102 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t102
  call void @kc.decref(ptr %v1)
  %t103 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t103
  call void @kc.decref(ptr %v2)
  %t104 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t104
  call void @kc.decref(ptr %v3)
  %t105 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t105
  call void @kc.decref(ptr %v7)
  %t106 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t106
  call void @kc.decref(ptr %v9)
  %t107 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t107
  ret i32 1
ok20:
  %t108 = icmp slt i64 %t91, 0
  %t109 = add i64 %t91, %t97
  %t110 = select i1 %t108, i64 %t109, i64 %t91
  %t111 = icmp uge i64 %t110, %t97
  br i1 %t111, label %raise21, label %ok22, !prof !1
raise21:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t112 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t112
  call void @kc.decref(ptr %v1)
  %t113 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t113
  call void @kc.decref(ptr %v2)
  %t114 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t114
  call void @kc.decref(ptr %v3)
  %t115 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t115
  call void @kc.decref(ptr %v7)
  %t116 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t116
  call void @kc.decref(ptr %v9)
  %t117 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t117
  ret i32 1
ok22:
  %t118 = mul nsw i64 %t110, %t95
  %t119 = add nsw i64 %t118, %t100
  %t120 = getelementptr inbounds double, ptr %t93, i64 %t119
  %t121 = load double, ptr %t120
  %t122 = fadd double %t89, %t121
  %t123 = sub i64 0, 1
  %t124 = load i64, ptr %v6
  %t125 = sub i64 0, %t124
  %t126 = getelementptr inbounds i8, ptr %v1, i64 0
  %t127 = load ptr, ptr %t126, align 8
  %t128 = getelementptr inbounds i8, ptr %v1, i64 16
  %t129 = load i64, ptr %t128, align 8
  %t130 = getelementptr inbounds i8, ptr %v1, i64 24
  %t131 = load i64, ptr %t130, align 8
  %t132 = icmp slt i64 %t123, 0
  %t133 = add i64 %t123, %t129
  %t134 = select i1 %t132, i64 %t133, i64 %t123
  %t135 = icmp uge i64 %t134, %t129
  br i1 %t135, label %raise23, label %ok24, !prof !1
raise23:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t136 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t136
  call void @kc.decref(ptr %v1)
  %t137 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t137
  call void @kc.decref(ptr %v2)
  %t138 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t138
  call void @kc.decref(ptr %v3)
  %t139 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t139
  call void @kc.decref(ptr %v7)
  %t140 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t140
  call void @kc.decref(ptr %v9)
  %t141 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t141
  ret i32 1
ok24:
  %t142 = icmp slt i64 %t125, 0
  %t143 = add i64 %t125, %t131
  %t144 = select i1 %t142, i64 %t143, i64 %t125
  %t145 = icmp uge i64 %t144, %t131
  br i1 %t145, label %raise25, label %ok26, !prof !1
raise25:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t146 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t146
  call void @kc.decref(ptr %v1)
  %t147 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t147
  call void @kc.decref(ptr %v2)
  %t148 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t148
  call void @kc.decref(ptr %v3)
  %t149 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t149
  call void @kc.decref(ptr %v7)
  %t150 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t150
  call void @kc.decref(ptr %v9)
  %t151 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t151
  ret i32 1
ok26:
  %t152 = mul nsw i64 %t134, %t131
  %t153 = add nsw i64 %t152, %t144
  %t154 = getelementptr inbounds double, ptr %t127, i64 %t153
  %t155 = load double, ptr %t154
  %t156 = fadd double %t122, %t155
  %t157 = fadd double %t17, %t156
  store double %t157, ptr %v4
  br label %for.latch8
for.latch8:
  %t158 = load i64, ptr %t13
  %t159 = add nuw nsw i64 %t158, 1
  store i64 %t159, ptr %t13
  br label %for.cond6
for.else9:
  br label %for.end10
for.end10:
  br label %for.latch3
for.latch3:
  %t160 = load i64, ptr %t5
  %t161 = add nuw nsw i64 %t160, 1
  store i64 %t161, ptr %t5
  br label %for.cond1
for.else4:
  br label %for.end5
for.end5:
  %t162 = load double, ptr %v4
  %t163 = getelementptr inbounds i8, ptr %v3, i64 0
  %t164 = load ptr, ptr %t163, align 8
  %t165 = getelementptr inbounds i8, ptr %v3, i64 16
  %t166 = load i64, ptr %t165, align 8
  %t167 = icmp slt i64 0, 0
  %t168 = add i64 0, %t166
  %t169 = select i1 %t167, i64 %t168, i64 0
  %t170 = icmp uge i64 %t169, %t166
  br i1 %t170, label %raise27, label %ok28, !prof !1
raise27:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t171 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t171
  call void @kc.decref(ptr %v1)
  %t172 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t172
  call void @kc.decref(ptr %v2)
  %t173 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t173
  call void @kc.decref(ptr %v3)
  %t174 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t174
  call void @kc.decref(ptr %v7)
  %t175 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t175
  call void @kc.decref(ptr %v9)
  %t176 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t176
  ret i32 1
ok28:
  %t177 = getelementptr inbounds i8, ptr %v3, i64 80
  %t178 = load i64, ptr %t177, align 8
  %t179 = sdiv exact i64 %t178, 8
  %t180 = mul nsw i64 %t169, %t179
  %t181 = getelementptr inbounds double, ptr %t164, i64 %t180
  store double %t162, ptr %t181
  call void @kc.incref(ptr %v3)
  call void @kc.decref(ptr %v7)
  %t182 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t182
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v7, ptr align 8 %v3, i64 160, i1 false)
  %t183 = sub i64 0, 1
  store i64 %t183, ptr %v8
  %t184 = load i64, ptr %v8
  %t185 = getelementptr inbounds i8, ptr %v7, i64 0
  %t186 = load ptr, ptr %t185, align 8
  %t187 = getelementptr inbounds i8, ptr %v7, i64 16
  %t188 = load i64, ptr %t187, align 8
  %t189 = icmp slt i64 %t184, 0
  %t190 = add i64 %t184, %t188
  %t191 = select i1 %t189, i64 %t190, i64 %t184
  %t192 = icmp uge i64 %t191, %t188
  br i1 %t192, label %raise29, label %ok30, !prof !1
raise29:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t193 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t193
  call void @kc.decref(ptr %v1)
  %t194 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t194
  call void @kc.decref(ptr %v2)
  %t195 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t195
  call void @kc.decref(ptr %v3)
  %t196 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t196
  call void @kc.decref(ptr %v7)
  %t197 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t197
  call void @kc.decref(ptr %v9)
  %t198 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t198
  ret i32 1
ok30:
  %t199 = getelementptr inbounds i8, ptr %v7, i64 80
  %t200 = load i64, ptr %t199, align 8
  %t201 = sdiv exact i64 %t200, 8
  %t202 = mul nsw i64 %t191, %t201
  %t203 = getelementptr inbounds double, ptr %t186, i64 %t202
  %t204 = load double, ptr %t203
  %t205 = getelementptr inbounds i8, ptr %v3, i64 16
  %t206 = load i64, ptr %t205, align 8
  %t207 = getelementptr inbounds i8, ptr %v3, i64 16
  %t208 = load i64, ptr %t207, align 8
  %t209 = add i64 %t206, %t208
  %t210 = add i64 %t209, 1
  %t211 = sitofp i64 %t210 to double
  %t212 = fadd double %t204, %t211
  %t213 = load i64, ptr %v8
  %t214 = getelementptr inbounds i8, ptr %v7, i64 0
  %t215 = load ptr, ptr %t214, align 8
  %t216 = getelementptr inbounds i8, ptr %v7, i64 16
  %t217 = load i64, ptr %t216, align 8
  %t218 = icmp slt i64 %t213, 0
  %t219 = add i64 %t213, %t217
  %t220 = select i1 %t218, i64 %t219, i64 %t213
  %t221 = icmp uge i64 %t220, %t217
  br i1 %t221, label %raise31, label %ok32, !prof !1
raise31:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t222 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t222
  call void @kc.decref(ptr %v1)
  %t223 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t223
  call void @kc.decref(ptr %v2)
  %t224 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t224
  call void @kc.decref(ptr %v3)
  %t225 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t225
  call void @kc.decref(ptr %v7)
  %t226 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t226
  call void @kc.decref(ptr %v9)
  %t227 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t227
  ret i32 1
ok32:
  %t228 = getelementptr inbounds i8, ptr %v7, i64 80
  %t229 = load i64, ptr %t228, align 8
  %t230 = sdiv exact i64 %t229, 8
  %t231 = mul nsw i64 %t220, %t230
  %t232 = getelementptr inbounds double, ptr %t215, i64 %t231
  store double %t212, ptr %t232
  call void @kc.incref(ptr %v3)
  call void @kc.decref(ptr %v9)
  %t233 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t233
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v9, ptr align 8 %v3, i64 160, i1 false)
  store i64 0, ptr %v10
  %t234 = getelementptr inbounds i8, ptr %v9, i64 16
  %t235 = load i64, ptr %t234, align 8
  %t236 = sub i64 %t235, 0
  %t237 = call i64 @llvm.smax.i64(i64 %t236, i64 0)
  store i64 0, ptr %t238
  br label %for.cond33
for.cond33:
  %t239 = load i64, ptr %t238
  %t240 = icmp slt i64 %t239, %t237
  br i1 %t240, label %for.body34, label %for.else36
for.body34:
  %t241 = add nsw i64 0, %t239
  store i64 %t241, ptr %v10
  %t242 = load i64, ptr %v10
  %t243 = getelementptr inbounds i8, ptr %v9, i64 0
  %t244 = load ptr, ptr %t243, align 8
  %t245 = getelementptr inbounds i8, ptr %v9, i64 16
  %t246 = load i64, ptr %t245, align 8
  %t247 = icmp slt i64 %t242, 0
  %t248 = add i64 %t242, %t246
  %t249 = select i1 %t247, i64 %t248, i64 %t242
  %t250 = icmp uge i64 %t249, %t246
  br i1 %t250, label %raise38, label %ok39, !prof !1
raise38:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t251 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t251
  call void @kc.decref(ptr %v1)
  %t252 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t252
  call void @kc.decref(ptr %v2)
  %t253 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t253
  call void @kc.decref(ptr %v3)
  %t254 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t254
  call void @kc.decref(ptr %v7)
  %t255 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t255
  call void @kc.decref(ptr %v9)
  %t256 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t256
  ret i32 1
ok39:
  %t257 = getelementptr inbounds i8, ptr %v9, i64 80
  %t258 = load i64, ptr %t257, align 8
  %t259 = sdiv exact i64 %t258, 8
  %t260 = mul nsw i64 %t249, %t259
  %t261 = getelementptr inbounds double, ptr %t244, i64 %t260
  %t262 = load double, ptr %t261
  store double %t262, ptr %v11
  %t263 = load double, ptr %v4
  %t264 = load double, ptr %v11
  %t265 = fadd double %t263, %t264
  store double %t265, ptr %v4
  br label %for.latch35
for.latch35:
  %t266 = load i64, ptr %t238
  %t267 = add nuw nsw i64 %t266, 1
  store i64 %t267, ptr %t238
  br label %for.cond33
for.else36:
  br label %for.end37
for.end37:
  %t268 = load double, ptr %v4
  store double %t268, ptr %ret
  call void @kc.decref(ptr %v0)
  %t269 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t269
  call void @kc.decref(ptr %v1)
  %t270 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t270
  call void @kc.decref(ptr %v2)
  %t271 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t271
  call void @kc.decref(ptr %v3)
  %t272 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t272
  call void @kc.decref(ptr %v7)
  %t273 = getelementptr inbounds i8, ptr %v7, i64 152
  store ptr null, ptr %t273
  call void @kc.decref(ptr %v9)
  %t274 = getelementptr inbounds i8, ptr %v9, i64 152
  store ptr null, ptr %t274
  ret i32 0
}

define dso_local double @"kc_entry_f"(ptr %a0, ptr %a1, ptr %a2, ptr %a3) #0 {
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

define dso_local i32 @"kc_generic_f"(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {
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
  %v4 = icmp uge i64 %ver, 4
  br i1 %v4, label %v4.fields, label %done
v4.fields:
  %rsp = getelementptr inbounds i8, ptr %host, i64 48
  %rs = load ptr, ptr %rsp
  store ptr %rs, ptr @kc_host_random_seed
  %rup = getelementptr inbounds i8, ptr %host, i64 56
  %ru = load ptr, ptr %rup
  store ptr %ru, ptr @kc_host_random_u32
  %rdp = getelementptr inbounds i8, ptr %host, i64 64
  %rd = load ptr, ptr %rdp
  store ptr %rd, ptr @kc_host_random_double
  %rgp = getelementptr inbounds i8, ptr %host, i64 72
  %rg = load ptr, ptr %rgp
  store ptr %rg, ptr @kc_host_random_gauss
  %v5 = icmp uge i64 %ver, 5
  br i1 %v5, label %v5.fields, label %done
v5.fields:
  %ptp = getelementptr inbounds i8, ptr %host, i64 80
  %pt = load ptr, ptr %ptp
  store ptr %pt, ptr @kc_host_print_text
  %pnp = getelementptr inbounds i8, ptr %host, i64 88
  %pn = load ptr, ptr %pnp
  store ptr %pn, ptr @kc_host_print_number
  %pep = getelementptr inbounds i8, ptr %host, i64 96
  %pe = load ptr, ptr %pep
  store ptr %pe, ptr @kc_host_print_end
  %v6 = icmp uge i64 %ver, 6
  br i1 %v6, label %v6.fields, label %done
v6.fields:
  %dnp = getelementptr inbounds i8, ptr %host, i64 104
  %dn = load ptr, ptr %dnp
  store ptr %dn, ptr @kc_host_dict_new
  %dlp = getelementptr inbounds i8, ptr %host, i64 112
  %dl = load ptr, ptr %dlp
  store ptr %dl, ptr @kc_host_dict_lookup
  %dip = getelementptr inbounds i8, ptr %host, i64 120
  %di = load ptr, ptr %dip
  store ptr %di, ptr @kc_host_dict_insert
  %drp = getelementptr inbounds i8, ptr %host, i64 128
  %dr = load ptr, ptr %drp
  store ptr %dr, ptr @kc_host_dict_remove
  %dcp = getelementptr inbounds i8, ptr %host, i64 136
  %dc = load ptr, ptr %dcp
  store ptr %dc, ptr @kc_host_dict_clear
  %dyp = getelementptr inbounds i8, ptr %host, i64 144
  %dy = load ptr, ptr %dyp
  store ptr %dy, ptr @kc_host_dict_copy
  %dtp = getelementptr inbounds i8, ptr %host, i64 152
  %dt = load ptr, ptr %dtp
  store ptr %dt, ptr @kc_host_dict_list
  %dpp = getelementptr inbounds i8, ptr %host, i64 160
  %dp = load ptr, ptr %dpp
  store ptr %dp, ptr @kc_host_dict_popitem
  %dup = getelementptr inbounds i8, ptr %host, i64 168
  %du = load ptr, ptr %dup
  store ptr %du, ptr @kc_host_dict_update
  %kep = getelementptr inbounds i8, ptr %host, i64 176
  %ke = load ptr, ptr %kep
  store ptr %ke, ptr @kc_host_key_error
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
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
