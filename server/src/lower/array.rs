//! Array access through `kc_array`: shapes, strides per layout, negative indices and bounds checks.

use super::*;

/// An array index's value, and for `x - y` the test `x < y` that says it is negative.
pub(super) struct Index {
    value: V,
    below: Option<V>,
}

impl<'p> Lowerer<'p> {
    pub(super) fn array_field(&mut self, a: &V, offset: u64, t: Ty) -> V {
        let p = self.inst(Ty::Ptr, format!("getelementptr inbounds i8, ptr {}, i64 {offset}", a.r));
        self.inst(t, format!("load {t}, ptr {}, align 8", p.r))
    }

    /// `sum(idx[d] * strides[d])`: an element's offset from its index and the strides.
    pub(super) fn linear_offset(&mut self, idx: &[V], strides: &[V]) -> V {
        let mut off = V {
            r: "0".into(),
            t: Ty::I64,
        };
        for (i, s) in idx.iter().zip(strides) {
            let m = self.inst(Ty::I64, format!("mul i64 {}, {}", i.r, s.r));
            off = self.inst(Ty::I64, format!("add i64 {}, {}", off.r, m.r));
        }
        off
    }

    pub(super) fn dim(&mut self, a: &V, d: u8) -> V {
        self.array_field(a, array_shape_offset(d as u32), Ty::I64)
    }

    /// An index's value. `a[j + 1]`, `a[i - w]`: without bounds checks an index that
    /// overflows int64 is an out-of-bounds access whatever it wraps to, so the offset arithmetic
    /// may assume it does not (`nsw`). That lets LLVM see `j + 1 >= 0` in a loop from 1 and drop
    /// the negative-index adjustment, which otherwise makes the stencil loads gathers. For
    /// `x - y` the adjustment's test is `x < y` itself: after `if i >= w:` LLVM then knows the
    /// answer, which it does not derive from `i - w < 0` when the difference has other uses
    /// (a sliding-window sum ran at 1.1x Numba's time with the adjustment left in).
    pub(super) fn index(&mut self, e: &Expr) -> Index {
        if let ExprKind::Binary {
            op: op @ (BinOp::Add | BinOp::Sub),
            lhs,
            rhs,
        } = &e.kind
        {
            if !self.opts.boundscheck && e.ty == Type::I64 {
                let a = self.expr(lhs);
                let b = self.expr(rhs);
                let name = if *op == BinOp::Add { "add" } else { "sub" };
                let value = self.inst(Ty::I64, format!("{name} nsw i64 {}, {}", a.r, b.r));
                let below = (*op == BinOp::Sub).then(|| self.inst(Ty::I1, format!("icmp slt i64 {}, {}", a.r, b.r)));
                return Index { value, below };
            }
        }
        Index {
            value: self.expr(e),
            below: None,
        }
    }

    /// The address of `a[idx...]`, for indices made by `index` (negative ones count from the end).
    pub(super) fn element_ptr(&mut self, a: &V, at: ArrayType, idx: &[Index]) -> V {
        let data = self.array_field(a, ARRAY_DATA, Ty::Ptr);
        let shapes: Vec<V> = (0..at.ndim).map(|d| self.dim(a, d)).collect();
        let mut wrapped = Vec::new();
        for (d, Index { value: i, below }) in idx.iter().enumerate() {
            let neg = match below {
                Some(test) => test.clone(),
                None => self.inst(Ty::I1, format!("icmp slt i64 {}, 0", i.r)),
            };
            let adj = self.inst(Ty::I64, format!("add i64 {}, {}", i.r, shapes[d].r));
            let w = self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", neg.r, adj.r, i.r));
            if self.opts.boundscheck {
                let oob = self.inst(Ty::I1, format!("icmp uge i64 {}, {}", w.r, shapes[d].r));
                self.raise_if(&oob, "IndexError", "index is out of bounds");
            }
            wrapped.push(w);
        }
        let elem = llvm_mem(at.dtype);
        match at.layout {
            Layout::C | Layout::F => {
                let order: Vec<usize> = if at.layout == Layout::C {
                    (0..idx.len()).collect()
                } else {
                    (0..idx.len()).rev().collect()
                };
                let mut lin = wrapped[order[0]].clone();
                for &d in &order[1..] {
                    let m = self.inst(Ty::I64, format!("mul nsw i64 {}, {}", lin.r, shapes[d].r));
                    lin = self.inst(Ty::I64, format!("add nsw i64 {}, {}", m.r, wrapped[d].r));
                }
                self.inst(
                    Ty::Ptr,
                    format!("getelementptr inbounds {elem}, ptr {}, i64 {}", data.r, lin.r),
                )
            }
            Layout::A => {
                // Strides in elements, not bytes: LLVM's loop vectoriser can then version a loop
                // on "stride == 1" and run the contiguous case as packed vector code. Callers
                // guarantee byte strides are multiples of the element size (kc_call and the
                // Python binding check it; kcache.h documents it for the typed entry).
                let size = at.dtype.itemsize() as i64;
                let mut off: Option<V> = None;
                for (d, w) in wrapped.iter().enumerate() {
                    let bytes = self.array_field(a, array_stride_offset(d as u32), Ty::I64);
                    let stride = if size == 1 {
                        bytes
                    } else {
                        self.inst(Ty::I64, format!("sdiv exact i64 {}, {size}", bytes.r))
                    };
                    let m = self.inst(Ty::I64, format!("mul nsw i64 {}, {}", w.r, stride.r));
                    off = Some(match off {
                        None => m,
                        Some(o) => self.inst(Ty::I64, format!("add nsw i64 {}, {}", o.r, m.r)),
                    });
                }
                let off = off.expect("arrays have at least one dimension");
                self.inst(
                    Ty::Ptr,
                    format!("getelementptr inbounds {elem}, ptr {}, i64 {}", data.r, off.r),
                )
            }
        }
    }
}
