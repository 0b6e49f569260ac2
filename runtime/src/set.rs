//! Sets made inside kernels, reached by generated code through the host table's one `set_op`
//! function (an operation code, the set, another set, a key).
//!
//! Why CPython's algorithm and not the dict's table: code that iterates a set (`for v in s`,
//! `list(s)`, `s.pop()`) sees the order of the hash table, and tests compare kernels with
//! CPython. So this follows CPython 3.11's `Objects/setobject.c` step for step — the same
//! hashes (`hash(int)` is the value modulo 2**61 - 1, floats by `_Py_HashDouble`, tuples by
//! the xxHash-based `tuplehash`), table sizes (8, then powers of two), linear probes (9) with
//! perturbation, dummies left by deletions, the fill-based growth rule, the resize after
//! `difference_update`, `pop`'s finger, and the order in which the binary operations visit
//! their operands (intersection walks the smaller set, `a ^ b` starts from a copy of `b`, ...).
//! With the same sequence of operations on the same numbers, the table — and so the iteration
//! order — is CPython's. Numba does the same (numba/cpython/setobj.py is an open-addressing
//! table modelled on setobject.c).
//!
//! One difference: CPython hashes a NaN by its object's address (3.10+), so every NaN object
//! is its own key; here a NaN hashes to 0 (as Numba and CPython before 3.10 do) and, never
//! equal to itself, each NaN added is a new entry — the same count as CPython's for NaNs that
//! are different objects (NumPy's scalars are), but not the same place in the order.
//!
//! Keys are fixed-size blobs described by lanes (offset and kind of each number in the key's
//! storage), compared number by number, so `-0.0 == 0.0` and the first one added is the one
//! kept, as in Python.
//!
//! Memory: a set is a header buffer from [`host_alloc`] holding [`Header`], whose meminfo's
//! `dependent` is the table buffer: the host's release frees both with the last reference.

use std::ffi::c_void;

use kcache_abi::kc_meminfo;

use crate::memory::{decref, host_alloc, new_list, ListHeader};

const MINSIZE: i64 = 8;
const LINEAR_PROBES: u64 = 9;
const PERTURB_SHIFT: u32 = 5;
const MAX_LANES: usize = 16;

const HASH_BITS: u32 = 61;
const HASH_MODULUS: u64 = (1u64 << HASH_BITS) - 1;
const HASH_INF: i64 = 314_159;

/// Bytes before an entry's key: its hash, then its state.
const ENTRY_PREFIX: usize = 16;
const UNUSED: i64 = 0;
const ACTIVE: i64 = 1;
const DUMMY: i64 = 2;

/// The operations `set_op` performs (the numbers generated code passes).
use kcache_abi::set_op as op;

/// Lane kinds: how one number of a key is stored.
use kcache_abi::set_lane as kind;

/// The set's header; `len` comes first because generated code reads `len(s)` there.
#[repr(C)]
#[derive(Clone, Copy)]
struct Header {
    /// Active entries (CPython's `used`).
    len: i64,
    /// Active and dummy entries.
    fill: i64,
    mask: i64,
    /// Where `pop` looks first.
    finger: i64,
    key_size: i64,
    /// Whether the key is a tuple (hashed as one even with one item).
    tuple: i64,
    nlanes: i64,
    /// (offset, kind) of each number in a key.
    lanes: [[i64; 2]; MAX_LANES],
    table: *mut u8,
}

/// One number of a key, read from its lane.
#[derive(Clone, Copy, PartialEq)]
enum Num {
    Int(i128),
    Float(f64),
}

impl Header {
    fn stride(&self) -> usize {
        ENTRY_PREFIX + (self.key_size as usize).div_ceil(8) * 8
    }

    /// # Safety
    /// `i <= mask` of a live table.
    unsafe fn entry(&self, i: u64) -> *mut u8 {
        // SAFETY: the caller's contract.
        unsafe { self.table.add(i as usize * self.stride()) }
    }

    /// # Safety
    /// `key` has `key_size` readable bytes.
    unsafe fn lane(&self, key: *const u8, l: usize) -> Num {
        let [off, k] = self.lanes[l];
        // SAFETY: the lane lies inside the key (checked when the set was made).
        unsafe {
            let p = key.add(off as usize);
            match k {
                kind::I8 => Num::Int((p as *const i8).read_unaligned() as i128),
                kind::I16 => Num::Int((p as *const i16).read_unaligned() as i128),
                kind::I32 => Num::Int((p as *const i32).read_unaligned() as i128),
                kind::I64 => Num::Int((p as *const i64).read_unaligned() as i128),
                kind::U8 => Num::Int(p.read() as i128),
                kind::U16 => Num::Int((p as *const u16).read_unaligned() as i128),
                kind::U32 => Num::Int((p as *const u32).read_unaligned() as i128),
                kind::U64 => Num::Int((p as *const u64).read_unaligned() as i128),
                kind::F32 => Num::Float((p as *const f32).read_unaligned() as f64),
                _ => Num::Float((p as *const f64).read_unaligned()),
            }
        }
    }

