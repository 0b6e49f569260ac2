//! The in-process loader (`kcache::loader::image`) on modules the real daemon builds: what it
//! loads behaves as the same bytes loaded by `dlopen` do, what it declines still loads (through
//! `dlopen`), and damaged headers never crash it.

use kcache::loader::image::Image;
use kcache::loader::Library;
use kcache::{Client, CompileSpec};
use kcache_e2e::*;

/// The bytes and the typed entry's name of a kernel the daemon compiles.
fn module(client: &Client, source: &str, entry: &str, signature: &str) -> (Vec<u8>, String) {
    let reply = client
        .compile_reply(&CompileSpec::new(source, entry, signature))
        .unwrap();
    assert!(!reply.artifact.is_empty(), "{entry}: no artifact");
    (reply.artifact.clone(), reply.abi.unwrap().typed_symbol)
}

const SUM: &str = "def total(arr):\n    s = 0.0\n    for i in range(len(arr)):\n        s += arr[i]\n    return s\n";
/// Imports from libm (bound through the GOT: GLOB_DAT relocations).
const MATH: &str =
    "import math\n\ndef curve(x):\n    return math.exp(x) + math.sin(x) * math.pow(x, 1.5) + math.log(x)\n";
/// A table of constants and a branch the optimiser may turn into a jump table.
const TABLE: &str = "TABLE = (1.5, -2.0, 4.25, 8.0, 0.5, 3.0, 7.0)\n\ndef pick(i):\n    k = i % 7\n    if k == 0:\n        return TABLE[0] * i\n    elif k == 1:\n        return TABLE[1] + i\n    elif k == 2:\n        return TABLE[2] - i\n    elif k == 3:\n        return TABLE[3] * 2.0\n    elif k == 4:\n        return TABLE[4] / (i + 1)\n    elif k == 5:\n        return TABLE[5]\n    return TABLE[6] + 1.0\n";

fn sum_array(lib: &Library, typed: &str, data: &mut [f64]) -> f64 {
    let n = data.len() as i64;
    // SAFETY: shape points to one value; NULL strides means contiguous.
    let arr = unsafe {
        kcache::ffi::kc_array_wrap(
            data.as_mut_ptr().cast(),
            kcache::ffi::kc_dtype::KC_FLOAT64,
            1,
            &n,
            std::ptr::null(),
        )
    };
    let f = lib.symbol(typed).expect("the typed entry");
    // SAFETY: the typed entry of `float64(float64[:])` takes the array by pointer.
    let f: extern "C" fn(*const kcache::ffi::kc_array) -> f64 = unsafe { std::mem::transmute(f) };
    f(&arr)
}

fn scalar(lib: &Library, typed: &str, x: f64) -> f64 {
    let f = lib.symbol(typed).expect("the typed entry");
    // SAFETY: the typed entry of `float64(float64)` takes and returns a double.
    let f: extern "C" fn(f64) -> f64 = unsafe { std::mem::transmute(f) };
    f(x)
}

fn int_to_float(lib: &Library, typed: &str, x: i64) -> f64 {
    let f = lib.symbol(typed).expect("the typed entry");
    // SAFETY: the typed entry of `float64(int64)` takes an int64 and returns a double.
    let f: extern "C" fn(i64) -> f64 = unsafe { std::mem::transmute(f) };
    f(x)
}

