//! `np.cumsum` / `np.cumprod`: running totals into a new C-contiguous array, in NumPy's order
//! (sequential, so float results are NumPy's to the last bit).

use super::*;

impl<'p> Lowerer<'p> {
    pub(super) fn scan(&mut self, mul: bool, array: &Expr, axis: Option<u8>, ty: &Type) -> V {
        let at = array.ty.array().expect("an array");
        let dt = ty.array().expect("an array result").dtype;
        let a = self.expr(array);
        let dims = self.dims_of(&a, at.ndim);
        let strides = self.element_strides(&a, at);
        let data = self.array_field(&a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let out = match axis {
            Some(_) => self.alloc_array(dt, &dims),
            None => {
                let mut size = V {
                    r: "1".into(),
                    t: Ty::I64,
                };
                for d in &dims {
                    size = self.inst(Ty::I64, format!("mul i64 {}, {}", size.r, d.r));
                }
                self.alloc_array(dt, &[size])
            }
        };
        let out_data = self.array_field(&out, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let out_strides = memory::c_strides(self, &dims, 1);
        let lt = llvm_scalar(dt);
        let identity = if dt.is_complex() {
            let re = if mul { 1.0 } else { 0.0 };
            self.const_value(ConstValue::Complex(re, 0.0), &Type::Scalar(dt)).r
        } else if dt == Scalar::F32 {
            float32_lit(if mul { 1.0 } else { 0.0 })
        } else if dt.is_float() {
            float_lit(if mul { 1.0 } else { 0.0 })
        } else {
            (if mul { "1" } else { "0" }).into()
        };
        let op = if mul { BinOp::Mul } else { BinOp::Add };
        // The running total of the flattened array, or the position along the axis.
        let acc = self.fresh();
        let _ = std::fmt::Write::write_fmt(&mut self.allocas, format_args!("  {acc} = alloca {lt}\n"));
        self.emit(format!("store {lt} {identity}, ptr {acc}"));
        let count = self.fresh();
        let _ = std::fmt::Write::write_fmt(&mut self.allocas, format_args!("  {count} = alloca i64\n"));
        self.emit(format!("store i64 0, ptr {count}"));
        self.loop_nest(&dims, &mut |lw, idx| {
            let at_input = lw.linear_offset(idx, &strides);
            let v = lw.load_element(&data, at.dtype, &at_input);
            let v = lw.cast(v, &Type::Scalar(at.dtype), &Type::Scalar(dt));
            match axis {
                None => {
                    let prev = lw.inst(lt, format!("load {lt}, ptr {acc}"));
                    let total = lw.binary(op, dt, prev, v);
                    lw.emit(format!("store {lt} {}, ptr {acc}", total.r));
                    let k = lw.inst(Ty::I64, format!("load i64, ptr {count}"));
                    lw.store_element(&out_data, dt, &k, &total);
                    let k1 = lw.inst(Ty::I64, format!("add i64 {}, 1", k.r));
                    lw.emit(format!("store i64 {}, ptr {count}", k1.r));
                }
                Some(ax) => {
                    // The previous total along the axis is already in `out` (C order visits
                    // index i-1 of the axis before i).
                    let here = lw.linear_offset(idx, &out_strides);
                    let first = lw.inst(Ty::I1, format!("icmp eq i64 {}, 0", idx[ax as usize].r));
                    let back = lw.inst(Ty::I64, format!("sub i64 {}, {}", here.r, out_strides[ax as usize].r));
                    let safe = lw.inst(
                        Ty::I64,
                        format!("select i1 {}, i64 {}, i64 {}", first.r, here.r, back.r),
                    );
                    let prev = lw.load_element(&out_data, dt, &safe);
                    let prev = lw.inst(lt, format!("select i1 {}, {lt} {identity}, {lt} {}", first.r, prev.r));
                    let total = lw.binary(op, dt, prev, v);
                    lw.store_element(&out_data, dt, &here, &total);
                }
            }
        });
        out
    }
}
