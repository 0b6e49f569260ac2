//! compute_sum from Rust with the client crate (`kcache-client`, imported as `kcache`):
//!
//!   cargo run -p kcache-client --example compute_sum      (kcached must be running: `make run`)
//!
//! The endpoint is `$KCACHE_ENDPOINT`, else the default socket, as for every client.

use std::ffi::c_void;

use kcache::ffi::{kc_array, kc_array_wrap, kc_dtype};
use kcache::{Client, CompileSpec};

const SOURCE: &str = "def compute_sum(arr):
    sum_val = 0.0
    for i in range(len(arr)):
        sum_val += arr[i]
    return sum_val
";

fn main() -> Result<(), kcache::Error> {
    let client = Client::connect(None)?;
    let started = std::time::Instant::now();
    let kernel = client.compile(&CompileSpec::new(SOURCE, "compute_sum", "float64(float64[:])"))?;
    let elapsed = started.elapsed();

    let mut data: Vec<f64> = (0..1_000_000).map(|i| (i % 1000) as f64 * 0.25).collect();
    let n = data.len() as i64;
    // SAFETY: `data` holds `n` contiguous float64 values and outlives both calls.
    let arr = unsafe {
        kc_array_wrap(
            data.as_mut_ptr() as *mut c_void,
            kc_dtype::KC_FLOAT64,
            1,
            &n,
            std::ptr::null(),
        )
    };

    // The checked call: the argument is validated against the signature.
    let mut checked = 0.0f64;
    // SAFETY: one argument, a kc_array; the result is a float64.
    unsafe {
        kernel.call(
            &[&arr as *const kc_array as *const c_void],
            &mut checked as *mut f64 as *mut c_void,
        )?
    };

    // The typed entry: no checks at all.
    // SAFETY: the kernel's typed entry for float64(float64[:]) has exactly this type.
    let typed: extern "C" fn(*const kc_array) -> f64 = unsafe { std::mem::transmute(kernel.typed_entry()) };
    let sum = typed(&arr);

    println!("sum = {sum}");
    println!("checked = {checked}");
    println!(
        "{} in {:.3} ms",
        if kernel.cache_hit { "hit" } else { "miss" },
        elapsed.as_secs_f64() * 1e3
    );
    assert_eq!(sum, checked);
    Ok(())
}
