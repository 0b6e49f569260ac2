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

define internal i32 @"f[int8,int8]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, i8 %p0, i8 %p1) #3 {
entry:
  %v0 = alloca i8
  store i8 zeroinitializer, ptr %v0
  %v1 = alloca i8
  store i8 zeroinitializer, ptr %v1
  store i8 %p0, ptr %v0
  store i8 %p1, ptr %v1
  %t1 = load i8, ptr %v0
  %t2 = sext i8 %t1 to i64
  %t3 = load i8, ptr %v1
  %t4 = sext i8 %t3 to i64
  %t5 = add i64 %t2, %t4
  %t6 = load i8, ptr %v0
  %t7 = sext i8 %t6 to i64
  %t8 = load i8, ptr %v1
  %t9 = sext i8 %t8 to i64
  %t10 = sub i64 %t7, %t9
  %t11 = mul i64 %t5, %t10
  %t12 = load i8, ptr %v0
  %t13 = sext i8 %t12 to i64
  %t14 = load i8, ptr %v1
  %t15 = sext i8 %t14 to i64
  %t16 = icmp eq i64 %t15, 0
  br i1 %t16, label %raise1, label %ok2, !prof !1
raise1:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok2:
  %t17 = icmp eq i64 %t15, -1
  %t18 = or i1 %t16, %t17
  %t19 = select i1 %t18, i64 1, i64 %t15
  %t20 = sdiv i64 %t13, %t19
  %t21 = srem i64 %t13, %t19
  %t22 = icmp ne i64 %t21, 0
  %t23 = xor i64 %t21, %t15
  %t24 = icmp slt i64 %t23, 0
  %t25 = and i1 %t22, %t24
  %t26 = zext i1 %t25 to i64
  %t27 = sub i64 %t20, %t26
  %t28 = sub i64 0, %t13
  %t29 = select i1 %t17, i64 %t28, i64 %t27
  %t30 = select i1 %t16, i64 0, i64 %t29
  %t31 = add i64 %t11, %t30
  %t32 = load i8, ptr %v0
  %t33 = sext i8 %t32 to i64
  %t34 = load i8, ptr %v1
  %t35 = sext i8 %t34 to i64
  %t36 = icmp eq i64 %t35, 0
  br i1 %t36, label %raise3, label %ok4, !prof !1
raise3:
  store ptr @.exc.1, ptr %exc
  ret i32 1
ok4:
  %t37 = icmp eq i64 %t35, -1
  %t38 = or i1 %t36, %t37
  %t39 = select i1 %t38, i64 1, i64 %t35
  %t40 = sdiv i64 %t33, %t39
  %t41 = srem i64 %t33, %t39
  %t42 = icmp ne i64 %t41, 0
  %t43 = xor i64 %t41, %t35
  %t44 = icmp slt i64 %t43, 0
  %t45 = and i1 %t42, %t44
  %t46 = select i1 %t45, i64 %t35, i64 0
  %t47 = add i64 %t41, %t46
  %t48 = select i1 %t37, i64 0, i64 %t47
  %t49 = select i1 %t36, i64 0, i64 %t48
  %t50 = add i64 %t31, %t49
  %t51 = load i8, ptr %v0
  %t52 = sext i8 %t51 to i64
  %t53 = load i8, ptr %v1
  %t54 = sext i8 %t53 to i64
  %t55 = icmp eq i64 %t52, 0
  %t56 = icmp slt i64 %t54, 0
  %t57 = and i1 %t55, %t56
  br i1 %t57, label %raise5, label %ok6, !prof !1
raise5:
  store ptr @.exc.2, ptr %exc
  ret i32 1
ok6:
  %t58 = call i64 @kc.ipow.si64(i64 %t52, i64 %t54)
  %t59 = add i64 %t50, %t58
  %t60 = load i8, ptr %v0
  %t61 = sext i8 %t60 to i64
  %t62 = icmp slt i64 3, 0
  br i1 %t62, label %raise7, label %ok8, !prof !1
raise7:
  store ptr @.exc.3, ptr %exc
  ret i32 1
ok8:
  %t63 = icmp uge i64 3, 64
  %t64 = select i1 %t63, i64 63, i64 3
  %t65 = shl i64 %t61, %t64
  %t66 = select i1 %t63, i64 0, i64 %t65
  %t67 = add i64 %t59, %t66
  %t68 = load i8, ptr %v1
  %t69 = sext i8 %t68 to i64
  %t70 = icmp slt i64 2, 0
  br i1 %t70, label %raise9, label %ok10, !prof !1
raise9:
  store ptr @.exc.3, ptr %exc
  ret i32 1
ok10:
  %t71 = icmp uge i64 2, 64
  %t72 = select i1 %t71, i64 63, i64 2
  %t73 = ashr i64 %t69, %t72
  %t74 = add i64 %t67, %t73
  %t75 = load i8, ptr %v0
  %t76 = sext i8 %t75 to i64
  %t77 = load i8, ptr %v1
  %t78 = sext i8 %t77 to i64
  %t79 = and i64 %t76, %t78
  %t80 = add i64 %t74, %t79
  %t81 = load i8, ptr %v0
  %t82 = sext i8 %t81 to i64
  %t83 = load i8, ptr %v1
  %t84 = sext i8 %t83 to i64
  %t85 = or i64 %t82, %t84
  %t86 = add i64 %t80, %t85
  %t87 = load i8, ptr %v0
  %t88 = sext i8 %t87 to i64
  %t89 = load i8, ptr %v1
  %t90 = sext i8 %t89 to i64
  %t91 = xor i64 %t88, %t90
  %t92 = add i64 %t86, %t91
  %t93 = load i8, ptr %v0
  %t94 = sext i8 %t93 to i64
  %t95 = xor i64 %t94, -1
  %t96 = add i64 %t92, %t95
  %t97 = load i8, ptr %v1
  %t98 = sext i8 %t97 to i64
  %t99 = sub i64 0, %t98
  %t100 = add i64 %t96, %t99
  store i64 %t100, ptr %ret
  ret i32 0
}

define dso_local i64 @"kc_entry_f"(i8 %a0, i8 %a1) #0 {
entry:
  %retslot = alloca i64, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[int8,int8]"(ptr %retslot, ptr %exc, i8 %a0, i8 %a1)
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
  %v0 = load i8, ptr %pp0
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %v1 = load i8, ptr %pp1
  %st = call i32 @"f[int8,int8]"(ptr %retslot, ptr %exc, i8 %v0, i8 %v1)
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
