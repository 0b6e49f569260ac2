//! Complex numbers: `{ double, double }` (complex128) and `{ float, float }` (complex64) values,
//! real part first as NumPy and C store them. Arithmetic follows CPython's `complexobject.c`
//! for scalars (Numba's does too) and NumPy's loops inside element-wise code; transcendental
//! functions call glibc's `cexp`, `clog`, ..., which NumPy's complex loops call.

use super::*;

impl<'p> Lowerer<'p> {
    pub fn complex_parts(&mut self, v: &V) -> (V, V) {
        let pt = v.t.part();
        let re = self.inst(pt, format!("extractvalue {} {}, 0", v.t, v.r));
        let im = self.inst(pt, format!("extractvalue {} {}, 1", v.t, v.r));
        (re, im)
    }

    pub fn make_complex(&mut self, t: Ty, re: &V, im: &V) -> V {
        let pt = t.part();
        let half = self.inst(t, format!("insertvalue {t} poison, {pt} {}, 0", re.r));
        self.inst(t, format!("insertvalue {t} {}, {pt} {}, 1", half.r, im.r))
    }

    fn part_zero(t: Ty) -> String {
        if t.part() == Ty::Float {
            float32_lit(0.0)
        } else {
            float_lit(0.0)
        }
    }

    fn fop(&mut self, op: &str, a: &V, b: &V) -> V {
        let fm = self.fm();
        self.inst(a.t, format!("{op} {fm}{} {}, {}", a.t, a.r, b.r))
    }

    fn fabs(&mut self, x: &V) -> V {
        let t = x.t;
        let sfx = t.float_suffix();
        self.declare(format!("declare {t} @llvm.fabs.{sfx}({t})"));
        self.inst(t, format!("call {t} @llvm.fabs.{sfx}({t} {})", x.r))
    }

    fn complex_mul(&mut self, a: &V, b: &V) -> V {
        let (ar, ai) = self.complex_parts(a);
        let (br, bi) = self.complex_parts(b);
        let rr = self.fop("fmul", &ar, &br);
        let ii = self.fop("fmul", &ai, &bi);
        let ri = self.fop("fmul", &ar, &bi);
        let ir = self.fop("fmul", &ai, &br);
        let re = self.fop("fsub", &rr, &ii);
        let im = self.fop("fadd", &ri, &ir);
        self.make_complex(a.t, &re, &im)
    }

    /// `a / b`: CPython's algorithm (`_Py_c_quot`: scale by the larger part of `b`) for scalars,
    /// raising ZeroDivisionError for a zero divisor; NumPy's (the same scaling, multiplied by a
    /// reciprocal, and inf/nan for a zero divisor) in element-wise code.
    fn complex_div(&mut self, a: &V, b: &V) -> V {
        let t = a.t;
        let pt = t.part();
        let zero = Self::part_zero(t);
        let one = if pt == Ty::Float {
            float32_lit(1.0)
        } else {
            float_lit(1.0)
        };
        let (ar, ai) = self.complex_parts(a);
        let (br, bi) = self.complex_parts(b);
        let abr = self.fabs(&br);
        let abi = self.fabs(&bi);
        let real_wins = self.inst(Ty::I1, format!("fcmp oge {pt} {}, {}", abr.r, abi.r));
        let numpy = !self.python_errors();
        if !numpy {
            let r0 = self.inst(Ty::I1, format!("fcmp oeq {pt} {}, {zero}", br.r));
            let i0 = self.inst(Ty::I1, format!("fcmp oeq {pt} {}, {zero}", bi.r));
            let both = self.inst(Ty::I1, format!("and i1 {}, {}", r0.r, i0.r));
            self.raise_if(&both, "ZeroDivisionError", "complex division by zero");
        }
        // Scaled by b.real (|b.real| >= |b.imag|).
        let ratio_a = self.fop("fdiv", &bi, &br);
        let t1 = self.fop("fmul", &bi, &ratio_a);
        let denom_a = self.fop("fadd", &br, &t1);
        let x1 = self.fop("fmul", &ai, &ratio_a);
        let num_re_a = self.fop("fadd", &ar, &x1);
        let x2 = self.fop("fmul", &ar, &ratio_a);
        let num_im_a = self.fop("fsub", &ai, &x2);
        // Scaled by b.imag.
        let ratio_b = self.fop("fdiv", &br, &bi);
        let t2 = self.fop("fmul", &br, &ratio_b);
        let denom_b = self.fop("fadd", &t2, &bi);
        let y1 = self.fop("fmul", &ar, &ratio_b);
        let num_re_b = self.fop("fadd", &y1, &ai);
        let y2 = self.fop("fmul", &ai, &ratio_b);
        let num_im_b = self.fop("fsub", &y2, &ar);
        let pick =
            |lw: &mut Self, x: &V, y: &V| lw.inst(pt, format!("select i1 {}, {pt} {}, {pt} {}", real_wins.r, x.r, y.r));
        let denom = pick(self, &denom_a, &denom_b);
        let num_re = pick(self, &num_re_a, &num_re_b);
        let num_im = pick(self, &num_im_a, &num_im_b);
        let (re, im) = if numpy {
            let scale = self.inst(pt, format!("fdiv {pt} {one}, {}", denom.r));
            let re = self.fop("fmul", &num_re, &scale);
            let im = self.fop("fmul", &num_im, &scale);
            // A zero divisor: NumPy divides the parts by |b.real| (inf or nan).
            let zr = self.inst(Ty::I1, format!("fcmp oeq {pt} {}, {zero}", abr.r));
            let zi = self.inst(Ty::I1, format!("fcmp oeq {pt} {}, {zero}", abi.r));
            let z = self.inst(Ty::I1, format!("and i1 {}, {}", zr.r, zi.r));
            let zre = self.fop("fdiv", &ar, &abr);
            let zim = self.fop("fdiv", &ai, &abr);
            let re = self.inst(pt, format!("select i1 {}, {pt} {}, {pt} {}", z.r, zre.r, re.r));
            let im = self.inst(pt, format!("select i1 {}, {pt} {}, {pt} {}", z.r, zim.r, im.r));
            (re, im)
        } else {
            (self.fop("fdiv", &num_re, &denom), self.fop("fdiv", &num_im, &denom))
        };
        self.make_complex(t, &re, &im)
    }

