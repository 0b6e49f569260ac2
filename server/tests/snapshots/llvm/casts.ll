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

declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)
declare void @llvm.memset.p0.i64(ptr nocapture writeonly, i8, i64, i1)

attributes #0 = { nounwind }
attributes #1 = { nounwind willreturn memory(none) }
attributes #3 = { nounwind noinline }
attributes #4 = { nobuiltin nounwind willreturn memory(none) }
!0 = !{}
!1 = !{!"branch_weights", i32 1, i32 1048575}
!2 = !{!"llvm.loop.vectorize.enable", i1 true}
