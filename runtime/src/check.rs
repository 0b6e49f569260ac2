//! The checks a checked call makes on an array argument before it reaches machine code: the
//! element type, the number of dimensions, the extents, the data pointer and the layout the
//! signature promises the code (`[::1]` code indexes as if the strides were contiguous).

use kcache_abi::{kc_array, kc_dtype};

/// The layout a signature names: `[:]` (any strides), `[::1]`/`[:, ::1]` (C), `[::1, :]` (F).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    C,
    F,
    A,
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

/// What is wrong with `a` as an array of `dtype`, `ndim` dimensions and `layout`, said as what
/// the caller passed ("float32 elements", "2 dimensions", ...), or None when it fits.
pub fn array_mismatch(a: &kc_array, dtype: kc_dtype, ndim: usize, layout: Layout) -> Option<String> {
    // Read as an integer: a C or Python caller may store any code in the enum's place.
    // SAFETY: kc_dtype is repr(C) with the size of an i32.
    let code: i32 = unsafe { std::ptr::addr_of!(a.dtype).cast::<i32>().read() };
    if code != dtype.code() {
        let got = kc_dtype::from_code(code)
            .map(|d| d.name().to_string())
            .unwrap_or_else(|| format!("dtype code {code}"));
        return Some(format!("{got} elements"));
    }
    if a.ndim < 0 || a.ndim as usize != ndim || ndim > kcache_abi::KC_MAX_NDIM {
        return Some(format!("{} dimensions", a.ndim));
    }
    let shape = &a.shape[..ndim];
    let strides = &a.strides[..ndim];
    if shape.iter().any(|s| *s < 0) {
        return Some("a negative extent".into());
    }
    let size: i64 = shape.iter().product();
    if size > 0 && a.data.is_null() {
        return Some("a null data pointer".into());
    }
    let itemsize = dtype.itemsize() as i64;
    if strides.iter().any(|s| s % itemsize != 0) {
        return Some("strides that are not multiples of the element size".into());
    }
    match layout {
        Layout::C if !is_contiguous(shape, strides, itemsize, false) => {
            Some("a non-C-contiguous array (strides do not match)".into())
        }
        Layout::F if !is_contiguous(shape, strides, itemsize, true) => {
            Some("a non-F-contiguous array (strides do not match)".into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguity_follows_numpy() {
        assert!(is_contiguous(&[2, 3], &[24, 8], 8, false));
        assert!(!is_contiguous(&[2, 3], &[24, 8], 8, true));
        assert!(is_contiguous(&[2, 3], &[8, 16], 8, true));
        assert!(is_contiguous(&[1, 3], &[999, 8], 8, false));
        assert!(is_contiguous(&[0, 3], &[1, 1], 8, false));
        assert!(!is_contiguous(&[5], &[16], 8, false));
    }

    #[test]
    fn mismatches_are_named() {
        let mut data = [0.0f64; 6];
        let mut a = kc_array {
            data: data.as_mut_ptr().cast(),
            ndim: 2,
            shape: [0; kcache_abi::KC_MAX_NDIM],
            strides: [0; kcache_abi::KC_MAX_NDIM],
            dtype: kc_dtype::KC_FLOAT64,
            owner: std::ptr::null_mut(),
        };
        a.shape[..2].copy_from_slice(&[2, 3]);
        a.strides[..2].copy_from_slice(&[24, 8]);
        assert_eq!(array_mismatch(&a, kc_dtype::KC_FLOAT64, 2, Layout::C), None);
        assert_eq!(
            array_mismatch(&a, kc_dtype::KC_FLOAT32, 2, Layout::A).as_deref(),
            Some("float64 elements")
        );
        assert_eq!(
            array_mismatch(&a, kc_dtype::KC_FLOAT64, 1, Layout::A).as_deref(),
            Some("2 dimensions")
        );
        assert!(array_mismatch(&a, kc_dtype::KC_FLOAT64, 2, Layout::F).is_some());
    }
}
