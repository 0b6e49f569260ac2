//! Element-wise kernels for C callers (Numba's `@vectorize`): a scalar function compiled
//! together with a loop over one dimension, one such loop per declared signature, applied over
//! N-d arrays with NumPy broadcasting. The loop that runs is the one a NumPy ufunc (and so
//! Numba's `@vectorize`) picks: the first declared loop to which every input casts safely.

use std::ffi::c_void;

use kcache_abi::{kc_array, KC_MAX_NDIM};

use crate::abi::{next_index, ArgType, ScalarType};
use crate::client::{Client, CompileSpec, Kernel};
use crate::error::{Error, ErrorKind};

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

/// NumPy's casting rules between the dtypes kcache has (`np.can_cast(from, to, casting)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Casting {
    /// Every value of `from` is a value of `to` (how a ufunc chooses its loop).
    Safe,
    /// `Safe`, or within a kind or towards a later kind of bool, unsigned, signed, float (how a
    /// ufunc's result goes into an `out` array of another dtype).
    SameKind,
}

/// `np.can_cast(from, to, casting)` for kcache's dtypes (checked against NumPy in the tests).
pub fn can_cast(from: ScalarType, to: ScalarType, casting: Casting) -> bool {
    use ScalarType::*;
    let rank = |t: ScalarType| match t {
        Bool => 0,
        U8 | U16 | U32 | U64 => 1,
        I8 | I16 | I32 | I64 => 2,
        F32 | F64 => 3,
        C64 | C128 => 4,
    };
    if from == to || from == Bool {
        return true;
    }
    match casting {
        Casting::SameKind => rank(from) <= rank(to) && to != Bool,
        Casting::Safe => match (rank(from), rank(to)) {
            // Within a kind: to a type at least as wide.
            (a, b) if a == b => to.size() >= from.size(),
            // Unsigned to signed: strictly wider.
            (1, 2) => to.size() > from.size(),
            // Integers to floats: float32 holds 8- and 16-bit integers, float64 every integer
            // (NumPy counts int64 -> float64 as safe).
            (1 | 2, 3) => to == F64 || from.size() <= 2,
            // To complex: as to a float of the parts' width.
            (1 | 2, 4) => to == C128 || from.size() <= 2,
            (3, 4) => to.size() >= 2 * from.size(),
            _ => false,
        },
    }
}

/// Splits a list of scalar signatures, "float64(float64); float32(float32)" (`;`, a newline or
/// a comma outside parentheses between them), into its items.
pub fn split_signatures(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for ch in text.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if ch == ';' || ch == '\n' || (ch == ',' && depth == 0) {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
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
    if ret.is_empty() || args.is_empty() || sig.contains('[') || !sig[close + 1..].trim().is_empty() {
        return Err(bad());
    }
    Ok((ret, args))
}

/// Compiles one element loop per signature of `spec.signature` (one scalar signature, or
/// several: see [`split_signatures`]), in declaration order.
pub fn compile(client: &Client, spec: CompileSpec) -> Result<Vec<Kernel>, Error> {
    let sigs = split_signatures(&spec.signature);
    if sigs.is_empty() {
        return Err(Error::new(
            ErrorKind::Invalid,
            "an element-wise kernel needs a scalar signature such as \"float64(float64)\"",
        ));
    }
    let mut loops: Vec<Kernel> = Vec::with_capacity(sigs.len());
    let mut nin = None;
    for sig in &sigs {
        let (ret, args) = scalar_signature(sig)?;
        if *nin.get_or_insert(args.len()) != args.len() {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!(
                    "the signatures take different numbers of inputs ('{}' and '{sig}')",
                    sigs[0]
                ),
            ));
        }
        let (name, text) = loop_source(&spec.entry, args.len());
        let arrays: Vec<String> = args.iter().map(|a| format!("{a}[:]")).collect();
        let mut one = spec.clone();
        one.signature = format!("void({}, {ret}[:])", arrays.join(", "));
        one.entry = name;
        one.source.extend_from_slice(text.as_bytes());
        loops.push(client.compile(&one)?);
    }
    Ok(loops)
}

fn dtype_of(t: &ArgType) -> ScalarType {
    match t {
        ArgType::Array { dtype, .. } => *dtype,
        ArgType::Scalar(s) => *s,
        ArgType::Tuple(_) => unreachable!("ufunc loops take arrays of scalars"),
    }
}

/// The loop's input dtypes and output dtype.
fn loop_types(kernel: &Kernel) -> (Vec<ScalarType>, ScalarType) {
    let args = &kernel.signature.args;
    let ins = args[..args.len().saturating_sub(1)].iter().map(dtype_of).collect();
    let out = args.last().map(dtype_of).unwrap_or(ScalarType::Bool);
    (ins, out)
}

