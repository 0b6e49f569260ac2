; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@kc_host_set_error = internal global ptr null
@kc_host_parallel_for = internal global ptr null
@kc_host_num_threads = internal global ptr null
@kc_module_abi = dso_local constant i64 2

define internal i32 @"f[array(float64,1,C),array(float64,1,C)]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, ptr noalias nocapture readonly nonnull align 8 dereferenceable(152) %p0, ptr noalias nocapture readonly nonnull align 8 dereferenceable(152) %p1) #3 {
entry:
  %v0 = alloca ptr
  %v1 = alloca ptr
  %v2 = alloca i64
  store ptr %p0, ptr %v0
  store ptr %p1, ptr %v1
  %t6 = alloca i64
  %t1 = load ptr, ptr %v0
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
  store i64 %t9, ptr %v2
  %t10 = load ptr, ptr %v1
  %t11 = load i64, ptr %v2
  %t12 = load ptr, ptr %v0
  %t13 = load i64, ptr %v2
  %t14 = getelementptr inbounds i8, ptr %t12, i64 0
  %t15 = load ptr, ptr %t14, align 8, !invariant.load !0
  %t16 = getelementptr inbounds i8, ptr %t12, i64 16
  %t17 = load i64, ptr %t16, align 8, !invariant.load !0
  %t18 = icmp slt i64 %t13, 0
  %t19 = add i64 %t13, %t17
  %t20 = select i1 %t18, i64 %t19, i64 %t13
  %t21 = getelementptr inbounds double, ptr %t15, i64 %t20
  %t22 = load double, ptr %t21
  %t23 = call fast double @exp(double %t22) #10
  %t24 = load ptr, ptr %v0
  %t25 = load i64, ptr %v2
  %t26 = getelementptr inbounds i8, ptr %t24, i64 0
  %t27 = load ptr, ptr %t26, align 8, !invariant.load !0
  %t28 = getelementptr inbounds i8, ptr %t24, i64 16
  %t29 = load i64, ptr %t28, align 8, !invariant.load !0
  %t30 = icmp slt i64 %t25, 0
  %t31 = add i64 %t25, %t29
  %t32 = select i1 %t30, i64 %t31, i64 %t25
  %t33 = getelementptr inbounds double, ptr %t27, i64 %t32
  %t34 = load double, ptr %t33
  %t35 = call fast double @erf(double %t34) #11
  %t36 = fadd fast double %t23, %t35
  %t37 = load ptr, ptr %v0
  %t38 = load i64, ptr %v2
  %t39 = getelementptr inbounds i8, ptr %t37, i64 0
  %t40 = load ptr, ptr %t39, align 8, !invariant.load !0
  %t41 = getelementptr inbounds i8, ptr %t37, i64 16
  %t42 = load i64, ptr %t41, align 8, !invariant.load !0
  %t43 = icmp slt i64 %t38, 0
  %t44 = add i64 %t38, %t42
  %t45 = select i1 %t43, i64 %t44, i64 %t38
  %t46 = getelementptr inbounds double, ptr %t40, i64 %t45
  %t47 = load double, ptr %t46
  %t48 = call fast double @atan2(double %t47, double 0x4000000000000000) #12
  %t49 = fadd fast double %t36, %t48
  %t50 = getelementptr inbounds i8, ptr %t10, i64 0
  %t51 = load ptr, ptr %t50, align 8, !invariant.load !0
  %t52 = getelementptr inbounds i8, ptr %t10, i64 16
  %t53 = load i64, ptr %t52, align 8, !invariant.load !0
  %t54 = icmp slt i64 %t11, 0
  %t55 = add i64 %t11, %t53
  %t56 = select i1 %t54, i64 %t55, i64 %t11
  %t57 = getelementptr inbounds double, ptr %t51, i64 %t56
  store double %t49, ptr %t57
  br label %for.latch3
for.latch3:
  %t58 = load i64, ptr %t6
  %t59 = add nuw nsw i64 %t58, 1
  store i64 %t59, ptr %t6
  br label %for.cond1, !llvm.loop !100
for.else4:
  br label %for.end5
for.end5:
  ret i32 0
}

define dso_local void @kc_entry_f(ptr %a0, ptr %a1) #0 {
entry:
  %retslot = alloca i8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[array(float64,1,C),array(float64,1,C)]"(ptr %retslot, ptr %exc, ptr %a0, ptr %a1)
  %ok = icmp eq i32 %st, 0
  br i1 %ok, label %good, label %bad
good:
  ret void
bad:
  %msg = load ptr, ptr %exc
  %hook = load ptr, ptr @kc_host_set_error
  %has = icmp ne ptr %hook, null
  br i1 %has, label %report, label %done
report:
  call void %hook(ptr %msg)
  br label %done
done:
  ret void
}

define dso_local i32 @kc_generic_f(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {
entry:
  %retslot = alloca i8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %ap0 = getelementptr inbounds ptr, ptr %args, i64 0
  %pp0 = load ptr, ptr %ap0
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %st = call i32 @"f[array(float64,1,C),array(float64,1,C)]"(ptr %retslot, ptr %exc, ptr %pp0, ptr %pp1)
  %ok = icmp eq i32 %st, 0
  br i1 %ok, label %good, label %bad
good:
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

declare <2 x double> @_ZGVbN2v_erf(<2 x double>) #1
declare <2 x double> @_ZGVbN2v_exp(<2 x double>) #1
declare <2 x double> @_ZGVbN2vv_atan2(<2 x double>, <2 x double>) #1
declare <4 x double> @_ZGVdN4v_erf(<4 x double>) #1
declare <4 x double> @_ZGVdN4v_exp(<4 x double>) #1
declare <4 x double> @_ZGVdN4vv_atan2(<4 x double>, <4 x double>) #1
declare double @atan2(double, double) #1
declare double @erf(double) #1
declare double @exp(double) #1
declare i64 @llvm.abs.i64(i64, i1)
declare i64 @llvm.smax.i64(i64, i64)

attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
@llvm.compiler.used = appending global [6 x ptr] [ptr @_ZGVbN2v_erf, ptr @_ZGVbN2v_exp, ptr @_ZGVbN2vv_atan2, ptr @_ZGVdN4v_erf, ptr @_ZGVdN4v_exp, ptr @_ZGVdN4vv_atan2], section "llvm.metadata"
attributes #12 = { "vector-function-abi-variant"="_ZGV_LLVM_N2vv_atan2(_ZGVbN2vv_atan2),_ZGV_LLVM_N4vv_atan2(_ZGVdN4vv_atan2)" }
attributes #11 = { "vector-function-abi-variant"="_ZGV_LLVM_N2v_erf(_ZGVbN2v_erf),_ZGV_LLVM_N4v_erf(_ZGVdN4v_erf)" }
attributes #10 = { "vector-function-abi-variant"="_ZGV_LLVM_N2v_exp(_ZGVbN2v_exp),_ZGV_LLVM_N4v_exp(_ZGVdN4v_exp)" }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
!100 = distinct !{!100, !2}
