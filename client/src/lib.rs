//! The kcache client: talks to `kcached` over gRPC, verifies the artifact's BLAKE3 digest, loads
//! the shared object from memory and calls it. It never links LLVM.
//!
//! - [`Client`]: the Rust API.
//! - [`loader`]: memfd + dlopen, and the host table kernels call back into.
//! - [`ffi`]: the C ABI of `libkcache` (header: `include/kcache.h`).

pub mod abi;
pub mod client;
pub mod cpu;
pub mod error;
pub mod ffi;
pub mod loader;
pub mod peer;
pub mod runtime;
pub mod ufunc;

pub use abi::{ArgType, EntrySignature, Layout, ScalarType};
pub use client::{Client, CompileSpec, Kernel};
pub use error::{Error, ErrorKind};
pub use peer::ConnectOptions;
