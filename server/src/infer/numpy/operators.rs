//! NumPy's ufuncs that are Python operators (`np.add` is `+`, `np.mod` is `%`, `np.greater` is
//! `>`, `np.invert` is `~`): typed as the operator, so arrays broadcast and scalars promote
//! exactly as the operator's own typing does. `np.square` and `np.reciprocal` are library
//! functions (`x * x`, `1.0 / x`).

use super::*;

enum Operator {
    Binary(BinOp),
    Compare(CmpOp),
    Unary(ast::UnaryOp),
    Library(&'static str),
}

fn operator(name: &str) -> Option<(Operator, usize)> {
    use Operator::*;
    Some(match name {
        "add" => (Binary(BinOp::Add), 2),
        "subtract" => (Binary(BinOp::Sub), 2),
        "multiply" => (Binary(BinOp::Mul), 2),
        "divide" | "true_divide" => (Binary(BinOp::TrueDiv), 2),
        "floor_divide" => (Binary(BinOp::FloorDiv), 2),
        "mod" | "remainder" => (Binary(BinOp::Mod), 2),
        "bitwise_and" => (Binary(BinOp::BitAnd), 2),
        "bitwise_or" => (Binary(BinOp::BitOr), 2),
        "bitwise_xor" => (Binary(BinOp::BitXor), 2),
        "left_shift" => (Binary(BinOp::LShift), 2),
        "right_shift" => (Binary(BinOp::RShift), 2),
        "greater" => (Compare(CmpOp::Gt), 2),
        "greater_equal" => (Compare(CmpOp::Ge), 2),
        "less" => (Compare(CmpOp::Lt), 2),
        "less_equal" => (Compare(CmpOp::Le), 2),
        "equal" => (Compare(CmpOp::Eq), 2),
        "not_equal" => (Compare(CmpOp::Ne), 2),
        "negative" => (Unary(ast::UnaryOp::USub), 1),
        "positive" => (Unary(ast::UnaryOp::UAdd), 1),
        "invert" | "bitwise_not" => (Unary(ast::UnaryOp::Invert), 1),
        "square" => (Library("__kc_np_square"), 1),
        "reciprocal" => (Library("__kc_np_reciprocal"), 1),
        _ => return None,
    })
}

/// How many inputs the operator ufunc `name` takes; `None` when it is not one.
pub(super) fn arity(name: &str) -> Option<usize> {
    operator(name).map(|(_, arity)| arity)
}

impl Inferer<'_, '_> {
    /// `np.<name>(args)` when `name` is an operator's ufunc; `None` otherwise.
    pub(in crate::infer) fn operator_ufunc(&mut self, name: &str, args: &[Expr], range: TextRange) -> R<Option<Expr>> {
        let Some((op, arity)) = operator(name) else {
            return Ok(None);
        };
        if args.len() != arity {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!(
                    "np.{name}() takes {arity} argument(s), {} given (out= and where= are not supported)",
                    args.len()
                ),
            ));
        }
        if let Some(bad) = args.iter().find(|a| !a.ty.is_numeric() && !is_array(a)) {
            return Err(self.err(DiagKind::Type, range, format!("np.{name}() of {}", bad.ty)));
        }
        let any_array = args.iter().any(is_array);
        let mut args = args.iter().cloned();
        let mut next = || args.next().expect("arity checked");
        Ok(Some(match op {
            Operator::Binary(op) => {
                let (a, b) = (next(), next());
                if any_array {
                    self.array_binary(op, a, b, range)?
                } else {
                    self.binary(op, a, b, range)?
                }
            }
            Operator::Compare(op) => {
                let (a, b) = (next(), next());
                if any_array {
                    self.user_array_compare(op, a, b, range)?
                } else {
                    self.compare_scalars(op, a, b, range)?
                }
            }
            Operator::Unary(op) => {
                let a = next();
                if any_array {
                    self.array_unary(op, a, range)?
                } else {
                    self.scalar_unary(op, a, range)?
                }
            }
            Operator::Library(function) => {
                let a = next();
                let dtype = a.ty.array().map(|t| t.dtype).or(a.ty.scalar());
                if function == "__kc_np_reciprocal" && dtype.is_some_and(|d| !d.is_float() && !d.is_complex()) {
                    return Err(self.err(
                        DiagKind::Unsupported,
                        range,
                        "np.reciprocal of integers (NumPy's integer reciprocal truncates to 0)",
                    ));
                }
                self.library_call(function, vec![a], range)?
            }
        }))
    }
}
