; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_host_parallel_for = internal global ptr null
@kc_host_num_threads = internal global ptr null
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
  %t50 = alloca i64
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v0, ptr align 8 %p0, i64 160, i1 false)
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
  ret i32 %t48
par.ok7:
  store i64 0, ptr %t50
  br label %par.combine8
par.combine8:
  %t51 = load i64, ptr %t50
  %t52 = icmp slt i64 %t51, %t38
  br i1 %t52, label %par.combine.body9, label %par.combine.end10
par.combine.body9:
  %t53 = mul i64 %t51, 4
  %t54 = add i64 %t53, 0
  %t55 = getelementptr inbounds i64, ptr %t41, i64 %t54
  %t56 = load double, ptr %t55
  %t57 = load double, ptr %v1
  %t58 = fadd double %t57, %t56
  store double %t58, ptr %v1
  %t59 = mul i64 %t51, 4
  %t60 = add i64 %t59, 1
  %t61 = getelementptr inbounds i64, ptr %t41, i64 %t60
  %t62 = load double, ptr %t61
  %t63 = load double, ptr %v2
  %t64 = fmul double %t63, %t62
  store double %t64, ptr %v2
  %t65 = mul i64 %t51, 4
  %t66 = add i64 %t65, 2
  %t67 = getelementptr inbounds i64, ptr %t41, i64 %t66
  %t68 = load double, ptr %t67
  %t69 = load double, ptr %v3
  %t70 = fcmp ogt double %t68, %t69
  %t71 = select i1 %t70, double %t68, double %t69
  store double %t71, ptr %v3
  %t72 = mul i64 %t51, 4
  %t73 = add i64 %t72, 3
  %t74 = getelementptr inbounds i64, ptr %t41, i64 %t73
  %t75 = load i64, ptr %t74
  %t76 = load i64, ptr %v4
  %t77 = add i64 %t76, %t75
  store i64 %t77, ptr %v4
  %t78 = add i64 %t51, 1
  store i64 %t78, ptr %t50
  br label %par.combine8
par.combine.end10:
  call void @llvm.stackrestore.p0(ptr %t39)
  %t79 = icmp sgt i64 %t17, 0
  %t80 = sub i64 %t17, 1
  %t81 = mul i64 %t80, 1
  %t82 = add i64 0, %t81
  %t83 = load i64, ptr %v5
  %t84 = select i1 %t79, i64 %t82, i64 %t83
  store i64 %t84, ptr %v5
  %t160 = load double, ptr %v1
  %t161 = load double, ptr %v2
  %t162 = fadd double %t160, %t161
  %t163 = load double, ptr %v3
  %t164 = fadd double %t162, %t163
  %t165 = load i64, ptr %v4
  %t166 = sitofp i64 %t165 to double
  %t167 = fadd double %t164, %t166
  store double %t167, ptr %ret
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
  %t85 = alloca i64
  store i64 %lo, ptr %t85
  br label %for.cond11
for.cond11:
  %t86 = load i64, ptr %t85
  %t87 = icmp slt i64 %t86, %hi
  br i1 %t87, label %for.body12, label %for.else14
