//! The kernel type system: Numba's scalar types and arrays, with the promotion and unification
//! rules of Numba's integer typing (NBEP-1).

use std::fmt;

/// Numba's ranks of an argument conversion, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Conversion {
    Exact,
    Promote,
    Safe,
    Unsafe,
}

/// A scalar type. `Int64` doubles as Numba's `intp` on the 64-bit targets kcache serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scalar {
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    C64,
    C128,
}

impl Scalar {
    pub const ALL: [Scalar; 13] = [
        Scalar::Bool,
        Scalar::I8,
        Scalar::I16,
        Scalar::I32,
        Scalar::I64,
        Scalar::U8,
        Scalar::U16,
        Scalar::U32,
        Scalar::U64,
        Scalar::F32,
        Scalar::F64,
        Scalar::C64,
        Scalar::C128,
    ];

    pub fn name(self) -> &'static str {
        kcache_proto::DTYPE_NAMES[self.dtype_code() as usize]
    }

    /// A NumPy scalar type name (`np.byte` is int8 there, where Numba's `byte` is uint8).
    pub fn from_numpy_name(name: &str) -> Option<Scalar> {
        Some(match name {
            "bool_" | "bool" => Scalar::Bool,
            "float_" | "double" | "float64" => Scalar::F64,
            "single" | "float32" => Scalar::F32,
            "intp" | "int_" | "int64" | "longlong" => Scalar::I64,
            "uintp" | "uint" | "uint64" | "ulonglong" => Scalar::U64,
            "int8" | "byte" => Scalar::I8,
            "int16" | "short" => Scalar::I16,
            "int32" | "intc" => Scalar::I32,
            "uint8" | "ubyte" => Scalar::U8,
            "uint16" | "ushort" => Scalar::U16,
            "uint32" | "uintc" => Scalar::U32,
            "complex64" | "csingle" | "singlecomplex" => Scalar::C64,
            "complex128" | "complex_" | "cdouble" | "cfloat" | "complex" => Scalar::C128,
            _ => return None,
        })
    }

    /// Parses a Numba scalar type name, aliases included.
    pub fn from_name(name: &str) -> Option<Scalar> {
        Some(match name {
            "boolean" | "bool_" | "bool" | "b1" => Scalar::Bool,
            "int8" | "i1" | "char" => Scalar::I8,
            "int16" | "i2" => Scalar::I16,
            "int32" | "i4" | "intc" => Scalar::I32,
            "int64" | "i8" | "intp" | "int_" | "long_" | "longlong" | "ssize_t" => Scalar::I64,
            "uint8" | "u1" | "byte" | "uchar" => Scalar::U8,
            "uint16" | "u2" => Scalar::U16,
            "uint32" | "u4" | "uintc" => Scalar::U32,
            "uint64" | "u8" | "uintp" | "uint" | "ulonglong" | "size_t" => Scalar::U64,
            "float32" | "f4" | "single" => Scalar::F32,
            "float64" | "f8" | "double" | "float_" => Scalar::F64,
            "complex64" | "c8" | "csingle" => Scalar::C64,
            "complex128" | "c16" | "cdouble" | "complex_" => Scalar::C128,
            _ => return None,
        })
    }

    pub fn is_float(self) -> bool {
        matches!(self, Scalar::F32 | Scalar::F64)
    }

    pub fn is_int(self) -> bool {
        !self.is_float() && !self.is_complex() && self != Scalar::Bool
    }

    pub fn is_complex(self) -> bool {
        matches!(self, Scalar::C64 | Scalar::C128)
    }

    /// The type of a complex number's parts (float32 for complex64); a real type is its own.
    pub fn real_part(self) -> Scalar {
        match self {
            Scalar::C64 => Scalar::F32,
            Scalar::C128 => Scalar::F64,
            s => s,
        }
    }

    /// The complex type whose parts are `self` after promotion to a float (float32 and the
    /// integers that fit in it give complex64; every other real complex128).
    pub fn complex_of(self) -> Scalar {
        match self {
            Scalar::C64 | Scalar::F32 => Scalar::C64,
            s if !s.is_float() && !s.is_complex() && s.bits() < 32 => Scalar::C64,
            _ => Scalar::C128,
        }
    }

    pub fn is_signed(self) -> bool {
        matches!(
            self,
            Scalar::I8
                | Scalar::I16
                | Scalar::I32
                | Scalar::I64
                | Scalar::F32
                | Scalar::F64
                | Scalar::C64
                | Scalar::C128
        )
    }

    /// How a value of this type passes as a parameter of type `to`, in Numba's ranks (its
    /// typeconv rules closed over chains, a chain ranking as its worst step); `None` where
    /// Numba has no conversion (complex to real). Picks among declared signatures.
    pub fn conversion_to(self, to: Scalar) -> Option<Conversion> {
        static TABLE: std::sync::OnceLock<[[Option<Conversion>; 13]; 13]> = std::sync::OnceLock::new();
        let table = TABLE.get_or_init(|| {
            use Conversion::*;
            use Scalar::*;
            let at = |s: Scalar| Scalar::ALL.iter().position(|x| *x == s).expect("a scalar");
            let mut t = [[None; 13]; 13];
            let mut rule = |a: Scalar, b: Scalar, forward: Conversion, backward: Option<Conversion>| {
                t[at(a)][at(b)] = Some(forward);
                if let Some(back) = backward {
                    t[at(b)][at(a)] = Some(back);
                }
            };
            rule(Bool, I8, Safe, Some(Unsafe));
            rule(Bool, U8, Safe, Some(Unsafe));
            for (a, b) in [
                (I8, I16),
                (U8, U16),
                (I16, I32),
                (U16, U32),
                (I32, I64),
                (U32, U64),
                (F32, F64),
                (C64, C128),
            ] {
                rule(a, b, Promote, Some(Unsafe));
            }
            for (a, b) in [(U8, I16), (U16, I32), (U32, I64), (I16, F32), (I32, F64)] {
                rule(a, b, Safe, Some(Unsafe));
            }
            rule(I64, F64, Unsafe, Some(Unsafe));
            rule(U64, F64, Unsafe, Some(Unsafe));
            rule(F32, C64, Safe, None);
            rule(F64, C128, Safe, None);
            for (k, row) in t.iter_mut().enumerate() {
                row[k] = Some(Exact);
            }
            for via in 0..13 {
                for a in 0..13 {
                    for b in 0..13 {
                        if let (Some(x), Some(y)) = (t[a][via], t[via][b]) {
                            let chained = x.max(y);
                            if t[a][b].is_none_or(|old| chained < old) {
                                t[a][b] = Some(chained);
                            }
                        }
                    }
                }
            }
            t
        });
        let at = |s: Scalar| Scalar::ALL.iter().position(|x| *x == s).expect("a scalar");
        table[at(self)][at(to)]
    }

    /// Width in bits (bool: 1).
    pub fn bits(self) -> u32 {
        match self {
            Scalar::Bool => 1,
            Scalar::I8 | Scalar::U8 => 8,
            Scalar::I16 | Scalar::U16 => 16,
            Scalar::I32 | Scalar::U32 | Scalar::F32 => 32,
            Scalar::I64 | Scalar::U64 | Scalar::F64 | Scalar::C64 => 64,
            Scalar::C128 => 128,
        }
    }

    /// Bytes one element takes in an array (bool: one byte, as NumPy stores it).
    pub fn itemsize(self) -> u32 {
        self.bits().max(8) / 8
    }

    /// The `kc_dtype` code of the C ABI.
    pub fn dtype_code(self) -> i32 {
        Scalar::ALL.iter().position(|s| *s == self).unwrap_or(0) as i32
    }

    fn int(signed: bool, bits: u32) -> Scalar {
        match (signed, bits) {
            (true, 8) => Scalar::I8,
            (true, 16) => Scalar::I16,
            (true, 32) => Scalar::I32,
            (true, _) => Scalar::I64,
            (false, 8) => Scalar::U8,
            (false, 16) => Scalar::U16,
            (false, 32) => Scalar::U32,
            (false, _) => Scalar::U64,
        }
    }
}

