//! Dicts: a value is a list's `{ header meminfo, owner }`; the header and its table belong to
//! kcache-runtime's dict (`runtime/src/dict.rs`), reached through the host table's `dict_*`
//! functions. An entry is laid out as the tuple `(key, value)` would be, so `d.items()` copies
//! whole entries into a list of tuples, and keys and values are copied from their offsets.
//!
//! Keys reach the runtime as bytes in a canonical form (padding zeroed, float `-0.0` written as
//! `0.0`), since the runtime compares them byte for byte.
//!
//! A value that is a list or an array holds a reference the dict owns: a store drops the old
//! value's, a read hands out a temporary with one more, `pop` moves it out, and the runtime
//! drops what is left when entries go.

use kcache_abi::llvm::{ARRAY_OWNER, MEMINFO_DATA};

use super::memory::{storage_size, storage_type, LIST_OWNER};
use super::*;

/// Offset in a value of the reference it holds, or -1.
fn value_owner(value: &Type) -> i64 {
    match value {
        Type::List(_) | Type::Dict(..) | Type::Set(_) => LIST_OWNER as i64,
        Type::Array(_) => ARRAY_OWNER as i64,
        _ => -1,
    }
}

/// (key size, value offset, entry size) of a dict's entries.
fn entry_layout(key: &Type, value: &Type) -> (u64, u64, u64) {
    let (ks, _) = storage_size(key);
    let (_, va) = storage_size(value);
    let (es, _) = storage_size(&Type::Tuple(vec![key.clone(), value.clone()]));
    (ks, ks.div_ceil(va) * va, es)
}

impl<'p> Lowerer<'p> {
    fn dict_host_fn(&mut self, name: &str) -> V {
        self.host_fn(name, "use dicts")
    }

    /// A temporary owning the dict (or list) buffer `mi` a host function returned (null:
    /// MemoryError).
    pub(super) fn owned_header(&mut self, mi: V, ty: &Type) -> V {
        let failed = self.inst(Ty::I1, format!("icmp eq ptr {}, null", mi.r));
        self.raise_if(&failed, "MemoryError", "cannot allocate a dict");
        let slot = self.new_tuple_temp(ty);
        self.emit(format!("store ptr {}, ptr {}", mi.r, slot.r));
        let owner = self.inst(Ty::Ptr, format!("getelementptr inbounds i8, ptr {}, i64 8", slot.r));
        self.emit(format!("store ptr {}, ptr {}", mi.r, owner.r));
        slot
    }

    pub(super) fn dict_new(&mut self, items: &[Expr], ty: &Type) -> V {
        let (k, v) = ty.dict_types().expect("a dict");
        let (ks, voff, es) = entry_layout(k, v);
        let f = self.dict_host_fn("dict_new");
        let owner = value_owner(v);
        let mi = self.inst(
            Ty::Ptr,
            format!("call ptr {}(i64 {ks}, i64 {voff}, i64 {es}, i64 {owner})", f.r),
        );
        let d = self.owned_header(mi, ty);
        for kv in items.chunks(2) {
            let key = self.dict_key(&kv[0]);
            let value = self.expr(&kv[1]);
            let p = self.dict_insert(&d, &key);
            self.store_item(&p, value, v);
        }
        d
    }

    /// A scratch slot (owning nothing) for a value of `ty`.
    pub(super) fn scratch(&mut self, ty: &Type) -> V {
        let slot = self.fresh();
        let _ = std::fmt::Write::write_fmt(
            &mut self.allocas,
            format_args!("  {slot} = alloca {}, align 8\n", storage_type(ty)),
        );
        V { r: slot, t: Ty::Ptr }
    }

