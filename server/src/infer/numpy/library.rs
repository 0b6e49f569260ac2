//! NumPy functions written in the kernel language (`builtins/library.py`, Numba's `@overload`
//! idea): the call's arguments are typed in the user's module, bound to the library function's
//! parameters by NumPy's names, and the function is instantiated for their types. A variant is
//! picked here where NumPy's function behaves differently by argument kind (a scalar or an
//! array `v` of `searchsorted`) or by a string option (`side="right"`), since kernels have no
//! strings and the library's code is typed per instance.

use super::*;

/// The library function for `np.<name>` with these arguments, or `None` when kcache has none.
/// `flag` is the option read as written: `side="right"` of searchsorted, `compute_uv=False` of
/// svd.
fn variant(name: &str, args: &[Expr], flag: bool) -> Option<&'static str> {
    let array = |k: usize| args.get(k).is_some_and(is_array);
    let ndim = |k: usize| args.get(k).and_then(|e| e.ty.array()).map(|a| a.ndim);
    let scalar = |k: usize| args.get(k).and_then(|e| e.ty.scalar());
    let dtype = |k: usize| args.get(k).and_then(|e| e.ty.array()).map(|a| a.dtype);
    let none = |k: usize| args.get(k).is_none_or(|e| e.ty == Type::None);
    let real = |k: usize| scalar(k).is_some_and(|s| !s.is_complex());
    let int = |k: usize| scalar(k).is_some_and(|s| s.is_int() || s == Scalar::Bool);
    // A 2-D array of a real dtype (np.linalg's functions here compute in float64).
    let matrix = |k: usize| ndim(k) == Some(2) && !dtype(k).is_some_and(|d| d.is_complex());
    // NumPy's integer loops of power and fmod keep integers; other kinds are the math rows.
    let ints = args.len() == 2
        && args.iter().all(|e| {
            e.ty.array()
                .map(|a| a.dtype)
                .or(e.ty.scalar())
                .is_some_and(Scalar::is_int)
        });
    Some(match name {
        "clip" => "__kc_np_clip",
        "power" | "pow" if ints && array(1) => "__kc_np_power_int_many",
        "power" | "pow" if ints => "__kc_np_power_int",
        "fmod" if ints && (array(0) || array(1)) => "__kc_np_fmod_int_many",
        "fmod" if ints => "__kc_np_fmod_int",
        "diff" if ndim(0) == Some(1) && dtype(0) == Some(Scalar::Bool) => "__kc_np_diff_bool",
        "diff" if ndim(0) == Some(2) && dtype(0) == Some(Scalar::Bool) => "__kc_np_diff_bool_2d",
        "diff" if ndim(0) == Some(1) => "__kc_np_diff",
        "diff" if ndim(0) == Some(2) => "__kc_np_diff_2d",
        "searchsorted" => match (array(1), flag) {
            (false, false) => "__kc_np_searchsorted_left",
            (false, true) => "__kc_np_searchsorted_right",
            (true, false) => "__kc_np_searchsorted_left_many",
            (true, true) => "__kc_np_searchsorted_right_many",
        },
        "unique" if array(0) => "__kc_np_unique",
        "histogram" if array(1) => "__kc_np_histogram_edges",
        // NumPy computes float32 data's edges in float32; kcache's library in float64.
        "histogram" if array(0) && args[0].ty.array().is_some_and(|a| a.dtype != Scalar::F32) => "__kc_np_histogram",
        "outer" => "__kc_np_outer",
        "interp" if array(0) => "__kc_np_interp_many",
        "interp" => "__kc_np_interp",
        "concatenate" | "hstack" if ndim(0).is_none() => match args.first().and_then(|t| arrays_ndim(&t.ty)) {
            Some(1) => "__kc_np_concatenate",
            Some(2) => {
                if name == "concatenate" {
                    "__kc_np_concatenate_2d"
                } else {
                    "__kc_np_hstack_2d"
                }
            }
            _ => return None,
        },
        "vstack" => match args.first().and_then(|t| arrays_ndim(&t.ty)) {
            Some(1) => "__kc_np_vstack_rows",
            Some(2) => "__kc_np_vstack",
            _ => return None,
        },
        "split" | "array_split" if array(0) && int(1) => {
            if name == "split" {
                "__kc_np_split"
            } else {
                "__kc_np_array_split"
            }
        }
        // Split points: a list, tuple or 1-D array of integers.
        "split" | "array_split" if array(0) => "__kc_np_split_at",
        "eye" | "identity" => "__kc_np_eye",
        "sign" if array(0) => "__kc_np_sign",
        "round" | "around" | "round_" if array(0) => "__kc_np_round",
        "sign" if real(0) && int(0) => "__kc_np_sign_int",
        "sign" if real(0) => "__kc_np_sign_float",
        "round" | "around" | "round_" if real(0) && int(0) => "__kc_np_round_int",
        "round" | "around" | "round_" if real(0) => "__kc_np_round_scalar",
        "isclose" => "__kc_np_isclose",
        "allclose" => "__kc_np_allclose",
        "count_nonzero" if array(0) => "__kc_np_count_nonzero",
        "flatnonzero" if array(0) => "__kc_np_flatnonzero",
        "nonzero" if ndim(0) == Some(1) => "__kc_np_nonzero",
        "nonzero" if ndim(0) == Some(2) => "__kc_np_nonzero_2d",
        "nonzero" if ndim(0) == Some(3) => "__kc_np_nonzero_3d",
        "trace" if ndim(0) == Some(2) => "__kc_np_trace",
        "take" if ndim(1) == Some(1) => "__kc_np_take",
        "linalg.norm" if array(0) && args.len() == 1 => "__kc_np_linalg_norm",
        "linalg.norm" if ndim(0) == Some(1) && args.len() == 2 && real(1) => "__kc_np_linalg_norm_vector_ord",
        "linalg.norm" if ndim(0) == Some(2) && args.len() == 2 && real(1) => "__kc_np_linalg_norm_matrix_ord",
        // NumPy computes float32 data's sinc in float32 (its own sin); kcache's in float64.
        "sinc" if array(0) && args[0].ty.array().is_some_and(|a| a.dtype != Scalar::F32) => "__kc_np_sinc_many",
        "sinc" if real(0) && scalar(0) != Some(Scalar::F32) => "__kc_np_sinc",
        "nanmedian" if array(0) && args.len() == 1 => "__kc_np_nanmedian",
        "bincount" if ndim(0) == Some(1) => "__kc_np_bincount",
        "tril" if ndim(0) == Some(2) => "__kc_np_tril",
        "triu" if ndim(0) == Some(2) => "__kc_np_triu",
        "flip" if ndim(0) == Some(1) && args.len() == 1 => "__kc_np_flip_1d",
        "flip" if ndim(0) == Some(2) && args.len() == 1 => "__kc_np_flip_2d",
        "flipud" if matches!(ndim(0), Some(1 | 2)) => "__kc_np_flipud",
        "fliplr" if ndim(0) == Some(2) => "__kc_np_fliplr",
        "roll" if array(0) && !array(1) => "__kc_np_roll",
        "trapezoid" | "trapz" if ndim(0) == Some(1) => "__kc_np_trapezoid",
        "convolve" if ndim(0) == Some(1) && ndim(1) == Some(1) && args.len() == 2 => "__kc_np_convolve",
        "cross" if ndim(0) == Some(1) && ndim(1) == Some(1) => "__kc_np_cross_1d",
        "cross" if ndim(0) == Some(2) && ndim(1) == Some(2) => "__kc_np_cross_2d",
        "diag" if ndim(0) == Some(1) => "__kc_np_diag_of_vector",
        "diag" if ndim(0) == Some(2) => "__kc_np_diag_of_matrix",
        "repeat" if array(0) && !array(1) && args.len() == 2 => "__kc_np_repeat",
        "tile" if ndim(0) == Some(1) && !array(1) => "__kc_np_tile",
        "argwhere" if array(0) => "__kc_np_argwhere",
        "polyval" if ndim(0) == Some(1) && array(1) => "__kc_np_polyval",
        "polyval" if ndim(0) == Some(1) => "__kc_np_polyval_scalar",
        "kron" if ndim(0) == Some(1) && ndim(1) == Some(1) => "__kc_np_kron_1d",
        "kron" if ndim(0) == Some(2) && ndim(1) == Some(2) => "__kc_np_kron_2d",
        "meshgrid" if ndim(0) == Some(1) && ndim(1) == Some(1) && args.len() == 2 => "__kc_np_meshgrid",
        "stack" | "dstack" if tuple_of_matrices(args.first()) => {
            if name == "stack" {
                "__kc_np_stack_matrices"
            } else {
                "__kc_np_dstack_matrices"
            }
        }
        "column_stack" | "stack" if tuple_of_vectors(args.first()) => {
            if name == "stack" {
                "__kc_np_vstack_rows"
            } else {
                "__kc_np_stack_columns"
            }
        }
        "cov" if ndim(0) == Some(2) && !array(1) => "__kc_np_cov_rows",
        "cov" if ndim(0) == Some(1) && ndim(1) == Some(1) => "__kc_np_cov_pair",
        "corrcoef" if ndim(0) == Some(2) && args.len() == 1 => "__kc_np_corrcoef_rows",
        "corrcoef" if ndim(0) == Some(1) && ndim(1) == Some(1) => "__kc_np_corrcoef_pair",
        "ptp" if array(0) && args.len() == 1 => "__kc_np_ptp",
        "nansum" if array(0) && args.len() == 1 => "__kc_np_nansum",
        "nanprod" if array(0) && args.len() == 1 => "__kc_np_nanprod",
        "nanmean" if array(0) && args.len() == 1 => "__kc_np_nanmean",
        "nanvar" if array(0) && args.len() == 1 => "__kc_np_nanvar",
        "nanstd" if array(0) && args.len() == 1 => "__kc_np_nanstd",
        "nanmax" if array(0) && args.len() == 1 => "__kc_np_nanmax",
        "nanmin" if array(0) && args.len() == 1 => "__kc_np_nanmin",
        "nanargmax" if array(0) && args.len() == 1 => "__kc_np_nanargmax",
        "nanargmin" if array(0) && args.len() == 1 => "__kc_np_nanargmin",
        "digitize" if ndim(1) == Some(1) && array(0) => "__kc_np_digitize_many",
        "digitize" if ndim(1) == Some(1) => "__kc_np_digitize",
        "heaviside" if array(0) && !array(1) => "__kc_np_heaviside_many",
        "heaviside" if !array(0) && !array(1) => "__kc_np_heaviside",
        "linalg.det" if ndim(0) == Some(2) => "__kc_linalg_det",
        "linalg.inv" if ndim(0) == Some(2) => "__kc_linalg_inv",
        "linalg.solve" if ndim(0) == Some(2) && ndim(1) == Some(1) => "__kc_linalg_solve_vector",
        "linalg.solve" if ndim(0) == Some(2) && ndim(1) == Some(2) => "__kc_linalg_solve_matrix",
        // More of np.linalg (Householder QR, Jacobi eigh and SVD; real dtypes only).
        "linalg.cholesky" if matrix(0) => "__kc_linalg_cholesky",
        "linalg.qr" if matrix(0) && args.len() == 1 => "__kc_linalg_qr",
        "linalg.eigvalsh" if matrix(0) && args.len() == 1 => "__kc_linalg_eigvalsh",
        "linalg.eigh" if matrix(0) && args.len() == 1 => "__kc_linalg_eigh",
        // compute_uv=False (a literal, read as written) returns the singular values alone.
        "linalg.svd" if matrix(0) && flag => "__kc_linalg_svdvals",
        "linalg.svd" if matrix(0) => "__kc_linalg_svd",
        "linalg.lstsq" if matrix(0) && ndim(1) == Some(1) => "__kc_linalg_lstsq_vector",
        "linalg.lstsq" if matrix(0) && ndim(1) == Some(2) => "__kc_linalg_lstsq_matrix",
        "linalg.pinv" if matrix(0) => "__kc_linalg_pinv",
        "linalg.matrix_power" if matrix(0) && int(1) && dtype(0).is_some_and(|d| d.is_float()) => {
            "__kc_linalg_matrix_power"
        }
        "linalg.matrix_power" if matrix(0) && int(1) => "__kc_linalg_matrix_power_int",
        "linalg.slogdet" if matrix(0) => "__kc_linalg_slogdet",
        "linalg.matrix_rank" if matrix(0) => "__kc_linalg_matrix_rank",
        "linalg.matrix_rank" if ndim(0) == Some(1) && !dtype(0).is_some_and(|d| d.is_complex()) => {
            "__kc_linalg_matrix_rank_vector"
        }
        "linalg.cond" if matrix(0) && none(1) => "__kc_linalg_cond",
        "linalg.eigvals" if matrix(0) => "__kc_linalg_eigvals",
        "unravel_index" if !array(0) => match args.get(1).and_then(|e| e.ty.tuple()).map(<[Type]>::len) {
            Some(1) => "__kc_np_unravel_index_1",
            Some(2) => "__kc_np_unravel_index_2",
            Some(3) => "__kc_np_unravel_index_3",
            _ => return None,
        },
        "isin" | "in1d" if array(0) && array(1) => "__kc_np_isin",
        "intersect1d" if array(0) && array(1) => "__kc_np_intersect1d",
        "setdiff1d" if array(0) && array(1) => "__kc_np_setdiff1d",
        "union1d" if array(0) && array(1) => "__kc_np_union1d",
        "partition" if ndim(0) == Some(1) && !array(1) => "__kc_np_partition",
        "partition" if ndim(0) == Some(1) && ndim(1) == Some(1) => "__kc_np_partition_many",
        "argpartition" if ndim(0) == Some(1) && !array(1) => "__kc_np_argpartition",
        "rot90" if ndim(0) == Some(2) && args.len() == 1 => "__kc_np_rot90",
        "swapaxes" if ndim(0) == Some(2) && args.len() == 3 => "__kc_np_swapaxes_2d",
        "expand_dims" if ndim(0) == Some(1) && args.len() == 2 => "__kc_np_expand_dims_1d",
        "expand_dims" if ndim(0) == Some(2) && args.len() == 2 => "__kc_np_expand_dims_2d",
        "append" if array(0) && array(1) && none(2) => "__kc_np_append",
        "append" if array(0) && scalar(1).is_some() && none(2) => "__kc_np_append_scalar",
        "append" if ndim(0) == Some(1) && ndim(1) == Some(1) => "__kc_np_append_axis_1d",
        "append" if ndim(0) == Some(2) && ndim(1) == Some(2) => "__kc_np_append_axis_2d",
        // Numba has no average along an axis either.
        "average" if array(0) && none(1) && (none(2) || array(2)) => "__kc_np_average",
        "atleast_2d" if ndim(0) == Some(1) && args.len() == 1 => "__kc_np_atleast_2d_of_vector",
        "vdot" if array(0) && array(1) => "__kc_np_vdot",
        "inner" if ndim(0) == Some(1) && ndim(1) == Some(1) => "__kc_np_inner",
        "array_equal" if array(0) && array(1) => "__kc_np_array_equal",
        "fmax" if array(0) || array(1) => "__kc_np_fmax",
        "fmin" if array(0) || array(1) => "__kc_np_fmin",
        "logspace" if real(0) && real(1) => "__kc_np_logspace",
        "geomspace" if real(0) && real(1) => "__kc_np_geomspace",
        "nan_to_num" => match (dtype(0), scalar(0)) {
            (Some(d), _) if d.is_complex() => "__kc_np_nan_to_num_complex",
            (Some(d), _) if d.is_float() => "__kc_np_nan_to_num",
            (Some(_), _) => "__kc_np_nan_to_num_exact",
            (None, Some(Scalar::F64)) => "__kc_np_nan_to_num_scalar",
            _ => return None,
        },
        "broadcast_to" if args.len() == 2 => {
            let dims = match args[1].ty.tuple() {
                Some(items) => items.len(),
                None if args[1].ty.scalar().is_some_and(Scalar::is_int) => 1,
                None => return None,
            };
            match (array(0), dims) {
                (true, 1) => "__kc_np_broadcast_to_1",
                (true, 2) => "__kc_np_broadcast_to_2",
                (true, 3) => "__kc_np_broadcast_to_3",
                (false, 1..=3) => "__kc_np_broadcast_scalar",
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// The NumPy functions `variant` may have a library function for.
const NAMES: &[&str] = &[
    "clip",
    "power",
    "pow",
    "fmod",
    "diff",
    "searchsorted",
    "unique",
    "histogram",
    "outer",
    "interp",
    "concatenate",
    "hstack",
    "vstack",
    "split",
    "array_split",
    "eye",
    "identity",
    "sign",
    "round",
    "around",
    "round_",
    "isclose",
    "allclose",
    "count_nonzero",
    "flatnonzero",
    "nonzero",
    "trace",
    "take",
    "linalg.norm",
    "bincount",
    "tril",
    "triu",
    "flip",
    "flipud",
    "fliplr",
    "roll",
    "trapezoid",
    "trapz",
    "convolve",
    "cross",
    "diag",
    "repeat",
    "tile",
    "argwhere",
    "polyval",
    "kron",
    "meshgrid",
    "column_stack",
    "stack",
    "cov",
    "corrcoef",
    "ptp",
    "nansum",
    "nanprod",
    "nanmean",
    "nanvar",
    "nanstd",
    "nanmax",
    "nanmin",
    "nanargmax",
    "nanargmin",
    "digitize",
    "heaviside",
    "linalg.det",
    "linalg.inv",
    "linalg.solve",
    "linalg.cholesky",
    "linalg.qr",
    "linalg.eigvalsh",
    "linalg.eigh",
    "linalg.svd",
    "linalg.lstsq",
    "linalg.pinv",
    "linalg.matrix_power",
    "linalg.slogdet",
    "linalg.matrix_rank",
    "linalg.cond",
    "linalg.eigvals",
    "unravel_index",
    "isin",
    "in1d",
    "intersect1d",
    "setdiff1d",
    "union1d",
    "partition",
    "argpartition",
    "rot90",
    "swapaxes",
    "expand_dims",
    "append",
    "logspace",
    "geomspace",
    "nan_to_num",
    "average",
    "atleast_2d",
    "vdot",
    "inner",
    "array_equal",
    "broadcast_to",
    "fmax",
    "fmin",
    "sinc",
    "nanmedian",
    "dstack",
];

/// NumPy's parameter order of functions whose variant depends on an argument that may be given
/// by keyword (`np.average(a, weights=w)`): such keywords are made positional, gaps filled with None.
const PARAMETERS: &[(&str, &[&str])] = &[
    ("append", &["arr", "values", "axis"]),
    ("partition", &["a", "kth"]),
    ("argpartition", &["a", "kth"]),
    ("average", &["a", "axis", "weights"]),
    ("expand_dims", &["a", "axis"]),
];

/// The second argument whose dtype joins the first's in NumPy's result dtype, for library
/// functions that compute in one dtype (their arguments are converted before the call).
fn promoted_with(name: &str) -> Option<(usize, bool)> {
    match name {
        "append" => Some((1, false)),
        // result_type(a, weights, 'f8') for integer or bool `a`.
        "average" => Some((2, true)),
        _ => None,
    }
}

/// A tuple literal of arrays of one dtype and rank but several layouts (`(a, b.T)`) with each
/// item viewed in layout A, so that the library iterates over it as over one type.
pub(super) fn same_layout(v: Expr) -> Expr {
    let ExprKind::Tuple(items) = &v.kind else { return v };
    let arrays: Option<Vec<ArrayType>> = items.iter().map(|i| i.ty.array()).collect();
    let Some(arrays) = arrays else { return v };
    let Some(first) = arrays.first() else { return v };
    let uniform = arrays.iter().all(|a| a.dtype == first.dtype && a.ndim == first.ndim);
    if !uniform || arrays.iter().all(|a| a.layout == first.layout) {
        return v;
    }
    let any = Type::Array(ArrayType {
        layout: Layout::A,
        ..*first
    });
    let ExprKind::Tuple(items) = v.kind else { unreachable!() };
    let items: Vec<Expr> = items.into_iter().map(|i| i.cast(&any)).collect();
    let ty = Type::Tuple(items.iter().map(|i| i.ty.clone()).collect());
    Expr::new(ExprKind::Tuple(items), ty)
}

/// The ndim every array of a sequence of arrays (a tuple of them, or a list of arrays) has.
fn arrays_ndim(t: &Type) -> Option<u8> {
    match t {
        Type::List(item) => item.array().map(|a| a.ndim),
        Type::Tuple(items) => {
            let first = items.first()?.array()?.ndim;
            items
                .iter()
                .all(|t| t.array().is_some_and(|a| a.ndim == first))
                .then_some(first)
        }
        _ => None,
    }
}

/// A tuple of 2-D arrays of one dtype, or a list of 2-D arrays.
fn tuple_of_matrices(arg: Option<&Expr>) -> bool {
    if let Some(Type::List(item)) = arg.map(|t| &t.ty) {
        return item.array().is_some_and(|a| a.ndim == 2);
    }
    let Some(Type::Tuple(items)) = arg.map(|t| &t.ty) else {
        return false;
    };
    let dtypes: Vec<_> = items
        .iter()
        .filter_map(|t| t.array())
        .filter(|a| a.ndim == 2)
        .map(|a| a.dtype)
        .collect();
    !items.is_empty() && dtypes.len() == items.len() && dtypes.iter().all(|d| *d == dtypes[0])
}

fn tuple_of_vectors(arg: Option<&Expr>) -> bool {
    if let Some(Type::List(item)) = arg.map(|t| &t.ty) {
        return item.array().is_some_and(|a| a.ndim == 1);
    }
    matches!(arg.map(|t| &t.ty), Some(Type::Tuple(items)) if items.iter().all(|t| t.array().is_some_and(|a| a.ndim == 1)))
}

/// Keyword names NumPy uses that the library spells otherwise (`range` would hide the builtin).
fn library_keyword(name: &str) -> &str {
    match name {
        "range" => "bounds",
        other => other,
    }
}

impl<'m, 'src> Inferer<'m, 'src> {
    /// `np.<name>(...)` by kcache's kernel-language library; `None` when it has no such function
    /// (or none for these argument kinds), so that the caller reports what is unsupported.
    pub(in crate::infer) fn numpy_library_call(
        &mut self,
        fx: &mut FnCx,
        name: &str,
        args: &CallArgs,
    ) -> R<Option<Expr>> {
        if !NAMES.contains(&name) {
            return Ok(None);
        }
        // Typing the arguments may hoist statements (a comprehension's loop); when no variant
        // takes them, the caller types them again, so those are taken back.
        let (pre, hidden) = (fx.pre.len(), fx.hidden);
        // `side=` of searchsorted is a string and `compute_uv=` of svd changes the result's
        // type: read as written, not typed.
        let mut flag = false;
        let option = match name {
            "searchsorted" => Some((2, "side")),
            "linalg.svd" => Some((2, "compute_uv")),
            _ => None,
        };
        let is_side =
            |k: Option<usize>, kw: Option<&str>| option.is_some_and(|(at, word)| k == Some(at) || kw == Some(word));
        let mut positional = Vec::new();
        for (k, e) in args.pos.iter().enumerate() {
            if is_side(Some(k), None) {
                flag = self.option_flag(name, e)?;
                continue;
            }
            positional.push((self.library_argument(fx, e)?, e.range()));
        }
        let mut keywords = Vec::new();
        // dtype= (np.eye(n, dtype=np.int64)): the library computes in its own type and the
        // result is converted, as NumPy's result would have that type.
        let mut dtype = None;
        for (kw, e) in &args.kw {
            if is_side(None, Some(kw)) {
                flag = self.option_flag(name, e)?;
                continue;
            }
            if *kw == "dtype" {
                dtype = Some(self.dtype_arg(fx, e)?);
                continue;
            }
            keywords.push((
                library_keyword(kw).to_string(),
                self.library_argument(fx, e)?,
                e.range(),
            ));
        }
        if let Some((_, params)) = PARAMETERS.iter().find(|(n, _)| *n == name) {
            for (k, param) in params.iter().enumerate().skip(positional.len()) {
                let Some(at) = keywords.iter().position(|(kw, _, _)| kw == param) else {
                    continue;
                };
                while positional.len() < k {
                    positional.push((crate::infer::expr::none_expr(), args.range));
                }
                let (_, v, r) = keywords.remove(at);
                positional.push((v, r));
            }
        }
        let values: Vec<Expr> = positional.iter().map(|(e, _)| e.clone()).collect();
        let Some(function) = variant(name, &values, flag) else {
            fx.pre.truncate(pre);
            fx.hidden = hidden;
            return Ok(None);
        };
        if let Some((k, at_least_f64)) = promoted_with(name) {
            self.promote(&mut positional, k, at_least_f64);
        }
        let user = self.module;
        self.module = crate::builtins::library::module();
        let bound = self.bind_values(function, &format!("np.{name}"), positional, keywords, args.range);
        self.module = user;
        let bound = bound?;
        let result = self.library_call(function, bound, args.range)?;
        Ok(Some(match dtype {
            Some(d) if result.ty.array().is_some_and(|a| a.dtype != d) => self.converted_copy(result, d),
            Some(d) if result.ty.scalar().is_some() => result.cast(&Type::Scalar(d)),
            _ => result,
        }))
    }

    /// Arguments 0 and `k` converted to NumPy's result dtype of the two.
    fn promote(&mut self, positional: &mut [(Expr, TextRange)], k: usize, at_least_f64: bool) {
        let dtype = |e: &Expr| e.ty.array().map(|a| a.dtype).or(e.ty.scalar());
        let (Some(x), Some(y)) = (
            positional.first().and_then(|(e, _)| dtype(e)),
            positional.get(k).and_then(|(e, _)| dtype(e)),
        ) else {
            return;
        };
        let mut to = unify_scalar(x, y);
        if at_least_f64 && (x.is_int() || x == Scalar::Bool) {
            to = unify_scalar(to, Scalar::F64);
        }
        for i in [0, k] {
            let e = positional[i].0.clone();
            positional[i].0 = match e.ty.array() {
                Some(a) if a.dtype != to => self.converted_copy(e, to),
                Some(_) => e,
                None => e.cast(&Type::Scalar(to)),
            };
        }
    }

    /// An argument typed in the user's module; `None` stays None (the library tests `is None`).
    fn library_argument(&mut self, fx: &mut FnCx, e: &PyExpr) -> R<Expr> {
        if matches!(e, PyExpr::NoneLiteral(_)) {
            return Ok(crate::infer::expr::none_expr());
        }
        // `np.concatenate([a, b])`: a list literal of arrays is the tuple of them (NumPy takes
        // any sequence of arrays there, and a tuple needs no list buffer); other lists of
        // arrays are passed as lists.
        if let PyExpr::List(list) = e {
            if !list.elts.is_empty() {
                let (pre, hidden) = (fx.pre.len(), fx.hidden);
                let mut items = Vec::new();
                for item in &list.elts {
                    let v = self.expr(fx, item)?;
                    items.push(self.first_class(v, item.range())?);
                }
                if items.iter().all(is_array) {
                    let ty = Type::Tuple(items.iter().map(|i| i.ty.clone()).collect());
                    return Ok(same_layout(Expr::new(ExprKind::Tuple(items), ty)));
                }
                // Typed again below as a list: what the items hoisted is taken back.
                fx.pre.truncate(pre);
                fx.hidden = hidden;
            }
        }
        let v = self.expr(fx, e)?;
        let v = self.first_class(v, e.range())?;
        Ok(same_layout(v))
    }

    /// The option `variant` takes as `flag`: searchsorted's `side == "right"`, svd's
    /// `compute_uv == False` (a literal, as the result's type depends on it).
    fn option_flag(&self, name: &str, e: &PyExpr) -> R<bool> {
        if name == "searchsorted" {
            return self.side_is_right(e);
        }
        match e {
            PyExpr::BooleanLiteral(b) => Ok(!b.value),
            _ => Err(self.err(
                DiagKind::Unsupported,
                e.range(),
                "compute_uv= other than the literal True or False",
            )),
        }
    }

    fn side_is_right(&self, e: &PyExpr) -> R<bool> {
        match e {
            PyExpr::StringLiteral(s) if s.value.to_str() == "left" => Ok(false),
            PyExpr::StringLiteral(s) if s.value.to_str() == "right" => Ok(true),
            _ => Err(self.err(
                DiagKind::Unsupported,
                e.range(),
                "side= other than the literal 'left' or 'right'",
            )),
        }
    }
}
