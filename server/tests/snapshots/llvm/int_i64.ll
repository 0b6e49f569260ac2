; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4
@.exc.0 = private unnamed_addr constant [54 x i8] c"ZeroDivisionError: integer division or modulo by zero\00"
@.exc.1 = private unnamed_addr constant [42 x i8] c"ZeroDivisionError: integer modulo by zero\00"
@.exc.2 = private unnamed_addr constant [58 x i8] c"ZeroDivisionError: 0 cannot be raised to a negative power\00"
@.exc.3 = private unnamed_addr constant [33 x i8] c"ValueError: negative shift count\00"

define internal i32 @"f[int64,int64]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, i64 %p0, i64 %p1) #3 {
entry:
  %v0 = alloca i64
  store i64 zeroinitializer, ptr %v0
  %v1 = alloca i64
  store i64 zeroinitializer, ptr %v1
  store i64 %p0, ptr %v0
  store i64 %p1, ptr %v1
  %t1 = load i64, ptr %v0
  %t2 = load i64, ptr %v1
  %t3 = add i64 %t1, %t2
  %t4 = load i64, ptr %v0
  %t5 = load i64, ptr %v1
  %t6 = sub i64 %t4, %t5
  %t7 = mul i64 %t3, %t6
  %t8 = load i64, ptr %v0
  %t9 = load i64, ptr %v1
  %t10 = icmp eq i64 %t9, 0
  br i1 %t10, label %raise1, label %ok2, !prof !1
raise1:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok2:
  %t11 = icmp eq i64 %t9, -1
  %t12 = or i1 %t10, %t11
  %t13 = select i1 %t12, i64 1, i64 %t9
  %t14 = sdiv i64 %t8, %t13
  %t15 = srem i64 %t8, %t13
  %t16 = icmp ne i64 %t15, 0
  %t17 = xor i64 %t15, %t9
  %t18 = icmp slt i64 %t17, 0
  %t19 = and i1 %t16, %t18
  %t20 = zext i1 %t19 to i64
  %t21 = sub i64 %t14, %t20
  %t22 = sub i64 0, %t8
  %t23 = select i1 %t11, i64 %t22, i64 %t21
  %t24 = select i1 %t10, i64 0, i64 %t23
  %t25 = add i64 %t7, %t24
  %t26 = load i64, ptr %v0
  %t27 = load i64, ptr %v1
  %t28 = icmp eq i64 %t27, 0
  br i1 %t28, label %raise3, label %ok4, !prof !1
raise3:
  store ptr @.exc.1, ptr %exc
  ret i32 1
ok4:
  %t29 = icmp eq i64 %t27, -1
  %t30 = or i1 %t28, %t29
  %t31 = select i1 %t30, i64 1, i64 %t27
  %t32 = sdiv i64 %t26, %t31
  %t33 = srem i64 %t26, %t31
  %t34 = icmp ne i64 %t33, 0
  %t35 = xor i64 %t33, %t27
  %t36 = icmp slt i64 %t35, 0
  %t37 = and i1 %t34, %t36
  %t38 = select i1 %t37, i64 %t27, i64 0
  %t39 = add i64 %t33, %t38
  %t40 = select i1 %t29, i64 0, i64 %t39
  %t41 = select i1 %t28, i64 0, i64 %t40
  %t42 = add i64 %t25, %t41
  %t43 = load i64, ptr %v0
  %t44 = load i64, ptr %v1
  %t45 = icmp eq i64 %t43, 0
  %t46 = icmp slt i64 %t44, 0
  %t47 = and i1 %t45, %t46
  br i1 %t47, label %raise5, label %ok6, !prof !1
raise5:
  store ptr @.exc.2, ptr %exc
  ret i32 1
ok6:
  %t48 = call i64 @kc.ipow.si64(i64 %t43, i64 %t44)
  %t49 = add i64 %t42, %t48
  %t50 = load i64, ptr %v0
  %t51 = icmp slt i64 3, 0
  br i1 %t51, label %raise7, label %ok8, !prof !1
raise7:
  store ptr @.exc.3, ptr %exc
  ret i32 1
ok8:
  %t52 = icmp uge i64 3, 64
  %t53 = select i1 %t52, i64 63, i64 3
  %t54 = shl i64 %t50, %t53
  %t55 = select i1 %t52, i64 0, i64 %t54
  %t56 = add i64 %t49, %t55
  %t57 = load i64, ptr %v1
  %t58 = icmp slt i64 2, 0
  br i1 %t58, label %raise9, label %ok10, !prof !1
raise9:
  store ptr @.exc.3, ptr %exc
  ret i32 1
ok10:
  %t59 = icmp uge i64 2, 64
  %t60 = select i1 %t59, i64 63, i64 2
  %t61 = ashr i64 %t57, %t60
  %t62 = add i64 %t56, %t61
  %t63 = load i64, ptr %v0
  %t64 = load i64, ptr %v1
  %t65 = and i64 %t63, %t64
  %t66 = add i64 %t62, %t65
  %t67 = load i64, ptr %v0
  %t68 = load i64, ptr %v1
  %t69 = or i64 %t67, %t68
  %t70 = add i64 %t66, %t69
  %t71 = load i64, ptr %v0
  %t72 = load i64, ptr %v1
  %t73 = xor i64 %t71, %t72
  %t74 = add i64 %t70, %t73
  %t75 = load i64, ptr %v0
  %t76 = xor i64 %t75, -1
  %t77 = add i64 %t74, %t76
  %t78 = load i64, ptr %v1
  %t79 = sub i64 0, %t78
  %t80 = add i64 %t77, %t79
  store i64 %t80, ptr %ret
  ret i32 0
}

define dso_local i64 @"kc_entry_f"(i64 %a0, i64 %a1) #0 {
entry:
  %retslot = alloca i64, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[int64,int64]"(ptr %retslot, ptr %exc, i64 %a0, i64 %a1)
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
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %v1 = load i64, ptr %pp1
  %st = call i32 @"f[int64,int64]"(ptr %retslot, ptr %exc, i64 %v0, i64 %v1)
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

declare void @llvm.memcpy.inline.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64 immarg, i1 immarg)
declare void @llvm.memset.inline.p0.i64(ptr nocapture writeonly, i8, i64 immarg, i1 immarg)
define internal i64 @kc.ipow.si64(i64 %b, i64 %e) #0 {
entry:
  %neg = icmp slt i64 %e, 0
  br i1 %neg, label %negexp, label %loop
negexp:
  %is1 = icmp eq i64 %b, 1
  %ism1 = icmp eq i64 %b, -1
  %odd0 = and i64 %e, 1
  %oddn = icmp ne i64 %odd0, 0
  %m1 = select i1 %oddn, i64 -1, i64 1
  %r1 = select i1 %ism1, i64 %m1, i64 0
  %r2 = select i1 %is1, i64 1, i64 %r1
  ret i64 %r2
loop:
  %acc = phi i64 [1, %entry], [%acc2, %next]
  %base = phi i64 [%b, %entry], [%base2, %next]
  %exp = phi i64 [%e, %entry], [%exp2, %next]
  %done = icmp eq i64 %exp, 0
  br i1 %done, label %out, label %step
step:
  %bit = and i64 %exp, 1
  %odd = icmp ne i64 %bit, 0
  %mul = mul i64 %acc, %base
  %acc2 = select i1 %odd, i64 %mul, i64 %acc
  %base2 = mul i64 %base, %base
  %exp2 = lshr i64 %exp, 1
  br label %next
next:
  br label %loop
out:
  ret i64 %acc
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
