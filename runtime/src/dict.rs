//! Dicts made inside kernels: an insertion-ordered hash table (CPython's compact layout: an
//! index table of slots pointing into an array of entries kept in insertion order), reached by
//! generated code through the host table's `dict_*` functions.
//!
//! Why here and not generated LLVM: probing, growth and deletion are the same code for every
//! key and value type once keys and values are fixed-size byte blobs, so one Rust
//! implementation, tested here, serves every kernel (Numba does the same with its C
//! `dictobject.c`); the cost is a call per operation, which the hashing dominates anyway.
//!
//! Keys are compared byte for byte: generated code writes each key in a canonical form
//! (padding zeroed, float `-0.0` as `0.0`), so byte equality is Python's `==` for the key
//! types kernels allow (integers, floats, bools and tuples of them).
//!
//! Memory: a dict is a header buffer from [`host_alloc`] holding [`Header`], whose meminfo's
//! `dependent` is the table buffer (index slots, then entries): the host's release frees both
//! with the last reference, as for lists. A value may hold one reference (a list or an array:
//! its owner, at `owner` in the value): the dict owns it, drops it when the entry is removed
//! (unless handed out), cleared or freed, and takes one more for a copy. Such dicts are kept
//! in [`REF_DICTS`], which the host's release asks before freeing a buffer.

use std::collections::HashSet;
use std::ffi::c_void;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::Mutex;

use kcache_abi::kc_meminfo;

use crate::memory::{decref, host_alloc, new_list};

/// Live dicts whose values hold references (their header buffers' addresses), and how many:
/// releasing any buffer checks the count first, so dicts of numbers cost nothing there.
static REF_DICTS: Mutex<Option<HashSet<usize>>> = Mutex::new(None);
static REF_DICT_COUNT: AtomicUsize = AtomicUsize::new(0);

/// An index slot never used.
const EMPTY: i64 = -1;
/// An index slot whose entry was removed: probing goes on past it.
const DUMMY: i64 = -2;
/// Bytes before an entry's key: its hash and whether it is live.
const ENTRY_PREFIX: i64 = 16;

/// The dict's header; `len` comes first because generated code reads `len(d)` there.
#[repr(C)]
struct Header {
    len: i64,
    /// Entries written since the table was built, removed ones included.
    used: i64,
    /// Entries the table has room for.
    cap: i64,
    /// Index slots (a power of two, at least twice `cap`, so probing always meets an EMPTY).
    slots: i64,
    key_size: i64,
    val_offset: i64,
    entry_size: i64,
    /// Offset in the value of the reference it holds, or -1.
    owner: i64,
    indices: *mut i64,
    entries: *mut u8,
}

impl Header {
    /// Where the reference the value of the entry at `e` holds is, if values hold one.
    ///
    /// # Safety
    /// `e` is an entry of this dict.
    unsafe fn value_owner(&self, e: *mut u8) -> Option<*mut *mut kc_meminfo> {
        // SAFETY: the caller's contract; `owner` lies inside the value.
        (self.owner >= 0)
            .then(|| unsafe { e.add((ENTRY_PREFIX + self.val_offset + self.owner) as usize) as *mut *mut kc_meminfo })
    }

    /// Drops (or, `up`, takes one more of) every live value's reference.
    ///
    /// # Safety
    /// The table is this dict's; the references are live.
    unsafe fn each_value_ref(&self, up: bool) {
        if self.owner < 0 {
            return;
        }
        for i in 0..self.used {
            // SAFETY: i < used; live entries hold a value whose owner is null or live.
            unsafe {
                let e = self.entry(i);
                if *(e.add(8) as *const u64) == 0 {
                    continue;
                }
                let mi = *self.value_owner(e).expect("values hold references");
                if up {
                    if !mi.is_null() {
                        AtomicI64::from_ptr(std::ptr::addr_of_mut!((*mi).refcount)).fetch_add(1, Ordering::Relaxed);
                    }
                } else {
                    decref(mi);
                }
            }
        }
    }
    fn stride(&self) -> i64 {
        ENTRY_PREFIX + (self.entry_size + 7) / 8 * 8
    }

    /// # Safety
    /// `i < used` of a live table.
    unsafe fn entry(&self, i: i64) -> *mut u8 {
        // SAFETY: the caller's contract: inside the entries array.
        unsafe { self.entries.add((i * self.stride()) as usize) }
    }

