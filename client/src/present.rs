//! What the `kcache` command line shows a person: the daemon's statistics as aligned tables, and
//! the inputs of an action key (`kcache explain`) readably, or what differs between two requests.
//! Machine-readable output (`--json`) does not come through here.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Rows of `label value` with the labels padded to one width.
fn two_columns(rows: &[(String, String)]) -> String {
    let width = rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (label, value) in rows {
        let _ = writeln!(out, "{label:<width$}  {value}");
    }
    out
}

/// A table: the first column left-aligned, the others right-aligned, each as wide as its widest cell.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i == 0 {
                let _ = write!(text, "{cell:<w$}");
            } else {
                let _ = write!(text, "  {cell:>w$}");
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(header.to_vec(), &mut out);
    for row in rows {
        line(row.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

/// `1536` → `1.5 KiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

fn text_of(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The daemon's statistics (`kcache stats`) from `kcache::client::stats_json`'s object: the
/// counters in a fixed order with readable names, the store, the shared tier when there is
/// one (`remote_hits`, ...), then the per-stage compile times. Counters this client does not
/// name itself (the shared tier's, a newer daemon's) follow under the daemon's own names.
pub fn stats_text(stats: &serde_json::Value) -> String {
    let Some(map) = stats.as_object() else {
        return format!("{stats}\n");
    };
    let num = |k: &str| map.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
    let mut used: Vec<&str> = vec!["stages"];
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row = |label: &str, key: &'static str, value: String, used: &mut Vec<&str>| {
        if map.contains_key(key) {
            rows.push((label.to_string(), value));
        }
        used.push(key);
    };
    let requests = num("requests");
    let pct = |n: u64| {
        if requests == 0 {
            String::new()
        } else {
            format!("  ({:.1}%)", n as f64 * 100.0 / requests as f64)
        }
    };
    row("requests", "requests", requests.to_string(), &mut used);
    row(
        "hits",
        "hits",
        format!("{}{}", num("hits"), pct(num("hits"))),
        &mut used,
    );
    row(
        "misses",
        "misses",
        format!("{}{}", num("misses"), pct(num("misses"))),
        &mut used,
    );
    row("compiles", "compiles", num("compiles").to_string(), &mut used);
    row(
        "compile failures",
        "compile_failures",
        num("compile_failures").to_string(),
        &mut used,
    );
    row(
        "source errors",
        "source_errors",
        num("source_errors").to_string(),
        &mut used,
    );
    row(
        "integrity misses",
        "integrity_misses",
        num("integrity_misses").to_string(),
        &mut used,
    );
    row("compiling now", "in_flight", num("in_flight").to_string(), &mut used);
    row("mean hit", "avg_hit_us", format!("{} µs", num("avg_hit_us")), &mut used);
    let compile_ms = num("total_compile_us") as f64 / 1e3;
    row(
        "time compiling",
        "total_compile_us",
        format!("{compile_ms:.1} ms"),
        &mut used,
    );
    row(
        "linked by ld",
        "link_fallbacks",
        num("link_fallbacks").to_string(),
        &mut used,
    );
    let store = format!(
        "{} in {} entries (max {})",
        human_bytes(num("store_bytes")),
        num("store_entries"),
        human_bytes(num("max_store_bytes"))
    );
    row("store", "store_bytes", store, &mut used);
    used.extend(["store_entries", "max_store_bytes"]);
    row("evictions", "evictions", num("evictions").to_string(), &mut used);
    for (k, v) in map {
        if !used.contains(&k.as_str()) && !v.is_array() && !v.is_object() {
            // Under the daemon's own name (remote_hits, ...), as the README and scripts know them.
            rows.push((k.clone(), text_of(v)));
        }
    }
    let mut out = two_columns(&rows);
    if let Some(stages) = map.get("stages").and_then(|s| s.as_array()) {
        let rows: Vec<Vec<String>> = stages
            .iter()
            .map(|st| {
                let mut r = vec![text_of(&st["stage"])];
                r.extend(["count", "avg_us", "p50_us", "p99_us"].iter().map(|k| text_of(&st[*k])));
                r
            })
            .collect();
        out.push('\n');
        out.push_str(&table(&["stage", "compiles", "avg µs", "p50 µs", "p99 µs"], &rows));
    }
    out
}

/// One function of the call graph as the action key has it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Function {
    /// BLAKE3 of its canonical text (the body as parsed: comments and layout left out).
    hash: String,
    /// What its decorator declares (signatures, options), if anything.
    declared: Option<String>,
}

/// The `call_graph` field: the entry and every function it reaches, and the module-level names
/// they use with the values frozen into the code.
#[derive(Clone, Debug, Default, PartialEq)]
struct CallGraph {
    functions: Vec<(String, Function)>,
    globals: BTreeMap<String, String>,
    other: Vec<String>,
}

fn short_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..12].to_string()
}

