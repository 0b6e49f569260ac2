//! Element-wise array computations (`ArrayMap`) and stores into existing arrays
//! (`ArrayStore`): one loop nest over the result, inputs broadcast as NumPy does, no temporary
//! arrays. When every array is C-contiguous with the result's shape the nest is one flat loop.

use std::fmt::Write as _;

use super::parallel::MIN_LIGHT_CHUNK;
use super::*;

/// An input of an element-wise loop, evaluated once before the loop.
#[derive(Clone)]
pub(super) enum Input {
    Array { desc: V, at: ArrayType },
    Scalar(V),
}

impl<'p> Lowerer<'p> {
    pub(super) fn map_inputs(&mut self, inputs: &[Expr]) -> Vec<Input> {
        inputs
            .iter()
            .map(|e| match e.ty.array() {
                Some(at) => Input::Array { desc: self.expr(e), at },
                None => Input::Scalar(self.expr(e)),
            })
            .collect()
    }

    /// A loop `for k in 0..trip` whose body `f` gets `k`.
    pub(super) fn simple_loop(&mut self, trip: &V, f: &mut dyn FnMut(&mut Self, &V)) {
        let counter = self.fresh();
        let _ = writeln!(self.allocas, "  {counter} = alloca i64");
        self.emit(format!("store i64 0, ptr {counter}"));
        let lc = self.new_label("loop.cond");
        let lb = self.new_label("loop.body");
        let lx = self.new_label("loop.end");
        self.start_block(&lc);
        let k = self.inst(Ty::I64, format!("load i64, ptr {counter}"));
        let more = self.inst(Ty::I1, format!("icmp slt i64 {}, {}", k.r, trip.r));
        self.terminate(format!("br i1 {}, label %{lb}, label %{lx}", more.r));
        self.start_block(&lb);
        self.enter_loop();
        f(self, &k);
        self.loop_nesting -= 1;
        let k2 = self.inst(Ty::I64, format!("load i64, ptr {counter}"));
        let next = self.inst(Ty::I64, format!("add nuw nsw i64 {}, 1", k2.r));
        self.emit(format!("store i64 {}, ptr {counter}", next.r));
        self.terminate(format!("br label %{lc}"));
        self.start_block(&lx);
        if self.loop_nesting == 0 {
            self.check_deferred_zero();
        }
    }

    /// Nested loops over `dims`; `f` gets the indices, outermost first.
    pub(super) fn loop_nest(&mut self, dims: &[V], f: &mut dyn FnMut(&mut Self, &[V])) {
        fn go<'p>(lw: &mut Lowerer<'p>, dims: &[V], idx: &mut Vec<V>, f: &mut dyn FnMut(&mut Lowerer<'p>, &[V])) {
            if idx.len() == dims.len() {
                f(lw, idx);
                return;
            }
            let trip = dims[idx.len()].clone();
            lw.simple_loop(&trip, &mut |lw, k| {
                idx.push(k.clone());
                go(lw, dims, idx, f);
                idx.pop();
            });
        }
        go(self, dims, &mut Vec::new(), f)
    }

    /// The broadcast shape of the array inputs for an `ndim`-d result; ValueError when two
    /// extents differ and neither is 1.
    fn broadcast_shape(&mut self, inputs: &[Input], ndim: u8) -> Vec<V> {
        let mut dims = Vec::new();
        for d in 0..ndim as i64 {
            let mut dim = V {
                r: "1".into(),
                t: Ty::I64,
            };
            for input in inputs {
                let Input::Array { desc, at } = input else { continue };
                let di = d - (ndim as i64 - at.ndim as i64);
                if di < 0 {
                    continue;
                }
                let n = self.dim(desc, di as u8);
                let ne1 = self.inst(Ty::I1, format!("icmp ne i64 {}, 1", n.r));
                let dim_ne1 = self.inst(Ty::I1, format!("icmp ne i64 {}, 1", dim.r));
                let differ = self.inst(Ty::I1, format!("icmp ne i64 {}, {}", dim.r, n.r));
                let both = self.inst(Ty::I1, format!("and i1 {}, {}", ne1.r, dim_ne1.r));
                let bad = self.inst(Ty::I1, format!("and i1 {}, {}", both.r, differ.r));
                self.raise_if(&bad, "ValueError", "operands could not be broadcast together");
                dim = self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", ne1.r, n.r, dim.r));
            }
            dims.push(dim);
        }
        dims
    }

