//! Arrays in generated code, and who owns their memory (Numba's model, simplified).
//!
//! An array value is a pointer to a descriptor: `kc_array`'s layout, whose `owner` is the
//! reference-counted buffer (`kc_meminfo`) the data lives in, or null for memory the caller
//! owns. Descriptors live in stack slots: every array variable has one, and so does every
//! array an expression makes (a temporary). The rules:
//! - a variable owns one reference to its buffer; assigning acquires the new value (a
//!   temporary's reference moves, anything else is increfed) before the old one is dropped;
//! - a temporary owns one reference until the statement that made it ends, unless it moved into
//!   a variable or a result;
//! - a parameter the function rebinds is acquired on entry; one it never rebinds borrows the
//!   caller's reference (the caller's variable or temporary holds it until the call returns),
//!   which saves every kernel taking arrays a reference count on entry and one per exit;
//! - every exit (return, exception) drops every variable's reference but a borrowed parameter's.
//!
//! Arrays the caller passes have a null owner (the entries clear it), so code that never
//! allocates has no reference counting left after LLVM folds the null checks.

use std::fmt::Write as _;

use kcache_abi::llvm::{host_field, ARRAY_OWNER, ARRAY_SIZE, MEMINFO_DATA, MEMINFO_REFCOUNT};

use super::*;

/// The LLVM type of a descriptor.
pub(super) const ARRAY_TYPE: &str = "%kc.array";

/// Any array type: releasing and acquiring an array do not depend on its dtype or shape.
const ANY_ARRAY: Type = Type::Array(ArrayType {
    dtype: Scalar::F64,
    ndim: 1,
    layout: Layout::A,
});

/// How a value of `ty` is laid out in memory (a tuple's fields, a variable of it): bool as a
/// byte, arrays as descriptors, tuples as structs (C's layout, so a C caller can read them).
pub(super) fn storage_type(ty: &Type) -> String {
    match ty {
        Type::Scalar(s) => llvm_mem(*s).to_string(),
        Type::Array(_) => ARRAY_TYPE.to_string(),
        Type::Tuple(items) => {
            let fields: Vec<String> = items.iter().map(storage_type).collect();
            format!("{{ {} }}", fields.join(", "))
        }
        Type::IntTuple(n) => format!("[{n} x i64]"),
        Type::None => "i8".to_string(),
        // A dict is a list's `{ header, owner }`: only the header's contents differ.
        Type::List(_) | Type::Dict(..) | Type::Set(_) => LIST_TYPE.to_string(),
        Type::Optional(_) => unreachable!("inference lowers Optional to a tuple"),
    }
}

/// A list value: its header buffer (what it reads) and the reference it owns (the same
/// buffer, or null when it borrows, as a parallel region's copy does). The header buffer holds
/// `LIST_HEADER` and keeps the items buffer in its meminfo's `reserved`, so that the host frees
/// both with the last reference.
pub(super) const LIST_TYPE: &str = "{ ptr, ptr }";
/// Byte offset of a list value's owner.
pub(super) const LIST_OWNER: u64 = 8;
/// The header: length, capacity (items), the items' first byte.
pub(super) const LIST_HEADER: &str = "{ i64, i64, ptr }";

/// (size, alignment) of `storage_type(ty)` under C's (and LLVM's x86-64) rules.
pub(super) fn storage_size(ty: &Type) -> (u64, u64) {
    match ty {
        Type::Scalar(s) => {
            // A complex number is aligned as its parts are.
            let n = s.itemsize() as u64;
            (n, s.real_part().itemsize() as u64)
        }
        Type::Array(_) => (ARRAY_SIZE, 8),
        Type::Tuple(items) => {
            let (mut size, mut align) = (0u64, 1u64);
            for item in items {
                let (s, a) = storage_size(item);
                size = size.div_ceil(a) * a + s;
                align = align.max(a);
            }
            (size.div_ceil(align) * align, align)
        }
        Type::IntTuple(n) => (8 * *n as u64, 8),
        Type::None => (1, 1),
        Type::List(_) | Type::Dict(..) | Type::Set(_) => (16, 8),
        Type::Optional(_) => unreachable!("inference lowers Optional to a tuple"),
    }
}

