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
}

impl ScalarType {
    pub const ALL: [ScalarType; 11] = [
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    C,
    F,
    A,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgType {
    Scalar(ScalarType),
    Array {
        dtype: ScalarType,
        ndim: usize,
        layout: Layout,
    },
}

impl ArgType {
    pub fn parse(text: &str) -> Result<ArgType, Error> {
        let bad = || {
            Error::new(
                ErrorKind::Internal,
                format!("the daemon described an argument as '{text}', which this client does not understand"),
            )
        };
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

impl std::fmt::Display for ArgType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArgType::Scalar(s) => f.write_str(s.name()),
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
}

impl EntrySignature {
    pub fn parse(args: &[String], ret: &str, text: &str) -> Result<EntrySignature, Error> {
        let args = args.iter().map(|a| ArgType::parse(a)).collect::<Result<Vec<_>, _>>()?;
        let ret = match ret {
            "none" | "" => None,
            other => Some(ArgType::parse(other)?),
        };
        Ok(EntrySignature {
            args,
            ret,
            text: text.to_string(),
        })
    }
}

/// Whether `shape`/`strides` (bytes) describe a C- (or F-) contiguous array, by NumPy's rule:
/// dimensions of length 1 may have any stride, and an empty array is contiguous.
pub fn is_contiguous(shape: &[i64], strides: &[i64], itemsize: i64, fortran: bool) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut expected = itemsize;
    let dims: Vec<usize> = if fortran {
        (0..shape.len()).collect()
    } else {
        (0..shape.len()).rev().collect()
    };
    for d in dims {
        if shape[d] != 1 && strides[d] != expected {
            return false;
        }
        expected *= shape[d];
    }
    true
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

    #[test]
    fn contiguity_follows_numpy() {
        assert!(is_contiguous(&[3, 4], &[32, 8], 8, false));
        assert!(!is_contiguous(&[3, 4], &[8, 24], 8, false));
        assert!(is_contiguous(&[3, 4], &[8, 24], 8, true));
        assert!(is_contiguous(&[1, 4], &[999, 8], 8, false));
        assert!(is_contiguous(&[0, 4], &[1, 1], 8, false));
        assert!(!is_contiguous(&[5], &[16], 8, false));
    }
}
