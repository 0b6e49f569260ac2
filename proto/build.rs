fn main() -> Result<(), Box<dyn std::error::Error>> {
    let descriptors = protox::compile(["kcache/v1/kcache.proto"], ["."])?;
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(
        out_dir.join("kcache_descriptor.bin"),
        prost::Message::encode_to_vec(&descriptors),
    )?;
    tonic_prost_build::configure().compile_fds(descriptors)?;
    println!("cargo:rerun-if-changed=kcache/v1/kcache.proto");
    Ok(())
}
