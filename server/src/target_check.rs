//! Client-chosen targets are checked against what LLVM 19 builds for x86-64 before LLVM sees
//! them: LLVM aborts the whole process on some (a 32-bit CPU such as `pentium4` in 64-bit mode,
//! or `-sse2` with floating point) and silently ignores unknown names.

use crate::diag::CompileError;

/// CPU names LLVM 19 accepts for 64-bit x86 code (from `llc -mattr=help`, keeping those that
/// build a 64-bit function without aborting).
pub const X86_64_CPUS: &[&str] = &[
    "alderlake",
    "amdfam10",
    "arrowlake",
    "arrowlake-s",
    "arrowlake_s",
    "athlon-fx",
    "athlon64",
    "athlon64-sse3",
    "atom",
    "atom_sse4_2",
    "atom_sse4_2_movbe",
    "barcelona",
    "bdver1",
    "bdver2",
    "bdver3",
    "bdver4",
    "bonnell",
    "broadwell",
    "btver1",
    "btver2",
    "cannonlake",
    "cascadelake",
    "clearwaterforest",
    "cooperlake",
    "core-avx-i",
    "core-avx2",
    "core2",
    "core_2_duo_sse4_1",
    "core_2_duo_ssse3",
    "core_2nd_gen_avx",
    "core_3rd_gen_avx",
    "core_4th_gen_avx",
    "core_4th_gen_avx_tsx",
    "core_5th_gen_avx",
    "core_5th_gen_avx_tsx",
    "core_aes_pclmulqdq",
    "core_i7_sse4_2",
    "corei7",
    "corei7-avx",
    "emeraldrapids",
    "generic",
    "goldmont",
    "goldmont-plus",
    "goldmont_plus",
    "gracemont",
    "grandridge",
    "graniterapids",
    "graniterapids-d",
    "graniterapids_d",
    "haswell",
    "icelake-client",
    "icelake-server",
    "icelake_client",
    "icelake_server",
    "ivybridge",
    "k8",
    "k8-sse3",
    "knl",
    "knm",
    "lunarlake",
    "meteorlake",
    "mic_avx512",
    "nehalem",
    "nocona",
    "opteron",
    "opteron-sse3",
    "pantherlake",
    "penryn",
    "raptorlake",
    "rocketlake",
    "sandybridge",
    "sapphirerapids",
    "sierraforest",
    "silvermont",
    "skx",
    "skylake",
    "skylake-avx512",
    "skylake_avx512",
    "slm",
    "tigerlake",
    "tremont",
    "westmere",
    "x86-64",
    "x86-64-v2",
    "x86-64-v3",
    "x86-64-v4",
    "znver1",
    "znver2",
    "znver3",
    "znver4",
    "znver5",
];

/// Feature names a request may turn on or off (`llc -mattr=help`), without the mode features
/// (`64bit-mode`, ...) and `soft-float`/`tagged-globals`, which change the ABI under the caller.
pub const X86_FEATURES: &[&str] = &[
    "adx",
    "aes",
    "allow-light-256-bit",
    "amx-bf16",
    "amx-complex",
    "amx-fp16",
    "amx-int8",
    "amx-tile",
    "avx",
    "avx10.1-256",
    "avx10.1-512",
    "avx2",
    "avx512bf16",
    "avx512bitalg",
    "avx512bw",
    "avx512cd",
    "avx512dq",
    "avx512f",
    "avx512fp16",
    "avx512ifma",
    "avx512vbmi",
    "avx512vbmi2",
    "avx512vl",
    "avx512vnni",
    "avx512vp2intersect",
    "avx512vpopcntdq",
    "avxifma",
    "avxneconvert",
    "avxvnni",
    "avxvnniint16",
    "avxvnniint8",
    "bmi",
    "bmi2",
    "branch-hint",
    "branchfusion",
    "ccmp",
    "cf",
    "cldemote",
    "clflushopt",
    "clwb",
    "clzero",
    "cmov",
    "cmpccxadd",
    "crc32",
    "cx16",
    "cx8",
    "egpr",
    "enqcmd",
    "ermsb",
    "evex512",
    "f16c",
    "false-deps-getmant",
    "false-deps-lzcnt-tzcnt",
    "false-deps-mulc",
    "false-deps-mullq",
    "false-deps-perm",
    "false-deps-popcnt",
    "false-deps-range",
    "fast-11bytenop",
    "fast-15bytenop",
    "fast-7bytenop",
    "fast-bextr",
    "fast-dpwssd",
    "fast-gather",
    "fast-hops",
    "fast-imm16",
    "fast-lzcnt",
    "fast-movbe",
    "fast-scalar-fsqrt",
    "fast-scalar-shift-masks",
    "fast-shld-rotate",
    "fast-variable-crosslane-shuffle",
    "fast-variable-perlane-shuffle",
    "fast-vector-fsqrt",
    "fast-vector-shift-masks",
    "faster-shift-than-shuffle",
    "fma",
    "fma4",
    "fsgsbase",
    "fsrm",
    "fxsr",
    "gfni",
    "harden-sls-ijmp",
    "harden-sls-ret",
    "hreset",
    "idivl-to-divb",
    "idivq-to-divl",
    "inline-asm-use-gpr32",
    "invpcid",
    "kl",
    "lea-sp",
    "lea-uses-ag",
    "lvi-cfi",
    "lvi-load-hardening",
    "lwp",
    "lzcnt",
    "macrofusion",
    "mmx",
    "movbe",
    "movdir64b",
    "movdiri",
    "mwaitx",
    "ndd",
    "nf",
    "no-bypass-delay",
    "no-bypass-delay-blend",
    "no-bypass-delay-mov",
    "no-bypass-delay-shuffle",
    "nopl",
    "pad-short-functions",
    "pclmul",
    "pconfig",
    "pku",
    "popcnt",
    "ppx",
    "prefer-128-bit",
    "prefer-256-bit",
    "prefer-mask-registers",
    "prefer-movmsk-over-vtest",
    "prefer-no-gather",
    "prefer-no-scatter",
    "prefetchi",
    "prfchw",
    "ptwrite",
    "push2pop2",
    "raoint",
    "rdpid",
    "rdpru",
    "rdrnd",
    "rdseed",
    "retpoline",
    "retpoline-external-thunk",
    "retpoline-indirect-branches",
    "retpoline-indirect-calls",
    "rtm",
    "sahf",
    "sbb-dep-breaking",
    "serialize",
    "seses",
    "sgx",
    "sha",
    "sha512",
    "shstk",
    "slow-3ops-lea",
    "slow-incdec",
    "slow-lea",
    "slow-pmaddwd",
    "slow-pmulld",
    "slow-shld",
    "slow-two-mem-ops",
    "slow-unaligned-mem-16",
    "slow-unaligned-mem-32",
    "sm3",
    "sm4",
    "sse",
    "sse-unaligned-mem",
    "sse2",
    "sse3",
    "sse4.1",
    "sse4.2",
    "sse4a",
    "ssse3",
    "tbm",
    "tsxldtrk",
    "tuning-fast-imm-vector-shift",
    "uintr",
    "use-glm-div-sqrt-costs",
    "use-slm-arith-costs",
    "usermsr",
    "vaes",
    "vpclmulqdq",
    "vzeroupper",
    "waitpkg",
    "wbnoinvd",
    "widekl",
    "x87",
    "xop",
    "xsave",
    "xsavec",
    "xsaveopt",
    "xsaves",
    "zu",
];

