//! Scalar math functions: LLVM intrinsics, libm, and glibc's libmvec vector variants under fastmath.

use super::*;

impl<'p> Lowerer<'p> {
    /// glibc's libmvec name of a float64 math function, when it has vector variants.
    pub(super) fn libmvec_name(func: MathFn) -> Option<&'static str> {
        Some(match func {
            MathFn::Exp => "exp",
            MathFn::Exp2 => "exp2",
            MathFn::Expm1 => "expm1",
            MathFn::Log => "log",
            MathFn::Log2 => "log2",
            MathFn::Log10 => "log10",
            MathFn::Log1p => "log1p",
            MathFn::Sin => "sin",
            MathFn::Cos => "cos",
            MathFn::Tan => "tan",
            MathFn::Asin => "asin",
            MathFn::Acos => "acos",
            MathFn::Atan => "atan",
            MathFn::Atan2 => "atan2",
            MathFn::Sinh => "sinh",
            MathFn::Cosh => "cosh",
            MathFn::Tanh => "tanh",
            MathFn::Asinh => "asinh",
            MathFn::Acosh => "acosh",
            MathFn::Atanh => "atanh",
            MathFn::Erf => "erf",
            MathFn::Erfc => "erfc",
            MathFn::Pow => "pow",
            MathFn::Hypot => "hypot",
            _ => return None,
        })
    }

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
        let name = Self::libmvec_name(func)?;
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
        let f32 = t == Ty::Float;
        let sfx = t.float_suffix();
        let fm = self.fm();
        let intrinsic = |n: &str| format!("llvm.{n}.{sfx}");
        let libm = |n: &str| if f32 { format!("{n}f") } else { n.to_string() };
        let (name, is_intrinsic) = match func {
            MathFn::Sqrt => (intrinsic("sqrt"), true),
            MathFn::Exp => (intrinsic("exp"), true),
            MathFn::Exp2 => (intrinsic("exp2"), true),
            MathFn::Log => (intrinsic("log"), true),
            MathFn::Log2 => (intrinsic("log2"), true),
            MathFn::Log10 => (intrinsic("log10"), true),
            MathFn::Sin => (intrinsic("sin"), true),
            MathFn::Cos => (intrinsic("cos"), true),
            MathFn::Tan => (intrinsic("tan"), true),
            MathFn::Floor => (intrinsic("floor"), true),
            MathFn::Ceil => (intrinsic("ceil"), true),
            MathFn::Trunc => (intrinsic("trunc"), true),
            MathFn::RoundEven => (intrinsic("roundeven"), true),
            MathFn::Fabs => (intrinsic("fabs"), true),
            MathFn::Copysign => (intrinsic("copysign"), true),
            MathFn::Pow => (intrinsic("pow"), true),
            MathFn::NanMin => (intrinsic("minimum"), true),
            MathFn::NanMax => (intrinsic("maximum"), true),
            MathFn::Expm1 => (libm("expm1"), false),
            MathFn::Log1p => (libm("log1p"), false),
            MathFn::Asin => (libm("asin"), false),
            MathFn::Acos => (libm("acos"), false),
            MathFn::Atan => (libm("atan"), false),
            MathFn::Atan2 => (libm("atan2"), false),
            MathFn::Sinh => (libm("sinh"), false),
            MathFn::Cosh => (libm("cosh"), false),
            MathFn::Tanh => (libm("tanh"), false),
            MathFn::Asinh => (libm("asinh"), false),
            MathFn::Acosh => (libm("acosh"), false),
            MathFn::Atanh => (libm("atanh"), false),
            MathFn::Erf => (libm("erf"), false),
            MathFn::Erfc => (libm("erfc"), false),
            MathFn::Gamma => (libm("tgamma"), false),
            MathFn::Lgamma => (libm("lgamma"), false),
            MathFn::Hypot => (libm("hypot"), false),
            MathFn::Fmod => return self.fmod(t, &args[0], &args[1]),
            MathFn::IsNan => return self.inst(Ty::I1, format!("fcmp uno {t} {}, {}", args[0].r, args[0].r)),
            MathFn::IsInf | MathFn::IsFinite => {
                self.declare(format!("declare {t} @llvm.fabs.{sfx}({t})"));
                let a = self.inst(t, format!("call {t} @llvm.fabs.{sfx}({t} {})", args[0].r));
                let inf = if f32 {
                    float32_lit(f64::INFINITY)
                } else {
                    float_lit(f64::INFINITY)
                };
                let pred = if func == MathFn::IsInf { "oeq" } else { "one" };
                return self.inst(Ty::I1, format!("fcmp {pred} {t} {}, {inf}", a.r));
            }
        };
        let params = vec![t.to_string(); args.len()].join(", ");
        if is_intrinsic {
            self.declare(format!("declare {t} @{name}({params})"));
        } else {
            self.declare(format!("declare {t} @{name}({params}) #1"));
        }
        let argv: Vec<String> = args.iter().map(|a| format!("{t} {}", a.r)).collect();
        self.inst(t, format!("call {fm}{t} @{name}({})", argv.join(", ")))
    }
}
