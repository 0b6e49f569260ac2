//! The typed IR as text: what `inspect --types` shows and what the front end's snapshot tests
//! compare.

use std::fmt::Write as _;

use super::*;

/// A readable dump of the typed IR, for snapshot tests and `kcache inspect --types`.
pub fn dump(program: &Program) -> String {
    let mut out = String::new();
    for (id, f) in program.functions.iter().enumerate() {
        let params: Vec<String> = f
            .params
            .iter()
            .map(|p| format!("{}: {}", f.vars[*p].name, f.vars[*p].ty))
            .collect();
        let marker = if id == program.entry { " (entry)" } else { "" };
        let _ = writeln!(out, "fn {}({}) -> {}{}", f.symbol, params.join(", "), f.ret, marker);
        let mut locals: Vec<String> = f
            .vars
            .iter()
            .enumerate()
            .filter(|(i, _)| !f.params.contains(i))
            .map(|(_, v)| format!("{}: {}", v.name, v.ty))
            .collect();
        locals.sort();
        if !locals.is_empty() {
            let _ = writeln!(out, "  locals {}", locals.join(", "));
        }
        dump_block(&mut out, program, f, &f.body, 1);
    }
    out
}

fn dump_block(out: &mut String, p: &Program, f: &Function, body: &[Stmt], depth: usize) {
    crate::stack::deep(|| dump_block_inner(out, p, f, body, depth))
}

fn dump_block_inner(out: &mut String, p: &Program, f: &Function, body: &[Stmt], depth: usize) {
    let pad = "  ".repeat(depth);
    for stmt in body {
        match stmt {
            Stmt::Assign { var, value } => {
                let _ = writeln!(out, "{pad}{} = {}", f.vars[*var].name, dump_expr(p, f, value));
            }
            Stmt::SetItem { array, indices, value } => {
                let idx: Vec<String> = indices.iter().map(|i| dump_expr(p, f, i)).collect();
                let _ = writeln!(
                    out,
                    "{pad}{}[{}] = {}",
                    dump_expr(p, f, array),
                    idx.join(", "),
                    dump_expr(p, f, value)
                );
            }
            Stmt::If { cond, then, orelse } => {
                let _ = writeln!(out, "{pad}if {}:", dump_expr(p, f, cond));
                dump_block(out, p, f, then, depth + 1);
                if !orelse.is_empty() {
                    let _ = writeln!(out, "{pad}else:");
                    dump_block(out, p, f, orelse, depth + 1);
                }
            }
            Stmt::While { cond, body, orelse } => {
                let _ = writeln!(out, "{pad}while {}:", dump_expr(p, f, cond));
                dump_block(out, p, f, body, depth + 1);
                if !orelse.is_empty() {
                    let _ = writeln!(out, "{pad}else:");
                    dump_block(out, p, f, orelse, depth + 1);
                }
            }
            Stmt::ForRange {
                var,
                start,
                stop,
                step,
                body,
                orelse,
                parallel,
            } => {
                let kw = if *parallel { "prange" } else { "range" };
                let _ = writeln!(
                    out,
                    "{pad}for {} in {kw}({}, {}, {}):",
                    f.vars[*var].name,
                    dump_expr(p, f, start),
                    dump_expr(p, f, stop),
                    dump_expr(p, f, step)
                );
                dump_block(out, p, f, body, depth + 1);
                if !orelse.is_empty() {
                    let _ = writeln!(out, "{pad}else:");
                    dump_block(out, p, f, orelse, depth + 1);
                }
            }
            Stmt::Break => {
                let _ = writeln!(out, "{pad}break");
            }
            Stmt::Continue => {
                let _ = writeln!(out, "{pad}continue");
            }
            Stmt::Return(None) => {
                let _ = writeln!(out, "{pad}return");
            }
            Stmt::Return(Some(e)) => {
                let _ = writeln!(out, "{pad}return {}", dump_expr(p, f, e));
            }
            Stmt::Raise(r) => {
                let _ = writeln!(out, "{pad}raise {}({:?})", r.exception, r.message);
            }
            Stmt::Try {
                body,
                handler,
                orelse,
                finalbody,
            } => {
                let _ = writeln!(out, "{pad}try:");
                dump_block(out, p, f, body, depth + 1);
                if let Some(h) = handler {
                    let _ = writeln!(out, "{pad}except Exception:");
                    dump_block(out, p, f, h, depth + 1);
                }
                for (word, block) in [("else", orelse), ("finally", finalbody)] {
                    if !block.is_empty() {
                        let _ = writeln!(out, "{pad}{word}:");
                        dump_block(out, p, f, block, depth + 1);
                    }
                }
            }
            Stmt::Reraise => {
                let _ = writeln!(out, "{pad}raise");
            }
            Stmt::Assert { cond, raise } => {
                let _ = writeln!(
                    out,
                    "{pad}assert {}, {}({:?})",
                    dump_expr(p, f, cond),
                    raise.exception,
                    raise.message
                );
            }
            Stmt::Expr(e) => {
                let _ = writeln!(out, "{pad}{}", dump_expr(p, f, e));
            }
            Stmt::ArrayStore { dest, value } => {
                let _ = writeln!(out, "{pad}{}[...] = {}", dump_expr(p, f, dest), dump_expr(p, f, value));
            }
        }
    }
}

