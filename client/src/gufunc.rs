//! Generalized ufuncs for C callers (Numba's `@guvectorize`): a kernel over core dimensions
//! ("(n),(n)->()") compiled together with a loop over one outer dimension, applied over the
//! outer (loop) dimensions of N-d arrays with NumPy broadcasting. The Python package builds the
//! same loop (python/kcache/_guvectorize.py); here the caller allocates the outputs.

use std::collections::HashMap;
use std::ffi::c_void;

use kcache_abi::{kc_array, KC_MAX_NDIM};

use crate::abi::{next_index, ArgType, ScalarType};
use crate::client::{Client, CompileSpec, Kernel};
use crate::error::{Error, ErrorKind};

/// One core dimension of a layout: a name bound by the arguments, or a fixed size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dim {
    Named(String),
    Fixed(i64),
}

/// A gufunc's layout, "(m,n),(n)->(m)": the core dimensions of each input, then each output;
/// and how each argument reaches the kernel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GufuncLayout {
    pub inputs: CoreDims,
    pub outputs: CoreDims,
    /// Per argument: passed as a one-element slice `a[i:i + 1]` (a scalar core declared as a
    /// 1-D array, as Numba's outputs are) rather than `a[i]`.
    pub as_slice: Vec<bool>,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Invalid, message)
}

/// Each argument's core dimensions, in order.
pub type CoreDims = Vec<Vec<Dim>>;

/// Parses "(m,n),(n)->(m)" as NumPy and Numba write gufunc layouts: the inputs' and the
/// outputs' core dimensions.
pub fn parse_layout(text: &str) -> Result<(CoreDims, CoreDims), Error> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (ins, outs) = compact
        .split_once("->")
        .filter(|(_, o)| !o.contains("->"))
        .ok_or_else(|| invalid(format!("a gufunc layout looks like '(n),(n)->()', not '{text}'")))?;
    let groups = |part: &str| -> Result<CoreDims, Error> {
        let mut out = Vec::new();
        let mut rest = part;
        while !rest.is_empty() {
            let inner = rest
                .strip_prefix('(')
                .and_then(|r| r.split_once(')'))
                .ok_or_else(|| invalid(format!("cannot parse the gufunc layout '{text}'")))?;
            let dims = inner
                .0
                .split(',')
                .filter(|d| !d.is_empty())
                .map(|d| {
                    if let Ok(n) = d.parse::<i64>() {
                        Ok(Dim::Fixed(n))
                    } else if d.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && d.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        Ok(Dim::Named(d.to_string()))
                    } else {
                        Err(invalid(format!("bad dimension '{d}' in the gufunc layout '{text}'")))
                    }
                })
                .collect::<Result<Vec<_>, _>>()?;
            out.push(dims);
            rest = inner.1;
            if let Some(r) = rest.strip_prefix(',') {
                rest = r;
                if rest.is_empty() {
                    return Err(invalid(format!("cannot parse the gufunc layout '{text}'")));
                }
            } else if !rest.is_empty() {
                return Err(invalid(format!("cannot parse the gufunc layout '{text}'")));
            }
        }
        Ok(out)
    };
    let (inputs, outputs) = (groups(ins)?, groups(outs)?);
    if outputs.is_empty() {
        return Err(invalid(format!("the gufunc layout '{text}' has no output")));
    }
    for d in outputs.iter().flatten() {
        if let Dim::Named(name) = d {
            if !inputs.iter().flatten().any(|i| i == d) {
                return Err(invalid(format!(
                    "output dimension '{name}' of '{text}' is not an input's (kcache cannot size it)"
                )));
            }
        }
    }
    Ok((inputs, outputs))
}

/// The items of "void(float64[:], float64, int64[:, :])".
fn signature_args(signature: &str) -> Result<Vec<String>, Error> {
    let sig = signature.trim();
    let inner = sig
        .strip_prefix("void")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('('))
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| {
            invalid(format!(
                "a gufunc's signature returns nothing and writes its outputs: \"void(float64[:], float64[:])\", not '{signature}'"
            ))
        })?;
    let mut args = Vec::new();
    let (mut depth, mut cur) = (0i32, String::new());
    for c in inner.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            args.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    args.push(cur);
    Ok(args
        .into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect())
}