    /// `np.zeros(...)`, `a + b`, `np.sqrt(a)`, ...: a new array.
    pub(super) fn array_map(&mut self, m: &ArrayMap, ty: &Type) -> V {
        let at = ty.array().expect("maps make arrays");
        let inputs = self.map_inputs(&m.inputs);
        let dims = match &m.shape {
            Some(shape) => {
                let values = self.input_values(&inputs);
                self.elems.push((values, Vec::new()));
                let dims: Vec<V> = shape.iter().map(|e| self.expr(e)).collect();
                self.elems.pop();
                dims
            }
            None => self.broadcast_shape(&inputs, at.ndim),
        };
        let out = self.alloc_array(at.dtype, &dims);
        if let Some(body) = &m.body {
            self.map_loop(&inputs, &dims, body, &out, at, m.shape.is_some());
        }
        out
    }

    /// What `Elem(k)` is outside the loop: scalar inputs' values (arrays' are per element).
    fn input_values(&self, inputs: &[Input]) -> Vec<V> {
        inputs
            .iter()
            .map(|i| match i {
                Input::Scalar(v) => v.clone(),
                Input::Array { desc, .. } => desc.clone(),
            })
            .collect()
    }

    /// Element strides of an input for a loop over `n` dimensions: 0 where it broadcasts.
    /// With `check`, an extent that is neither the loop's nor 1 raises ValueError.
    fn input_strides(&mut self, desc: &V, at: ArrayType, dims: &[V], check: bool) -> Vec<V> {
        let n = dims.len() as i64;
        let size = at.dtype.itemsize() as i64;
        (0..n)
            .map(|d| {
                let di = d - (n - at.ndim as i64);
                if di < 0 {
                    return V {
                        r: "0".into(),
                        t: Ty::I64,
                    };
                }
                let extent = self.dim(desc, di as u8);
                if check {
                    let ne1 = self.inst(Ty::I1, format!("icmp ne i64 {}, 1", extent.r));
                    let differ = self.inst(Ty::I1, format!("icmp ne i64 {}, {}", extent.r, dims[d as usize].r));
                    let bad = self.inst(Ty::I1, format!("and i1 {}, {}", ne1.r, differ.r));
                    self.raise_if(
                        &bad,
                        "ValueError",
                        "could not broadcast the input array to the result's shape",
                    );
                }
                let bytes = self.array_field(desc, array_stride_offset(di as u32), Ty::I64);
                let elems = if size == 1 {
                    bytes
                } else {
                    self.inst(Ty::I64, format!("sdiv exact i64 {}, {size}", bytes.r))
                };
                let one = self.inst(Ty::I1, format!("icmp eq i64 {}, 1", extent.r));
                self.inst(Ty::I64, format!("select i1 {}, i64 0, i64 {}", one.r, elems.r))
            })
            .collect()
    }

    /// Whether a descriptor is C-contiguous (its type may say so already).
    pub(super) fn is_c_contiguous(&mut self, desc: &V, at: ArrayType) -> V {
        if at.layout == Layout::C {
            return V {
                r: "true".into(),
                t: Ty::I1,
            };
        }
        let mut expected = V {
            r: at.dtype.itemsize().to_string(),
            t: Ty::I64,
        };
        let mut ok = V {
            r: "true".into(),
            t: Ty::I1,
        };
        for d in (0..at.ndim).rev() {
            let s = self.array_field(desc, array_stride_offset(d as u32), Ty::I64);
            let eq = self.inst(Ty::I1, format!("icmp eq i64 {}, {}", s.r, expected.r));
            ok = self.inst(Ty::I1, format!("and i1 {}, {}", ok.r, eq.r));
            if d > 0 {
                let n = self.dim(desc, d);
                expected = self.inst(Ty::I64, format!("mul i64 {}, {}", expected.r, n.r));
            }
        }
        ok
    }

