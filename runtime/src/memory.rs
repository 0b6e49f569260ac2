//! Buffers kernels allocate (`np.empty`, array results): one block holding a `kc_meminfo`
//! header and 64-byte aligned data, reference-counted so that views keep their base alive.

use std::sync::atomic::{AtomicI64, Ordering};

use kcache_abi::kc_meminfo;

/// Buffers that kernels allocated and nobody released yet, and their bytes: what a leak test
/// watches (`kc_memory_stats`).
static LIVE_BUFFERS: AtomicI64 = AtomicI64::new(0);
static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);

/// The data starts this far into the block, after the `kc_meminfo` header: 64-byte alignment,
/// as NumPy's SIMD loops and AVX-512 prefer.
const DATA_ALIGN: usize = 64;

fn block_layout(nbytes: i64) -> Option<std::alloc::Layout> {
    let total = usize::try_from(nbytes).ok()?.checked_add(DATA_ALIGN)?;
    std::alloc::Layout::from_size_align(total, DATA_ALIGN).ok()
}

/// Blocks from this size on are backed by transparent huge pages where the kernel allows it,
/// as NumPy does for its large arrays: a fresh 80 MB result otherwise costs 20,000 page faults.
const HUGE_PAGE_MIN: usize = 4 << 20;

fn advise_huge_pages(block: *mut u8, size: usize) {
    const HUGE: usize = 2 << 20;
    if size < HUGE_PAGE_MIN {
        return;
    }
    let start = (block as usize).next_multiple_of(HUGE);
    let end = (block as usize + size) & !(HUGE - 1);
    if end > start {
        // SAFETY: [start, end) lies inside the block just allocated; madvise only advises (an
        // error, e.g. THP disabled, changes nothing).
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
    }
}

/// The host's `alloc`: one block holding the header and the data, refcount 1; null when the
/// size is negative or memory is exhausted (the kernel raises MemoryError).
pub extern "C" fn host_alloc(nbytes: i64) -> *mut kc_meminfo {
    let Some(layout) = block_layout(nbytes) else {
        return std::ptr::null_mut();
    };
    let block = match reuse::take(layout.size()) {
        Some(block) => block,
        None => {
            // SAFETY: the layout has a non-zero size (the header).
            let block = unsafe { std::alloc::alloc(layout) };
            if block.is_null() {
                return std::ptr::null_mut();
            }
            advise_huge_pages(block, layout.size());
            block
        }
    };
    let mi = block as *mut kc_meminfo;
    // SAFETY: the block is at least DATA_ALIGN bytes, enough for the header, and aligned.
    unsafe {
        mi.write(kc_meminfo {
            refcount: 1,
            nbytes,
            data: block.add(DATA_ALIGN) as *mut std::ffi::c_void,
            dependent: std::ptr::null_mut(),
        })
    };
    LIVE_BUFFERS.fetch_add(1, Ordering::Relaxed);
    LIVE_BYTES.fetch_add(nbytes, Ordering::Relaxed);
    mi
}

/// The host's `release`: frees a buffer whose refcount reached 0.
///
/// # Safety
/// `mi` came from `host_alloc` and nothing uses it any more.
pub unsafe extern "C" fn host_release(mi: *mut kc_meminfo) {
    if mi.is_null() {
        return;
    }
    // SAFETY: the caller's contract: nothing uses `mi` any more.
    unsafe { crate::dict::before_release(mi) };
    // SAFETY: the caller's contract; the header was written by host_alloc.
    let (nbytes, dependent) = unsafe { ((*mi).nbytes, (*mi).dependent) };
    // A list's header holds its items buffer: it goes too (unless another reference keeps it).
    // SAFETY: a kernel stores a live buffer it owns a reference to, or null.
    unsafe { decref(dependent) };
    let layout = block_layout(nbytes).expect("the size host_alloc accepted");
    if let Some(block) = reuse::keep(mi as *mut u8, layout.size()) {
        // SAFETY: the block was allocated with this layout.
        unsafe { std::alloc::dealloc(block, layout) };
    }
    LIVE_BUFFERS.fetch_sub(1, Ordering::Relaxed);
    LIVE_BYTES.fetch_sub(nbytes, Ordering::Relaxed);
}

/// Drops one reference to a buffer, freeing it with the last.
///
/// # Safety
/// `mi` is null or a live buffer from `host_alloc` whose reference the caller owns.
pub unsafe fn decref(mi: *mut kc_meminfo) {
    if mi.is_null() {
        return;
    }
    // SAFETY: refcount is an i64 that generated code updates atomically too.
    let count = unsafe { AtomicI64::from_ptr(std::ptr::addr_of_mut!((*mi).refcount)) };
    if count.fetch_sub(1, Ordering::AcqRel) == 1 {
        // SAFETY: that was the last reference.
        unsafe { host_release(mi) };
    }
}

/// The header generated code makes for a list: length, capacity, the items' first byte (its
/// `LIST_HEADER`); the items buffer is the header buffer's `dependent`.
#[repr(C)]
pub(crate) struct ListHeader {
    pub(crate) len: i64,
    pub(crate) cap: i64,
    pub(crate) items: *mut u8,
}

