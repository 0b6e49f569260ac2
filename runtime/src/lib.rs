//! The runtime compiled kernels call back into, defined once: the thread pool for `prange`
//! ([`pool`]), the buffers kernels allocate ([`memory`]), the per-thread random generators
//! ([`random`]), the dicts and sets kernels make ([`dict`], [`set`]) and the exception a typed entry raised ([`error`]), all reached by a module
//! through the host table [`HOST_API`] handed to its `kc_module_init`.
//!
//! Two hosts link it: `libkcache` (the loader passes [`HOST_API`] to every module it loads) and
//! each library `kcache export` writes, which links `libkcache_export_runtime.a` (the crate in
//! `runtime/export`: this crate behind a few `kcache_rt_*` C functions). Nothing here starts before it is needed:
//! the pool's threads start with the first parallel region, a generator with its first draw.
//!
//! No dependencies beyond the ABI crate and libc: an exported library carries this and nothing
//! of the client (no gRPC, no tokio).

pub mod check;
pub mod dict;
pub mod error;
pub mod memory;
pub mod pool;
pub mod print;
pub mod random;
pub mod set;
pub mod stack;

use kcache_abi::{kc_host_api, HOST_API_VERSION};

/// The host table every module's `kc_module_init` receives.
pub static HOST_API: kc_host_api = kc_host_api {
    version: HOST_API_VERSION,
    set_error: error::host_set_error,
    parallel_for: pool::parallel_for,
    num_threads: pool::host_num_threads,
    alloc: memory::host_alloc,
    release: memory::host_release,
    random_seed: random::host_random_seed,
    random_u32: random::host_random_u32,
    random_double: random::host_random_double,
    random_gauss: random::host_random_gauss,
    print_text: print::host_print_text,
    print_number: print::host_print_number,
    print_end: print::host_print_end,
    dict_new: dict::host_dict_new,
    dict_lookup: dict::host_dict_lookup,
    dict_insert: dict::host_dict_insert,
    dict_remove: dict::host_dict_remove,
    dict_clear: dict::host_dict_clear,
    dict_copy: dict::host_dict_copy,
    dict_list: dict::host_dict_list,
    dict_popitem: dict::host_dict_popitem,
    dict_update: dict::host_dict_update,
    key_error: dict::host_key_error,
    stack_floor: stack::host_stack_floor,
    set_op: set::host_set_op,
};
