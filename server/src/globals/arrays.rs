//! `np.array(...)` of a literal at module level: a frozen array kernels read as a constant.

use ruff_python_ast::{self as ast, Expr};

use super::*;

impl Interpreter<'_, '_> {
    /// `np.array(literal, dtype=...)`: nested lists or tuples of numbers, rectangular.
    pub(super) fn np_array(&mut self, call: &ast::ExprCall, d: u32) -> Eval<Value> {
        let args = &call.arguments;
        let Some(data) = args.args.first() else {
            return Err("np.array() without data".into());
        };
        let mut dtype_expr = args.args.get(1);
        for kw in args.keywords.iter() {
            match kw.arg.as_ref().map(|a| a.id.as_str()) {
                Some("dtype") => dtype_expr = Some(&kw.value),
                _ => return Err("np.array() with keyword arguments other than dtype".into()),
            }
        }
        if args.args.len() > 2 {
            return Err("np.array() with more than two arguments".into());
        }
        fn walk<'e>(e: &'e Expr, depth: usize, shape: &mut Vec<usize>, leaves: &mut Vec<&'e Expr>) -> Eval<()> {
            let items = match e {
                Expr::List(l) => Some(&l.elts),
                Expr::Tuple(t) => Some(&t.elts),
                _ => None,
            };
            match items {
                Some(elts) => {
                    if shape.len() == depth {
                        shape.push(elts.len());
                    } else if shape[depth] != elts.len() {
                        return Err("a ragged nested list".into());
                    }
                    for x in elts {
                        walk(x, depth + 1, shape, leaves)?;
                    }
                    Ok(())
                }
                None if depth == shape.len() => {
                    leaves.push(e);
                    Ok(())
                }
                None => Err("a ragged nested list".into()),
            }
        }
        let (mut shape, mut leaves) = (Vec::new(), Vec::new());
        walk(data, 0, &mut shape, &mut leaves)?;
        if shape.is_empty() {
            return Err("np.array() of something other than a list or tuple literal".into());
        }
        if leaves.len() != shape.iter().product::<usize>() || leaves.len() > MAX_FROZEN_ITEMS {
            return Err(format!(
                "an array literal of more than {MAX_FROZEN_ITEMS} items, or an empty one"
            ));
        }
        let mut values = Vec::with_capacity(leaves.len());
        for leaf in leaves {
            values.push(self.eval(leaf, d + 1)?);
        }
        let dtype = match dtype_expr {
            Some(e) => {
                let v = self.eval(e, d + 1)?;
                dtype_of(&v).ok_or_else(|| format!("the dtype {}", describe(&v)))?
            }
            // NumPy's choice for Python numbers: any float makes float64, only bools bool,
            // otherwise int64; NumPy scalars of one type keep it.
            None => {
                let first = match values.first() {
                    Some(Value::Np(t, _)) => Some(*t),
                    _ => None,
                };
                let same_np = first.filter(|f| values.iter().all(|v| matches!(v, Value::Np(t, _) if t == f)));
                if let Some(t) = same_np {
                    t
                } else if values
                    .iter()
                    .any(|v| matches!(v, Value::Float(_) | Value::Np(_, Num::Float(_))))
                {
                    Scalar::F64
                } else if values
                    .iter()
                    .all(|v| matches!(v, Value::Bool(_) | Value::Np(_, Num::Bool(_))))
                {
                    Scalar::Bool
                } else {
                    Scalar::I64
                }
            }
        };
        let mut frozen = Vec::with_capacity(values.len());
        for v in &values {
            let converted = np_convert(dtype, v)?;
            frozen.push(freeze(&converted).ok_or("an item that is not a number")?.value);
        }
        Ok(Value::Array(std::sync::Arc::new(FrozenArray {
            dtype,
            shape,
            values: frozen,
        })))
    }
}
