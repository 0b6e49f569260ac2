; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4
@.exc.0 = private unnamed_addr constant [42 x i8] c"ZeroDivisionError: integer modulo by zero\00"
@.exc.1 = private unnamed_addr constant [43 x i8] c"ValueError: range() arg 3 must not be zero\00"
@.exc.2 = private unnamed_addr constant [34 x i8] c"AssertionError: sum went negative\00"
@.exc.3 = private unnamed_addr constant [21 x i8] c"ValueError: negative\00"

define internal i32 @"f[int64]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, i64 %p0) #3 {
entry:
  %v0 = alloca i64
  store i64 zeroinitializer, ptr %v0
  %v1 = alloca i64
  store i64 zeroinitializer, ptr %v1
  %v2 = alloca i64
  store i64 zeroinitializer, ptr %v2
  %v3 = alloca i64
  store i64 zeroinitializer, ptr %v3
  %t26 = alloca i64
  %t45 = alloca i64
  store i64 %p0, ptr %v0
  store i64 0, ptr %v1
  store i64 0, ptr %v2
  br label %while.cond1
while.cond1:
  %t1 = load i64, ptr %v2
  %t2 = load i64, ptr %v0
  %t3 = icmp slt i64 %t1, %t2
  br i1 %t3, label %while.body2, label %while.else3
while.body2:
  %t4 = load i64, ptr %v2
  %t5 = add i64 %t4, 1
  store i64 %t5, ptr %v2
  %t6 = load i64, ptr %v2
  %t7 = icmp eq i64 3, 0
  br i1 %t7, label %raise5, label %ok6, !prof !1
raise5:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok6:
  %t8 = icmp eq i64 3, -1
  %t9 = or i1 %t7, %t8
  %t10 = select i1 %t9, i64 1, i64 3
  %t11 = sdiv i64 %t6, %t10
  %t12 = srem i64 %t6, %t10
  %t13 = icmp ne i64 %t12, 0
  %t14 = xor i64 %t12, 3
  %t15 = icmp slt i64 %t14, 0
  %t16 = and i1 %t13, %t15
  %t17 = select i1 %t16, i64 3, i64 0
  %t18 = add i64 %t12, %t17
  %t19 = select i1 %t8, i64 0, i64 %t18
  %t20 = select i1 %t7, i64 0, i64 %t19
  %t21 = icmp eq i64 %t20, 0
  br i1 %t21, label %then7, label %else8
then7:
  br label %while.cond1
else8:
  br label %endif9
endif9:
  %t22 = load i64, ptr %v2
  %t23 = icmp sgt i64 %t22, 100
  br i1 %t23, label %then10, label %else11
then10:
  br label %while.end4
else11:
  br label %endif12
endif12:
  %t24 = load i64, ptr %v1
  %t25 = load i64, ptr %v2
  %t27 = call i32 @"g[int64]"(ptr %t26, ptr %exc, i64 %t25)
  %t28 = icmp ne i32 %t27, 0
  br i1 %t28, label %call.raise13, label %call.ok14
call.raise13:
  ret i32 %t27
call.ok14:
  %t29 = load i64, ptr %t26
  %t30 = add i64 %t24, %t29
  store i64 %t30, ptr %v1
  br label %while.cond1
while.else3:
  %t31 = load i64, ptr %v1
  %t32 = sub i64 %t31, 1
  store i64 %t32, ptr %v1
  br label %while.end4
while.end4:
  %t33 = load i64, ptr %v0
  %t34 = sub i64 0, 2
  %t35 = icmp eq i64 %t34, 0
  br i1 %t35, label %raise15, label %ok16, !prof !1
raise15:
  store ptr @.exc.1, ptr %exc
  ret i32 1
ok16:
  %t36 = icmp sgt i64 %t34, 0
  %t37 = select i1 %t36, i64 %t33, i64 0
  %t38 = select i1 %t36, i64 0, i64 %t33
  %t39 = call i64 @llvm.abs.i64(i64 %t34, i1 false)
  %t40 = sub i64 %t38, %t37
  %t41 = add i64 %t40, %t39
  %t42 = sub i64 %t41, 1
  %t43 = sdiv i64 %t42, %t39
  %t44 = call i64 @llvm.smax.i64(i64 %t43, i64 0)
  store i64 0, ptr %t45
  br label %for.cond17
for.cond17:
  %t46 = load i64, ptr %t45
  %t47 = icmp slt i64 %t46, %t44
  br i1 %t47, label %for.body18, label %for.else20
for.body18:
  %t48 = mul nsw i64 %t46, %t34
  %t49 = add nsw i64 %t33, %t48
  store i64 %t49, ptr %v3
  %t50 = load i64, ptr %v1
  %t51 = load i64, ptr %v3
  %t52 = add i64 %t50, %t51
  store i64 %t52, ptr %v1
  br label %for.latch19
for.latch19:
  %t53 = load i64, ptr %t45
  %t54 = add nuw nsw i64 %t53, 1
  store i64 %t54, ptr %t45
  br label %for.cond17
for.else20:
  br label %for.end21
for.end21:
  %t55 = load i64, ptr %v1
  %t56 = icmp sge i64 %t55, 0
  %t57 = xor i1 %t56, true
  br i1 %t57, label %raise22, label %ok23, !prof !1
raise22:
  store ptr @.exc.2, ptr %exc
  ret i32 1
ok23:
  %t58 = load i64, ptr %v1
  store i64 %t58, ptr %ret
  ret i32 0
}

define internal i32 @"g[int64]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, i64 %p0) #0 {
entry:
  %v0 = alloca i64
  store i64 zeroinitializer, ptr %v0
  store i64 %p0, ptr %v0
  %t1 = load i64, ptr %v0
  %t2 = icmp slt i64 %t1, 0
  br i1 %t2, label %then24, label %else25
then24:
  store ptr @.exc.3, ptr %exc
  ret i32 1
else25:
  br label %endif26
endif26:
  %t3 = load i64, ptr %v0
  %t4 = mul i64 %t3, 2
  store i64 %t4, ptr %ret
  ret i32 0
}

define dso_local i64 @"kc_entry_f"(i64 %a0) #0 {
entry:
  %retslot = alloca i64, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[int64]"(ptr %retslot, ptr %exc, i64 %a0)
  %ok = icmp eq i32 %st, 0
  br i1 %ok, label %good, label %bad
good:
  %r = load i64, ptr %retslot
  ret i64 %r
bad:
  %msg = load ptr, ptr %exc
  %hook = load ptr, ptr @kc_host_set_error
  %has = icmp ne ptr %hook, null
  br i1 %has, label %report, label %done
report:
  call void %hook(ptr %msg)
  br label %done
done:
  ret i64 0
}

define dso_local i32 @"kc_generic_f"(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {
entry:
  %retslot = alloca i64, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %ap0 = getelementptr inbounds ptr, ptr %args, i64 0
  %pp0 = load ptr, ptr %ap0
  %v0 = load i64, ptr %pp0
  %st = call i32 @"f[int64]"(ptr %retslot, ptr %exc, i64 %v0)
  %ok = icmp eq i32 %st, 0
  br i1 %ok, label %good, label %bad
good:
  %r = load i64, ptr %retslot
  store i64 %r, ptr %retp
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

declare i64 @llvm.abs.i64(i64, i1)
declare i64 @llvm.smax.i64(i64, i64)
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
