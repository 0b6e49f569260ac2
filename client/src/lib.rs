//! The kcache client: talks to `kcached` over gRPC, verifies the artifact's BLAKE3 digest, loads
//! the shared object from memory and calls it. It never links LLVM.
//!
//! - [`Client`]: the Rust API.
//! - [`loader`]: the in-process loader (dlopen for what it declines), the module ABI check, and the
//!   host table kernels call back into.
//! - `local`: hits from the local index the daemon publishes beside its socket (no RPC).
//! - [`ffi`]: the C ABI of `libkcache` (header: `include/kcache.h`).
//! - [`export`]: `kcache export`, kernels as a standalone C library ([`export_c`]: its C text;
//!   [`kernels`]: the decorated kernels of a Numba file).
//!
//! What a compiled module shares with its callers (`kc_array`, dtype codes, the host table,
//! versions) is defined once in the `kcache-abi` crate; [`ffi`] re-exports its C-facing types.
//!
//! Modules depend one way: `abi → loader, local → client → ufunc, gufunc → ffi` (a module uses only
//! modules to its left), with `error`, `cpu`, `peer` and `present` (what the `kcache` command
//! shows a person) below them all (they use none of the five). The runtime kernels call back
//! into (thread pool, buffers, random state) is the `kcache-runtime` crate, shared with
//! exported libraries.
//! `tests/layering.rs` checks this.

pub mod abi;
pub mod client;
pub mod cpu;
pub mod error;
pub mod export;
pub mod export_c;
pub mod ffi;
pub mod gufunc;
pub mod kernels;
pub mod loader;
mod local;
pub use local::NO_LOCAL_INDEX_ENV;
pub mod peer;
pub mod present;
pub mod ufunc;

pub use abi::{ArgType, EntrySignature, Layout, ScalarType};
pub use client::{Client, CompileSpec, Kernel};
pub use error::{Error, ErrorKind};
/// The runtime kernels call back into (`kcache-runtime`).
pub use kcache_runtime as runtime;
pub use peer::ConnectOptions;
