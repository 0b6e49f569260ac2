//! Where a thread's stack ends, for kernels' recursion check: a recursive kernel function
//! compares its frame address with [`host_stack_floor`] on entry and raises RecursionError
//! below it (Python's error; an overflow would kill the calling process, as it does Numba's).

use std::cell::Cell;

/// Stack kept free below the floor: what the deepest frame between two checks, and the
/// runtime functions a kernel calls from there (printing, raising), may still use.
const MARGIN: usize = 256 * 1024;

thread_local! {
    static FLOOR: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// The host's `stack_floor`: the calling thread's stack low end plus [`MARGIN`], found once
/// per thread (0, no check, when the system does not say).
pub extern "C" fn host_stack_floor() -> u64 {
    FLOOR.with(|floor| {
        if floor.get() == usize::MAX {
            floor.set(thread_stack_low().map_or(0, |low| low + MARGIN));
        }
        floor.get() as u64
    })
}

/// The lowest address of the calling thread's stack.
fn thread_stack_low() -> Option<usize> {
    // SAFETY: `attr` is initialised by pthread_getattr_np before it is read and destroyed
    // once; the out-pointers point at locals.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return None;
        }
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let got = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        (got == 0 && !addr.is_null() && size > 2 * MARGIN).then_some(addr as usize)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_floor_is_below_this_frame_and_above_nothing() {
        let here = 0u8;
        let floor = super::host_stack_floor();
        assert!(floor > 0, "Linux reports the stack");
        assert!(floor < &here as *const u8 as u64);
        let other = std::thread::spawn(|| super::host_stack_floor()).join().unwrap();
        assert_ne!(floor, other, "each thread has its own stack");
    }
}
