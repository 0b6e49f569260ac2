//! The typed IR: the seam between the Python front end and LLVM. Every expression carries its
//! type; every implicit conversion of Python/Numba semantics is an explicit `Cast` here, so the
//! lowering never has to reason about types again.

use crate::parse::ConstValue;
use crate::types::Type;

pub use crate::builtins::math::MathFn;
pub use crate::builtins::BuiltinFn;

mod dump;
pub mod visit;

pub use dump::{dump, dump_expr};

pub type VarId = usize;
pub type FuncId = usize;

#[derive(Clone, Debug)]
pub struct Program {
    pub functions: Vec<Function>,
    pub entry: FuncId,
    /// When the entry's result holds lists (which leave it as new 1-D arrays of their items):
    /// the result type clients are told (`list(float64)` where a list was), so that Python
    /// can give back lists.
    pub entry_ret_abi: Option<Type>,
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
    /// `try: body` with `except:` / `except Exception:` (`handler`), `else:` and `finally:`. An
    /// exception raised in `body` (by a statement, a callee or a runtime check) runs `handler`
    /// when there is one, and is raised again after `finalbody` when there is none.
    Try {
        body: Vec<Stmt>,
        handler: Option<Vec<Stmt>>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    /// A bare `raise` in an `except:` block: the exception it caught, raised again.
    Reraise,
    Assert {
        cond: Expr,
        raise: Raise,
    },
    /// Element-wise store into an existing array (slice assignment, in-place operators on
    /// arrays): `value` (a scalar, an array, or an `ArrayMap`) broadcast to `dest`'s shape.
    ArrayStore {
        dest: Expr,
        value: Expr,
    },
    Expr(Expr),
}

impl Stmt {
    /// A `try`'s blocks (body, handler when there is one, else, finally); none for others.
    pub fn try_blocks(&self) -> Vec<&[Stmt]> {
        match self {
            Stmt::Try {
                body,
                handler,
                orelse,
                finalbody,
            } => [Some(body), handler.as_ref(), Some(orelse), Some(finalbody)]
                .into_iter()
                .flatten()
                .map(Vec::as_slice)
                .collect(),
            _ => Vec::new(),
        }
    }
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

/// An element-wise computation: `inputs` are evaluated once (arrays broadcast against each other
/// as NumPy does; scalars are constants of the loop); the result has the broadcast shape, or
/// `shape` when it is given (its expressions may use `Elem` of scalar inputs); `body` computes
/// one element from `Elem` and `Index` (`None` leaves the elements uninitialised: `np.empty`).
#[derive(Clone, Debug)]
pub struct ArrayMap {
    pub inputs: Vec<Expr>,
    pub shape: Option<Vec<Expr>>,
    pub body: Option<Expr>,
}

/// One position of a view's index.
#[derive(Clone, Debug)]
pub enum ViewIndex {
    /// An integer index: the dimension goes away (negative indices wrap; bounds are checked).
    At(Expr),
    /// `start:stop:step`, Python's slice semantics (clamped, negative bounds wrap).
    Slice {
        start: Option<Expr>,
        stop: Option<Expr>,
        step: Option<Expr>,
    },
    /// `None` / `np.newaxis`: a new dimension of length 1.
    NewAxis,
}

/// Reductions (NumPy's meaning: `Sum` and `Mean` of floats use NumPy's pairwise summation, so
/// the results are NumPy's to the last bit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReduceOp {
    Sum,
    Prod,
    Min,
    Max,
    ArgMin,
    ArgMax,
    Mean,
    Var,
    Std,
    Any,
    All,
}

/// List operations; the arguments each takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOp {
    /// `len(l)`.
    Len,
    /// `l[i]` (index).
    Get,
    /// `l[i] = x` (index, value).
    Set,
    /// `l.append(x)`.
    Append,
    /// `l.pop(i)` (index; -1 for `l.pop()`).
    Pop,
    /// `l.insert(i, x)`.
    Insert,
    /// `l.extend(other)` (another list of the same item type).
    Extend,
    /// `l.clear()`.
    Clear,
    /// `np.array(l)`: a new 1-D array of `Expr::ty`.
    ToArray,
}