/// A new list as generated code lays one out, with room for `count` items of `size` bytes
/// (4 at least): `fill` writes the items at the pointer it is given and returns how many it
/// wrote. Null when memory is exhausted (nothing is leaked then). How dicts and sets hand
/// their keys, values and entries to kernels.
pub fn new_list(count: i64, size: i64, fill: impl FnOnce(*mut u8) -> i64) -> *mut kc_meminfo {
    let cap = count.max(4);
    let Some(bytes) = cap.checked_mul(size) else {
        return std::ptr::null_mut();
    };
    let items = host_alloc(bytes);
    if items.is_null() {
        return items;
    }
    let list = host_alloc(std::mem::size_of::<ListHeader>() as i64);
    if list.is_null() {
        // SAFETY: the only reference.
        unsafe { decref(items) };
        return list;
    }
    // SAFETY: both buffers were just allocated with the sizes written here; `fill` writes at
    // most `count` items of `size` bytes (its caller's contract).
    unsafe {
        let data = (*items).data as *mut u8;
        let len = fill(data);
        ((*list).data as *mut ListHeader).write(ListHeader { len, cap, items: data });
        (*list).dependent = items;
    }
    list
}

/// Releases the buffer an array a kernel returned holds (its `owner`) and clears the owner, so
/// a second release through the same struct does nothing; a null owner (memory the caller
/// owns) is left alone.
///
/// # Safety
/// `array` is null or points to a `kc_array` whose owner is null or a reference it holds.
pub unsafe fn release_array(array: *mut kcache_abi::kc_array) {
    if array.is_null() {
        return;
    }
    // SAFETY: the caller's contract.
    let owner = unsafe { std::mem::replace(&mut (*array).owner, std::ptr::null_mut()) };
    // SAFETY: the owner is a live buffer this struct held one reference to.
    unsafe { decref(owner) };
}

/// (buffers, bytes) allocated by kernels and not released yet.
pub fn live_memory() -> (i64, i64) {
    (LIVE_BUFFERS.load(Ordering::Relaxed), LIVE_BYTES.load(Ordering::Relaxed))
}

/// Freed large blocks kept for the next allocation of the same size. A kernel called in a loop
/// that returns a fresh 80 MB array would otherwise get it from `mmap` and give it back with
/// `munmap` every time, paying 20,000 page faults (or 40 huge-page faults and 80 MB of zeroing)
/// per call: what a caching allocator (jemalloc's retained extents, PyTorch's block cache) avoids.
/// Bounded in bytes and in age; `KCACHE_BUFFER_CACHE_MB=0` turns it off.
mod reuse {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    /// Smaller blocks come from malloc's own free lists anyway.
    const MIN_BLOCK: usize = 1 << 20;
    const DEFAULT_CAP_MB: usize = 256;
    /// A block nobody asked for within this long goes back to the system, at the next
    /// allocation or release.
    const MAX_AGE: Duration = Duration::from_secs(2);

    struct Kept {
        block: usize,
        size: usize,
        since: Instant,
    }

    struct Cache {
        blocks: Vec<Kept>,
        bytes: usize,
    }

    static CACHE: Mutex<Cache> = Mutex::new(Cache {
        blocks: Vec::new(),
        bytes: 0,
    });

    fn cap() -> usize {
        static CAP: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *CAP.get_or_init(|| {
            std::env::var("KCACHE_BUFFER_CACHE_MB")
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(DEFAULT_CAP_MB)
                .saturating_mul(1 << 20)
        })
    }

    /// Frees the blocks kept longer than `MAX_AGE` (the cache's lock held).
    fn expire(cache: &mut Cache, now: Instant) {
        cache.blocks.retain(|k| {
            if now.duration_since(k.since) < MAX_AGE {
                return true;
            }
            cache.bytes -= k.size;
            free(k.block, k.size);
            false
        });
    }

    fn free(block: usize, size: usize) {
        let layout = std::alloc::Layout::from_size_align(size, super::DATA_ALIGN).expect("a kept block's layout");
        // SAFETY: the block was allocated with this layout and is no longer used by anyone.
        unsafe { std::alloc::dealloc(block as *mut u8, layout) };
    }

    /// A kept block of exactly `size` bytes, if there is one.
    pub(super) fn take(size: usize) -> Option<*mut u8> {
        if size < MIN_BLOCK {
            return None;
        }
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        if cache.blocks.is_empty() {
            return None;
        }
        expire(&mut cache, Instant::now());
        let at = cache.blocks.iter().rposition(|k| k.size == size)?;
        let kept = cache.blocks.swap_remove(at);
        cache.bytes -= kept.size;
        Some(kept.block as *mut u8)
    }

    /// Keeps a freed block for reuse; gives it back (`Some`) when it is small, the cache is
    /// full or off.
    pub(super) fn keep(block: *mut u8, size: usize) -> Option<*mut u8> {
        if size < MIN_BLOCK || size > cap() {
            return Some(block);
        }
        let now = Instant::now();
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        expire(&mut cache, now);
        // Make room by dropping the oldest blocks first.
        while cache.bytes + size > cap() && !cache.blocks.is_empty() {
            let oldest = cache.blocks.remove(0);
            cache.bytes -= oldest.size;
            free(oldest.block, oldest.size);
        }
        cache.blocks.push(Kept {
            block: block as usize,
            size,
            since: now,
        });
        cache.bytes += size;
        None
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_freed_large_block_is_reused_for_the_same_size_only() {
            let size = 3 << 20;
            let layout = std::alloc::Layout::from_size_align(size, super::super::DATA_ALIGN).unwrap();
            // SAFETY: a non-zero layout.
            let block = unsafe { std::alloc::alloc(layout) };
            assert!(!block.is_null());
            assert!(keep(block, size).is_none());
            assert_eq!(take(size + 64), None);
            assert_eq!(take(size), Some(block));
            assert_eq!(take(size), None);
            // Small blocks are not kept.
            let small = 4096;
            let fake = 0x1000 as *mut u8;
            assert_eq!(keep(fake, small), Some(fake));
            free(block as usize, size);
        }
    }
}
