//! The entry's calling convention as the daemon describes it (`EntryAbi` in the proto), parsed
//! so that calls can be checked before they reach machine code. The codes, sizes and names of
//! the element types are kcache-abi's `kc_dtype`.

use kcache_abi::kc_dtype;

use crate::error::{Error, ErrorKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarType {
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

impl ScalarType {
    pub const ALL: [ScalarType; 13] = [
        ScalarType::Bool,
        ScalarType::I8,
        ScalarType::I16,
        ScalarType::I32,
        ScalarType::I64,
        ScalarType::U8,
        ScalarType::U16,
        ScalarType::U32,
        ScalarType::U64,
        ScalarType::F32,
        ScalarType::F64,
        ScalarType::C64,
        ScalarType::C128,
    ];
    pub fn from_name(name: &str) -> Option<Self> {
        kc_dtype::from_name(name).and_then(|d| Self::from_code(d.code()))
    }

    /// The ABI's element type (ALL is in `kc_dtype` order: a test checks it).
    pub fn dtype(self) -> kc_dtype {
        kcache_abi::DTYPES[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.dtype().name()
    }

    /// The `kc_dtype` code.
    pub fn code(self) -> i32 {
        self.dtype().code()
    }

    pub fn from_code(code: i32) -> Option<Self> {
        Self::ALL.get(usize::try_from(code).ok()?).copied()
    }

    pub fn size(self) -> usize {
        self.dtype().itemsize()
    }
}

/// Steps `index` to the next index within `extents`, odometer style (the last dimension
/// fastest); false once every index has been visited.
pub fn next_index(index: &mut [i64], extents: &[i64]) -> bool {
    for d in (0..index.len()).rev() {
        index[d] += 1;
        if index[d] < extents[d] {
            return true;
        }
        index[d] = 0;
    }
    false
}

/// Array layouts and NumPy's contiguity rule: the runtime checks arguments with them too.
pub use kcache_runtime::check::{is_contiguous, Layout};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgType {
    Scalar(ScalarType),
    Array {
        dtype: ScalarType,
        ndim: usize,
        layout: Layout,
    },
    /// A tuple result: a C struct of the items in order, each at its natural alignment (bool as
    /// one byte, arrays as `kc_array`).
    Tuple(Vec<ArgType>),
}

impl ArgType {
    pub fn parse(text: &str) -> Result<ArgType, Error> {
        let bad = || {
            Error::new(
                ErrorKind::Internal,
                format!("the daemon described a type as '{text}', which this client does not understand"),
            )
        };
        if let Some(inner) = text.strip_prefix("tuple(").and_then(|r| r.strip_suffix(')')) {
            if inner.is_empty() {
                return Ok(ArgType::Tuple(Vec::new()));
            }
            // Items are separated by ';' outside any parentheses (arrays' own use ',').
            let mut items = Vec::new();
            let (mut depth, mut start) = (0i32, 0usize);
            for (i, c) in inner.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    ';' if depth == 0 => {
                        items.push(ArgType::parse(&inner[start..i])?);
                        start = i + 1;
                    }
                    _ => {}
                }
                if depth < 0 {
                    return Err(bad());
                }
            }
            items.push(ArgType::parse(&inner[start..])?);
            return Ok(ArgType::Tuple(items));
        }
        // An Optional result (a value, or None) is written as the C struct
        // `{ bool has_value; T value; }`.
        if let Some(inner) = text.strip_prefix("optional(").and_then(|r| r.strip_suffix(')')) {
            return Ok(ArgType::Tuple(vec![
                ArgType::Scalar(ScalarType::Bool),
                ArgType::parse(inner)?,
            ]));
        }
        // A dict result leaves the kernel as two new 1-D arrays: its keys and its values.
        if let Some(inner) = text.strip_prefix("dict(").and_then(|r| r.strip_suffix(')')) {
            let (k, v) = inner.split_once(';').ok_or_else(bad)?;
            let array = |name: &str| -> Result<ArgType, _> {
                Ok(ArgType::Array {
                    dtype: ScalarType::from_name(name).ok_or_else(bad)?,
                    ndim: 1,
                    layout: Layout::C,
                })
            };
            return Ok(ArgType::Tuple(vec![array(k)?, array(v)?]));
        }
        // A list result leaves the kernel as a new 1-D array of its items; so does a set's
        // (in its iteration order).
        if let Some(inner) = text
            .strip_prefix("list(")
            .or_else(|| text.strip_prefix("set("))
            .and_then(|r| r.strip_suffix(')'))
        {
            let dtype = ScalarType::from_name(inner).ok_or_else(bad)?;
            return Ok(ArgType::Array {
                dtype,
                ndim: 1,
                layout: Layout::C,
            });
        }
        if let Some(inner) = text.strip_prefix("array(").and_then(|r| r.strip_suffix(')')) {
            let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
            let [dtype, ndim, layout] = parts.as_slice() else {
                return Err(bad());
            };
            let dtype = ScalarType::from_name(dtype).ok_or_else(bad)?;
            let ndim: usize = ndim.parse().map_err(|_| bad())?;
            let layout = match *layout {
                "C" => Layout::C,
                "F" => Layout::F,
                "A" => Layout::A,
                _ => return Err(bad()),
            };
            return Ok(ArgType::Array { dtype, ndim, layout });
        }
        ScalarType::from_name(text).map(ArgType::Scalar).ok_or_else(bad)
    }
}

impl ArgType {
    /// (size, alignment) in bytes of a value of this type in memory, by C's rules.
    pub fn size_align(&self) -> (usize, usize) {
        match self {
            ArgType::Scalar(s) => (s.size(), s.size()),
            ArgType::Array { .. } => (std::mem::size_of::<kcache_abi::kc_array>(), 8),
            ArgType::Tuple(items) => {
                let (mut size, mut align) = (0usize, 1usize);
                for item in items {
                    let (s, a) = item.size_align();
                    size = size.div_ceil(a) * a + s;
                    align = align.max(a);
                }
                (size.div_ceil(align) * align, align)
            }
        }
    }

    /// Byte offsets of every array inside a value of this type (itself, or a tuple's items):
    /// the references a result holds.
    pub fn array_offsets(&self) -> Vec<usize> {
        self.array_fields().into_iter().map(|(offset, _)| offset).collect()
    }

    /// Every array inside a value of this type with its byte offset.
    pub fn array_fields(&self) -> Vec<(usize, &ArgType)> {
        let mut out = Vec::new();
        self.collect_arrays(0, &mut out);
        out
    }

    fn collect_arrays<'t>(&'t self, base: usize, out: &mut Vec<(usize, &'t ArgType)>) {
        match self {
            ArgType::Scalar(_) => {}
            ArgType::Array { .. } => out.push((base, self)),
            ArgType::Tuple(items) => {
                let mut offset = 0usize;
                for item in items {
                    let (s, a) = item.size_align();
                    offset = offset.div_ceil(a) * a;
                    item.collect_arrays(base + offset, out);
                    offset += s;
                }
            }
        }
    }
}

impl std::fmt::Display for ArgType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArgType::Scalar(s) => f.write_str(s.name()),
            ArgType::Tuple(items) => {
                let parts: Vec<String> = items.iter().map(|t| t.to_string()).collect();
                write!(f, "({})", parts.join(", "))
            }
            ArgType::Array { dtype, ndim, layout } => {
                let l = match layout {
                    Layout::C => "C-contiguous ",
                    Layout::F => "F-contiguous ",
                    Layout::A => "",
                };
                write!(f, "{l}{}-d {} array", ndim, dtype.name())
            }
        }
    }
}

