//! Views (basic indexing, transposes, reshapes) share their base's buffer: a new descriptor
//! with its own data pointer, shape and strides, and one more reference to the owner. Boolean
//! mask selection makes a new array.

use super::*;

fn konst(v: i64) -> V {
    V {
        r: v.to_string(),
        t: Ty::I64,
    }
}

impl<'p> Lowerer<'p> {
    fn opt_int(&mut self, e: &Option<Expr>) -> Option<V> {
        e.as_ref().map(|e| self.expr(e))
    }

    /// Python's `slice.indices(n)`: the start and the length of `start:stop:step` on `n` items.
    fn slice_bounds(&mut self, n: &V, start: Option<V>, stop: Option<V>, step: &V, const_step: Option<i64>) -> (V, V) {
        let i = |lw: &mut Self, t: String| lw.inst(Ty::I64, t);
        let b = |lw: &mut Self, t: String| lw.inst(Ty::I1, t);
        let positive = match const_step {
            Some(s) => V {
                r: (s > 0).to_string(),
                t: Ty::I1,
            },
            None => b(self, format!("icmp sgt i64 {}, 0", step.r)),
        };
        let n_minus_1 = i(self, format!("sub i64 {}, 1", n.r));
        // Clamps a given bound: negative ones count from the end; out of range goes to the edge.
        let clamp = |lw: &mut Self, v: V| -> V {
            let neg = b(lw, format!("icmp slt i64 {}, 0", v.r));
            let wrapped = i(lw, format!("add i64 {}, {}", v.r, n.r));
            let v = i(lw, format!("select i1 {}, i64 {}, i64 {}", neg.r, wrapped.r, v.r));
            let low_edge = i(lw, format!("select i1 {}, i64 0, i64 -1", positive.r));
            let high_edge = i(
                lw,
                format!("select i1 {}, i64 {}, i64 {}", positive.r, n.r, n_minus_1.r),
            );
            let below = b(lw, format!("icmp slt i64 {}, 0", v.r));
            let v = i(lw, format!("select i1 {}, i64 {}, i64 {}", below.r, low_edge.r, v.r));
            let above = b(lw, format!("icmp sge i64 {}, {}", v.r, n.r));
            i(lw, format!("select i1 {}, i64 {}, i64 {}", above.r, high_edge.r, v.r))
        };
        let start = match start {
            Some(v) => clamp(self, v),
            None => i(self, format!("select i1 {}, i64 0, i64 {}", positive.r, n_minus_1.r)),
        };
        let stop = match stop {
            Some(v) => clamp(self, v),
            None => i(self, format!("select i1 {}, i64 {}, i64 -1", positive.r, n.r)),
        };
        // Length: ceil((stop - start) / step) for either sign, at least 0.
        let len = match const_step {
            Some(1) => i(self, format!("sub i64 {}, {}", stop.r, start.r)),
            _ => {
                let d = i(self, format!("sub i64 {}, {}", stop.r, start.r));
                let mag = i(self, format!("call i64 @llvm.abs.i64(i64 {}, i1 false)", step.r));
                let dir = i(self, format!("select i1 {}, i64 {}, i64 {}", positive.r, d.r, "0"));
                let back = i(self, format!("sub i64 0, {}", d.r));
                let dist = i(self, format!("select i1 {}, i64 {}, i64 {}", positive.r, dir.r, back.r));
                let adj = i(self, format!("add i64 {}, {}", dist.r, mag.r));
                let adj = i(self, format!("sub i64 {}, 1", adj.r));
                i(self, format!("sdiv i64 {}, {}", adj.r, mag.r))
            }
        };
        self.declare("declare i64 @llvm.abs.i64(i64, i1)".into());
        self.declare("declare i64 @llvm.smax.i64(i64, i64)".into());
        let len = i(self, format!("call i64 @llvm.smax.i64(i64 {}, i64 0)", len.r));
        (start, len)
    }

