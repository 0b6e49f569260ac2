//! An in-process loader for the plain shared objects kcached's own linker writes
//! (`server/src/link/elf`): segments copied into anonymous memory, `RELA` relocations applied,
//! segment permissions set, symbols found through `DT_HASH`. No file, no memfd, no `dlopen`.
//!
//! Why: `dlopen` of a 9 KB kernel cost 50-130 µs of a fresh process's 0.3-0.7 ms hit (the
//! `/proc/self/fd` path walk, glibc's bookkeeping and its first-use page faults), and the bytes
//! loaded here are exactly the bytes whose digest the caller verified.
//!
//! Anything this loader does not understand is [`Declined`], and the caller falls back to
//! `dlopen`: thread-local storage, initialisers (`DT_INIT`, init arrays), symbol versions, text
//! relocations, IFUNCs, relocation types other than `RELATIVE`, `64`, `GLOB_DAT` and
//! `JUMP_SLOT`, dependencies other than libm and libc (which every process that loaded
//! libkcache has), or a page that two segments share. A segment both writable and executable is
//! declined too: no page is ever mapped writable and executable at once.
//!
//! Differences from `dlopen`, both on purpose: a symbol the object defines binds to its own
//! definition (as `-Bsymbolic`; nothing in a kernel is meant to be interposed), and the object
//! is not in glibc's list of loaded libraries (debuggers and unwinders do not see it; kernels
//! neither unwind nor are unwound through: the host functions they call are `extern "C"`).

use std::ffi::{c_void, CStr};
use std::sync::OnceLock;

/// Why an object is left to `dlopen` (a text for the tests and the debug log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declined(pub String);

fn declined<T>(why: impl Into<String>) -> Result<T, Declined> {
    Err(Declined(why.into()))
}

const PAGE: usize = 0x1000;
const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PT_TLS: u32 = 7;
const PT_GNU_RELRO: u32 = 0x6474_e552;
const PF_X: u32 = 1;
const PF_W: u32 = 2;

const DT_NULL: u64 = 0;
const DT_NEEDED: u64 = 1;
const DT_PLTRELSZ: u64 = 2;
const DT_HASH: u64 = 4;
const DT_STRTAB: u64 = 5;
const DT_SYMTAB: u64 = 6;
const DT_RELA: u64 = 7;
const DT_RELASZ: u64 = 8;
const DT_RELAENT: u64 = 9;
const DT_STRSZ: u64 = 10;
const DT_SYMENT: u64 = 11;
const DT_SONAME: u64 = 14;
const DT_PLTREL: u64 = 20;
const DT_DEBUG: u64 = 21;
const DT_JMPREL: u64 = 23;
const DT_FLAGS: u64 = 30;
const DT_GNU_HASH: u64 = 0x6fff_fef5;
const DT_RELACOUNT: u64 = 0x6fff_fff9;
const DT_FLAGS_1: u64 = 0x6fff_fffb;
const DF_TEXTREL: u64 = 4;
const DF_STATIC_TLS: u64 = 0x10;

const R_X86_64_NONE: u32 = 0;
const R_X86_64_64: u32 = 1;
const R_X86_64_GLOB_DAT: u32 = 6;
const R_X86_64_JUMP_SLOT: u32 = 7;
const R_X86_64_RELATIVE: u32 = 8;

const STB_GLOBAL: u8 = 1;
const STB_WEAK: u8 = 2;
const STT_TLS: u8 = 6;
const STT_GNU_IFUNC: u8 = 10;
const SHN_UNDEF: u16 = 0;
/// Symbols of the reserved section indices (absolute values, commons) are not addresses in the
/// image: none of kcached's exports is one.
const SHN_LORESERVE: u16 = 0xff00;

/// The libraries a kernel may name as `DT_NEEDED`: loaded in every process libkcache is in.
const KNOWN_NEEDED: &[&str] = &["libm.so.6", "libc.so.6"];
/// The largest image this loader maps (a kernel module is kilobytes; this bounds a hostile
/// header's request).
const MAX_IMAGE: usize = 1 << 30;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}
fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}
fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at.checked_add(8)?)?.try_into().ok()?))
}
fn usize_at(b: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u64_at(b, at)?).ok()
}

struct Segment {
    vaddr: usize,
    memsz: usize,
    offset: usize,
    filesz: usize,
    flags: u32,
}

/// A loaded object: its pages, and where its dynamic symbols are.
pub struct Image {
    mapping: Mapping,
    symtab: usize,
    strtab: usize,
    strsz: usize,
    hash: usize,
}

