//! Arithmetic with Python's meaning: floor division and modulo, power, shifts, and the error
//! model's ZeroDivisionError.

use super::*;

impl<'p> Lowerer<'p> {
    pub(super) fn binary(&mut self, op: BinOp, s: Scalar, a: V, b: V) -> V {
        let t = a.t;
        if s.is_complex() {
            return self.complex_binary(op, a, b);
        }
        if s.is_float() {
            let fm = self.fm();
            let zero = if s == Scalar::F32 {
                float32_lit(0.0)
            } else {
                float_lit(0.0)
            };
            return match op {
                BinOp::Add => self.inst(t, format!("fadd {fm}{t} {}, {}", a.r, b.r)),
                BinOp::Sub => self.inst(t, format!("fsub {fm}{t} {}, {}", a.r, b.r)),
                BinOp::Mul => self.inst(t, format!("fmul {fm}{t} {}, {}", a.r, b.r)),
                BinOp::TrueDiv => {
                    if self.python_errors() {
                        let z = self.inst(Ty::I1, format!("fcmp oeq {t} {}, {zero}", b.r));
                        if self.opts.fastmath && self.loop_nesting > 0 && !self.catches {
                            self.defer_zero_division(&z);
                        } else {
                            self.raise_if(&z, "ZeroDivisionError", "division by zero");
                        }
                    }
                    self.inst(t, format!("fdiv {fm}{t} {}, {}", a.r, b.r))
                }
                BinOp::FloorDiv | BinOp::Mod => {
                    if self.python_errors() {
                        let z = self.inst(Ty::I1, format!("fcmp oeq {t} {}, {zero}", b.r));
                        let msg = if op == BinOp::Mod {
                            "float modulo"
                        } else {
                            "float floor division by zero"
                        };
                        self.raise_if(&z, "ZeroDivisionError", msg);
                    }
                    self.float_divmod(op, t, &a, &b)
                }
                BinOp::Pow => self.float_pow(t, &a, &b),
                _ => unreachable!("bit operators on floats are rejected by inference"),
            };
        }
        if s == Scalar::Bool {
            return match op {
                BinOp::BitAnd => self.inst(Ty::I1, format!("and i1 {}, {}", a.r, b.r)),
                BinOp::BitOr => self.inst(Ty::I1, format!("or i1 {}, {}", a.r, b.r)),
                BinOp::BitXor => self.inst(Ty::I1, format!("xor i1 {}, {}", a.r, b.r)),
                _ => unreachable!("bool arithmetic promotes to int64"),
            };
        }
        let signed = s.is_signed();
        match op {
            BinOp::Add => self.inst(t, format!("add {t} {}, {}", a.r, b.r)),
            BinOp::Sub => self.inst(t, format!("sub {t} {}, {}", a.r, b.r)),
            BinOp::Mul => self.inst(t, format!("mul {t} {}, {}", a.r, b.r)),
            BinOp::BitAnd => self.inst(t, format!("and {t} {}, {}", a.r, b.r)),
            BinOp::BitOr => self.inst(t, format!("or {t} {}, {}", a.r, b.r)),
            BinOp::BitXor => self.inst(t, format!("xor {t} {}, {}", a.r, b.r)),
            BinOp::LShift | BinOp::RShift => {
                // Shifts of the full width or more are poison in LLVM; Python gives 0 (or -1).
                let bits = s.bits();
                if signed {
                    let neg = self.inst(Ty::I1, format!("icmp slt {t} {}, 0", b.r));
                    self.raise_if(&neg, "ValueError", "negative shift count");
                }
                let big = self.inst(Ty::I1, format!("icmp uge {t} {}, {bits}", b.r));
                let safe = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", big.r, bits - 1, b.r));
                if op == BinOp::LShift {
                    let sh = self.inst(t, format!("shl {t} {}, {}", a.r, safe.r));
                    self.inst(t, format!("select i1 {}, {t} 0, {t} {}", big.r, sh.r))
                } else if signed {
                    self.inst(t, format!("ashr {t} {}, {}", a.r, safe.r))
                } else {
                    let sh = self.inst(t, format!("lshr {t} {}, {}", a.r, safe.r));
                    self.inst(t, format!("select i1 {}, {t} 0, {t} {}", big.r, sh.r))
                }
            }
            BinOp::FloorDiv | BinOp::Mod => self.int_divmod(op, signed, t, &a, &b),
            BinOp::Pow => {
                // As Numba's int power (and CPython): zero to a negative power raises.
                if signed && self.python_errors() {
                    let zero = self.inst(Ty::I1, format!("icmp eq {t} {}, 0", a.r));
                    let neg = self.inst(Ty::I1, format!("icmp slt {t} {}, 0", b.r));
                    let bad = self.inst(Ty::I1, format!("and i1 {}, {}", zero.r, neg.r));
                    self.raise_if(&bad, "ZeroDivisionError", "0 cannot be raised to a negative power");
                }
                self.int_pow(signed, t, &a, &b)
            }
            BinOp::TrueDiv => unreachable!("true division of ints is done in float64"),
        }
    }

