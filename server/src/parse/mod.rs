//! Stage 1: parse the request source with ruff's Python parser and index what a kernel may use:
//! functions, module-level numeric constants, imports and the Numba decorators.

use std::collections::{BTreeMap, HashMap};

use ruff_python_ast::{self as ast, Expr, Number};
use ruff_text_size::{Ranged, TextRange};

use crate::diag::{CompileError, DiagKind, SourceMap};
pub use crate::globals::{Frozen, Opaque};

/// A module-level name frozen into the code at compile time, as Numba freezes globals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConstValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Real and imaginary parts of a complex128 (`2j`, `complex(1, 2)`).
    Complex(f64, f64),
}

impl ConstValue {
    pub fn canonical(&self) -> String {
        match self {
            ConstValue::Bool(b) => format!("bool:{b}"),
            ConstValue::Int(i) => format!("int:{i}"),
            ConstValue::Float(f) => format!("float:{:016x}", f.to_bits()),
            ConstValue::Complex(re, im) => format!("complex:{:016x}:{:016x}", re.to_bits(), im.to_bits()),
        }
    }
}

/// Python modules a kernel may refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PyModule {
    Math,
    Numpy,
    Numba,
    /// Python's `random`.
    Random,
    /// `numpy.random`.
    NumpyRandom,
    /// `numpy.linalg`.
    NumpyLinalg,
    Cmath,
}

impl PyModule {
    /// The module's name in Python.
    pub fn name(self) -> &'static str {
        match self {
            PyModule::Math => "math",
            PyModule::Numpy => "numpy",
            PyModule::Numba => "numba",
            PyModule::Random => "random",
            PyModule::NumpyRandom => "numpy.random",
            PyModule::NumpyLinalg => "numpy.linalg",
            PyModule::Cmath => "cmath",
        }
    }
}

/// What an imported name stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Imported {
    Module(PyModule),
    Member(PyModule, String),
}

/// Signature(s) and options a decorator in the source gives a function.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecoratorInfo {
    pub signatures: Vec<String>,
    pub options: BTreeMap<String, String>,
    pub vectorize: bool,
}

impl DecoratorInfo {
    /// What the decorator declares, for the action key: empty for a bare `@njit`, which
    /// declares nothing a missing decorator would not.
    pub fn canonical(&self) -> String {
        if self.signatures.is_empty() && self.options.is_empty() && !self.vectorize {
            return String::new();
        }
        let options: Vec<String> = self.options.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        format!(
            "{} signatures={:?} options=[{}]",
            if self.vectorize { "vectorize" } else { "jit" },
            self.signatures,
            options.join(",")
        )
    }
}

pub struct ParsedModule<'src> {
    pub source: &'src str,
    pub map: SourceMap<'src>,
    pub functions: HashMap<String, ast::StmtFunctionDef>,
    /// Module-level numbers kernels freeze into their code, with their types.
    pub constants: HashMap<String, Frozen>,
    pub tuples: HashMap<String, Vec<Frozen>>,
    pub arrays: HashMap<String, crate::globals::FrozenArray>,
    pub imports: HashMap<String, Imported>,
    /// Module-level names whose value kcache cannot know exactly: using one is an error.
    pub opaque: HashMap<String, Opaque>,
}

pub(crate) mod function_args;
mod limits;
pub(crate) mod nested;
pub use limits::{MAX_BLOCK_NESTING, MAX_EXPR_NESTING};

const MAX_SOURCE_BYTES: usize = 4 << 20;

pub fn parse_module(source: &str) -> Result<ParsedModule<'_>, CompileError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(CompileError::request(format!(
            "source is {} bytes; the limit is {MAX_SOURCE_BYTES}",
            source.len()
        )));
    }
    let map = SourceMap::new(source);
    let parsed = ruff_python_parser::parse_module(source)
        .map_err(|e| map.error(DiagKind::Syntax, e.location, e.error.to_string()))?;
    let module = parsed.into_syntax();
    if let Err(e) = limits::check_nesting(&module.body, &map) {
        limits::drop_deep(module, source.len());
        return Err(e);
    }
    // The module's top level runs as Python would run it on import.
    let names = crate::globals::execute(&module.body, &map);
    Ok(ParsedModule {
        source,
        map,
        functions: names.functions,
        constants: names.constants,
        tuples: names.tuples,
        arrays: names.arrays,
        imports: names.imports,
        opaque: names.opaque,
    })
}

