//! Stack for recursion over the user's input. Kernels from code generators nest expressions
//! thousands deep and chain `and`/`elif` by the hundred thousand; every walk over the syntax
//! tree or the typed IR recurses, so the compiler runs on a large stack of its own and each
//! recursive step grows it on demand instead of overflowing a worker thread's.

/// The stack a front end run or a compile starts on: only reserved address space, the pages a
/// compile touches are the only ones it costs.
pub const COMPILER_STACK_BYTES: usize = 512 << 20;

/// Free stack below which a recursive step moves to a new segment.
const RED_ZONE: usize = 256 << 10;
/// The size of each new segment.
const SEGMENT: usize = 16 << 20;

/// Runs `f` (a whole front end run or compile) with `COMPILER_STACK_BYTES` of stack: on the
/// current one when it has that much left (the daemon's runtime threads and compile workers
/// are made so), else on a fresh one (the library called from an ordinary thread). A worker's
/// memory limit counts address space, so a second reservation there would cost it.
pub fn on_compiler_stack<R>(f: impl FnOnce() -> R) -> R {
    match stacker::remaining_stack() {
        Some(left) if left >= COMPILER_STACK_BYTES / 2 => f(),
        _ => stacker::grow(COMPILER_STACK_BYTES, f),
    }
}

/// Runs one recursive step, on a new stack segment when little is left.
#[inline]
pub fn deep<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}
