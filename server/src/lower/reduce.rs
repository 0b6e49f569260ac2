//! Reductions and `np.dot`. Float sums (and so means, variances) use NumPy's pairwise
//! summation on the same blocks NumPy uses, so that `a.sum()` is NumPy's to the last bit on
//! contiguous data; the other reductions go in index order.

use std::fmt::Write as _;

use super::array_expr::Input;
use super::parallel::MIN_LIGHT_CHUNK;
use super::*;

fn konst(v: i64) -> V {
    V {
        r: v.to_string(),
        t: Ty::I64,
    }
}

/// NumPy's buffer size: non-contiguous data is summed pairwise in chunks of this many.
const BUFFER: i64 = 8192;

impl<'p> Lowerer<'p> {
    /// `@kc.pairwise.<t>(ptr data, i64 n, i64 stride_elems)`: NumPy's `pairwise_sum`.
    ///
    /// Unit-stride data goes to a copy of the same function with the stride fixed at one,
    /// where LLVM turns the eight accumulators into vector lanes (the same additions in the same
    /// order, so the same bits); at a runtime stride they stay scalar.
    fn pairwise_fn(&mut self, t: Ty) -> String {
        let name = format!("@kc.pairwise.{}", t.float_suffix());
        let unit = format!("@kc.pairwise.unit.{}", t.float_suffix());
        self.pairwise_body(t, &unit, "  %s = add i64 1, 0\n  br label %start\nstart:\n");
        let dispatch = format!(
            "  %unit = icmp eq i64 %s, 1\n  br i1 %unit, label %to.unit, label %start\nto.unit:\n  %u = tail call {t} {unit}(ptr %a, i64 %n, i64 1)\n  ret {t} %u\nstart:\n"
        );
        self.pairwise_body(t, &name, &dispatch);
        name
    }

    /// One pairwise-sum function: `prologue` ends in a block labelled `start` with `%s`, the
    /// stride in elements, defined.
    fn pairwise_body(&mut self, t: Ty, name: &str, prologue: &str) {
        let zero = if t == Ty::Float {
            float32_lit(0.0)
        } else {
            float_lit(0.0)
        };
        let param = if prologue.contains("%s = ") { "%stride" } else { "%s" };
        let mut f = format!("define internal {t} {name}(ptr %a, i64 %n, i64 {param}) #0 {{\nentry:\n{prologue}");
        // n < 8: a plain sum.
        let _ = write!(
            f,
            "  %small = icmp slt i64 %n, 8\n  br i1 %small, label %plain, label %mid\nplain:\n  br label %pl.cond\npl.cond:\n  %pi = phi i64 [0, %plain], [%pi2, %pl.body]\n  %pr = phi {t} [{zero}, %plain], [%pr2, %pl.body]\n  %pmore = icmp slt i64 %pi, %n\n  br i1 %pmore, label %pl.body, label %pl.end\npl.body:\n  %po = mul i64 %pi, %s\n  %pp = getelementptr {t}, ptr %a, i64 %po\n  %pv = load {t}, ptr %pp\n  %pr2 = fadd {t} %pr, %pv\n  %pi2 = add i64 %pi, 1\n  br label %pl.cond\npl.end:\n  ret {t} %pr\n"
        );
        // n <= 128: eight accumulators, combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)).
        let _ = write!(
            f,
            "mid:\n  %big = icmp sgt i64 %n, 128\n  br i1 %big, label %split, label %block\nblock:\n"
        );
        for j in 0..8 {
            let _ = write!(
                f,
                "  %o{j} = mul i64 {j}, %s\n  %p{j} = getelementptr {t}, ptr %a, i64 %o{j}\n  %r{j} = load {t}, ptr %p{j}\n"
            );
        }
        let _ = write!(
            f,
            "  %rem = srem i64 %n, 8\n  %lim = sub i64 %n, %rem\n  br label %b.cond\nb.cond:\n  %bi = phi i64 [8, %block], [%bi2, %b.body]\n"
        );
        for j in 0..8 {
            let _ = writeln!(f, "  %a{j} = phi {t} [%r{j}, %block], [%a{j}n, %b.body]");
        }
        let _ = write!(
            f,
            "  %bmore = icmp slt i64 %bi, %lim\n  br i1 %bmore, label %b.body, label %b.end\nb.body:\n"
        );
        for j in 0..8 {
            let _ = write!(
                f,
                "  %bx{j} = add i64 %bi, {j}\n  %bo{j} = mul i64 %bx{j}, %s\n  %bp{j} = getelementptr {t}, ptr %a, i64 %bo{j}\n  %bv{j} = load {t}, ptr %bp{j}\n  %a{j}n = fadd {t} %a{j}, %bv{j}\n"
            );
        }
        let _ = write!(
            f,
            "  %bi2 = add i64 %bi, 8\n  br label %b.cond\nb.end:\n  %c01 = fadd {t} %a0, %a1\n  %c23 = fadd {t} %a2, %a3\n  %c45 = fadd {t} %a4, %a5\n  %c67 = fadd {t} %a6, %a7\n  %c0 = fadd {t} %c01, %c23\n  %c1 = fadd {t} %c45, %c67\n  %res = fadd {t} %c0, %c1\n  br label %t.cond\nt.cond:\n  %ti = phi i64 [%bi, %b.end], [%ti2, %t.body]\n  %tr = phi {t} [%res, %b.end], [%tr2, %t.body]\n  %tmore = icmp slt i64 %ti, %n\n  br i1 %tmore, label %t.body, label %t.end\nt.body:\n  %to = mul i64 %ti, %s\n  %tp = getelementptr {t}, ptr %a, i64 %to\n  %tv = load {t}, ptr %tp\n  %tr2 = fadd {t} %tr, %tv\n  %ti2 = add i64 %ti, 1\n  br label %t.cond\nt.end:\n  ret {t} %tr\n"
        );
        // Larger: halves, the first a multiple of eight.
        let _ = write!(
            f,
            "split:\n  %h = sdiv i64 %n, 2\n  %hr = srem i64 %h, 8\n  %n2 = sub i64 %h, %hr\n  %left = call {t} {name}(ptr %a, i64 %n2, i64 %s)\n  %off = mul i64 %n2, %s\n  %b = getelementptr {t}, ptr %a, i64 %off\n  %n3 = sub i64 %n, %n2\n  %right = call {t} {name}(ptr %b, i64 %n3, i64 %s)\n  %sum = fadd {t} %left, %right\n  ret {t} %sum\n}}\n"
        );
        self.declare(f);
    }

