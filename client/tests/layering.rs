//! The client's modules depend one way (see src/lib.rs): `abi → loader, local → client → ufunc → ffi`,
//! with `error`, `cpu`, `peer`, `runtime` and `random` below them. A module may name only modules of a
//! lower rank, so nothing on the left can come to depend on the C ABI layer or on the gRPC client.

use std::path::PathBuf;

const RANKS: &[(&str, u32)] = &[
    ("error", 0),
    ("cpu", 1),
    ("peer", 1),
    ("present", 1),
    ("kernels", 1),
    ("export_c", 3),
    ("export", 5),
    ("abi", 2),
    ("loader", 3),
    ("local", 3),
    ("client", 4),
    ("ufunc", 5),
    ("gufunc", 5),
    ("ffi", 6),
];

fn rank(module: &str) -> Option<u32> {
    RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// The modules named after `crate::` in `source`, comments left out (`crate::{a, b::c}` too).
fn crate_references(source: &str) -> Vec<String> {
    let code: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            out.extend(group[..end].split(',').map(|item| ident(item.trim())));
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

#[test]
fn client_modules_depend_one_way() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut seen = 0;
    for entry in std::fs::read_dir(&src).expect("client/src") {
        let path = entry.expect("a directory entry").path();
        let Some(module) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        // A module is `src/NAME.rs`, or a directory `src/NAME/` whose files all take its rank.
        // (`src/bin/` holds the binaries, which are not modules of the library.)
        let files: Vec<PathBuf> = if path.join("mod.rs").is_file() {
            std::fs::read_dir(&path)
                .expect("a module directory")
                .map(|e| e.expect("a directory entry").path())
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("rs"))
                .collect()
        } else if path.extension().and_then(|e| e.to_str()) == Some("rs") && module != "lib" {
            vec![path.clone()]
        } else {
            continue;
        };
        let own = rank(module).unwrap_or_else(|| panic!("src/{module} has no rank: add it to RANKS and lib.rs"));
        for file in files {
            let source = std::fs::read_to_string(&file).expect("a source file");
            for used in crate_references(&source) {
                let theirs = rank(&used).unwrap_or_else(|| panic!("{module} names crate::{used}, which has no rank"));
                assert!(
                    theirs < own,
                    "{module} uses crate::{used}: modules depend one way (abi → loader → client → ufunc → ffi)"
                );
            }
        }
        seen += 1;
    }
    assert_eq!(seen, RANKS.len(), "every module of client/src is ranked");
}

#[test]
fn references_are_found_in_paths_and_groups() {
    let refs = crate_references(
        "use crate::abi::X;\n// crate::ffi in a comment\nuse crate::{loader, error::E};\nf(crate::runtime::g());",
    );
    assert_eq!(refs, ["abi", "loader", "error", "runtime"]);
}