/// The index of the loop NumPy's ufunc type resolution picks for these input dtypes: the first
/// in declaration order to which every input casts safely. None: no loop takes them.
pub fn select(loops: &[&Kernel], inputs: &[ScalarType]) -> Option<usize> {
    loops.iter().position(|k| {
        let (ins, _) = loop_types(k);
        ins.len() == inputs.len()
            && inputs
                .iter()
                .zip(&ins)
                .all(|(from, to)| can_cast(*from, *to, Casting::Safe))
    })
}

/// The output dtype of the loop that `inputs` select (see [`select`]).
pub fn resolve(loops: &[&Kernel], inputs: &[ScalarType]) -> Result<ScalarType, Error> {
    let nin = loops.first().map(|k| loop_types(k).0.len()).unwrap_or(0);
    if inputs.len() != nin {
        return Err(Error::new(
            ErrorKind::Invalid,
            format!("this element-wise kernel takes {nin} inputs, {} given", inputs.len()),
        ));
    }
    match select(loops, inputs) {
        Some(k) => Ok(loop_types(loops[k]).1),
        None => Err(no_loop(loops, inputs)),
    }
}

fn no_loop(loops: &[&Kernel], inputs: &[ScalarType]) -> Error {
    let names: Vec<&str> = inputs.iter().map(|t| t.name()).collect();
    let sigs: Vec<String> = loops
        .iter()
        .map(|k| {
            let (ins, out) = loop_types(k);
            let ins: Vec<&str> = ins.iter().map(|t| t.name()).collect();
            format!("{}({})", out.name(), ins.join(", "))
        })
        .collect();
    Error::new(
        ErrorKind::Invalid,
        format!(
            "no loop takes inputs of type ({}) by a safe cast; the loops are {}",
            names.join(", "),
            sigs.join("; ")
        ),
    )
}

/// One element as read from memory, in its own kind (converted to the target type with
/// Rust's `as`, which rounds and wraps as C's casts do for these pairs).
#[derive(Clone, Copy)]
enum Value {
    I(i64),
    U(u64),
    F32(f32),
    F64(f64),
    /// Real and imaginary parts (of either complex type).
    C(f64, f64),
}

/// # Safety
/// `p` points to a readable element of type `t`.
unsafe fn read(p: *const u8, t: ScalarType) -> Value {
    use std::ptr::read_unaligned as rd;
    // SAFETY: the caller's contract.
    unsafe {
        match t {
            ScalarType::Bool => Value::U((*p != 0) as u64),
            ScalarType::I8 => Value::I(rd(p as *const i8) as i64),
            ScalarType::I16 => Value::I(rd(p as *const i16) as i64),
            ScalarType::I32 => Value::I(rd(p as *const i32) as i64),
            ScalarType::I64 => Value::I(rd(p as *const i64)),
            ScalarType::U8 => Value::U(*p as u64),
            ScalarType::U16 => Value::U(rd(p as *const u16) as u64),
            ScalarType::U32 => Value::U(rd(p as *const u32) as u64),
            ScalarType::U64 => Value::U(rd(p as *const u64)),
            ScalarType::F32 => Value::F32(rd(p as *const f32)),
            ScalarType::F64 => Value::F64(rd(p as *const f64)),
            ScalarType::C64 => Value::C(rd(p as *const f32) as f64, rd((p as *const f32).add(1)) as f64),
            ScalarType::C128 => Value::C(rd(p as *const f64), rd((p as *const f64).add(1))),
        }
    }
}

/// # Safety
/// `p` points to a writable element of type `t`.
unsafe fn write(p: *mut u8, t: ScalarType, v: Value) {
    use std::ptr::write_unaligned as wr;
    macro_rules! conv {
        ($ty:ty) => {
            match v {
                Value::I(x) => x as $ty,
                Value::U(x) => x as $ty,
                Value::F32(x) => x as $ty,
                Value::F64(x) => x as $ty,
                // NumPy's unsafe cast of a complex number to a real type keeps the real part.
                Value::C(re, _) => re as $ty,
            }
        };
    }
    let (re, im) = match v {
        Value::C(re, im) => (re, im),
        _ => (conv!(f64), 0.0),
    };
    // SAFETY: the caller's contract.
    unsafe {
        match t {
            ScalarType::Bool => {
                *p = match v {
                    Value::I(x) => x != 0,
                    Value::U(x) => x != 0,
                    Value::F32(x) => x != 0.0,
                    Value::F64(x) => x != 0.0,
                    Value::C(re, im) => re != 0.0 || im != 0.0,
                } as u8
            }
            ScalarType::I8 => wr(p as *mut i8, conv!(i8)),
            ScalarType::I16 => wr(p as *mut i16, conv!(i16)),
            ScalarType::I32 => wr(p as *mut i32, conv!(i32)),
            ScalarType::I64 => wr(p as *mut i64, conv!(i64)),
            ScalarType::U8 => wr(p, conv!(u8)),
            ScalarType::U16 => wr(p as *mut u16, conv!(u16)),
            ScalarType::U32 => wr(p as *mut u32, conv!(u32)),
            ScalarType::U64 => wr(p as *mut u64, conv!(u64)),
            ScalarType::F32 => wr(p as *mut f32, conv!(f32)),
            ScalarType::F64 => wr(p as *mut f64, conv!(f64)),
            ScalarType::C64 => {
                wr(p as *mut f32, re as f32);
                wr((p as *mut f32).add(1), im as f32);
            }
            ScalarType::C128 => {
                wr(p as *mut f64, re);
                wr((p as *mut f64).add(1), im);
            }
        }
    }
}

