//! The client's own CPU features, by cpuid, in LLVM's names: sent with every request so the
//! daemon never hands this process code its CPU cannot run.
//!
//! Read with four `cpuid`s and one `xgetbv` rather than `is_x86_feature_detected!`, whose
//! first use reads every leaf it knows (about eight): under a hypervisor each `cpuid` traps and
//! costs microseconds, and this runs on every fresh process's first hit.

use std::sync::OnceLock;

pub fn host_features() -> &'static [String] {
    static FEATURES: OnceLock<Vec<String>> = OnceLock::new();
    FEATURES.get_or_init(|| detect().into_iter().map(str::to_string).collect())
}

/// The features as `is_x86_feature_detected!` reports them: AVX and its successors only where
/// the OS saves their registers (XCR0).
#[cfg(target_arch = "x86_64")]
fn detect() -> Vec<&'static str> {
    use std::arch::x86_64::{__cpuid, __cpuid_count, _xgetbv, CpuidResult};

    let bit = |word: u32, n: u32| word & (1 << n) != 0;
    let max_leaf = __cpuid(0).eax;
    let leaf1 = __cpuid(1);
    let leaf7 = if max_leaf >= 7 {
        __cpuid_count(7, 0)
    } else {
        CpuidResult {
            eax: 0,
            ebx: 0,
            ecx: 0,
            edx: 0,
        }
    };
    // Every x86-64 processor has this leaf: it holds the long-mode bit.
    let extended = __cpuid(0x8000_0001).ecx;
    let xcr0 = if bit(leaf1.ecx, 27) {
        // SAFETY: OSXSAVE (leaf 1, ecx bit 27) says the OS enabled xgetbv.
        unsafe { _xgetbv(0) }
    } else {
        0
    };
    let os_avx = xcr0 & 0x6 == 0x6;
    let os_avx512 = os_avx && xcr0 & 0xe0 == 0xe0;

    let (c1, b7, c7) = (leaf1.ecx, leaf7.ebx, leaf7.ecx);
    let table: &[(bool, &'static str)] = &[
        (bit(c1, 0), "sse3"),
        (bit(c1, 9), "ssse3"),
        (bit(c1, 19), "sse4.1"),
        (bit(c1, 20), "sse4.2"),
        (bit(c1, 23), "popcnt"),
        (os_avx && bit(c1, 28), "avx"),
        (os_avx && bit(b7, 5), "avx2"),
        (bit(b7, 3), "bmi"),
        (bit(b7, 8), "bmi2"),
        (os_avx && bit(c1, 29), "f16c"),
        (os_avx && bit(c1, 12), "fma"),
        (bit(extended, 5), "lzcnt"),
        (bit(c1, 22), "movbe"),
        (os_avx512 && bit(b7, 16), "avx512f"),
        (os_avx512 && bit(b7, 30), "avx512bw"),
        (os_avx512 && bit(b7, 28), "avx512cd"),
        (os_avx512 && bit(b7, 17), "avx512dq"),
        (os_avx512 && bit(b7, 31), "avx512vl"),
        (os_avx512 && bit(c7, 11), "avx512vnni"),
        (os_avx512 && bit(c7, 1), "avx512vbmi"),
        (os_avx512 && bit(c7, 6), "avx512vbmi2"),
        (os_avx512 && bit(c7, 12), "avx512bitalg"),
        (os_avx512 && bit(c7, 14), "avx512vpopcntdq"),
        (os_avx512 && bit(b7, 21), "avx512ifma"),
        (bit(c7, 8), "gfni"),
        (os_avx && bit(c7, 9), "vaes"),
        (os_avx && bit(c7, 10), "vpclmulqdq"),
    ];
    table.iter().filter(|(has, _)| *has).map(|(_, name)| *name).collect()
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Vec<&'static str> {
    Vec::new()
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    /// The same list, in the same order, as the standard library's detection gives on the CPU
    /// the test runs on: a difference would change every request's key (and could claim a
    /// feature the OS does not enable).
    #[test]
    fn the_features_are_those_the_standard_library_detects() {
        let mut expected = Vec::new();
        macro_rules! feature {
            ($std:tt => $llvm:expr) => {
                if std::arch::is_x86_feature_detected!($std) {
                    expected.push($llvm);
                }
            };
        }
        feature!("sse3" => "sse3");
        feature!("ssse3" => "ssse3");
        feature!("sse4.1" => "sse4.1");
        feature!("sse4.2" => "sse4.2");
        feature!("popcnt" => "popcnt");
        feature!("avx" => "avx");
        feature!("avx2" => "avx2");
        feature!("bmi1" => "bmi");
        feature!("bmi2" => "bmi2");
        feature!("f16c" => "f16c");
        feature!("fma" => "fma");
        feature!("lzcnt" => "lzcnt");
        feature!("movbe" => "movbe");
        feature!("avx512f" => "avx512f");
        feature!("avx512bw" => "avx512bw");
        feature!("avx512cd" => "avx512cd");
        feature!("avx512dq" => "avx512dq");
        feature!("avx512vl" => "avx512vl");
        feature!("avx512vnni" => "avx512vnni");
        feature!("avx512vbmi" => "avx512vbmi");
        feature!("avx512vbmi2" => "avx512vbmi2");
        feature!("avx512bitalg" => "avx512bitalg");
        feature!("avx512vpopcntdq" => "avx512vpopcntdq");
        feature!("avx512ifma" => "avx512ifma");
        feature!("gfni" => "gfni");
        feature!("vaes" => "vaes");
        feature!("vpclmulqdq" => "vpclmulqdq");
        assert_eq!(super::detect(), expected);
        assert_eq!(super::host_features(), expected);
    }
}