impl<'src> ParsedModule<'src> {
    /// Evaluates a constant expression inside a kernel (a tuple index, a decorator option):
    /// literals, frozen module-level numbers, math constants and integer arithmetic on them.
    pub fn eval_const(&self, expr: &Expr) -> Option<ConstValue> {
        match expr {
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => i.as_i64().map(ConstValue::Int),
                Number::Float(f) => Some(ConstValue::Float(*f)),
                Number::Complex { .. } => None,
            },
            Expr::BooleanLiteral(b) => Some(ConstValue::Bool(b.value)),
            Expr::Name(name) => self.constants.get(name.id.as_str()).map(|c| c.value),
            Expr::Attribute(attr) => {
                let Expr::Name(base) = &*attr.value else {
                    return None;
                };
                match self.imports.get(base.id.as_str()) {
                    Some(Imported::Module(PyModule::Math | PyModule::Numpy)) => {
                        math_constant(attr.attr.id.as_str()).map(ConstValue::Float)
                    }
                    _ => None,
                }
            }
            Expr::UnaryOp(u) => {
                let v = self.eval_const(&u.operand)?;
                match (u.op, v) {
                    (ast::UnaryOp::USub, ConstValue::Int(i)) => i.checked_neg().map(ConstValue::Int),
                    (ast::UnaryOp::USub, ConstValue::Float(f)) => Some(ConstValue::Float(-f)),
                    (ast::UnaryOp::UAdd, v) => Some(v),
                    _ => None,
                }
            }
            Expr::BinOp(b) => {
                let l = self.eval_const(&b.left)?;
                let r = self.eval_const(&b.right)?;
                const_binop(b.op, l, r)
            }
            _ => None,
        }
    }

    /// The decorator on `def` that names Numba's njit/jit/vectorize, if any.
    pub fn decorator_info(&self, def: &ast::StmtFunctionDef) -> Result<Option<DecoratorInfo>, CompileError> {
        for decorator in &def.decorator_list {
            let (callee, call) = match &decorator.expression {
                Expr::Call(call) => (&*call.func, Some(call)),
                other => (other, None),
            };
            let name = match callee {
                Expr::Name(n) => match self.imports.get(n.id.as_str()) {
                    Some(Imported::Member(PyModule::Numba, member)) => member.clone(),
                    _ => n.id.to_string(),
                },
                Expr::Attribute(a) => a.attr.id.to_string(),
                _ => continue,
            };
            let vectorize = match name.as_str() {
                "njit" | "jit" => false,
                "vectorize" => true,
                _ => continue,
            };
            let mut info = DecoratorInfo {
                vectorize,
                ..Default::default()
            };
            if let Some(call) = call {
                for arg in call.arguments.args.iter() {
                    info.signatures.extend(self.signature_strings(arg)?);
                }
                for kw in call.arguments.keywords.iter() {
                    let Some(key) = kw.arg.as_ref() else { continue };
                    let key = key.id.to_string();
                    if key == "signature_or_function" || key == "signatures" || key == "ftylist" {
                        info.signatures.extend(self.signature_strings(&kw.value)?);
                        continue;
                    }
                    let value = match &kw.value {
                        Expr::BooleanLiteral(b) => b.value.to_string(),
                        Expr::StringLiteral(s) => s.value.to_str().to_string(),
                        Expr::NumberLiteral(_) => match self.eval_const(&kw.value) {
                            Some(ConstValue::Int(i)) => i.to_string(),
                            Some(ConstValue::Float(f)) => f.to_string(),
                            _ => continue,
                        },
                        Expr::NoneLiteral(_) => continue,
                        _ => continue,
                    };
                    info.options.insert(key, value);
                }
            }
            return Ok(Some(info));
        }
        Ok(None)
    }

    fn signature_strings(&self, expr: &Expr) -> Result<Vec<String>, CompileError> {
        match expr {
            Expr::StringLiteral(s) => Ok(vec![s.value.to_str().to_string()]),
            Expr::List(list) => list
                .elts
                .iter()
                .map(|e| self.signature_strings(e))
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.concat()),
            // A tuple of strings lists signatures; a tuple of types is one signature's
            // argument types, as Numba reads `@njit((float64[:], int64))`.
            Expr::Tuple(t) if t.elts.iter().all(|e| matches!(e, Expr::StringLiteral(_))) => t
                .elts
                .iter()
                .map(|e| self.signature_strings(e))
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.concat()),
            Expr::Tuple(_) | Expr::Call(_) => Ok(vec![self.type_object_text(expr)?]),
            other => Err(self.map.error(
                DiagKind::Unsupported,
                other.range(),
                "a decorator signature must be a string (\"float64(float64[:])\") or Numba types (float64(float64[:]))",
            )),
        }
    }

    /// A signature written with Numba's type objects (`float64(int64, float32[:, ::1])`,
    /// `nb.types.float64(...)`) as the signature text it stands for: the source text with the
    /// module prefixes removed. The signature parser then checks every name.
    fn type_object_text(&self, expr: &Expr) -> Result<String, CompileError> {
        let text = &self.source[expr.range()];
        let mut out = String::with_capacity(text.len());
        let mut word = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
                continue;
            }
            if c == '.' && !word.is_empty() && !word.chars().all(|d| d.is_ascii_digit()) {
                // `numba.`, `nb.` (an alias of numba) and `types.` are prefixes of type names.
                let is_module = word == "types"
                    || matches!(self.imports.get(word.as_str()), Some(Imported::Module(PyModule::Numba)))
                    || matches!(self.imports.get(word.as_str()), Some(Imported::Member(PyModule::Numba, m)) if m == "types");
                if !is_module {
                    return Err(self.map.error(
                        DiagKind::Unsupported,
                        expr.range(),
                        format!("'{word}.' in a decorator signature: use numba's types (float64, int32[:], ...)"),
                    ));
                }
                word.clear();
                continue;
            }
            out.push_str(&word);
            word.clear();
            if !c.is_whitespace() {
                out.push(c);
            } else if chars.peek().is_some_and(|n| n.is_alphanumeric()) && out.ends_with(|p: char| p.is_alphanumeric())
            {
                out.push(' ');
            }
        }
        out.push_str(&word);
        Ok(out)
    }

    pub fn error(&self, kind: DiagKind, range: TextRange, message: impl Into<String>) -> CompileError {
        self.map.error(kind, range, message)
    }
}