/// Stores null into every array owner inside a fresh slot (the allocas of a function).
pub(super) fn null_owners(out: &mut String, slot: &str, ty: &Type, counter: &mut usize) {
    match ty {
        Type::List(_) | Type::Dict(..) | Type::Set(_) => {
            *counter += 1;
            let _ = writeln!(
                out,
                "  {slot}.o{counter} = getelementptr inbounds i8, ptr {slot}, i64 {LIST_OWNER}\n  store ptr null, ptr {slot}.o{counter}"
            );
        }
        Type::Array(_) => {
            *counter += 1;
            let _ = writeln!(
                out,
                "  {slot}.o{counter} = getelementptr inbounds i8, ptr {slot}, i64 {ARRAY_OWNER}\n  store ptr null, ptr {slot}.o{counter}"
            );
        }
        Type::Tuple(items) => {
            let st = storage_type(ty);
            for (k, item) in items.iter().enumerate() {
                if item.holds_arrays() {
                    *counter += 1;
                    let field = format!("{slot}.f{counter}");
                    let _ = writeln!(
                        out,
                        "  {field} = getelementptr inbounds {st}, ptr {slot}, i32 0, i32 {k}"
                    );
                    null_owners(out, &field, item, counter);
                }
            }
        }
        _ => {}
    }
}

impl<'p> Lowerer<'p> {
    /// A descriptor slot in the entry block, owning nothing yet.
    pub(super) fn array_slot(&mut self) -> String {
        let slot = self.fresh();
        let _ = writeln!(
            self.allocas,
            "  {slot} = alloca {ARRAY_TYPE}, align 8\n  {slot}.o = getelementptr inbounds i8, ptr {slot}, i64 {ARRAY_OWNER}\n  store ptr null, ptr {slot}.o"
        );
        slot
    }

    /// A temporary descriptor, owned until the current statement ends.
    pub(super) fn new_temp(&mut self) -> V {
        let slot = self.array_slot();
        self.temps.push((slot.clone(), ANY_ARRAY));
        V { r: slot, t: Ty::Ptr }
    }

    /// A slot for a value of `ty` (an array or a tuple), its array owners null.
    pub(super) fn owned_slot(&mut self, ty: &Type) -> String {
        if ty.array().is_some() {
            return self.array_slot();
        }
        let slot = self.fresh();
        let _ = writeln!(self.allocas, "  {slot} = alloca {}, align 8", storage_type(ty));
        let mut init = String::new();
        null_owners(&mut init, &slot, ty, &mut 0);
        self.allocas.push_str(&init);
        slot
    }

    /// A temporary tuple, owned until the current statement ends.
    pub(super) fn new_tuple_temp(&mut self, ty: &Type) -> V {
        let slot = self.owned_slot(ty);
        self.temps.push((slot.clone(), ty.clone()));
        V { r: slot, t: Ty::Ptr }
    }

