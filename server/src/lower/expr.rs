//! Expressions: constants, variables, casts with Numba's conversions, comparisons, `and`/`or`,
//! conditional expressions, calls between kernel functions, and array reads.

use std::fmt::Write as _;

use super::*;

impl<'p> Lowerer<'p> {
    pub(super) fn const_value(&self, c: ConstValue, ty: &Type) -> V {
        let t = llvm_type(ty);
        let r = match (c, ty.scalar().expect("constants are scalars")) {
            (ConstValue::Bool(b), Scalar::Bool) => b.to_string(),
            // The value's bits at the type's width, as LLVM reads a signed literal (a uint8 255
            // is `i8 -1`).
            (ConstValue::Int(i), s) if s.is_int() => {
                let shift = 64 - s.bits();
                ((i << shift) >> shift).to_string()
            }
            (ConstValue::Float(x), Scalar::F64) => float_lit(x),
            (ConstValue::Float(x), Scalar::F32) => float32_lit(x),
            (ConstValue::Complex(re, im), Scalar::C128) => {
                format!("{{ double {}, double {} }}", float_lit(re), float_lit(im))
            }
            (ConstValue::Complex(re, im), Scalar::C64) => {
                format!("{{ float {}, float {} }}", float32_lit(re), float32_lit(im))
            }
            (c, s) => unreachable!("constant {c:?} typed {s:?}"),
        };
        V { r, t }
    }

    pub(super) fn expr(&mut self, e: &Expr) -> V {
        crate::stack::deep(|| self.expr_inner(e))
    }