    pub(super) fn load_element(&mut self, data: &V, dtype: Scalar, offset: &V) -> V {
        let mt = llvm_mem(dtype);
        let p = self.inst(Ty::Ptr, format!("getelementptr {mt}, ptr {}, i64 {}", data.r, offset.r));
        let v = self.inst(mt, format!("load {mt}, ptr {}", p.r));
        if dtype == Scalar::Bool {
            self.inst(Ty::I1, format!("icmp ne i8 {}, 0", v.r))
        } else {
            v
        }
    }

    pub(super) fn store_element(&mut self, data: &V, dtype: Scalar, offset: &V, value: &V) {
        let mt = llvm_mem(dtype);
        let v = if dtype == Scalar::Bool {
            self.inst(Ty::I8, format!("zext i1 {} to i8", value.r))
        } else {
            value.clone()
        };
        let p = self.inst(Ty::Ptr, format!("getelementptr {mt}, ptr {}, i64 {}", data.r, offset.r));
        self.emit(format!("store {mt} {}, ptr {}", v.r, p.r));
    }

    /// The element loop: `dest[i...] = body(inputs[i...])` over `dims`. `check_inputs`: the
    /// dims were not derived from the inputs, so each input's extents are checked against them.
    pub(super) fn map_loop(
        &mut self,
        inputs: &[Input],
        dims: &[V],
        body: &Expr,
        dest: &V,
        dest_at: ArrayType,
        check_inputs: bool,
    ) {
        let n = dims.len();
        let dest_data = self.array_field(dest, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let arrays: Vec<(usize, ArrayType)> = inputs
            .iter()
            .enumerate()
            .filter_map(|(k, i)| match i {
                Input::Array { at, .. } => Some((k, *at)),
                Input::Scalar(_) => None,
            })
            .collect();
        let descs: Vec<V> = inputs
            .iter()
            .filter_map(|i| match i {
                Input::Array { desc, .. } => Some(desc.clone()),
                Input::Scalar(_) => None,
            })
            .collect();
        let strides: Vec<Vec<V>> = descs
            .iter()
            .zip(&arrays)
            .map(|(desc, (_, at))| self.input_strides(desc, *at, dims, check_inputs))
            .collect();
        let datas: Vec<V> = descs
            .iter()
            .map(|desc| self.array_field(desc, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr))
            .collect();
        let scalar_values = self.input_values(inputs);
        let dest_strides = {
            let size = dest_at.dtype.itemsize() as i64;
            (0..n as u8)
                .map(|d| {
                    let b = self.array_field(dest, array_stride_offset(d as u32), Ty::I64);
                    if size == 1 {
                        b
                    } else {
                        self.inst(Ty::I64, format!("sdiv exact i64 {}, {size}", b.r))
                    }
                })
                .collect::<Vec<V>>()
        };
        // One flat loop when the destination and every array input are C-contiguous with the
        // destination's shape (the common case: the same shapes, no broadcasting).
        let flat = (n > 1).then(|| {
            let mut flat = self.is_c_contiguous(dest, dest_at);
            for (desc, (_, at)) in descs.iter().zip(&arrays) {
                if at.ndim as usize != n {
                    return V {
                        r: "false".into(),
                        t: Ty::I1,
                    };
                }
                let c = self.is_c_contiguous(desc, *at);
                flat = self.inst(Ty::I1, format!("and i1 {}, {}", flat.r, c.r));
                for (d, dim) in dims.iter().enumerate() {
                    let e = self.dim(desc, d as u8);
                    let same = self.inst(Ty::I1, format!("icmp eq i64 {}, {}", e.r, dim.r));
                    flat = self.inst(Ty::I1, format!("and i1 {}, {}", flat.r, same.r));
                }
            }
            flat
        });
        let values = MapValues {
            dest_data,
            datas,
            strides,
            dest_strides,
            scalar_values,
            dims: dims.to_vec(),
            flat,
        };
        let shape = MapShape { arrays, body, dest_at };
        if self.opts.parallel && !self.in_region && n > 0 && splittable(body) {
            self.parallel_map(&values, &shape);
        } else {
            self.map_nest(&values, &shape, None);
        }
    }

    /// The loops of `map_loop` over all of `values.dims`, or with `range`, over the part
    /// `[lo, hi)` of the flat index (when `values.flat` holds) or of the outermost dimension.
    fn map_nest(&mut self, values: &MapValues, shape: &MapShape, range: Option<(V, V)>) {
        let body_ty = shape.body.ty.clone();
        let dest_ty = Type::Scalar(shape.dest_at.dtype);
        let dest_at = shape.dest_at;
        let element = |lw: &mut Self, offsets: &[V], dest_off: &V, idx: &[V]| {
            let mut elems = values.scalar_values.clone();
            for (j, (k, at)) in shape.arrays.iter().enumerate() {
                elems[*k] = lw.load_element(&values.datas[j], at.dtype, &offsets[j]);
            }
            lw.elems.push((elems, idx.to_vec()));
            lw.ufunc_depth += 1;
            let v = lw.expr(shape.body);
            lw.ufunc_depth -= 1;
            lw.elems.pop();
            let v = lw.cast(v, &body_ty, &dest_ty);
            lw.store_element(&values.dest_data, dest_at.dtype, dest_off, &v);
        };
        let dims = &values.dims;
        let join = self.new_label("map.end");
        if let Some(flat) = &values.flat {
            let l_flat = self.new_label("map.flat");
            let l_nest = self.new_label("map.nest");
            self.terminate(format!("br i1 {}, label %{l_flat}, label %{l_nest}", flat.r));
            self.start_block(&l_flat);
            let count = shape.arrays.len();
            let mut flat_element = |lw: &mut Self, k: &V| {
                let offsets = vec![k.clone(); count];
                element(lw, &offsets, k, &[]);
            };
            match &range {
                None => {
                    let mut total = dims[0].clone();
                    for d in &dims[1..] {
                        total = self.inst(Ty::I64, format!("mul i64 {}, {}", total.r, d.r));
                    }
                    self.simple_loop(&total, &mut flat_element);
                }
                Some((lo, hi)) => self.range_loop(lo, hi, &mut flat_element),
            }
            self.terminate(format!("br label %{join}"));
            self.start_block(&l_nest);
        }
        let mut nest_element = |lw: &mut Self, idx: &[V]| {
            let offsets: Vec<V> = values.strides.iter().map(|s| lw.linear_offset(idx, s)).collect();
            let dest_off = lw.linear_offset(idx, &values.dest_strides);
            element(lw, &offsets, &dest_off, idx);
        };
        match &range {
            None => self.loop_nest(dims, &mut nest_element),
            Some((lo, hi)) => self.range_loop(lo, hi, &mut |lw, first| {
                lw.loop_nest(&dims[1..], &mut |lw, rest| {
                    let idx: Vec<V> = std::iter::once(first.clone()).chain(rest.iter().cloned()).collect();
                    nest_element(lw, &idx);
                })
            }),
        }
        self.start_block(&join);
    }

    /// A loop `for k in lo..hi` whose body `f` gets `k`.
    fn range_loop(&mut self, lo: &V, hi: &V, f: &mut dyn FnMut(&mut Self, &V)) {
        let trip = self.inst(Ty::I64, format!("sub i64 {}, {}", hi.r, lo.r));
        let lo = lo.clone();
        self.simple_loop(&trip, &mut |lw, k| {
            let at = lw.inst(Ty::I64, format!("add nsw i64 {}, {}", lo.r, k.r));
            f(lw, &at)
        });
    }

    /// `map_loop` in a `parallel=True` kernel: the loops are outlined into a body the host's
    /// pool runs over chunks of the flat index (or of the outermost dimension), as a prange
    /// body is; each element is computed exactly as the serial loop computes it, so the result
    /// is the same to the last bit. Fewer than two chunks' worth of elements (see
    /// `MIN_LIGHT_CHUNK`) run on the calling thread alone.
    fn parallel_map(&mut self, values: &MapValues, shape: &MapShape) {
        let f = self.func.expect("in a function");
        self.parallel_regions += 1;
        let name = llvm_name(&format!("{}.map{}", f.symbol, self.parallel_regions));
        let packed = values.packed();
        let ctx = self.fresh();
        let _ = writeln!(self.allocas, "  {ctx} = alloca [{} x ptr]", packed.len() + 1);
        for (i, v) in packed.iter().enumerate() {
            let slot = self.fresh();
            let _ = writeln!(self.allocas, "  {slot} = alloca {}", v.t);
            self.emit(format!("store {} {}, ptr {slot}", v.t, v.r));
            let p = self.inst(Ty::Ptr, format!("getelementptr inbounds ptr, ptr {ctx}, i64 {i}"));
            self.emit(format!("store ptr {slot}, ptr {}", p.r));
        }
        let p = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds ptr, ptr {ctx}, i64 {}", packed.len()),
        );
        self.emit(format!("store ptr %exc, ptr {}", p.r));

        // Chunks of the flat index when one flat loop covers the arrays, else of the rows (the
        // outermost dimension); either way at least MIN_LIGHT_CHUNK elements per chunk.
        let dims = &values.dims;
        let mut total = dims[0].clone();
        for d in &dims[1..] {
            total = self.inst(Ty::I64, format!("mul i64 {}, {}", total.r, d.r));
        }
        let trip = match &values.flat {
            None => dims[0].clone(),
            Some(flat) => self.inst(
                Ty::I64,
                format!("select i1 {}, i64 {}, i64 {}", flat.r, total.r, dims[0].r),
            ),
        };
        let by_size = self.inst(Ty::I64, format!("sdiv i64 {}, {MIN_LIGHT_CHUNK}", total.r));
        let most = self.inst(
            Ty::I64,
            format!("call i64 @llvm.smin.i64(i64 {}, i64 {})", by_size.r, trip.r),
        );
        let region = self.region_threads(&most);
        let st = self.call_region(&region, &name, &ctx, &trip);
        let failed = self.inst(Ty::I1, format!("icmp ne i32 {}, {MODULE_STATUS_OK}", st.r));
        let l_fail = self.new_label("map.raise");
        let l_ok = self.new_label("map.ok");
        self.terminate(format!("br i1 {}, label %{l_fail}, label %{l_ok}, !prof !1", failed.r));
        let _ = writeln!(self.body, "{l_fail}:");
        self.terminated = false;
        // The body has set the exception; what this statement owns goes with the variables.
        self.propagate(&st.r);
        let _ = writeln!(self.body, "{l_ok}:");
        self.terminated = false;

        // The outlined body: the same loops over its chunk, on the values unpacked from `ctx`.
        let saved = self.enter_outlined(Vec::new());
        let saved_vars = std::mem::replace(&mut self.vars_absent, true);
        let _ = writeln!(
            self.allocas,
            "  %cexc = getelementptr inbounds ptr, ptr %ctx, i64 {}\n  %exc = load ptr, ptr %cexc",
            packed.len()
        );
        let unpacked: Vec<V> = packed
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let p = self.inst(Ty::Ptr, format!("getelementptr inbounds ptr, ptr %ctx, i64 {i}"));
                let slot = self.inst(Ty::Ptr, format!("load ptr, ptr {}", p.r));
                self.inst(v.t, format!("load {}, ptr {}", v.t, slot.r))
            })
            .collect();
        let inner = values.unpacked(&unpacked);
        let lo = V::i64("%lo");
        let hi = V::i64("%hi");
        self.map_nest(&inner, shape, Some((lo, hi)));
        self.ret(MODULE_STATUS_OK);
        self.vars_absent = saved_vars;
        self.leave_outlined(&name, saved);
    }
}