/// The object's pages, unmapped on drop (also when loading stops half-way). Every page stays
/// readable: gaps between segments are read-only zeros, so that a slice of the whole image is
/// always valid to read.
struct Mapping {
    base: *mut u8,
    len: usize,
}

// SAFETY: the mapping is owned by the value; after loading, only reads go through `base`.
unsafe impl Send for Mapping {}
// SAFETY: see Send.
unsafe impl Sync for Mapping {}

impl Mapping {
    fn new(len: usize) -> Result<Mapping, Declined> {
        // SAFETY: a fresh private anonymous mapping; the result is checked.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return declined(format!("mmap of {len} bytes: {}", std::io::Error::last_os_error()));
        }
        Ok(Mapping { base: p.cast(), len })
    }

    /// The image as bytes.
    fn bytes(&self) -> &[u8] {
        // SAFETY: base maps len readable bytes for as long as self lives.
        unsafe { std::slice::from_raw_parts(self.base, self.len) }
    }

    fn write_u64(&mut self, at: usize, value: u64) -> Result<(), Declined> {
        if at.checked_add(8).is_none_or(|end| end > self.len) {
            return declined(format!("a relocation at {at:#x} is outside the image"));
        }
        // SAFETY: in bounds (checked above) of a writable mapping self owns.
        unsafe { self.base.add(at).cast::<u64>().write_unaligned(value) };
        Ok(())
    }

    fn protect(&self, start: usize, end: usize, prot: libc::c_int) -> Result<(), Declined> {
        if start >= end {
            return Ok(());
        }
        // SAFETY: a page-aligned range inside the mapping self owns.
        if unsafe { libc::mprotect(self.base.add(start).cast(), end - start, prot) } != 0 {
            return declined(format!("mprotect: {}", std::io::Error::last_os_error()));
        }
        Ok(())
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: base and len are what mmap returned; the owner drops it only after the last
        // function pointer into it (a kernel holds its library).
        unsafe { libc::munmap(self.base.cast(), self.len) };
    }
}

fn page_down(x: usize) -> usize {
    x & !(PAGE - 1)
}
fn page_up(x: usize) -> Option<usize> {
    Some(x.checked_add(PAGE - 1)? & !(PAGE - 1))
}

/// What the program headers say: the loadable segments, the dynamic section's address, and
/// the range to make read-only after relocation.
struct Headers {
    loads: Vec<Segment>,
    dynamic: Option<usize>,
    relro: Option<(usize, usize)>,
}

fn program_headers(bytes: &[u8]) -> Result<Headers, Declined> {
    let bad = || Declined("a malformed ELF header".to_string());
    if bytes.get(..4) != Some(b"\x7fELF".as_slice()) {
        return declined("not an ELF file");
    }
    // 64-bit, little-endian, version 1, a shared object for x86-64.
    if bytes.get(4) != Some(&2) || bytes.get(5) != Some(&1) || bytes.get(6) != Some(&1) {
        return declined("not a 64-bit little-endian ELF file");
    }
    if !cfg!(target_arch = "x86_64") || u16_at(bytes, 18) != Some(62) {
        return declined("not an object for this machine's x86-64");
    }
    if u16_at(bytes, 16) != Some(3) {
        return declined("not a shared object");
    }
    let phoff = usize_at(bytes, 32).ok_or_else(bad)?;
    let phentsize = usize::from(u16_at(bytes, 54).ok_or_else(bad)?);
    let phnum = usize::from(u16_at(bytes, 56).ok_or_else(bad)?);
    if phentsize != 56 {
        return Err(bad());
    }
    let mut loads = Vec::new();
    let (mut dynamic, mut relro) = (None, None);
    for i in 0..phnum {
        let at = phoff.checked_add(i * phentsize).ok_or_else(bad)?;
        let kind = u32_at(bytes, at).ok_or_else(bad)?;
        let flags = u32_at(bytes, at + 4).ok_or_else(bad)?;
        let offset = usize_at(bytes, at + 8).ok_or_else(bad)?;
        let vaddr = usize_at(bytes, at + 16).ok_or_else(bad)?;
        let filesz = usize_at(bytes, at + 32).ok_or_else(bad)?;
        let memsz = usize_at(bytes, at + 40).ok_or_else(bad)?;
        match kind {
            PT_LOAD => {
                if flags & PF_W != 0 && flags & PF_X != 0 {
                    return declined("a segment both writable and executable");
                }
                if filesz > memsz || offset.checked_add(filesz).is_none_or(|end| end > bytes.len()) {
                    return Err(bad());
                }
                if vaddr % PAGE != offset % PAGE {
                    return declined("a segment whose address and file offset differ within a page");
                }
                loads.push(Segment {
                    vaddr,
                    memsz,
                    offset,
                    filesz,
                    flags,
                });
            }
            PT_DYNAMIC => dynamic = Some(vaddr),
            PT_GNU_RELRO => relro = Some((vaddr, vaddr.checked_add(memsz).ok_or_else(bad)?)),
            PT_TLS => return declined("thread-local storage"),
            PT_INTERP => return declined("an interpreter (an executable, not a library)"),
            _ => {}
        }
    }
    if loads.is_empty() {
        return declined("no loadable segment");
    }
    Ok(Headers { loads, dynamic, relro })
}