    fn expr_inner(&mut self, e: &Expr) -> V {
        match &e.kind {
            ExprKind::Const(c) => self.const_value(*c, &e.ty),
            // An array variable is its descriptor (borrowed: whoever keeps it acquires it).
            ExprKind::Var(v) if self.var_type(*v).is_aggregate() => V {
                r: format!("%v{v}"),
                t: Ty::Ptr,
            },
            ExprKind::Var(v) => {
                let t = llvm_type(self.var_type(*v));
                self.inst(t, format!("load {t}, ptr %v{v}"))
            }
            // A small integer constant converted to a float is that float's literal (exact),
            // so that LLVM sees a constant (`x ** 2` keeps LLVM's exact `x * x`).
            ExprKind::Cast(inner)
                if matches!(
                    (&inner.kind, e.ty.scalar()),
                    (ExprKind::Const(ConstValue::Int(i)), Some(Scalar::F64 | Scalar::F32)) if i.unsigned_abs() <= 1 << 24
                ) && inner.ty.scalar().is_some_and(|s| s.is_signed()) =>
            {
                let ExprKind::Const(ConstValue::Int(i)) = inner.kind else {
                    unreachable!("matched above")
                };
                self.const_value(ConstValue::Float(i as f64), &e.ty)
            }
            ExprKind::Cast(inner) => {
                let v = self.expr(inner);
                self.cast(v, &inner.ty, &e.ty)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let s = lhs.ty.scalar().expect("scalar operands");
                if let (true, BinOp::Pow, Some(n)) = (s.is_complex(), op, small_int_exponent(rhs)) {
                    let z = self.expr(lhs);
                    return self.complex_powi(&z, n);
                }
                let a = self.expr(lhs);
                let b = self.expr(rhs);
                self.binary(*op, s, a, b)
            }
            ExprKind::Compare { op, lhs, rhs } => {
                let s = lhs.ty.scalar().expect("scalar operands");
                let a = self.expr(lhs);
                let b = self.expr(rhs);
                if s.is_complex() {
                    self.complex_compare(*op, &a, &b)
                } else if s.is_float() {
                    let pred = match op {
                        CmpOp::Eq => "oeq",
                        CmpOp::Ne => "une",
                        CmpOp::Lt => "olt",
                        CmpOp::Le => "ole",
                        CmpOp::Gt => "ogt",
                        CmpOp::Ge => "oge",
                    };
                    let fm = self.fm();
                    self.inst(Ty::I1, format!("fcmp {fm}{pred} {} {}, {}", a.t, a.r, b.r))
                } else {
                    let signed = s.is_signed();
                    let pred = match (op, signed) {
                        (CmpOp::Eq, _) => "eq",
                        (CmpOp::Ne, _) => "ne",
                        (CmpOp::Lt, true) => "slt",
                        (CmpOp::Le, true) => "sle",
                        (CmpOp::Gt, true) => "sgt",
                        (CmpOp::Ge, true) => "sge",
                        (CmpOp::Lt, false) => "ult",
                        (CmpOp::Le, false) => "ule",
                        (CmpOp::Gt, false) => "ugt",
                        (CmpOp::Ge, false) => "uge",
                    };
                    self.inst(Ty::I1, format!("icmp {pred} {} {}, {}", a.t, a.r, b.r))
                }
            }
            ExprKind::Unary { op, operand } => {
                let v = self.expr(operand);
                match op {
                    UnaryOp::Not => self.inst(Ty::I1, format!("xor i1 {}, true", v.r)),
                    UnaryOp::BitNot => self.inst(v.t, format!("xor {} {}, -1", v.t, v.r)),
                    UnaryOp::Neg => {
                        if v.t.is_complex() {
                            self.complex_neg(&v)
                        } else if v.t == Ty::Double || v.t == Ty::Float {
                            let fm = self.fm();
                            self.inst(v.t, format!("fneg {fm}{} {}", v.t, v.r))
                        } else {
                            self.inst(v.t, format!("sub {} 0, {}", v.t, v.r))
                        }
                    }
                }
            }
            ExprKind::Logical { and, lhs, rhs } => {
                // Python: `a and b` is a if a is falsy else b; `a or b` is a if a is truthy else b.
                let a = self.expr(lhs);
                let truth = self.cast(a.clone(), &lhs.ty, &Type::BOOL);
                let l_rhs = self.new_label("logic.rhs");
                let l_end = self.new_label("logic.end");
                let slot = self.fresh();
                let _ = writeln!(self.allocas, "  {slot} = alloca {}", a.t);
                self.emit(format!("store {} {}, ptr {slot}", a.t, a.r));
                if *and {
                    self.terminate(format!("br i1 {}, label %{l_rhs}, label %{l_end}", truth.r));
                } else {
                    self.terminate(format!("br i1 {}, label %{l_end}, label %{l_rhs}", truth.r));
                }
                self.start_block(&l_rhs);
                let b = self.expr(rhs);
                self.emit(format!("store {} {}, ptr {slot}", b.t, b.r));
                self.start_block(&l_end);
                self.inst(a.t, format!("load {}, ptr {slot}", a.t))
            }
            ExprKind::IfExp { cond, then, orelse } => {
                let c = self.expr(cond);
                let lt = self.new_label("ifexp.then");
                let le = self.new_label("ifexp.else");
                let lj = self.new_label("ifexp.end");
                let t = llvm_type(&e.ty);
                let slot = self.fresh();
                let _ = writeln!(self.allocas, "  {slot} = alloca {t}");
                self.terminate(format!("br i1 {}, label %{lt}, label %{le}", c.r));
                self.start_block(&lt);
                let a = self.expr(then);
                self.emit(format!("store {t} {}, ptr {slot}", a.r));
                self.terminate(format!("br label %{lj}"));
                self.start_block(&le);
                let b = self.expr(orelse);
                self.emit(format!("store {t} {}, ptr {slot}", b.r));
                self.start_block(&lj);
                self.inst(t, format!("load {t}, ptr {slot}"))
            }
            ExprKind::Call { func, args } => {
                let callee = &self.program.functions[*func];
                let vals: Vec<V> = args.iter().map(|a| self.expr(a)).collect();
                let rt = llvm_type(&callee.ret);
                // An array result comes back in a temporary that owns its reference.
                let slot = if callee.ret.array().is_some() {
                    self.new_temp().r
                } else if callee.ret.is_aggregate() {
                    self.new_tuple_temp(&callee.ret).r
                } else {
                    let slot = self.fresh();
                    let _ = writeln!(
                        self.allocas,
                        "  {slot} = alloca {}",
                        if rt == Ty::Void { Ty::I8 } else { rt }
                    );
                    slot
                };
                let mut argv = vec![format!("ptr {slot}"), "ptr %exc".to_string()];
                argv.extend(vals.iter().map(|v| format!("{} {}", v.t, v.r)));
                if self.recursive_fn(*func) {
                    argv.push(self.stack_floor_arg());
                }
                let st = self.inst(
                    Ty::I32,
                    format!("call i32 {}({})", llvm_name(&callee.symbol), argv.join(", ")),
                );
                let failed = self.inst(Ty::I1, format!("icmp ne i32 {}, {MODULE_STATUS_OK}", st.r));
                let prop = self.new_label("call.raise");
                let ok = self.new_label("call.ok");
                self.terminate(format!("br i1 {}, label %{prop}, label %{ok}", failed.r));
                let _ = writeln!(self.body, "{prop}:");
                self.terminated = false;
                self.propagate(&st.r);
                let _ = writeln!(self.body, "{ok}:");
                self.terminated = false;
                if rt == Ty::Void {
                    V {
                        r: "0".into(),
                        t: Ty::I8,
                    }
                } else if callee.ret.is_aggregate() {
                    V { r: slot, t: Ty::Ptr }
                } else {
                    self.inst(rt, format!("load {rt}, ptr {slot}"))
                }
            }
            ExprKind::Math { func, args } => {
                let vals: Vec<V> = args.iter().map(|a| self.expr(a)).collect();
                self.math(*func, &vals)
            }
            ExprKind::Builtin { builtin, args } => {
                let vals: Vec<V> = args.iter().map(|a| self.expr(a)).collect();
                builtin.0.lower(self, &vals, &e.ty)
            }
            ExprKind::ArrayMap(m) => self.array_map(m, &e.ty),
            ExprKind::Tuple(items) => self.tuple(items, &e.ty),
            ExprKind::ListNew(items) => self.list_new(items, &e.ty),
            ExprKind::HostCall { function, args } => self.host_call(function, args),
            ExprKind::List { op, list, args } => self.list_op(*op, list, args, &e.ty),
            ExprKind::DictNew(items) => self.dict_new(items, &e.ty),
            ExprKind::SetNew(items) => self.set_new(items, &e.ty),
            ExprKind::Set { op, set, args } => self.set_op(*op, set, args, &e.ty),
            ExprKind::Dict { op, dict, args } => self.dict_op(*op, dict, args, &e.ty),
            ExprKind::TupleGet { tuple, index } => {
                let t = self.expr(tuple);
                self.tuple_item(&t, &tuple.ty, &format!("i32 0, i32 {index}"), *index)
            }
            ExprKind::TupleIndex { tuple, index } => {
                let t = self.expr(tuple);
                let i = self.expr(index);
                let items = tuple.ty.tuple().expect("a tuple");
                let n = items.len();
                let neg = self.inst(Ty::I1, format!("icmp slt i64 {}, 0", i.r));
                let wrapped = self.inst(Ty::I64, format!("add i64 {}, {n}", i.r));
                let i = self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", neg.r, wrapped.r, i.r));
                let out = self.inst(Ty::I1, format!("icmp uge i64 {}, {n}", i.r));
                self.raise_if(&out, "IndexError", "tuple index out of range");
                // Items of one type are laid out like an array of them.
                let item = &items[0];
                let arr = format!("[{n} x {}]", memory::storage_type(item));
                let p = self.inst(
                    Ty::Ptr,
                    format!("getelementptr inbounds {arr}, ptr {}, i64 0, i64 {}", t.r, i.r),
                );
                self.load_item(p, item)
            }
            ExprKind::Elem(k) => self.elems.last().expect("Elem only in map bodies").0[*k].clone(),
            ExprKind::Index(d) => self.elems.last().expect("Index only in map bodies").1[*d as usize].clone(),
            ExprKind::View { array, indices } => self.view(array, indices, &e.ty),
            ExprKind::Transpose { array, axes } => self.transpose(array, axes),
            ExprKind::ComplexPart { array, imag } => self.complex_part_view(array, *imag),
            ExprKind::DtypeView(array) => self.dtype_view(array, e.ty.array().expect("an array view").dtype),
            ExprKind::Print { items, sep, end } => self.print(items, sep, end),
            ExprKind::Reshape { array, shape } => self.reshape(array, shape),
            ExprKind::Reduce { op, array, axis } => self.reduce(*op, array, *axis, &e.ty),
            ExprKind::Scan { mul, array, axis } => self.scan(*mul, array, *axis, &e.ty),
            ExprKind::MaskSelect { array, mask } => self.mask_select(array, mask),
            ExprKind::Let { var, value, body } => {
                let v = self.expr(value);
                self.emit(format!("store {} {}, ptr %v{var}", v.t, v.r));
                self.expr(body)
            }
            ExprKind::Dot { lhs, rhs } => self.dot(lhs, rhs, &e.ty),
            ExprKind::ArrayDim { array, dim } => {
                let a = self.expr(array);
                self.dim(&a, *dim)
            }
            ExprKind::ArraySize(array) => {
                let at = array.ty.array().expect("array");
                let a = self.expr(array);
                let mut n = self.dim(&a, 0);
                for d in 1..at.ndim {
                    let s = self.dim(&a, d);
                    n = self.inst(Ty::I64, format!("mul nsw i64 {}, {}", n.r, s.r));
                }
                n
            }
            ExprKind::NoArray => {
                let slot = self.new_temp();
                self.declare("declare void @llvm.memset.p0.i64(ptr nocapture writeonly, i8, i64, i1)".into());
                self.emit(format!(
                    "call void @llvm.memset.p0.i64(ptr align 8 {}, i8 0, i64 {}, i1 false)",
                    slot.r,
                    kcache_abi::llvm::ARRAY_SIZE
                ));
                slot
            }
            ExprKind::OptionalValue(optional) => {
                let t = self.expr(optional);
                let valid = self.tuple_item(&t, &optional.ty, "i32 0, i32 0", 0);
                let none = self.inst(Ty::I1, format!("xor i1 {}, true", valid.r));
                self.raise_if(&none, "TypeError", &format!("expected {}, got None", e.ty));
                self.tuple_item(&t, &optional.ty, "i32 0, i32 1", 1)
            }
            ExprKind::GetItem { array, indices } => {
                let at = array.ty.array().expect("array");
                let a = self.expr(array);
                let idx: Vec<array::Index> = indices.iter().map(|i| self.index(i)).collect();
                let p = self.element_ptr(&a, at, &idx);
                let mt = llvm_mem(at.dtype);
                let v = self.inst(mt, format!("load {mt}, ptr {}", p.r));
                if at.dtype == Scalar::Bool {
                    self.inst(Ty::I1, format!("icmp ne i8 {}, 0", v.r))
                } else {
                    v
                }
            }
        }
    }

