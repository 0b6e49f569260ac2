; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_host_release = internal global ptr null
@kc_module_abi = dso_local constant i64 4

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
  %t160 = alloca i64
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
  %t29 = icmp slt i64 %t19, 0
  %t30 = add i64 %t19, %t25
  %t31 = select i1 %t29, i64 %t30, i64 %t19
  %t32 = getelementptr inbounds i8, ptr %v0, i64 80
  %t33 = load i64, ptr %t32, align 8
  %t34 = sdiv exact i64 %t33, 8
  %t35 = mul nsw i64 %t28, %t34
  %t36 = getelementptr inbounds i8, ptr %v0, i64 88
  %t37 = load i64, ptr %t36, align 8
  %t38 = sdiv exact i64 %t37, 8
  %t39 = mul nsw i64 %t31, %t38
  %t40 = add nsw i64 %t35, %t39
  %t41 = getelementptr inbounds double, ptr %t21, i64 %t40
  %t42 = load double, ptr %t41
  %t43 = load i64, ptr %v5
  %t44 = load i64, ptr %v6
  %t45 = getelementptr inbounds i8, ptr %v1, i64 0
  %t46 = load ptr, ptr %t45, align 8
  %t47 = getelementptr inbounds i8, ptr %v1, i64 16
  %t48 = load i64, ptr %t47, align 8
  %t49 = getelementptr inbounds i8, ptr %v1, i64 24
  %t50 = load i64, ptr %t49, align 8
  %t51 = icmp slt i64 %t43, 0
  %t52 = add i64 %t43, %t48
  %t53 = select i1 %t51, i64 %t52, i64 %t43
  %t54 = icmp slt i64 %t44, 0
  %t55 = add i64 %t44, %t50
  %t56 = select i1 %t54, i64 %t55, i64 %t44
  %t57 = mul nsw i64 %t53, %t50
  %t58 = add nsw i64 %t57, %t56
  %t59 = getelementptr inbounds double, ptr %t46, i64 %t58
  %t60 = load double, ptr %t59
  %t61 = fadd double %t42, %t60
  %t62 = load i64, ptr %v5
  %t63 = load i64, ptr %v6
  %t64 = getelementptr inbounds i8, ptr %v2, i64 0
  %t65 = load ptr, ptr %t64, align 8
  %t66 = getelementptr inbounds i8, ptr %v2, i64 16
  %t67 = load i64, ptr %t66, align 8
  %t68 = getelementptr inbounds i8, ptr %v2, i64 24
  %t69 = load i64, ptr %t68, align 8
  %t70 = icmp slt i64 %t62, 0
  %t71 = add i64 %t62, %t67
  %t72 = select i1 %t70, i64 %t71, i64 %t62
  %t73 = icmp slt i64 %t63, 0
  %t74 = add i64 %t63, %t69
  %t75 = select i1 %t73, i64 %t74, i64 %t63
  %t76 = mul nsw i64 %t75, %t67
  %t77 = add nsw i64 %t76, %t72
  %t78 = getelementptr inbounds double, ptr %t65, i64 %t77
  %t79 = load double, ptr %t78
  %t80 = fadd double %t61, %t79
  %t81 = sub i64 0, 1
  %t82 = load i64, ptr %v6
  %t83 = sub i64 0, %t82
  %t84 = getelementptr inbounds i8, ptr %v1, i64 0
  %t85 = load ptr, ptr %t84, align 8
  %t86 = getelementptr inbounds i8, ptr %v1, i64 16
  %t87 = load i64, ptr %t86, align 8
  %t88 = getelementptr inbounds i8, ptr %v1, i64 24
  %t89 = load i64, ptr %t88, align 8
  %t90 = icmp slt i64 %t81, 0
  %t91 = add i64 %t81, %t87
  %t92 = select i1 %t90, i64 %t91, i64 %t81
  %t93 = icmp slt i64 %t83, 0
  %t94 = add i64 %t83, %t89
  %t95 = select i1 %t93, i64 %t94, i64 %t83
  %t96 = mul nsw i64 %t92, %t89
  %t97 = add nsw i64 %t96, %t95
  %t98 = getelementptr inbounds double, ptr %t85, i64 %t97
  %t99 = load double, ptr %t98
  %t100 = fadd double %t80, %t99
  %t101 = fadd double %t17, %t100
  store double %t101, ptr %v4
  br label %for.latch8
for.latch8:
  %t102 = load i64, ptr %t13
  %t103 = add nuw nsw i64 %t102, 1
  store i64 %t103, ptr %t13
  br label %for.cond6, !llvm.loop !100
for.else9:
  br label %for.end10
for.end10:
  br label %for.latch3
for.latch3:
  %t104 = load i64, ptr %t5
  %t105 = add nuw nsw i64 %t104, 1
  store i64 %t105, ptr %t5
  br label %for.cond1
for.else4:
  br label %for.end5
