; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4

define internal i32 @"f[array(float64,1,C),array(float64,1,C)]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, ptr noalias nocapture readonly nonnull align 8 dereferenceable(160) %p0, ptr noalias nocapture readonly nonnull align 8 dereferenceable(160) %p1) #3 {
entry:
  %v0 = alloca %kc.array, align 8
  %v0.o = getelementptr inbounds i8, ptr %v0, i64 152
  store ptr null, ptr %v0.o
  %v1 = alloca %kc.array, align 8
  %v1.o = getelementptr inbounds i8, ptr %v1, i64 152
  store ptr null, ptr %v1.o
  %v2 = alloca i64
  store i64 zeroinitializer, ptr %v2
  %t5 = alloca i64
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v0, ptr align 8 %p0, i64 160, i1 false)
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %v1, ptr align 8 %p1, i64 160, i1 false)
  %t1 = getelementptr inbounds i8, ptr %v0, i64 16
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
  store i64 %t8, ptr %v2
  %t9 = load i64, ptr %v2
  %t10 = getelementptr inbounds i8, ptr %v0, i64 0
  %t11 = load ptr, ptr %t10, align 8
  %t12 = getelementptr inbounds i8, ptr %v0, i64 16
  %t13 = load i64, ptr %t12, align 8
  %t14 = icmp slt i64 %t9, 0
  %t15 = add i64 %t9, %t13
  %t16 = select i1 %t14, i64 %t15, i64 %t9
  %t17 = getelementptr inbounds double, ptr %t11, i64 %t16
  %t18 = load double, ptr %t17
  %t19 = call fast double @exp(double %t18) #10
  %t20 = load i64, ptr %v2
  %t21 = getelementptr inbounds i8, ptr %v0, i64 0
  %t22 = load ptr, ptr %t21, align 8
  %t23 = getelementptr inbounds i8, ptr %v0, i64 16
  %t24 = load i64, ptr %t23, align 8
  %t25 = icmp slt i64 %t20, 0
  %t26 = add i64 %t20, %t24
  %t27 = select i1 %t25, i64 %t26, i64 %t20
  %t28 = getelementptr inbounds double, ptr %t22, i64 %t27
  %t29 = load double, ptr %t28
  %t30 = call fast double @erf(double %t29) #11
  %t31 = fadd fast double %t19, %t30
  %t32 = load i64, ptr %v2
  %t33 = getelementptr inbounds i8, ptr %v0, i64 0
  %t34 = load ptr, ptr %t33, align 8
  %t35 = getelementptr inbounds i8, ptr %v0, i64 16
  %t36 = load i64, ptr %t35, align 8
  %t37 = icmp slt i64 %t32, 0
  %t38 = add i64 %t32, %t36
  %t39 = select i1 %t37, i64 %t38, i64 %t32
  %t40 = getelementptr inbounds double, ptr %t34, i64 %t39
  %t41 = load double, ptr %t40
  %t42 = call fast double @atan2(double %t41, double 0x4000000000000000) #12
  %t43 = fadd fast double %t31, %t42
  %t44 = load i64, ptr %v2
  %t45 = getelementptr inbounds i8, ptr %v1, i64 0
  %t46 = load ptr, ptr %t45, align 8
  %t47 = getelementptr inbounds i8, ptr %v1, i64 16
  %t48 = load i64, ptr %t47, align 8
  %t49 = icmp slt i64 %t44, 0
  %t50 = add i64 %t44, %t48
  %t51 = select i1 %t49, i64 %t50, i64 %t44
  %t52 = getelementptr inbounds double, ptr %t46, i64 %t51
  store double %t43, ptr %t52
  br label %for.latch3
for.latch3:
  %t53 = load i64, ptr %t5
  %t54 = add nuw nsw i64 %t53, 1
  store i64 %t54, ptr %t5
  br label %for.cond1, !llvm.loop !100
for.else4:
  br label %for.end5
for.end5:
  ret i32 0
}

define dso_local void @"kc_entry_f"(ptr %a0, ptr %a1) #0 {
entry:
  %retslot = alloca i8, align 8
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
  %st = call i32 @"f[array(float64,1,C),array(float64,1,C)]"(ptr %retslot, ptr %exc, ptr %d0, ptr %d1)
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

define dso_local i32 @"kc_generic_f"(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {
entry:
  %retslot = alloca i8, align 8
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
  %st = call i32 @"f[array(float64,1,C),array(float64,1,C)]"(ptr %retslot, ptr %exc, ptr %d0, ptr %d1)
  %ok = icmp eq i32 %st, 0
  br i1 %ok, label %good, label %bad
good:
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
declare void @llvm.memcpy.inline.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64 immarg, i1 immarg)
declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)
declare void @llvm.memset.inline.p0.i64(ptr nocapture writeonly, i8, i64 immarg, i1 immarg)

attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
attributes #4 = { nobuiltin nounwind willreturn memory(none) }
attributes #5 = { nounwind noinline optnone }
@llvm.compiler.used = appending global [6 x ptr] [ptr @_ZGVbN2v_erf, ptr @_ZGVbN2v_exp, ptr @_ZGVbN2vv_atan2, ptr @_ZGVdN4v_erf, ptr @_ZGVdN4v_exp, ptr @_ZGVdN4vv_atan2], section "llvm.metadata"
attributes #12 = { "vector-function-abi-variant"="_ZGV_LLVM_N2vv_atan2(_ZGVbN2vv_atan2),_ZGV_LLVM_N4vv_atan2(_ZGVdN4vv_atan2)" }
attributes #11 = { "vector-function-abi-variant"="_ZGV_LLVM_N2v_erf(_ZGVbN2v_erf),_ZGV_LLVM_N4v_erf(_ZGVdN4v_erf)" }
attributes #10 = { "vector-function-abi-variant"="_ZGV_LLVM_N2v_exp(_ZGVbN2v_exp),_ZGV_LLVM_N4v_exp(_ZGVdN4v_exp)" }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
!3 = !{!"llvm.loop.unroll.runtime.disable"}
!100 = distinct !{!100, !2}