    pub(super) fn cast(&mut self, v: V, from: &Type, to: &Type) -> V {
        if let (Some(fs), Some(ts)) = (from.tuple(), to.tuple()) {
            if fs != ts {
                return self.cast_tuple(&v, from, to);
            }
        }
        let (Some(f), Some(t)) = (from.scalar(), to.scalar()) else {
            return v;
        };
        if f == t {
            return v;
        }
        if f.is_complex() || t.is_complex() {
            return self.complex_cast(v, f, t);
        }
        let lt = llvm_scalar(t);
        if t == Scalar::Bool {
            return if f.is_float() {
                self.inst(
                    Ty::I1,
                    format!(
                        "fcmp une {} {}, {}",
                        v.t,
                        v.r,
                        if f == Scalar::F32 {
                            float32_lit(0.0)
                        } else {
                            float_lit(0.0)
                        }
                    ),
                )
            } else {
                self.inst(Ty::I1, format!("icmp ne {} {}, 0", v.t, v.r))
            };
        }
        match (f.is_float(), t.is_float()) {
            (true, true) => {
                if t.bits() > f.bits() {
                    self.inst(lt, format!("fpext {} {} to {lt}", v.t, v.r))
                } else {
                    self.inst(lt, format!("fptrunc {} {} to {lt}", v.t, v.r))
                }
            }
            (false, true) => {
                let op = if f.is_signed() { "sitofp" } else { "uitofp" };
                self.inst(lt, format!("{op} {} {} to {lt}", v.t, v.r))
            }
            (true, false) => self.float_to_int(&v, t),
            (false, false) => {
                let (fb, tb) = (f.bits(), t.bits());
                if tb == fb {
                    v.clone_with_type(lt)
                } else if tb < fb {
                    self.inst(lt, format!("trunc {} {} to {lt}", v.t, v.r))
                } else if f.is_signed() {
                    self.inst(lt, format!("sext {} {} to {lt}", v.t, v.r))
                } else {
                    self.inst(lt, format!("zext {} {} to {lt}", v.t, v.r))
                }
            }
        }
    }