    /// In a `parallel=True` kernel, a pairwise sum of more than 128 elements (which splits in
    /// two halves at its top level) sums the halves on two threads and adds them as the serial
    /// sum does: the same tree of additions, so NumPy's result to the bit. Stores the sum in
    /// `slot` and branches to `end`; smaller sums fall through to the serial call.
    #[allow(clippy::too_many_arguments)]
    fn parallel_pairwise(&mut self, lt: Ty, pw: &str, data: &V, n: &V, stride: &V, slot: &str, end: &str) {
        let halves = self.pairwise_halves_fn(lt, pw);
        let l_split = self.new_label("sum.halves");
        let l_whole = self.new_label("sum.whole");
        let big = self.inst(Ty::I1, format!("icmp sgt i64 {}, 128", n.r));
        self.terminate(format!("br i1 {}, label %{l_split}, label %{l_whole}", big.r));
        self.start_block(&l_split);
        // ctx: data, n, stride (in elements), then the two partial sums.
        let ctx = self.fresh();
        let _ = writeln!(self.allocas, "  {ctx} = alloca [5 x i64], align 8");
        self.emit(format!("store ptr {}, ptr {ctx}", data.r));
        let pn = self.inst(Ty::Ptr, format!("getelementptr inbounds i64, ptr {ctx}, i64 1"));
        self.emit(format!("store i64 {}, ptr {}", n.r, pn.r));
        let ps = self.inst(Ty::Ptr, format!("getelementptr inbounds i64, ptr {ctx}, i64 2"));
        self.emit(format!("store i64 {}, ptr {}", stride.r, ps.r));
        let by_size = self.inst(Ty::I64, format!("sdiv i64 {}, {MIN_LIGHT_CHUNK}", n.r));
        let most = self.inst(Ty::I64, format!("call i64 @llvm.smin.i64(i64 {}, i64 2)", by_size.r));
        let region = self.region_threads(&most);
        // The halves cannot raise: the status is always OK.
        self.call_region(&region, &halves, &ctx, &konst(2));
        let p0 = self.inst(Ty::Ptr, format!("getelementptr inbounds i64, ptr {ctx}, i64 3"));
        let p1 = self.inst(Ty::Ptr, format!("getelementptr inbounds i64, ptr {ctx}, i64 4"));
        let left = self.inst(lt, format!("load {lt}, ptr {}", p0.r));
        let right = self.inst(lt, format!("load {lt}, ptr {}", p1.r));
        let sum = self.inst(lt, format!("fadd {lt} {}, {}", left.r, right.r));
        self.emit(format!("store {lt} {}, ptr {slot}", sum.r));
        self.terminate(format!("br label %{end}"));
        self.start_block(&l_whole);
    }

