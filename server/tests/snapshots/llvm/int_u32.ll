; kcache kernel module
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

%kc.array = type { ptr, i32, [8 x i64], [8 x i64], i32, ptr }
@kc_host_set_error = internal global ptr null
@kc_module_abi = dso_local constant i64 4
@.exc.0 = private unnamed_addr constant [54 x i8] c"ZeroDivisionError: integer division or modulo by zero\00"
@.exc.1 = private unnamed_addr constant [42 x i8] c"ZeroDivisionError: integer modulo by zero\00"
@.exc.2 = private unnamed_addr constant [33 x i8] c"ValueError: negative shift count\00"

define internal i32 @"f[uint32,uint32]"(ptr noalias nocapture %ret, ptr noalias nocapture %exc, i32 %p0, i32 %p1) #3 {
entry:
  %v0 = alloca i32
  store i32 zeroinitializer, ptr %v0
  %v1 = alloca i32
  store i32 zeroinitializer, ptr %v1
  store i32 %p0, ptr %v0
  store i32 %p1, ptr %v1
  %t1 = load i32, ptr %v0
  %t2 = zext i32 %t1 to i64
  %t3 = load i32, ptr %v1
  %t4 = zext i32 %t3 to i64
  %t5 = add i64 %t2, %t4
  %t6 = load i32, ptr %v0
  %t7 = zext i32 %t6 to i64
  %t8 = load i32, ptr %v1
  %t9 = zext i32 %t8 to i64
  %t10 = sub i64 %t7, %t9
  %t11 = mul i64 %t5, %t10
  %t12 = load i32, ptr %v0
  %t13 = zext i32 %t12 to i64
  %t14 = load i32, ptr %v1
  %t15 = zext i32 %t14 to i64
  %t16 = icmp eq i64 %t15, 0
  br i1 %t16, label %raise1, label %ok2, !prof !1
raise1:
  store ptr @.exc.0, ptr %exc
  ret i32 1
ok2:
  %t17 = select i1 %t16, i64 1, i64 %t15
  %t18 = udiv i64 %t13, %t17
  %t19 = select i1 %t16, i64 0, i64 %t18
  %t20 = add i64 %t11, %t19
  %t21 = load i32, ptr %v0
  %t22 = zext i32 %t21 to i64
  %t23 = load i32, ptr %v1
  %t24 = zext i32 %t23 to i64
  %t25 = icmp eq i64 %t24, 0
  br i1 %t25, label %raise3, label %ok4, !prof !1
raise3:
  store ptr @.exc.1, ptr %exc
  ret i32 1
ok4:
  %t26 = select i1 %t25, i64 1, i64 %t24
  %t27 = urem i64 %t22, %t26
  %t28 = select i1 %t25, i64 0, i64 %t27
  %t29 = add i64 %t20, %t28
  %t30 = load i32, ptr %v0
  %t31 = zext i32 %t30 to i64
  %t32 = load i32, ptr %v1
  %t33 = zext i32 %t32 to i64
  %t34 = call i64 @kc.ipow.ui64(i64 %t31, i64 %t33)
  %t35 = add i64 %t29, %t34
  %t36 = uitofp i64 %t35 to double
  %t37 = load i32, ptr %v0
  %t38 = zext i32 %t37 to i64
  %t39 = icmp slt i64 3, 0
  br i1 %t39, label %raise5, label %ok6, !prof !1
raise5:
  store ptr @.exc.2, ptr %exc
  ret i32 1
ok6:
  %t40 = icmp uge i64 3, 64
  %t41 = select i1 %t40, i64 63, i64 3
  %t42 = shl i64 %t38, %t41
  %t43 = select i1 %t40, i64 0, i64 %t42
  %t44 = sitofp i64 %t43 to double
  %t45 = fadd double %t36, %t44
  %t46 = load i32, ptr %v1
  %t47 = zext i32 %t46 to i64
  %t48 = icmp slt i64 2, 0
  br i1 %t48, label %raise7, label %ok8, !prof !1
raise7:
  store ptr @.exc.2, ptr %exc
  ret i32 1
ok8:
  %t49 = icmp uge i64 2, 64
  %t50 = select i1 %t49, i64 63, i64 2
  %t51 = ashr i64 %t47, %t50
  %t52 = sitofp i64 %t51 to double
  %t53 = fadd double %t45, %t52
  %t54 = load i32, ptr %v0
  %t55 = zext i32 %t54 to i64
  %t56 = load i32, ptr %v1
  %t57 = zext i32 %t56 to i64
  %t58 = and i64 %t55, %t57
  %t59 = uitofp i64 %t58 to double
  %t60 = fadd double %t53, %t59
  %t61 = load i32, ptr %v0
  %t62 = zext i32 %t61 to i64
  %t63 = load i32, ptr %v1
  %t64 = zext i32 %t63 to i64
  %t65 = or i64 %t62, %t64
  %t66 = uitofp i64 %t65 to double
  %t67 = fadd double %t60, %t66
  %t68 = load i32, ptr %v0
  %t69 = zext i32 %t68 to i64
  %t70 = load i32, ptr %v1
  %t71 = zext i32 %t70 to i64
  %t72 = xor i64 %t69, %t71
  %t73 = uitofp i64 %t72 to double
  %t74 = fadd double %t67, %t73
  %t75 = load i32, ptr %v0
  %t76 = zext i32 %t75 to i64
  %t77 = xor i64 %t76, -1
  %t78 = uitofp i64 %t77 to double
  %t79 = fadd double %t74, %t78
  %t80 = load i32, ptr %v1
  %t81 = zext i32 %t80 to i64
  %t82 = sub i64 0, %t81
  %t83 = uitofp i64 %t82 to double
  %t84 = fadd double %t79, %t83
  %t85 = fcmp oge double %t84, 0xC3E0000000000000
  %t86 = fcmp olt double %t84, 0x43E0000000000000
  %t87 = and i1 %t85, %t86
  %t88 = fptosi double %t84 to i64
  %t89 = select i1 %t87, i64 %t88, i64 -9223372036854775808
  store i64 %t89, ptr %ret
  ret i32 0
}

define dso_local i64 @"kc_entry_f"(i32 %a0, i32 %a1) #0 {
entry:
  %retslot = alloca i64, align 8
  %exc = alloca ptr
  store ptr null, ptr %exc
  %st = call i32 @"f[uint32,uint32]"(ptr %retslot, ptr %exc, i32 %a0, i32 %a1)
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
  %v0 = load i32, ptr %pp0
  %ap1 = getelementptr inbounds ptr, ptr %args, i64 1
  %pp1 = load ptr, ptr %ap1
  %v1 = load i32, ptr %pp1
  %st = call i32 @"f[uint32,uint32]"(ptr %retslot, ptr %exc, i32 %v0, i32 %v1)
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
define internal i64 @kc.ipow.ui64(i64 %b, i64 %e) #0 {
entry:
  br label %loop
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