pub fn dump_expr(p: &Program, f: &Function, e: &Expr) -> String {
    crate::stack::deep(|| dump_expr_inner(p, f, e))
}

fn dump_expr_inner(p: &Program, f: &Function, e: &Expr) -> String {
    let inner = match &e.kind {
        ExprKind::Const(c) => match c {
            ConstValue::Bool(b) => b.to_string(),
            ConstValue::Int(i) => i.to_string(),
            ConstValue::Float(x) => format!("{x:?}"),
            ConstValue::Complex(re, im) => format!("({re:?}+{im:?}j)"),
        },
        ExprKind::Var(v) => f.vars[*v].name.clone(),
        ExprKind::Let { var, value, body } => format!(
            "({} := {}; {})",
            f.vars[*var].name,
            dump_expr(p, f, value),
            dump_expr(p, f, body)
        ),
        ExprKind::Cast(x) => format!("{}({})", e.ty, dump_expr(p, f, x)),
        ExprKind::Binary { op, lhs, rhs } => format!("({} {:?} {})", dump_expr(p, f, lhs), op, dump_expr(p, f, rhs)),
        ExprKind::Compare { op, lhs, rhs } => format!("({} {:?} {})", dump_expr(p, f, lhs), op, dump_expr(p, f, rhs)),
        ExprKind::Unary { op, operand } => format!("{:?}({})", op, dump_expr(p, f, operand)),
        ExprKind::Logical { and, lhs, rhs } => {
            format!(
                "({} {} {})",
                dump_expr(p, f, lhs),
                if *and { "and" } else { "or" },
                dump_expr(p, f, rhs)
            )
        }
        ExprKind::IfExp { cond, then, orelse } => {
            format!(
                "({} if {} else {})",
                dump_expr(p, f, then),
                dump_expr(p, f, cond),
                dump_expr(p, f, orelse)
            )
        }
        ExprKind::Call { func, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{}({})", p.functions[*func].symbol, a.join(", "))
        }
        ExprKind::Math { func, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{:?}({})", func, a.join(", "))
        }
        ExprKind::Builtin { builtin, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{:?}({})", builtin, a.join(", "))
        }
        ExprKind::ArrayDim { array, dim } => format!("{}.shape[{dim}]", dump_expr(p, f, array)),
        ExprKind::ArraySize(a) => format!("{}.size", dump_expr(p, f, a)),
        ExprKind::OptionalValue(o) => format!("value({})", dump_expr(p, f, o)),
        ExprKind::Elem(k) => format!("${k}"),
        ExprKind::NoArray => "no_array".to_string(),
        ExprKind::Index(d) => format!("$i{d}"),
        ExprKind::ArrayMap(m) => {
            let inputs: Vec<String> = m.inputs.iter().map(|x| dump_expr(p, f, x)).collect();
            let shape = m
                .shape
                .as_ref()
                .map(|s| {
                    let dims: Vec<String> = s.iter().map(|x| dump_expr(p, f, x)).collect();
                    format!(" shape=({})", dims.join(", "))
                })
                .unwrap_or_default();
            let body = m
                .body
                .as_ref()
                .map(|b| dump_expr(p, f, b))
                .unwrap_or_else(|| "uninitialised".into());
            format!("map[{}]{shape} {{ {body} }}", inputs.join(", "))
        }
        ExprKind::View { array, indices } => {
            let idx: Vec<String> = indices
                .iter()
                .map(|i| match i {
                    ViewIndex::At(e) => dump_expr(p, f, e),
                    ViewIndex::Slice { start, stop, step } => {
                        let part = |x: &Option<Expr>| x.as_ref().map(|e| dump_expr(p, f, e)).unwrap_or_default();
                        format!("{}:{}:{}", part(start), part(stop), part(step))
                    }
                    ViewIndex::NewAxis => "None".into(),
                })
                .collect();
            format!("{}[{}]", dump_expr(p, f, array), idx.join(", "))
        }
        ExprKind::DtypeView(array) => format!("{}.view({})", dump_expr(p, f, array), e.ty),
        ExprKind::ComplexPart { array, imag } => {
            format!("{}.{}", dump_expr(p, f, array), if *imag { "imag" } else { "real" })
        }
        ExprKind::Transpose { array, axes } => format!("{}.transpose{axes:?}", dump_expr(p, f, array)),
        ExprKind::Reshape { array, shape } => {
            let dims: Vec<String> = shape.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{}.reshape({})", dump_expr(p, f, array), dims.join(", "))
        }
        ExprKind::Reduce { op, array, axis } => format!("{op:?}({}, axis={axis:?})", dump_expr(p, f, array)),
        ExprKind::Scan { mul, array, axis } => format!(
            "{}({}, axis={axis:?})",
            if *mul { "CumProd" } else { "CumSum" },
            dump_expr(p, f, array)
        ),
        ExprKind::Print { items, sep, end } => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| match i {
                    PrintItem::Text(t) => format!("{t:?}"),
                    PrintItem::Value(e) => dump_expr(p, f, e),
                })
                .collect();
            format!("print({}, sep={sep:?}, end={end:?})", parts.join(", "))
        }
        ExprKind::MaskSelect { array, mask } => format!("{}[{}]", dump_expr(p, f, array), dump_expr(p, f, mask)),
        ExprKind::Dot { lhs, rhs } => format!("dot({}, {})", dump_expr(p, f, lhs), dump_expr(p, f, rhs)),
        ExprKind::Tuple(items) => {
            let a: Vec<String> = items.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("({})", a.join(", "))
        }
        ExprKind::HostCall { function, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("host.{function}({})", a.join(", "))
        }
        ExprKind::ListNew(items) => {
            let a: Vec<String> = items.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("[{}]", a.join(", "))
        }
        ExprKind::DictNew(items) => {
            let a: Vec<String> = items
                .chunks(2)
                .map(|kv| format!("{}: {}", dump_expr(p, f, &kv[0]), dump_expr(p, f, &kv[1])))
                .collect();
            format!("{{{}}}", a.join(", "))
        }
        ExprKind::SetNew(items) => {
            let a: Vec<String> = items.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("set({{{}}})", a.join(", "))
        }
        ExprKind::Set { op, set, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{}.{op:?}({})", dump_expr(p, f, set), a.join(", "))
        }
        ExprKind::Dict { op, dict, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{}.{op:?}({})", dump_expr(p, f, dict), a.join(", "))
        }
        ExprKind::List { op, list, args } => {
            let a: Vec<String> = args.iter().map(|x| dump_expr(p, f, x)).collect();
            format!("{}.{op:?}({})", dump_expr(p, f, list), a.join(", "))
        }
        ExprKind::TupleGet { tuple, index } => format!("{}[{index}]", dump_expr(p, f, tuple)),
        ExprKind::TupleIndex { tuple, index } => format!("{}[{}]", dump_expr(p, f, tuple), dump_expr(p, f, index)),
        ExprKind::GetItem { array, indices } => {
            let idx: Vec<String> = indices.iter().map(|i| dump_expr(p, f, i)).collect();
            format!("{}[{}]", dump_expr(p, f, array), idx.join(", "))
        }
    };
    format!("{inner}: {}", e.ty)
}