/// Compiles the gufunc `spec.entry` with the layout `layout` and the one signature
/// `spec.signature` ("void(float64[:], float64[:])"): the kernel and a loop around it.
pub fn compile(client: &Client, spec: CompileSpec, layout: &str) -> Result<(Kernel, GufuncLayout), Error> {
    let (inputs, outputs) = parse_layout(layout)?;
    let args = signature_args(&spec.signature)?;
    let nargs = inputs.len() + outputs.len();
    if args.len() != nargs {
        return Err(invalid(format!(
            "the signature '{}' has {} arguments; the layout '{layout}' has {nargs}",
            spec.signature,
            args.len()
        )));
    }
    let mut as_slice = Vec::with_capacity(nargs);
    let mut wrapper_types = Vec::with_capacity(nargs);
    for (k, (arg, core)) in args.iter().zip(inputs.iter().chain(&outputs)).enumerate() {
        let output = k >= inputs.len();
        let (dtype, ndim) = match arg.split_once('[') {
            Some((dtype, dims)) => (dtype.trim(), dims.matches(',').count() + 1),
            None => (arg.as_str(), 0),
        };
        if output && ndim == 0 {
            return Err(invalid(format!(
                "output {} of '{}' must be an array (a scalar output is written as out[0])",
                k - inputs.len(),
                spec.signature
            )));
        }
        let slice = if ndim == core.len() {
            false
        } else if ndim == 1 && core.is_empty() {
            true
        } else {
            return Err(invalid(format!(
                "argument {k} of '{}' has {ndim} dimensions but its layout has {}",
                spec.signature,
                core.len()
            )));
        };
        as_slice.push(slice);
        wrapper_types.push(format!("{dtype}[{}]", vec![":"; core.len() + 1].join(", ")));
    }
    let params: Vec<String> = (0..nargs).map(|k| format!("a{k}")).collect();
    let items: Vec<String> = as_slice
        .iter()
        .enumerate()
        .map(|(k, slice)| {
            if *slice {
                format!("a{k}[i:i + 1]")
            } else {
                format!("a{k}[i]")
            }
        })
        .collect();
    let name = format!("__kc_guvectorize_{}", spec.entry);
    let text = format!(
        "\n\ndef {name}({}):\n    for i in range(a0.shape[0]):\n        {}({})\n",
        params.join(", "),
        spec.entry,
        items.join(", ")
    );
    let mut wrapped = spec;
    wrapped.signature = format!("void({})", wrapper_types.join(", "));
    wrapped.entry = name;
    wrapped.source.extend_from_slice(text.as_bytes());
    let kernel = client.compile(&wrapped)?;
    Ok((
        kernel,
        GufuncLayout {
            inputs,
            outputs,
            as_slice,
        },
    ))
}