#[test]
fn daemon_modules_load_in_process_and_behave_as_with_dlopen() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();

    let (bytes, typed) = module(&client, SUM, "total", "float64(float64[:])");
    let (ours, theirs) = (
        Library::load(&bytes).unwrap(),
        Library::load_with_dlopen(&bytes).unwrap(),
    );
    assert!(ours.loaded_in_process(), "kcached's own objects load without dlopen");
    assert!(!theirs.loaded_in_process());
    let mut data: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.25).collect();
    assert_eq!(sum_array(&ours, &typed, &mut data), 124875.0);
    assert_eq!(
        sum_array(&ours, &typed, &mut data),
        sum_array(&theirs, &typed, &mut data)
    );

    let (bytes, typed) = module(&client, MATH, "curve", "float64(float64)");
    let (ours, theirs) = (
        Library::load(&bytes).unwrap(),
        Library::load_with_dlopen(&bytes).unwrap(),
    );
    assert!(ours.loaded_in_process(), "libm imports bind in process");
    for x in [0.25f64, 0.7, 1.0, 3.5, 40.0] {
        let expected = x.exp() + x.sin() * x.powf(1.5) + x.ln();
        let got = scalar(&ours, &typed, x);
        assert!(
            (got - expected).abs() <= 1e-12 * expected.abs(),
            "curve({x}) = {got}, expected {expected}"
        );
        assert_eq!(
            got.to_bits(),
            scalar(&theirs, &typed, x).to_bits(),
            "curve({x}): the two loaders differ"
        );
    }

    let (bytes, typed) = module(&client, TABLE, "pick", "float64(int64)");
    let (ours, theirs) = (
        Library::load(&bytes).unwrap(),
        Library::load_with_dlopen(&bytes).unwrap(),
    );
    assert!(ours.loaded_in_process());
    for i in 0..30 {
        assert_eq!(
            int_to_float(&ours, &typed, i).to_bits(),
            int_to_float(&theirs, &typed, i).to_bits(),
            "pick({i})"
        );
    }
    assert_eq!(int_to_float(&ours, &typed, 7), 10.5);
    assert_eq!(int_to_float(&ours, &typed, 3), 16.0);

    // Symbols: exports are found, anything else is not.
    assert!(ours.symbol("kc_module_abi").is_some());
    assert!(ours.symbol("kc_module_init").is_some());
    assert!(ours.symbol("no_such_symbol").is_none());
    assert!(ours.symbol("").is_none());
}

/// The file offset and count of the dynamic section's entries.
fn dynamic_entries(bytes: &[u8]) -> (usize, usize) {
    let u16_at = |at: usize| u16::from_le_bytes(bytes[at..at + 2].try_into().unwrap()) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    let (phoff, phnum) = (u64_at(32), u16_at(56));
    for i in 0..phnum {
        let ph = phoff + i * 56;
        if u32_at(ph) == 2 {
            return (u64_at(ph + 8), u64_at(ph + 32) / 16);
        }
    }
    panic!("no PT_DYNAMIC");
}

#[test]
fn an_object_the_loader_declines_still_loads_through_dlopen() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let (mut bytes, typed) = module(&client, SUM, "total", "float64(float64[:])");
    // DF_STATIC_TLS in DT_FLAGS: harmless to glibc without a TLS segment, declined here.
    let (at, count) = dynamic_entries(&bytes);
    let flags = (0..count)
        .map(|i| at + i * 16)
        .find(|&e| u64::from_le_bytes(bytes[e..e + 8].try_into().unwrap()) == 30)
        .expect("DT_FLAGS");
    bytes[flags + 8] |= 0x10;
    let declined = Image::load(&bytes).err().expect("declined");
    assert!(declined.0.contains("static TLS"), "{declined:?}");
    let lib = Library::load(&bytes).unwrap();
    assert!(!lib.loaded_in_process());
    let mut data: Vec<f64> = (0..100).map(f64::from).collect();
    assert_eq!(sum_array(&lib, &typed, &mut data), 4950.0);
}

/// A small deterministic generator (no dependency): xorshift64*.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn damaged_headers_and_tables_never_crash_the_loader() {
    let daemon = Daemon::start();
    let client = Client::connect(Some(&daemon.endpoint())).unwrap();
    let (bytes, _) = module(&client, MATH, "curve", "float64(float64)");
    // Every truncation of the headers and tables.
    for len in (0..bytes.len().min(0x2200)).step_by(7) {
        let _ = Image::load(&bytes[..len]);
    }
    // Random damage to the ELF header, program headers, dynamic symbols, hash and relocation
    // tables (the first page) and the dynamic section; what loads is looked up in, not run.
    let (dynamic, count) = dynamic_entries(&bytes);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut loaded, mut declined) = (0, 0);
    for round in 0..3000 {
        let mut damaged = bytes.clone();
        for _ in 0..1 + rng.next() % 4 {
            let at = if round % 2 == 0 {
                (rng.next() % 0x1000.min(bytes.len() as u64)) as usize
            } else {
                dynamic + (rng.next() % (count as u64 * 16)) as usize
            };
            damaged[at] = match rng.next() % 3 {
                0 => damaged[at] ^ (1 << (rng.next() % 8)),
                1 => 0xff,
                _ => rng.next() as u8,
            };
        }
        match Image::load(&damaged) {
            Ok(image) => {
                loaded += 1;
                for name in ["kc_module_abi", "kc_module_init", "curve", "expf64", ""] {
                    let _ = image.symbol(name);
                }
            }
            Err(_) => declined += 1,
        }
    }
    assert!(loaded > 0 && declined > 0, "loaded {loaded}, declined {declined}");
}
