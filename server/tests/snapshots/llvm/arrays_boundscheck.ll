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
@kc_host_stack_floor = internal global ptr null
@kc_host_set_op = internal global ptr null
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
  %t226 = alloca i64
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
  call void @kc.decref(ptr %v8)
  %t34 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t34
  ret i32 1
ok12:
  %t35 = icmp slt i64 %t19, 0
  %t36 = add i64 %t19, %t25
  %t37 = select i1 %t35, i64 %t36, i64 %t19
  %t38 = icmp uge i64 %t37, %t25
  br i1 %t38, label %raise13, label %ok14, !prof !1
raise13:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t39 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t39
  call void @kc.decref(ptr %v1)
  %t40 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t40
  call void @kc.decref(ptr %v2)
  %t41 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t41
  call void @kc.decref(ptr %v3)
  %t42 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t42
  call void @kc.decref(ptr %v8)
  %t43 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t43
  ret i32 1
ok14:
  %t44 = getelementptr inbounds i8, ptr %v0, i64 80
  %t45 = load i64, ptr %t44, align 8
  %t46 = sdiv exact i64 %t45, 8
  %t47 = mul nsw i64 %t28, %t46
  %t48 = getelementptr inbounds i8, ptr %v0, i64 88
  %t49 = load i64, ptr %t48, align 8
  %t50 = sdiv exact i64 %t49, 8
  %t51 = mul nsw i64 %t37, %t50
  %t52 = add nsw i64 %t47, %t51
  %t53 = getelementptr inbounds double, ptr %t21, i64 %t52
  %t54 = load double, ptr %t53
  %t55 = load i64, ptr %v5
  %t56 = load i64, ptr %v6
  %t57 = getelementptr inbounds i8, ptr %v1, i64 0
  %t58 = load ptr, ptr %t57, align 8
  %t59 = getelementptr inbounds i8, ptr %v1, i64 16
  %t60 = load i64, ptr %t59, align 8
  %t61 = getelementptr inbounds i8, ptr %v1, i64 24
  %t62 = load i64, ptr %t61, align 8
  %t63 = icmp slt i64 %t55, 0
  %t64 = add i64 %t55, %t60
  %t65 = select i1 %t63, i64 %t64, i64 %t55
  %t66 = icmp uge i64 %t65, %t60
  br i1 %t66, label %raise15, label %ok16, !prof !1
raise15:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t67 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t67
  call void @kc.decref(ptr %v1)
  %t68 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t68
  call void @kc.decref(ptr %v2)
  %t69 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t69
  call void @kc.decref(ptr %v3)
  %t70 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t70
  call void @kc.decref(ptr %v8)
  %t71 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t71
  ret i32 1
ok16:
  %t72 = icmp slt i64 %t56, 0
  %t73 = add i64 %t56, %t62
  %t74 = select i1 %t72, i64 %t73, i64 %t56
  %t75 = icmp uge i64 %t74, %t62
  br i1 %t75, label %raise17, label %ok18, !prof !1
raise17:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t76 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t76
  call void @kc.decref(ptr %v1)
  %t77 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t77
  call void @kc.decref(ptr %v2)
  %t78 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t78
  call void @kc.decref(ptr %v3)
  %t79 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t79
  call void @kc.decref(ptr %v8)
  %t80 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t80
  ret i32 1
ok18:
  %t81 = mul nsw i64 %t65, %t62
  %t82 = add nsw i64 %t81, %t74
  %t83 = getelementptr inbounds double, ptr %t58, i64 %t82
  %t84 = load double, ptr %t83
  %t85 = fadd double %t54, %t84
  %t86 = load i64, ptr %v5
  %t87 = load i64, ptr %v6
  %t88 = getelementptr inbounds i8, ptr %v2, i64 0
  %t89 = load ptr, ptr %t88, align 8
  %t90 = getelementptr inbounds i8, ptr %v2, i64 16
  %t91 = load i64, ptr %t90, align 8
  %t92 = getelementptr inbounds i8, ptr %v2, i64 24
  %t93 = load i64, ptr %t92, align 8
  %t94 = icmp slt i64 %t86, 0
  %t95 = add i64 %t86, %t91
  %t96 = select i1 %t94, i64 %t95, i64 %t86
  %t97 = icmp uge i64 %t96, %t91
  br i1 %t97, label %raise19, label %ok20, !prof !1