    pub(super) fn int_divmod(&mut self, op: BinOp, signed: bool, t: Ty, a: &V, b: &V) -> V {
        // A constant positive power of two (`n % 2`, `i // 4`): floor division is an arithmetic
        // shift and the floor remainder a mask in two's complement. The general form below
        // hides this from LLVM (collatz_steps: `n % 2 == 0` became five instructions, not one).
        if let Some(k) = b.r.parse::<i64>().ok().filter(|&d| d > 0 && d.count_ones() == 1) {
            if signed {
                return if op == BinOp::FloorDiv {
                    self.inst(t, format!("ashr {t} {}, {}", a.r, k.trailing_zeros()))
                } else {
                    self.inst(t, format!("and {t} {}, {}", a.r, k - 1))
                };
            }
        }
        let zero = self.inst(Ty::I1, format!("icmp eq {t} {}, 0", b.r));
        if self.python_errors() {
            let msg = if op == BinOp::Mod {
                "integer modulo by zero"
            } else {
                "integer division or modulo by zero"
            };
            self.raise_if(&zero, "ZeroDivisionError", msg);
        }
        if !signed {
            let safe = self.inst(t, format!("select i1 {}, {t} 1, {t} {}", zero.r, b.r));
            let r = if op == BinOp::FloorDiv {
                self.inst(t, format!("udiv {t} {}, {}", a.r, safe.r))
            } else {
                self.inst(t, format!("urem {t} {}, {}", a.r, safe.r))
            };
            // error_model='numpy': x // 0 and x % 0 are 0.
            return self.inst(t, format!("select i1 {}, {t} 0, {t} {}", zero.r, r.r));
        }
        // b == -1 is done apart: INT_MIN / -1 overflows in hardware; Python's result wraps here.
        let minus_one = self.inst(Ty::I1, format!("icmp eq {t} {}, -1", b.r));
        let special = self.inst(Ty::I1, format!("or i1 {}, {}", zero.r, minus_one.r));
        let safe = self.inst(t, format!("select i1 {}, {t} 1, {t} {}", special.r, b.r));
        let q = self.inst(t, format!("sdiv {t} {}, {}", a.r, safe.r));
        let r = self.inst(t, format!("srem {t} {}, {}", a.r, safe.r));
        // Floor: when the remainder is non-zero and its sign differs from the divisor's.
        let nz = self.inst(Ty::I1, format!("icmp ne {t} {}, 0", r.r));
        let x = self.inst(t, format!("xor {t} {}, {}", r.r, b.r));
        let sd = self.inst(Ty::I1, format!("icmp slt {t} {}, 0", x.r));
        let adj = self.inst(Ty::I1, format!("and i1 {}, {}", nz.r, sd.r));
        let (res, neg1) = if op == BinOp::FloorDiv {
            let d = self.inst(t, format!("zext i1 {} to {t}", adj.r));
            let fq = self.inst(t, format!("sub {t} {}, {}", q.r, d.r));
            let na = self.inst(t, format!("sub {t} 0, {}", a.r));
            (fq, na)
        } else {
            let add = self.inst(t, format!("select i1 {}, {t} {}, {t} 0", adj.r, b.r));
            let fr = self.inst(t, format!("add {t} {}, {}", r.r, add.r));
            (fr, V { r: "0".into(), t })
        };
        let res = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", minus_one.r, neg1.r, res.r));
        self.inst(t, format!("select i1 {}, {t} 0, {t} {}", zero.r, res.r))
    }

