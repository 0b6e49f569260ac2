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

define internal i32 @"f[array(float64,1,A)]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, ptr noalias nocapture readonly nonnull align 8 dereferenceable(160) %p0) #3 {
entry:
  %v0 = alloca %kc.array, align 8
  %v0.o = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %v0.o
  %v1 = alloca double
  store double zeroinitializer, ptr %v1
  %v2 = alloca double
  store double zeroinitializer, ptr %v2
  %v3 = alloca double
  store double zeroinitializer, ptr %v3
  %v4 = alloca i64
  store i64 zeroinitializer, ptr %v4
  %v5 = alloca i64
  store i64 zeroinitializer, ptr %v5
  %t18 = alloca [10 x ptr]
  %t19 = alloca i64
  %t20 = alloca i64
  %t34 = alloca i64
  %t43 = alloca i32
  %t51 = alloca i64
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v0, ptr align 8 %p0, i64 160, i1 false)
  call void @kc.incref(ptr %v0)
  store double 0x0000000000000000, ptr %v1
  store double 0x3FF0000000000000, ptr %v2
  %t1 = getelementptr inbounds i8, ptr %v0, i64 0
  %t2 = load ptr, ptr %t1, align 8
  %t3 = getelementptr inbounds i8, ptr %v0, i64 16
  %t4 = load i64, ptr %t3, align 8
  %t5 = icmp slt i64 0, 0
  %t6 = add i64 0, %t4
  %t7 = select i1 %t5, i64 %t6, i64 0
  %t8 = getelementptr inbounds i8, ptr %v0, i64 80
  %t9 = load i64, ptr %t8, align 8
  %t10 = sdiv exact i64 %t9, 8
  %t11 = mul nsw i64 %t7, %t10
  %t12 = getelementptr inbounds double, ptr %t2, i64 %t11
  %t13 = load double, ptr %t12
  store double %t13, ptr %v3
  store i64 0, ptr %v4
  %t14 = getelementptr inbounds i8, ptr %v0, i64 16
  %t15 = load i64, ptr %t14, align 8
  %t16 = sub i64 %t15, 0
  %t17 = call i64 @llvm.smax.i64(i64 %t16, i64 0)
  store i64 0, ptr %t19
  store i64 1, ptr %t20
  %t21 = getelementptr inbounds ptr, ptr %t18, i64 0
  store ptr %v0, ptr %t21
  %t22 = getelementptr inbounds ptr, ptr %t18, i64 1
  store ptr %v1, ptr %t22
  %t23 = getelementptr inbounds ptr, ptr %t18, i64 2
  store ptr %v2, ptr %t23
  %t24 = getelementptr inbounds ptr, ptr %t18, i64 3
  store ptr %v3, ptr %t24
  %t25 = getelementptr inbounds ptr, ptr %t18, i64 4
  store ptr %v4, ptr %t25
  %t26 = getelementptr inbounds ptr, ptr %t18, i64 5
  store ptr %v5, ptr %t26
  %t27 = getelementptr inbounds ptr, ptr %t18, i64 6
  store ptr %t19, ptr %t27
  %t28 = getelementptr inbounds ptr, ptr %t18, i64 7
  store ptr %t20, ptr %t28
  %t29 = getelementptr inbounds ptr, ptr %t18, i64 9
  store ptr %exc, ptr %t29
  %t30 = sdiv i64 %t17, 4096
  %t31 = load ptr, ptr @kc_host_parallel_for
  %t32 = load ptr, ptr @kc_host_num_threads
  %t33 = icmp ne ptr %t31, null
  store i64 1, ptr %t34
  br i1 %t33, label %par.threads1, label %par.go2
par.threads1:
  %t35 = call i64 %t32()
  store i64 %t35, ptr %t34
  br label %par.go2
par.go2:
  %t36 = load i64, ptr %t34
  %t37 = call i64 @llvm.smin.i64(i64 %t36, i64 %t30)
  %t38 = call i64 @llvm.smax.i64(i64 %t37, i64 1)
  %t39 = call ptr @llvm.stacksave.p0()
  %t40 = mul i64 %t38, 4
  %t41 = alloca i64, i64 %t40, align 8
  %t42 = getelementptr inbounds ptr, ptr %t18, i64 8
  store ptr %t41, ptr %t42
  %t44 = icmp sgt i64 %t38, 1
  %t45 = and i1 %t33, %t44
  br i1 %t45, label %par.pool3, label %par.alone4
par.pool3:
  %t46 = call i32 %t31(ptr @"f[array(float64,1,A)].prange1", ptr %t18, i64 %t17, i64 %t38)
  store i32 %t46, ptr %t43
  br label %par.done5
