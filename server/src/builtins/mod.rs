//! Builtins: everything a kernel calls that its own source does not define, each declared once
//! with its typing rule and its lowering (Numba keeps typing templates and lowerings per builtin
//! family; here one place holds both).
//!
//! - `math`: the table of scalar math functions; a row serves `math.x` and `np.x`.
//! - `scalar`: the other primitives (`abs`, `min`, `max`, `round`, conversions, `len`), one
//!   `Builtin` impl each.
//!
//! `BUILTINS` lists every primitive; `UNSUPPORTED` names the Python builtins kernels may not
//! call yet, so that using one is "unsupported", not "not defined".

pub mod complex;
pub mod library;
pub mod math;
pub mod scalar;

use std::fmt;

use crate::diag::DiagKind;
use crate::lower::{Lowerer, V};
use crate::parse::PyModule;
use crate::tir::Expr;
use crate::types::{Scalar, Type};

/// A reduction operator a prange body's update `v = f(v, ...)` performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    Add,
    Mul,
    Div,
    Min,
    Max,
}

/// A call the registry test makes: `call` is the kernel's expression over `a`, `b` (converted
/// to `dtypes` first) and the float64 array `c`; `values` are `a` and `b`.
#[derive(Clone)]
pub struct Example {
    pub call: &'static str,
    pub dtypes: Vec<Scalar>,
    pub values: [f64; 2],
}

/// A builtin other than a math table row.
pub trait Builtin: Sync {
    /// The names it is called by: `(None, "abs")` for Python's builtin, `(Some(Numpy), "abs")`.
    fn spellings(&self) -> &'static [(Option<PyModule>, &'static str)];

    fn accepts(&self, module: Option<PyModule>, name: &str) -> bool {
        self.spellings().iter().any(|(m, n)| *m == module && *n == name)
    }

    /// Types a call whose arguments are typed; `Err` is the diagnostic's kind and message.
    fn infer(&self, module: Option<PyModule>, name: &str, args: Vec<Expr>) -> Result<Expr, (DiagKind, String)>;

    /// Lowers the `ExprKind::Builtin` nodes `infer` produced.
    fn lower(&self, lw: &mut Lowerer, args: &[V], ty: &Type) -> V {
        let _ = (lw, args, ty);
        unreachable!("{} makes no Builtin nodes", self.spellings()[0].1)
    }

    /// The reduction `v = f(v, ...)` performs inside a prange body, if it is one.
    fn reduction(&self) -> Option<Reduction> {
        None
    }

    /// What the registry test runs (every dtype it accepts).
    fn examples(&self) -> Vec<Example>;
}

/// A builtin in the typed IR.
#[derive(Clone, Copy)]
pub struct BuiltinFn(pub &'static dyn Builtin);

impl fmt::Debug for BuiltinFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.spellings()[0].1)
    }
}

/// Every primitive, in one place.
pub static BUILTINS: &[&dyn Builtin] = &[
    &scalar::Abs,
    &scalar::MIN,
    &scalar::MAX,
    &scalar::Round,
    &scalar::Convert,
    &scalar::NumpyScalar,
    &scalar::Len,
];

/// The primitive `module.name` spells, if any.
pub fn lookup(module: Option<PyModule>, name: &str) -> Option<&'static dyn Builtin> {
    BUILTINS.iter().copied().find(|b| b.accepts(module, name))
}

/// Python builtins kcache recognises but does not compile (anything else is an unknown name).
pub const UNSUPPORTED: &[&str] = &[
    "sorted",
    "list",
    "dict",
    "set",
    "tuple",
    "str",
    "repr",
    "isinstance",
    "enumerate",
    "zip",
    "map",
    "filter",
    "any",
    "all",
    "divmod",
    "pow",
    "hash",
    "id",
    "iter",
    "next",
    "open",
    "input",
    "reversed",
    "slice",
    "type",
];

/// Integers narrower than intp widen to intp in arithmetic; bool becomes int64 (Numba's rule).
pub fn widen(s: Scalar) -> Scalar {
    match s {
        Scalar::F32 | Scalar::F64 | Scalar::U64 | Scalar::C64 | Scalar::C128 => s,
        s if s.is_int() && !s.is_signed() => Scalar::U64,
        _ => Scalar::I64,
    }
}