/// The values the loops of `map_loop` use, computed before them.
struct MapValues {
    dest_data: V,
    datas: Vec<V>,
    strides: Vec<Vec<V>>,
    dest_strides: Vec<V>,
    /// Per input: a scalar's value (an array's entry is replaced by its element).
    scalar_values: Vec<V>,
    dims: Vec<V>,
    /// For 2 or more dimensions: whether one flat loop covers them.
    flat: Option<V>,
}

impl MapValues {
    /// Every value, in the order `unpacked` reads them back.
    fn packed(&self) -> Vec<V> {
        let mut out = vec![self.dest_data.clone()];
        out.extend(self.datas.iter().cloned());
        out.extend(self.strides.iter().flatten().cloned());
        out.extend(self.dest_strides.iter().cloned());
        out.extend(self.scalar_values.iter().cloned());
        out.extend(self.dims.iter().cloned());
        out.extend(self.flat.iter().cloned());
        out
    }

    /// The same structure as `self`, holding `values` (as `packed` listed them).
    fn unpacked(&self, values: &[V]) -> MapValues {
        let mut it = values.iter().cloned();
        let mut take = |k: usize| -> Vec<V> { it.by_ref().take(k).collect() };
        let dest_data = take(1).remove(0);
        let datas = take(self.datas.len());
        let strides = self.strides.iter().map(|s| take(s.len())).collect();
        let dest_strides = take(self.dest_strides.len());
        let scalar_values = take(self.scalar_values.len());
        let dims = take(self.dims.len());
        let flat = self.flat.as_ref().map(|_| take(1).remove(0));
        MapValues {
            dest_data,
            datas,
            strides,
            dest_strides,
            scalar_values,
            dims,
            flat,
        }
    }
}

