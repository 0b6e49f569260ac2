//! Sets: a value is a list's `{ header meminfo, owner }`; the header and its table belong to
//! kcache-runtime's set (`runtime/src/set.rs`, CPython's algorithm), reached through the host
//! table's one `set_op` function. Items go to the runtime as their storage bytes in a scratch
//! slot; the set is told once, when made, where each number of an item lies and what it is
//! (a constant description), so that it hashes and compares them as Python does.

use super::memory::storage_size;
use super::*;

/// `set_op`'s operation codes.
use kcache_abi::set_op as code;

/// How the runtime's set stores a number of type `s` (a bool is a byte, 0 or 1).
fn lane_kind(s: Scalar) -> i64 {
    use kcache_abi::set_lane::*;
    match s {
        Scalar::F32 => F32,
        Scalar::F64 => F64,
        Scalar::I8 => I8,
        Scalar::I16 => I16,
        Scalar::I32 => I32,
        Scalar::Bool | Scalar::U8 => U8,
        Scalar::U16 => U16,
        Scalar::U32 => U32,
        Scalar::U64 => U64,
        _ => I64,
    }
}

/// The description `set_op(NEW)` takes: `[key size, is a tuple, lanes, (offset, kind)...]`.
fn description(item: &Type) -> Vec<i64> {
    let (size, _) = storage_size(item);
    let mut out = vec![size as i64];
    match item.tuple() {
        Some(items) => {
            out.push(1);
            out.push(items.len() as i64);
            let mut offset = 0u64;
            for t in items {
                let (s, a) = storage_size(t);
                offset = offset.div_ceil(a) * a;
                out.push(offset as i64);
                out.push(lane_kind(t.scalar().expect("sets hold tuples of numbers")));
                offset += s;
            }
        }
        None => {
            out.extend([0, 1, 0, lane_kind(item.scalar().expect("sets hold numbers"))]);
        }
    }
    out
}

impl<'p> Lowerer<'p> {
    /// `set_op(op, a, b, key)`.
    fn set_call(&mut self, op: i64, a: &str, b: &str, key: &str) -> V {
        let f = self.host_fn("set_op", "use sets");
        self.inst(
            Ty::I64,
            format!("call i64 {}(i64 {op}, ptr {a}, ptr {b}, ptr {key})", f.r),
        )
    }

    fn set_mi(&mut self, s: &V) -> V {
        self.inst(Ty::Ptr, format!("load ptr, ptr {}", s.r))
    }

    /// A temporary owning the set or list `set_op` returned (0: MemoryError).
    fn set_made(&mut self, r: V, ty: &Type) -> V {
        let mi = self.inst(Ty::Ptr, format!("inttoptr i64 {} to ptr", r.r));
        self.owned_header(mi, ty)
    }

    /// Raises MemoryError when `set_op` returned 0.
    fn set_check(&mut self, r: &V) {
        let failed = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", r.r));
        self.raise_if(&failed, "MemoryError", "cannot grow the set");
    }

    /// An item in a scratch slot, as the runtime reads it.
    fn set_key(&mut self, item: &Expr) -> V {
        let v = self.expr(item);
        let slot = self.scratch(&item.ty);
        self.store_item(&slot, v, &item.ty);
        slot
    }

    fn set_empty(&mut self, ty: &Type) -> V {
        let item = ty.set_item().expect("a set");
        let desc = description(item);
        let name = format!(
            "@kc.setdesc.{}",
            desc.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("_")
        );
        let values: Vec<String> = desc.iter().map(|d| format!("i64 {d}")).collect();
        self.declare(format!(
            "{name} = private unnamed_addr constant [{} x i64] [{}]",
            desc.len(),
            values.join(", ")
        ));
        let r = self.set_call(code::NEW, "null", "null", &name);
        self.set_made(r, ty)
    }

    pub(super) fn set_new(&mut self, items: &[Expr], ty: &Type) -> V {
        let s = self.set_empty(ty);
        for item in items {
            let key = self.set_key(item);
            let mi = self.set_mi(&s);
            let r = self.set_call(code::ADD, &mi.r, "null", &key.r);
            self.set_check(&r);
        }
        s
    }

