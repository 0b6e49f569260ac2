//! The client's own CPU features, by cpuid, in LLVM's names: sent with every request so the
//! daemon never hands this process code its CPU cannot run.

use std::sync::OnceLock;

pub fn host_features() -> &'static [String] {
    static FEATURES: OnceLock<Vec<String>> = OnceLock::new();
    FEATURES.get_or_init(detect)
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Vec<String> {
    let mut v = Vec::new();
    macro_rules! feature {
        ($std:tt => $llvm:expr) => {
            if std::arch::is_x86_feature_detected!($std) {
                v.push($llvm.to_string());
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
    v
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Vec<String> {
    Vec::new()
}