/// Copies `n` elements from a strided run of `from` into a strided run of `to`, converting.
///
/// # Safety
/// Both runs cover `n` elements at their strides.
unsafe fn convert(
    src: *const u8,
    src_stride: i64,
    from: ScalarType,
    dst: *mut u8,
    dst_stride: i64,
    to: ScalarType,
    n: i64,
) {
    for j in 0..n as isize {
        // SAFETY: the caller's contract.
        unsafe {
            let v = read(src.offset(j * src_stride as isize), from);
            write(dst.offset(j * dst_stride as isize), to, v);
        }
    }
}

/// Applies element loops: picks the loop by the inputs' dtypes as NumPy does (see [`select`]),
/// casts inputs to it where their dtype differs, and writes every element of `out`, each input
/// broadcast to its shape. `out` may have any dtype the loop's output casts to with NumPy's
/// `same_kind` rule.
///
/// # Safety
/// The arrays describe memory that covers their shapes and strides.
pub unsafe fn call(loops: &[&Kernel], inputs: &[&kc_array], out: &mut kc_array) -> Result<(), Error> {
    let nin = loops.first().map(|k| loop_types(k).0.len()).unwrap_or(0);
    if inputs.len() != nin {
        return Err(Error::new(
            ErrorKind::Invalid,
            format!("this element-wise kernel takes {nin} inputs, {} given", inputs.len()),
        ));
    }
    let nd = out.ndim;
    if !(1..=KC_MAX_NDIM as i32).contains(&nd) {
        return Err(Error::new(ErrorKind::Invalid, "the output must have 1 to 8 dimensions"));
    }
    let nd = nd as usize;
    let dtype_code = |i: usize, a: &kc_array| {
        ScalarType::from_code(a.dtype as i32).ok_or_else(|| {
            Error::new(
                ErrorKind::Invalid,
                format!("array {i}: unknown dtype code {}", a.dtype as i32),
            )
        })
    };
    let in_types = inputs
        .iter()
        .enumerate()
        .map(|(i, a)| dtype_code(i, a))
        .collect::<Result<Vec<_>, _>>()?;
    let out_type = dtype_code(inputs.len(), out)?;
    let kernel = loops[select(loops, &in_types).ok_or_else(|| no_loop(loops, &in_types))?];
    let (loop_ins, loop_out) = loop_types(kernel);
    if !can_cast(loop_out, out_type, Casting::SameKind) {
        return Err(Error::new(
            ErrorKind::Invalid,
            format!(
                "the output array holds {} elements, but the loop for these inputs gives {} (not a same_kind cast)",
                out_type.name(),
                loop_out.name()
            ),
        ));
    }
    // Broadcast strides: each input aligned to the output's trailing dimensions.
    let mut strides: Vec<[i64; KC_MAX_NDIM]> = Vec::new();
    for (i, a) in inputs.iter().enumerate() {
        if a.ndim < 1 || a.ndim as usize > nd {
            return Err(Error::new(
                ErrorKind::Invalid,
                format!("input {i} has more dimensions than the output"),
            ));
        }
        let size = in_types[i].size() as i64;
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
    if out.strides[..nd].iter().any(|s| s % out_type.size() as i64 != 0) {
        return Err(Error::new(
            ErrorKind::Invalid,
            "the output's strides must be multiples of the element size",
        ));
    }
    if out.shape[..nd].contains(&0) {
        return Ok(());
    }
    let last = nd - 1;
    let len = out.shape[last];
    let row = |data: *mut c_void, stride: i64, dtype: ScalarType| kc_array {
        data,
        ndim: 1,
        shape: {
            let mut s = [0; KC_MAX_NDIM];
            s[0] = len;
            s
        },
        strides: {
            let mut s = [0; KC_MAX_NDIM];
            s[0] = stride;
            s
        },
        dtype: dtype.dtype(),
        owner: std::ptr::null_mut(),
    };
    // Rows of the loop's types for the operands whose dtype differs (8-byte aligned).
    let scratch = |cast: bool| if cast { vec![0u64; len as usize] } else { Vec::new() };
    let mut in_bufs: Vec<Vec<u64>> = in_types.iter().zip(&loop_ins).map(|(a, b)| scratch(a != b)).collect();
    let mut out_buf = scratch(out_type != loop_out);
    // Walk every index of the leading dimensions; each row is one call of the element loop.
    let mut index = [0i64; KC_MAX_NDIM];
    loop {
        let offset = |st: &[i64; KC_MAX_NDIM]| (0..last).map(|d| index[d] * st[d]).sum::<i64>();
        let mut views: Vec<kc_array> = Vec::with_capacity(inputs.len() + 1);
        for (i, (a, st)) in inputs.iter().zip(&strides).enumerate() {
            // SAFETY: the offset stays inside the array the caller described.
            let p = unsafe { (a.data as *mut u8).offset(offset(st) as isize) };
            if in_bufs[i].is_empty() {
                views.push(row(p as *mut c_void, st[last], in_types[i]));
            } else {
                let buf = in_bufs[i].as_mut_ptr() as *mut u8;
                let size = loop_ins[i].size() as i64;
                // SAFETY: the row covers `len` elements at its stride; buf holds len * 8 bytes.
                unsafe { convert(p, st[last], in_types[i], buf, size, loop_ins[i], len) };
                views.push(row(buf as *mut c_void, size, loop_ins[i]));
            }
        }
        let mut out_strides = [0i64; KC_MAX_NDIM];
        out_strides[..nd].copy_from_slice(&out.strides[..nd]);
        // SAFETY: as above, for the output.
        let p = unsafe { (out.data as *mut u8).offset(offset(&out_strides) as isize) };
        if out_buf.is_empty() {
            views.push(row(p as *mut c_void, out.strides[last], out_type));
        } else {
            views.push(row(
                out_buf.as_mut_ptr() as *mut c_void,
                loop_out.size() as i64,
                loop_out,
            ));
        }
        let ptrs: Vec<*const c_void> = views.iter().map(|v| v as *const kc_array as *const c_void).collect();
        // SAFETY: the views match the loop's signature (its dtypes, one dimension each).
        unsafe { kernel.call(&ptrs, std::ptr::null_mut()) }?;
        if !out_buf.is_empty() {
            let buf = out_buf.as_ptr() as *const u8;
            // SAFETY: out_buf holds the row just computed; the output row covers len elements.
            unsafe {
                convert(
                    buf,
                    loop_out.size() as i64,
                    loop_out,
                    p,
                    out.strides[last],
                    out_type,
                    len,
                )
            };
        }
        if !next_index(&mut index[..last], &out.shape[..last]) {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_signature_lists() {
        assert_eq!(split_signatures("float64(float64)"), vec!["float64(float64)"]);
        assert_eq!(
            split_signatures(" f8(f8, f8); f4(f4, f4)\ni8(i8, i8) "),
            vec!["f8(f8, f8)", "f4(f4, f4)", "i8(i8, i8)"]
        );
        assert_eq!(
            split_signatures("f8(f8, f8), f4(f4, f4)"),
            vec!["f8(f8, f8)", "f4(f4, f4)"]
        );
        assert!(split_signatures(" ; ").is_empty());
    }

    #[test]
    fn casting_rules_in_brief() {
        // The whole table is checked against NumPy in tests/e2e.rs.
        use ScalarType::*;
        assert!(can_cast(F32, F64, Casting::Safe) && !can_cast(F64, F32, Casting::Safe));
        assert!(can_cast(I64, F64, Casting::Safe) && !can_cast(I32, F32, Casting::Safe));
        assert!(can_cast(U8, I16, Casting::Safe) && !can_cast(U8, I8, Casting::Safe));
        assert!(can_cast(F64, F32, Casting::SameKind) && !can_cast(F64, I64, Casting::SameKind));
        assert!(can_cast(U64, I8, Casting::SameKind) && !can_cast(I8, U64, Casting::SameKind));
    }

    #[test]
    fn conversions_round_and_wrap_like_c() {
        let mut b = [0u8; 8];
        let p = b.as_mut_ptr();
        // SAFETY: b holds 8 bytes.
        unsafe {
            write(p, ScalarType::F32, Value::I(16_777_217));
            assert!(matches!(read(p, ScalarType::F32), Value::F32(x) if x == 16_777_216.0));
            write(p, ScalarType::I8, Value::I(300));
            assert!(matches!(read(p, ScalarType::I8), Value::I(44)));
            write(p, ScalarType::F32, Value::F64(0.1));
            assert!(matches!(read(p, ScalarType::F32), Value::F32(x) if x == 0.1f32));
            write(p, ScalarType::Bool, Value::F64(0.5));
            assert!(matches!(read(p, ScalarType::Bool), Value::U(1)));
        }
    }
}
