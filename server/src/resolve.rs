//! The entry's call graph: the functions it reaches and the module-level names they use, in a
//! canonical form for the cache key. Comments, formatting and functions the entry never calls do
//! not appear in it; any change of meaning inside the graph does, including what the functions'
//! decorators declare (a callee's signature converts its arguments) and the type of every frozen
//! module-level number.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use ruff_python_ast::comparable::{ComparableExpr, ComparableStmt};
use ruff_python_ast::visitor::{walk_expr, Visitor};
use ruff_python_ast::{Expr, Stmt};

use crate::parse::{Imported, ParsedModule};

#[derive(Default)]
struct Names<'a> {
    names: BTreeSet<&'a str>,
}

impl<'a> Visitor<'a> for Names<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr {
            self.names.insert(n.id.as_str());
        }
        crate::stack::deep(|| walk_expr(self, expr));
    }
}

/// Reachable functions, by name (sorted), starting from `entry`.
pub fn reachable_functions(module: &ParsedModule, entry: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut functions = BTreeSet::new();
    let mut globals = BTreeSet::new();
    let mut work = vec![entry.to_string()];
    while let Some(name) = work.pop() {
        if !functions.insert(name.clone()) {
            continue;
        }
        let Some(def) = module.functions.get(&name) else {
            continue;
        };
        let mut names = Names::default();
        for stmt in &def.body {
            names.visit_stmt(stmt);
        }
        for n in names.names {
            if module.functions.contains_key(n) {
                work.push(n.to_string());
            } else if module.constants.contains_key(n)
                || module.tuples.contains_key(n)
                || module.arrays.contains_key(n)
                || module.imports.contains_key(n)
                || module.opaque.contains_key(n)
            {
                globals.insert(n.to_string());
            }
        }
    }
    (functions, globals)
}

/// The canonical text of the call graph that goes into the action key.
pub fn canonical_call_graph(module: &ParsedModule, entry: &str) -> String {
    let (functions, globals) = reachable_functions(module, entry);
    let mut out = String::new();
    for name in &functions {
        let Some(def) = module.functions.get(name) else {
            continue;
        };
        // Decorators are keyed by what they declare (signatures, options, kind), so that
        // `@njit` and no decorator, or a reformatted decorator, stay the same key.
        let mut bare = def.clone();
        let decorators = std::mem::take(&mut bare.decorator_list);
        let stmt = Stmt::FunctionDef(bare);
        let _ = writeln!(out, "def {name}: {:?}", ComparableStmt::from(&stmt));
        match module.decorator_info(def) {
            Ok(Some(info)) => {
                let declared = info.canonical();
                if !declared.is_empty() {
                    let _ = writeln!(out, "decorator {name}: {declared}");
                }
            }
            Ok(None) => {}
            // A decorator the front end refuses: its text, so that no two differ unseen.
            Err(_) => {
                for d in &decorators {
                    let _ = writeln!(out, "decorator {name}: {:?}", ComparableExpr::from(&d.expression));
                }
            }
        }
    }
    let mut resolved: BTreeMap<&str, String> = BTreeMap::new();
    for g in &globals {
        if let Some(c) = module.constants.get(g) {
            resolved.insert(g, format!("const {}", c.canonical()));
        } else if let Some(items) = module.tuples.get(g) {
            let items: Vec<String> = items.iter().map(|c| c.canonical()).collect();
            resolved.insert(g, format!("tuple ({})", items.join(", ")));
        } else if let Some(a) = module.arrays.get(g) {
            resolved.insert(g, format!("array {}", a.canonical()));
        } else if let Some(o) = module.opaque.get(g) {
            resolved.insert(g, format!("opaque {}:{} {}", o.line, o.column, o.reason));
        } else if let Some(i) = module.imports.get(g) {
            resolved.insert(
                g,
                match i {
                    Imported::Module(m) => format!("import {m:?}"),
                    Imported::Member(m, member) => format!("from {m:?} import {member}"),
                },
            );
        }
    }
    for (name, value) in resolved {
        let _ = writeln!(out, "global {name} = {value}");
    }
    out
}