par.alone4:
  %t47 = call i32 @"f[array(float64,1,A)].prange1"(ptr %t18, i64 0, i64 %t17, i64 0)
  store i32 %t47, ptr %t43
  br label %par.done5
par.done5:
  %t48 = load i32, ptr %t43
  %t49 = icmp ne i32 %t48, 0
  br i1 %t49, label %par.raise6, label %par.ok7
par.raise6:
  call void @llvm.stackrestore.p0(ptr %t39)
  call void @kc.decref(ptr %v0)
  %t50 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t50
  ret i32 %t48
par.ok7:
  store i64 0, ptr %t51
  br label %par.combine8
par.combine8:
  %t52 = load i64, ptr %t51
  %t53 = icmp slt i64 %t52, %t38
  br i1 %t53, label %par.combine.body9, label %par.combine.end10
par.combine.body9:
  %t54 = mul i64 %t52, 4
  %t55 = add i64 %t54, 0
  %t56 = getelementptr inbounds i64, ptr %t41, i64 %t55
  %t57 = load double, ptr %t56
  %t58 = load double, ptr %v1
  %t59 = fadd double %t58, %t57
  store double %t59, ptr %v1
  %t60 = mul i64 %t52, 4
  %t61 = add i64 %t60, 1
  %t62 = getelementptr inbounds i64, ptr %t41, i64 %t61
  %t63 = load double, ptr %t62
  %t64 = load double, ptr %v2
  %t65 = fmul double %t64, %t63
  store double %t65, ptr %v2
  %t66 = mul i64 %t52, 4
  %t67 = add i64 %t66, 2
  %t68 = getelementptr inbounds i64, ptr %t41, i64 %t67
  %t69 = load double, ptr %t68
  %t70 = load double, ptr %v3
  %t71 = fcmp ogt double %t69, %t70
  %t72 = select i1 %t71, double %t69, double %t70
  store double %t72, ptr %v3
  %t73 = mul i64 %t52, 4
  %t74 = add i64 %t73, 3
  %t75 = getelementptr inbounds i64, ptr %t41, i64 %t74
  %t76 = load i64, ptr %t75
  %t77 = load i64, ptr %v4
  %t78 = add i64 %t77, %t76
  store i64 %t78, ptr %v4
  %t79 = add i64 %t52, 1
  store i64 %t79, ptr %t51
  br label %par.combine8
par.combine.end10:
  call void @llvm.stackrestore.p0(ptr %t39)
  %t80 = icmp sgt i64 %t17, 0
  %t81 = sub i64 %t17, 1
  %t82 = mul i64 %t81, 1
  %t83 = add i64 0, %t82
  %t84 = load i64, ptr %v5
  %t85 = select i1 %t80, i64 %t83, i64 %t84
  store i64 %t85, ptr %v5
  %t162 = load double, ptr %v1
  %t163 = load double, ptr %v2
  %t164 = fadd double %t162, %t163
  %t165 = load double, ptr %v3
  %t166 = fadd double %t164, %t165
  %t167 = load i64, ptr %v4
  %t168 = sitofp i64 %t167 to double
  %t169 = fadd double %t166, %t168
  store double %t169, ptr %ret
  call void @kc.decref(ptr %v0)
  %t170 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t170
  ret i32 0
}

define internal i32 @"f[array(float64,1,A)].prange1"(ptr nocapture readonly %ctx, i64 %lo, i64 %hi, i64 %chunk) #0 {
entry:
  %v0 = alloca %kc.array, align 8
  %cp0 = getelementptr inbounds ptr, ptr %ctx, i64 0
  %pp0 = load ptr, ptr %cp0
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v0, ptr align 8 %pp0, i64 160, i1 false)
  %v0.o = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %v0.o
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
  %t86 = alloca i64
  store i64 %lo, ptr %t86
  br label %for.cond11
for.cond11:
  %t87 = load i64, ptr %t86
  %t88 = icmp slt i64 %t87, %hi
  br i1 %t88, label %for.body12, label %for.else14
