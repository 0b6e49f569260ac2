//! Rust types and tonic stubs for `kcache/v1/kcache.proto`.

pub mod v1 {
    tonic::include_proto!("kcache.v1");

    /// Encoded `FileDescriptorSet` of the kcache protos, for gRPC server reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/kcache_descriptor.bin"));
}

pub mod endpoint;