/// Memory layout of an array argument, as Numba spells it in signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// C-contiguous: the last dimension has unit stride (`[::1]`, `[:, ::1]`).
    C,
    /// Fortran-contiguous: the first dimension has unit stride (`[::1, :]`).
    F,
    /// Any strides (`[:]`, `[:, :]`).
    A,
}

impl Layout {
    pub fn letter(self) -> char {
        match self {
            Layout::C => 'C',
            Layout::F => 'F',
            Layout::A => 'A',
        }
    }
}

/// Arrays kcache accepts have at most this many dimensions (the size of `kc_array.shape`).
pub const MAX_NDIM: u8 = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArrayType {
    pub dtype: Scalar,
    pub ndim: u8,
    pub layout: Layout,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Scalar(Scalar),
    Array(ArrayType),
    /// The result of a function that returns nothing.
    None,
    /// A homogeneous tuple of integers (an array's `shape` or `strides`): only unpacked or indexed.
    IntTuple(u8),
    /// A tuple of scalars, arrays and tuples (Numba's `Tuple`/`UniTuple`).
    Tuple(Vec<Type>),
    /// A growable list of scalars or tuples of scalars, shared by reference (Numba's reflected
    /// list). `List(None)` is an empty literal whose item type the first `append` decides.
    List(Box<Type>),
    /// A value or None (Numba's `Optional`): what a function returns when some paths return
    /// None, and a variable None on some paths. Scalars, arrays and tuples of them; inference
    /// lowers it to a `(valid, value)` tuple before the TIR leaves it (see `infer::optional`).
    Optional(Box<Type>),
    /// A dict (Numba's typed dict) of keys and values, shared by reference: numbers and tuples
    /// of numbers. `Dict(None, None)` is an empty `{}` whose types the first store decides.
    Dict(Box<Type>, Box<Type>),
    /// A set (Numba's reflected set) of numbers or tuples of numbers, shared by reference.
    /// `Set(None)` is an empty `set()` whose item type the first `add` decides.
    Set(Box<Type>),
}