/// `const float64:float:4004000000000000` → `2.5 (float64)`; imports as Python writes them.
fn readable_global(value: &str) -> String {
    if let Some(c) = value.strip_prefix("const ") {
        let mut parts = c.splitn(3, ':');
        if let (Some(ty), Some(kind), Some(v)) = (parts.next(), parts.next(), parts.next()) {
            let shown = match kind {
                "float" => u64::from_str_radix(v, 16)
                    .map(|b| format!("{:?}", f64::from_bits(b)))
                    .ok(),
                "bool" => Some(if v == "true" { "True" } else { "False" }.to_string()),
                _ => Some(v.to_string()),
            };
            if let Some(shown) = shown {
                return format!("{shown} ({ty})");
            }
        }
    }
    if let Some(m) = value.strip_prefix("import ") {
        return format!("module {}", py_module(m));
    }
    if let Some(rest) = value.strip_prefix("from ") {
        if let Some((m, member)) = rest.split_once(" import ") {
            return format!("{}.{member}", py_module(m));
        }
    }
    if let Some(rest) = value.strip_prefix("opaque ") {
        let (place, reason) = rest.split_once(' ').unwrap_or((rest, ""));
        return format!("not known exactly (set at line {place}: {reason})");
    }
    value.to_string()
}

/// The module's Python name from its Rust `Debug` name (`NumpyRandom` → `numpy.random`).
fn py_module(debug: &str) -> String {
    match debug {
        "NumpyRandom" => "numpy.random".to_string(),
        other => other.to_lowercase(),
    }
}

impl CallGraph {
    fn parse(text: &str) -> CallGraph {
        let mut g = CallGraph::default();
        for line in text.lines() {
            if let Some((name, _)) = line.strip_prefix("def ").and_then(|r| r.split_once(": ")) {
                g.functions.push((
                    name.to_string(),
                    Function {
                        hash: short_hash(line),
                        declared: None,
                    },
                ));
            } else if let Some((name, declared)) = line.strip_prefix("decorator ").and_then(|r| r.split_once(": ")) {
                match g.functions.iter_mut().find(|(n, _)| n == name) {
                    Some((_, f)) => f.declared = Some(declared.to_string()),
                    None => g.other.push(line.to_string()),
                }
            } else if let Some((name, value)) = line.strip_prefix("global ").and_then(|r| r.split_once(" = ")) {
                g.globals.insert(name.to_string(), readable_global(value));
            } else if !line.trim().is_empty() {
                g.other.push(line.to_string());
            }
        }
        g
    }

    fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|(n, _)| n == name).map(|(_, f)| f)
    }
}

/// `+avx,+avx2,-xop` → (enabled, disabled), each sorted.
fn features(text: &str) -> (Vec<&str>, Vec<&str>) {
    let mut on: Vec<&str> = text.split(',').filter_map(|f| f.strip_prefix('+')).collect();
    let mut off: Vec<&str> = text.split(',').filter_map(|f| f.strip_prefix('-')).collect();
    on.sort_unstable();
    off.sort_unstable();
    (on, off)
}

