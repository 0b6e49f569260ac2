//! Numba signature strings: `float64(float64[:])`, `void(float64, int32[:, ::1])`, `(int64,)`.

use crate::types::{ArrayType, Layout, Scalar, Type, MAX_NDIM};

/// A parsed signature. `ret` is `None` when the string gives no return type (it is inferred).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    pub ret: Option<Type>,
    pub args: Vec<Type>,
}

impl Signature {
    /// The canonical spelling used in cache keys and replies.
    pub fn canonical(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|t| t.to_string()).collect();
        let ret = self.ret.as_ref().map(|t| t.to_string()).unwrap_or_else(|| "?".into());
        format!("{ret}({})", args.join(", "))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad signature {text:?} at column {column}: {message}")]
pub struct SignatureError {
    pub text: String,
    /// 1-based column inside the signature string.
    pub column: usize,
    pub message: String,
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn skip_ws(&mut self) {
        while self.text[self.pos..].starts_with([' ', '\t']) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.text[self.pos..].chars().next()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), SignatureError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(format!("expected '{c}'")))
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let rest = &self.text[self.pos..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some(&rest[..len])
    }

    fn error(&self, message: impl Into<String>) -> SignatureError {
        SignatureError {
            text: self.text.to_string(),
            column: self.text[..self.pos.min(self.text.len())].chars().count() + 1,
            message: message.into(),
        }
    }
}

/// Parses one type: a scalar name or `dtype[dims]`.
fn parse_type(cur: &mut Cursor) -> Result<Type, SignatureError> {
    let start = cur.pos;
    let Some(raw) = cur.ident() else {
        return Err(cur.error("expected a type name"));
    };
    // `numba.float64`, `nb.types.int32`: keep the last component.
    let name = raw.rsplit('.').next().unwrap_or(raw);
    if name == "Tuple" || name == "UniTuple" {
        return parse_tuple(cur, name == "UniTuple");
    }
    if matches!(name, "optional" | "Optional" | "OptionalType") {
        cur.expect('(')?;
        let item = parse_type(cur)?;
        cur.expect(')')?;
        return crate::types::optional_of(item)
            .ok_or_else(|| cur.error("an Optional holds a scalar, an array or a tuple of them"));
    }
    let scalar = match Scalar::from_name(name) {
        Some(s) => s,
        None if name == "void" || name == "none" => return Ok(Type::None),
        None => {
            cur.pos = start;
            cur.skip_ws();
            return Err(cur.error(format!("unknown type '{name}'")));
        }
    };
    if !cur.eat('[') {
        return Ok(Type::Scalar(scalar));
    }
    // Each dimension is ':' or '::1'; '::1' may appear only first (F) or last (C).
    let mut contiguous_at = Vec::new();
    let mut ndim = 0u8;
    loop {
        cur.expect(':')?;
        if cur.eat(':') {
            match cur.ident() {
                Some("1") => contiguous_at.push(ndim),
                _ => return Err(cur.error("only '::1' may follow '::'")),
            }
        }
        ndim += 1;
        if ndim > MAX_NDIM {
            return Err(cur.error(format!("arrays have at most {MAX_NDIM} dimensions")));
        }
        if cur.eat(']') {
            break;
        }
        cur.expect(',')?;
    }
    let layout = match contiguous_at.as_slice() {
        [] => Layout::A,
        [d] if *d == ndim - 1 => Layout::C,
        [0] => Layout::F,
        _ => return Err(cur.error("'::1' must mark the first (F) or the last (C) dimension")),
    };
    Ok(Type::Array(ArrayType {
        dtype: scalar,
        ndim,
        layout,
    }))
}

/// The rest of `Tuple(T1, T2, ...)` (also `Tuple((T1, T2))`, as Numba writes it) or
/// `UniTuple(T, n)` / `UniTuple(T x n)` (Numba's constructor and its printed form).
fn parse_tuple(cur: &mut Cursor, uniform: bool) -> Result<Type, SignatureError> {
    cur.expect('(')?;
    if uniform {
        let item = parse_type(cur)?;
        if !cur.eat(',') {
            match cur.ident() {
                Some("x") => {}
                _ => return Err(cur.error("expected ',' or 'x' and a count")),
            }
        }
        let count: usize = cur
            .ident()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| cur.error("expected the number of items"))?;
        cur.expect(')')?;
        return Ok(Type::Tuple(vec![item; count]));
    }
    let nested = cur.eat('(');
    let mut items = Vec::new();
    while !cur.eat(')') {
        let item = parse_type(cur)?;
        if item == Type::None {
            return Err(cur.error("'void' is only a return type"));
        }
        items.push(item);
        if !cur.eat(',') {
            cur.expect(')')?;
            break;
        }
    }
    if nested {
        cur.expect(')')?;
    }
    Ok(Type::Tuple(items))
}

