//! Scalar math functions, lowered as their row of `builtins::math` says: an LLVM intrinsic, the C
//! library, a lowering of kcache's own (below), and glibc's libmvec vector variants under
//! fastmath.

use crate::builtins::math::Lowering;

use super::*;

impl<'p> Lowerer<'p> {
    /// Vector widths of libmvec the target can run: (ISA letter, lanes) for SSE2, AVX2, AVX-512.
    pub(super) fn libmvec_variants(&self) -> Vec<(char, u32)> {
        let f = &self.opts.target_features;
        let cpu = &self.opts.target_cpu;
        let avx512 = f.contains("+avx512f") || cpu == "x86-64-v4";
        let avx2 = avx512 || f.contains("+avx2") || cpu == "x86-64-v3";
        let mut v = vec![('b', 2)];
        if avx2 {
            v.push(('d', 4));
        }
        if avx512 {
            v.push(('e', 8));
        }
        v
    }

    /// With fastmath, a float64 math call in a loop may run as glibc's libmvec vector function:
    /// the call site names its vector variants (`vector-function-abi-variant`), which LLVM's
    /// loop vectoriser uses. Strict mode never does this: results stay equal to scalar libm.
    pub(super) fn libmvec_call(&mut self, func: MathFn, args: &[V]) -> Option<V> {
        if !self.opts.fastmath || args[0].t != Ty::Double {
            return None;
        }
        let name = func.0.libmvec?;
        let params = "v".repeat(args.len());
        let mut mappings = Vec::new();
        for (isa, lanes) in self.libmvec_variants() {
            let vector = format!("_ZGV{isa}N{lanes}{params}_{name}");
            let vt = format!("<{lanes} x double>");
            let vparams = vec![vt.as_str(); args.len()].join(", ");
            self.declare(format!("declare {vt} @{vector}({vparams}) #1"));
            mappings.push(format!("_ZGV_LLVM_N{lanes}{params}_{name}({vector})"));
        }
        let next = 10 + self.mvec_attrs.len();
        let group = self
            .mvec_attrs
            .entry(name.to_string())
            .or_insert((next, mappings.join(",")))
            .0;
        let scalar_params = vec!["double"; args.len()].join(", ");
        self.declare(format!("declare double @{name}({scalar_params}) #1"));
        let argv: Vec<String> = args.iter().map(|a| format!("double {}", a.r)).collect();
        Some(self.inst(
            Ty::Double,
            format!("call fast double @{name}({}) #{group}", argv.join(", ")),
        ))
    }

    pub(super) fn math(&mut self, func: MathFn, args: &[V]) -> V {
        if let Some(v) = self.libmvec_call(func, args) {
            return v;
        }
        let t = args[0].t;
        let (name, attrs) = match func.0.lowering {
            Lowering::Intrinsic(n) => (format!("llvm.{n}.{}", t.float_suffix()), ""),
            Lowering::Libm(n) => (t.libm_name(n), " #1"),
            Lowering::Custom(lower) => return lower(self, args),
        };
        let params = vec![t.to_string(); args.len()].join(", ");
        self.declare(format!("declare {t} @{name}({params}){attrs}"));
        let fm = self.fm();
        let argv: Vec<String> = args.iter().map(|a| format!("{t} {}", a.r)).collect();
        self.inst(t, format!("call {fm}{t} @{name}({})", argv.join(", ")))
    }

    fn compare_magnitude_with_infinity(&mut self, args: &[V], pred: &str) -> V {
        let t = args[0].t;
        let sfx = t.float_suffix();
        self.declare(format!("declare {t} @llvm.fabs.{sfx}({t})"));
        let a = self.inst(t, format!("call {t} @llvm.fabs.{sfx}({t} {})", args[0].r));
        let inf = if t == Ty::Float {
            float32_lit(f64::INFINITY)
        } else {
            float_lit(f64::INFINITY)
        };
        self.inst(Ty::I1, format!("fcmp {pred} {t} {}, {inf}", a.r))
    }
}

// Lowerings of kcache's own for rows of `builtins::math`.

/// `math.pow` / `np.power` of floats: libm's pow, as `x ** y` (see `float_pow`).
pub fn pow(lw: &mut Lowerer, args: &[V]) -> V {
    lw.float_pow(args[0].t, &args[0], &args[1])
}

/// `math.fmod`: see `fmod`.
pub fn fmod(lw: &mut Lowerer, args: &[V]) -> V {
    lw.fmod(args[0].t, &args[0], &args[1])
}

/// `x * (180 / pi)`, the constant rounded once, as CPython and NumPy compute it.
pub fn degrees(lw: &mut Lowerer, args: &[V]) -> V {
    scale(lw, &args[0], 180.0 / std::f64::consts::PI)
}

/// `x * (pi / 180)`.
pub fn radians(lw: &mut Lowerer, args: &[V]) -> V {
    scale(lw, &args[0], std::f64::consts::PI / 180.0)
}

fn scale(lw: &mut Lowerer, x: &V, factor: f64) -> V {
    let t = x.t;
    let c = lw.float_constant(t, factor);
    lw.inst(t, format!("fmul {t} {}, {c}", x.r))
}

pub fn isnan(lw: &mut Lowerer, args: &[V]) -> V {
    let t = args[0].t;
    lw.inst(Ty::I1, format!("fcmp uno {t} {}, {}", args[0].r, args[0].r))
}

pub fn isinf(lw: &mut Lowerer, args: &[V]) -> V {
    lw.compare_magnitude_with_infinity(args, "oeq")
}

pub fn isfinite(lw: &mut Lowerer, args: &[V]) -> V {
    lw.compare_magnitude_with_infinity(args, "one")
}
