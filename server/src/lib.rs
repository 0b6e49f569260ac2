//! kcached: the kcache daemon. One module per pipeline stage; the typed IR (`tir`) is the seam
//! between the Python front end and LLVM. The compiler (`compile` and the stages under it) never
//! depends on the service or the store.

pub mod activation;
pub mod auth;
pub mod authority;
pub mod builtins;
pub mod compile;
pub mod config;
pub mod conns;
pub mod diag;
pub mod emit;
pub mod globals;
pub mod infer;
pub mod key;
pub mod link;
pub mod listen;
pub mod local_index;
pub mod lower;
pub mod metrics;
pub mod parse;
pub mod passes;
pub mod private;
pub mod resolve;
pub mod service;
pub mod signature;
pub mod stack;
pub mod store;
pub mod target_check;
pub mod tir;
pub mod types;
pub mod worker;

/// kcache's own version, part of the compiler fingerprint in every action key.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