    /// A float converted to an integer type as C's cast compiles on x86-64, which is what
    /// NumPy's cast loops and Numba give: out-of-range values wrap rather than saturate
    /// (uint8 of -2.7 is 254, int8 of 300.5 is 44). Narrow types go through cvttsd2si's
    /// 32-bit form, uint32 and int64 through its 64-bit form, uint64 as C's unsigned
    /// conversion does (values from 2**63 up shifted into int64's range first).
    fn float_to_int(&mut self, v: &V, t: Scalar) -> V {
        let lt = llvm_scalar(t);
        match t {
            Scalar::U64 => {
                let two63 = self.float_const(v.t, 9223372036854775808.0);
                // NaN takes the signed path (the comparison is false), as compiled C does.
                let big = self.inst(Ty::I1, format!("fcmp oge {} {}, {two63}", v.t, v.r));
                let low = self.cvtt(v, 64);
                let shifted = self.inst(v.t, format!("fsub {} {}, {two63}", v.t, v.r));
                let high = self.cvtt(&shifted, 64);
                let high = self.inst(Ty::I64, format!("xor i64 {}, -9223372036854775808", high.r));
                self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", big.r, high.r, low.r))
            }
            Scalar::U32 | Scalar::I64 => {
                let r = self.cvtt(v, 64);
                self.int_resize(r, lt)
            }
            _ => {
                let r = self.cvtt(v, 32);
                self.int_resize(r, lt)
            }
        }
    }

