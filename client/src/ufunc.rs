//! Element-wise kernels for C callers (Numba's `@vectorize`): a scalar function compiled
//! together with a loop over one dimension, applied over N-d arrays with NumPy broadcasting.

use std::ffi::c_void;

use crate::abi::{ArgType, ScalarType};
use crate::client::{Client, CompileSpec, Kernel};
use crate::error::{Error, ErrorKind};
use crate::ffi::{kc_array, KC_MAX_NDIM};

/// The loop source appended to the user's source, and its entry name.
pub fn loop_source(entry: &str, nin: usize) -> (String, String) {
    let params: Vec<String> = (0..nin).map(|i| format!("x{i}")).collect();
    let items: Vec<String> = (0..nin).map(|i| format!("x{i}[i]")).collect();
    let name = format!("__kc_vectorize_{entry}");
    let text = format!(
        "\n\ndef {name}({}, out):\n    for i in range(out.shape[0]):\n        out[i] = {entry}({})\n",
        params.join(", "),
        items.join(", ")
    );
    (name, text)
}

/// Splits "float64(float64, int32)" into ("float64", ["float64", "int32"]).
fn scalar_signature(sig: &str) -> Result<(String, Vec<String>), Error> {
    let bad = || {
        Error::new(
            ErrorKind::Invalid,
            format!("'{sig}' is not a scalar signature like \"float64(float64)\""),
        )
    };
    let open = sig.find('(').ok_or_else(bad)?;
    let close = sig.rfind(')').ok_or_else(bad)?;
    let ret = sig[..open].trim().to_string();
    let args: Vec<String> = sig[open + 1..close]
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if ret.is_empty() || args.is_empty() || sig.contains('[') {
        return Err(bad());
    }
    Ok((ret, args))
}

/// Compiles the element loop for `entry` with a scalar signature.
pub fn compile(client: &Client, mut spec: CompileSpec) -> Result<Kernel, Error> {
    let (ret, args) = scalar_signature(&spec.signature)?;
    let (name, text) = loop_source(&spec.entry, args.len());
    let arrays: Vec<String> = args.iter().map(|a| format!("{a}[:]")).collect();
    spec.signature = format!("void({}, {ret}[:])", arrays.join(", "));
    spec.entry = name;
    spec.source.extend_from_slice(text.as_bytes());
    client.compile(&spec)
}

/// Applies a compiled element loop: every input broadcasts to the output's shape.
///
/// # Safety
/// The arrays describe memory that covers their shapes and strides.
pub unsafe fn call(kernel: &Kernel, inputs: &[&kc_array], out: &mut kc_array) -> Result<(), Error> {
    let sig = &kernel.signature.args;
    if sig.len() != inputs.len() + 1 {
        return Err(Error::new(
            ErrorKind::Invalid,
            format!(
                "this element-wise kernel takes {} inputs, {} given",
                sig.len() - 1,
                inputs.len()
            ),
        ));
    }
    let dtype_of = |t: &ArgType| match t {
        ArgType::Array { dtype, .. } => *dtype,
        ArgType::Scalar(s) => *s,
    };
    let nd = out.ndim;
    if !(1..=KC_MAX_NDIM as i32).contains(&nd) {
        return Err(Error::new(ErrorKind::Invalid, "the output must have 1 to 8 dimensions"));
    }
    let nd = nd as usize;
    let check_dtype = |i: usize, a: &kc_array, want: ScalarType| {
        if a.dtype as i32 != want.code() {
            Err(Error::new(
                ErrorKind::Invalid,
                format!("array {i}: expected {} elements", want.name()),
            ))
        } else {
            Ok(())
        }
    };
    check_dtype(inputs.len(), out, dtype_of(&sig[inputs.len()]))?;
    // Broadcast strides: each input aligned to the output's trailing dimensions.
    let mut strides: Vec<[i64; KC_MAX_NDIM]> = Vec::new();
    for (i, a) in inputs.iter().enumerate() {
        check_dtype(i, a, dtype_of(&sig[i]))?;
        if a.ndim < 1 || a.ndim as usize > nd {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!("input {i} has more dimensions than the output"),
            ));
        }
        let size = dtype_of(&sig[i]).size() as i64;
        if a.strides[..a.ndim as usize].iter().any(|s| s % size != 0) {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!("input {i}: strides must be multiples of the element size"),
            ));
        }
        let shift = nd - a.ndim as usize;
        let mut s = [0i64; KC_MAX_NDIM];
        for d in 0..a.ndim as usize {
            let (extent, target) = (a.shape[d], out.shape[d + shift]);
            if extent == target {
                s[d + shift] = a.strides[d];
            } else if extent == 1 {
                s[d + shift] = 0;
            } else {
                return Err(Error::new(
                    ErrorKind::Invalid,
                    format!(
                        "input {i} of shape {:?} does not broadcast to the output shape {:?}",
                        &a.shape[..a.ndim as usize],
                        &out.shape[..nd]
                    ),
                ));
            }
        }
        strides.push(s);
    }
    if out.shape[..nd].contains(&0) {
        return Ok(());
    }
    let last = nd - 1;
    let row = |data: *mut c_void, stride: i64, dtype| kc_array {
        data,
        ndim: 1,
        shape: {
            let mut s = [0; KC_MAX_NDIM];
            s[0] = out.shape[last];
            s
        },
        strides: {
            let mut s = [0; KC_MAX_NDIM];
            s[0] = stride;
            s
        },
        dtype,
    };
    // Walk every index of the leading dimensions; each row is one call of the element loop.
    let mut index = [0i64; KC_MAX_NDIM];
    loop {
        let offset = |st: &[i64; KC_MAX_NDIM]| (0..last).map(|d| index[d] * st[d]).sum::<i64>();
        let mut views: Vec<kc_array> = Vec::with_capacity(inputs.len() + 1);
        for (a, st) in inputs.iter().zip(&strides) {
            // SAFETY: the offset stays inside the array the caller described.
            let p = unsafe { (a.data as *mut u8).offset(offset(st) as isize) } as *mut c_void;
            views.push(row(p, st[last], a.dtype));
        }
        let mut out_strides = [0i64; KC_MAX_NDIM];
        out_strides[..nd].copy_from_slice(&out.strides[..nd]);
        // SAFETY: as above, for the output.
        let p = unsafe { (out.data as *mut u8).offset(offset(&out_strides) as isize) } as *mut c_void;
        views.push(row(p, out.strides[last], out.dtype));
        let ptrs: Vec<*const c_void> = views.iter().map(|v| v as *const kc_array as *const c_void).collect();
        // SAFETY: the views match the loop's signature (checked dtypes, one dimension each).
        unsafe { kernel.call(&ptrs, std::ptr::null_mut()) }?;
        // Next index of the leading dimensions, odometer style.
        let mut d = last;
        loop {
            if d == 0 {
                return Ok(());
            }
            d -= 1;
            index[d] += 1;
            if index[d] < out.shape[d] {
                break;
            }
            index[d] = 0;
        }
    }
}