    pub fn complex_binary(&mut self, op: BinOp, a: V, b: V) -> V {
        match op {
            BinOp::Add | BinOp::Sub => {
                let inst = if op == BinOp::Add { "fadd" } else { "fsub" };
                let (ar, ai) = self.complex_parts(&a);
                let (br, bi) = self.complex_parts(&b);
                let re = self.fop(inst, &ar, &br);
                let im = self.fop(inst, &ai, &bi);
                self.make_complex(a.t, &re, &im)
            }
            BinOp::Mul => self.complex_mul(&a, &b),
            BinOp::TrueDiv => self.complex_div(&a, &b),
            BinOp::Pow => self.complex_call("cpow", &[a, b]),
            _ => unreachable!("inference refuses {op:?} on complex numbers"),
        }
    }

    /// `z ** n` for a constant integer `|n| <= 100`: CPython's `c_powi` (square and multiply,
    /// then one division for a negative power), which Python and Numba use for such powers.
    pub fn complex_powi(&mut self, z: &V, n: i64) -> V {
        let t = z.t;
        let pt = t.part();
        let (one, zero) = if pt == Ty::Float {
            (float32_lit(1.0), float32_lit(0.0))
        } else {
            (float_lit(1.0), float_lit(0.0))
        };
        let unit = V {
            r: format!("{{ {pt} {one}, {pt} {zero} }}"),
            t,
        };
        let mut r = unit.clone();
        let mut p = z.clone();
        let mut mask = 1u64;
        let k = n.unsigned_abs();
        while mask > 0 && k >= mask {
            if k & mask != 0 {
                r = self.complex_mul(&r, &p);
            }
            mask <<= 1;
            if k >= mask {
                p = self.complex_mul(&p, &p);
            }
        }
        if n < 0 {
            self.complex_div(&unit, &r)
        } else {
            r
        }
    }

    pub fn complex_compare(&mut self, op: CmpOp, a: &V, b: &V) -> V {
        let pt = a.t.part();
        let (ar, ai) = self.complex_parts(a);
        let (br, bi) = self.complex_parts(b);
        let (pred, join) = match op {
            CmpOp::Eq => ("oeq", "and"),
            CmpOp::Ne => ("une", "or"),
            _ => unreachable!("inference refuses ordering complex numbers"),
        };
        let re = self.inst(Ty::I1, format!("fcmp {pred} {pt} {}, {}", ar.r, br.r));
        let im = self.inst(Ty::I1, format!("fcmp {pred} {pt} {}, {}", ai.r, bi.r));
        self.inst(Ty::I1, format!("{join} i1 {}, {}", re.r, im.r))
    }

    pub fn complex_neg(&mut self, v: &V) -> V {
        let fm = self.fm();
        let (re, im) = self.complex_parts(v);
        let nre = self.inst(re.t, format!("fneg {fm}{} {}", re.t, re.r));
        let nim = self.inst(im.t, format!("fneg {fm}{} {}", im.t, im.r));
        self.make_complex(v.t, &nre, &nim)
    }

