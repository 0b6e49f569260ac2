//! Prints the ABI's layouts, codes and versions as JSON (`kcache_abi::layout_json`): what the
//! Python package's tests compare ctypes' and `_fast.c`'s views against.
//!
//! `cargo run -q -p kcache-abi --example dump`

fn main() {
    println!("{}", kcache_abi::layout_json());
}