raise19:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t98 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t98
  call void @kc.decref(ptr %v1)
  %t99 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t99
  call void @kc.decref(ptr %v2)
  %t100 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t100
  call void @kc.decref(ptr %v3)
  %t101 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t101
  call void @kc.decref(ptr %v8)
  %t102 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t102
  ret i32 1
ok20:
  %t103 = icmp slt i64 %t87, 0
  %t104 = add i64 %t87, %t93
  %t105 = select i1 %t103, i64 %t104, i64 %t87
  %t106 = icmp uge i64 %t105, %t93
  br i1 %t106, label %raise21, label %ok22, !prof !1
raise21:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t107 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t107
  call void @kc.decref(ptr %v1)
  %t108 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t108
  call void @kc.decref(ptr %v2)
  %t109 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t109
  call void @kc.decref(ptr %v3)
  %t110 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t110
  call void @kc.decref(ptr %v8)
  %t111 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t111
  ret i32 1
ok22:
  %t112 = mul nsw i64 %t105, %t91
  %t113 = add nsw i64 %t112, %t96
  %t114 = getelementptr inbounds double, ptr %t89, i64 %t113
  %t115 = load double, ptr %t114
  %t116 = fadd double %t85, %t115
  %t117 = sub i64 0, 1
  %t118 = load i64, ptr %v6
  %t119 = sub i64 0, %t118
  %t120 = getelementptr inbounds i8, ptr %v1, i64 0
  %t121 = load ptr, ptr %t120, align 8
  %t122 = getelementptr inbounds i8, ptr %v1, i64 16
  %t123 = load i64, ptr %t122, align 8
  %t124 = getelementptr inbounds i8, ptr %v1, i64 24
  %t125 = load i64, ptr %t124, align 8
  %t126 = icmp slt i64 %t117, 0
  %t127 = add i64 %t117, %t123
  %t128 = select i1 %t126, i64 %t127, i64 %t117
  %t129 = icmp uge i64 %t128, %t123
  br i1 %t129, label %raise23, label %ok24, !prof !1
raise23:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t130 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t130
  call void @kc.decref(ptr %v1)
  %t131 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t131
  call void @kc.decref(ptr %v2)
  %t132 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t132
  call void @kc.decref(ptr %v3)
  %t133 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t133
  call void @kc.decref(ptr %v8)
  %t134 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t134
  ret i32 1
ok24:
  %t135 = icmp slt i64 %t119, 0
  %t136 = add i64 %t119, %t125
  %t137 = select i1 %t135, i64 %t136, i64 %t119
  %t138 = icmp uge i64 %t137, %t125
  br i1 %t138, label %raise25, label %ok26, !prof !1
raise25:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t139 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t139
  call void @kc.decref(ptr %v1)
  %t140 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t140
  call void @kc.decref(ptr %v2)
  %t141 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t141
  call void @kc.decref(ptr %v3)
  %t142 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t142
  call void @kc.decref(ptr %v8)
  %t143 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t143
  ret i32 1
ok26:
  %t144 = mul nsw i64 %t128, %t125
  %t145 = add nsw i64 %t144, %t137
  %t146 = getelementptr inbounds double, ptr %t121, i64 %t145
  %t147 = load double, ptr %t146
  %t148 = fadd double %t116, %t147
  %t149 = fadd double %t17, %t148
  store double %t149, ptr %v4
  br label %for.latch8
for.latch8:
  %t150 = load i64, ptr %t13
  %t151 = add nuw nsw i64 %t150, 1
  store i64 %t151, ptr %t13
  br label %for.cond6
for.else9:
  br label %for.end10
for.end10:
  br label %for.latch3
for.latch3:
  %t152 = load i64, ptr %t5
  %t153 = add nuw nsw i64 %t152, 1
  store i64 %t153, ptr %t5
  br label %for.cond1