    /// C's `fmod`, exactly. glibc's fmod (before 2.38) reduces bit by bit and dominated float
    /// floor division (histogram: a quarter of the time). With a hardware FMA, the remainder is
    /// `|x| - q*|y|` for q = trunc(|x|/|y|): that value is a multiple of |y|'s unit in the last
    /// place below 2|y|, so it is representable and the FMA computes it exactly. The rounded
    /// quotient is at most one too large (rounding is monotonic and q is an integer), which one
    /// conditional `+ |y|` repairs. Quotients of 2^52 or more, infinite or NaN operands and
    /// zero divisors go to libm.
    pub(super) fn fmod(&mut self, t: Ty, a: &V, b: &V) -> V {
        let has_fma = self.opts.target_features.split(',').any(|f| f == "+fma")
            || matches!(self.opts.target_cpu.as_str(), "x86-64-v3" | "x86-64-v4");
        if !has_fma {
            return self.inst(t, format!("frem {t} {}, {}", a.r, b.r));
        }
        let name = "@kc.fmod.f64";
        for intrinsic in ["fabs", "trunc"] {
            self.declare(format!("declare double @llvm.{intrinsic}.f64(double)"));
        }
        self.declare("declare double @llvm.copysign.f64(double, double)".into());
        self.declare("declare double @llvm.fma.f64(double, double, double)".into());
        self.declare(format!(
            "define internal double {name}(double %x, double %y) #0 {{\nentry:\n  %ax = call double @llvm.fabs.f64(double %x)\n  %ay = call double @llvm.fabs.f64(double %y)\n  %q0 = fdiv double %ax, %ay\n  %small = fcmp olt double %q0, 0x4330000000000000\n  %finite = fcmp olt double %ay, 0x7FF0000000000000\n  %ok = and i1 %small, %finite\n  br i1 %ok, label %fast, label %slow\nfast:\n  %q = call double @llvm.trunc.f64(double %q0)\n  %nq = fneg double %q\n  %r0 = call double @llvm.fma.f64(double %nq, double %ay, double %ax)\n  %over = fcmp olt double %r0, 0.0\n  %r1 = fadd double %r0, %ay\n  %r = select i1 %over, double %r1, double %r0\n  %res = call double @llvm.copysign.f64(double %r, double %x)\n  ret double %res\nslow:\n  %m = frem double %x, %y\n  ret double %m\n}}\n"
        ));
        if t == Ty::Double {
            return self.inst(t, format!("call double {name}(double {}, double {})", a.r, b.r));
        }
        // float32: the float64 remainder of two float32 values is exact and fits a float32.
        let x = self.inst(Ty::Double, format!("fpext {t} {} to double", a.r));
        let y = self.inst(Ty::Double, format!("fpext {t} {} to double", b.r));
        let m = self.inst(
            Ty::Double,
            format!("call double {name}(double {}, double {})", x.r, y.r),
        );
        self.inst(t, format!("fptrunc double {} to {t}", m.r))
    }

    /// CPython's float floor division and modulo (floatobject.c `_float_div_mod`), exactly.
    pub(super) fn float_divmod(&mut self, op: BinOp, t: Ty, a: &V, b: &V) -> V {
        let (zero, half, one) = if t == Ty::Float {
            (float32_lit(0.0), float32_lit(0.5), float32_lit(1.0))
        } else {
            (float_lit(0.0), float_lit(0.5), float_lit(1.0))
        };
        let sfx = t.float_suffix();
        self.declare(format!("declare {t} @llvm.copysign.{sfx}({t}, {t})"));
        self.declare(format!("declare {t} @llvm.floor.{sfx}({t})"));
        let m = self.fmod(t, a, b);
        let nz = self.inst(Ty::I1, format!("fcmp une {t} {}, {zero}", m.r));
        let bneg = self.inst(Ty::I1, format!("fcmp olt {t} {}, {zero}", b.r));
        let mneg = self.inst(Ty::I1, format!("fcmp olt {t} {}, {zero}", m.r));
        let differ = self.inst(Ty::I1, format!("xor i1 {}, {}", bneg.r, mneg.r));
        let fix = self.inst(Ty::I1, format!("and i1 {}, {}", nz.r, differ.r));
        let m_fixed = self.inst(t, format!("fadd {t} {}, {}", m.r, b.r));
        let signed_zero = self.inst(t, format!("call {t} @llvm.copysign.{sfx}({t} {zero}, {t} {})", b.r));
        let m1 = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", fix.r, m_fixed.r, m.r));
        let modv = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", nz.r, m1.r, signed_zero.r));
        if op == BinOp::Mod {
            return modv;
        }
        let diff = self.inst(t, format!("fsub {t} {}, {}", a.r, m.r));
        let div = self.inst(t, format!("fdiv {t} {}, {}", diff.r, b.r));
        let div_m1 = self.inst(t, format!("fsub {t} {}, {one}", div.r));
        let div = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", fix.r, div_m1.r, div.r));
        let fl = self.inst(t, format!("call {t} @llvm.floor.{sfx}({t} {})", div.r));
        let frac = self.inst(t, format!("fsub {t} {}, {}", div.r, fl.r));
        let up = self.inst(Ty::I1, format!("fcmp ogt {t} {}, {half}", frac.r));
        let fl1 = self.inst(t, format!("fadd {t} {}, {one}", fl.r));
        let floordiv = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", up.r, fl1.r, fl.r));
        // CPython's copysign(0.0, a / b) needs only the sign of the quotient, which IEEE defines
        // as the XOR of the operands' signs: integer ops instead of a second division.
        let (it, sign) = if t == Ty::Float {
            (Ty::I32, "-2147483648")
        } else {
            (Ty::I64, "-9223372036854775808")
        };
        let ai = self.inst(it, format!("bitcast {t} {} to {it}", a.r));
        let bi = self.inst(it, format!("bitcast {t} {} to {it}", b.r));
        let x = self.inst(it, format!("xor {it} {}, {}", ai.r, bi.r));
        let s = self.inst(it, format!("and {it} {}, {sign}", x.r));
        let zq = self.inst(t, format!("bitcast {it} {} to {t}", s.r));
        let div_nz = self.inst(Ty::I1, format!("fcmp une {t} {}, {zero}", div.r));
        let result = self.inst(t, format!("select i1 {}, {t} {}, {t} {}", div_nz.r, floordiv.r, zq.r));
        if self.python_errors() {
            return result;
        }
        // error_model='numpy': x // 0.0 is x / 0.0 (inf or nan), as NumPy does.
        let q = self.inst(t, format!("fdiv {t} {}, {}", a.r, b.r));
        let by_zero = self.inst(Ty::I1, format!("fcmp oeq {t} {}, {zero}", b.r));
        self.inst(t, format!("select i1 {}, {t} {}, {t} {}", by_zero.r, q.r, result.r))
    }

