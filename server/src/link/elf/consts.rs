//! ELF constants of the x86-64 psABI that the linker reads and writes.

pub(super) const PAGE: u64 = 0x1000;
pub(super) const EHDR_SIZE: u64 = 64;
pub(super) const PHDR_SIZE: u64 = 56;
pub(super) const SHDR_SIZE: u64 = 64;
pub(super) const SYM_SIZE: u64 = 24;
pub(super) const RELA_SIZE: u64 = 24;
pub(super) const DYN_SIZE: u64 = 16;
pub(super) const PLT_STUB_SIZE: u64 = 8;

pub(super) const SHT_PROGBITS: u32 = 1;
pub(super) const SHT_SYMTAB: u32 = 2;
pub(super) const SHT_STRTAB: u32 = 3;
pub(super) const SHT_RELA: u32 = 4;
pub(super) const SHT_HASH: u32 = 5;
pub(super) const SHT_DYNAMIC: u32 = 6;
pub(super) const SHT_NOBITS: u32 = 8;
pub(super) const SHT_REL: u32 = 9;
pub(super) const SHT_DYNSYM: u32 = 11;
pub(super) const SHT_INIT_ARRAY: u32 = 14;
pub(super) const SHT_FINI_ARRAY: u32 = 15;
pub(super) const SHT_PREINIT_ARRAY: u32 = 16;
pub(super) const SHT_GROUP: u32 = 17;
pub(super) const SHT_X86_64_UNWIND: u32 = 0x7000_0001;

pub(super) const SHF_WRITE: u64 = 1;
pub(super) const SHF_ALLOC: u64 = 2;
pub(super) const SHF_EXECINSTR: u64 = 4;
pub(super) const SHF_TLS: u64 = 0x400;

pub(super) const SHN_UNDEF: u16 = 0;
pub(super) const SHN_LORESERVE: u16 = 0xff00;
pub(super) const SHN_ABS: u16 = 0xfff1;
pub(super) const SHN_COMMON: u16 = 0xfff2;

pub(super) const STB_GLOBAL: u8 = 1;
pub(super) const STB_WEAK: u8 = 2;
pub(super) const STT_TLS: u8 = 6;
pub(super) const STV_HIDDEN: u8 = 2;
pub(super) const STV_INTERNAL: u8 = 1;

pub(super) const R_X86_64_NONE: u32 = 0;
pub(super) const R_X86_64_64: u32 = 1;
pub(super) const R_X86_64_PC32: u32 = 2;
pub(super) const R_X86_64_PLT32: u32 = 4;
pub(super) const R_X86_64_GLOB_DAT: u32 = 6;
pub(super) const R_X86_64_RELATIVE: u32 = 8;
pub(super) const R_X86_64_GOTPCREL: u32 = 9;
pub(super) const R_X86_64_PC64: u32 = 24;
pub(super) const R_X86_64_GOTOFF64: u32 = 25;
pub(super) const R_X86_64_GOTPC32: u32 = 26;
pub(super) const R_X86_64_GOTPCRELX: u32 = 41;
pub(super) const R_X86_64_REX_GOTPCRELX: u32 = 42;

pub(super) const DT_NULL: u64 = 0;
pub(super) const DT_NEEDED: u64 = 1;
pub(super) const DT_HASH: u64 = 4;
pub(super) const DT_STRTAB: u64 = 5;
pub(super) const DT_SYMTAB: u64 = 6;
pub(super) const DT_RELA: u64 = 7;
pub(super) const DT_RELASZ: u64 = 8;
pub(super) const DT_RELAENT: u64 = 9;
pub(super) const DT_STRSZ: u64 = 10;
pub(super) const DT_SYMENT: u64 = 11;
pub(super) const DT_SONAME: u64 = 14;
pub(super) const DT_FLAGS: u64 = 30;
pub(super) const DT_FLAGS_1: u64 = 0x6fff_fffb;
pub(super) const DF_BIND_NOW: u64 = 8;
pub(super) const DF_1_NOW: u64 = 1;

pub(super) const PT_LOAD: u32 = 1;
pub(super) const PT_DYNAMIC: u32 = 2;
pub(super) const PT_GNU_STACK: u32 = 0x6474_e551;
pub(super) const PF_X: u32 = 1;
pub(super) const PF_W: u32 = 2;
pub(super) const PF_R: u32 = 4;