    /// The key's canonical bytes in a scratch slot.
    fn dict_key(&mut self, key: &Expr) -> V {
        let v = self.expr(key);
        let slot = self.scratch(&key.ty);
        if let Some(items) = key.ty.tuple() {
            let (size, _) = storage_size(&key.ty);
            self.declare("declare void @llvm.memset.p0.i64(ptr nocapture writeonly, i8, i64, i1)".into());
            self.emit(format!(
                "call void @llvm.memset.p0.i64(ptr align 8 {}, i8 0, i64 {size}, i1 false)",
                slot.r
            ));
            let st = storage_type(&key.ty);
            for (i, item) in items.iter().enumerate() {
                let src = self.inst(
                    Ty::Ptr,
                    format!("getelementptr inbounds {st}, ptr {}, i32 0, i32 {i}", v.r),
                );
                let x = self.load_item(src, item);
                let dst = self.inst(
                    Ty::Ptr,
                    format!("getelementptr inbounds {st}, ptr {}, i32 0, i32 {i}", slot.r),
                );
                self.store_key_scalar(&dst, x, item);
            }
        } else {
            self.store_key_scalar(&slot, v, &key.ty);
        }
        slot
    }

    fn store_key_scalar(&mut self, dst: &V, x: V, ty: &Type) {
        // -0.0 + 0.0 is 0.0 and every other float is itself: one representation of zero, as
        // Python's `-0.0 == 0.0` needs.
        let x = if ty.scalar().is_some_and(Scalar::is_float) {
            self.inst(x.t, format!("fadd {} {}, 0.0", x.t, x.r))
        } else {
            x
        };
        self.store_item(dst, x, ty);
    }

    fn dict_mi(&mut self, d: &V) -> V {
        self.inst(Ty::Ptr, format!("load ptr, ptr {}", d.r))
    }

    /// The value slot of `key`'s entry, made when missing.
    fn dict_insert(&mut self, d: &V, key: &V) -> V {
        let mi = self.dict_mi(d);
        let f = self.dict_host_fn("dict_insert");
        let p = self.inst(Ty::Ptr, format!("call ptr {}(ptr {}, ptr {})", f.r, mi.r, key.r));
        let failed = self.inst(Ty::I1, format!("icmp eq ptr {}, null", p.r));
        self.raise_if(&failed, "MemoryError", "cannot grow the dict");
        p
    }

    fn dict_lookup(&mut self, d: &V, key: &V) -> V {
        let mi = self.dict_mi(d);
        let f = self.dict_host_fn("dict_lookup");
        self.inst(Ty::Ptr, format!("call ptr {}(ptr {}, ptr {})", f.r, mi.r, key.r))
    }

    /// A value read from `p`; a tuple, list or array is copied out (its reference taken once
    /// more), since the entry may move when the dict changes.
    pub(super) fn dict_load(&mut self, p: V, value: &Type) -> V {
        let v = self.load_item(p, value);
        if value.tuple().is_none() && !value.holds_arrays() {
            return v;
        }
        let slot = self.new_tuple_temp(value);
        self.copy_value(&slot.r, &v, value);
        self.incref_value(&slot.r, value);
        slot
    }

    /// A default argument, stored in a scratch slot so that it can stand where an entry's value
    /// would.
    fn dict_default(&mut self, e: &Expr, value: &Type) -> V {
        let v = self.expr(e);
        let slot = self.scratch(value);
        self.store_item(&slot, v, value);
        slot
    }

    /// Raises KeyError naming the key (in `key`, its canonical bytes) when `cond` is true.
    pub(super) fn raise_key_error_if(&mut self, cond: &V, key: &V, kt: &Type) {
        let bad = self.new_label("keyerror");
        let ok = self.new_label("ok");
        self.terminate(format!("br i1 {}, label %{bad}, label %{ok}, !prof !1", cond.r));
        self.start_block(&bad);
        let message = match kt.scalar() {
            Some(s) => {
                let k = self.load_item(key.clone(), kt);
                let (kind, int, re, im) = self.number_args(k, s);
                let f = self.dict_host_fn("key_error");
                self.inst(
                    Ty::Ptr,
                    format!("call ptr {}(i32 {kind}, i64 {int}, double {re}, double {im})", f.r),
                )
                .r
            }
            None => self.message("KeyError", "key not found in the dict"),
        };
        self.raise_message(&message);
        self.start_block(&ok);
    }