/// Features every x86-64 CPU has and the ABI relies on (floats in SSE registers): a request may
/// not turn them off.
const BASELINE: &[&str] = &["sse", "sse2", "x87", "cmov", "cx8", "fxsr", "mmx"];

/// Bound on a feature list: longer ones are not a real CPU's.
const MAX_FEATURES_LEN: usize = 4096;

/// Checks a CPU name a client asked for.
pub fn check_cpu(cpu: &str) -> Result<(), CompileError> {
    if X86_64_CPUS.contains(&cpu) {
        return Ok(());
    }
    Err(CompileError::request(format!(
        "unknown or unsupported cpu '{}' for x86-64 (for example x86-64, x86-64-v2, x86-64-v3, x86-64-v4, skylake, znver4)",
        crate::diag::clip(cpu, 64)
    )))
}

/// Checks a feature list a client asked for: `+name` or `-name`, comma-separated, known names.
pub fn check_features(features: &str) -> Result<(), CompileError> {
    if features.len() > MAX_FEATURES_LEN {
        return Err(CompileError::request(format!(
            "feature list of {} bytes is longer than {MAX_FEATURES_LEN}",
            features.len()
        )));
    }
    for item in features.split(',').filter(|f| !f.is_empty()) {
        let (on, name) = match (item.strip_prefix('+'), item.strip_prefix('-')) {
            (Some(name), _) => (true, name),
            (_, Some(name)) => (false, name),
            _ => {
                return Err(CompileError::request(format!(
                    "feature '{}' must start with '+' or '-'",
                    crate::diag::clip(item, 64)
                )))
            }
        };
        if !X86_FEATURES.contains(&name) {
            return Err(CompileError::request(format!(
                "unknown or unsupported x86-64 feature '{}'",
                crate::diag::clip(name, 64)
            )));
        }
        if !on && BASELINE.contains(&name) {
            return Err(CompileError::request(format!(
                "feature '{name}' is part of x86-64 and cannot be turned off"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpus_llvm_aborts_on_or_ignores_are_refused() {
        for cpu in ["pentium4", "i386", "i686", "znver99", "x86-64-v5", "", "native\0"] {
            assert!(check_cpu(cpu).is_err(), "{cpu}");
        }
        for cpu in [
            "x86-64",
            "x86-64-v2",
            "x86-64-v3",
            "x86-64-v4",
            "skylake-avx512",
            "znver4",
        ] {
            assert!(check_cpu(cpu).is_ok(), "{cpu}");
        }
    }

    #[test]
    fn features_that_break_the_abi_or_are_unknown_are_refused() {
        for features in [
            "-sse2",
            "-sse",
            "+64bit-mode",
            "-64bit-mode",
            "+32bit-mode",
            "+soft-float",
            "avx2",
            "+avx9",
            "+avx2,,x",
        ] {
            assert!(check_features(features).is_err(), "{features}");
        }
        for features in ["+avx2,+fma", "-avx512f", "+avx2,-avx512f,+bmi2", ""] {
            assert!(check_features(features).is_ok(), "{features}");
        }
        assert!(check_features(&"+avx2,".repeat(2000)).is_err());
    }
}