/// The libm handle imports are resolved in (libm and its own dependency, libc).
fn libm() -> *mut c_void {
    struct Handle(*mut c_void);
    // SAFETY: a dlopen handle may be used from any thread.
    unsafe impl Send for Handle {}
    // SAFETY: see Send.
    unsafe impl Sync for Handle {}
    static LIBM: OnceLock<Handle> = OnceLock::new();
    LIBM.get_or_init(|| {
        // SAFETY: a NUL-terminated name; RTLD_NOLOAD only finds the libm libkcache already
        // depends on (never loads anything).
        let h = unsafe { libc::dlopen(c"libm.so.6".as_ptr(), libc::RTLD_NOW | libc::RTLD_NOLOAD) };
        Handle(if h.is_null() { libc::RTLD_DEFAULT } else { h })
    })
    .0
}

impl Image {
    /// Loads `bytes` (a shared object) into memory of its own and relocates it; nothing in it
    /// runs. `Declined` leaves it to `dlopen`.
    pub fn load(bytes: &[u8]) -> Result<Image, Declined> {
        let Headers { loads, dynamic, relro } = program_headers(bytes)?;
        let Some(dynamic) = dynamic else {
            return declined("no dynamic section");
        };
        let mut end = 0usize;
        for s in &loads {
            end = end.max(
                s.vaddr
                    .checked_add(s.memsz)
                    .ok_or_else(|| Declined("a segment past the address space".into()))?,
            );
        }
        let len = page_up(end)
            .filter(|&l| l > 0 && l <= MAX_IMAGE)
            .ok_or_else(|| Declined("an image too large".into()))?;
        // Each page belongs to at most one segment, so that each gets its segment's permissions.
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(loads.len());
        for s in &loads {
            let span = (page_down(s.vaddr), page_up(s.vaddr + s.memsz).unwrap_or(len));
            if spans.iter().any(|&(a, b)| span.0 < b && a < span.1) {
                return declined("two segments share a page");
            }
            spans.push(span);
        }

        let mut image = Mapping::new(len)?;
        for s in &loads {
            // SAFETY: the source range is inside `bytes` (program_headers checked it) and the
            // destination inside the mapping (len covers every segment's end).
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr().add(s.offset), image.base.add(s.vaddr), s.filesz) };
        }

        let dynamic = Dynamic::read(image.bytes(), dynamic)?;
        let hash = dynamic.hash.ok_or_else(|| Declined("no DT_HASH symbol table".into()))?;
        let symbol_count = u32_at(image.bytes(), hash + 4).ok_or_else(|| Declined("a truncated DT_HASH".into()))?;
        let writable = |start: usize, end: usize| {
            loads
                .iter()
                .any(|s| s.flags & PF_W != 0 && s.vaddr <= start && end <= s.vaddr + s.memsz)
        };
        let mut relocations = Vec::new();
        for &(table, size) in &[(dynamic.rela, dynamic.relasz), (dynamic.jmprel, dynamic.pltrelsz)] {
            for i in 0..size / 24 {
                let r = table + i * 24;
                let b = image.bytes();
                let (Some(offset), Some(info), Some(addend)) = (usize_at(b, r), u64_at(b, r + 8), u64_at(b, r + 16))
                else {
                    return declined("a relocation table outside the image");
                };
                let kind = (info & 0xffff_ffff) as u32;
                let sym = (info >> 32) as u32;
                if sym != 0 && sym >= symbol_count {
                    return declined("a relocation naming a symbol past the table");
                }
                let value = match kind {
                    R_X86_64_NONE => continue,
                    R_X86_64_RELATIVE => (image.base as u64).wrapping_add(addend),
                    R_X86_64_64 => resolve(&image, &dynamic, sym)?.wrapping_add(addend),
                    R_X86_64_GLOB_DAT | R_X86_64_JUMP_SLOT => resolve(&image, &dynamic, sym)?,
                    other => return declined(format!("relocation type {other}")),
                };
                if !offset.checked_add(8).is_some_and(|end| writable(offset, end)) {
                    return declined("a relocation outside the writable segments");
                }
                relocations.push((offset, value));
            }
        }
        for (offset, value) in relocations {
            image.write_u64(offset, value)?;
        }

        // Each page's final protection (gaps: read-only zeros), applied a run of equal pages at a
        // time and only where it is not the mapping's read-write: every call that takes a right
        // away flushes the TLBs of the CPUs the process's other threads ran on, and those
        // interrupts cost 10-20 µs each under a hypervisor (measured in a Python process with
        // NumPy's threads).
        let mut protections = vec![libc::PROT_READ; len / PAGE];
        for (s, &(start, stop)) in loads.iter().zip(&spans) {
            let mut prot = libc::PROT_READ;
            if s.flags & PF_W != 0 {
                prot |= libc::PROT_WRITE;
            }
            if s.flags & PF_X != 0 {
                prot |= libc::PROT_EXEC;
            }
            protections[start / PAGE..stop / PAGE].fill(prot);
        }
        let mut page = 0;
        while page < protections.len() {
            let prot = protections[page];
            let run = protections[page..].iter().take_while(|&&p| p == prot).count();
            if prot != libc::PROT_READ | libc::PROT_WRITE {
                image.protect(page * PAGE, (page + run) * PAGE, prot)?;
            }
            page += run;
        }
        // What the linker marked read-only after relocation, as glibc does it: whole pages inside
        // a writable segment (the partial page at its end stays writable).
        if let Some((start, stop)) = relro {
            let (start, stop) = (page_down(start), page_down(stop));
            let in_writable_pages = loads
                .iter()
                .zip(&spans)
                .any(|(s, &(a, b))| s.flags & PF_W != 0 && a <= start && stop <= b);
            if start < stop && in_writable_pages {
                image.protect(start, stop, libc::PROT_READ)?;
            }
        }
        Ok(Image {
            mapping: image,
            symtab: dynamic.symtab,
            strtab: dynamic.strtab,
            strsz: dynamic.strsz,
            hash,
        })
    }

    /// The address of a defined, exported symbol.
    pub fn symbol(&self, name: &str) -> Option<*mut c_void> {
        let image = self.mapping.bytes();
        let nbucket = u32_at(image, self.hash)? as usize;
        let nchain = u32_at(image, self.hash + 4)? as usize;
        if nbucket == 0 {
            return None;
        }
        let mut index = u32_at(
            image,
            self.hash + 8 + (sysv_hash(name.as_bytes()) as usize % nbucket) * 4,
        )? as usize;
        // A chain longer than the table (or than the symbols the image can hold) is a loop: stop.
        for _ in 0..=nchain.min(image.len() / 24) {
            if index == 0 || index >= nchain {
                return None;
            }
            let sym = self.symtab + index * 24;
            let sym_name = name_at(image, self.strtab, self.strsz, u32_at(image, sym)? as usize)?;
            let info = *image.get(sym + 4)?;
            let shndx = u16_at(image, sym + 6)?;
            if sym_name == name.as_bytes()
                && shndx != SHN_UNDEF
                && shndx < SHN_LORESERVE
                && matches!(info >> 4, STB_GLOBAL | STB_WEAK)
            {
                // An IFUNC's value is its resolver and a TLS symbol's an offset: neither is the
                // address `dlsym` would give.
                if matches!(info & 0xf, STT_GNU_IFUNC | STT_TLS) {
                    return None;
                }
                let value = usize_at(image, sym + 8)?;
                return (value < image.len()).then(|| self.mapping.base.wrapping_add(value).cast());
            }
            index = u32_at(image, self.hash + 8 + nbucket * 4 + index * 4)? as usize;
        }
        None
    }
}