for.body12:
  %t89 = add nsw i64 %start, %t87
  store i64 %t89, ptr %v5
  %t90 = load double, ptr %v1
  %t91 = load i64, ptr %v5
  %t92 = getelementptr inbounds i8, ptr %v0, i64 0
  %t93 = load ptr, ptr %t92, align 8
  %t94 = getelementptr inbounds i8, ptr %v0, i64 16
  %t95 = load i64, ptr %t94, align 8
  %t96 = icmp slt i64 %t91, 0
  %t97 = add i64 %t91, %t95
  %t98 = select i1 %t96, i64 %t97, i64 %t91
  %t99 = getelementptr inbounds i8, ptr %v0, i64 80
  %t100 = load i64, ptr %t99, align 8
  %t101 = sdiv exact i64 %t100, 8
  %t102 = mul nsw i64 %t98, %t101
  %t103 = getelementptr inbounds double, ptr %t93, i64 %t102
  %t104 = load double, ptr %t103
  %t105 = fadd reassoc double %t90, %t104
  store double %t105, ptr %v1
  %t106 = load double, ptr %v2
  %t107 = load i64, ptr %v5
  %t108 = getelementptr inbounds i8, ptr %v0, i64 0
  %t109 = load ptr, ptr %t108, align 8
  %t110 = getelementptr inbounds i8, ptr %v0, i64 16
  %t111 = load i64, ptr %t110, align 8
  %t112 = icmp slt i64 %t107, 0
  %t113 = add i64 %t107, %t111
  %t114 = select i1 %t112, i64 %t113, i64 %t107
  %t115 = getelementptr inbounds i8, ptr %v0, i64 80
  %t116 = load i64, ptr %t115, align 8
  %t117 = sdiv exact i64 %t116, 8
  %t118 = mul nsw i64 %t114, %t117
  %t119 = getelementptr inbounds double, ptr %t109, i64 %t118
  %t120 = load double, ptr %t119
  %t121 = fmul reassoc double %t106, %t120
  store double %t121, ptr %v2
  %t122 = load double, ptr %v3
  %t123 = load i64, ptr %v5
  %t124 = getelementptr inbounds i8, ptr %v0, i64 0
  %t125 = load ptr, ptr %t124, align 8
  %t126 = getelementptr inbounds i8, ptr %v0, i64 16
  %t127 = load i64, ptr %t126, align 8
  %t128 = icmp slt i64 %t123, 0
  %t129 = add i64 %t123, %t127
  %t130 = select i1 %t128, i64 %t129, i64 %t123
  %t131 = getelementptr inbounds i8, ptr %v0, i64 80
  %t132 = load i64, ptr %t131, align 8
  %t133 = sdiv exact i64 %t132, 8
  %t134 = mul nsw i64 %t130, %t133
  %t135 = getelementptr inbounds double, ptr %t125, i64 %t134
  %t136 = load double, ptr %t135
  %t137 = fcmp ogt double %t136, %t122
  %t138 = select i1 %t137, double %t136, double %t122
  store double %t138, ptr %v3
  %t139 = load i64, ptr %v4
  %t140 = add i64 %t139, 1
  store i64 %t140, ptr %v4
  br label %for.latch13
for.latch13:
  %t141 = load i64, ptr %t86
  %t142 = add nuw nsw i64 %t141, 1
  store i64 %t142, ptr %t86
  br label %for.cond11
for.else14:
  br label %for.end15
for.end15:
  %t143 = getelementptr inbounds ptr, ptr %ctx, i64 8
  %t144 = load ptr, ptr %t143
  %t145 = mul i64 %chunk, 4
  %t146 = add i64 %t145, 0
  %t147 = getelementptr inbounds i64, ptr %t144, i64 %t146
  %t148 = load double, ptr %v1
  store double %t148, ptr %t147
  %t149 = mul i64 %chunk, 4
  %t150 = add i64 %t149, 1
  %t151 = getelementptr inbounds i64, ptr %t144, i64 %t150
  %t152 = load double, ptr %v2
  store double %t152, ptr %t151
  %t153 = mul i64 %chunk, 4
  %t154 = add i64 %t153, 2
  %t155 = getelementptr inbounds i64, ptr %t144, i64 %t154
  %t156 = load double, ptr %v3
  store double %t156, ptr %t155
  %t157 = mul i64 %chunk, 4
  %t158 = add i64 %t157, 3
  %t159 = getelementptr inbounds i64, ptr %t144, i64 %t158
  %t160 = load i64, ptr %v4
  store i64 %t160, ptr %t159
  call void @kc.decref(ptr %v0)
  %t161 = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %t161
  ret i32 0
}

define dso_local double @"kc_entry_f"(ptr %a0) #0 {
entry:
  %retslot = alloca double, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %d0 = alloca %kc.array, align 8
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d0, ptr align 8 %a0, i64 152, i1 false)
  %d0.o = getelementptr inbounds i8, ptr %d0, i64 152
  store ptr null, ptr %d0.o
  %st = call i32 @"f[array(float64,1,A)]"(ptr %retslot, ptr %exc, ptr %d0)
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
  %st = call i32 @"f[array(float64,1,A)]"(ptr %retslot, ptr %exc, ptr %d0)
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
declare i64 @llvm.smin.i64(i64, i64)
declare ptr @llvm.stacksave.p0()
declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)
declare void @llvm.memset.p0.i64(ptr nocapture writeonly, i8, i64, i1)
declare void @llvm.stackrestore.p0(ptr)
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
