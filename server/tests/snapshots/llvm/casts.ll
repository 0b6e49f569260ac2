; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4

define internal i32 @"f[float64,int64]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, double %p0, i64 %p1) #3 {
entry:
  %v0 = alloca double
  store double zeroinitializer, ptr %v0
  %v1 = alloca i64
  store i64 zeroinitializer, ptr %v1
  store double %p0, ptr %v0
  store i64 %p1, ptr %v1
  %t1 = load double, ptr %v0
  %t2 = fcmp ogt double %t1, 0xC1E0000000200000
  %t3 = fcmp olt double %t1, 0x41E0000000000000
  %t4 = and i1 %t2, %t3
  %t5 = fptosi double %t1 to i32
  %t6 = select i1 %t4, i32 %t5, i32 -2147483648
  %t7 = trunc i32 %t6 to i8
  %t8 = sext i8 %t7 to i64
  %t9 = load double, ptr %v0
  %t10 = fcmp ogt double %t9, 0xC1E0000000200000
  %t11 = fcmp olt double %t9, 0x41E0000000000000
  %t12 = and i1 %t10, %t11
  %t13 = fptosi double %t9 to i32
  %t14 = select i1 %t12, i32 %t13, i32 -2147483648
  %t15 = trunc i32 %t14 to i16
  %t16 = zext i16 %t15 to i64
  %t17 = add i64 %t8, %t16
  %t18 = sitofp i64 %t17 to double
  %t19 = load i64, ptr %v1
  %t20 = sitofp i64 %t19 to float
  %t21 = fpext float %t20 to double
  %t22 = fadd double %t18, %t21
  %t23 = load i64, ptr %v1
  %t24 = trunc i64 %t23 to i32
  %t25 = sitofp i32 %t24 to double
  %t26 = fadd double %t22, %t25
  %t27 = load double, ptr %v0
  %t28 = fcmp une double %t27, 0x0000000000000000
  %t29 = uitofp i1 %t28 to double
  %t30 = fadd double %t26, %t29
  %t31 = load i64, ptr %v1
  %t32 = uitofp i64 %t31 to double
  %t33 = fadd double %t30, %t32
  store double %t33, ptr %ret
  ret i32 0
}

define dso_local double @"kc_entry_f"(double %a0, i64 %a1) #0 {
entry:
  %retslot = alloca double, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[float64,int64]"(ptr %retslot, ptr %exc, double %a0, i64 %a1)
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
  %v0 = load double, ptr %pp0
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %v1 = load i64, ptr %pp1
  %st = call i32 @"f[float64,int64]"(ptr %retslot, ptr %exc, double %v0, i64 %v1)
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
  br label %done
done:
  ret void
}

declare void @llvm.memcpy.inline.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64 immarg, i1 immarg)
declare void @llvm.memset.inline.p0.i64(ptr nocapture writeonly, i8, i64 immarg, i1 immarg)

attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
attributes #4 = { nobuiltin nounwind willreturn memory(none) }
attributes #5 = { nounwind noinline optnone }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
!3 = !{!"llvm.loop.unroll.runtime.disable"}