/// The NUL-terminated name at `offset` of the string table.
fn name_at(image: &[u8], strtab: usize, strsz: usize, offset: usize) -> Option<&[u8]> {
    if offset >= strsz {
        return None;
    }
    let tail = image.get(strtab.checked_add(offset)?..strtab.checked_add(strsz)?)?;
    Some(&tail[..tail.iter().position(|&c| c == 0)?])
}

/// The value a relocation against symbol `index` takes: the object's own definition, or
/// libm's (and libc's) for an import.
fn resolve(image: &Mapping, dynamic: &Dynamic, index: u32) -> Result<u64, Declined> {
    if index == 0 {
        return Ok(0);
    }
    let bytes = image.bytes();
    let sym = dynamic.symtab.saturating_add(index as usize * 24);
    let bad = || Declined("a symbol outside the image".to_string());
    let info = *bytes.get(sym + 4).ok_or_else(bad)?;
    let shndx = u16_at(bytes, sym + 6).ok_or_else(bad)?;
    let value = u64_at(bytes, sym + 8).ok_or_else(bad)?;
    match info & 0xf {
        STT_TLS => return declined("a thread-local symbol"),
        STT_GNU_IFUNC => return declined("an IFUNC symbol"),
        _ => {}
    }
    if shndx >= SHN_LORESERVE {
        return declined("a relocation against an absolute or common symbol");
    }
    if shndx != SHN_UNDEF {
        if value as usize >= image.len {
            return Err(bad());
        }
        return Ok((image.base as u64).wrapping_add(value));
    }
    let name = name_at(
        bytes,
        dynamic.strtab,
        dynamic.strsz,
        u32_at(bytes, sym).ok_or_else(bad)? as usize,
    )
    .ok_or_else(bad)?;
    let cname = std::ffi::CString::new(name).map_err(|_| bad())?;
    // SAFETY: dlsym with a live handle (or RTLD_DEFAULT) and a NUL-terminated name.
    let address = unsafe { libc::dlsym(libm(), cname.as_ptr()) };
    if address.is_null() {
        if info >> 4 == STB_WEAK {
            return Ok(0);
        }
        return declined(format!("an undefined symbol {}", String::from_utf8_lossy(name)));
    }
    Ok(address as u64)
}