/// Arguments and result of a compiled entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntrySignature {
    pub args: Vec<ArgType>,
    /// `None` for a void entry. An array result comes back as a `kc_array` the caller releases.
    pub ret: Option<ArgType>,
    /// Human-readable, e.g. `float64(array(float64, 1d, A))`.
    pub text: String,
    /// The result's encoding as the daemon sent it (`float64`, `array(float64,1,C)`,
    /// `tuple(float64;int64)`, `none`): what bindings decode results by.
    pub ret_abi: String,
}

impl EntrySignature {
    pub fn parse(args: &[String], ret_text: &str, text: &str) -> Result<EntrySignature, Error> {
        let args = args.iter().map(|a| ArgType::parse(a)).collect::<Result<Vec<_>, _>>()?;
        let ret = if ret_is_none(ret_text) {
            None
        } else {
            Some(ArgType::parse(ret_text)?)
        };
        Ok(EntrySignature {
            args,
            ret,
            text: text.to_string(),
            ret_abi: if ret_is_none(ret_text) {
                "none".into()
            } else {
                ret_text.to_string()
            },
        })
    }
}

fn ret_is_none(ret: &str) -> bool {
    matches!(ret, "none" | "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_abi_names() {
        assert_eq!(ArgType::parse("float64").unwrap(), ArgType::Scalar(ScalarType::F64));
        assert_eq!(
            ArgType::parse("array(int32,2,C)").unwrap(),
            ArgType::Array {
                dtype: ScalarType::I32,
                ndim: 2,
                layout: Layout::C
            }
        );
        assert!(ArgType::parse("array(int32,2)").is_err());
        let t = ArgType::parse("tuple(float64;array(int32,2,C);tuple(bool;int16))").unwrap();
        assert_eq!(
            t,
            ArgType::Tuple(vec![
                ArgType::Scalar(ScalarType::F64),
                ArgType::Array {
                    dtype: ScalarType::I32,
                    ndim: 2,
                    layout: Layout::C
                },
                ArgType::Tuple(vec![
                    ArgType::Scalar(ScalarType::Bool),
                    ArgType::Scalar(ScalarType::I16)
                ]),
            ])
        );
        let array = std::mem::size_of::<kcache_abi::kc_array>();
        assert_eq!(t.size_align(), (8 + array + 8, 8));
        assert_eq!(t.array_offsets(), vec![8]);
        assert_eq!(ArgType::parse("tuple(int8;int32;int8)").unwrap().size_align(), (12, 4));
        assert_eq!(ArgType::parse("tuple()").unwrap().size_align(), (0, 1));
        assert!(ArgType::parse("tuple(float64;)").is_err());
        // A dict result: its keys and its values, two arrays.
        let d = ArgType::parse("dict(int64;float32)").unwrap();
        assert_eq!(d.array_offsets(), vec![0, array]);
        assert!(ArgType::parse("dict(int64)").is_err());
    }

    #[test]
    fn scalar_types_are_in_kc_dtype_order() {
        assert_eq!(ScalarType::ALL.len(), kcache_abi::DTYPES.len());
        for (i, s) in ScalarType::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i);
            assert_eq!(s.dtype(), kcache_abi::DTYPES[i]);
            assert_eq!(ScalarType::from_name(s.name()), Some(*s));
        }
        assert_eq!(ScalarType::F64.code(), kc_dtype::KC_FLOAT64 as i32);
    }
}