    /// The index slot holding `key`'s entry, else the slot an insertion would take.
    ///
    /// # Safety
    /// The table exists (`slots > 0`) and `key` has `key_size` readable bytes.
    unsafe fn find(&self, key: *const u8, hash: u64) -> (usize, Option<i64>) {
        let mask = (self.slots - 1) as u64;
        let mut i = hash & mask;
        let mut free = None;
        loop {
            // SAFETY: i <= mask < slots.
            let idx = unsafe { *self.indices.add(i as usize) };
            if idx == EMPTY {
                return (free.unwrap_or(i as usize), None);
            }
            if idx == DUMMY {
                free.get_or_insert(i as usize);
            } else {
                // SAFETY: index slots hold entry numbers below `used`.
                let e = unsafe { self.entry(idx) };
                // SAFETY: an entry starts with its hash, then the flag, then the key.
                let same = unsafe {
                    *(e as *const u64) == hash
                        && std::slice::from_raw_parts(e.add(ENTRY_PREFIX as usize), self.key_size as usize)
                            == std::slice::from_raw_parts(key, self.key_size as usize)
                };
                if same {
                    return (i as usize, Some(idx));
                }
            }
            i = (i + 1) & mask;
        }
    }
}

fn hash_bytes(key: &[u8]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15 ^ key.len() as u64;
    for chunk in key.chunks(8) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 32;
    }
    h
}

/// # Safety
/// `mi` is a dict from [`host_dict_new`].
unsafe fn header<'a>(mi: *mut kc_meminfo) -> &'a mut Header {
    // SAFETY: the caller's contract: the buffer holds a Header.
    unsafe { &mut *((*mi).data as *mut Header) }
}

/// Rebuilds the table with room for `cap` entries, keeping the live ones in order; false when
/// memory is exhausted (the dict is left as it was).
///
/// # Safety
/// `mi` is a dict from [`host_dict_new`].
unsafe fn rebuild(mi: *mut kc_meminfo, cap: i64) -> bool {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    let slots = ((cap * 2).max(8) as u64).next_power_of_two() as i64;
    let stride = h.stride();
    let Some(bytes) = slots
        .checked_mul(8)
        .and_then(|s| cap.checked_mul(stride).and_then(|e| e.checked_add(s)))
    else {
        return false;
    };
    let table = host_alloc(bytes);
    if table.is_null() {
        return false;
    }
    // SAFETY: host_alloc's buffer has `bytes` bytes, 64-byte aligned.
    let (indices, entries) = unsafe {
        let data = (*table).data as *mut u8;
        (data as *mut i64, data.add((slots * 8) as usize))
    };
    // SAFETY: slots i64s fit in the buffer.
    unsafe { std::slice::from_raw_parts_mut(indices, slots as usize).fill(EMPTY) };
    let mut fresh = Header {
        len: 0,
        used: 0,
        cap,
        slots,
        key_size: h.key_size,
        val_offset: h.val_offset,
        entry_size: h.entry_size,
        owner: h.owner,
        indices,
        entries,
    };
    for i in 0..h.used {
        // SAFETY: i < used of the old table; the new one has room for every live entry.
        unsafe {
            let e = h.entry(i);
            if *(e.add(8) as *const u64) == 0 {
                continue;
            }
            let hash = *(e as *const u64);
            let (slot, _) = fresh.find(e.add(ENTRY_PREFIX as usize), hash);
            std::ptr::copy_nonoverlapping(e, fresh.entry(fresh.used), stride as usize);
            *fresh.indices.add(slot) = fresh.used;
        }
        fresh.used += 1;
        fresh.len += 1;
    }
    // SAFETY: the header buffer owns one reference to its table, replaced here.
    unsafe {
        let old = std::mem::replace(&mut (*mi).dependent, table);
        *h = fresh;
        decref(old);
    }
    true
}