/// What `map_loop` computes: the array inputs (input position, type), the element body and
/// the destination's type.
struct MapShape<'e> {
    arrays: Vec<(usize, ArrayType)>,
    body: &'e Expr,
    dest_at: ArrayType,
}

/// Whether an element body can run on any thread, chunk by chunk: scalar arithmetic and math
/// on the elements only (no calls, which may draw random numbers or print, no variables, which
/// live in the kernel's frame, no nested arrays).
fn splittable(body: &Expr) -> bool {
    !matches!(body.ty, Type::Array(_))
        && super::parallel::scalar_arithmetic(&body.kind)
        && crate::tir::visit::children(body).into_iter().all(splittable)
}

impl<'p> Lowerer<'p> {
    /// The byte range [lo, hi) an array's elements occupy, as integers (an empty array gives an
    /// empty range).
    fn extent(&mut self, desc: &V, at: ArrayType) -> (V, V) {
        let data = self.array_field(desc, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let base = self.inst(Ty::I64, format!("ptrtoint ptr {} to i64", data.r));
        let mut lo = base.clone();
        let mut hi = base.clone();
        let mut empty = V {
            r: "false".into(),
            t: Ty::I1,
        };
        for d in 0..at.ndim {
            let n = self.dim(desc, d);
            let z = self.inst(Ty::I1, format!("icmp sle i64 {}, 0", n.r));
            empty = self.inst(Ty::I1, format!("or i1 {}, {}", empty.r, z.r));
            let s = self.array_field(desc, array_stride_offset(d as u32), Ty::I64);
            let last = self.inst(Ty::I64, format!("sub i64 {}, 1", n.r));
            let span = self.inst(Ty::I64, format!("mul i64 {}, {}", last.r, s.r));
            let neg = self.inst(Ty::I1, format!("icmp slt i64 {}, 0", span.r));
            let down = self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 0", neg.r, span.r));
            let up = self.inst(Ty::I64, format!("select i1 {}, i64 0, i64 {}", neg.r, span.r));
            lo = self.inst(Ty::I64, format!("add i64 {}, {}", lo.r, down.r));
            hi = self.inst(Ty::I64, format!("add i64 {}, {}", hi.r, up.r));
        }
        hi = self.inst(Ty::I64, format!("add i64 {}, {}", hi.r, at.dtype.itemsize()));
        // An empty array occupies nothing.
        let lo = self.inst(Ty::I64, format!("select i1 {}, i64 0, i64 {}", empty.r, lo.r));
        let hi = self.inst(Ty::I64, format!("select i1 {}, i64 0, i64 {}", empty.r, hi.r));
        (lo, hi)
    }

    /// `input` itself, or a contiguous copy of it when it shares memory with `dest` in any way
    /// other than element for element (`a[1:] = a[:-1]` must read the old values, as NumPy's).
    fn unaliased(&mut self, dest: &V, dest_at: ArrayType, input: &V, at: ArrayType) -> V {
        let (dlo, dhi) = self.extent(dest, dest_at);
        let (ilo, ihi) = self.extent(input, at);
        let a = self.inst(Ty::I1, format!("icmp ult i64 {}, {}", dlo.r, ihi.r));
        let b = self.inst(Ty::I1, format!("icmp ult i64 {}, {}", ilo.r, dhi.r));
        let overlap = self.inst(Ty::I1, format!("and i1 {}, {}", a.r, b.r));
        // The same elements in the same places: safe element by element.
        let mut same = V {
            r: if at.ndim == dest_at.ndim && at.dtype == dest_at.dtype {
                "true".into()
            } else {
                "false".into()
            },
            t: Ty::I1,
        };
        if at.ndim == dest_at.ndim && at.dtype == dest_at.dtype {
            let dd = self.array_field(dest, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
            let id = self.array_field(input, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
            let eq = self.inst(Ty::I1, format!("icmp eq ptr {}, {}", dd.r, id.r));
            same = self.inst(Ty::I1, format!("and i1 {}, {}", same.r, eq.r));
            for d in 0..at.ndim {
                for off in [array_shape_offset(d as u32), array_stride_offset(d as u32)] {
                    let x = self.array_field(dest, off, Ty::I64);
                    let y = self.array_field(input, off, Ty::I64);
                    let eq = self.inst(Ty::I1, format!("icmp eq i64 {}, {}", x.r, y.r));
                    same = self.inst(Ty::I1, format!("and i1 {}, {}", same.r, eq.r));
                }
            }
        }
        let not_same = self.inst(Ty::I1, format!("xor i1 {}, true", same.r));
        let copy = self.inst(Ty::I1, format!("and i1 {}, {}", overlap.r, not_same.r));
        let chosen = self.fresh();
        let _ = writeln!(self.allocas, "  {chosen} = alloca ptr");
        self.emit(format!("store ptr {}, ptr {chosen}", input.r));
        let l_copy = self.new_label("alias.copy");
        let l_go = self.new_label("alias.ok");
        self.terminate(format!("br i1 {}, label %{l_copy}, label %{l_go}", copy.r));
        self.start_block(&l_copy);
        let dims = self.dims_of(input, at.ndim);
        let tmp = self.alloc_array(at.dtype, &dims);
        let identity = Expr::new(ExprKind::Elem(0), Type::Scalar(at.dtype));
        let tmp_at = ArrayType {
            layout: Layout::C,
            ..at
        };
        self.map_loop(
            &[Input::Array {
                desc: input.clone(),
                at,
            }],
            &dims,
            &identity,
            &tmp,
            tmp_at,
            false,
        );
        self.emit(format!("store ptr {}, ptr {chosen}", tmp.r));
        self.start_block(&l_go);
        self.inst(Ty::Ptr, format!("load ptr, ptr {chosen}"))
    }

    /// `dest[...] = value` element-wise (slice assignment, in-place operators, `a[:] = 0`).
    pub(super) fn array_store(&mut self, dest: &Expr, value: &Expr) {
        let dest_at = dest.ty.array().expect("stores go into arrays");
        let d = self.expr(dest);
        let dims = self.dims_of(&d, dest_at.ndim);
        let (inputs, body) = match &value.kind {
            ExprKind::ArrayMap(m) if m.shape.is_none() && m.body.is_some() => {
                (self.map_inputs(&m.inputs), m.body.clone().expect("checked"))
            }
            _ => {
                let input = match value.ty.array() {
                    Some(at) => Input::Array {
                        desc: self.expr(value),
                        at,
                    },
                    None => Input::Scalar(self.expr(value)),
                };
                let s = value.ty.array().map(|a| a.dtype).or(value.ty.scalar()).expect("typed");
                (vec![input], Expr::new(ExprKind::Elem(0), Type::Scalar(s)))
            }
        };
        let inputs: Vec<Input> = inputs
            .into_iter()
            .map(|i| match i {
                Input::Array { desc, at } => {
                    let desc = self.unaliased(&d, dest_at, &desc, at);
                    Input::Array { desc, at }
                }
                scalar => scalar,
            })
            .collect();
        for input in &inputs {
            if let Input::Array { at, .. } = input {
                if at.ndim > dest_at.ndim {
                    self.raise(
                        "ValueError",
                        "could not broadcast the input array to the result's shape",
                    );
                    return;
                }
            }
        }
        self.map_loop(&inputs, &dims, &body, &d, dest_at, true);
    }
}
