//! Reading the relocatable object LLVM emits: sections, symbols, relocations.

use std::collections::HashMap;

use super::consts::*;

/// Why the object cannot be linked here; the caller falls back to the system linker.
#[derive(Debug, thiserror::Error)]
#[error("in-process link unsupported: {0}")]
pub struct Unsupported(pub String);

pub(super) fn unsupported<T>(what: impl Into<String>) -> Result<T, Unsupported> {
    Err(Unsupported(what.into()))
}

/// Bounds-checked little-endian reads: the object comes from LLVM, but a malformed one must end
/// in an error, not a panic inside the daemon.
pub(super) struct Reader<'a>(pub(super) &'a [u8]);

impl Reader<'_> {
    pub(super) fn bytes(&self, offset: u64, len: u64) -> Result<&[u8], Unsupported> {
        let start = usize::try_from(offset).map_err(|_| Unsupported("offset out of range".into()))?;
        let len = usize::try_from(len).map_err(|_| Unsupported("length out of range".into()))?;
        self.0
            .get(
                start
                    ..start
                        .checked_add(len)
                        .ok_or_else(|| Unsupported("length overflow".into()))?,
            )
            .ok_or_else(|| Unsupported(format!("truncated object (offset {offset}, length {len})")))
    }
    pub(super) fn u8(&self, offset: u64) -> Result<u8, Unsupported> {
        Ok(self.bytes(offset, 1)?[0])
    }
    pub(super) fn u16(&self, offset: u64) -> Result<u16, Unsupported> {
        Ok(u16::from_le_bytes(self.bytes(offset, 2)?.try_into().unwrap()))
    }
    pub(super) fn u32(&self, offset: u64) -> Result<u32, Unsupported> {
        Ok(u32::from_le_bytes(self.bytes(offset, 4)?.try_into().unwrap()))
    }
    pub(super) fn u64(&self, offset: u64) -> Result<u64, Unsupported> {
        Ok(u64::from_le_bytes(self.bytes(offset, 8)?.try_into().unwrap()))
    }
    pub(super) fn cstr(&self, offset: u64) -> Result<&str, Unsupported> {
        let tail = self.bytes(offset, (self.0.len() as u64).saturating_sub(offset))?;
        let end = tail
            .iter()
            .position(|&b| b == 0)
            .ok_or_else(|| Unsupported("unterminated name".into()))?;
        std::str::from_utf8(&tail[..end]).map_err(|_| Unsupported("non-UTF-8 symbol name".into()))
    }
}

pub(super) struct Section {
    /// Which input object the section comes from (its bytes are there, at `offset`).
    pub(super) source: usize,
    pub(super) name: String,
    pub(super) kind: u32,
    pub(super) flags: u64,
    pub(super) offset: u64,
    pub(super) size: u64,
    pub(super) link: u32,
    pub(super) info: u32,
    pub(super) align: u64,
}

pub(super) struct Symbol {
    pub(super) name: String,
    pub(super) bind: u8,
    pub(super) kind: u8,
    pub(super) visibility: u8,
    pub(super) shndx: u16,
    pub(super) value: u64,
    pub(super) size: u64,
}

impl Symbol {
    pub(super) fn is_defined(&self) -> bool {
        self.shndx != SHN_UNDEF
    }
    pub(super) fn is_exported(&self) -> bool {
        self.is_defined()
            && matches!(self.bind, STB_GLOBAL | STB_WEAK)
            && !matches!(self.visibility, STV_HIDDEN | STV_INTERNAL)
    }
}

pub(super) struct Relocation {
    pub(super) offset: u64,
    pub(super) kind: u32,
    pub(super) symbol: usize,
    pub(super) addend: i64,
}

/// Where the input sections end up.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Class {
    ReadOnly,
    Code,
    Data,
    Bss,
}

pub(super) struct Object {
    pub(super) sections: Vec<Section>,
    pub(super) symbols: Vec<Symbol>,
    /// Relocations per target section index.
    pub(super) relocations: HashMap<usize, Vec<Relocation>>,
}