impl Type {
    pub const F64: Type = Type::Scalar(Scalar::F64);
    pub const I64: Type = Type::Scalar(Scalar::I64);
    pub const BOOL: Type = Type::Scalar(Scalar::Bool);

    pub fn scalar(&self) -> Option<Scalar> {
        match self {
            Type::Scalar(s) => Some(*s),
            _ => None,
        }
    }

    pub fn array(&self) -> Option<ArrayType> {
        match self {
            Type::Array(a) => Some(*a),
            _ => None,
        }
    }

    pub fn is_numeric(&self) -> bool {
        self.scalar().is_some()
    }

    /// The compact encoding clients parse (see `EntryAbi` in the proto).
    pub fn abi_name(&self) -> String {
        match self {
            Type::Scalar(s) => s.name().to_string(),
            Type::Array(a) => format!("array({},{},{})", a.dtype.name(), a.ndim, a.layout.letter()),
            Type::None => "none".to_string(),
            Type::IntTuple(n) => Type::Tuple(vec![Type::I64; *n as usize]).abi_name(),
            Type::Tuple(items) => {
                let parts: Vec<String> = items.iter().map(|t| t.abi_name()).collect();
                format!("tuple({})", parts.join(";"))
            }
            Type::List(item) => format!("list({})", item.abi_name()),
            Type::Optional(item) => format!("optional({})", item.abi_name()),
            Type::Dict(k, v) => format!("dict({};{})", k.abi_name(), v.abi_name()),
            Type::Set(item) => format!("set({})", item.abi_name()),
        }
    }

    /// Whether a value of the type can be wrapped in an Optional (a None array is a descriptor
    /// with no buffer; a list has no such empty form).
    pub fn optional_allowed(&self) -> bool {
        match self {
            Type::Scalar(_) | Type::Array(_) => true,
            Type::Tuple(items) => items.iter().all(Type::optional_allowed),
            _ => false,
        }
    }

    pub fn optional_item(&self) -> Option<&Type> {
        match self {
            Type::Optional(item) => Some(item),
            _ => None,
        }
    }

    /// Values kept in memory and handled through a pointer to it (arrays' descriptors, tuples,
    /// lists), rather than in registers.
    pub fn is_aggregate(&self) -> bool {
        matches!(
            self,
            Type::Array(_) | Type::Tuple(_) | Type::List(_) | Type::Dict(..) | Type::Set(_)
        )
    }

    /// (key, value) types of a dict.
    pub fn dict_types(&self) -> Option<(&Type, &Type)> {
        match self {
            Type::Dict(k, v) => Some((k, v)),
            _ => None,
        }
    }

    pub fn set_item(&self) -> Option<&Type> {
        match self {
            Type::Set(item) => Some(item),
            _ => None,
        }
    }

    pub fn list_item(&self) -> Option<&Type> {
        match self {
            Type::List(item) => Some(item),
            _ => None,
        }
    }

