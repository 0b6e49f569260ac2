//! NumPy functions written in the kernel language (`library.py`): sorting, order statistics.
//! The source is parsed once; inference instantiates its functions for each call's argument
//! types exactly like the user's own functions, so they are typed, lowered and optimised with
//! the kernel (and inlined where LLVM sees fit). The text is part of the compiler source
//! fingerprint, so changing it changes every cache key.

use std::sync::OnceLock;

use crate::parse::{parse_module, ParsedModule};

pub const SOURCE: &str = include_str!("library.py");

/// The parsed library module.
pub fn module() -> &'static ParsedModule<'static> {
    static MODULE: OnceLock<ParsedModule<'static>> = OnceLock::new();
    MODULE.get_or_init(|| parse_module(SOURCE).expect("the kernel-language library parses"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn library_parses_and_defines_its_functions() {
        let m = super::module();
        for name in [
            "__kc_sort",
            "__kc_argsort",
            "__kc_median",
            "__kc_percentile",
            "__kc_quantile",
            "__kc_linalg_cholesky",
            "__kc_linalg_qr",
            "__kc_linalg_eigh",
            "__kc_linalg_svd",
            "__kc_linalg_lstsq_matrix",
            "__kc_linalg_pinv",
        ] {
            assert!(m.functions.contains_key(name), "{name}");
        }
        assert!(m.functions.keys().all(|k| k.starts_with("__kc_")));
    }
}