    pub(super) fn view(&mut self, array: &Expr, indices: &[ViewIndex], ty: &Type) -> V {
        let at = array.ty.array().expect("views are of arrays");
        let out_at = ty.array().expect("views are arrays");
        let base = self.expr(array);
        let mut data = self.array_field(&base, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let mut dims = Vec::new();
        let mut strides = Vec::new();
        let mut d: u8 = 0;
        for index in indices {
            match index {
                ViewIndex::NewAxis => {
                    dims.push(konst(1));
                    strides.push(konst(0));
                }
                ViewIndex::At(e) => {
                    let i = self.expr(e);
                    let n = self.dim(&base, d);
                    let neg = self.inst(Ty::I1, format!("icmp slt i64 {}, 0", i.r));
                    let adj = self.inst(Ty::I64, format!("add i64 {}, {}", i.r, n.r));
                    let w = self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", neg.r, adj.r, i.r));
                    // A view out of bounds would read foreign memory later: always checked.
                    let oob = self.inst(Ty::I1, format!("icmp uge i64 {}, {}", w.r, n.r));
                    self.raise_if(&oob, "IndexError", "index is out of bounds");
                    let s = self.array_field(&base, array_stride_offset(d as u32), Ty::I64);
                    let off = self.inst(Ty::I64, format!("mul i64 {}, {}", w.r, s.r));
                    data = self.inst(Ty::Ptr, format!("getelementptr i8, ptr {}, i64 {}", data.r, off.r));
                    d += 1;
                }
                ViewIndex::Slice { start, stop, step } => {
                    let n = self.dim(&base, d);
                    let const_step = match step.as_ref().map(|e| &e.kind) {
                        None => Some(1),
                        Some(ExprKind::Const(ConstValue::Int(s))) => Some(*s),
                        _ => None,
                    };
                    let step_v = match step {
                        Some(e) => self.expr(e),
                        None => konst(1),
                    };
                    if const_step.is_none() || const_step == Some(0) {
                        let zero = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", step_v.r));
                        self.raise_if(&zero, "ValueError", "slice step cannot be zero");
                    }
                    let start_v = self.opt_int(start);
                    let stop_v = self.opt_int(stop);
                    let (first, len) = self.slice_bounds(&n, start_v, stop_v, &step_v, const_step);
                    let s = self.array_field(&base, array_stride_offset(d as u32), Ty::I64);
                    let off = self.inst(Ty::I64, format!("mul i64 {}, {}", first.r, s.r));
                    // An empty slice may start one past the end: never dereferenced.
                    data = self.inst(Ty::Ptr, format!("getelementptr i8, ptr {}, i64 {}", data.r, off.r));
                    dims.push(len);
                    let stride = match const_step {
                        Some(1) => s,
                        _ => self.inst(Ty::I64, format!("mul i64 {}, {}", s.r, step_v.r)),
                    };
                    strides.push(stride);
                    d += 1;
                }
            }
        }
        while d < at.ndim {
            dims.push(self.dim(&base, d));
            strides.push(self.array_field(&base, array_stride_offset(d as u32), Ty::I64));
            d += 1;
        }
        debug_assert_eq!(dims.len(), out_at.ndim as usize);
        self.view_of(&base, &data, &dims, &strides, at.dtype)
    }

    pub(super) fn transpose(&mut self, array: &Expr, axes: &[u8]) -> V {
        let at = array.ty.array().expect("arrays");
        let base = self.expr(array);
        let data = self.array_field(&base, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let dims: Vec<V> = axes.iter().map(|a| self.dim(&base, *a)).collect();
        let strides: Vec<V> = axes
            .iter()
            .map(|a| self.array_field(&base, array_stride_offset(*a as u32), Ty::I64))
            .collect();
        self.view_of(&base, &data, &dims, &strides, at.dtype)
    }

    /// `a.real` / `a.imag` of a complex array: the same dimensions and strides over the parts.
    pub(super) fn complex_part_view(&mut self, array: &Expr, imag: bool) -> V {
        let at = array.ty.array().expect("arrays");
        let part = at.dtype.real_part();
        let base = self.expr(array);
        let data = self.array_field(&base, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let data = if imag {
            self.inst(
                Ty::Ptr,
                format!("getelementptr inbounds i8, ptr {}, i64 {}", data.r, part.itemsize()),
            )
        } else {
            data
        };
        let dims = self.dims_of(&base, at.ndim);
        let strides: Vec<V> = (0..at.ndim)
            .map(|d| self.array_field(&base, array_stride_offset(d as u32), Ty::I64))
            .collect();
        self.view_of(&base, &data, &dims, &strides, part)
    }

    /// `a.view(dtype)`: the same bytes as `dtype`. Another item size rescales the last axis,
    /// which must be contiguous and hold a whole number of new items (NumPy's ValueError).
    pub(super) fn dtype_view(&mut self, array: &Expr, dtype: Scalar) -> V {
        let at = array.ty.array().expect("arrays");
        let base = self.expr(array);
        let data = self.array_field(&base, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let mut dims = self.dims_of(&base, at.ndim);
        let mut strides: Vec<V> = (0..at.ndim)
            .map(|d| self.array_field(&base, array_stride_offset(d as u32), Ty::I64))
            .collect();
        let (old, new) = (at.dtype.itemsize() as i64, dtype.itemsize() as i64);
        if old != new {
            let last = at.ndim as usize - 1;
            let bytes = self.inst(Ty::I64, format!("mul i64 {}, {old}", dims[last].r));
            let rest = self.inst(Ty::I64, format!("srem i64 {}, {new}", bytes.r));
            let ragged = self.inst(Ty::I1, format!("icmp ne i64 {}, 0", rest.r));
            let strided = self.inst(Ty::I1, format!("icmp ne i64 {}, {old}", strides[last].r));
            let several = self.inst(Ty::I1, format!("icmp sgt i64 {}, 1", dims[last].r));
            let strided = self.inst(Ty::I1, format!("and i1 {}, {}", strided.r, several.r));
            let bad = self.inst(Ty::I1, format!("or i1 {}, {}", ragged.r, strided.r));
            self.raise_if(
                &bad,
                "ValueError",
                "To change to a dtype of a different size, the last axis must be contiguous and its size in bytes a multiple of the new itemsize",
            );
            dims[last] = self.inst(Ty::I64, format!("sdiv i64 {}, {new}", bytes.r));
            strides[last] = konst(new);
        }
        self.view_of(&base, &data, &dims, &strides, dtype)
    }

    /// `a.reshape(...)` of a C-contiguous array (one dimension may be -1); NotImplementedError
    /// for a strided one, where NumPy would copy.
    pub(super) fn reshape(&mut self, array: &Expr, shape: &[Expr]) -> V {
        let at = array.ty.array().expect("arrays");
        let base = self.expr(array);
        let contiguous = self.is_c_contiguous(&base, at);
        let not = self.inst(Ty::I1, format!("xor i1 {}, true", contiguous.r));
        self.raise_if(
            &not,
            "NotImplementedError",
            "reshape of a non-contiguous array (NumPy would copy: call .copy() first)",
        );
        let mut total = konst(1);
        for d in 0..at.ndim {
            let n = self.dim(&base, d);
            total = self.inst(Ty::I64, format!("mul i64 {}, {}", total.r, n.r));
        }
        let wanted: Vec<V> = shape.iter().map(|e| self.expr(e)).collect();
        // The product of the given dimensions, and how many are -1.
        let mut known = konst(1);
        let mut unknown = konst(0);
        for w in &wanted {
            let minus = self.inst(Ty::I1, format!("icmp eq i64 {}, -1", w.r));
            let bad = self.inst(Ty::I1, format!("icmp slt i64 {}, -1", w.r));
            self.raise_if(&bad, "ValueError", "negative dimensions are not allowed");
            let inc = self.inst(Ty::I64, format!("zext i1 {} to i64", minus.r));
            unknown = self.inst(Ty::I64, format!("add i64 {}, {}", unknown.r, inc.r));
            let factor = self.inst(Ty::I64, format!("select i1 {}, i64 1, i64 {}", minus.r, w.r));
            known = self.inst(Ty::I64, format!("mul i64 {}, {}", known.r, factor.r));
        }
        let many = self.inst(Ty::I1, format!("icmp ugt i64 {}, 1", unknown.r));
        self.raise_if(&many, "ValueError", "can only specify one unknown dimension");
        let has_unknown = self.inst(Ty::I1, format!("icmp eq i64 {}, 1", unknown.r));
        let zero_known = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", known.r));
        let divisor = self.inst(Ty::I64, format!("select i1 {}, i64 1, i64 {}", zero_known.r, known.r));
        let inferred = self.inst(Ty::I64, format!("sdiv i64 {}, {}", total.r, divisor.r));
        let dims: Vec<V> = wanted
            .iter()
            .map(|w| {
                let minus = self.inst(Ty::I1, format!("icmp eq i64 {}, -1", w.r));
                self.inst(
                    Ty::I64,
                    format!("select i1 {}, i64 {}, i64 {}", minus.r, inferred.r, w.r),
                )
            })
            .collect();
        let mut product = konst(1);
        for d in &dims {
            product = self.inst(Ty::I64, format!("mul i64 {}, {}", product.r, d.r));
        }
        let mismatch = self.inst(Ty::I1, format!("icmp ne i64 {}, {}", product.r, total.r));
        let _ = has_unknown;
        self.raise_if(&mismatch, "ValueError", "cannot reshape the array into this shape");
        let data = self.array_field(&base, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let strides = memory::c_strides(self, &dims, at.dtype.itemsize() as i64);
        self.view_of(&base, &data, &dims, &strides, at.dtype)
    }

    /// `a[mask]`: the elements of `a` (in C order) where `mask` is true, as a new 1-D array.
    pub(super) fn mask_select(&mut self, array: &Expr, mask: &Expr) -> V {
        let at = array.ty.array().expect("arrays");
        let mt = mask.ty.array().expect("arrays");
        let a = self.expr(array);
        let m = self.expr(mask);
        let dims = self.dims_of(&a, at.ndim);
        for (d, n) in dims.iter().enumerate() {
            let e = self.dim(&m, d as u8);
            let differ = self.inst(Ty::I1, format!("icmp ne i64 {}, {}", e.r, n.r));
            self.raise_if(
                &differ,
                "IndexError",
                "the boolean index does not match the array's shape",
            );
        }
        let a_strides = self.element_strides(&a, at);
        let m_strides = self.element_strides(&m, mt);
        let a_data = self.array_field(&a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let m_data = self.array_field(&m, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let count = self.fresh();
        let _ = std::fmt::Write::write_fmt(&mut self.allocas, format_args!("  {count} = alloca i64\n"));
        self.emit(format!("store i64 0, ptr {count}"));
        self.loop_nest(&dims, &mut |lw, idx| {
            let off = lw.linear_offset(idx, &m_strides);
            let t = lw.load_element(&m_data, Scalar::Bool, &off);
            let inc = lw.inst(Ty::I64, format!("zext i1 {} to i64", t.r));
            let c = lw.inst(Ty::I64, format!("load i64, ptr {count}"));
            let c = lw.inst(Ty::I64, format!("add i64 {}, {}", c.r, inc.r));
            lw.emit(format!("store i64 {}, ptr {count}", c.r));
        });
        let n = self.inst(Ty::I64, format!("load i64, ptr {count}"));
        let out = self.alloc_array(at.dtype, &[n]);
        let out_data = self.array_field(&out, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        self.emit(format!("store i64 0, ptr {count}"));
        self.loop_nest(&dims, &mut |lw, idx| {
            let off = lw.linear_offset(idx, &m_strides);
            let t = lw.load_element(&m_data, Scalar::Bool, &off);
            let l_take = lw.new_label("mask.take");
            let l_next = lw.new_label("mask.next");
            lw.terminate(format!("br i1 {}, label %{l_take}, label %{l_next}", t.r));
            lw.start_block(&l_take);
            let aoff = lw.linear_offset(idx, &a_strides);
            let v = lw.load_element(&a_data, at.dtype, &aoff);
            let c = lw.inst(Ty::I64, format!("load i64, ptr {count}"));
            lw.store_element(&out_data, at.dtype, &c, &v);
            let c1 = lw.inst(Ty::I64, format!("add i64 {}, 1", c.r));
            lw.emit(format!("store i64 {}, ptr {count}", c1.r));
            lw.start_block(&l_next);
        });
        out
    }

    /// Strides in elements, dimension by dimension.
    pub(super) fn element_strides(&mut self, desc: &V, at: ArrayType) -> Vec<V> {
        let size = at.dtype.itemsize() as i64;
        (0..at.ndim)
            .map(|d| {
                let b = self.array_field(desc, array_stride_offset(d as u32), Ty::I64);
                if size == 1 {
                    b
                } else {
                    self.inst(Ty::I64, format!("sdiv exact i64 {}, {size}", b.r))
                }
            })
            .collect()
    }
}
