//! The action key: BLAKE3 over a versioned, canonical encoding of every input that can change
//! the machine code. A wrong key hands a user someone else's code, so each input is a named
//! field, length-prefixed, and has a test proving that changing it changes the key.

use crate::compile::Prepared;
use crate::emit::TargetSpec;

/// Bump when the encoding below or the meaning of any field changes.
pub const KEY_SCHEMA_VERSION: u32 = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionKeyInputs {
    pub schema: u32,
    /// kcache and LLVM versions: a new compiler never serves an old compiler's code.
    pub compiler: String,
    pub call_graph: String,
    pub entry: String,
    pub signature: String,
    pub options: String,
    pub triple: String,
    pub cpu: String,
    pub features: String,
    /// A shared object and the object it is linked from are different bytes.
    pub artifact: String,
}

pub fn compiler_fingerprint() -> String {
    format!(
        "kcache {} source {} llvm {} host-abi {} module-abi {}",
        crate::VERSION,
        env!("KCACHE_COMPILER_SOURCE_HASH"),
        crate::emit::llvm_version(),
        kcache_abi::HOST_API_VERSION,
        kcache_abi::MODULE_ABI_VERSION
    )
}

impl ActionKeyInputs {
    pub fn new(prepared: &Prepared, target: &TargetSpec) -> Self {
        ActionKeyInputs {
            schema: KEY_SCHEMA_VERSION,
            compiler: compiler_fingerprint(),
            call_graph: prepared.call_graph.clone(),
            entry: prepared.entry.clone(),
            signature: prepared.signature.canonical(),
            options: prepared.options.canonical(),
            triple: target.triple.clone(),
            cpu: target.cpu.clone(),
            features: target.features.clone(),
            artifact: prepared.artifact.name().to_string(),
        }
    }

