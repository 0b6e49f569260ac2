//! Lists: a value is `{ header meminfo, owner }` (see `memory::LIST_TYPE`); the header buffer
//! holds `{ len, cap, items }` and keeps the items buffer as its meminfo's `dependent`, so
//! growing replaces the items buffer while every reference sees the same list.
//!
//! Items that hold references (arrays, lists) own one each: a store or an append takes it, a
//! store over an item or `clear` drops the old one's, `pop` moves it out, a read hands out a
//! temporary with one more, and the list's last reference drops them all (see
//! `memory::list_release`).

use kcache_abi::llvm::{MEMINFO_DATA, MEMINFO_DEPENDENT};

use super::memory::{storage_size, storage_type, LIST_HEADER};
use super::*;

/// Items a new list has room for before it first grows.
const MIN_CAPACITY: i64 = 4;

impl<'p> Lowerer<'p> {
    pub(super) fn list_new(&mut self, items: &[Expr], ty: &Type) -> V {
        let item = ty.list_item().expect("a list");
        let values: Vec<V> = items.iter().map(|e| self.expr(e)).collect();
        let n = items.len() as i64;
        let cap = konst(n.max(MIN_CAPACITY));
        let slot = self.new_tuple_temp(ty);
        let header_bytes = konst(24);
        let header_mi = self.host_alloc(&header_bytes, "cannot allocate a list");
        // Owned from here on: a MemoryError for the items frees the header with the temporary.
        self.emit(format!("store ptr {}, ptr {}", header_mi.r, slot.r));
        let owner = self.inst(Ty::Ptr, format!("getelementptr inbounds i8, ptr {}, i64 8", slot.r));
        self.emit(format!("store ptr {}, ptr {}", header_mi.r, owner.r));
        let dep = self.field_ptr(&header_mi, MEMINFO_DEPENDENT);
        self.emit(format!("store ptr null, ptr {}", dep.r));
        let header = self.list_header(&slot);
        self.emit(format!(
            "store {LIST_HEADER} {{ i64 0, i64 0, ptr null }}, ptr {}",
            header.r
        ));
        // An empty list of no item type yet gets no items buffer: seen later as a list of some
        // type (an item of a list of lists), its first append makes one of the right size.
        if *item != Type::None {
            self.list_reserve(&slot, item, &cap);
        }
        let data = self.list_items(&header);
        for (k, (v, e)) in values.into_iter().zip(items).enumerate() {
            let v = self.cast(v, &e.ty, item);
            let p = self.item_ptr(&data, item, &konst(k as i64));
            self.store_item(&p, v, item);
        }
        let len_p = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds {LIST_HEADER}, ptr {}, i32 0, i32 0", header.r),
        );
        self.emit(format!("store i64 {n}, ptr {}", len_p.r));
        slot
    }

    pub(super) fn list_op(&mut self, op: ListOp, list: &Expr, args: &[Expr], ty: &Type) -> V {
        let item = list.ty.list_item().expect("a list").clone();
        let l = self.expr(list);
        let header = self.list_header(&l);
        let len_p = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds {LIST_HEADER}, ptr {}, i32 0, i32 0", header.r),
        );
        let len = self.inst(Ty::I64, format!("load i64, ptr {}", len_p.r));
        let none = V {
            r: "0".into(),
            t: Ty::I8,
        };
        match op {
            ListOp::Len => len,
            ListOp::Get => {
                let i = self.expr(&args[0]);
                let i = self.list_index(&i, &len, "list index out of range");
                let data = self.list_items(&header);
                let p = self.item_ptr(&data, &item, &i);
                let v = self.load_item(p, &item);
                self.hold_item(v, &item)
            }
            ListOp::Set => {
                let i = self.expr(&args[0]);
                let v = self.expr(&args[1]);
                let v = self.cast(v, &args[1].ty, &item);
                let i = self.list_index(&i, &len, "list assignment index out of range");
                let data = self.list_items(&header);
                let p = self.item_ptr(&data, &item, &i);
                if item.holds_arrays() {
                    // The new item's reference is taken before the old one's is dropped:
                    // `l[0] = l[0]` keeps the item alive.
                    self.acquire_value(&v, &item);
                    self.release_value(&p.r, &item);
                    self.copy_value(&p.r, &v, &item);
                } else {
                    self.store_item(&p, v, &item);
                }
                none
            }
            ListOp::Append => {
                let v = self.expr(&args[0]);
                let v = self.cast(v, &args[0].ty, &item);
                let needed = self.inst(Ty::I64, format!("add i64 {}, 1", len.r));
                self.list_reserve(&l, &item, &needed);
                let data = self.list_items(&header);
                let p = self.item_ptr(&data, &item, &len);
                self.store_item(&p, v, &item);
                self.emit(format!("store i64 {}, ptr {}", needed.r, len_p.r));
                none
            }
            ListOp::Pop => {
                let i = self.expr(&args[0]);
                let empty = self.inst(Ty::I1, format!("icmp eq i64 {}, 0", len.r));
                self.raise_if(&empty, "IndexError", "pop from empty list");
                let i = self.list_index(&i, &len, "pop index out of range");
                let data = self.list_items(&header);
                let p = self.item_ptr(&data, &item, &i);
                let v = self.load_item(p.clone(), &item);
                // The value leaves the buffer before the rest moves down over it.
                let v = self.spill(v, &item);
                let next = self.inst(Ty::I64, format!("add i64 {}, 1", i.r));
                let from = self.item_ptr(&data, &item, &next);
                let rest = self.inst(Ty::I64, format!("sub i64 {}, {}", len.r, next.r));
                self.move_items(&p, &from, &rest, &item);
                let shorter = self.inst(Ty::I64, format!("sub i64 {}, 1", len.r));
                self.emit(format!("store i64 {}, ptr {}", shorter.r, len_p.r));
                v
            }
            ListOp::Insert => {
                let i = self.expr(&args[0]);
                let v = self.expr(&args[1]);
                let v = self.cast(v, &args[1].ty, &item);
                // Python clamps the position into [0, len].
                let neg = self.inst(Ty::I1, format!("icmp slt i64 {}, 0", i.r));
                let from_end = self.inst(Ty::I64, format!("add i64 {}, {}", i.r, len.r));
                let i = self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", neg.r, from_end.r, i.r));
                let i = self.clamp(&i, &len);
                let needed = self.inst(Ty::I64, format!("add i64 {}, 1", len.r));
                self.list_reserve(&l, &item, &needed);
                let data = self.list_items(&header);
                let at = self.item_ptr(&data, &item, &i);
                let next = self.inst(Ty::I64, format!("add i64 {}, 1", i.r));
                let to = self.item_ptr(&data, &item, &next);
                let rest = self.inst(Ty::I64, format!("sub i64 {}, {}", len.r, i.r));
                self.move_items(&to, &at, &rest, &item);
                self.store_item(&at, v, &item);
                self.emit(format!("store i64 {}, ptr {}", needed.r, len_p.r));
                none
            }
            ListOp::Extend => {
                let other = self.expr(&args[0]);
                let other_header = self.list_header(&other);
                let other_len = self.inst(Ty::I64, format!("load i64, ptr {}", other_header.r));
                let needed = self.inst(Ty::I64, format!("add i64 {}, {}", len.r, other_len.r));
                self.list_reserve(&l, &item, &needed);
                // Read the other list's items after growing: it may be this list.
                let data = self.list_items(&header);
                let src = self.list_items(&other_header);
                let dst = self.item_ptr(&data, &item, &len);
                self.move_items(&dst, &src, &other_len, &item);
                if item.holds_arrays() {
                    // Both lists hold the copied items now.
                    let item_c = item.clone();
                    self.simple_loop(&other_len, &mut |lw, k| {
                        let p = lw.item_ptr(&dst, &item_c, k);
                        lw.incref_value(&p.r, &item_c);
                    });
                }
                self.emit(format!("store i64 {}, ptr {}", needed.r, len_p.r));
                none
            }
            ListOp::Clear => {
                if item.holds_arrays() {
                    let data = self.list_items(&header);
                    let item_c = item.clone();
                    self.simple_loop(&len, &mut |lw, k| {
                        let p = lw.item_ptr(&data, &item_c, k);
                        lw.release_value(&p.r, &item_c);
                    });
                }
                self.emit(format!("store i64 0, ptr {}", len_p.r));
                none
            }
            ListOp::ToArray => {
                let dt = ty.array().expect("an array result").dtype;
                let out = self.alloc_array(dt, std::slice::from_ref(&len));
                let out_data = self.array_field(&out, kcache_abi::llvm::ARRAY_DATA, Ty::Ptr);
                let data = self.list_items(&header);
                let item_c = item.clone();
                self.simple_loop(&len, &mut |lw, k| {
                    let p = lw.item_ptr(&data, &item_c, k);
                    let v = lw.load_item(p, &item_c);
                    let v = lw.cast(v, &item_c, &Type::Scalar(dt));
                    lw.store_element(&out_data, dt, k, &v);
                });
                out
            }
        }
    }

    /// The header (`LIST_HEADER`) of a list value.
    fn list_header(&mut self, list: &V) -> V {
        let mi = self.inst(Ty::Ptr, format!("load ptr, ptr {}", list.r));
        let p = self.field_ptr(&mi, MEMINFO_DATA);
        self.inst(Ty::Ptr, format!("load ptr, ptr {}", p.r))
    }

    fn list_items(&mut self, header: &V) -> V {
        let p = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds {LIST_HEADER}, ptr {}, i32 0, i32 2", header.r),
        );
        self.inst(Ty::Ptr, format!("load ptr, ptr {}", p.r))
    }

    fn field_ptr(&mut self, base: &V, offset: u64) -> V {
        self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds i8, ptr {}, i64 {offset}", base.r),
        )
    }

    fn item_ptr(&mut self, data: &V, item: &Type, i: &V) -> V {
        self.inst(
            Ty::Ptr,
            format!(
                "getelementptr inbounds {}, ptr {}, i64 {}",
                storage_type(item),
                data.r,
                i.r
            ),
        )
    }

    /// An item read from a list, when it holds references (an array, a list): a temporary
    /// copy with one more, since the list may drop its own (a store, a pop, growing moves the
    /// items buffer) while the value is in use.
    fn hold_item(&mut self, v: V, item: &Type) -> V {
        if !item.holds_arrays() {
            return v;
        }
        let slot = self.new_tuple_temp(item);
        self.copy_value(&slot.r, &v, item);
        self.incref_value(&slot.r, item);
        slot
    }

    /// A popped tuple, array or list copied out of the items buffer (which the pop then
    /// overwrites); the list's reference moves to the copy, a temporary.
    fn spill(&mut self, v: V, item: &Type) -> V {
        if item.tuple().is_none() && !item.holds_arrays() {
            return v;
        }
        let slot = self.new_tuple_temp(item);
        self.copy_value(&slot.r, &v, item);
        slot
    }

    /// `i` (negative counts from the end) checked against `len`: IndexError with `message`.
    fn list_index(&mut self, i: &V, len: &V, message: &str) -> V {
        let neg = self.inst(Ty::I1, format!("icmp slt i64 {}, 0", i.r));
        let from_end = self.inst(Ty::I64, format!("add i64 {}, {}", i.r, len.r));
        let i = self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", neg.r, from_end.r, i.r));
        let out = self.inst(Ty::I1, format!("icmp uge i64 {}, {}", i.r, len.r));
        self.raise_if(&out, "IndexError", message);
        i
    }

    fn clamp(&mut self, i: &V, len: &V) -> V {
        let low = self.inst(Ty::I1, format!("icmp slt i64 {}, 0", i.r));
        let i = self.inst(Ty::I64, format!("select i1 {}, i64 0, i64 {}", low.r, i.r));
        let high = self.inst(Ty::I1, format!("icmp sgt i64 {}, {}", i.r, len.r));
        self.inst(Ty::I64, format!("select i1 {}, i64 {}, i64 {}", high.r, len.r, i.r))
    }

    fn move_items(&mut self, dst: &V, src: &V, count: &V, item: &Type) {
        let size = storage_size(item).0;
        let bytes = self.inst(Ty::I64, format!("mul i64 {}, {size}", count.r));
        self.declare(
            "declare void @llvm.memmove.p0.p0.i64(ptr nocapture writeonly, ptr nocapture readonly, i64, i1)".into(),
        );
        self.emit(format!(
            "call void @llvm.memmove.p0.p0.i64(ptr {}, ptr {}, i64 {}, i1 false)",
            dst.r, src.r, bytes.r
        ));
    }

    /// Makes room for `needed` items: a new items buffer (double the capacity, or `needed`)
    /// with the old items copied over, the old one released.
    fn list_reserve(&mut self, list: &V, item: &Type, needed: &V) {
        let header = self.list_header(list);
        let cap_p = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds {LIST_HEADER}, ptr {}, i32 0, i32 1", header.r),
        );
        let cap = self.inst(Ty::I64, format!("load i64, ptr {}", cap_p.r));
        let full = self.inst(Ty::I1, format!("icmp sgt i64 {}, {}", needed.r, cap.r));
        let grow = self.new_label("list.grow");
        let done = self.new_label("list.room");
        self.terminate(format!("br i1 {}, label %{grow}, label %{done}", full.r));
        self.start_block(&grow);
        let doubled = self.inst(Ty::I64, format!("shl i64 {}, 1", cap.r));
        let bigger = self.inst(Ty::I1, format!("icmp sgt i64 {}, {}", needed.r, doubled.r));
        let new_cap = self.inst(
            Ty::I64,
            format!("select i1 {}, i64 {}, i64 {}", bigger.r, needed.r, doubled.r),
        );
        let size = storage_size(item).0;
        self.declare("declare { i64, i1 } @llvm.smul.with.overflow.i64(i64, i64)".into());
        let m = self.inst(
            Ty::Ptr,
            format!(
                "call {{ i64, i1 }} @llvm.smul.with.overflow.i64(i64 {}, i64 {size})",
                new_cap.r
            ),
        );
        let nbytes = self.inst(Ty::I64, format!("extractvalue {{ i64, i1 }} {}, 0", m.r));
        let overflow = self.inst(Ty::I1, format!("extractvalue {{ i64, i1 }} {}, 1", m.r));
        self.raise_if(&overflow, "MemoryError", "the list is too long");
        let items_mi = self.host_alloc(&nbytes, "cannot grow the list");
        let new_data_p = self.field_ptr(&items_mi, MEMINFO_DATA);
        let new_data = self.inst(Ty::Ptr, format!("load ptr, ptr {}", new_data_p.r));
        let len_p = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds {LIST_HEADER}, ptr {}, i32 0, i32 0", header.r),
        );
        let len = self.inst(Ty::I64, format!("load i64, ptr {}", len_p.r));
        let old_data = self.list_items(&header);
        self.move_items(&new_data, &old_data, &len, item);
        let header_mi = self.inst(Ty::Ptr, format!("load ptr, ptr {}", list.r));
        let dep = self.field_ptr(&header_mi, MEMINFO_DEPENDENT);
        let old_mi = self.inst(Ty::Ptr, format!("load ptr, ptr {}", dep.r));
        self.emit(format!("store ptr {}, ptr {}", items_mi.r, dep.r));
        let items_p = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds {LIST_HEADER}, ptr {}, i32 0, i32 2", header.r),
        );
        self.emit(format!("store ptr {}, ptr {}", new_data.r, items_p.r));
        self.emit(format!("store i64 {}, ptr {}", new_cap.r, cap_p.r));
        self.refcount_mi(&old_mi, false);
        self.terminate(format!("br label %{done}"));
        self.start_block(&done);
    }
}

fn konst(v: i64) -> V {
    V {
        r: v.to_string(),
        t: Ty::I64,
    }
}