/// Words wrapped to lines of about `width` characters.
fn wrap(words: &[&str], width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for w in words {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.len() + 1 + w.len() > width {
            lines.push(w.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(w);
        }
    }
    lines
}

/// The fields of an `Explain` reply by name.
pub type Fields = BTreeMap<String, String>;

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(String::as_str).unwrap_or("")
}

/// `kcache explain`: each input of the action key, readably. The call graph is shown as its
/// functions, each with a short hash of the canonical text that goes into the key (a change of
/// comments or layout keeps it, a change of meaning changes it), and the module-level values
/// frozen into the code.
pub fn explain_text(action_key: &str, stored: bool, fields: &Fields) -> String {
    let mut rows: Vec<(String, String)> = vec![(
        "action key".into(),
        format!(
            "{action_key} ({})",
            if stored {
                "stored: the next request is a hit"
            } else {
                "not stored: the next request compiles"
            }
        ),
    )];
    rows.push(("entry".into(), field(fields, "entry").into()));
    rows.push(("signature".into(), field(fields, "signature").into()));
    rows.push(("options".into(), field(fields, "options").replace(',', ", ")));
    let graph = CallGraph::parse(field(fields, "call_graph"));
    let name_width = graph.functions.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (i, (name, f)) in graph.functions.iter().enumerate() {
        let mut text = format!("{name:<name_width$}  {}", f.hash);
        if let Some(d) = &f.declared {
            let _ = write!(text, "  @{d}");
        }
        rows.push((if i == 0 { "functions" } else { "" }.into(), text));
    }
    for (i, (name, value)) in graph.globals.iter().enumerate() {
        rows.push((if i == 0 { "globals" } else { "" }.into(), format!("{name} = {value}")));
    }
    for line in &graph.other {
        rows.push(("".into(), line.clone()));
    }
    rows.push((
        "target".into(),
        format!(
            "{}, cpu {}",
            field(fields, "target_triple"),
            field(fields, "target_cpu")
        ),
    ));
    let (on, off) = features(field(fields, "target_features"));
    rows.push((
        "".into(),
        format!(
            "{} CPU features on, {} off (the full list: --json)",
            on.len(),
            off.len()
        ),
    ));
    rows.push((
        "compiler".into(),
        format!("{} (key schema {})", field(fields, "compiler"), field(fields, "schema")),
    ));
    let known = [
        "entry",
        "signature",
        "options",
        "call_graph",
        "target_triple",
        "target_cpu",
        "target_features",
        "compiler",
        "schema",
    ];
    for (name, value) in fields {
        if !known.contains(&name.as_str()) {
            rows.push((name.replace('_', " "), value.clone()));
        }
    }
    two_columns(&rows)
}