    pub fn complex_conjugate(&mut self, v: &V) -> V {
        let fm = self.fm();
        let (re, im) = self.complex_parts(v);
        let nim = self.inst(im.t, format!("fneg {fm}{} {}", im.t, im.r));
        self.make_complex(v.t, &re, &nim)
    }

    /// Conversions to and from complex types (`from` or `to` is complex). A complex number
    /// becomes a real one by its real part (inference lets that happen only where NumPy does it).
    pub fn complex_cast(&mut self, v: V, from: Scalar, to: Scalar) -> V {
        let (fp, tp) = (from.real_part(), to.real_part());
        let (re, im) = if from.is_complex() {
            self.complex_parts(&v)
        } else {
            let re = self.cast(v, &Type::Scalar(from), &Type::Scalar(tp));
            let zero = V {
                r: Self::part_zero(llvm_scalar(to)),
                t: llvm_scalar(tp),
            };
            return self.make_complex(llvm_scalar(to), &re, &zero);
        };
        if to == Scalar::Bool {
            let zero = Self::part_zero(v.t);
            let pt = re.t;
            let a = self.inst(Ty::I1, format!("fcmp une {pt} {}, {zero}", re.r));
            let b = self.inst(Ty::I1, format!("fcmp une {pt} {}, {zero}", im.r));
            return self.inst(Ty::I1, format!("or i1 {}, {}", a.r, b.r));
        }
        let re = self.cast(re, &Type::Scalar(fp), &Type::Scalar(tp));
        if !to.is_complex() {
            return re;
        }
        let im = self.cast(im, &Type::Scalar(fp), &Type::Scalar(tp));
        self.make_complex(llvm_scalar(to), &re, &im)
    }

    /// A call of glibc's complex function `name` (`cexp`; `cexpf` for complex64), in the C
    /// calling convention x86-64 gives `double _Complex` (two doubles in, two out) and
    /// `float _Complex` (one `<2 x float>` in and out).
    pub fn complex_call(&mut self, name: &str, args: &[V]) -> V {
        let t = args[0].t;
        if t == Ty::CDouble {
            let mut params = Vec::new();
            let mut values = Vec::new();
            for a in args {
                let (re, im) = self.complex_parts(a);
                params.push("double, double".to_string());
                values.push(format!("double {}, double {}", re.r, im.r));
            }
            self.declare(format!(
                "declare {{ double, double }} @{name}({}) nounwind",
                params.join(", ")
            ));
            return self.inst(t, format!("call {{ double, double }} @{name}({})", values.join(", ")));
        }
        let mut params = Vec::new();
        let mut values = Vec::new();
        for a in args {
            let (re, im) = self.complex_parts(a);
            let v0 = self.inst(
                Ty::Float2,
                format!("insertelement <2 x float> poison, float {}, i32 0", re.r),
            );
            let v1 = self.inst(
                Ty::Float2,
                format!("insertelement <2 x float> {}, float {}, i32 1", v0.r, im.r),
            );
            params.push("<2 x float>");
            values.push(format!("<2 x float> {}", v1.r));
        }
        self.declare(format!("declare <2 x float> @{name}f({}) nounwind", params.join(", ")));
        let r = self.inst(Ty::Float2, format!("call <2 x float> @{name}f({})", values.join(", ")));
        let re = self.inst(Ty::Float, format!("extractelement <2 x float> {}, i32 0", r.r));
        let im = self.inst(Ty::Float, format!("extractelement <2 x float> {}, i32 1", r.r));
        self.make_complex(t, &re, &im)
    }

    /// A call of the C library's two-argument real function `base` (`hypotf` for float32).
    fn libm2(&mut self, base: &str, x: &V, y: &V) -> V {
        let pt = x.t;
        let name = pt.libm_name(base);
        self.declare(format!(
            "declare {pt} @{name}({pt}, {pt}) nounwind willreturn memory(none)"
        ));
        self.inst(pt, format!("call {pt} @{name}({pt} {}, {pt} {})", x.r, y.r))
    }

    /// `abs(z)`: `hypot` of the parts, as CPython and NumPy compute it.
    pub fn complex_abs(&mut self, v: &V) -> V {
        let (re, im) = self.complex_parts(v);
        self.libm2("hypot", &re, &im)
    }

    /// `cmath.phase(z)`, `np.angle(z)`: `atan2(imag, real)`.
    pub fn complex_phase(&mut self, v: &V) -> V {
        let (re, im) = self.complex_parts(v);
        self.libm2("atan2", &im, &re)
    }
}