for.else4:
  br label %for.end5
for.end5:
  %t154 = load double, ptr %v4
  %t155 = getelementptr inbounds i8, ptr %v3, i64 0
  %t156 = load ptr, ptr %t155, align 8
  %t157 = getelementptr inbounds i8, ptr %v3, i64 16
  %t158 = load i64, ptr %t157, align 8
  %t159 = icmp slt i64 0, 0
  %t160 = add i64 0, %t158
  %t161 = select i1 %t159, i64 %t160, i64 0
  %t162 = icmp uge i64 %t161, %t158
  br i1 %t162, label %raise27, label %ok28, !prof !1
raise27:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t163 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t163
  call void @kc.decref(ptr %v1)
  %t164 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t164
  call void @kc.decref(ptr %v2)
  %t165 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t165
  call void @kc.decref(ptr %v3)
  %t166 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t166
  call void @kc.decref(ptr %v8)
  %t167 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t167
  ret i32 1
ok28:
  %t168 = getelementptr inbounds i8, ptr %v3, i64 80
  %t169 = load i64, ptr %t168, align 8
  %t170 = sdiv exact i64 %t169, 8
  %t171 = mul nsw i64 %t161, %t170
  %t172 = getelementptr inbounds double, ptr %t156, i64 %t171
  store double %t154, ptr %t172
  %t173 = sub i64 0, 1
  store i64 %t173, ptr %v7
  %t174 = load i64, ptr %v7
  %t175 = getelementptr inbounds i8, ptr %v3, i64 0
  %t176 = load ptr, ptr %t175, align 8
  %t177 = getelementptr inbounds i8, ptr %v3, i64 16
  %t178 = load i64, ptr %t177, align 8
  %t179 = icmp slt i64 %t174, 0
  %t180 = add i64 %t174, %t178
  %t181 = select i1 %t179, i64 %t180, i64 %t174
  %t182 = icmp uge i64 %t181, %t178
  br i1 %t182, label %raise29, label %ok30, !prof !1
raise29:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t183 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t183
  call void @kc.decref(ptr %v1)
  %t184 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t184
  call void @kc.decref(ptr %v2)
  %t185 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t185
  call void @kc.decref(ptr %v3)
  %t186 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t186
  call void @kc.decref(ptr %v8)
  %t187 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t187
  ret i32 1
ok30:
  %t188 = getelementptr inbounds i8, ptr %v3, i64 80
  %t189 = load i64, ptr %t188, align 8
  %t190 = sdiv exact i64 %t189, 8
  %t191 = mul nsw i64 %t181, %t190
  %t192 = getelementptr inbounds double, ptr %t176, i64 %t191
  %t193 = load double, ptr %t192
  %t194 = getelementptr inbounds i8, ptr %v3, i64 16
  %t195 = load i64, ptr %t194, align 8
  %t196 = getelementptr inbounds i8, ptr %v3, i64 16
  %t197 = load i64, ptr %t196, align 8
  %t198 = add i64 %t195, %t197
  %t199 = add i64 %t198, 1
  %t200 = sitofp i64 %t199 to double
  %t201 = fadd double %t193, %t200
  %t202 = load i64, ptr %v7
  %t203 = getelementptr inbounds i8, ptr %v3, i64 0
  %t204 = load ptr, ptr %t203, align 8
  %t205 = getelementptr inbounds i8, ptr %v3, i64 16
  %t206 = load i64, ptr %t205, align 8
  %t207 = icmp slt i64 %t202, 0
  %t208 = add i64 %t202, %t206
  %t209 = select i1 %t207, i64 %t208, i64 %t202
  %t210 = icmp uge i64 %t209, %t206
  br i1 %t210, label %raise31, label %ok32, !prof !1
raise31:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t211 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t211
  call void @kc.decref(ptr %v1)
  %t212 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t212
  call void @kc.decref(ptr %v2)
  %t213 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t213
  call void @kc.decref(ptr %v3)
  %t214 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t214
  call void @kc.decref(ptr %v8)
  %t215 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t215
  ret i32 1