    /// cvttsd2si / cvttss2si: truncation toward zero where the result fits `bits`, else the
    /// "integer indefinite" value INT_MIN (NaN included).
    fn cvtt(&mut self, v: &V, bits: u32) -> V {
        let it = if bits == 32 { Ty::I32 } else { Ty::I64 };
        let limit = 2f64.powi(bits as i32 - 1);
        // The lowest value that truncates into range: -2**31 - 1 (exclusive) is a double, but
        // float32 and the 64-bit case have no value between -2**(bits-1) - 1 and -2**(bits-1).
        let (low_op, low) = if bits == 32 && v.t == Ty::Double {
            ("ogt", -limit - 1.0)
        } else {
            ("oge", -limit)
        };
        let low = self.float_const(v.t, low);
        let high = self.float_const(v.t, limit);
        let above = self.inst(Ty::I1, format!("fcmp {low_op} {} {}, {low}", v.t, v.r));
        let below = self.inst(Ty::I1, format!("fcmp olt {} {}, {high}", v.t, v.r));
        let fits = self.inst(Ty::I1, format!("and i1 {}, {}", above.r, below.r));
        // A plain fptosi is poison out of range, but the select never picks it there: the
        // loop keeps vectorising into one vcvttpd2dq (the saturating intrinsic cost 2.6x).
        let r = self.inst(it, format!("fptosi {} {} to {it}", v.t, v.r));
        let min = -(1i128 << (bits - 1));
        self.inst(it, format!("select i1 {}, {it} {}, {it} {min}", fits.r, r.r))
    }

    fn float_const(&self, t: Ty, x: f64) -> String {
        if t == Ty::Float {
            float32_lit(x)
        } else {
            float_lit(x)
        }
    }

    /// The low bits of an i32 or i64 in `to` (an integer type at most as wide, or as wide).
    fn int_resize(&mut self, v: V, to: Ty) -> V {
        if v.t == to {
            v
        } else {
            self.inst(to, format!("trunc {} {} to {to}", v.t, v.r))
        }
    }

    /// A tuple value: a temporary holding the items (arrays' references acquired).
    fn tuple(&mut self, items: &[Expr], ty: &Type) -> V {
        let slot = self.new_tuple_temp(ty);
        let st = memory::storage_type(ty);
        for (k, item) in items.iter().enumerate() {
            let v = self.expr(item);
            let f = self.inst(
                Ty::Ptr,
                format!("getelementptr inbounds {st}, ptr {}, i32 0, i32 {k}", slot.r),
            );
            self.store_item(&f, v, &item.ty);
        }
        slot
    }

    /// A call through the host table; RuntimeError when the host that loaded the kernel is too
    /// old to have the function.
    /// The host function `name`, raising RuntimeError when the host's table predates it (a
    /// host that cannot `what`).
    pub(super) fn host_fn(&mut self, name: &str, what: &str) -> V {
        let field = kcache_abi::llvm::host_field(name);
        let f = self.inst(Ty::Ptr, format!("load ptr, ptr {}", field.global()));
        let missing = self.inst(Ty::I1, format!("icmp eq ptr {}, null", f.r));
        self.raise_if(
            &missing,
            "RuntimeError",
            &format!("this host cannot {what} (load the kernel with a libkcache of this version)"),
        );
        f
    }