for.body12:
  %t88 = add nsw i64 %start, %t86
  store i64 %t88, ptr %v5
  %t89 = load double, ptr %v1
  %t90 = load i64, ptr %v5
  %t91 = getelementptr inbounds i8, ptr %v0, i64 0
  %t92 = load ptr, ptr %t91, align 8
  %t93 = getelementptr inbounds i8, ptr %v0, i64 16
  %t94 = load i64, ptr %t93, align 8
  %t95 = icmp slt i64 %t90, 0
  %t96 = add i64 %t90, %t94
  %t97 = select i1 %t95, i64 %t96, i64 %t90
  %t98 = getelementptr inbounds i8, ptr %v0, i64 80
  %t99 = load i64, ptr %t98, align 8
  %t100 = sdiv exact i64 %t99, 8
  %t101 = mul nsw i64 %t97, %t100
  %t102 = getelementptr inbounds double, ptr %t92, i64 %t101
  %t103 = load double, ptr %t102
  %t104 = fadd reassoc double %t89, %t103
  store double %t104, ptr %v1
  %t105 = load double, ptr %v2
  %t106 = load i64, ptr %v5
  %t107 = getelementptr inbounds i8, ptr %v0, i64 0
  %t108 = load ptr, ptr %t107, align 8
  %t109 = getelementptr inbounds i8, ptr %v0, i64 16
  %t110 = load i64, ptr %t109, align 8
  %t111 = icmp slt i64 %t106, 0
  %t112 = add i64 %t106, %t110
  %t113 = select i1 %t111, i64 %t112, i64 %t106
  %t114 = getelementptr inbounds i8, ptr %v0, i64 80
  %t115 = load i64, ptr %t114, align 8
  %t116 = sdiv exact i64 %t115, 8
  %t117 = mul nsw i64 %t113, %t116
  %t118 = getelementptr inbounds double, ptr %t108, i64 %t117
  %t119 = load double, ptr %t118
  %t120 = fmul reassoc double %t105, %t119
  store double %t120, ptr %v2
  %t121 = load double, ptr %v3
  %t122 = load i64, ptr %v5
  %t123 = getelementptr inbounds i8, ptr %v0, i64 0
  %t124 = load ptr, ptr %t123, align 8
  %t125 = getelementptr inbounds i8, ptr %v0, i64 16
  %t126 = load i64, ptr %t125, align 8
  %t127 = icmp slt i64 %t122, 0
  %t128 = add i64 %t122, %t126
  %t129 = select i1 %t127, i64 %t128, i64 %t122
  %t130 = getelementptr inbounds i8, ptr %v0, i64 80
  %t131 = load i64, ptr %t130, align 8
  %t132 = sdiv exact i64 %t131, 8
  %t133 = mul nsw i64 %t129, %t132
  %t134 = getelementptr inbounds double, ptr %t124, i64 %t133
  %t135 = load double, ptr %t134
  %t136 = fcmp ogt double %t135, %t121
  %t137 = select i1 %t136, double %t135, double %t121
  store double %t137, ptr %v3
  %t138 = load i64, ptr %v4
  %t139 = add i64 %t138, 1
  store i64 %t139, ptr %v4
  br label %for.latch13
for.latch13:
  %t140 = load i64, ptr %t85
  %t141 = add nuw nsw i64 %t140, 1
  store i64 %t141, ptr %t85
  br label %for.cond11
for.else14:
  br label %for.end15
for.end15:
  %t142 = getelementptr inbounds ptr, ptr %ctx, i64 8
  %t143 = load ptr, ptr %t142
  %t144 = mul i64 %chunk, 4
  %t145 = add i64 %t144, 0
  %t146 = getelementptr inbounds i64, ptr %t143, i64 %t145
  %t147 = load double, ptr %v1
  store double %t147, ptr %t146
  %t148 = mul i64 %chunk, 4
  %t149 = add i64 %t148, 1
  %t150 = getelementptr inbounds i64, ptr %t143, i64 %t149
  %t151 = load double, ptr %v2
  store double %t151, ptr %t150
  %t152 = mul i64 %chunk, 4
  %t153 = add i64 %t152, 2
  %t154 = getelementptr inbounds i64, ptr %t143, i64 %t153
  %t155 = load double, ptr %v3
  store double %t155, ptr %t154
  %t156 = mul i64 %chunk, 4
  %t157 = add i64 %t156, 3
  %t158 = getelementptr inbounds i64, ptr %t143, i64 %t157
  %t159 = load i64, ptr %v4
  store i64 %t159, ptr %t158
  ret i32 0
}

define dso_local double @"kc_entry_f"(ptr %a0) #0 {
entry:
  %retslot = alloca double, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %d0 = alloca %kc.array, align 8
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d0, ptr align 8 %a0, i64 152, i1 false)
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
  call void @llvm.memcpy.inline.p0.p0.i64(ptr align 8 %d0, ptr align 8 %pp0, i64 152, i1 false)
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

define dso_local void @kc_module_init(ptr nocapture readonly %host) #5 {
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
declare void @llvm.memcpy.inline.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64 immarg, i1 immarg)
declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)
declare void @llvm.memset.inline.p0.i64(ptr nocapture writeonly, i8, i64 immarg, i1 immarg)
declare void @llvm.stackrestore.p0(ptr)

attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
attributes #4 = { nobuiltin nounwind willreturn memory(none) }
attributes #5 = { nounwind noinline optnone }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
!3 = !{!"llvm.loop.unroll.runtime.disable"}