    /// The region body of `parallel_pairwise`: iteration 0 sums the first half of the pairwise
    /// split (a multiple of eight elements, as `pairwise_fn` splits), iteration 1 the rest.
    fn pairwise_halves_fn(&mut self, t: Ty, pw: &str) -> String {
        let name = format!("@kc.pairwise.halves.{}", t.float_suffix());
        self.declare(format!(
            "define internal i32 {name}(ptr nocapture %ctx, i64 %lo, i64 %hi, i64 %chunk) #0 {{
entry:
  %a = load ptr, ptr %ctx
  %pn = getelementptr inbounds i64, ptr %ctx, i64 1
  %n = load i64, ptr %pn
  %pst = getelementptr inbounds i64, ptr %ctx, i64 2
  %st = load i64, ptr %pst
  %h = sdiv i64 %n, 2
  %hr = srem i64 %h, 8
  %n2 = sub i64 %h, %hr
  br label %cond
cond:
  %k = phi i64 [%lo, %entry], [%k2, %body]
  %more = icmp slt i64 %k, %hi
  br i1 %more, label %body, label %done
body:
  %first = icmp eq i64 %k, 0
  %start = select i1 %first, i64 0, i64 %n2
  %off = mul i64 %start, %st
  %rest = sub i64 %n, %n2
  %len = select i1 %first, i64 %n2, i64 %rest
  %p = getelementptr {t}, ptr %a, i64 %off
  %s = call {t} {pw}(ptr %p, i64 %len, i64 %st)
  %slot = add i64 %k, 3
  %ps = getelementptr inbounds i64, ptr %ctx, i64 %slot
  store {t} %s, ptr %ps
  %k2 = add i64 %k, 1
  br label %cond
done:
  ret i32 {MODULE_STATUS_OK}
}}
"
        ));
        name
    }

    /// A contiguous C-order copy of `a` converted to `dtype` (for sums of strided or integer
    /// data, which NumPy also runs through a buffer).
    fn contiguous(&mut self, a: &V, at: ArrayType, dtype: Scalar) -> V {
        let dims = self.dims_of(a, at.ndim);
        let out = self.alloc_array(dtype, &dims);
        self.copy_into(a, at, &out, dtype, &dims);
        out
    }

    fn copy_into(&mut self, a: &V, at: ArrayType, out: &V, dtype: Scalar, dims: &[V]) {
        let src_strides = self.element_strides(a, at);
        let src = self.array_field(a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let dst = self.array_field(out, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let counter = self.fresh();
        let _ = writeln!(self.allocas, "  {counter} = alloca i64");
        self.emit(format!("store i64 0, ptr {counter}"));
        self.loop_nest(dims, &mut |lw, idx| {
            let mut off = konst(0);
            for (i, s) in idx.iter().zip(&src_strides) {
                let p = lw.inst(Ty::I64, format!("mul i64 {}, {}", i.r, s.r));
                off = lw.inst(Ty::I64, format!("add i64 {}, {}", off.r, p.r));
            }
            let v = lw.load_element(&src, at.dtype, &off);
            let v = lw.cast(v, &Type::Scalar(at.dtype), &Type::Scalar(dtype));
            let k = lw.inst(Ty::I64, format!("load i64, ptr {counter}"));
            lw.store_element(&dst, dtype, &k, &v);
            let k1 = lw.inst(Ty::I64, format!("add i64 {}, 1", k.r));
            lw.emit(format!("store i64 {}, ptr {counter}", k1.r));
        });
    }

    fn total(&mut self, dims: &[V]) -> V {
        let mut t = konst(1);
        for d in dims {
            t = self.inst(Ty::I64, format!("mul i64 {}, {}", t.r, d.r));
        }
        t
    }

    /// NumPy's float sum of every element: pairwise over contiguous data (C or, for 2-D,
    /// Fortran order, in memory order) and over 1-D data at its stride, else over a C-order
    /// buffer in chunks of 8192.
    fn float_sum(&mut self, a: &V, at: ArrayType, t: Scalar) -> V {
        let lt = llvm_scalar(t);
        let pw = self.pairwise_fn(lt);
        let dims = self.dims_of(a, at.ndim);
        let n = self.total(&dims);
        let slot = self.fresh();
        let _ = writeln!(self.allocas, "  {slot} = alloca {lt}");
        let mut direct = if at.dtype == t {
            self.is_c_contiguous(a, at)
        } else {
            V {
                r: "false".into(),
                t: Ty::I1,
            }
        };
        // NumPy sums 1-D data of the sum's dtype pairwise at its own stride, in index order
        // (no buffer): the same as summing a contiguous copy.
        let mut stride = konst(1);
        if at.dtype == t && at.ndim == 1 {
            let bytes = self.array_field(a, array_stride_offset(0), Ty::I64);
            let size = t.itemsize();
            let rem = self.inst(Ty::I64, format!("srem i64 {}, {size}", bytes.r));
            let whole = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", rem.r));
            direct = self.inst(Ty::I1, format!("or i1 {}, {}", direct.r, whole.r));
            let elems = self.inst(Ty::I64, format!("sdiv i64 {}, {size}", bytes.r));
            stride = self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 1", whole.r, elems.r));
        }
        if at.dtype == t && at.ndim == 2 && at.layout != Layout::C {
            // A transposed C array: NumPy walks it in memory order.
            let s0 = self.array_field(a, array_stride_offset(0), Ty::I64);
            let s1 = self.array_field(a, array_stride_offset(1), Ty::I64);
            let n0 = self.dim(a, 0);
            let size = t.itemsize();
            let unit = self.inst(Ty::I1, format!("icmp eq i64 {}, {size}", s0.r));
            let col = self.inst(Ty::I64, format!("mul i64 {}, {size}", n0.r));
            let next = self.inst(Ty::I1, format!("icmp eq i64 {}, {}", s1.r, col.r));
            let f = self.inst(Ty::I1, format!("and i1 {}, {}", unit.r, next.r));
            direct = self.inst(Ty::I1, format!("or i1 {}, {}", direct.r, f.r));
        }
        let l_direct = self.new_label("sum.direct");
        let l_buffer = self.new_label("sum.buffer");
        let l_end = self.new_label("sum.end");
        self.terminate(format!("br i1 {}, label %{l_direct}, label %{l_buffer}", direct.r));
        self.start_block(&l_direct);
        let data = self.array_field(a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        if self.opts.parallel && !self.in_region {
            self.parallel_pairwise(lt, &pw, &data, &n, &stride, &slot, &l_end);
        }
        let s = self.inst(
            lt,
            format!("call {lt} {pw}(ptr {}, i64 {}, i64 {})", data.r, n.r, stride.r),
        );
        self.emit(format!("store {lt} {}, ptr {slot}", s.r));
        self.terminate(format!("br label %{l_end}"));
        self.start_block(&l_buffer);
        let buf = self.contiguous(a, at, t);
        let bdata = self.array_field(&buf, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let zero = if t == Scalar::F32 {
            float32_lit(0.0)
        } else {
            float_lit(0.0)
        };
        self.emit(format!("store {lt} {zero}, ptr {slot}"));
        let chunks = self.inst(Ty::I64, format!("add i64 {}, {}", n.r, BUFFER - 1));
        let chunks = self.inst(Ty::I64, format!("sdiv i64 {}, {BUFFER}", chunks.r));
        self.simple_loop(&chunks, &mut |lw, c| {
            let start = lw.inst(Ty::I64, format!("mul i64 {}, {BUFFER}", c.r));
            let left = lw.inst(Ty::I64, format!("sub i64 {}, {}", n.r, start.r));
            lw.declare("declare i64 @llvm.smin.i64(i64, i64)".into());
            let len = lw.inst(
                Ty::I64,
                format!("call i64 @llvm.smin.i64(i64 {}, i64 {BUFFER})", left.r),
            );
            let p = lw.inst(Ty::Ptr, format!("getelementptr {lt}, ptr {}, i64 {}", bdata.r, start.r));
            let part = lw.inst(lt, format!("call {lt} {pw}(ptr {}, i64 {}, i64 1)", p.r, len.r));
            let acc = lw.inst(lt, format!("load {lt}, ptr {slot}"));
            let acc = lw.inst(lt, format!("fadd {lt} {}, {}", acc.r, part.r));
            lw.emit(format!("store {lt} {}, ptr {slot}", acc.r));
        });
        self.start_block(&l_end);
        self.inst(lt, format!("load {lt}, ptr {slot}"))
    }

    /// Folds every element in C order: `acc = step(acc, element)`, from `init`.
    fn fold(&mut self, a: &V, at: ArrayType, init: V, step: &mut dyn FnMut(&mut Self, &V, &V, &V) -> V) -> V {
        let dims = self.dims_of(a, at.ndim);
        let strides = self.element_strides(a, at);
        let data = self.array_field(a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let slot = self.fresh();
        let _ = writeln!(self.allocas, "  {slot} = alloca {}", init.t);
        self.emit(format!("store {} {}, ptr {slot}", init.t, init.r));
        let counter = self.fresh();
        let _ = writeln!(self.allocas, "  {counter} = alloca i64");
        self.emit(format!("store i64 0, ptr {counter}"));
        let t = init.t;
        self.loop_nest(&dims, &mut |lw, idx| {
            let mut off = konst(0);
            for (i, s) in idx.iter().zip(&strides) {
                let p = lw.inst(Ty::I64, format!("mul i64 {}, {}", i.r, s.r));
                off = lw.inst(Ty::I64, format!("add i64 {}, {}", off.r, p.r));
            }
            let v = lw.load_element(&data, at.dtype, &off);
            let acc = lw.inst(t, format!("load {t}, ptr {slot}"));
            let k = lw.inst(Ty::I64, format!("load i64, ptr {counter}"));
            let next = step(lw, &acc, &v, &k);
            lw.emit(format!("store {t} {}, ptr {slot}", next.r));
            let k1 = lw.inst(Ty::I64, format!("add i64 {}, 1", k.r));
            lw.emit(format!("store i64 {}, ptr {counter}", k1.r));
        });
        self.inst(t, format!("load {t}, ptr {slot}"))
    }

    /// `@kc.extreme.<max|min>.<t>(ptr data, i64 n)`: the largest (smallest) of `n >= 1`
    /// contiguous floats, NaN if any is NaN. LLVM does not vectorise a NaN-propagating
    /// reduction, so this one is written in 64-byte vectors: four running extremes that ignore
    /// NaN (one `maxpd`/`minpd` each) and a running "saw a NaN" mask, combined at the end.
    fn extreme_fn(&mut self, max: bool, t: Ty) -> String {
        let which = if max { "max" } else { "min" };
        let name = format!("@kc.extreme.{which}.{}", t.float_suffix());
        let lanes = if t == Ty::Float { 16 } else { 8 };
        let v = format!("<{lanes} x {t}>");
        let m = format!("<{lanes} x i1>");
        // `acc OP x ? acc : x`: x86's maxpd/minpd, which give x when either is NaN; a NaN that
        // gets in is pushed out by the next number, and the mask remembers it.
        let keep = if max { "ogt" } else { "olt" };
        let step = 4 * lanes;
        let nan = if t == Ty::Float {
            float32_lit(f64::NAN)
        } else {
            float_lit(f64::NAN)
        };
        let mut f = format!(
            "define internal {t} {name}(ptr %a, i64 %n) #0 {{\nentry:\n  %x0 = load {t}, ptr %a\n  %one = insertelement {v} poison, {t} %x0, i64 0\n  %splat = shufflevector {v} %one, {v} poison, <{lanes} x i32> zeroinitializer\n  %lim = and i64 %n, -{step}\n  br label %v.cond\nv.cond:\n  %i = phi i64 [0, %entry], [%i2, %v.body]\n  %nan = phi {m} [zeroinitializer, %entry], [%nan4, %v.body]\n"
        );
        for j in 0..4 {
            let _ = writeln!(f, "  %m{j} = phi {v} [%splat, %entry], [%m{j}n, %v.body]");
        }
        let _ = write!(
            f,
            "  %more = icmp slt i64 %i, %lim\n  br i1 %more, label %v.body, label %v.end\nv.body:\n"
        );
        for j in 0..4 {
            let prev = if j == 0 { "%nan".to_string() } else { format!("%nan{j}") };
            let _ = write!(
                f,
                "  %o{j} = add i64 %i, {}\n  %p{j} = getelementptr {t}, ptr %a, i64 %o{j}\n  %x{j}v = load {v}, ptr %p{j}, align 4\n  %k{j} = fcmp {keep} {v} %m{j}, %x{j}v\n  %m{j}n = select {m} %k{j}, {v} %m{j}, {v} %x{j}v\n  %u{j} = fcmp uno {v} %x{j}v, %x{j}v\n  %nan{} = or {m} {prev}, %u{j}\n",
                j * lanes,
                j + 1
            );
        }
        let _ = write!(
            f,
            "  %i2 = add i64 %i, {step}\n  br label %v.cond\nv.end:\n  %k01 = fcmp {keep} {v} %m0, %m1\n  %m01 = select {m} %k01, {v} %m0, {v} %m1\n  %k23 = fcmp {keep} {v} %m2, %m3\n  %m23 = select {m} %k23, {v} %m2, {v} %m3\n  %kall = fcmp {keep} {v} %m01, %m23\n  %mall = select {m} %kall, {v} %m01, {v} %m23\n  %e0 = extractelement {v} %mall, i64 0\n"
        );
        for j in 1..lanes {
            let _ = write!(
                f,
                "  %l{j} = extractelement {v} %mall, i64 {j}\n  %c{j} = fcmp {keep} {t} %e{}, %l{j}\n  %e{j} = select i1 %c{j}, {t} %e{}, {t} %l{j}\n",
                j - 1,
                j - 1
            );
        }
        let last = lanes - 1;
        let _ = write!(
            f,
            "  %vnan = call i1 @llvm.vector.reduce.or.v{lanes}i1({m} %nan)\n  br label %t.cond\nt.cond:\n  %ti = phi i64 [%lim, %v.end], [%ti2, %t.body]\n  %tr = phi {t} [%e{last}, %v.end], [%tr2, %t.body]\n  %tnan = phi i1 [%vnan, %v.end], [%tnan2, %t.body]\n  %tmore = icmp slt i64 %ti, %n\n  br i1 %tmore, label %t.body, label %t.end\nt.body:\n  %tp = getelementptr {t}, ptr %a, i64 %ti\n  %tv = load {t}, ptr %tp\n  %tk = fcmp {keep} {t} %tr, %tv\n  %tr2 = select i1 %tk, {t} %tr, {t} %tv\n  %tu = fcmp uno {t} %tv, %tv\n  %tnan2 = or i1 %tnan, %tu\n  %ti2 = add i64 %ti, 1\n  br label %t.cond\nt.end:\n  %res = select i1 %tnan, {t} {nan}, {t} %tr\n  ret {t} %res\n}}\n"
        );
        self.declare(format!("declare i1 @llvm.vector.reduce.or.v{lanes}i1({m})"));
        self.declare(f);
        name
    }

    /// A float `min`/`max` of every element: the vector helper over contiguous data (C order,
    /// or 1-D at unit stride), an element-by-element fold otherwise. NumPy propagates NaN.
    fn float_extreme(&mut self, max: bool, a: &V, at: ArrayType) -> V {
        let lt = llvm_scalar(at.dtype);
        let helper = self.extreme_fn(max, lt);
        let dims = self.dims_of(a, at.ndim);
        let n = self.total(&dims);
        let direct = if at.ndim == 1 {
            let bytes = self.array_field(a, array_stride_offset(0), Ty::I64);
            self.inst(Ty::I1, format!("icmp eq i64 {}, {}", bytes.r, at.dtype.itemsize()))
        } else {
            self.is_c_contiguous(a, at)
        };
        let slot = self.fresh();
        let _ = writeln!(self.allocas, "  {slot} = alloca {lt}");
        let l_direct = self.new_label("extreme.direct");
        let l_fold = self.new_label("extreme.fold");
        let l_end = self.new_label("extreme.end");
        self.terminate(format!("br i1 {}, label %{l_direct}, label %{l_fold}", direct.r));
        self.start_block(&l_direct);
        let data = self.array_field(a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let r = self.inst(lt, format!("call {lt} {helper}(ptr {}, i64 {})", data.r, n.r));
        self.emit(format!("store {lt} {}, ptr {slot}", r.r));
        self.terminate(format!("br label %{l_end}"));
        self.start_block(&l_fold);
        let r = self.folded_extreme(max, a, at);
        self.emit(format!("store {lt} {}, ptr {slot}", r.r));
        self.terminate(format!("br label %{l_end}"));
        self.start_block(&l_end);
        self.inst(lt, format!("load {lt}, ptr {slot}"))
    }

    /// `min`/`max` of a non-empty array element by element, in C order.
    fn folded_extreme(&mut self, max: bool, a: &V, at: ArrayType) -> V {
        let data = self.array_field(a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let init = self.load_element(&data, at.dtype, &konst(0));
        self.fold(a, at, init, &mut |lw, acc, v, _| {
            if at.dtype.is_float() {
                // NumPy propagates NaN.
                let which = if max { "maximum" } else { "minimum" };
                let sfx = v.t.float_suffix();
                lw.declare(format!("declare {} @llvm.{which}.{sfx}({}, {})", v.t, v.t, v.t));
                lw.inst(
                    v.t,
                    format!("call {} @llvm.{which}.{sfx}({} {}, {} {})", v.t, v.t, acc.r, v.t, v.r),
                )
            } else {
                let pred = match (max, at.dtype.is_signed()) {
                    (true, true) => "sgt",
                    (true, false) => "ugt",
                    (false, true) => "slt",
                    (false, false) => "ult",
                };
                let better = lw.inst(Ty::I1, format!("icmp {pred} {} {}, {}", v.t, v.r, acc.r));
                lw.inst(
                    v.t,
                    format!("select i1 {}, {} {}, {} {}", better.r, v.t, v.r, v.t, acc.r),
                )
            }
        })
    }

    fn empty_raises(&mut self, a: &V, at: ArrayType, what: &str) {
        let dims = self.dims_of(a, at.ndim);
        let n = self.total(&dims);
        let empty = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", n.r));
        self.raise_if(
            &empty,
            "ValueError",
            &format!("zero-size array to reduction operation {what} which has no identity"),
        );
    }

    /// A reduction of every element to a scalar of type `rt`.
    fn reduce_all(&mut self, op: ReduceOp, a: &V, at: ArrayType, rt: Scalar) -> V {
        let lt = llvm_scalar(rt);
        let src = Type::Scalar(at.dtype);
        let dst = Type::Scalar(rt);
        match op {
            ReduceOp::Sum if rt.is_float() => self.float_sum(a, at, rt),
            ReduceOp::Mean if rt.is_complex() => {
                let sum = self.reduce_all(ReduceOp::Sum, a, at, rt);
                let dims = self.dims_of(a, at.ndim);
                let n = self.total(&dims);
                let part = Type::Scalar(rt.real_part());
                let nf = self.cast(n, &Type::I64, &part);
                let (re, im) = self.complex_parts(&sum);
                let pt = re.t;
                let re = self.inst(pt, format!("fdiv {pt} {}, {}", re.r, nf.r));
                let im = self.inst(pt, format!("fdiv {pt} {}, {}", im.r, nf.r));
                self.make_complex(lt, &re, &im)
            }
            ReduceOp::Sum | ReduceOp::Prod => {
                let init = if rt.is_complex() {
                    let (re, im) = if op == ReduceOp::Sum { (0.0, 0.0) } else { (1.0, 0.0) };
                    self.const_value(ConstValue::Complex(re, im), &dst)
                } else if rt.is_float() {
                    let one = if rt == Scalar::F32 {
                        float32_lit(1.0)
                    } else {
                        float_lit(1.0)
                    };
                    V { r: one, t: lt }
                } else {
                    V {
                        r: if op == ReduceOp::Sum { "0" } else { "1" }.into(),
                        t: lt,
                    }
                };
                let bop = if op == ReduceOp::Sum { BinOp::Add } else { BinOp::Mul };
                self.fold(a, at, init, &mut |lw, acc, v, _| {
                    let v = lw.cast(v.clone(), &src, &dst);
                    lw.binary(bop, rt, acc.clone(), v)
                })
            }
            ReduceOp::Min | ReduceOp::Max => {
                let what = if op == ReduceOp::Min { "minimum" } else { "maximum" };
                self.empty_raises(a, at, what);
                let max = op == ReduceOp::Max;
                if at.dtype.is_float() {
                    self.float_extreme(max, a, at)
                } else {
                    self.folded_extreme(max, a, at)
                }
            }
            ReduceOp::ArgMin | ReduceOp::ArgMax => {
                let what = if op == ReduceOp::ArgMin { "argmin" } else { "argmax" };
                let dims = self.dims_of(a, at.ndim);
                let n = self.total(&dims);
                let empty = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", n.r));
                self.raise_if(
                    &empty,
                    "ValueError",
                    &format!("attempt to get {what} of an empty sequence"),
                );
                let data = self.array_field(a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
                let first = self.load_element(&data, at.dtype, &konst(0));
                let best = self.fresh();
                let vt = first.t;
                let _ = writeln!(self.allocas, "  {best} = alloca {vt}");
                self.emit(format!("store {vt} {}, ptr {best}", first.r));
                let max = op == ReduceOp::ArgMax;
                let float = at.dtype.is_float();
                let signed = at.dtype.is_signed();
                self.fold(a, at, konst(0), &mut |lw, acc, v, k| {
                    let b = lw.inst(vt, format!("load {vt}, ptr {best}"));
                    // First occurrence wins; for floats the first NaN wins over everything.
                    let better = if float {
                        let pred = if max { "ogt" } else { "olt" };
                        let strictly = lw.inst(Ty::I1, format!("fcmp {pred} {vt} {}, {}", v.r, b.r));
                        let v_nan = lw.inst(Ty::I1, format!("fcmp uno {vt} {}, {}", v.r, v.r));
                        let b_nan = lw.inst(Ty::I1, format!("fcmp uno {vt} {}, {}", b.r, b.r));
                        let b_ok = lw.inst(Ty::I1, format!("xor i1 {}, true", b_nan.r));
                        let nan_first = lw.inst(Ty::I1, format!("and i1 {}, {}", v_nan.r, b_ok.r));
                        let s = lw.inst(Ty::I1, format!("and i1 {}, {}", strictly.r, b_ok.r));
                        lw.inst(Ty::I1, format!("or i1 {}, {}", s.r, nan_first.r))
                    } else {
                        let pred = match (max, signed) {
                            (true, true) => "sgt",
                            (true, false) => "ugt",
                            (false, true) => "slt",
                            (false, false) => "ult",
                        };
                        lw.inst(Ty::I1, format!("icmp {pred} {vt} {}, {}", v.r, b.r))
                    };
                    let nb = lw.inst(vt, format!("select i1 {}, {vt} {}, {vt} {}", better.r, v.r, b.r));
                    lw.emit(format!("store {vt} {}, ptr {best}", nb.r));
                    lw.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", better.r, k.r, acc.r))
                })
            }
            ReduceOp::Any | ReduceOp::All => {
                let any = op == ReduceOp::Any;
                let init = V {
                    r: (!any).to_string(),
                    t: Ty::I1,
                };
                self.fold(a, at, init, &mut |lw, acc, v, _| {
                    let t = lw.cast(v.clone(), &src, &Type::BOOL);
                    let o = if any { "or" } else { "and" };
                    lw.inst(Ty::I1, format!("{o} i1 {}, {}", acc.r, t.r))
                })
            }
            ReduceOp::Mean | ReduceOp::Var | ReduceOp::Std => {
                let dims = self.dims_of(a, at.ndim);
                let n = self.total(&dims);
                let nf = self.cast(n.clone(), &Type::I64, &dst);
                let sum = self.float_sum(a, at, rt);
                let mean = self.inst(lt, format!("fdiv {lt} {}, {}", sum.r, nf.r));
                if op == ReduceOp::Mean {
                    return mean;
                }
                // NumPy: the mean of the squared deviations, summed pairwise.
                let dev = self.alloc_array(rt, &dims);
                let body = {
                    let e = Expr::new(ExprKind::Elem(0), Type::Scalar(at.dtype)).cast(&dst);
                    let m = Expr::new(ExprKind::Elem(1), dst.clone());
                    let d = Expr::new(
                        ExprKind::Binary {
                            op: BinOp::Sub,
                            lhs: Box::new(e),
                            rhs: Box::new(m),
                        },
                        dst.clone(),
                    );
                    Expr::new(
                        ExprKind::Binary {
                            op: BinOp::Mul,
                            lhs: Box::new(d.clone()),
                            rhs: Box::new(d),
                        },
                        dst.clone(),
                    )
                };
                let inputs = vec![Input::Array { desc: a.clone(), at }, Input::Scalar(mean)];
                let dev_at = ArrayType {
                    dtype: rt,
                    ndim: at.ndim,
                    layout: Layout::C,
                };
                self.map_loop(&inputs, &dims, &body, &dev, dev_at, false);
                let ss = self.float_sum(&dev, dev_at, rt);
                let var = self.inst(lt, format!("fdiv {lt} {}, {}", ss.r, nf.r));
                if op == ReduceOp::Var {
                    return var;
                }
                let sfx = lt.float_suffix();
                self.declare(format!("declare {lt} @llvm.sqrt.{sfx}({lt})"));
                self.inst(lt, format!("call {lt} @llvm.sqrt.{sfx}({lt} {})", var.r))
            }
        }
    }

    pub(super) fn reduce(&mut self, op: ReduceOp, array: &Expr, axis: Option<u8>, ty: &Type) -> V {
        let at = array.ty.array().expect("reductions are of arrays");
        let a = self.expr(array);
        let Some(axis) = axis else {
            let rt = ty.scalar().expect("a whole-array reduction is a scalar");
            return self.reduce_all(op, &a, at, rt);
        };
        // Along one axis: each result element reduces a 1-D view of the input.
        let out_at = ty.array().expect("an axis reduction is an array");
        let dims = self.dims_of(&a, at.ndim);
        let out_dims: Vec<V> = dims
            .iter()
            .enumerate()
            .filter(|(d, _)| *d != axis as usize)
            .map(|(_, v)| v.clone())
            .collect();
        let out = self.alloc_array(out_at.dtype, &out_dims);
        let out_data = self.array_field(&out, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let a_data = self.array_field(&a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let strides: Vec<V> = (0..at.ndim)
            .map(|d| self.array_field(&a, array_stride_offset(d as u32), Ty::I64))
            .collect();
        let counter = self.fresh();
        let _ = writeln!(self.allocas, "  {counter} = alloca i64");
        self.emit(format!("store i64 0, ptr {counter}"));
        let row_at = ArrayType {
            dtype: at.dtype,
            ndim: 1,
            layout: Layout::A,
        };
        self.loop_nest(&out_dims, &mut |lw, idx| {
            // The row's descriptor: data at the outer indices, along `axis`.
            let mut off = konst(0);
            let outer = strides.iter().enumerate().filter(|(d, _)| *d != axis as usize);
            for (i, (_, stride)) in idx.iter().zip(outer) {
                let p = lw.inst(Ty::I64, format!("mul i64 {}, {}", i.r, stride.r));
                off = lw.inst(Ty::I64, format!("add i64 {}, {}", off.r, p.r));
            }
            let data = lw.inst(Ty::Ptr, format!("getelementptr i8, ptr {}, i64 {}", a_data.r, off.r));
            let row = lw.array_slot();
            let row = V { r: row, t: Ty::Ptr };
            let row_dims = [dims[axis as usize].clone()];
            let row_strides = [strides[axis as usize].clone()];
            lw.fill_descriptor(&row, &data, &row_dims, &row_strides, at.dtype);
            let rt = out_at.dtype;
            let v = if matches!(op, ReduceOp::Sum | ReduceOp::Mean) && rt.is_float() {
                // NumPy sums pairwise along an axis contiguous in memory, and accumulates in
                // index order along any other.
                let lt = llvm_scalar(rt);
                let slot = lw.fresh();
                let _ = writeln!(lw.allocas, "  {slot} = alloca {lt}");
                let size = at.dtype.itemsize();
                let unit = lw.inst(Ty::I1, format!("icmp eq i64 {}, {size}", row_strides[0].r));
                let l_pw = lw.new_label("axis.pairwise");
                let l_seq = lw.new_label("axis.sequential");
                let l_done = lw.new_label("axis.done");
                lw.terminate(format!("br i1 {}, label %{l_pw}, label %{l_seq}", unit.r));
                lw.start_block(&l_pw);
                let s = lw.float_sum(&row, row_at, rt);
                lw.emit(format!("store {lt} {}, ptr {slot}", s.r));
                lw.terminate(format!("br label %{l_done}"));
                lw.start_block(&l_seq);
                let zero = if rt == Scalar::F32 {
                    float32_lit(0.0)
                } else {
                    float_lit(0.0)
                };
                let src = Type::Scalar(at.dtype);
                let dst = Type::Scalar(rt);
                let s = lw.fold(&row, row_at, V { r: zero, t: lt }, &mut |lw, acc, v, _| {
                    let v = lw.cast(v.clone(), &src, &dst);
                    lw.binary(BinOp::Add, rt, acc.clone(), v)
                });
                lw.emit(format!("store {lt} {}, ptr {slot}", s.r));
                lw.start_block(&l_done);
                let s = lw.inst(lt, format!("load {lt}, ptr {slot}"));
                if op == ReduceOp::Mean {
                    let nf = lw.cast(row_dims[0].clone(), &Type::I64, &dst);
                    lw.inst(lt, format!("fdiv {lt} {}, {}", s.r, nf.r))
                } else {
                    s
                }
            } else {
                lw.reduce_all(op, &row, row_at, rt)
            };
            let c = lw.inst(Ty::I64, format!("load i64, ptr {counter}"));
            lw.store_element(&out_data, out_at.dtype, &c, &v);
            let c1 = lw.inst(Ty::I64, format!("add i64 {}, 1", c.r));
            lw.emit(format!("store i64 {}, ptr {counter}", c1.r));
        });
        out
    }

    /// `np.dot` / `@`: sums of products; BLAS (NumPy's and Numba's) sums in no fixed order, so
    /// these may reassociate too and vectorise.
    pub(super) fn dot(&mut self, lhs: &Expr, rhs: &Expr, ty: &Type) -> V {
        let x = lhs.ty.array().expect("arrays");
        let y = rhs.ty.array().expect("arrays");
        let a = self.expr(lhs);
        let b = self.expr(rhs);
        let rt = ty.scalar().or(ty.array().map(|t| t.dtype)).expect("numeric");
        let lt = llvm_scalar(rt);
        let zero = if rt.is_complex() {
            "zeroinitializer".into()
        } else if rt == Scalar::F32 {
            float32_lit(0.0)
        } else if rt.is_float() {
            float_lit(0.0)
        } else {
            "0".into()
        };
        let ad = self.array_field(&a, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let bd = self.array_field(&b, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
        let a_s = self.element_strides(&a, x);
        let b_s = self.element_strides(&b, y);
        let a_dims = self.dims_of(&a, x.ndim);
        let b_dims = self.dims_of(&b, y.ndim);
        let inner_a = a_dims[x.ndim as usize - 1].clone();
        let inner_b = b_dims[0].clone();
        let mismatch = self.inst(Ty::I1, format!("icmp ne i64 {}, {}", inner_a.r, inner_b.r));
        self.raise_if(&mismatch, "ValueError", "shapes are not aligned for np.dot");
        let (src_a, src_b, dst) = (Type::Scalar(x.dtype), Type::Scalar(y.dtype), Type::Scalar(rt));
        let saved = self.force_reassoc;
        self.force_reassoc = rt.is_float();
        // One sum of products: a[ai + k*as] * b[bi + k*bs] for k < n.
        let product_sum = |lw: &mut Self, a_off: &V, a_step: &V, b_off: &V, b_step: &V| -> V {
            let slot = lw.fresh();
            let _ = writeln!(lw.allocas, "  {slot} = alloca {lt}");
            lw.emit(format!("store {lt} {zero}, ptr {slot}"));
            lw.simple_loop(&inner_a, &mut |lw, k| {
                let ao = lw.inst(Ty::I64, format!("mul i64 {}, {}", k.r, a_step.r));
                let ao = lw.inst(Ty::I64, format!("add i64 {}, {}", ao.r, a_off.r));
                let bo = lw.inst(Ty::I64, format!("mul i64 {}, {}", k.r, b_step.r));
                let bo = lw.inst(Ty::I64, format!("add i64 {}, {}", bo.r, b_off.r));
                let av = lw.load_element(&ad, x.dtype, &ao);
                let bv = lw.load_element(&bd, y.dtype, &bo);
                let av = lw.cast(av, &src_a, &dst);
                let bv = lw.cast(bv, &src_b, &dst);
                let p = lw.binary(BinOp::Mul, rt, av, bv);
                let acc = lw.inst(lt, format!("load {lt}, ptr {slot}"));
                let s = lw.binary(BinOp::Add, rt, acc, p);
                lw.emit(format!("store {lt} {}, ptr {slot}", s.r));
            });
            lw.inst(lt, format!("load {lt}, ptr {slot}"))
        };
        let result = match (x.ndim, y.ndim) {
            (1, 1) => product_sum(self, &konst(0), &a_s[0], &konst(0), &b_s[0]),
            (2, 1) => {
                let out = self.alloc_array(rt, &[a_dims[0].clone()]);
                let od = self.array_field(&out, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
                let rows = a_dims[0].clone();
                self.simple_loop(&rows, &mut |lw, i| {
                    let ao = lw.inst(Ty::I64, format!("mul i64 {}, {}", i.r, a_s[0].r));
                    let v = product_sum(lw, &ao, &a_s[1], &konst(0), &b_s[0]);
                    lw.store_element(&od, rt, i, &v);
                });
                out
            }
            (1, 2) => {
                let out = self.alloc_array(rt, &[b_dims[1].clone()]);
                let od = self.array_field(&out, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
                let cols = b_dims[1].clone();
                self.simple_loop(&cols, &mut |lw, j| {
                    let bo = lw.inst(Ty::I64, format!("mul i64 {}, {}", j.r, b_s[1].r));
                    let v = product_sum(lw, &konst(0), &a_s[0], &bo, &b_s[0]);
                    lw.store_element(&od, rt, j, &v);
                });
                out
            }
            _ => {
                // C[i, j] = sum_k A[i, k] B[k, j], accumulated in i-k-j order so the inner loop
                // runs along rows of B and C (contiguous for C arrays).
                let out = self.alloc_array(rt, &[a_dims[0].clone(), b_dims[1].clone()]);
                let od = self.array_field(&out, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
                let n = b_dims[1].clone();
                let m = a_dims[0].clone();
                let kk = inner_a.clone();
                self.simple_loop(&m, &mut |lw, i| {
                    let row = lw.inst(Ty::I64, format!("mul i64 {}, {}", i.r, n.r));
                    lw.simple_loop(&n, &mut |lw, j| {
                        let o = lw.inst(Ty::I64, format!("add i64 {}, {}", row.r, j.r));
                        let z = V { r: zero.clone(), t: lt };
                        lw.store_element(&od, rt, &o, &z);
                    });
                    lw.simple_loop(&kk, &mut |lw, k| {
                        let ao = lw.inst(Ty::I64, format!("mul i64 {}, {}", i.r, a_s[0].r));
                        let ak = lw.inst(Ty::I64, format!("mul i64 {}, {}", k.r, a_s[1].r));
                        let ao = lw.inst(Ty::I64, format!("add i64 {}, {}", ao.r, ak.r));
                        let av = lw.load_element(&ad, x.dtype, &ao);
                        let av = lw.cast(av, &src_a, &dst);
                        let brow = lw.inst(Ty::I64, format!("mul i64 {}, {}", k.r, b_s[0].r));
                        lw.simple_loop(&n, &mut |lw, j| {
                            let bj = lw.inst(Ty::I64, format!("mul i64 {}, {}", j.r, b_s[1].r));
                            let bo = lw.inst(Ty::I64, format!("add i64 {}, {}", brow.r, bj.r));
                            let bv = lw.load_element(&bd, y.dtype, &bo);
                            let bv = lw.cast(bv, &src_b, &dst);
                            let p = lw.binary(BinOp::Mul, rt, av.clone(), bv);
                            let o = lw.inst(Ty::I64, format!("add i64 {}, {}", row.r, j.r));
                            let c = lw.load_element(&od, rt, &o);
                            let s = lw.binary(BinOp::Add, rt, c, p);
                            lw.store_element(&od, rt, &o, &s);
                        });
                    });
                });
                out
            }
        };
        self.force_reassoc = saved;
        result
    }
}