    fn host_call(&mut self, function: &str, args: &[Expr]) -> V {
        let field = kcache_abi::llvm::host_field(function);
        let vals: Vec<V> = args.iter().map(|a| self.expr(a)).collect();
        let what = if function == "num_threads" {
            "count its threads"
        } else {
            "make random numbers"
        };
        let f = self.host_fn(function, what);
        let params: Vec<&str> = field.fn_type[field.fn_type.find('(').map_or(0, |i| i + 1)..]
            .trim_end_matches(')')
            .split(',')
            .map(str::trim)
            .collect();
        let call_args: Vec<String> = vals.iter().zip(params).map(|(v, t)| format!("{t} {}", v.r)).collect();
        let call = format!("call {} {}({})", field.ret_type(), f.r, call_args.join(", "));
        match field.ret_type() {
            "void" => {
                self.emit(call);
                V {
                    r: "0".into(),
                    t: Ty::I8,
                }
            }
            "i64" => self.inst(Ty::I64, call),
            // The generator's raw 32-bit output, as an int64 the library computes with.
            "i32" => {
                let raw = self.inst(Ty::I32, call);
                self.inst(Ty::I64, format!("zext i32 {} to i64", raw.r))
            }
            _ => self.inst(Ty::Double, call),
        }
    }

    /// A tuple converted item by item to another tuple type (a variable unified from tuples of
    /// different item types): a new temporary holding its own references.
    fn cast_tuple(&mut self, v: &V, from: &Type, to: &Type) -> V {
        let (fs, ts) = (from.tuple().expect("a tuple"), to.tuple().expect("a tuple"));
        let slot = self.new_tuple_temp(to);
        let st = memory::storage_type(to);
        for (k, (f, t)) in fs.iter().zip(ts).enumerate() {
            let item = self.tuple_item(v, from, &format!("i32 0, i32 {k}"), k);
            let item = self.cast(item, f, t);
            let dst = self.inst(
                Ty::Ptr,
                format!("getelementptr inbounds {st}, ptr {}, i32 0, i32 {k}", slot.r),
            );
            self.store_item(&dst, item, t);
        }
        slot
    }

    /// Stores one item into a tuple's field: a scalar's value, or a copy of an array or tuple
    /// whose references the field now also holds.
    pub(super) fn store_item(&mut self, dst: &V, v: V, ty: &Type) {
        match ty {
            Type::Array(_) | Type::Tuple(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) => {
                self.acquire_value(&v, ty);
                self.copy_value(&dst.r, &v, ty);
            }
            Type::Scalar(Scalar::Bool) => {
                let b = self.inst(Ty::I8, format!("zext i1 {} to i8", v.r));
                self.emit(format!("store i8 {}, ptr {}", b.r, dst.r));
            }
            _ => self.emit(format!("store {} {}, ptr {}", v.t, v.r, dst.r)),
        }
    }

    /// Item `k` of a tuple at `t`: a scalar's value, or a pointer to an array's or a tuple's
    /// fields (borrowed from the tuple).
    fn tuple_item(&mut self, t: &V, ty: &Type, path: &str, k: usize) -> V {
        let items = ty.tuple().expect("a tuple");
        let st = memory::storage_type(ty);
        let p = self.inst(Ty::Ptr, format!("getelementptr inbounds {st}, ptr {}, {path}", t.r));
        self.load_item(p, &items[k])
    }

    pub(super) fn load_item(&mut self, p: V, item: &Type) -> V {
        match item {
            Type::Array(_) | Type::Tuple(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) => p,
            Type::Scalar(Scalar::Bool) => {
                let b = self.inst(Ty::I8, format!("load i8, ptr {}", p.r));
                self.inst(Ty::I1, format!("icmp ne i8 {}, 0", b.r))
            }
            other => {
                let t = llvm_type(other);
                self.inst(t, format!("load {t}, ptr {}", p.r))
            }
        }
    }
}

/// The exponent of `z ** n` when it is a constant integer CPython raises by repeated
/// multiplication (`|n| <= 100`; also `z ** 2.0` and `z ** (2+0j)`).
fn small_int_exponent(e: &Expr) -> Option<i64> {
    let n = match &e.kind {
        ExprKind::Cast(inner) => return small_int_exponent(inner),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => return small_int_exponent(operand).map(|n| -n),
        ExprKind::Const(ConstValue::Int(n)) => *n as f64,
        ExprKind::Const(ConstValue::Float(x)) => *x,
        ExprKind::Const(ConstValue::Complex(re, im)) if *im == 0.0 => *re,
        _ => return None,
    };
    (n.fract() == 0.0 && n.abs() <= 100.0).then_some(n as i64)
}