/// `kcache explain A --against B`: which inputs of the two action keys differ, and how.
pub fn explain_diff(a: (&str, &Fields), b: (&str, &Fields)) -> String {
    let (key_a, fa) = a;
    let (key_b, fb) = b;
    if key_a == key_b {
        return format!("same action key {key_a}: both requests are one cache entry\n");
    }
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut simple = |label: &str, name: &str| {
        let (x, y) = (field(fa, name), field(fb, name));
        if x != y {
            rows.push((label.to_string(), format!("{x}  →  {y}")));
        }
    };
    simple("schema", "schema");
    simple("compiler", "compiler");
    simple("entry", "entry");
    simple("signature", "signature");
    simple("options", "options");
    simple("target triple", "target_triple");
    simple("target cpu", "target_cpu");
    simple("artifact", "artifact");
    let (ga, gb) = (
        CallGraph::parse(field(fa, "call_graph")),
        CallGraph::parse(field(fb, "call_graph")),
    );
    for (name, f) in &ga.functions {
        match gb.function(name) {
            None => rows.push((format!("function {name}"), "only in the first".into())),
            Some(g) if g.hash != f.hash => rows.push((
                format!("function {name}"),
                format!("body differs ({}  →  {})", f.hash, g.hash),
            )),
            Some(g) if g.declared != f.declared => rows.push((
                format!("function {name}"),
                format!(
                    "decorator @{}  →  @{}",
                    f.declared.as_deref().unwrap_or("(none)"),
                    g.declared.as_deref().unwrap_or("(none)")
                ),
            )),
            Some(_) => {}
        }
    }
    for (name, _) in &gb.functions {
        if ga.function(name).is_none() {
            rows.push((format!("function {name}"), "only in the second".into()));
        }
    }
    let names: std::collections::BTreeSet<&String> = ga.globals.keys().chain(gb.globals.keys()).collect();
    for name in names {
        let (x, y) = (ga.globals.get(name), gb.globals.get(name));
        if x != y {
            let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "(not used)".into());
            rows.push((format!("global {name}"), format!("{}  →  {}", show(x), show(y))));
        }
    }
    if ga.other != gb.other {
        rows.push(("call graph".into(), "other lines differ (see --json)".into()));
    }
    let (fa_on, fa_off) = features(field(fa, "target_features"));
    let (fb_on, fb_off) = features(field(fb, "target_features"));
    if (&fa_on, &fa_off) != (&fb_on, &fb_off) {
        let only = |x: &[&str], y: &[&str]| -> Vec<String> {
            x.iter().filter(|f| !y.contains(f)).map(|f| format!("+{f}")).collect()
        };
        let gained = only(&fb_on, &fa_on);
        let lost = only(&fa_on, &fb_on);
        let words: Vec<&str> = lost.iter().map(String::as_str).collect();
        for (i, line) in wrap(&words, 72).into_iter().enumerate().filter(|(_, l)| !l.is_empty()) {
            rows.push((if i == 0 { "features only in the first" } else { "" }.into(), line));
        }
        let words: Vec<&str> = gained.iter().map(String::as_str).collect();
        for (i, line) in wrap(&words, 72).into_iter().enumerate().filter(|(_, l)| !l.is_empty()) {
            rows.push((if i == 0 { "features only in the second" } else { "" }.into(), line));
        }
    }
    let mut out = format!("action keys differ: {key_a}\n                    {key_b}\n");
    if rows.is_empty() {
        out.push_str("(no input differs that this client can show: compare the --json outputs)\n");
    }
    out.push_str(&two_columns(&rows));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(graph: &str, sig: &str, features: &str) -> Fields {
        [
            ("schema", "2"),
            ("compiler", "kcache 0.1.0 llvm 19.1.7"),
            ("call_graph", graph),
            ("entry", "kernel"),
            ("signature", sig),
            ("options", "boundscheck=false,fastmath=true"),
            ("target_triple", "x86_64-pc-linux-gnu"),
            ("target_cpu", "znver4"),
            ("target_features", features),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    const GRAPH: &str = "def helper: FunctionDef(StmtFunctionDef { name: \"helper\", body: [x * SCALE] })\n\
        def kernel: FunctionDef(StmtFunctionDef { name: \"kernel\", body: [...] })\n\
        decorator kernel: jit signatures=[\"float64(float64[:])\"] options=[fastmath=\"true\"]\n\
        global SCALE = const float64:float:4004000000000000\n\
        global N = const int64:int:7\n\
        global math = import Math\n\
        global rnd = from NumpyRandom import rand\n";

    #[test]
    fn explain_shows_names_hashes_and_values_not_ast_dumps() {
        let text = explain_text(
            "ab".repeat(32).as_str(),
            false,
            &fields(GRAPH, "float64(float64[:])", "+avx2,-xop,+sse2"),
        );
        assert!(!text.contains("StmtFunctionDef"), "{text}");
        let helper = short_hash(GRAPH.lines().next().unwrap());
        assert!(text.contains(&format!("functions   helper  {helper}")), "{text}");
        assert!(text.contains("kernel  ") && text.contains("@jit signatures=[\"float64(float64[:])\"]"));
        assert!(text.contains("globals     N = 7 (int64)"), "{text}");
        assert!(text.contains("SCALE = 2.5 (float64)"));
        assert!(text.contains("math = module math") && text.contains("rnd = numpy.random.rand"));
        assert!(text.contains("2 CPU features on, 1 off"));
        assert!(text.contains("not stored: the next request compiles"));
        assert!(text.contains("options     boundscheck=false, fastmath=true"), "{text}");
        // Every value starts in one column.
        let column = |l: &str| {
            l.find("  ")
                .map(|i| i + l[i..].chars().take_while(|c| *c == ' ').count())
        };
        let first = text.lines().next().and_then(column);
        assert!(text.lines().filter(|l| !l.starts_with(' ')).all(|l| column(l) == first));
    }

    #[test]
    fn diff_names_what_changed() {
        let a = fields(GRAPH, "float64(float64[:])", "+avx2,+avx512f,-xop");
        let b_graph = GRAPH
            .replace("x * SCALE", "x / SCALE")
            .replace("float:4004000000000000", "float:4008000000000000");
        let b = fields(&b_graph, "float32(float32[:])", "+avx2,-avx512f,-xop");
        let text = explain_diff(("k1", &a), ("k2", &b));
        assert!(text.contains("signature") && text.contains("float64(float64[:])  →  float32(float32[:])"));
        assert!(
            text.contains("function helper") && text.contains("body differs"),
            "{text}"
        );
        assert!(!text.contains("function kernel"), "{text}");
        assert!(
            text.contains("global SCALE") && text.contains("2.5 (float64)  →  3.0 (float64)"),
            "{text}"
        );
        assert!(
            text.contains("features only in the first") && text.contains("+avx512f"),
            "{text}"
        );
        assert_eq!(
            explain_diff(("k1", &a), ("k1", &a)),
            "same action key k1: both requests are one cache entry\n"
        );
    }

    #[test]
    fn stats_are_aligned_whatever_the_numbers() {
        let stats = serde_json::json!({
            "requests": 123456, "hits": 123000, "misses": 456, "compiles": 450,
            "compile_failures": 6, "source_errors": 3, "integrity_misses": 0, "in_flight": 1,
            "store_bytes": 1536, "store_entries": 3, "max_store_bytes": 2147483648u64,
            "total_compile_us": 987654, "evictions": 0, "avg_hit_us": 310, "link_fallbacks": 0,
            "workers_restarted": 2,
            "stages": [
                {"stage": "parse", "count": 1, "avg_us": 5, "p50_us": 5, "p99_us": 5},
                {"stage": "optimize", "count": 450, "avg_us": 123456, "p50_us": 99999, "p99_us": 1234567},
            ],
        });
        let text = stats_text(&stats);
        assert!(text.contains(" 123000  (99.6%)\n"), "{text}");
        assert!(text.contains(" 1.5 KiB in 3 entries (max 2.0 GiB)\n"), "{text}");
        assert!(text.contains("workers_restarted  2\n"), "{text}");
        let (head, table) = text.split_once("\n\n").unwrap();
        // Labels padded to the longest ("workers_restarted"), then two spaces, then the value.
        let w = "workers_restarted".len();
        assert!(
            head.lines()
                .all(|l| &l[w..w + 2] == "  " && l.as_bytes()[w + 2] != b' '),
            "{text}"
        );
        // The stage table: every line as long as the header, numbers right-aligned.
        let lines: Vec<&str> = table.lines().collect();
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width), "{table}");
        assert!(
            lines[1].ends_with("      5") && lines[2].ends_with("1234567"),
            "{table}"
        );
    }
}
