//! `print(...)`: the host's `print_text`/`print_number`/`print_end` build the line on the
//! calling thread and write it at its end (kcache-runtime formats numbers as Python does).

use kcache_abi::{PRINT_BOOL, PRINT_COMPLEX, PRINT_FLOAT, PRINT_INT, PRINT_UINT};

use super::*;

impl<'p> Lowerer<'p> {
    fn print_host_fn(&mut self, name: &str) -> V {
        self.host_fn(name, "print")
    }

    fn print_text(&mut self, text: &str) {
        let s = self.string_constant(text);
        let f = self.print_host_fn("print_text");
        self.emit(format!("call void {}(ptr {s})", f.r));
    }

    /// The `(kind, integer, re, im)` arguments with which the host writes a number as Python's
    /// `str()` does (`print_number`, `key_error`).
    pub(super) fn number_args(&mut self, v: V, s: Scalar) -> (i32, String, String, String) {
        let ty = Type::Scalar(s);
        let zero = float_lit(0.0);
        if s.is_complex() {
            let (re, im) = self.complex_parts(&v);
            let re = self.cast(re, &Type::Scalar(s.real_part()), &Type::F64);
            let im = self.cast(im, &Type::Scalar(s.real_part()), &Type::F64);
            (PRINT_COMPLEX, "0".to_string(), re.r, im.r)
        } else if s.is_float() {
            let x = self.cast(v, &ty, &Type::F64);
            (PRINT_FLOAT, "0".to_string(), x.r, zero)
        } else {
            let kind = match s {
                Scalar::Bool => PRINT_BOOL,
                s if s.is_signed() => PRINT_INT,
                _ => PRINT_UINT,
            };
            let wide = if s == Scalar::Bool {
                self.inst(Ty::I64, format!("zext i1 {} to i64", v.r))
            } else {
                self.cast(
                    v,
                    &ty,
                    &Type::Scalar(if kind == PRINT_INT { Scalar::I64 } else { Scalar::U64 }),
                )
            };
            (kind, wide.r, zero.clone(), zero)
        }
    }

    pub(super) fn print(&mut self, items: &[PrintItem], sep: &str, end: &str) -> V {
        for (k, item) in items.iter().enumerate() {
            if k > 0 && !sep.is_empty() {
                self.print_text(sep);
            }
            match item {
                PrintItem::Text(t) => self.print_text(t),
                PrintItem::Value(e) => {
                    let s = e.ty.scalar().expect("inference prints scalars only");
                    let v = self.expr(e);
                    let (kind, int, re, im) = self.number_args(v, s);
                    let f = self.print_host_fn("print_number");
                    self.emit(format!(
                        "call void {}(i32 {kind}, i64 {int}, double {re}, double {im})",
                        f.r
                    ));
                }
            }
        }
        let e = self.string_constant(end);
        let f = self.print_host_fn("print_end");
        self.emit(format!("call void {}(ptr {e})", f.r));
        V {
            r: "0".into(),
            t: Ty::I8,
        }
    }
}