/// Reads the objects and joins them into one, as a static linker's symbol resolution would:
/// sections and symbols are numbered on from the previous object's, and a relocation against a
/// symbol one object leaves undefined and another defines (a global) refers to the definition.
pub(super) fn parse(objects: &[&[u8]]) -> Result<Object, Unsupported> {
    let mut joined: Option<Object> = None;
    for (source, bytes) in objects.iter().enumerate() {
        let next = parse_one(bytes, source)?;
        joined = Some(match joined {
            None => next,
            Some(mut obj) => {
                append(&mut obj, next)?;
                obj
            }
        });
    }
    let mut obj = joined.ok_or_else(|| Unsupported("nothing to link".into()))?;
    resolve_across_objects(&mut obj)?;
    Ok(obj)
}

fn append(obj: &mut Object, next: Object) -> Result<(), Unsupported> {
    let section_base = obj.sections.len();
    let symbol_base = obj.symbols.len();
    if section_base + next.sections.len() >= usize::from(SHN_LORESERVE) {
        return unsupported("too many sections to join");
    }
    for mut symbol in next.symbols {
        if symbol.shndx != SHN_UNDEF && symbol.shndx != SHN_ABS {
            if symbol.shndx >= SHN_LORESERVE {
                return unsupported(format!("special section index {:#x}", symbol.shndx));
            }
            symbol.shndx += section_base as u16;
        }
        obj.symbols.push(symbol);
    }
    obj.sections.extend(next.sections);
    for (section, list) in next.relocations {
        let list = list
            .into_iter()
            .map(|r| Relocation {
                symbol: r.symbol + symbol_base,
                ..r
            })
            .collect();
        obj.relocations.insert(section + section_base, list);
    }
    Ok(())
}

/// Points every relocation against an undefined global at the object that defines it.
fn resolve_across_objects(obj: &mut Object) -> Result<(), Unsupported> {
    let mut defined: HashMap<&str, usize> = HashMap::new();
    for (index, symbol) in obj.symbols.iter().enumerate() {
        if symbol.is_defined()
            && matches!(symbol.bind, STB_GLOBAL | STB_WEAK)
            && !symbol.name.is_empty()
            && defined.insert(symbol.name.as_str(), index).is_some()
        {
            return unsupported(format!("{} is defined twice", symbol.name));
        }
    }
    let target: Vec<Option<usize>> = obj
        .symbols
        .iter()
        .map(|symbol| {
            (!symbol.is_defined() && !symbol.name.is_empty())
                .then(|| defined.get(symbol.name.as_str()).copied())
                .flatten()
        })
        .collect();
    for list in obj.relocations.values_mut() {
        for rel in list.iter_mut() {
            if let Some(definition) = target[rel.symbol] {
                rel.symbol = definition;
            }
        }
    }
    Ok(())
}