/// The host's `dict_new`.
pub extern "C" fn host_dict_new(key_size: i64, val_offset: i64, entry_size: i64, owner: i64) -> *mut kc_meminfo {
    if key_size < 0
        || val_offset < key_size
        || entry_size < val_offset
        || (owner >= 0 && owner + 8 > entry_size - val_offset)
    {
        return std::ptr::null_mut();
    }
    let mi = host_alloc(std::mem::size_of::<Header>() as i64);
    if mi.is_null() {
        return mi;
    }
    // SAFETY: the buffer was just allocated for a Header (64-byte aligned).
    unsafe {
        ((*mi).data as *mut Header).write(Header {
            len: 0,
            used: 0,
            cap: 0,
            slots: 0,
            key_size,
            val_offset,
            entry_size,
            owner,
            indices: std::ptr::null_mut(),
            entries: std::ptr::null_mut(),
        })
    };
    if owner >= 0 {
        let mut dicts = REF_DICTS.lock().unwrap_or_else(|e| e.into_inner());
        dicts.get_or_insert_with(HashSet::new).insert(mi as usize);
        REF_DICT_COUNT.fetch_add(1, Ordering::Relaxed);
    }
    mi
}

/// Called by the host's release before it frees `mi`: when `mi` is a dict whose values hold
/// references, drops them.
///
/// # Safety
/// `mi` is a buffer being freed (no reference to it is left).
pub unsafe fn before_release(mi: *mut kc_meminfo) {
    if REF_DICT_COUNT.load(Ordering::Relaxed) == 0 {
        return;
    }
    let was_dict = {
        let mut dicts = REF_DICTS.lock().unwrap_or_else(|e| e.into_inner());
        dicts.as_mut().is_some_and(|d| d.remove(&(mi as usize)))
    };
    if was_dict {
        REF_DICT_COUNT.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: a dict being freed: its values' references go with it (the lock is not held:
        // a value's release may free another dict).
        unsafe { header(mi).each_value_ref(false) };
    }
}

/// The host's `dict_lookup`.
///
/// # Safety
/// `mi` is a dict from [`host_dict_new`]; `key` has its `key_size` bytes.
pub unsafe extern "C" fn host_dict_lookup(mi: *mut kc_meminfo, key: *const c_void) -> *mut c_void {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    if h.len == 0 {
        return std::ptr::null_mut();
    }
    let key = key as *const u8;
    // SAFETY: key_size readable bytes.
    let hash = hash_bytes(unsafe { std::slice::from_raw_parts(key, h.key_size as usize) });
    // SAFETY: the table exists when len > 0.
    match unsafe { h.find(key, hash) } {
        // SAFETY: a found entry is below `used`.
        (_, Some(idx)) => unsafe { h.entry(idx).add((ENTRY_PREFIX + h.val_offset) as usize) as *mut c_void },
        (_, None) => std::ptr::null_mut(),
    }
}

/// The host's `dict_insert`.
///
/// # Safety
/// `mi` is a dict from [`host_dict_new`]; `key` has its `key_size` bytes.
pub unsafe extern "C" fn host_dict_insert(mi: *mut kc_meminfo, key: *const c_void) -> *mut c_void {
    // SAFETY: the caller's contract.
    let found = unsafe { host_dict_lookup(mi, key) };
    if !found.is_null() {
        return found;
    }
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    // SAFETY: as above; growing keeps `h` pointing at the same header.
    if h.used == h.cap && !unsafe { rebuild(mi, (2 * (h.len + 1)).max(8)) } {
        return std::ptr::null_mut();
    }
    let key = key as *const u8;
    // SAFETY: key_size readable bytes.
    let hash = hash_bytes(unsafe { std::slice::from_raw_parts(key, h.key_size as usize) });
    // SAFETY: the table has room for one more entry at `used`; the new entry is zeroed, then
    // given its hash, flag and key.
    unsafe {
        let (slot, _) = h.find(key, hash);
        let e = h.entry(h.used);
        std::ptr::write_bytes(e, 0, h.stride() as usize);
        *(e as *mut u64) = hash;
        *(e.add(8) as *mut u64) = 1;
        std::ptr::copy_nonoverlapping(key, e.add(ENTRY_PREFIX as usize), h.key_size as usize);
        *h.indices.add(slot) = h.used;
        h.used += 1;
        h.len += 1;
        e.add((ENTRY_PREFIX + h.val_offset) as usize) as *mut c_void
    }
}