    pub(super) fn dict_len(&mut self, d: &V) -> V {
        let mi = self.dict_mi(d);
        let data_p = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds i8, ptr {}, i64 {MEMINFO_DATA}", mi.r),
        );
        let header = self.inst(Ty::Ptr, format!("load ptr, ptr {}", data_p.r));
        self.inst(Ty::I64, format!("load i64, ptr {}", header.r))
    }

    pub(super) fn dict_op(&mut self, op: DictOp, dict: &Expr, args: &[Expr], ty: &Type) -> V {
        let (kt, vt) = dict.ty.dict_types().expect("a dict");
        let (kt, vt) = (kt.clone(), vt.clone());
        let (ks, voff, es) = entry_layout(&kt, &vt);
        let d = self.expr(dict);
        let none = V {
            r: "0".into(),
            t: Ty::I8,
        };
        match op {
            DictOp::Len => self.dict_len(&d),
            DictOp::Get => {
                let key = self.dict_key(&args[0]);
                let p = self.dict_lookup(&d, &key);
                let missing = self.inst(Ty::I1, format!("icmp eq ptr {}, null", p.r));
                self.raise_key_error_if(&missing, &key, &kt);
                self.dict_load(p, &vt)
            }
            DictOp::Set => {
                let key = self.dict_key(&args[0]);
                let value = self.expr(&args[1]);
                let p = self.dict_insert(&d, &key);
                // A new entry's value is zeroed: no reference to drop.
                self.release_value(&p.r, &vt);
                self.store_item(&p, value, &vt);
                none
            }
            DictOp::Contains => {
                let key = self.dict_key(&args[0]);
                let p = self.dict_lookup(&d, &key);
                self.inst(Ty::I1, format!("icmp ne ptr {}, null", p.r))
            }
            DictOp::GetOr => {
                let key = self.dict_key(&args[0]);
                let default = self.dict_default(&args[1], &vt);
                let p = self.dict_lookup(&d, &key);
                let missing = self.inst(Ty::I1, format!("icmp eq ptr {}, null", p.r));
                let src = self.inst(
                    Ty::Ptr,
                    format!("select i1 {}, ptr {}, ptr {}", missing.r, default.r, p.r),
                );
                self.dict_load(src, &vt)
            }
            DictOp::Pop | DictOp::PopOr => {
                let key = self.dict_key(&args[0]);
                let default = (op == DictOp::PopOr).then(|| self.dict_default(&args[1], &vt));
                let out = if *ty == Type::None {
                    V {
                        r: "null".into(),
                        t: Ty::Ptr,
                    }
                } else if vt.holds_arrays() {
                    // The value's reference moves here; the temporary owns it.
                    self.new_tuple_temp(&vt)
                } else {
                    self.scratch(&vt)
                };
                let mi = self.dict_mi(&d);
                let f = self.dict_host_fn("dict_remove");
                let found = self.inst(
                    Ty::I32,
                    format!("call i32 {}(ptr {}, ptr {}, ptr {})", f.r, mi.r, key.r, out.r),
                );
                let missing = self.inst(Ty::I1, format!("icmp eq i32 {}, 0", found.r));
                match default {
                    None => {
                        self.raise_key_error_if(&missing, &key, &kt);
                        if *ty == Type::None {
                            return none;
                        }
                        if vt.holds_arrays() {
                            return out;
                        }
                        self.dict_load(out, &vt)
                    }
                    Some(default) => {
                        let src = self.inst(
                            Ty::Ptr,
                            format!("select i1 {}, ptr {}, ptr {}", missing.r, default.r, out.r),
                        );
                        self.dict_load(src, &vt)
                    }
                }
            }
            DictOp::SetDefault if vt.holds_arrays() => {
                let key = self.dict_key(&args[0]);
                let default = self.expr(&args[1]);
                let before = self.dict_len(&d);
                let p = self.dict_insert(&d, &key);
                let after = self.dict_len(&d);
                let inserted = self.inst(Ty::I1, format!("icmp ne i64 {}, {}", before.r, after.r));
                let store = self.new_label("dict.setdefault");
                let done = self.new_label("dict.has");
                self.terminate(format!("br i1 {}, label %{store}, label %{done}", inserted.r));
                self.start_block(&store);
                // Copied with one more reference, not moved: the default is dropped at the end
                // of the statement on either path.
                self.copy_value(&p.r, &default, &vt);
                self.incref_value(&p.r, &vt);
                self.terminate(format!("br label %{done}"));
                self.start_block(&done);
                self.dict_load(p, &vt)
            }
            DictOp::SetDefault => {
                let key = self.dict_key(&args[0]);
                let default = self.dict_default(&args[1], &vt);
                let before = self.dict_len(&d);
                let p = self.dict_insert(&d, &key);
                let after = self.dict_len(&d);
                let inserted = self.inst(Ty::I1, format!("icmp ne i64 {}, {}", before.r, after.r));
                let src = self.inst(
                    Ty::Ptr,
                    format!("select i1 {}, ptr {}, ptr {}", inserted.r, default.r, p.r),
                );
                let (vsize, _) = storage_size(&vt);
                self.declare(
                    "declare void @llvm.memmove.p0.p0.i64(ptr nocapture writeonly, ptr nocapture readonly, i64, i1)"
                        .into(),
                );
                self.emit(format!(
                    "call void @llvm.memmove.p0.p0.i64(ptr {}, ptr {}, i64 {vsize}, i1 false)",
                    p.r, src.r
                ));
                self.dict_load(p, &vt)
            }
            DictOp::PopItem => {
                // The result tuple is laid out as an entry: the key and the value move into it.
                let out = self.new_tuple_temp(ty);
                let value = self.inst(Ty::Ptr, format!("getelementptr inbounds i8, ptr {}, i64 {voff}", out.r));
                let mi = self.dict_mi(&d);
                let f = self.dict_host_fn("dict_popitem");
                let found = self.inst(
                    Ty::I32,
                    format!("call i32 {}(ptr {}, ptr {}, ptr {})", f.r, mi.r, out.r, value.r),
                );
                let empty = self.inst(Ty::I1, format!("icmp eq i32 {}, 0", found.r));
                self.raise_if(&empty, "KeyError", "popitem(): dictionary is empty");
                out
            }
            DictOp::Update => {
                let other = self.expr(&args[0]);
                let src = self.dict_mi(&other);
                let mi = self.dict_mi(&d);
                let f = self.dict_host_fn("dict_update");
                let ok = self.inst(Ty::I32, format!("call i32 {}(ptr {}, ptr {})", f.r, mi.r, src.r));
                let failed = self.inst(Ty::I1, format!("icmp eq i32 {}, 0", ok.r));
                self.raise_if(&failed, "MemoryError", "cannot grow the dict");
                none
            }
            DictOp::Clear => {
                let mi = self.dict_mi(&d);
                let f = self.dict_host_fn("dict_clear");
                self.emit(format!("call void {}(ptr {})", f.r, mi.r));
                none
            }
            DictOp::Copy => {
                let mi = self.dict_mi(&d);
                let f = self.dict_host_fn("dict_copy");
                let copy = self.inst(Ty::Ptr, format!("call ptr {}(ptr {})", f.r, mi.r));
                self.owned_header(copy, ty)
            }
            DictOp::Keys | DictOp::Values | DictOp::Items => {
                let (offset, size) = match op {
                    DictOp::Keys => (0, ks),
                    DictOp::Values => (voff, storage_size(&vt).0),
                    _ => (0, es),
                };
                let mi = self.dict_mi(&d);
                let f = self.dict_host_fn("dict_list");
                let list = self.inst(
                    Ty::Ptr,
                    format!("call ptr {}(ptr {}, i64 {offset}, i64 {size})", f.r, mi.r),
                );
                self.owned_header(list, ty)
            }
        }
    }
}