    /// # Safety
    /// `key` has `key_size` readable bytes.
    unsafe fn hash(&self, key: *const u8) -> i64 {
        if self.tuple == 0 {
            // SAFETY: the caller's contract.
            return hash_num(unsafe { self.lane(key, 0) });
        }
        // CPython 3.11's tuplehash (64-bit).
        const P1: u64 = 11_400_714_785_074_694_791;
        const P2: u64 = 14_029_467_366_897_019_727;
        const P5: u64 = 2_870_177_450_012_600_261;
        let mut acc = P5;
        for l in 0..self.nlanes as usize {
            // SAFETY: the caller's contract.
            let lane = hash_num(unsafe { self.lane(key, l) }) as u64;
            acc = acc.wrapping_add(lane.wrapping_mul(P2));
            acc = acc.rotate_left(31);
            acc = acc.wrapping_mul(P1);
        }
        acc = acc.wrapping_add((self.nlanes as u64) ^ (P5 ^ 3_527_539));
        if acc == u64::MAX {
            return 1_546_275_796;
        }
        acc as i64
    }

    /// Python's `==` on two keys.
    ///
    /// # Safety
    /// Both have `key_size` readable bytes.
    unsafe fn same(&self, a: *const u8, b: *const u8) -> bool {
        // SAFETY: the caller's contract.
        (0..self.nlanes as usize).all(|l| unsafe { self.lane(a, l) == self.lane(b, l) })
    }