/// Set operations; the arguments each takes (an item is already of the set's item type, a
/// set of the set's type). Each is CPython's (see kcache-runtime's `set`), so that the order
/// a set is iterated in is CPython's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetOp {
    /// `len(s)`.
    Len,
    /// `s.add(v)` (item).
    Add,
    /// `v in s` (item).
    Contains,
    /// `s.discard(v)` (item).
    Discard,
    /// `s.remove(v)` (item): KeyError when missing.
    Remove,
    /// `s.pop()`: KeyError when empty.
    Pop,
    /// `s.clear()`.
    Clear,
    /// `s.copy()`, and `set(t)` of a set `t`.
    Copy,
    /// `s.update(t)`, `s |= t` (set).
    Update,
    /// `s | t`, `s.union(t)` (set): a new set.
    Or,
    /// `s & t`, `s.intersection(t)` (set): a new set.
    And,
    /// `s - t`, `s.difference(t)` (set): a new set.
    Sub,
    /// `s ^ t`, `s.symmetric_difference(t)` (set): a new set.
    Xor,
    /// `s &= t`, `s.intersection_update(t)` (set).
    IAnd,
    /// `s -= t`, `s.difference_update(t)` (set).
    ISub,
    /// `s ^= t`, `s.symmetric_difference_update(t)` (set).
    IXor,
    /// `s <= t`, `s.issubset(t)` (set).
    IsSubset,
    /// `s.isdisjoint(t)` (set).
    IsDisjoint,
    /// `s == t` (set).
    Eq,
    /// The items in iteration order, as a new list: `list(s)`, `for v in s`, `sorted(s)`.
    List,
    /// A new set of the items added one by one in iteration order (`frozenset(tuple(s))`).
    Rebuild,
    /// `s.intersection(x)` (a list of the set's item type): a new set.
    AndItems,
    /// `s.difference(x)` (a list of the set's item type): a new set.
    SubItems,
    /// `s.intersection_update(x)` (a list of the set's item type).
    IAndItems,
    /// `s.difference_update(x)` (a list of the set's item type).
    ISubItems,
}

