//! Analyses and rewrites of the typed IR, between inference and lowering. Each pass is one
//! module and walks the IR with `tir::visit`.
//!
//! - `written`: which array parameters a function may write (the entry's ABI reports them, so
//!   clients know which arguments to treat as outputs).
//! - `reductions`: which variables of a prange body are reductions, and with which operator.
//! - `array_exprs`: fuses nested element-wise array computations into one loop.
//! - `recursion`: which functions call themselves, directly or through others (they check the
//!   stack on entry).

pub mod array_exprs;
pub mod recursion;
pub mod reductions;
pub mod written;