fn parse_one(bytes: &[u8], source: usize) -> Result<Object, Unsupported> {
    let r = Reader(bytes);
    if r.bytes(0, 4)? != b"\x7fELF" || r.u8(4)? != 2 || r.u8(5)? != 1 {
        return unsupported("not a little-endian ELF64 object");
    }
    if r.u16(16)? != 1 || r.u16(18)? != 62 {
        return unsupported("not an x86-64 relocatable object");
    }
    let shoff = r.u64(0x28)?;
    let shentsize = u64::from(r.u16(0x3a)?);
    let shnum = u64::from(r.u16(0x3c)?);
    let shstrndx = u64::from(r.u16(0x3e)?);
    if shentsize != SHDR_SIZE || shnum == 0 {
        return unsupported("unexpected section header table");
    }
    let mut raw = Vec::with_capacity(shnum as usize);
    for i in 0..shnum {
        let h = shoff + i * SHDR_SIZE;
        raw.push((
            r.u32(h)?,
            Section {
                source,
                name: String::new(),
                kind: r.u32(h + 4)?,
                flags: r.u64(h + 8)?,
                offset: r.u64(h + 24)?,
                size: r.u64(h + 32)?,
                link: r.u32(h + 40)?,
                info: r.u32(h + 44)?,
                align: r.u64(h + 48)?.max(1),
            },
        ));
    }
    let names_at = raw
        .get(shstrndx as usize)
        .map(|(_, s)| s.offset)
        .ok_or_else(|| Unsupported("bad section name table index".into()))?;
    let mut sections = Vec::with_capacity(raw.len());
    for (name, mut section) in raw {
        section.name = r.cstr(names_at + u64::from(name))?.to_string();
        sections.push(section);
    }

    let mut symbols = Vec::new();
    let mut relocations: HashMap<usize, Vec<Relocation>> = HashMap::new();
    for section in &sections {
        match section.kind {
            SHT_SYMTAB => {
                if !symbols.is_empty() {
                    return unsupported("several symbol tables");
                }
                let strtab = sections
                    .get(section.link as usize)
                    .ok_or_else(|| Unsupported("bad string table index".into()))?
                    .offset;
                for i in 0..section.size / SYM_SIZE {
                    let s = section.offset + i * SYM_SIZE;
                    let info = r.u8(s + 4)?;
                    symbols.push(Symbol {
                        name: r.cstr(strtab + u64::from(r.u32(s)?))?.to_string(),
                        bind: info >> 4,
                        kind: info & 0xf,
                        visibility: r.u8(s + 5)? & 3,
                        shndx: r.u16(s + 6)?,
                        value: r.u64(s + 8)?,
                        size: r.u64(s + 16)?,
                    });
                }
            }
            SHT_REL => return unsupported("REL relocations"),
            SHT_GROUP => return unsupported("section groups (COMDAT)"),
            SHT_INIT_ARRAY | SHT_FINI_ARRAY | SHT_PREINIT_ARRAY => {
                return unsupported(format!("initialiser section {}", section.name))
            }
            _ if section.flags & SHF_TLS != 0 => return unsupported("thread-local storage"),
            _ => {}
        }
    }
    for section in &sections {
        if section.kind != SHT_RELA {
            continue;
        }
        let target = section.info as usize;
        let applies_to = sections
            .get(target)
            .ok_or_else(|| Unsupported("relocation section for a missing section".into()))?;
        if applies_to.flags & SHF_ALLOC == 0 || applies_to.kind == SHT_X86_64_UNWIND {
            continue;
        }
        let list = relocations.entry(target).or_default();
        for i in 0..section.size / RELA_SIZE {
            let at = section.offset + i * RELA_SIZE;
            let info = r.u64(at + 8)?;
            let symbol = (info >> 32) as usize;
            if symbol >= symbols.len() {
                return unsupported("relocation against a missing symbol");
            }
            list.push(Relocation {
                offset: r.u64(at)?,
                kind: info as u32,
                symbol,
                addend: r.u64(at + 16)? as i64,
            });
        }
    }
    for symbol in &symbols {
        if symbol.shndx == SHN_COMMON {
            return unsupported(format!("common symbol {}", symbol.name));
        }
        if symbol.kind == STT_TLS {
            return unsupported("thread-local symbol");
        }
    }
    Ok(Object {
        sections,
        symbols,
        relocations,
    })
}

pub(super) fn classify(section: &Section, has_absolute_relocations: bool) -> Option<Class> {
    // Unwind tables are useless without an .eh_frame_hdr and kernels never unwind.
    if section.flags & SHF_ALLOC == 0 || section.kind == SHT_X86_64_UNWIND || section.name == ".eh_frame" {
        return None;
    }
    Some(if section.flags & SHF_EXECINSTR != 0 {
        Class::Code
    } else if section.kind == SHT_NOBITS {
        Class::Bss
    } else if section.flags & SHF_WRITE != 0 || has_absolute_relocations {
        // Absolute addresses are patched at load time, which needs a writable page.
        Class::Data
    } else {
        Class::ReadOnly
    })
}