/// Dict operations; the arguments each takes (a key is already of the dict's key type, a
/// value or default of its value type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictOp {
    /// `len(d)`.
    Len,
    /// `d[k]` (key): KeyError when missing.
    Get,
    /// `d[k] = v` (key, value).
    Set,
    /// `k in d` (key).
    Contains,
    /// `d.get(k, default)` (key, default).
    GetOr,
    /// `d.pop(k)` (key): KeyError when missing; `del d[k]` when `Expr::ty` is none.
    Pop,
    /// `d.pop(k, default)` (key, default).
    PopOr,
    /// `d.setdefault(k, default)` (key, default).
    SetDefault,
    /// `d.clear()`.
    Clear,
    /// `d.copy()`.
    Copy,
    /// A new list of the keys, in insertion order (`d.keys()`, `for k in d`).
    Keys,
    /// A new list of the values (`d.values()`).
    Values,
    /// A new list of (key, value) tuples (`d.items()`).
    Items,
    /// `d.popitem()`: the last entry, removed, as a (key, value) tuple.
    PopItem,
    /// `d.update(other)` (a dict of the same types).
    Update,
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

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Const(ConstValue),
    Var(VarId),
    /// Evaluates `value` once into the scalar variable `var`, then `body` (which reads `var`):
    /// an operand a rewrite needs twice (the middle of `a < b < c`) is computed only once.
    Let {
        var: VarId,
        value: Box<Expr>,
        body: Box<Expr>,
    },
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
    /// A primitive of the builtins registry that lowers itself (`abs` of an int, `min`, `max`).
    Builtin {
        builtin: BuiltinFn,
        args: Vec<Expr>,
    },
    /// An element-wise computation into a new C-contiguous array of `Expr::ty` (array
    /// expressions, ufuncs on arrays, allocation, copies): see `ArrayMap`.
    ArrayMap(Box<ArrayMap>),
    /// In an `ArrayMap` body: the current element of input `k` (of a scalar input, its value).
    Elem(usize),
    /// In an `ArrayMap` body: the current index along dimension `d` of the result (int64).
    Index(u8),
    /// A view of an array: basic indexing with integers, slices and new axes (no copy).
    View {
        array: Box<Expr>,
        indices: Vec<ViewIndex>,
    },
    /// The array with its dimensions reversed (`a.T`), or permuted (`a.transpose(1, 0, 2)`).
    Transpose {
        array: Box<Expr>,
        axes: Vec<u8>,
    },
    /// `print(...)`: the items in order, `sep` between them and `end` after (type None).
    Print {
        items: Vec<PrintItem>,
        sep: String,
        end: String,
    },
    /// The same bytes seen as another dtype (`a.view(np.int64)`): the expression's type names
    /// it; a different item size rescales the last axis, which must be contiguous.
    DtypeView(Box<Expr>),
    /// The real or imaginary parts of a complex array, as a view of floats (`a.real`, `a.imag`).
    ComplexPart {
        array: Box<Expr>,
        imag: bool,
    },
    /// A contiguous array seen with another shape (`reshape`, `ravel`); one dimension may be -1.
    Reshape {
        array: Box<Expr>,
        shape: Vec<Expr>,
    },
    /// A reduction of an array to a scalar, or along one axis to an array.
    Reduce {
        op: ReduceOp,
        array: Box<Expr>,
        axis: Option<u8>,
    },
    /// `np.cumsum`/`np.cumprod` (`mul`): running totals in C order, over the flattened array
    /// (1-D result) or along `axis` (same shape), in `Expr::ty`'s dtype.
    Scan {
        mul: bool,
        array: Box<Expr>,
        axis: Option<u8>,
    },
    /// A call of a function of the host table (`kc_host_api`) by its field name: the random
    /// number generators the kernel-language library uses.
    HostCall {
        function: &'static str,
        args: Vec<Expr>,
    },
    /// A new list of the items (`Expr::ty` gives the item type; none for `[]`).
    ListNew(Vec<Expr>),
    /// An operation on a list (`args` as `ListOp` says).
    List {
        op: ListOp,
        list: Box<Expr>,
        args: Vec<Expr>,
    },
    /// A new dict of the (key, value) pairs, flattened: `[k0, v0, k1, v1, ...]` (`Expr::ty`
    /// gives the types).
    DictNew(Vec<Expr>),
    /// A new set of the items, added in order (`Expr::ty` gives the item type).
    SetNew(Vec<Expr>),
    /// An operation on a set (`args` as `SetOp` says).
    Set {
        op: SetOp,
        set: Box<Expr>,
        args: Vec<Expr>,
    },
    /// An operation on a dict (`args` as `DictOp` says).
    Dict {
        op: DictOp,
        dict: Box<Expr>,
        args: Vec<Expr>,
    },
    /// A tuple value made of its items.
    Tuple(Vec<Expr>),
    /// Item `index` (a constant) of a tuple.
    TupleGet {
        tuple: Box<Expr>,
        index: usize,
    },
    /// Item `index` (any int64) of a tuple whose items all have one type (`for x in t`).
    TupleIndex {
        tuple: Box<Expr>,
        index: Box<Expr>,
    },
    /// `np.dot(a, b)` / `a @ b` of 1-D and 2-D arrays.
    Dot {
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `a[mask]`: the elements where a boolean array of the same shape is true, as a new 1-D array.
    MaskSelect {
        array: Box<Expr>,
        mask: Box<Expr>,
    },
    /// `a.shape[dim]`.
    ArrayDim {
        array: Box<Expr>,
        dim: u8,
    },
    ArraySize(Box<Expr>),
    /// The value inside an Optional (a `(valid, value)` tuple once inference is done):
    /// TypeError when it is None, as Numba's cast from an Optional raises.
    OptionalValue(Box<Expr>),
    /// An array descriptor with no buffer and no owner: the value slot of a None Optional
    /// array, never read as an array.
    NoArray,
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

    /// `lhs op rhs` of type `ty` (both operands already of the operator's operand type).
    pub fn binary(op: BinOp, lhs: Expr, rhs: Expr, ty: &Type) -> Expr {
        Expr::new(
            ExprKind::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            ty.clone(),
        )
    }

    /// Converts to `ty` unless it already has that type.
    pub fn cast(self, ty: &Type) -> Expr {
        if &self.ty == ty {
            return self;
        }
        // A list literal is built with the item type it is converted to (a list object's item
        // type never changes; inference refuses other list conversions).
        if let (ExprKind::ListNew(items), Some(item)) = (&self.kind, ty.list_item()) {
            let items = items.iter().map(|e| e.clone().cast(item)).collect();
            return Expr::new(ExprKind::ListNew(items), ty.clone());
        }
        // So is a set literal.
        if let (ExprKind::SetNew(items), Some(item)) = (&self.kind, ty.set_item()) {
            let items = items.iter().map(|e| e.clone().cast(item)).collect();
            return Expr::new(ExprKind::SetNew(items), ty.clone());
        }
        // So is a dict literal, with its keys and values converted.
        if let (ExprKind::DictNew(items), Some((k, v))) = (&self.kind, ty.dict_types()) {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, e)| e.clone().cast(if i % 2 == 0 { k } else { v }))
                .collect();
            return Expr::new(ExprKind::DictNew(items), ty.clone());
        }
        Expr::new(ExprKind::Cast(Box::new(self)), ty.clone())
    }
}

/// An item of `print(...)`: a string literal or a scalar value.
#[derive(Clone, Debug)]
pub enum PrintItem {
    Text(String),
    Value(Expr),
}