    /// `x ** y` of floats. LLVM rewrites pow(2**n, y) as exp2(n * y), which rounds n * y first
    /// and is off in the last bits: with an exponent that is not a constant, the call is libm's
    /// pow (as CPython's) marked so that LLVM does not treat it as the builtin. A constant
    /// exponent keeps LLVM's pow, whose exact rewrites (`x ** 2` as `x * x`) are Numba's and
    /// NumPy's results.
    pub(super) fn float_pow(&mut self, t: Ty, a: &V, b: &V) -> V {
        if self.opts.fastmath || !b.r.starts_with('%') {
            let sfx = t.float_suffix();
            let fm = self.fm();
            self.declare(format!("declare {t} @llvm.pow.{sfx}({t}, {t})"));
            return self.inst(t, format!("call {fm}{t} @llvm.pow.{sfx}({t} {}, {t} {})", a.r, b.r));
        }
        let name = t.libm_name("pow");
        self.declare(format!("declare {t} @{name}({t}, {t}) #1"));
        self.inst(t, format!("call {t} @{name}({t} {}, {t} {}) #4", a.r, b.r))
    }

    /// Integer power by repeated squaring. A negative exponent follows Numba: 1 and -1 keep
    /// their meaning, any other base gives 0 (the integer part of 1/base**n).
    pub(super) fn int_pow(&mut self, signed: bool, t: Ty, a: &V, b: &V) -> V {
        let name = format!("@kc.ipow.{}{t}", if signed { "s" } else { "u" });
        let neg_check = if signed {
            format!(
                "  %neg = icmp slt {t} %e, 0\n  br i1 %neg, label %negexp, label %loop\nnegexp:\n  %is1 = icmp eq {t} %b, 1\n  %ism1 = icmp eq {t} %b, -1\n  %odd0 = and {t} %e, 1\n  %oddn = icmp ne {t} %odd0, 0\n  %m1 = select i1 %oddn, {t} -1, {t} 1\n  %r1 = select i1 %ism1, {t} %m1, {t} 0\n  %r2 = select i1 %is1, {t} 1, {t} %r1\n  ret {t} %r2\n"
            )
        } else {
            "  br label %loop\n".to_string()
        };
        let def = format!(
            "define internal {t} {name}({t} %b, {t} %e) #0 {{\nentry:\n{neg_check}loop:\n  %acc = phi {t} [1, %entry], [%acc2, %next]\n  %base = phi {t} [%b, %entry], [%base2, %next]\n  %exp = phi {t} [%e, %entry], [%exp2, %next]\n  %done = icmp eq {t} %exp, 0\n  br i1 %done, label %out, label %step\nstep:\n  %bit = and {t} %exp, 1\n  %odd = icmp ne {t} %bit, 0\n  %mul = mul {t} %acc, %base\n  %acc2 = select i1 %odd, {t} %mul, {t} %acc\n  %base2 = mul {t} %base, %base\n  %exp2 = lshr {t} %exp, 1\n  br label %next\nnext:\n  br label %loop\nout:\n  ret {t} %acc\n}}\n"
        );
        self.declare(def);
        self.inst(t, format!("call {t} {name}({t} {}, {t} {})", a.r, b.r))
    }
}
