//! The kernels a Numba file declares: each top-level function under an `@njit`/`@jit`
//! decorator, with the signatures the decorator names (`@njit("f8(f8[:])")`,
//! `@njit(["f8(f8)", "f4(f4)"], parallel=True)`), and where it is. A scan of the text, not a
//! parse: the daemon parses the source when it compiles, and reports what is wrong there.

/// One decorated function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredKernel {
    pub name: String,
    /// 1-based line of its `def`.
    pub line: usize,
    /// The signature strings of its decorator, in order; empty for a lazy `@njit`.
    pub signatures: Vec<String>,
    /// The decorator as written (one line, spaces collapsed), for documentation.
    pub decorator: String,
    /// Its parameter names, in order (defaults and annotations left out).
    pub params: Vec<String>,
}

/// The decorated top-level functions of `source`, in order.
pub fn declared_kernels(source: &str) -> Vec<DeclaredKernel> {
    let mut out = Vec::new();
    let mut decorators: Vec<String> = Vec::new();
    let mut current: Option<(String, i32)> = None;
    let lines: Vec<&str> = source.lines().collect();
    for (i, line) in lines.iter().copied().enumerate() {
        if let Some((text, depth)) = current.as_mut() {
            text.push(' ');
            text.push_str(line.trim());
            *depth += paren_balance(line);
            if *depth <= 0 {
                decorators.push(current.take().expect("some").0);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix('@') {
            let depth = paren_balance(rest);
            if depth > 0 {
                current = Some((line.trim().to_string(), depth));
            } else {
                decorators.push(line.trim().to_string());
            }
        } else if let Some(rest) = line.strip_prefix("def ") {
            let jit = decorators.iter().find(|d| is_jit(d));
            if let Some(d) = jit {
                out.push(DeclaredKernel {
                    name: rest.split('(').next().unwrap_or("").trim().to_string(),
                    line: i + 1,
                    signatures: decorator_signatures(d),
                    decorator: d.split_whitespace().collect::<Vec<_>>().join(" "),
                    params: parameters(&lines[i..]),
                });
            }
            decorators.clear();
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            decorators.clear();
        }
    }
    out
}

/// The parameter names of the `def` starting `lines` (the list may span lines).
fn parameters(lines: &[&str]) -> Vec<String> {
    let mut text = String::new();
    let mut depth = 0;
    for line in lines {
        text.push_str(line);
        text.push(' ');
        depth += paren_balance(line);
        if depth <= 0 {
            break;
        }
    }
    let Some(open) = text.find('(') else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, open + 1);
    for (i, c) in text.char_indices().skip(open + 1) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth > 0 => depth -= 1,
            ',' | ')' if depth == 0 => {
                let item = text[start..i].trim().trim_start_matches('*');
                let name = item.split([':', '=']).next().unwrap_or("").trim();
                if !name.is_empty() && name != "/" {
                    out.push(name.to_string());
                }
                start = i + 1;
                if c == ')' {
                    break;
                }
            }
            _ => {}
        }
    }
    out
}

/// Opening minus closing brackets on a line, outside string literals and comments.
fn paren_balance(line: &str) -> i32 {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') => break,
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            _ => {}
        }
    }
    depth
}

/// `@njit`, `@jit`, `@numba.njit(...)`, `@kcache.jit(...)`.
fn is_jit(decorator: &str) -> bool {
    let name = decorator.trim_start_matches('@').split('(').next().unwrap_or("");
    matches!(name.rsplit('.').next().unwrap_or("").trim(), "njit" | "jit")
}

/// The string literals of the decorator's first positional argument: one signature, or a list
/// or tuple of them. A keyword first (`@njit(parallel=True)`) or no call means none.
fn decorator_signatures(decorator: &str) -> Vec<String> {
    let Some(open) = decorator.find('(') else {
        return Vec::new();
    };
    let args = decorator[open + 1..].trim_start();
    let (inside, list) = match args.chars().next() {
        Some('[' | '(') => (&args[1..], true),
        Some('\'' | '"') => (args, false),
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    let mut rest = inside.trim_start();
    while let Some(q) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let Some(end) = rest[1..].find(q) else { break };
        out.push(rest[1..1 + end].to_string());
        rest = rest[end + 2..].trim_start();
        if !list {
            break;
        }
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_decorated_kernels_and_their_signatures() {
        let src = "from numba import njit\n\n@njit(\"float64(float64[:])\")\ndef total(a):\n    return a.sum()\n\n\
                   @njit([\"f8(f8)\",\n       'f4(f4)'], parallel=True)  # two\ndef twice(x):\n    return 2 * x\n\n\
                   @njit\ndef lazy(x):\n    return x\n\n@njit(parallel=True)\ndef opts(x):\n    return x\n\n\
                   def plain(x):\n    return x\n\n@numba.jit('int64(int64)', nopython=True)\ndef j(x):\n    return x\n\n\
                   @njit('void(float64[:])')\n\nclass C:\n    pass\n\ndef after_class(x):\n    return x\n";
        let ks = declared_kernels(src);
        let names: Vec<&str> = ks.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["total", "twice", "lazy", "opts", "j"]);
        assert_eq!(ks[0].signatures, ["float64(float64[:])"]);
        assert_eq!(ks[0].line, 4);
        assert_eq!(ks[1].signatures, ["f8(f8)", "f4(f4)"]);
        assert_eq!(ks[1].line, 9);
        assert_eq!(ks[1].decorator, "@njit([\"f8(f8)\", 'f4(f4)'], parallel=True) # two");
        assert!(ks[2].signatures.is_empty());
        assert!(ks[3].signatures.is_empty());
        assert_eq!(ks[4].signatures, ["int64(int64)"]);
        assert_eq!(ks[0].params, ["a"]);
        assert_eq!(
            parameters(&["def scale(a, lo=0.0,", "          hi: float = (1.0), *, clip=True):"]),
            ["a", "lo", "hi", "clip"]
        );
    }
}