/// The host's `dict_remove`.
///
/// # Safety
/// `mi` is a dict from [`host_dict_new`]; `key` has its `key_size` bytes; `out` is null or has
/// room for a value.
pub unsafe extern "C" fn host_dict_remove(mi: *mut kc_meminfo, key: *const c_void, out: *mut c_void) -> i32 {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    if h.len == 0 {
        return 0;
    }
    let key = key as *const u8;
    // SAFETY: key_size readable bytes.
    let hash = hash_bytes(unsafe { std::slice::from_raw_parts(key, h.key_size as usize) });
    // SAFETY: the table exists when len > 0.
    let (slot, Some(idx)) = (unsafe { h.find(key, hash) }) else {
        return 0;
    };
    // SAFETY: a found entry is below `used`; `out` has room for the value.
    unsafe {
        let e = h.entry(idx);
        if !out.is_null() {
            // The value's reference, if any, moves to `out`.
            std::ptr::copy_nonoverlapping(
                e.add((ENTRY_PREFIX + h.val_offset) as usize),
                out as *mut u8,
                (h.entry_size - h.val_offset) as usize,
            );
        } else if let Some(owner) = h.value_owner(e) {
            decref(*owner);
        }
        *(e.add(8) as *mut u64) = 0;
        *h.indices.add(slot) = DUMMY;
        // Removed entries at the end are given back (no index slot points at them), so that
        // popping every item one by one, which removes the last each time, stays linear.
        while h.used > 0 && *(h.entry(h.used - 1).add(8) as *const u64) == 0 {
            h.used -= 1;
        }
    }
    h.len -= 1;
    1
}

/// The host's `dict_clear`.
///
/// # Safety
/// `mi` is a dict from [`host_dict_new`].
pub unsafe extern "C" fn host_dict_clear(mi: *mut kc_meminfo) {
    // SAFETY: the caller's contract; the table goes with the reference the header held.
    unsafe {
        let h = header(mi);
        h.each_value_ref(false);
        let old = std::mem::replace(&mut (*mi).dependent, std::ptr::null_mut());
        h.len = 0;
        h.used = 0;
        h.cap = 0;
        h.slots = 0;
        h.indices = std::ptr::null_mut();
        h.entries = std::ptr::null_mut();
        decref(old);
    }
}

/// The host's `dict_copy`.
///
/// # Safety
/// `mi` is a dict from [`host_dict_new`].
pub unsafe extern "C" fn host_dict_copy(mi: *mut kc_meminfo) -> *mut kc_meminfo {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    let copy = host_dict_new(h.key_size, h.val_offset, h.entry_size, h.owner);
    if copy.is_null() {
        return copy;
    }
    // SAFETY: `copy` is a new dict; the rebuild copies the live entries in order.
    unsafe {
        if h.len > 0 && !rebuild(copy, h.len) {
            decref(copy);
            return std::ptr::null_mut();
        }
        if h.len > 0 {
            let c = header(copy);
            // The rebuild made room; the entries come from the source, live ones only.
            for i in 0..h.used {
                let e = h.entry(i);
                if *(e.add(8) as *const u64) == 0 {
                    continue;
                }
                let (slot, _) = c.find(e.add(ENTRY_PREFIX as usize), *(e as *const u64));
                std::ptr::copy_nonoverlapping(e, c.entry(c.used), h.stride() as usize);
                *c.indices.add(slot) = c.used;
                c.used += 1;
                c.len += 1;
            }
            c.each_value_ref(true);
        }
    }
    copy
}

/// The host's `dict_popitem`.
///
/// # Safety
/// `mi` is a dict from [`host_dict_new`]; `key` and `value` have room for a key and a value.
pub unsafe extern "C" fn host_dict_popitem(mi: *mut kc_meminfo, key: *mut c_void, value: *mut c_void) -> i32 {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    if h.len == 0 {
        return 0;
    }
    // SAFETY: a live entry exists below `used`; its key is copied out, then removed by it (the
    // value moving to `value`).
    unsafe {
        let last = (0..h.used)
            .rev()
            .find(|&i| *(h.entry(i).add(8) as *const u64) != 0)
            .expect("len > 0");
        let e = h.entry(last);
        std::ptr::copy_nonoverlapping(e.add(ENTRY_PREFIX as usize), key as *mut u8, h.key_size as usize);
        host_dict_remove(mi, key, value)
    }
}