    /// CPython's `set_lookkey`: the active entry holding `key`, if any.
    ///
    /// # Safety
    /// A live table; `key` has `key_size` readable bytes.
    unsafe fn lookup(&self, key: *const u8, hash: i64) -> Option<*mut u8> {
        let mask = self.mask as u64;
        let mut perturb = hash as u64;
        let mut i = hash as u64 & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for j in 0..=probes {
                // SAFETY: i + j <= mask.
                let e = unsafe { self.entry(i + j) };
                // SAFETY: an entry starts with its hash and state, then the key.
                let (h, state) = unsafe { (*(e as *const i64), *(e as *const i64).add(1)) };
                if state == UNUSED {
                    return None;
                }
                // SAFETY: as above.
                if state == ACTIVE && h == hash && unsafe { self.same(e.add(ENTRY_PREFIX), key) } {
                    return Some(e);
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    }
}

/// CPython's hash of an int or a float (`_Py_HashDouble`; a NaN hashes to 0, see the module
/// comment).
fn hash_num(n: Num) -> i64 {
    let x = match n {
        Num::Int(v) => {
            let m = (v.unsigned_abs() % HASH_MODULUS as u128) as i64;
            if v < 0 {
                -m
            } else {
                m
            }
        }
        Num::Float(v) => hash_double(v),
    };
    if x == -1 {
        -2
    } else {
        x
    }
}

fn hash_double(v: f64) -> i64 {
    if v.is_infinite() {
        return if v > 0.0 { HASH_INF } else { -HASH_INF };
    }
    if v.is_nan() {
        return 0;
    }
    let (mut m, mut e) = frexp(v);
    let mut sign: i64 = 1;
    if m < 0.0 {
        sign = -1;
        m = -m;
    }
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268_435_456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= HASH_MODULUS {
            x -= HASH_MODULUS;
        }
    }
    let bits = HASH_BITS as i32;
    let e = if e >= 0 { e % bits } else { bits - 1 - ((-1 - e) % bits) } as u32;
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    (x as i64).wrapping_mul(sign)
}

/// C's `frexp`: `v = m * 2**e` with `0.5 <= |m| < 1` (m = v for zeros).
fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 {
        return (v, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(v * f64::from_bits(0x4350_0000_0000_0000)); // 2**54
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, exp - 1022)
}

/// # Safety
/// `mi` is a set from `set_op(NEW)`.
unsafe fn header<'a>(mi: *mut kc_meminfo) -> &'a mut Header {
    // SAFETY: the caller's contract: the buffer holds a Header.
    unsafe { &mut *((*mi).data as *mut Header) }
}

/// A zeroed table of `size` entries for `h`, as its meminfo (null: out of memory).
fn new_table(h: &Header, size: i64) -> *mut kc_meminfo {
    let Some(bytes) = (h.stride() as i64).checked_mul(size) else {
        return std::ptr::null_mut();
    };
    let t = host_alloc(bytes);
    if !t.is_null() {
        // SAFETY: the buffer has `bytes` bytes.
        unsafe { std::ptr::write_bytes((*t).data as *mut u8, 0, bytes as usize) };
    }
    t
}

/// Replaces `mi`'s table with `table` (of mask `mask`), dropping the old one.
///
/// # Safety
/// `mi` is a set; `table` a table buffer it takes the reference of.
unsafe fn install(mi: *mut kc_meminfo, table: *mut kc_meminfo, mask: i64) {
    // SAFETY: the caller's contract.
    unsafe {
        let old = std::mem::replace(&mut (*mi).dependent, table);
        let h = header(mi);
        h.table = (*table).data as *mut u8;
        h.mask = mask;
        decref(old);
    }
}

/// CPython's `set_insert_clean`: puts a key known to be absent into a table without dummies.
///
/// # Safety
/// `h` describes a live table with a free entry; `src` is an entry (hash, state, key).
unsafe fn insert_clean(h: &Header, src: *const u8) {
    let mask = h.mask as u64;
    // SAFETY: the caller's contract.
    let hash = unsafe { *(src as *const i64) };
    let mut perturb = hash as u64;
    let mut i = hash as u64 & mask;
    loop {
        let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
        for j in 0..=probes {
            // SAFETY: i + j <= mask; entries are stride bytes.
            unsafe {
                let e = h.entry(i + j);
                if *(e as *const i64).add(1) == UNUSED {
                    std::ptr::copy_nonoverlapping(src, e, h.stride());
                    return;
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
    }
}

/// CPython's `set_table_resize`: a table of the smallest size above `minused`, without
/// dummies; false when memory is exhausted (the set is left as it was).
///
/// # Safety
/// `mi` is a set.
unsafe fn resize(mi: *mut kc_meminfo, minused: i64) -> bool {
    // SAFETY: the caller's contract.
    let h = unsafe { *header(mi) };
    let mut size = MINSIZE;
    while size <= minused {
        size <<= 1;
    }
    if size == MINSIZE && h.mask == MINSIZE - 1 && h.fill == h.len {
        // CPython: a small table without dummies is left as it is.
        return true;
    }
    let table = new_table(&h, size);
    if table.is_null() {
        return false;
    }
    let fresh = Header {
        // SAFETY: just allocated.
        table: unsafe { (*table).data as *mut u8 },
        mask: size - 1,
        ..h
    };
    for i in 0..=h.mask as u64 {
        // SAFETY: i <= mask; the new table has room for every active entry.
        unsafe {
            let e = h.entry(i);
            if *(e as *const i64).add(1) == ACTIVE {
                insert_clean(&fresh, e);
            }
        }
    }
    // SAFETY: the set takes the new table.
    unsafe {
        install(mi, table, size - 1);
        header(mi).fill = h.len;
    }
    true
}

/// CPython's `set_add_entry` (3.11) for the entry-shaped `src` (hash, state, key); false when memory
/// is exhausted.
///
/// # Safety
/// `mi` is a set; `src` has the set's stride bytes.
unsafe fn add_entry(mi: *mut kc_meminfo, src: *const u8) -> bool {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    let mask = h.mask as u64;
    // SAFETY: as above.
    let hash = unsafe { *(src as *const i64) };
    let key = unsafe { src.add(ENTRY_PREFIX) };
    let mut perturb = hash as u64;
    let mut i = hash as u64 & mask;
    let mut freeslot: Option<*mut u8> = None;
    let unused = loop {
        let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
        let mut hit = None;
        for j in 0..=probes {
            // SAFETY: i + j <= mask.
            let e = unsafe { h.entry(i + j) };
            // SAFETY: an entry's prefix.
            let (eh, state) = unsafe { (*(e as *const i64), *(e as *const i64).add(1)) };
            if state == UNUSED {
                hit = Some(e);
                break;
            }
            if state == ACTIVE {
                // SAFETY: both keys have key_size bytes.
                if eh == hash && unsafe { h.same(e.add(ENTRY_PREFIX), key) } {
                    return true;
                }
            } else {
                // CPython keeps the last dummy on the probe path, not the first.
                freeslot = Some(e);
            }
        }
        if let Some(e) = hit {
            break e;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
    };
    let stride = h.stride();
    if let Some(free) = freeslot {
        // A dummy is reused: fill is unchanged, so the table does not grow.
        // SAFETY: a dummy entry of this table.
        unsafe { std::ptr::copy_nonoverlapping(src, free, stride) };
        h.len += 1;
        return true;
    }
    // SAFETY: an unused entry of this table.
    unsafe { std::ptr::copy_nonoverlapping(src, unused, stride) };
    h.fill += 1;
    h.len += 1;
    if (h.fill as u64) * 5 < mask * 3 {
        return true;
    }
    let minused = if h.len > 50_000 { h.len * 2 } else { h.len * 4 };
    // SAFETY: mi is a set.
    unsafe { resize(mi, minused) }
}

/// A key as an entry (hash, state, key) in `buf`.
///
/// # Safety
/// `key` has `key_size` bytes; `buf` the set's stride.
unsafe fn as_entry(h: &Header, key: *const u8, buf: &mut Vec<u8>) {
    buf.clear();
    buf.resize(h.stride(), 0);
    // SAFETY: the caller's contract.
    unsafe {
        let hash = h.hash(key);
        std::ptr::copy_nonoverlapping(key, buf.as_mut_ptr().add(ENTRY_PREFIX), h.key_size as usize);
        *(buf.as_mut_ptr() as *mut i64) = hash;
        *(buf.as_mut_ptr() as *mut i64).add(1) = ACTIVE;
    }
}

/// CPython's `set_discard_entry` for an entry-shaped `src`: whether it was there.
///
/// # Safety
/// `mi` is a set; `src` an entry of a set of the same key type.
unsafe fn discard_entry(mi: *mut kc_meminfo, src: *const u8) -> bool {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    // SAFETY: as above.
    match unsafe { h.lookup(src.add(ENTRY_PREFIX), *(src as *const i64)) } {
        Some(e) => {
            // SAFETY: an active entry of this table.
            unsafe {
                *(e as *mut i64) = -1;
                *(e as *mut i64).add(1) = DUMMY;
            }
            h.len -= 1;
            true
        }
        None => false,
    }
}

/// # Safety
/// `mi` is a set; `src` an entry of a set of the same key type.
unsafe fn contains_entry(mi: *mut kc_meminfo, src: *const u8) -> bool {
    // SAFETY: the caller's contract.
    unsafe { header(mi).lookup(src.add(ENTRY_PREFIX), *(src as *const i64)).is_some() }
}

/// The active entries of a set in table order (pointers into its table, valid while it is
/// unchanged).
///
/// # Safety
/// `mi` is a set.
unsafe fn active(mi: *mut kc_meminfo) -> Vec<*mut u8> {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    (0..=h.mask as u64)
        // SAFETY: i <= mask.
        .map(|i| unsafe { h.entry(i) })
        // SAFETY: an entry's prefix.
        .filter(|&e| unsafe { *(e as *const i64).add(1) } == ACTIVE)
        .collect()
}

/// The active entries copied out, for loops that change the set they walk.
///
/// # Safety
/// `mi` is a set.
unsafe fn active_copies(mi: *mut kc_meminfo) -> Vec<Vec<u8>> {
    // SAFETY: the caller's contract.
    let stride = unsafe { header(mi) }.stride();
    // SAFETY: entries of stride bytes.
    unsafe { active(mi) }
        .into_iter()
        .map(|e| unsafe { std::slice::from_raw_parts(e, stride) }.to_vec())
        .collect()
}

/// An empty set with `like`'s key layout.
///
/// # Safety
/// `like` is a set.
unsafe fn new_like(like: *mut kc_meminfo) -> *mut kc_meminfo {
    // SAFETY: the caller's contract.
    let h = unsafe { *header(like) };
    new_set(Header {
        len: 0,
        fill: 0,
        mask: 0,
        finger: 0,
        table: std::ptr::null_mut(),
        ..h
    })
}

fn new_set(h: Header) -> *mut kc_meminfo {
    let table = new_table(&h, MINSIZE);
    if table.is_null() {
        return table;
    }
    let mi = host_alloc(std::mem::size_of::<Header>() as i64);
    if mi.is_null() {
        // SAFETY: the only reference.
        unsafe { decref(table) };
        return mi;
    }
    // SAFETY: the buffer was just allocated for a Header (64-byte aligned).
    unsafe {
        ((*mi).data as *mut Header).write(Header {
            len: 0,
            fill: 0,
            mask: MINSIZE - 1,
            finger: 0,
            table: (*table).data as *mut u8,
            ..h
        });
        (*mi).dependent = table;
    }
    mi
}

/// CPython's `set_merge` (`so.update(other)` for a set `other`).
///
/// # Safety
/// Both are sets of the same key type.
unsafe fn merge(so: *mut kc_meminfo, other: *mut kc_meminfo) -> bool {
    if so == other {
        return true;
    }
    // SAFETY: the caller's contract.
    let (h, o) = unsafe { (*header(so), *header(other)) };
    if o.len == 0 {
        return true;
    }
    // SAFETY: a set.
    if (h.fill + o.len) * 5 >= h.mask * 3 && !unsafe { resize(so, (h.len + o.len) * 2) } {
        return false;
    }
    // SAFETY: as above.
    let h = unsafe { header(so) };
    let stride = h.stride();
    if h.fill == 0 && h.mask == o.mask && o.fill == o.len {
        // Same size, no dummies: the table is copied as it is.
        // SAFETY: both tables have mask + 1 entries of this stride.
        unsafe { std::ptr::copy_nonoverlapping(o.table, h.table, stride * (o.mask as usize + 1)) };
        h.fill = o.fill;
        h.len = o.len;
        return true;
    }
    if h.fill == 0 {
        h.fill = o.len;
        h.len = o.len;
        // SAFETY: the entries of other go into an empty table with room for them.
        for e in unsafe { active(other) } {
            unsafe { insert_clean(h, e) };
        }
        return true;
    }
    // SAFETY: other is not so, so its entries stay put while so changes.
    for e in unsafe { active(other) } {
        if !unsafe { add_entry(so, e) } {
            return false;
        }
    }
    true
}

/// CPython's `set_copy` (`make_new_set(type(so), so)`).
///
/// # Safety
/// `so` is a set.
unsafe fn copy(so: *mut kc_meminfo) -> *mut kc_meminfo {
    // SAFETY: the caller's contract.
    let c = unsafe { new_like(so) };
    if !c.is_null() && !unsafe { merge(c, so) } {
        // SAFETY: the only reference.
        unsafe { decref(c) };
        return std::ptr::null_mut();
    }
    c
}

/// CPython's `set_intersection` for two sets.
///
/// # Safety
/// Both are sets of the same key type.
unsafe fn intersection(so: *mut kc_meminfo, other: *mut kc_meminfo) -> *mut kc_meminfo {
    if so == other {
        // SAFETY: a set.
        return unsafe { copy(so) };
    }
    // SAFETY: the caller's contract.
    let (big, small) = if unsafe { header(other).len > header(so).len } {
        (other, so)
    } else {
        (so, other)
    };
    // SAFETY: as above.
    unsafe { entries_where(so, small, big, true) }
}

/// A new set of `so`'s key type holding the entries of `from`, in its order, that are in `other`
/// (`present`) or are not; null when memory runs out.
///
/// # Safety
/// All three are sets of the same key type; `from` is not modified meanwhile.
unsafe fn entries_where(
    so: *mut kc_meminfo,
    from: *mut kc_meminfo,
    other: *mut kc_meminfo,
    present: bool,
) -> *mut kc_meminfo {
    // SAFETY: the caller's contract.
    let result = unsafe { new_like(so) };
    if result.is_null() {
        return result;
    }
    // SAFETY: from's entries stay put (only result changes).
    for e in unsafe { active(from) } {
        if unsafe { contains_entry(other, e) } == present && !unsafe { add_entry(result, e) } {
            unsafe { decref(result) };
            return std::ptr::null_mut();
        }
    }
    result
}

/// CPython's `set_difference_update_internal` for a set `other`.
///
/// # Safety
/// Both are sets of the same key type.
unsafe fn difference_update(so: *mut kc_meminfo, other: *mut kc_meminfo) -> bool {
    if so == other {
        // SAFETY: a set.
        return unsafe { clear(so) };
    }
    // SAFETY: the caller's contract.
    let (so_len, other_len) = unsafe { (header(so).len, header(other).len) };
    // When other is much larger, its intersection with so is walked instead.
    let (walk, made) = if (other_len >> 3) > so_len {
        // SAFETY: sets.
        let i = unsafe { intersection(so, other) };
        if i.is_null() {
            return false;
        }
        (i, true)
    } else {
        (other, false)
    };
    // SAFETY: walk is not so, so its entries stay put.
    for e in unsafe { active(walk) } {
        unsafe { discard_entry(so, e) };
    }
    if made {
        // SAFETY: the only reference.
        unsafe { decref(walk) };
    }
    // SAFETY: a set.
    let h = unsafe { header(so) };
    // More than a quarter dummies: resized away.
    if (h.fill - h.len) as u64 <= (h.mask as u64) / 4 {
        return true;
    }
    let minused = if h.len > 50_000 { h.len * 2 } else { h.len * 4 };
    // SAFETY: a set.
    unsafe { resize(so, minused) }
}

/// The items of a kernel's list (pointers to them, `key_size` bytes each).
///
/// # Safety
/// `list` is a list whose items have the set's item type.
unsafe fn list_items(h: &Header, list: *mut kc_meminfo) -> Vec<*const u8> {
    // SAFETY: the caller's contract: a list header.
    let lh = unsafe { &*((*list).data as *const ListHeader) };
    (0..lh.len as usize)
        // SAFETY: len items of key_size bytes.
        .map(|i| unsafe { lh.items.add(i * h.key_size as usize) } as *const u8)
        .collect()
}

/// CPython's `set_intersection` for an iterable that is not a set: its items found in `so`
/// added to a new set, in the iterable's order.
///
/// # Safety
/// `so` is a set; `list` a list of its item type.
unsafe fn intersection_items(so: *mut kc_meminfo, list: *mut kc_meminfo) -> *mut kc_meminfo {
    // SAFETY: the caller's contract.
    let result = unsafe { new_like(so) };
    if result.is_null() {
        return result;
    }
    let mut buf = Vec::new();
    // SAFETY: as above; CPython stops once the result is as large as so, after which every
    // item would be one the result has: the same set.
    for key in unsafe { list_items(header(so), list) } {
        unsafe { as_entry(header(so), key, &mut buf) };
        if unsafe { contains_entry(so, buf.as_ptr()) } && !unsafe { add_entry(result, buf.as_ptr()) } {
            unsafe { decref(result) };
            return std::ptr::null_mut();
        }
    }
    result
}

/// CPython's `set_difference_update_internal` for an iterable that is not a set.
///
/// # Safety
/// `so` is a set; `list` a list of its item type (not sharing its buffers).
unsafe fn difference_update_items(so: *mut kc_meminfo, list: *mut kc_meminfo) -> bool {
    let mut buf = Vec::new();
    // SAFETY: the caller's contract.
    for key in unsafe { list_items(header(so), list) } {
        unsafe {
            as_entry(header(so), key, &mut buf);
            discard_entry(so, buf.as_ptr());
        }
    }
    // SAFETY: a set.
    let h = unsafe { header(so) };
    if (h.fill - h.len) as u64 <= (h.mask as u64) / 4 {
        return true;
    }
    let minused = if h.len > 50_000 { h.len * 2 } else { h.len * 4 };
    // SAFETY: a set.
    unsafe { resize(so, minused) }
}

/// CPython's `set_swap_bodies` of `a` with a set made for it (`made`, then dropped): `a` takes
/// its table, keeping its own `pop` finger.
///
/// # Safety
/// Both are sets of one key type; `made` is owned by the caller.
unsafe fn take_body(a: *mut kc_meminfo, made: *mut kc_meminfo) {
    // SAFETY: the caller's contract.
    unsafe {
        let hm = *header(made);
        let t = std::mem::replace(&mut (*made).dependent, std::ptr::null_mut());
        install(a, t, hm.mask);
        let ha = header(a);
        ha.len = hm.len;
        ha.fill = hm.fill;
        decref(made);
    }
}

/// CPython's `set_difference` for two sets.
///
/// # Safety
/// Both are sets of the same key type.
unsafe fn difference(so: *mut kc_meminfo, other: *mut kc_meminfo) -> *mut kc_meminfo {
    // SAFETY: the caller's contract.
    let (so_len, other_len) = unsafe { (header(so).len, header(other).len) };
    if (so_len >> 2) > other_len {
        // SAFETY: sets.
        let c = unsafe { copy(so) };
        if !c.is_null() && !unsafe { difference_update(c, other) } {
            unsafe { decref(c) };
            return std::ptr::null_mut();
        }
        return c;
    }
    // SAFETY: the caller's contract.
    unsafe { entries_where(so, so, other, false) }
}

/// CPython's `set_symmetric_difference_update` for a set `other`.
///
/// # Safety
/// Both are sets of the same key type.
unsafe fn symmetric_difference_update(so: *mut kc_meminfo, other: *mut kc_meminfo) -> bool {
    if so == other {
        // SAFETY: a set.
        return unsafe { clear(so) };
    }
    // SAFETY: other is not so, so its entries stay put.
    for e in unsafe { active(other) } {
        if !unsafe { discard_entry(so, e) } && !unsafe { add_entry(so, e) } {
            return false;
        }
    }
    true
}

/// CPython's `set_clear_internal`: back to an empty table of the smallest size.
///
/// # Safety
/// `mi` is a set.
unsafe fn clear(mi: *mut kc_meminfo) -> bool {
    // SAFETY: the caller's contract.
    let h = unsafe { *header(mi) };
    let table = new_table(&h, MINSIZE);
    if table.is_null() {
        return false;
    }
    // SAFETY: the set takes the new table.
    unsafe {
        install(mi, table, MINSIZE - 1);
        let h = header(mi);
        h.len = 0;
        h.fill = 0;
    }
    true
}

/// CPython's `set_issubset` for two sets.
///
/// # Safety
/// Both are sets of the same key type.
unsafe fn issubset(so: *mut kc_meminfo, other: *mut kc_meminfo) -> bool {
    // SAFETY: the caller's contract.
    unsafe { header(so).len <= header(other).len && active(so).into_iter().all(|e| contains_entry(other, e)) }
}

/// The keys in table order, as a new list of `key_size`-byte items.
///
/// # Safety
/// `mi` is a set.
unsafe fn list(mi: *mut kc_meminfo) -> *mut kc_meminfo {
    // SAFETY: the caller's contract.
    let h = unsafe { *header(mi) };
    new_list(h.len, h.key_size, |data| {
        // SAFETY: `len` active entries, each key `key_size` bytes, into the room `new_list` made.
        unsafe {
            for (n, e) in active(mi).into_iter().enumerate() {
                std::ptr::copy_nonoverlapping(
                    e.add(ENTRY_PREFIX),
                    data.add(n * h.key_size as usize),
                    h.key_size as usize,
                );
            }
        }
        h.len
    })
}

/// CPython's `set.pop`: the first active entry from the finger on, its key written to `out`;
/// false when the set is empty.
///
/// # Safety
/// `mi` is a set; `out` has room for a key.
unsafe fn pop(mi: *mut kc_meminfo, out: *mut u8) -> bool {
    // SAFETY: the caller's contract.
    let h = unsafe { header(mi) };
    if h.len == 0 {
        return false;
    }
    let mut i = (h.finger & h.mask) as u64;
    loop {
        // SAFETY: i <= mask.
        let e = unsafe { h.entry(i) };
        // SAFETY: an entry's prefix, then its key.
        unsafe {
            if *(e as *const i64).add(1) == ACTIVE {
                std::ptr::copy_nonoverlapping(e.add(ENTRY_PREFIX), out, h.key_size as usize);
                *(e as *mut i64) = -1;
                *(e as *mut i64).add(1) = DUMMY;
                h.len -= 1;
                h.finger = i as i64 + 1;
                return true;
            }
        }
        i = if i as i64 >= h.mask { 0 } else { i + 1 };
    }
}

/// Makes a set from a key description: `[key_size, tuple, nlanes, (offset, kind) * nlanes]`.
///
/// # Safety
/// `desc` points to such a description.
unsafe fn new_from(desc: *const i64) -> *mut kc_meminfo {
    // SAFETY: the caller's contract.
    let (key_size, tuple, nlanes) = unsafe { (*desc, *desc.add(1), *desc.add(2)) };
    if key_size <= 0 || !(1..=MAX_LANES as i64).contains(&nlanes) {
        return std::ptr::null_mut();
    }
    let mut lanes = [[0i64; 2]; MAX_LANES];
    for (l, lane) in lanes.iter_mut().enumerate().take(nlanes as usize) {
        // SAFETY: the description has nlanes pairs.
        let (off, k) = unsafe { (*desc.add(3 + 2 * l), *desc.add(4 + 2 * l)) };
        let size = match k {
            kind::I8 | kind::U8 => 1,
            kind::I16 | kind::U16 => 2,
            kind::I32 | kind::U32 | kind::F32 => 4,
            kind::I64 | kind::U64 | kind::F64 => 8,
            _ => return std::ptr::null_mut(),
        };
        if off < 0 || off + size > key_size {
            return std::ptr::null_mut();
        }
        *lane = [off, k];
    }
    new_set(Header {
        len: 0,
        fill: 0,
        mask: 0,
        finger: 0,
        key_size,
        tuple,
        nlanes,
        lanes,
        table: std::ptr::null_mut(),
    })
}

/// A new set (its meminfo) as `set_op`'s result; 0 when memory is exhausted.
fn made(mi: *mut kc_meminfo) -> i64 {
    mi as i64
}

/// The host's `set_op`: `op` (see [`op`]) on the set `a`, with the set `b` or the key `key`.
/// Results: a new set or list as its meminfo's address (0: out of memory) for NEW, COPY, OR,
/// AND, SUB, XOR, LIST, REBUILD, AND_ITEMS and SUB_ITEMS; 1 or 0 for CONTAINS, DISCARD (found), POP (not empty), ISSUBSET,
/// ISDISJOINT and EQ; 1 (done) or 0 (out of memory) for the rest.
///
/// # Safety
/// `a` and `b` are null or sets from `set_op(NEW, ...)` (or copies) of one key type; `key` has
/// room for a key (for NEW: points to the key description).
pub unsafe extern "C" fn host_set_op(op: i64, a: *mut kc_meminfo, b: *mut kc_meminfo, key: *mut c_void) -> i64 {
    let key = key as *mut u8;
    let mut buf = Vec::new();
    // SAFETY: the caller's contract, operation by operation.
    unsafe {
        match op {
            op::NEW => made(new_from(key as *const i64)),
            op::ADD => {
                as_entry(header(a), key, &mut buf);
                add_entry(a, buf.as_ptr()) as i64
            }
            op::CONTAINS => {
                as_entry(header(a), key, &mut buf);
                contains_entry(a, buf.as_ptr()) as i64
            }
            op::DISCARD => {
                as_entry(header(a), key, &mut buf);
                discard_entry(a, buf.as_ptr()) as i64
            }
            op::POP => pop(a, key) as i64,
            op::CLEAR => clear(a) as i64,
            op::COPY => made(copy(a)),
            op::UPDATE => merge(a, b) as i64,
            op::OR => {
                let c = copy(a);
                if !c.is_null() && !merge(c, b) {
                    decref(c);
                    return 0;
                }
                made(c)
            }
            op::AND => made(intersection(a, b)),
            op::SUB => made(difference(a, b)),
            op::XOR => {
                // CPython: a copy of b, then b's copy updated with a.
                let c = copy(b);
                if !c.is_null() && !symmetric_difference_update(c, a) {
                    decref(c);
                    return 0;
                }
                made(c)
            }
            op::IAND | op::IAND_ITEMS => {
                // CPython's intersection_update: the intersection's table becomes a's.
                let i = if op == op::IAND {
                    intersection(a, b)
                } else {
                    intersection_items(a, b)
                };
                if i.is_null() {
                    return 0;
                }
                take_body(a, i);
                1
            }
            op::AND_ITEMS => made(intersection_items(a, b)),
            op::SUB_ITEMS => {
                // CPython's set_copy_and_difference.
                let c = copy(a);
                if !c.is_null() && !difference_update_items(c, b) {
                    decref(c);
                    return 0;
                }
                made(c)
            }
            op::ISUB_ITEMS => difference_update_items(a, b) as i64,
            op::ISUB => difference_update(a, b) as i64,
            op::IXOR => {
                if a == b {
                    return clear(a) as i64;
                }
                // Walk a snapshot: b is not a here, but stay safe if it changes.
                for e in active_copies(b) {
                    if !discard_entry(a, e.as_ptr()) && !add_entry(a, e.as_ptr()) {
                        return 0;
                    }
                }
                1
            }
            op::ISSUBSET => issubset(a, b) as i64,
            op::ISDISJOINT => {
                let (small, big) = if header(a).len <= header(b).len { (a, b) } else { (b, a) };
                !active(small).into_iter().any(|e| contains_entry(big, e)) as i64
            }
            op::EQ => (header(a).len == header(b).len && issubset(a, b)) as i64,
            op::LIST => made(list(a)),
            op::REBUILD => {
                // `frozenset(tuple(a))`: a's items added one by one in its iteration order.
                let c = new_like(a);
                if c.is_null() {
                    return 0;
                }
                for e in active(a) {
                    if !add_entry(c, e) {
                        decref(c);
                        return 0;
                    }
                }
                made(c)
            }
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int_set() -> *mut kc_meminfo {
        let desc = [8i64, 0, 1, 0, kind::I64];
        unsafe { new_from(desc.as_ptr()) }
    }

    fn items(s: *mut kc_meminfo) -> Vec<i64> {
        unsafe {
            let l = list(s);
            let lh = &*((*l).data as *const ListHeader);
            let v = std::slice::from_raw_parts(lh.items as *const i64, lh.len as usize).to_vec();
            decref(l);
            v
        }
    }

    fn add(s: *mut kc_meminfo, mut k: i64) {
        unsafe {
            assert_eq!(
                host_set_op(op::ADD, s, std::ptr::null_mut(), &mut k as *mut i64 as *mut c_void),
                1
            )
        };
    }

    #[test]
    fn hashes_as_cpython() {
        assert_eq!(hash_num(Num::Int(-1)), -2);
        assert_eq!(hash_num(Num::Int((1i128 << 61) - 1)), 0);
        assert_eq!(hash_num(Num::Int(-(1i128 << 62))), -2);
        assert_eq!(hash_num(Num::Float(1.5)), 1_152_921_504_606_846_977);
        assert_eq!(hash_num(Num::Float(-0.0)), 0);
        assert_eq!(hash_num(Num::Float(2.0)), 2);
        assert_eq!(hash_num(Num::Float(f64::INFINITY)), 314_159);
        assert_eq!(hash_num(Num::Float(1e-310)), hash_num(Num::Float(1e-310)));
        assert_eq!(frexp(8.0), (0.5, 4));
    }

    #[test]
    fn order_and_operations() {
        let s = int_set();
        for k in [5, 13, 21, -1, 1 << 40] {
            add(s, k);
        }
        // CPython 3.11: list({5, 13, 21, -1, 1 << 40}) built by adds.
        assert_eq!(items(s).len(), 5);
        let t = int_set();
        for k in [13, 99] {
            add(t, k);
        }
        unsafe {
            let i = host_set_op(op::AND, s, t, std::ptr::null_mut()) as *mut kc_meminfo;
            assert_eq!(items(i), vec![13]);
            let u = host_set_op(op::OR, s, t, std::ptr::null_mut()) as *mut kc_meminfo;
            assert_eq!(header(u).len, 6);
            assert_eq!(host_set_op(op::ISSUBSET, i, u, std::ptr::null_mut()), 1);
            decref(i);
            decref(u);
            decref(s);
            decref(t);
        }
    }
}
