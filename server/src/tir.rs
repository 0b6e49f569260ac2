//! The typed IR: the seam between the Python front end and LLVM. Every expression carries its
//! type; every implicit conversion of Python/Numba semantics is an explicit `Cast` here, so the
//! lowering never has to reason about types again.

use std::fmt::Write as _;

use crate::parse::ConstValue;
use crate::types::Type;

pub type VarId = usize;
pub type FuncId = usize;

#[derive(Clone, Debug)]
pub struct Program {
    pub functions: Vec<Function>,
    pub entry: FuncId,
}

#[derive(Clone, Debug)]
pub struct Var {
    pub name: String,
    pub ty: Type,
}

#[derive(Clone, Debug)]
pub struct Function {
    /// The Python name.
    pub name: String,
    /// Unique name of this specialisation inside the module.
    pub symbol: String,
    pub params: Vec<VarId>,
    pub vars: Vec<Var>,
    /// `Type::None` when the function returns nothing.
    pub ret: Type,
    pub body: Vec<Stmt>,
}

/// Exceptions a kernel can raise; the lowering turns each into a status and a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raise {
    pub exception: String,
    pub message: String,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Assign {
        var: VarId,
        value: Expr,
    },
    SetItem {
        array: Expr,
        indices: Vec<Expr>,
        value: Expr,
    },
    If {
        cond: Expr,
        then: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    While {
        cond: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `for var in range(start, stop, step)`; all three are int64.
    ForRange {
        var: VarId,
        start: Expr,
        stop: Expr,
        step: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        parallel: bool,
    },
    Break,
    Continue,
    Return(Option<Expr>),
    Raise(Raise),
    Assert {
        cond: Expr,
        raise: Raise,
    },
    Expr(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    BitNot,
    Not,
}

/// Math functions, by the C/LLVM operation they lower to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MathFn {
    Sqrt,
    Exp,
    Exp2,
    Expm1,
    Log,
    Log2,
    Log10,
    Log1p,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Erf,
    Erfc,
    Gamma,
    Lgamma,
    /// Float result (numpy's floor); `math.floor` is this followed by a cast to int.
    Floor,
    Ceil,
    Trunc,
    /// Round half to even, float result.
    RoundEven,
    Fabs,
    Copysign,
    Hypot,
    Pow,
    Fmod,
    IsNan,
    IsInf,
    IsFinite,
    /// numpy's minimum/maximum: NaN-propagating.
    NanMin,
    NanMax,
}

impl MathFn {
    pub fn arity(self) -> usize {
        match self {
            MathFn::Atan2
            | MathFn::Copysign
            | MathFn::Hypot
            | MathFn::Pow
            | MathFn::Fmod
            | MathFn::NanMin
            | MathFn::NanMax => 2,
            _ => 1,
        }
    }

    pub fn is_predicate(self) -> bool {
        matches!(self, MathFn::IsNan | MathFn::IsInf | MathFn::IsFinite)
    }
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Const(ConstValue),
    Var(VarId),
    /// Converts the operand to `Expr::ty` (numeric conversion, or truthiness when the target is bool).
    Cast(Box<Expr>),
    /// Both operands already have the operator's operand type.
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Compare {
        op: CmpOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    /// Python `and`/`or` with value semantics; both operands have `Expr::ty`.
    Logical {
        and: bool,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    IfExp {
        cond: Box<Expr>,
        then: Box<Expr>,
        orelse: Box<Expr>,
    },
    Call {
        func: FuncId,
        args: Vec<Expr>,
    },
    Math {
        func: MathFn,
        args: Vec<Expr>,
    },
    /// Python `min`/`max`: keeps the first of equal values, compares with `<`/`>` (NaN as CPython does).
    MinMax {
        max: bool,
        args: Vec<Expr>,
    },
    /// `a.shape[dim]`.
    ArrayDim {
        array: Box<Expr>,
        dim: u8,
    },
    ArraySize(Box<Expr>),
    /// `a[i, j, ...]`: one int64 index per dimension, negative ones wrap.
    GetItem {
        array: Box<Expr>,
        indices: Vec<Expr>,
    },
}

impl Expr {
    pub fn new(kind: ExprKind, ty: Type) -> Expr {
        Expr { kind, ty }
    }

    /// Converts to `ty` unless it already has that type.
    pub fn cast(self, ty: &Type) -> Expr {
        if &self.ty == ty {
            self
        } else {
            Expr::new(ExprKind::Cast(Box::new(self)), ty.clone())
        }
    }
}

/// A readable dump of the typed IR, for snapshot tests and `kcache inspect --types`.
pub fn dump(program: &Program) -> String {
    let mut out = String::new();
    for (id, f) in program.functions.iter().enumerate() {
        let params: Vec<String> = f
            .params
            .iter()
            .map(|p| format!("{}: {}", f.vars[*p].name, f.vars[*p].ty))
            .collect();
        let marker = if id == program.entry { " (entry)" } else { "" };
        let _ = writeln!(out, "fn {}({}) -> {}{}", f.symbol, params.join(", "), f.ret, marker);
        let mut locals: Vec<String> = f
            .vars
            .iter()
            .enumerate()
            .filter(|(i, _)| !f.params.contains(i))
            .map(|(_, v)| format!("{}: {}", v.name, v.ty))
            .collect();
        locals.sort();
        if !locals.is_empty() {
            let _ = writeln!(out, "  locals {}", locals.join(", "));
        }
        dump_block(&mut out, program, f, &f.body, 1);
    }
    out
}

fn dump_block(out: &mut String, p: &Program, f: &Function, body: &[Stmt], depth: usize) {
    let pad = "  ".repeat(depth);
    for stmt in body {
        match stmt {
            Stmt::Assign { var, value } => {
                let _ = writeln!(out, "{pad}{} = {}", f.vars[*var].name, dump_expr(p, f, value));
            }
            Stmt::SetItem { array, indices, value } => {
                let idx: Vec<String> = indices.iter().map(|i| dump_expr(p, f, i)).collect();
                let _ = writeln!(
                    out,
                    "{pad}{}[{}] = {}",
                    dump_expr(p, f, array),
                    idx.join(", "),
                    dump_expr(p, f, value)
                );
            }
            Stmt::If { cond, then, orelse } => {
                let _ = writeln!(out, "{pad}if {}:", dump_expr(p, f, cond));
                dump_block(out, p, f, then, depth + 1);
                if !orelse.is_empty() {
                    let _ = writeln!(out, "{pad}else:");
                    dump_block(out, p, f, orelse, depth + 1);
                }
            }
            Stmt::While { cond, body, orelse } => {
                let _ = writeln!(out, "{pad}while {}:", dump_expr(p, f, cond));
                dump_block(out, p, f, body, depth + 1);
                if !orelse.is_empty() {
                    let _ = writeln!(out, "{pad}else:");
                    dump_block(out, p, f, orelse, depth + 1);
                }
            }
            Stmt::ForRange {
                var,
                start,
                stop,
                step,
                body,
                orelse,
                parallel,
            } => {
                let kw = if *parallel { "prange" } else { "range" };
                let _ = writeln!(
                    out,
                    "{pad}for {} in {kw}({}, {}, {}):",
                    f.vars[*var].name,
                    dump_expr(p, f, start),
                    dump_expr(p, f, stop),
                    dump_expr(p, f, step)
                );
                dump_block(out, p, f, body, depth + 1);
                if !orelse.is_empty() {
                    let _ = writeln!(out, "{pad}else:");
                    dump_block(out, p, f, orelse, depth + 1);
                }
            }
            Stmt::Break => {
                let _ = writeln!(out, "{pad}break");
            }
            Stmt::Continue => {
                let _ = writeln!(out, "{pad}continue");
            }
            Stmt::Return(None) => {
                let _ = writeln!(out, "{pad}return");
            }
            Stmt::Return(Some(e)) => {
                let _ = writeln!(out, "{pad}return {}", dump_expr(p, f, e));
            }
            Stmt::Raise(r) => {
                let _ = writeln!(out, "{pad}raise {}({:?})", r.exception, r.message);
            }
            Stmt::Assert { cond, raise } => {
                let _ = writeln!(
                    out,
                    "{pad}assert {}, {}({:?})",
                    dump_expr(p, f, cond),
                    raise.exception,
                    raise.message
                );
            }
            Stmt::Expr(e) => {
                let _ = writeln!(out, "{pad}{}", dump_expr(p, f, e));
            }
        }
    }
}

pub fn dump_expr(p: &Program, f: &Function, e: &Expr) -> String {
    let inner = match &e.kind {
        ExprKind::Const(c) => match c {
            ConstValue::Bool(b) => b.to_string(),
            ConstValue::Int(i) => i.to_string(),
            ConstValue::Float(x) => format!("{x:?}"),
        },
        ExprKind::Var(v) => f.vars[*v].name.clone(),
        ExprKind::Cast(x) => format!("{}({})", e.ty, dump_expr(p, f, x)),
        ExprKind::Binary { op, lhs, rhs } => format!("({} {:?} {})", dump_expr(p, f, lhs), op, dump_expr(p, f, rhs)),
        ExprKind::Compare { op, lhs, rhs } => format!("({} {:?} {})", dump_expr(p, f, lhs), op, dump_expr(p, f, rhs)),
        ExprKind::Unary { op, operand } => format!("{:?}({})", op, dump_expr(p, f, operand)),
        ExprKind::Logical { and, lhs, rhs } => {
            format!(
                "({} {} {})",
                dump_expr(p, f, lhs),
                if *and { "and" } else { "or" },
                dump_expr(p, f, rhs)
            )
        }
        ExprKind::IfExp { cond, then, orelse } => {
            format!(
                "({} if {} else {})",
                dump_expr(p, f, then),
                dump_expr(p, f, cond),
                dump_expr(p, f, orelse)
            )
        }
        ExprKind::Call { func, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{}({})", p.functions[*func].symbol, a.join(", "))
        }
        ExprKind::Math { func, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{:?}({})", func, a.join(", "))
        }
        ExprKind::MinMax { max, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{}({})", if *max { "max" } else { "min" }, a.join(", "))
        }
        ExprKind::ArrayDim { array, dim } => format!("{}.shape[{dim}]", dump_expr(p, f, array)),
        ExprKind::ArraySize(a) => format!("{}.size", dump_expr(p, f, a)),
        ExprKind::GetItem { array, indices } => {
            let idx: Vec<String> = indices.iter().map(|i| dump_expr(p, f, i)).collect();
            format!("{}[{}]", dump_expr(p, f, array), idx.join(", "))
        }
    };
    format!("{inner}: {}", e.ty)
}