/// The host's `dict_update`.
///
/// # Safety
/// `dst` and `src` are dicts from [`host_dict_new`] with the same layout.
pub unsafe extern "C" fn host_dict_update(dst: *mut kc_meminfo, src: *mut kc_meminfo) -> i32 {
    if dst == src {
        return 1;
    }
    // SAFETY: the caller's contract; `src` does not change while `dst` grows.
    unsafe {
        let s = header(src);
        let vsize = (s.entry_size - s.val_offset) as usize;
        for i in 0..s.used {
            let e = s.entry(i);
            if *(e.add(8) as *const u64) == 0 {
                continue;
            }
            let v = host_dict_insert(dst, e.add(ENTRY_PREFIX as usize) as *const c_void) as *mut u8;
            if v.is_null() {
                return 0;
            }
            let old = header(dst).value_owner(v.sub((ENTRY_PREFIX + s.val_offset) as usize));
            let old = old.map(|o| *o);
            std::ptr::copy_nonoverlapping(e.add((ENTRY_PREFIX + s.val_offset) as usize), v, vsize);
            if let Some(owner) = s.value_owner(e) {
                let mi = *owner;
                if !mi.is_null() {
                    AtomicI64::from_ptr(std::ptr::addr_of_mut!((*mi).refcount)).fetch_add(1, Ordering::Relaxed);
                }
                decref(old.unwrap_or(std::ptr::null_mut()));
            }
        }
    }
    1
}

thread_local! {
    /// The last KeyError message made on this thread: it lives until the next one, long
    /// enough for the entry that raised to hand it to its caller.
    static KEY_ERROR: std::cell::RefCell<std::ffi::CString> = std::cell::RefCell::new(std::ffi::CString::default());
}

/// The host's `key_error`: "KeyError: <the key>" as Python writes it, for a key given as
/// `print_number`'s arguments; valid until the calling thread's next call.
pub extern "C" fn host_key_error(kind: i32, integer: i64, re: f64, im: f64) -> *const std::ffi::c_char {
    let text = format!("KeyError: {}", crate::print::number_text(kind, integer, re, im));
    let text = std::ffi::CString::new(text).unwrap_or_default();
    KEY_ERROR.with(|k| {
        *k.borrow_mut() = text;
        k.borrow().as_ptr()
    })
}

/// The host's `dict_list`.
///
/// # Safety
/// `mi` is a dict from [`host_dict_new`]; `[offset, offset + size)` lies inside its entries.
pub unsafe extern "C" fn host_dict_list(mi: *mut kc_meminfo, offset: i64, size: i64) -> *mut kc_meminfo {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    new_list(h.len, size, |data| {
        let mut n = 0;
        // SAFETY: entries below `used` are read inside their bounds (the caller's contract on
        // offset and size); at most `len` of them are active, the room `new_list` made.
        unsafe {
            for i in 0..h.used {
                let e = h.entry(i);
                if *(e.add(8) as *const u64) == 0 {
                    continue;
                }
                std::ptr::copy_nonoverlapping(
                    e.add((ENTRY_PREFIX + offset) as usize),
                    data.add((n * size) as usize),
                    size as usize,
                );
                n += 1;
            }
        }
        n
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::ListHeader;

    fn key(k: i64) -> *const c_void {
        Box::leak(Box::new(k)) as *const i64 as *const c_void
    }

    #[test]
    fn inserts_finds_removes_and_keeps_insertion_order() {
        let d = host_dict_new(8, 8, 16, -1);
        unsafe {
            for k in 0..1000i64 {
                let v = host_dict_insert(d, key(k * 7)) as *mut f64;
                *v = k as f64;
            }
            assert_eq!(header(d).len, 1000);
            for k in (0..1000i64).step_by(2) {
                let mut out = 0.0f64;
                assert_eq!(host_dict_remove(d, key(k * 7), &mut out as *mut f64 as *mut c_void), 1);
                assert_eq!(out, k as f64);
            }
            assert_eq!(host_dict_remove(d, key(0), std::ptr::null_mut()), 0);
            assert!(host_dict_lookup(d, key(14)).is_null());
            assert_eq!(*(host_dict_lookup(d, key(21)) as *const f64), 3.0);
            // Reinserting a removed key puts it last, as Python does.
            *(host_dict_insert(d, key(0)) as *mut f64) = -1.0;
            let c = host_dict_copy(d);
            let keys = host_dict_list(c, 0, 8);
            let lh = &*((*keys).data as *const ListHeader);
            let ks = std::slice::from_raw_parts(lh.items as *const i64, lh.len as usize);
            let want: Vec<i64> = (0..1000i64).filter(|k| k % 2 == 1).map(|k| k * 7).chain([0]).collect();
            assert_eq!(ks, want.as_slice());
            host_dict_clear(d);
            assert_eq!(header(d).len, 0);
            assert!(host_dict_lookup(d, key(21)).is_null());
            decref(keys);
            decref(c);
            decref(d);
        }
    }
}