ok32:
  %t216 = getelementptr inbounds i8, ptr %v3, i64 80
  %t217 = load i64, ptr %t216, align 8
  %t218 = sdiv exact i64 %t217, 8
  %t219 = mul nsw i64 %t209, %t218
  %t220 = getelementptr inbounds double, ptr %t204, i64 %t219
  store double %t201, ptr %t220
  call void @kc.incref(ptr %v3)
  call void @kc.decref(ptr %v8)
  %t221 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t221
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v8, ptr align 8 %v3, i64 160, i1 false)
  store i64 0, ptr %v9
  %t222 = getelementptr inbounds i8, ptr %v8, i64 16
  %t223 = load i64, ptr %t222, align 8
  %t224 = sub i64 %t223, 0
  %t225 = call i64 @llvm.smax.i64(i64 %t224, i64 0)
  store i64 0, ptr %t226
  br label %for.cond33
for.cond33:
  %t227 = load i64, ptr %t226
  %t228 = icmp slt i64 %t227, %t225
  br i1 %t228, label %for.body34, label %for.else36
for.body34:
  %t229 = add nsw i64 0, %t227
  store i64 %t229, ptr %v9
  %t230 = load i64, ptr %v9
  %t231 = getelementptr inbounds i8, ptr %v8, i64 0
  %t232 = load ptr, ptr %t231, align 8
  %t233 = getelementptr inbounds i8, ptr %v8, i64 16
  %t234 = load i64, ptr %t233, align 8
  %t235 = icmp slt i64 %t230, 0
  %t236 = add i64 %t230, %t234
  %t237 = select i1 %t235, i64 %t236, i64 %t230
  %t238 = icmp uge i64 %t237, %t234
  br i1 %t238, label %raise38, label %ok39, !prof !1
raise38:
  store ptr @.exc.0, ptr %exc
  call void @kc.decref(ptr %v0)
  %t239 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t239
  call void @kc.decref(ptr %v1)
  %t240 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t240
  call void @kc.decref(ptr %v2)
  %t241 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t241
  call void @kc.decref(ptr %v3)
  %t242 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t242
  call void @kc.decref(ptr %v8)
  %t243 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t243
  ret i32 1
ok39:
  %t244 = getelementptr inbounds i8, ptr %v8, i64 80
  %t245 = load i64, ptr %t244, align 8
  %t246 = sdiv exact i64 %t245, 8
  %t247 = mul nsw i64 %t237, %t246
  %t248 = getelementptr inbounds double, ptr %t232, i64 %t247
  %t249 = load double, ptr %t248
  store double %t249, ptr %v10
  %t250 = load double, ptr %v4
  %t251 = load double, ptr %v10
  %t252 = fadd double %t250, %t251
  store double %t252, ptr %v4
  br label %for.latch35
for.latch35:
  %t253 = load i64, ptr %t226
  %t254 = add nuw nsw i64 %t253, 1
  store i64 %t254, ptr %t226
  br label %for.cond33
for.else36:
  br label %for.end37
for.end37:
  %t255 = load double, ptr %v4
  store double %t255, ptr %ret
  call void @kc.decref(ptr %v0)
  %t256 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t256
  call void @kc.decref(ptr %v1)
  %t257 = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %t257
  call void @kc.decref(ptr %v2)
  %t258 = getelementptr inbounds i8, ptr %v2, i64 152
  store ptr null, ptr %t258
  call void @kc.decref(ptr %v3)
  %t259 = getelementptr inbounds i8, ptr %v3, i64 152
  store ptr null, ptr %t259
  call void @kc.decref(ptr %v8)
  %t260 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t260
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
  %v7 = icmp uge i64 %ver, 7
  br i1 %v7, label %v7.fields, label %done
v7.fields:
  %sfp = getelementptr inbounds i8, ptr %host, i64 184
  %sf = load ptr, ptr %sfp
  store ptr %sf, ptr @kc_host_stack_floor
  %sop = getelementptr inbounds i8, ptr %host, i64 192
  %so = load ptr, ptr %sop
  store ptr %so, ptr @kc_host_set_op
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