pub fn math_constant(name: &str) -> Option<f64> {
    Some(match name {
        "pi" => std::f64::consts::PI,
        "e" => std::f64::consts::E,
        "tau" => std::f64::consts::TAU,
        "inf" | "Inf" | "infty" | "PINF" => f64::INFINITY,
        "nan" | "NaN" | "NAN" => f64::NAN,
        _ => return None,
    })
}

fn const_binop(op: ast::Operator, l: ConstValue, r: ConstValue) -> Option<ConstValue> {
    use ast::Operator::*;
    // Complex constants are not folded: the kernel computes them with its own arithmetic.
    if matches!(l, ConstValue::Complex(..)) || matches!(r, ConstValue::Complex(..)) {
        return None;
    }
    let as_f = |v: ConstValue| match v {
        ConstValue::Bool(b) => b as i64 as f64,
        ConstValue::Int(i) => i as f64,
        ConstValue::Float(f) | ConstValue::Complex(f, _) => f,
    };
    let as_i = |v: ConstValue| match v {
        ConstValue::Bool(b) => Some(b as i64),
        ConstValue::Int(i) => Some(i),
        ConstValue::Float(_) | ConstValue::Complex(..) => None,
    };
    if let (Some(a), Some(b)) = (as_i(l), as_i(r)) {
        let v = match op {
            Add => a.checked_add(b),
            Sub => a.checked_sub(b),
            Mult => a.checked_mul(b),
            FloorDiv if b != 0 => Some(a.div_euclid(b) - if (a.rem_euclid(b) != 0) && b < 0 { 1 } else { 0 }),
            Mod if b != 0 => Some(((a % b) + b) % b),
            Pow if (0..64).contains(&b) => a.checked_pow(b as u32),
            LShift if (0..64).contains(&b) => a.checked_shl(b as u32),
            RShift if (0..64).contains(&b) => Some(a >> b),
            BitAnd => Some(a & b),
            BitOr => Some(a | b),
            BitXor => Some(a ^ b),
            Div if b != 0 => return Some(ConstValue::Float(a as f64 / b as f64)),
            _ => None,
        };
        return v.map(ConstValue::Int);
    }
    let (a, b) = (as_f(l), as_f(r));
    let v = match op {
        Add => a + b,
        Sub => a - b,
        Mult => a * b,
        Div if b != 0.0 => a / b,
        Pow => a.powf(b),
        _ => return None,
    };
    Some(ConstValue::Float(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_functions_constants_and_decorators() {
        let src = "import math\nimport numpy as np\nfrom numba import njit, prange\nN = 4\nM = N * 2 + 1\nTWO_PI = 2 * math.pi\n\n@njit(\"float64(float64[:])\", fastmath=True)\ndef f(a):\n    return a[0]\n";
        let m = parse_module(src).unwrap();
        assert_eq!(m.constants["M"].value, ConstValue::Int(9));
        assert_eq!(
            m.constants["TWO_PI"].value,
            ConstValue::Float(2.0 * std::f64::consts::PI)
        );
        assert_eq!(m.imports["np"], Imported::Module(PyModule::Numpy));
        let info = m.decorator_info(&m.functions["f"]).unwrap().unwrap();
        assert_eq!(info.signatures, vec!["float64(float64[:])".to_string()]);
        assert_eq!(info.options["fastmath"], "true");
    }

    /// Numba files often write signatures with type objects instead of strings.
    #[test]
    fn decorator_signatures_from_numba_type_objects() {
        let src = "import numba as nb\nfrom numba import njit, vectorize, float64, int64, types\n\n@njit(float64(float64[:, ::1], nb.int64))\ndef f(a, n):\n    return a[0, 0]\n\n@njit((types.float32[:], int64))\ndef g(a, n):\n    return a[0]\n\n@vectorize([float64(float64), nb.float32(nb.float32)])\ndef h(x):\n    return x\n";
        let m = parse_module(src).unwrap();
        let sigs = |name: &str| m.decorator_info(&m.functions[name]).unwrap().unwrap().signatures;
        assert_eq!(sigs("f"), vec!["float64(float64[:,::1],int64)".to_string()]);
        assert_eq!(sigs("g"), vec!["(float32[:],int64)".to_string()]);
        assert_eq!(
            sigs("h"),
            vec!["float64(float64)".to_string(), "float32(float32)".to_string()]
        );
        for s in sigs("f").iter().chain(&sigs("g")).chain(&sigs("h")) {
            crate::signature::parse_signature(s).unwrap();
        }
        let bad = parse_module("import os\nfrom numba import njit\n@njit(os.float64(os.x))\ndef f(a):\n    return a\n")
            .unwrap();
        assert!(bad.decorator_info(&bad.functions["f"]).is_err());
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let err = parse_module("def f(x):\n    return x +\n").err().unwrap();
        match err {
            CompileError::Source(d) => {
                assert_eq!(d.kind, DiagKind::Syntax);
                assert_eq!(d.line, 2);
            }
            other => panic!("{other}"),
        }
    }
}