    pub fn tuple(&self) -> Option<&[Type]> {
        match self {
            Type::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// Whether values of the type hold references to buffers (arrays, lists, tuples of them).
    pub fn holds_arrays(&self) -> bool {
        match self {
            Type::Array(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) => true,
            Type::Tuple(items) => items.iter().any(Type::holds_arrays),
            _ => false,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Scalar(s) => f.write_str(s.name()),
            Type::Array(a) => write!(f, "array({}, {}d, {})", a.dtype.name(), a.ndim, a.layout.letter()),
            Type::None => f.write_str("none"),
            Type::IntTuple(n) => write!(f, "UniTuple(int64 x {n})"),
            Type::Tuple(items) => {
                let parts: Vec<String> = items.iter().map(|t| t.to_string()).collect();
                write!(f, "Tuple({})", parts.join(", "))
            }
            Type::List(item) if **item == Type::None => f.write_str("list(undefined)"),
            Type::List(item) => write!(f, "list({item})"),
            Type::Optional(item) => write!(f, "OptionalType({item})"),
            Type::Dict(k, _) if **k == Type::None => f.write_str("dict(undefined)"),
            Type::Dict(k, v) => write!(f, "DictType[{k},{v}]"),
            Type::Set(item) if **item == Type::None => f.write_str("set(undefined)"),
            Type::Set(item) => write!(f, "set({item})"),
        }
    }
}

/// The type both operands of an arithmetic operator are converted to (Numba's rules):
/// integers narrower than 64 bits widen to intp, mixed signed/unsigned 64-bit goes to float64,
/// any float wins, and float32 stays float32 only when every operand fits in it.
pub fn arith_promote(a: Scalar, b: Scalar) -> Scalar {
    use Scalar::*;
    if a.is_complex() || b.is_complex() {
        // The parts' promotion decides the width: complex64 with float64 is complex128.
        let parts = arith_promote(as_float(a.real_part()), as_float(b.real_part()));
        return parts.complex_of();
    }
    match (a, b) {
        (F64, _) | (_, F64) => F64,
        (F32, F32) => F32,
        // Numba: float32 with a small integer (< 32 bits, or bool) stays float32.
        (F32, x) | (x, F32) => {
            if x.bits() < 32 {
                F32
            } else {
                F64
            }
        }
        _ => {
            let a_unsigned = a.is_int() && !a.is_signed();
            let b_unsigned = b.is_int() && !b.is_signed();
            match (a_unsigned, b_unsigned) {
                (true, true) => U64,
                (false, false) => I64,
                // signed with unsigned: int64 can hold every unsigned narrower than 64 bits.
                _ => {
                    let unsigned = if a_unsigned { a } else { b };
                    if unsigned == U64 {
                        F64
                    } else {
                        I64
                    }
                }
            }
        }
    }
}

/// The type of a variable assigned values of both types on different paths.
pub fn unify(a: &Type, b: &Type) -> Option<Type> {
    if a == b {
        return Some(a.clone());
    }
    match (a, b) {
        (Type::Scalar(x), Type::Scalar(y)) => Some(Type::Scalar(unify_scalar(*x, *y))),
        (Type::Array(x), Type::Array(y)) if x.dtype == y.dtype && x.ndim == y.ndim => Some(Type::Array(ArrayType {
            layout: Layout::A,
            ..*x
        })),
        // An empty literal takes the item type of the other side.
        (Type::List(x), Type::List(y)) => match (&**x, &**y) {
            (Type::None, _) => Some(b.clone()),
            (_, Type::None) => Some(a.clone()),
            (x, y) => unify(x, y)
                .filter(|t| t.is_numeric() || t.tuple().is_some() || t.array().is_some() || t.list_item().is_some())
                .map(|t| Type::List(Box::new(t))),
        },
        // An empty `{}` takes the other side's types; otherwise a dict's types never change.
        (Type::Dict(k, _), Type::Dict(..)) if **k == Type::None => Some(b.clone()),
        (Type::Dict(..), Type::Dict(k, _)) if **k == Type::None => Some(a.clone()),
        (Type::Dict(k1, v1), Type::Dict(k2, v2)) => Some(Type::Dict(
            Box::new(unify(k1, k2).filter(|t| t.is_numeric() || t.tuple().is_some())?),
            Box::new(unify(v1, v2).filter(|t| !matches!(t, Type::Dict(..) | Type::None))?),
        )),
        // An empty `set()` takes the other side's item type; otherwise a set's never changes.
        (Type::Set(x), Type::Set(_)) if **x == Type::None => Some(b.clone()),
        (Type::Set(_), Type::Set(y)) if **y == Type::None => Some(a.clone()),
        (Type::Tuple(x), Type::Tuple(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .map(|(a, b)| unify(a, b))
            .collect::<Option<Vec<_>>>()
            .map(Type::Tuple),
        (Type::Optional(x), Type::None) | (Type::None, Type::Optional(x)) => Some(Type::Optional(x.clone())),
        (Type::Optional(x), Type::Optional(y)) => optional_of(unify(x, y)?),
        (Type::Optional(x), y) | (y, Type::Optional(x)) => optional_of(unify(x, y)?),
        _ => None,
    }
}

/// `Optional(t)`, where an Optional of `t` is allowed.
pub fn optional_of(t: Type) -> Option<Type> {
    t.optional_allowed().then(|| Type::Optional(Box::new(t)))
}

pub fn unify_scalar(a: Scalar, b: Scalar) -> Scalar {
    use Scalar::*;
    if a == b {
        return a;
    }
    if a.is_complex() || b.is_complex() {
        return unify_scalar(as_float(a.real_part()), as_float(b.real_part())).complex_of();
    }
    match (a, b) {
        (F64, _) | (_, F64) => F64,
        (F32, x) | (x, F32) => {
            if x.bits() < 32 {
                F32
            } else {
                F64
            }
        }
        (Bool, x) | (x, Bool) => x,
        _ => {
            if a.is_signed() == b.is_signed() {
                Scalar::int(a.is_signed(), a.bits().max(b.bits()))
            } else {
                let (s, u) = if a.is_signed() { (a, b) } else { (b, a) };
                if u.bits() < 64 {
                    Scalar::int(true, (u.bits() * 2).max(s.bits()))
                } else {
                    F64
                }
            }
        }
    }
}

/// A real type as the float it becomes beside a complex number (int8 beside complex64 stays
/// complex64, as in NumPy; int64 needs float64).
fn as_float(s: Scalar) -> Scalar {
    if s.is_float() {
        s
    } else if s.bits() < 32 {
        Scalar::F32
    } else {
        Scalar::F64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_have_the_abi_dtype_codes_names_and_sizes() {
        for s in Scalar::ALL {
            let d = kcache_abi::kc_dtype::from_code(s.dtype_code()).expect("a kc_dtype code");
            assert_eq!(d.name(), s.name());
            assert_eq!(d.itemsize(), s.itemsize() as usize, "{}", s.name());
        }
        assert_eq!(Scalar::ALL.len(), kcache_abi::DTYPES.len());
    }

    #[test]
    fn promotion_follows_numba() {
        assert_eq!(arith_promote(Scalar::I32, Scalar::I32), Scalar::I64);
        assert_eq!(arith_promote(Scalar::I64, Scalar::U64), Scalar::F64);
        assert_eq!(arith_promote(Scalar::U8, Scalar::U32), Scalar::U64);
        assert_eq!(arith_promote(Scalar::I64, Scalar::F32), Scalar::F64);
        assert_eq!(arith_promote(Scalar::I16, Scalar::F32), Scalar::F32);
        assert_eq!(arith_promote(Scalar::Bool, Scalar::Bool), Scalar::I64);
        assert_eq!(unify_scalar(Scalar::I64, Scalar::F64), Scalar::F64);
        assert_eq!(unify_scalar(Scalar::I32, Scalar::I64), Scalar::I64);
        assert_eq!(unify_scalar(Scalar::U32, Scalar::I32), Scalar::I64);
    }

    #[test]
    fn complex_promotion_follows_numba() {
        use Scalar::*;
        assert_eq!(arith_promote(C64, F32), C64);
        assert_eq!(arith_promote(C64, F64), C128);
        assert_eq!(arith_promote(C64, I64), C128);
        assert_eq!(arith_promote(C64, I16), C64);
        assert_eq!(arith_promote(C128, C64), C128);
        assert_eq!(arith_promote(F64, C64), C128);
        assert_eq!(arith_promote(I64, C128), C128);
        assert_eq!(unify_scalar(C64, F32), C64);
        assert_eq!(unify_scalar(F64, C64), C128);
        assert!(!C128.is_int() && !C128.is_float() && C128.is_complex());
    }
}