/// What the dynamic section says, checked against what this loader handles.
struct Dynamic {
    hash: Option<usize>,
    symtab: usize,
    strtab: usize,
    strsz: usize,
    rela: usize,
    relasz: usize,
    jmprel: usize,
    pltrelsz: usize,
}

impl Dynamic {
    fn read(image: &[u8], at: usize) -> Result<Dynamic, Declined> {
        let mut d = Dynamic {
            hash: None,
            symtab: 0,
            strtab: 0,
            strsz: 0,
            rela: 0,
            relasz: 0,
            jmprel: 0,
            pltrelsz: 0,
        };
        let mut needed = Vec::new();
        let mut i = at;
        loop {
            let (Some(tag), Some(value)) = (u64_at(image, i), usize_at(image, i + 8)) else {
                return declined("a dynamic section without its end");
            };
            i += 16;
            match tag {
                DT_NULL => break,
                DT_NEEDED => needed.push(value),
                DT_HASH => d.hash = Some(value),
                DT_STRTAB => d.strtab = value,
                DT_SYMTAB => d.symtab = value,
                DT_STRSZ => d.strsz = value,
                DT_RELA => d.rela = value,
                DT_RELASZ => d.relasz = value,
                DT_JMPREL => d.jmprel = value,
                DT_PLTRELSZ => d.pltrelsz = value,
                DT_RELAENT | DT_SYMENT if value != 24 => return declined("an unusual table entry size"),
                DT_PLTREL if value as u64 != DT_RELA => return declined("REL relocations"),
                DT_FLAGS if value as u64 & (DF_TEXTREL | DF_STATIC_TLS) != 0 => {
                    return declined("text relocations or static TLS")
                }
                DT_RELAENT | DT_SYMENT | DT_PLTREL | DT_FLAGS | DT_FLAGS_1 | DT_SONAME | DT_DEBUG | DT_GNU_HASH
                | DT_RELACOUNT => {}
                other => return declined(format!("dynamic tag {other:#x}")),
            }
        }
        for &offset in &needed {
            let name = image
                .get(d.strtab.saturating_add(offset)..)
                .and_then(|t| CStr::from_bytes_until_nul(t).ok())
                .and_then(|c| c.to_str().ok());
            match name {
                Some(n) if KNOWN_NEEDED.contains(&n) => {}
                Some(n) => return declined(format!("a dependency on {n}")),
                None => return declined("a dependency without a name"),
            }
        }
        let ends_inside = |at: usize, len: usize| at.checked_add(len).is_some_and(|end| end <= image.len());
        if !ends_inside(d.strtab, d.strsz)
            || !ends_inside(d.rela, d.relasz)
            || !ends_inside(d.jmprel, d.pltrelsz)
            || d.hash.is_some_and(|h| !ends_inside(h, 8))
        {
            return declined("a dynamic table outside the image");
        }
        Ok(d)
    }
}

/// The SysV ELF hash (`DT_HASH` buckets).
fn sysv_hash(name: &[u8]) -> u32 {
    let mut h: u32 = 0;
    for &c in name {
        h = (h << 4).wrapping_add(u32::from(c));
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
        }
        h &= !g;
    }
    h
}