    pub(super) fn set_op(&mut self, op: SetOp, set: &Expr, args: &[Expr], ty: &Type) -> V {
        let item = set.ty.set_item().expect("a set").clone();
        let s = self.expr(set);
        let none = V {
            r: "0".into(),
            t: Ty::I8,
        };
        let other = |this: &mut Self| {
            let o = this.expr(&args[0]);
            this.set_mi(&o)
        };
        match op {
            SetOp::Len => self.dict_len(&s),
            SetOp::Add | SetOp::Contains | SetOp::Discard | SetOp::Remove => {
                let key = self.set_key(&args[0]);
                let mi = self.set_mi(&s);
                let c = match op {
                    SetOp::Add => code::ADD,
                    SetOp::Contains => code::CONTAINS,
                    _ => code::DISCARD,
                };
                let r = self.set_call(c, &mi.r, "null", &key.r);
                match op {
                    SetOp::Add => {
                        self.set_check(&r);
                        none
                    }
                    SetOp::Contains => self.inst(Ty::I1, format!("icmp ne i64 {}, 0", r.r)),
                    SetOp::Discard => none,
                    _ => {
                        let missing = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", r.r));
                        self.raise_key_error_if(&missing, &key, &item);
                        none
                    }
                }
            }
            SetOp::Pop => {
                let out = self.scratch(&item);
                let mi = self.set_mi(&s);
                let r = self.set_call(code::POP, &mi.r, "null", &out.r);
                let empty = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", r.r));
                self.raise_if(&empty, "KeyError", "'pop from an empty set'");
                self.dict_load(out, &item)
            }
            SetOp::Clear => {
                let mi = self.set_mi(&s);
                let r = self.set_call(code::CLEAR, &mi.r, "null", "null");
                self.set_check(&r);
                none
            }
            SetOp::Copy | SetOp::List | SetOp::Rebuild => {
                let mi = self.set_mi(&s);
                let c = match op {
                    SetOp::Copy => code::COPY,
                    SetOp::List => code::LIST,
                    _ => code::REBUILD,
                };
                let r = self.set_call(c, &mi.r, "null", "null");
                self.set_made(r, ty)
            }
            SetOp::Or | SetOp::And | SetOp::Sub | SetOp::Xor | SetOp::AndItems | SetOp::SubItems => {
                // The other operand (a set, or a list for the `Items` forms) is read through
                // its header buffer, the first field of both.
                let o = other(self);
                let mi = self.set_mi(&s);
                let c = match op {
                    SetOp::Or => code::OR,
                    SetOp::And => code::AND,
                    SetOp::Sub => code::SUB,
                    SetOp::AndItems => code::AND_ITEMS,
                    SetOp::SubItems => code::SUB_ITEMS,
                    _ => code::XOR,
                };
                let r = self.set_call(c, &mi.r, &o.r, "null");
                self.set_made(r, ty)
            }
            SetOp::Update | SetOp::IAnd | SetOp::ISub | SetOp::IXor | SetOp::IAndItems | SetOp::ISubItems => {
                let o = other(self);
                let mi = self.set_mi(&s);
                let c = match op {
                    SetOp::Update => code::UPDATE,
                    SetOp::IAnd => code::IAND,
                    SetOp::ISub => code::ISUB,
                    SetOp::IAndItems => code::IAND_ITEMS,
                    SetOp::ISubItems => code::ISUB_ITEMS,
                    _ => code::IXOR,
                };
                let r = self.set_call(c, &mi.r, &o.r, "null");
                self.set_check(&r);
                none
            }
            SetOp::IsSubset | SetOp::IsDisjoint | SetOp::Eq => {
                let o = other(self);
                let mi = self.set_mi(&s);
                let c = match op {
                    SetOp::IsSubset => code::ISSUBSET,
                    SetOp::IsDisjoint => code::ISDISJOINT,
                    _ => code::EQ,
                };
                let r = self.set_call(c, &mi.r, &o.r, "null");
                self.inst(Ty::I1, format!("icmp ne i64 {}, 0", r.r))
            }
        }
    }
}
