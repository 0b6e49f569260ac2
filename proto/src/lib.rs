//! Rust types and tonic stubs for `kcache/v1/kcache.proto`.

pub mod v1 {
    tonic::include_proto!("kcache.v1");

    /// Encoded `FileDescriptorSet` of the kcache protos, for gRPC server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/kcache_descriptor.bin"));
}

pub mod endpoint;
pub mod ids;
pub mod local_index;

/// Element type names in `kc_dtype` order: the code of a dtype is its index. The daemon's
/// `EntryAbi` strings and every client use these names; defined with the rest of the ABI in
/// `kcache-abi`.
pub const DTYPE_NAMES: [&str; 13] = kcache_abi::DTYPE_NAMES;
