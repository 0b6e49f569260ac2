//! Ufuncs called with an output array (`np.sqrt(a, out=b)`, `np.add(a, b, c)`): the result is
//! stored element-wise into the array given, broadcast to its shape as NumPy does, and the call's
//! value is that array. The store is one fused loop (an `ArrayStore` of the ufunc's `ArrayMap`),
//! so no temporary is made, which is why users pass `out=`.

use super::*;

impl Inferer<'_, '_> {
    /// `np.<name>(..., out)` when `name` is a ufunc given an output array; `None` when the call
    /// has no output argument (the other paths type it).
    pub(in crate::infer) fn ufunc_into(&mut self, fx: &mut FnCx, name: &str, call: &ast::ExprCall) -> R<Option<Expr>> {
        let arity = match name {
            "abs" | "absolute" => Some(1),
            _ => operators::arity(name).or_else(|| math_rows::lookup(PyModule::Numpy, name).map(MathFn::arity)),
        };
        let Some(arity) = arity else {
            return Ok(None);
        };
        let args = CallArgs::of(call);
        let range = call.range();
        let out = match (args.kw.as_slice(), args.pos.len()) {
            ([("out", out)], n) if n == arity => *out,
            ([], n) if n == arity + 1 => args.pos[arity],
            _ => return Ok(None),
        };
        let out = self.expr(fx, out)?;
        // NumPy also takes out=(array,), the tuple of a ufunc's outputs.
        let out = match out.ty.tuple() {
            Some([_]) => self.tuple_items(out).remove(0),
            _ => out,
        };
        let Some(out_type) = out.ty.array() else {
            return Err(self.err(
                DiagKind::Type,
                range,
                format!("np.{name}(): out must be an array, not {}", out.ty),
            ));
        };
        let mut inputs = Vec::new();
        for p in &args.pos[..arity] {
            inputs.push(self.expr(fx, p)?);
        }
        let value = match self.operator_ufunc(name, &inputs, range)? {
            Some(v) => v,
            None if inputs.iter().any(is_array) => self.array_builtin(Some(PyModule::Numpy), name, inputs, range)?,
            None => self.builtin_call(Some(PyModule::Numpy), name, inputs, range)?,
        };
        let result = value.ty.array().map(|a| a.dtype).or(value.ty.scalar());
        if let Some(result) = result {
            if !same_kind(result, out_type.dtype) {
                return Err(self.err(
                    DiagKind::Type,
                    range,
                    format!(
                        "np.{name}(): cannot store the {} result in an out array of {} (NumPy's casting='same_kind')",
                        result.name(),
                        out_type.dtype.name()
                    ),
                ));
            }
        }
        let (var, hold) = self.hidden_var(fx, out, range)?;
        let dest = Expr::new(ExprKind::Var(var), fx.vars[var].ty.clone());
        fx.pre.push(hold);
        fx.pre.push(Stmt::ArrayStore {
            dest: dest.clone(),
            value,
        });
        Ok(Some(dest))
    }
}

/// NumPy's `can_cast(from, to, 'same_kind')`: within a kind or to a wider kind (bool < ints <
/// floats < complex), never from signed to unsigned.
fn same_kind(from: Scalar, to: Scalar) -> bool {
    let kind = |s: Scalar| match s {
        Scalar::Bool => 0,
        s if s.is_int() => 1,
        s if s.is_float() => 2,
        _ => 3,
    };
    if kind(from) == 1 && kind(to) == 1 {
        return !from.is_signed() || to.is_signed();
    }
    kind(from) <= kind(to)
}