for.end5:
  %t106 = load double, ptr %v4
  %t107 = getelementptr inbounds i8, ptr %v3, i64 0
  %t108 = load ptr, ptr %t107, align 8
  %t109 = getelementptr inbounds i8, ptr %v3, i64 16
  %t110 = load i64, ptr %t109, align 8
  %t111 = icmp slt i64 0, 0
  %t112 = add i64 0, %t110
  %t113 = select i1 %t111, i64 %t112, i64 0
  %t114 = getelementptr inbounds i8, ptr %v3, i64 80
  %t115 = load i64, ptr %t114, align 8
  %t116 = sdiv exact i64 %t115, 8
  %t117 = mul nsw i64 %t113, %t116
  %t118 = getelementptr inbounds double, ptr %t108, i64 %t117
  store double %t106, ptr %t118
  %t119 = sub i64 0, 1
  store i64 %t119, ptr %v7
  %t120 = load i64, ptr %v7
  %t121 = getelementptr inbounds i8, ptr %v3, i64 0
  %t122 = load ptr, ptr %t121, align 8
  %t123 = getelementptr inbounds i8, ptr %v3, i64 16
  %t124 = load i64, ptr %t123, align 8
  %t125 = icmp slt i64 %t120, 0
  %t126 = add i64 %t120, %t124
  %t127 = select i1 %t125, i64 %t126, i64 %t120
  %t128 = getelementptr inbounds i8, ptr %v3, i64 80
  %t129 = load i64, ptr %t128, align 8
  %t130 = sdiv exact i64 %t129, 8
  %t131 = mul nsw i64 %t127, %t130
  %t132 = getelementptr inbounds double, ptr %t122, i64 %t131
  %t133 = load double, ptr %t132
  %t134 = getelementptr inbounds i8, ptr %v3, i64 16
  %t135 = load i64, ptr %t134, align 8
  %t136 = getelementptr inbounds i8, ptr %v3, i64 16
  %t137 = load i64, ptr %t136, align 8
  %t138 = add i64 %t135, %t137
  %t139 = add i64 %t138, 1
  %t140 = sitofp i64 %t139 to double
  %t141 = fadd double %t133, %t140
  %t142 = load i64, ptr %v7
  %t143 = getelementptr inbounds i8, ptr %v3, i64 0
  %t144 = load ptr, ptr %t143, align 8
  %t145 = getelementptr inbounds i8, ptr %v3, i64 16
  %t146 = load i64, ptr %t145, align 8
  %t147 = icmp slt i64 %t142, 0
  %t148 = add i64 %t142, %t146
  %t149 = select i1 %t147, i64 %t148, i64 %t142
  %t150 = getelementptr inbounds i8, ptr %v3, i64 80
  %t151 = load i64, ptr %t150, align 8
  %t152 = sdiv exact i64 %t151, 8
  %t153 = mul nsw i64 %t149, %t152
  %t154 = getelementptr inbounds double, ptr %t144, i64 %t153
  store double %t141, ptr %t154
  call void @kc.incref(ptr %v3)
  call void @kc.decref(ptr %v8)
  %t155 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t155
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v8, ptr align 8 %v3, i64 160, i1 false)
  store i64 0, ptr %v9
  %t156 = getelementptr inbounds i8, ptr %v8, i64 16
  %t157 = load i64, ptr %t156, align 8
  %t158 = sub i64 %t157, 0
  %t159 = call i64 @llvm.smax.i64(i64 %t158, i64 0)
  store i64 0, ptr %t160
  br label %for.cond11
for.cond11:
  %t161 = load i64, ptr %t160
  %t162 = icmp slt i64 %t161, %t159
  br i1 %t162, label %for.body12, label %for.else14
for.body12:
  %t163 = add nsw i64 0, %t161
  store i64 %t163, ptr %v9
  %t164 = load i64, ptr %v9
  %t165 = getelementptr inbounds i8, ptr %v8, i64 0
  %t166 = load ptr, ptr %t165, align 8
  %t167 = getelementptr inbounds i8, ptr %v8, i64 16
  %t168 = load i64, ptr %t167, align 8
  %t169 = icmp slt i64 %t164, 0
  %t170 = add i64 %t164, %t168
  %t171 = select i1 %t169, i64 %t170, i64 %t164
  %t172 = getelementptr inbounds i8, ptr %v8, i64 80
  %t173 = load i64, ptr %t172, align 8
  %t174 = sdiv exact i64 %t173, 8
  %t175 = mul nsw i64 %t171, %t174
  %t176 = getelementptr inbounds double, ptr %t166, i64 %t175
  %t177 = load double, ptr %t176
  store double %t177, ptr %v10
  %t178 = load double, ptr %v4
  %t179 = load double, ptr %v10
  %t180 = fadd double %t178, %t179
  store double %t180, ptr %v4
  br label %for.latch13
for.latch13:
  %t181 = load i64, ptr %t160
  %t182 = add nuw nsw i64 %t181, 1
  store i64 %t182, ptr %t160
  br label %for.cond11, !llvm.loop !101
for.else14:
  br label %for.end15
for.end15:
  %t183 = load double, ptr %v4
  store double %t183, ptr %ret
  call void @kc.decref(ptr %v8)
  %t184 = getelementptr inbounds i8, ptr %v8, i64 152
  store ptr null, ptr %t184
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