    /// The fields in encoding order, as (name, value): what `Explain` shows.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("schema", self.schema.to_string()),
            ("compiler", self.compiler.clone()),
            ("call_graph", self.call_graph.clone()),
            ("entry", self.entry.clone()),
            ("signature", self.signature.clone()),
            ("options", self.options.clone()),
            ("target_triple", self.triple.clone()),
            ("target_cpu", self.cpu.clone()),
            ("target_features", self.features.clone()),
            ("artifact", self.artifact.clone()),
        ]
    }

    pub fn digest(&self) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        h.update(b"kcache-action-key\0");
        for (name, value) in self.fields() {
            h.update(&(name.len() as u64).to_le_bytes());
            h.update(name.as_bytes());
            h.update(&(value.len() as u64).to_le_bytes());
            h.update(value.as_bytes());
        }
        *h.finalize().as_bytes()
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::prepare;
    use std::collections::BTreeMap;

    const SRC: &str = "import math\nSCALE = 2.0\n\ndef helper(x):\n    return x * SCALE\n\ndef unrelated(y):\n    return y\n\ndef kernel(a):\n    s = 0.0\n    for i in range(len(a)):\n        s += helper(a[i])\n    return s\n";

    fn target() -> TargetSpec {
        TargetSpec {
            triple: "x86_64-pc-linux-gnu".into(),
            cpu: "znver4".into(),
            features: "+avx2".into(),
        }
    }

    fn key_of(src: &str, sig: &str, opts: &[(&str, &str)], t: &TargetSpec) -> [u8; 32] {
        let options: BTreeMap<String, String> = opts.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let p = prepare(src, "kernel", sig, &options).unwrap();
        ActionKeyInputs::new(&p, t).digest()
    }

    fn base() -> [u8; 32] {
        key_of(SRC, "float64(float64[:])", &[], &target())
    }

    #[test]
    fn same_inputs_same_key() {
        assert_eq!(base(), base());
    }

    #[test]
    fn comments_formatting_and_unrelated_functions_keep_the_key() {
        let commented = SRC.replace(
            "    s = 0.0\n",
            "    # running total\n    s = 0.0   # start at zero\n\n",
        );
        assert_eq!(key_of(&commented, "float64(float64[:])", &[], &target()), base());
        let reformatted = SRC.replace("x * SCALE", "(x  *  SCALE)");
        assert_eq!(key_of(&reformatted, "float64(float64[:])", &[], &target()), base());
        let unrelated = SRC.replace("    return y\n", "    return y + 1\n");
        assert_eq!(key_of(&unrelated, "float64(float64[:])", &[], &target()), base());
        let decorated = SRC
            .replace("def kernel", "@njit\ndef kernel")
            .replace("import math\n", "import math\nfrom numba import njit\n");
        assert_eq!(key_of(&decorated, "float64(float64[:])", &[], &target()), base());
    }

    #[test]
    fn entry_body_change_misses() {
        assert_ne!(
            key_of(
                &SRC.replace("s += helper", "s -= helper"),
                "float64(float64[:])",
                &[],
                &target()
            ),
            base()
        );
    }

    #[test]
    fn callee_change_misses() {
        assert_ne!(
            key_of(
                &SRC.replace("x * SCALE", "x + SCALE"),
                "float64(float64[:])",
                &[],
                &target()
            ),
            base()
        );
    }

    #[test]
    fn frozen_constant_change_misses() {
        assert_ne!(
            key_of(
                &SRC.replace("SCALE = 2.0", "SCALE = 3.0"),
                "float64(float64[:])",
                &[],
                &target()
            ),
            base()
        );
    }

    /// Issue 12: two files differing only in a helper's declared signature compiled to the same
    /// key, so whichever was compiled first was served for both.
    #[test]
    fn callee_decorator_changes_the_key() {
        let with = |decorator: &str| {
            let src = format!(
                "from numba import njit\n\n{decorator}\ndef helper(x):\n    return x\n\ndef kernel(a):\n    return helper(a)\n"
            );
            key_of(&src, "int64(int64)", &[], &target())
        };
        let narrow = with("@njit(\"int8(int64)\")");
        assert_ne!(narrow, with("@njit(\"int64(int64)\")"));
        assert_ne!(narrow, with("@njit([\"int8(int64)\", \"int64(int64)\"])"));
        assert_ne!(with("@njit"), with("@njit(fastmath=True)"));
        assert_ne!(with("@njit"), with("@vectorize([\"int64(int64)\"])"));
        // Spelling the same declaration differently is the same key.
        assert_eq!(narrow, with("@njit( 'int8(int64)' )"));
        assert_eq!(with("@njit"), with(""));
    }

    /// A recursive entry dispatches through its own decorator's signatures.
    #[test]
    fn entry_decorator_signatures_change_the_key() {
        let with = |sigs: &str| {
            let src = format!("from numba import njit\n\n@njit({sigs})\ndef kernel(n):\n    if n < 2:\n        return n\n    return kernel(n - 1) + kernel(n - 2)\n");
            key_of(&src, "int64(int64)", &[], &target())
        };
        assert_ne!(with("[\"int64(int64)\"]"), with("[\"int32(int32)\", \"int64(int64)\"]"));
    }

    /// Every kind of module-level statement that sets a frozen value reaches the key.
    #[test]
    fn module_level_statements_change_the_key() {
        let base = key_of(SRC, "float64(float64[:])", &[], &target());
        for edit in [
            "SCALE = 2.0\nSCALE += 1.0",
            "SCALE = 2.0\nfor _i in range(3):\n    SCALE *= 2.0",
            "SCALE = 2.0\nif SCALE > 1:\n    SCALE = 5.0",
            "import numpy as np\nSCALE = np.float32(2.0)",
        ] {
            let src = SRC.replace("SCALE = 2.0", edit);
            assert_ne!(key_of(&src, "float64(float64[:])", &[], &target()), base, "{edit}");
        }
        // The same value computed another way is the same key.
        let same = SRC.replace("SCALE = 2.0", "SCALE = 1.0\nSCALE += 1.0");
        assert_eq!(key_of(&same, "float64(float64[:])", &[], &target()), base);
    }

    #[test]
    fn frozen_constant_type_changes_the_key() {
        let with = |value: &str| {
            let src = format!("import numpy as np\nEPS = {value}\n\ndef kernel(a):\n    return a[0] + EPS\n");
            key_of(&src, "float32(float32[:])", &[], &target())
        };
        assert_ne!(with("np.float32(0.5)"), with("np.float64(0.5)"));
        assert_ne!(with("np.float32(0.5)"), with("0.5"));
        assert_ne!(with("np.int32(1)"), with("np.int64(1)"));
        assert_ne!(with("np.int32(1)"), with("1"));
    }

    #[test]
    fn frozen_tuple_items_and_their_types_change_the_key() {
        let with = |value: &str| {
            let src = format!("import numpy as np\nC = {value}\n\ndef kernel(a):\n    return a[0] * C[1]\n");
            key_of(&src, "float64(float64[:])", &[], &target())
        };
        let base = with("(1.0, 2.0)");
        assert_eq!(base, with("(1.0, 1.0 + 1.0)"));
        assert_ne!(base, with("(1.0, 2.5)"));
        assert_ne!(base, with("(1.0, 2)"));
        assert_ne!(base, with("(1.0, np.float32(2.0))"));
        assert_ne!(base, with("(1.0, 2.0, 3.0)"));
    }

    #[test]
    fn frozen_array_values_dtype_and_shape_change_the_key() {
        let with = |value: &str| {
            let src = format!("import numpy as np\nW = {value}\n\ndef kernel(a):\n    return a[0] * W[0, 1]\n");
            key_of(&src, "float64(float64[:])", &[], &target())
        };
        let base = with("np.array([[1.0, 2.0], [3.0, 4.0]])");
        assert_eq!(base, with("np.array([[1.0, 2.0], [3.0, 4.0]])"));
        assert_ne!(base, with("np.array([[1.0, 2.0], [3.0, 4.5]])"));
        assert_ne!(base, with("np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)"));
        assert_ne!(base, with("np.array([[1.0, 2.0, 3.0, 4.0]])"));
        assert_ne!(base, with("np.array([[1, 2], [3, 4]])"));
    }

    #[test]
    fn imports_change_the_key() {
        let with = |import: &str| {
            let src = format!("{import}\n\ndef kernel(a):\n    return m.floor(a[0])\n");
            key_of(&src, "float64(float64[:])", &[], &target())
        };
        assert_ne!(with("import math as m"), with("import numpy as m"));
    }

    #[test]
    fn signature_change_misses() {
        assert_ne!(key_of(SRC, "float64(float64[::1])", &[], &target()), base());
    }

    #[test]
    fn every_option_changes_the_key() {
        for (k, v) in [
            ("fastmath", "true"),
            ("parallel", "true"),
            ("boundscheck", "true"),
            ("error_model", "numpy"),
        ] {
            assert_ne!(key_of(SRC, "float64(float64[:])", &[(k, v)], &target()), base(), "{k}");
        }
        // An option spelled out at its default is the same request.
        assert_eq!(
            key_of(SRC, "float64(float64[:])", &[("fastmath", "false")], &target()),
            base()
        );
    }

    #[test]
    fn target_fields_change_the_key() {
        let mut t = target();
        t.cpu = "x86-64-v3".into();
        assert_ne!(key_of(SRC, "float64(float64[:])", &[], &t), base());
        let mut t = target();
        t.features = "+avx2,+avx512f".into();
        assert_ne!(key_of(SRC, "float64(float64[:])", &[], &t), base());
        let mut t = target();
        t.triple = "x86_64-unknown-linux-musl".into();
        assert_ne!(key_of(SRC, "float64(float64[:])", &[], &t), base());
    }

    #[test]
    fn artifact_kind_changes_the_key() {
        let options = BTreeMap::new();
        let mut p = prepare(SRC, "kernel", "float64(float64[:])", &options).unwrap();
        assert_eq!(ActionKeyInputs::new(&p, &target()).digest(), base());
        p.artifact = crate::compile::ArtifactKind::Object;
        assert_ne!(ActionKeyInputs::new(&p, &target()).digest(), base());
    }

    #[test]
    fn entry_name_changes_the_key() {
        let src = format!("{SRC}\ndef kernel2(a):\n    s = 0.0\n    for i in range(len(a)):\n        s += helper(a[i])\n    return s\n");
        let options = BTreeMap::new();
        let p = prepare(&src, "kernel2", "float64(float64[:])", &options).unwrap();
        assert_ne!(ActionKeyInputs::new(&p, &target()).digest(), base());
    }

    #[test]
    fn schema_and_compiler_are_keyed() {
        let options = BTreeMap::new();
        let p = prepare(SRC, "kernel", "float64(float64[:])", &options).unwrap();
        let inputs = ActionKeyInputs::new(&p, &target());
        let mut other = inputs.clone();
        other.schema += 1;
        assert_ne!(other.digest(), inputs.digest());
        let mut other = inputs.clone();
        other.compiler.push_str("+1");
        assert_ne!(other.digest(), inputs.digest());
    }

    #[test]
    fn fields_cannot_bleed_into_each_other() {
        let options = BTreeMap::new();
        let p = prepare(SRC, "kernel", "float64(float64[:])", &options).unwrap();
        let a = ActionKeyInputs::new(&p, &target());
        let mut b = a.clone();
        b.cpu = format!("{}{}", a.cpu, "x");
        b.features = a.features[1..].to_string();
        assert_ne!(a.digest(), b.digest());
    }
}