/// Applies a gufunc to `args` (its inputs, then its outputs, which the caller allocated with
/// the broadcast loop shape followed by their core shape). Each argument's trailing dimensions
/// are its core; the rest are loop dimensions, broadcast as NumPy does (inputs only: outputs
/// have the full loop shape). Dtypes must be the signature's.
///
/// # Safety
/// The arrays describe memory that covers their shapes and strides.
pub unsafe fn call(kernel: &Kernel, layout: &GufuncLayout, args: &[kc_array]) -> Result<(), Error> {
    let nin = layout.inputs.len();
    let cores: Vec<&Vec<Dim>> = layout.inputs.iter().chain(&layout.outputs).collect();
    if args.len() != cores.len() {
        return Err(invalid(format!(
            "this gufunc takes {} inputs and {} outputs, {} arrays given",
            nin,
            layout.outputs.len(),
            args.len()
        )));
    }
    // Core sizes bound by name, and each argument's loop shape.
    let mut sizes: HashMap<&str, i64> = HashMap::new();
    let mut loop_shapes: Vec<&[i64]> = Vec::with_capacity(args.len());
    for (k, (a, core)) in args.iter().zip(&cores).enumerate() {
        let what = if k < nin {
            format!("input {k}")
        } else {
            format!("output {}", k - nin)
        };
        let ArgType::Array { dtype, .. } = &kernel.signature.args[k] else {
            return Err(Error::new(ErrorKind::Internal, "a gufunc loop takes arrays"));
        };
        if a.dtype as i32 != dtype.code() {
            let given = ScalarType::from_code(a.dtype as i32).map_or("an unknown dtype", ScalarType::name);
            return Err(invalid(format!(
                "{what} holds {given}; the signature takes {}",
                dtype.name()
            )));
        }
        if a.ndim < 0 || a.ndim as usize > KC_MAX_NDIM || (a.ndim as usize) < core.len() {
            return Err(invalid(format!(
                "{what} has {} dimensions; its core needs {}",
                a.ndim,
                core.len()
            )));
        }
        let ndim = a.ndim as usize;
        if a.shape[..ndim].iter().any(|&n| n < 0) {
            return Err(invalid(format!("{what} has a negative extent: {:?}", &a.shape[..ndim])));
        }
        let split = ndim - core.len();
        for (d, &n) in core.iter().zip(&a.shape[split..ndim]) {
            let want = match d {
                Dim::Fixed(f) => *f,
                Dim::Named(name) => *sizes.entry(name).or_insert(n),
            };
            if n != want {
                return Err(invalid(format!(
                    "{what} has a mismatch in its core dimension {d:?}: {n}, expected {want}"
                )));
            }
        }
        if a.strides[..ndim].iter().any(|s| s % dtype.size() as i64 != 0) {
            return Err(invalid(format!(
                "{what}: strides must be multiples of the element size"
            )));
        }
        loop_shapes.push(&a.shape[..split]);
    }
    let loop_shape: Vec<i64> = loop_shapes[nin].to_vec();
    for (k, shape) in loop_shapes.iter().enumerate() {
        let fits = if k >= nin {
            *shape == loop_shape.as_slice()
        } else {
            shape.len() <= loop_shape.len()
                && shape
                    .iter()
                    .rev()
                    .zip(loop_shape.iter().rev())
                    .all(|(&n, &m)| n == m || n == 1)
        };
        if !fits {
            return Err(invalid(format!(
                "the loop dimensions {shape:?} of array {k} do not broadcast to the outputs' {loop_shape:?}"
            )));
        }
    }
    if loop_shape.contains(&0) {
        return Ok(());
    }
    // With no loop dimension the kernel runs once: a loop of one over a new leading dimension.
    let nloop = loop_shape.len().max(1);
    let extents: Vec<i64> = if loop_shape.is_empty() {
        vec![1]
    } else {
        loop_shape.clone()
    };
    // Each argument's stride along every loop dimension (0 where it is broadcast or missing).
    let loop_strides: Vec<Vec<i64>> = args
        .iter()
        .zip(&loop_shapes)
        .map(|(a, shape)| {
            let shift = nloop - shape.len();
            (0..nloop)
                .map(|d| match d.checked_sub(shift) {
                    Some(j) if shape[j] != 1 || extents[d] == 1 => a.strides[j],
                    _ => 0,
                })
                .collect()
        })
        .collect();
    let last = nloop - 1;
    let mut index = vec![0i64; nloop];
    loop {
        let views: Vec<kc_array> = args
            .iter()
            .zip(&loop_strides)
            .zip(&loop_shapes)
            .map(|((a, st), shape)| {
                let offset: i64 = (0..last).map(|d| index[d] * st[d]).sum();
                let core = a.ndim as usize - shape.len();
                let mut view = kc_array {
                    // SAFETY (of the later use): the offset stays inside the caller's array.
                    data: (a.data as *mut u8).wrapping_offset(offset as isize) as *mut c_void,
                    ndim: (core + 1) as i32,
                    shape: [0; KC_MAX_NDIM],
                    strides: [0; KC_MAX_NDIM],
                    dtype: a.dtype,
                    owner: std::ptr::null_mut(),
                };
                view.shape[0] = extents[last];
                view.strides[0] = st[last];
                let split = shape.len();
                view.shape[1..=core].copy_from_slice(&a.shape[split..split + core]);
                view.strides[1..=core].copy_from_slice(&a.strides[split..split + core]);
                view
            })
            .collect();
        let ptrs: Vec<*const c_void> = views.iter().map(|v| v as *const kc_array as *const c_void).collect();
        // SAFETY: the views match the loop's signature (dtypes checked, core + 1 dimensions)
        // and lie inside the caller's arrays.
        unsafe { kernel.call(&ptrs, std::ptr::null_mut()) }?;
        if !next_index(&mut index[..last], &extents[..last]) {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_layouts_as_numpy_writes_them() {
        let named = |s: &str| Dim::Named(s.into());
        assert_eq!(
            parse_layout("(m, n),(n)->(m)").unwrap(),
            (
                vec![vec![named("m"), named("n")], vec![named("n")]],
                vec![vec![named("m")]]
            )
        );
        assert_eq!(
            parse_layout("(),(3)->()").unwrap(),
            (vec![vec![], vec![Dim::Fixed(3)]], vec![vec![]])
        );
        for bad in [
            "(n)",
            "(n)->",
            "(n)->(k)",
            "(n)(n)->()",
            "(n),->()",
            "(n-1)->()",
            "(n)->()->()",
        ] {
            assert!(parse_layout(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn splits_signatures_into_arguments() {
        assert_eq!(
            signature_args("void(float64[:, ::1], float64, int64[:])").unwrap(),
            vec!["float64[:, ::1]", "float64", "int64[:]"]
        );
        assert!(signature_args("float64(float64[:])").is_err());
    }
}