    /// Every array and list inside a value at `ptr` of type `ty` (the value itself, or a
    /// tuple's items): each one's pointer, and its type when it is a list or a dict.
    fn arrays_in(&mut self, ptr: &str, ty: &Type, out: &mut Vec<(String, Option<Type>)>) {
        match ty {
            Type::Array(_) => out.push((ptr.to_string(), None)),
            Type::List(_) | Type::Dict(..) | Type::Set(_) => out.push((ptr.to_string(), Some(ty.clone()))),
            Type::Tuple(items) => {
                let st = storage_type(ty);
                for (k, item) in items.iter().enumerate() {
                    if item.holds_arrays() {
                        let f = self.inst(
                            Ty::Ptr,
                            format!("getelementptr inbounds {st}, ptr {ptr}, i32 0, i32 {k}"),
                        );
                        self.arrays_in(&f.r, item, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// Drops the references a value holds and clears their owners.
    pub(super) fn release_value(&mut self, ptr: &str, ty: &Type) {
        let mut refs = Vec::new();
        self.arrays_in(ptr, ty, &mut refs);
        for (a, list) in refs {
            let v = V {
                r: a.clone(),
                t: Ty::Ptr,
            };
            let owner = if let Some(list) = list {
                self.list_release(&v, &list);
                LIST_OWNER
            } else {
                self.decref(&v);
                ARRAY_OWNER
            };
            let p = self.inst(Ty::Ptr, format!("getelementptr inbounds i8, ptr {a}, i64 {owner}"));
            self.emit(format!("store ptr null, ptr {}", p.r));
        }
    }

    pub(super) fn incref_value(&mut self, ptr: &str, ty: &Type) {
        let mut refs = Vec::new();
        self.arrays_in(ptr, ty, &mut refs);
        for (a, list) in refs {
            let v = V { r: a, t: Ty::Ptr };
            if list.is_some() {
                self.list_refcount(&v, true);
            } else {
                self.incref(&v);
            }
        }
    }

    /// Increments (or decrements, freeing with the last) a reference to a meminfo (null: none).
    pub(super) fn refcount_mi(&mut self, mi: &V, up: bool) {
        self.refcount_helpers();
        let f = if up { "kc.incref.mi" } else { "kc.decref.mi" };
        self.emit(format!("call void @{f}(ptr {})", mi.r));
    }

    /// Increments (or decrements, freeing with the last) the reference a list value owns.
    pub(super) fn list_refcount(&mut self, list: &V, up: bool) {
        self.refcount_helpers();
        let (name, helper) = if up {
            ("kc.list.incref", "kc.incref.mi")
        } else {
            ("kc.list.decref", "kc.decref.mi")
        };
        self.declare(format!(
            "define internal void @{name}(ptr %l) #0 {{\nentry:\n  %op = getelementptr inbounds i8, ptr %l, i64 {LIST_OWNER}\n  %o = load ptr, ptr %op\n  call void @{helper}(ptr %o)\n  ret void\n}}\n"
        ));
        self.emit(format!("call void @{name}(ptr {})", list.r));
    }

    /// Drops the reference a list (or dict) value owns. A list whose items hold references
    /// drops theirs with its last one: the host's release knows nothing of items, so a
    /// function made here for the item type walks them first.
    pub(super) fn list_release(&mut self, list: &V, ty: &Type) {
        match ty.list_item() {
            Some(item) if item.holds_arrays() => {
                let f = self.list_teardown(ty);
                self.emit(format!("call void @{f}(ptr {})", list.r));
            }
            _ => self.list_refcount(list, false),
        }
    }

    /// The function dropping a reference to a list of `ty` whose items hold references (see
    /// `list_release`); its name, declared once per item type.
    fn list_teardown(&mut self, ty: &Type) -> String {
        self.refcount_helpers();
        let item = ty.list_item().expect("a list");
        let mangled: String = item
            .to_string()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let name = format!("kc.list.decref.{mangled}");
        let drop_item = match item {
            Type::Array(_) => "call void @kc.decref(ptr %p)".to_string(),
            Type::List(_) if item.list_item().is_some_and(Type::holds_arrays) => {
                let inner = self.list_teardown(item);
                format!("call void @{inner}(ptr %p)")
            }
            Type::List(_) | Type::Dict(..) => format!(
                "%q = getelementptr inbounds i8, ptr %p, i64 {LIST_OWNER}\n  %qo = load ptr, ptr %q\n  call void @kc.decref.mi(ptr %qo)"
            ),
            other => unreachable!("list items of {other} hold no references"),
        };
        let release = host_field("release").global();
        let st = storage_type(item);
        self.declare(format!(
            "define internal void @{name}(ptr %l) #0 {{\nentry:\n  %op = getelementptr inbounds i8, ptr %l, i64 {LIST_OWNER}\n  %o = load ptr, ptr %op\n  %has = icmp ne ptr %o, null\n  br i1 %has, label %dec, label %done\ndec:\n  %rc = getelementptr inbounds i8, ptr %o, i64 {MEMINFO_REFCOUNT}\n  %old = atomicrmw sub ptr %rc, i64 1 acq_rel\n  %last = icmp eq i64 %old, 1\n  br i1 %last, label %free, label %done\nfree:\n  %dp = getelementptr inbounds i8, ptr %o, i64 {MEMINFO_DATA}\n  %h = load ptr, ptr %dp\n  %len = load i64, ptr %h\n  %ip = getelementptr inbounds {LIST_HEADER}, ptr %h, i32 0, i32 2\n  %items = load ptr, ptr %ip\n  br label %loop\nloop:\n  %i = phi i64 [ 0, %free ], [ %next, %body ]\n  %more = icmp slt i64 %i, %len\n  br i1 %more, label %body, label %release\nbody:\n  %p = getelementptr inbounds {st}, ptr %items, i64 %i\n  {drop_item}\n  %next = add i64 %i, 1\n  br label %loop\nrelease:\n  %rel = load ptr, ptr {release}\n  call void %rel(ptr %o)\n  br label %done\ndone:\n  ret void\n}}\n"
        ));
        name
    }

    fn refcount_helpers(&mut self) {
        let release = host_field("release").global();
        // On a meminfo (null: nothing owned).
        self.declare(format!(
            "define internal void @kc.incref.mi(ptr %o) #0 {{\nentry:\n  %has = icmp ne ptr %o, null\n  br i1 %has, label %inc, label %done\ninc:\n  %rc = getelementptr inbounds i8, ptr %o, i64 {MEMINFO_REFCOUNT}\n  %old = atomicrmw add ptr %rc, i64 1 monotonic\n  br label %done\ndone:\n  ret void\n}}\n"
        ));
        self.declare(format!(
            "define internal void @kc.decref.mi(ptr %o) #0 {{\nentry:\n  %has = icmp ne ptr %o, null\n  br i1 %has, label %dec, label %done\ndec:\n  %rc = getelementptr inbounds i8, ptr %o, i64 {MEMINFO_REFCOUNT}\n  %old = atomicrmw sub ptr %rc, i64 1 acq_rel\n  %last = icmp eq i64 %old, 1\n  br i1 %last, label %free, label %done\nfree:\n  %rel = load ptr, ptr {release}\n  call void %rel(ptr %o)\n  br label %done\ndone:\n  ret void\n}}\n"
        ));
        // On an array descriptor's owner.
        self.declare(format!(
            "define internal void @kc.incref(ptr %a) #0 {{\nentry:\n  %op = getelementptr inbounds i8, ptr %a, i64 {ARRAY_OWNER}\n  %o = load ptr, ptr %op\n  call void @kc.incref.mi(ptr %o)\n  ret void\n}}\n"
        ));
        self.declare(format!(
            "define internal void @kc.decref(ptr %a) #0 {{\nentry:\n  %op = getelementptr inbounds i8, ptr %a, i64 {ARRAY_OWNER}\n  %o = load ptr, ptr %op\n  call void @kc.decref.mi(ptr %o)\n  ret void\n}}\n"
        ));
    }

    pub(super) fn incref(&mut self, a: &V) {
        self.refcount_helpers();
        self.emit(format!("call void @kc.incref(ptr {})", a.r));
    }

    pub(super) fn decref(&mut self, a: &V) {
        self.refcount_helpers();
        self.emit(format!("call void @kc.decref(ptr {})", a.r));
    }

    /// Drops the temporaries made since `mark` and clears their owners (a slot is reused when
    /// its statement runs again, maybe along a path that does not fill it).
    /// Releases the temporaries the innermost loop's body holds, before a jump out of it.
    pub(super) fn release_loop_body_temps(&mut self) {
        let mark = self.loop_marks.last().copied().unwrap_or(0).min(self.temps.len());
        let live = self.temps[mark..].to_vec();
        for (t, ty) in live {
            self.release_value(&t, &ty);
        }
    }

    pub(super) fn release_temps(&mut self, mark: usize) {
        if self.terminated {
            self.temps.truncate(mark);
            return;
        }
        let temps: Vec<(String, Type)> = self.temps.drain(mark..).collect();
        for (t, ty) in temps {
            self.release_value(&t, &ty);
        }
    }

    /// Takes over the references a value holds (an array or a tuple): a temporary's move to
    /// the caller (it is no longer dropped at the end of the statement), anything else's are
    /// increfed.
    pub(super) fn acquire_value(&mut self, v: &V, ty: &Type) {
        if let Some(i) = self.temps.iter().position(|(t, _)| *t == v.r) {
            self.temps.remove(i);
        } else {
            self.incref_value(&v.r, ty);
        }
    }

    /// Copies a value of `ty` (an array's descriptor, a tuple) from `src` to `dst`.
    pub(super) fn copy_value(&mut self, dst: &str, src: &V, ty: &Type) {
        self.declare("declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)".into());
        let size = if ty.array().is_some() {
            ARRAY_SIZE
        } else {
            storage_size(ty).0
        };
        self.emit(format!(
            "call void @llvm.memcpy.p0.p0.i64(ptr align 8 {dst}, ptr align 8 {}, i64 {size}, i1 false)",
            src.r
        ));
    }

    /// `var = value` for an array variable: the new value is acquired before the old one is
    /// dropped, so `a = a` and `a = a[1:]` keep the buffer alive.
    pub(super) fn assign_array(&mut self, var: VarId, value: &V) {
        let ty = self.var_type(var).clone();
        let dst = format!("%v{var}");
        if value.r == dst {
            return;
        }
        self.acquire_value(value, &ty);
        self.release_value(&dst, &ty);
        self.copy_value(&dst, value, &ty);
    }

    /// Drops the references the current function's array variables hold: on every exit.
    pub(super) fn release_vars(&mut self) {
        if self.vars_absent {
            return;
        }
        let f = self.func.expect("in a function");
        let vars: Vec<VarId> = (0..f.vars.len())
            .filter(|v| f.vars[*v].ty.holds_arrays() && !self.borrowed.contains(v))
            .collect();
        for v in vars {
            let ty = f.vars[v].ty.clone();
            self.release_value(&format!("%v{v}"), &ty);
        }
    }

    /// Leaves the function with `status`, dropping what its variables own.
    pub(super) fn ret(&mut self, status: impl std::fmt::Display) {
        self.release_vars();
        self.terminate(format!("ret i32 {status}"));
    }

    /// A new buffer of `nbytes` from the host (its meminfo, one reference); MemoryError with
    /// `failure` when the host has none to give.
    pub(super) fn host_alloc(&mut self, nbytes: &V, failure: &str) -> V {
        let alloc = self.inst(Ty::Ptr, format!("load ptr, ptr {}", host_field("alloc").global()));
        let has_alloc = self.inst(Ty::I1, format!("icmp ne ptr {}, null", alloc.r));
        let no_host = self.inst(Ty::I1, format!("xor i1 {}, true", has_alloc.r));
        self.raise_if(
            &no_host,
            "MemoryError",
            "this host cannot allocate memory (load the kernel with a libkcache of this version)",
        );
        let mi = self.inst(Ty::Ptr, format!("call ptr {}(i64 {})", alloc.r, nbytes.r));
        let failed = self.inst(Ty::I1, format!("icmp eq ptr {}, null", mi.r));
        self.raise_if(&failed, "MemoryError", failure);
        mi
    }

    /// A new C-contiguous array of `dtype` with `dims` (int64 values): checks the dimensions
    /// (ValueError for negative ones, MemoryError when the size overflows or allocation fails)
    /// and returns a temporary descriptor that owns the new buffer.
    pub(super) fn alloc_array(&mut self, dtype: Scalar, dims: &[V]) -> V {
        let size = dtype.itemsize() as i64;
        self.declare("declare { i64, i1 } @llvm.smul.with.overflow.i64(i64, i64)".into());
        let mut total = V {
            r: "1".into(),
            t: Ty::I64,
        };
        let mut overflow = V {
            r: "false".into(),
            t: Ty::I1,
        };
        for d in dims {
            let neg = self.inst(Ty::I1, format!("icmp slt i64 {}, 0", d.r));
            self.raise_if(&neg, "ValueError", "negative dimensions are not allowed");
            let m = self.inst(
                Ty::Ptr,
                format!(
                    "call {{ i64, i1 }} @llvm.smul.with.overflow.i64(i64 {}, i64 {})",
                    total.r, d.r
                ),
            );
            total = self.inst(Ty::I64, format!("extractvalue {{ i64, i1 }} {}, 0", m.r));
            let o = self.inst(Ty::I1, format!("extractvalue {{ i64, i1 }} {}, 1", m.r));
            overflow = self.inst(Ty::I1, format!("or i1 {}, {}", overflow.r, o.r));
        }
        let m = self.inst(
            Ty::Ptr,
            format!(
                "call {{ i64, i1 }} @llvm.smul.with.overflow.i64(i64 {}, i64 {size})",
                total.r
            ),
        );
        let nbytes = self.inst(Ty::I64, format!("extractvalue {{ i64, i1 }} {}, 0", m.r));
        let o = self.inst(Ty::I1, format!("extractvalue {{ i64, i1 }} {}, 1", m.r));
        overflow = self.inst(Ty::I1, format!("or i1 {}, {}", overflow.r, o.r));
        self.raise_if(&overflow, "MemoryError", "array is too big");
        let mi = self.host_alloc(&nbytes, "cannot allocate the array");
        let data_p = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds i8, ptr {}, i64 {MEMINFO_DATA}", mi.r),
        );
        let data = self.inst(Ty::Ptr, format!("load ptr, ptr {}", data_p.r));
        let out = self.new_temp();
        let strides = c_strides(self, dims, size);
        self.fill_descriptor(&out, &data, dims, &strides, dtype);
        let op = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds i8, ptr {}, i64 {ARRAY_OWNER}", out.r),
        );
        self.emit(format!("store ptr {}, ptr {}", mi.r, op.r));
        out
    }

    /// Writes data, ndim, shape, strides (bytes) and dtype into a descriptor (not the owner).
    pub(super) fn fill_descriptor(&mut self, d: &V, data: &V, dims: &[V], strides: &[V], dtype: Scalar) {
        self.emit(format!("store ptr {}, ptr {}", data.r, d.r));
        let np = self.inst(
            Ty::Ptr,
            format!(
                "getelementptr inbounds i8, ptr {}, i64 {}",
                d.r,
                kcache_abi::array_ndim_offset()
            ),
        );
        self.emit(format!("store i32 {}, ptr {}", dims.len(), np.r));
        for (k, (n, s)) in dims.iter().zip(strides).enumerate() {
            let sp = self.inst(
                Ty::Ptr,
                format!(
                    "getelementptr inbounds i8, ptr {}, i64 {}",
                    d.r,
                    array_shape_offset(k as u32)
                ),
            );
            self.emit(format!("store i64 {}, ptr {}", n.r, sp.r));
            let tp = self.inst(
                Ty::Ptr,
                format!(
                    "getelementptr inbounds i8, ptr {}, i64 {}",
                    d.r,
                    array_stride_offset(k as u32)
                ),
            );
            self.emit(format!("store i64 {}, ptr {}", s.r, tp.r));
        }
        let dp = self.inst(
            Ty::Ptr,
            format!(
                "getelementptr inbounds i8, ptr {}, i64 {}",
                d.r,
                kcache_abi::array_dtype_offset()
            ),
        );
        self.emit(format!("store i32 {}, ptr {}", dtype.dtype_code(), dp.r));
    }

    /// A view's descriptor: a temporary sharing `base`'s buffer (one more reference to it).
    pub(super) fn view_of(&mut self, base: &V, data: &V, dims: &[V], strides: &[V], dtype: Scalar) -> V {
        let out = self.new_temp();
        self.fill_descriptor(&out, data, dims, strides, dtype);
        let bo = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds i8, ptr {}, i64 {ARRAY_OWNER}", base.r),
        );
        let owner = self.inst(Ty::Ptr, format!("load ptr, ptr {}", bo.r));
        let oo = self.inst(
            Ty::Ptr,
            format!("getelementptr inbounds i8, ptr {}, i64 {ARRAY_OWNER}", out.r),
        );
        self.emit(format!("store ptr {}, ptr {}", owner.r, oo.r));
        self.incref(&out);
        out
    }

    pub(super) fn dims_of(&mut self, a: &V, ndim: u8) -> Vec<V> {
        (0..ndim).map(|d| self.dim(a, d)).collect()
    }
}

/// C-order byte strides for `dims` of `itemsize`-byte elements.
pub(super) fn c_strides(lw: &mut Lowerer, dims: &[V], itemsize: i64) -> Vec<V> {
    let mut strides = vec![
        V {
            r: itemsize.to_string(),
            t: Ty::I64
        };
        dims.len()
    ];
    for d in (0..dims.len().saturating_sub(1)).rev() {
        strides[d] = lw.inst(Ty::I64, format!("mul i64 {}, {}", strides[d + 1].r, dims[d + 1].r));
    }
    strides
}