/// Parses a full signature: `ret(args...)` or `(args...)`.
pub fn parse_signature(text: &str) -> Result<Signature, SignatureError> {
    let mut cur = Cursor { text, pos: 0 };
    let ret = if cur.peek() == Some('(') {
        None
    } else {
        Some(parse_type(&mut cur)?)
    };
    cur.expect('(')?;
    let mut args = Vec::new();
    if !cur.eat(')') {
        loop {
            // `none` as an argument: the caller passes None (nothing at run time; the kernel is
            // specialised for it). `void` is a result type only.
            let start = cur.pos;
            let ty = parse_type(&mut cur)?;
            if ty == Type::None && cur.text[start..cur.pos].trim_start().starts_with("void") {
                cur.pos = start;
                cur.skip_ws();
                return Err(cur.error("'void' is only a return type"));
            }
            if matches!(ty, Type::Optional(_)) {
                cur.pos = start;
                cur.skip_ws();
                return Err(cur.error("an Optional is only a return type (pass a value, or None)"));
            }
            args.push(ty);
            if cur.eat(')') {
                break;
            }
            cur.expect(',')?;
            if cur.eat(')') {
                break;
            }
        }
    }
    if cur.peek().is_some() {
        return Err(cur.error("unexpected text after the signature"));
    }
    Ok(Signature { ret, args })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arr(dtype: Scalar, ndim: u8, layout: Layout) -> Type {
        Type::Array(ArrayType { dtype, ndim, layout })
    }

    #[test]
    fn parses_numba_spellings() {
        let s = parse_signature("float64(float64[:])").unwrap();
        assert_eq!(s.ret, Some(Type::F64));
        assert_eq!(s.args, vec![arr(Scalar::F64, 1, Layout::A)]);
        let s = parse_signature("void(f8, int32[:, ::1], float32[::1, :], u1[::1])").unwrap();
        assert_eq!(s.ret, Some(Type::None));
        assert_eq!(
            s.args,
            vec![
                Type::F64,
                arr(Scalar::I32, 2, Layout::C),
                arr(Scalar::F32, 2, Layout::F),
                arr(Scalar::U8, 1, Layout::C)
            ]
        );
        assert_eq!(parse_signature("(intp, boolean)").unwrap().ret, None);
        assert_eq!(parse_signature("int64()").unwrap().args, vec![]);
    }

    #[test]
    fn parses_tuples() {
        let f = Type::Scalar(Scalar::F64);
        let i = Type::Scalar(Scalar::I64);
        let sig = parse_signature("UniTuple(float64, 2)(Tuple(int64, float64[::1]), UniTuple(int64 x 3))").unwrap();
        assert_eq!(sig.ret, Some(Type::Tuple(vec![f.clone(), f.clone()])));
        assert_eq!(
            sig.args,
            vec![
                Type::Tuple(vec![i.clone(), arr(Scalar::F64, 1, Layout::C)]),
                Type::Tuple(vec![i.clone(); 3])
            ]
        );
        assert_eq!(
            parse_signature("Tuple((int64, float64))(int64)").unwrap().ret,
            Some(Type::Tuple(vec![i, f]))
        );
        assert!(parse_signature("(UniTuple(int64))").is_err());
        let sig = parse_signature("optional(int64)(float64[:], float64)").unwrap();
        assert_eq!(sig.ret, Some(Type::Optional(Box::new(Type::I64))));
        assert!(parse_signature("OptionalType(float64[:])(int64)").is_ok());
        assert!(parse_signature("int64(optional(int64))").is_err());
    }

    #[test]
    fn rejects_with_column() {
        let e = parse_signature("float64(floot64[:])").unwrap_err();
        assert_eq!(e.column, 9);
        assert!(e.message.contains("floot64"));
        assert!(parse_signature("float64(float64[::2])").is_err());
        assert!(parse_signature("float64(float64[:, ::1, :])").is_err());
        assert!(parse_signature("float64(float64").is_err());
        assert!(parse_signature("float64(void)").is_err());
    }
}
