//! An in-process static linker for the one case kcached needs: the x86-64 ELF relocatable
//! objects LLVM emits for a kernel module (PIC, small code model; one, or the two halves of a
//! module whose code was generated in parallel), turned into a shared object that glibc's
//! `dlopen` accepts.
//!
//! Spawning `ld` cost ~4 ms of a ~15 ms cold compile, most of it process start-up and reading
//! the link inputs; the layout work itself is microseconds. Whatever this writer does not handle
//! (TLS, COMDAT groups, init arrays, absolute 32-bit relocations, another architecture) is
//! reported as [`Unsupported`] and the caller falls back to `ld`, so a new construct in the
//! generated code costs time, never correctness.
//!
//! The output is deliberately plain: three PT_LOAD segments (read-only: headers, dynamic symbol
//! tables and read-only data; executable: code and PLT stubs; writable: dynamic section, GOT,
//! data and bss), SysV `DT_HASH` for symbol lookup, `RELA` dynamic relocations only, every
//! symbol bound at load time (`DF_BIND_NOW`, as `-z now`), and section headers so that
//! `readelf`/`objdump` can read the result.

use std::collections::HashMap;

mod consts;
mod read;
mod tables;

use consts::*;
pub use read::Unsupported;
use read::*;
use tables::*;

/// The name an import of a libm function is bound by. This writer records no symbol versions,
/// and glibc binds an unversioned reference to `expf`, `exp`, `pow`, ... to their oldest
/// versions (GLIBC_2.2.5): compatibility wrappers that set errno, about 1.35x slower for `expf`
/// than the current ones (measured). The `_FloatN` aliases (`expf32`, `expf64`, GLIBC_2.27) have
/// one version only, the current implementation, so the import names that instead.
pub(crate) fn current_libm_name(name: &str) -> &str {
    match name {
        "expf" => "expf32",
        "exp2f" => "exp2f32",
        "logf" => "logf32",
        "log2f" => "log2f32",
        "powf" => "powf32",
        "exp" => "expf64",
        "exp2" => "exp2f64",
        "log" => "logf64",
        "log2" => "log2f64",
        "pow" => "powf64",
        other => other,
    }
}

/// Links `objects` into a shared object named `soname` that needs `needed` (in that order).
pub fn link(objects: &[&[u8]], soname: &str, needed: &[&str]) -> Result<Vec<u8>, Unsupported> {
    let obj = parse(objects)?;

    // Which input sections go where.
    let mut class_of: Vec<Option<Class>> = Vec::with_capacity(obj.sections.len());
    for (index, section) in obj.sections.iter().enumerate() {
        let absolute = obj
            .relocations
            .get(&index)
            .is_some_and(|list| list.iter().any(|r| r.kind == R_X86_64_64));
        class_of.push(classify(section, absolute));
    }

    // Dynamic symbols: imports (undefined symbols the code reaches) and exports.
    let mut dynstr = StringTable::new();
    let needed_offsets: Vec<u32> = needed.iter().map(|n| dynstr.add(n)).collect();
    let soname_offset = dynstr.add(soname);
    let mut dynsyms: Vec<DynamicSymbol> = Vec::new();
    let mut dynsym_of: HashMap<usize, u32> = HashMap::new();
    let mut add_dynsym = |index: usize, symbol: &Symbol, dynsyms: &mut Vec<DynamicSymbol>| -> u32 {
        *dynsym_of.entry(index).or_insert_with(|| {
            let name = if symbol.is_defined() {
                symbol.name.as_str()
            } else {
                current_libm_name(&symbol.name)
            };
            dynsyms.push(DynamicSymbol {
                name: dynstr.add(name),
                hash: sysv_hash(name),
                info: (symbol.bind << 4) | symbol.kind,
                symbol: index,
            });
            dynsyms.len() as u32 // index 0 is the null symbol
        })
    };

    // GOT slots, PLT stubs and the number of load-time relocations, decided before layout.
    let mut got_slot_of: HashMap<usize, u64> = HashMap::new();
    let mut got: Vec<GotValue> = Vec::new();
    let mut plt_stub_of: HashMap<usize, u64> = HashMap::new();
    let mut plt: Vec<u64> = Vec::new(); // GOT slot per stub
    let mut absolute_relocations = 0usize;
    let mut sections_with_relocations: Vec<&usize> = obj.relocations.keys().collect();
    sections_with_relocations.sort();
    for &section in &sections_with_relocations {
        if class_of[*section].is_none() {
            continue;
        }
        for rel in &obj.relocations[section] {
            let symbol = &obj.symbols[rel.symbol];
            match rel.kind {
                R_X86_64_NONE | R_X86_64_PC64 | R_X86_64_GOTOFF64 | R_X86_64_GOTPC32 => {}
                R_X86_64_PC32 => {
                    if !symbol.is_defined() {
                        return unsupported(format!("PC-relative data reference to {}", symbol.name));
                    }
                }
                R_X86_64_64 => {
                    absolute_relocations += 1;
                    if !symbol.is_defined() {
                        add_dynsym(rel.symbol, symbol, &mut dynsyms);
                    }
                }
                R_X86_64_PLT32 => {
                    if !symbol.is_defined() && !plt_stub_of.contains_key(&rel.symbol) {
                        let import = add_dynsym(rel.symbol, symbol, &mut dynsyms);
                        let slot = *got_slot_of.entry(rel.symbol).or_insert_with(|| {
                            got.push(GotValue::Import(import));
                            got.len() as u64 - 1
                        });
                        plt_stub_of.insert(rel.symbol, plt.len() as u64);
                        plt.push(slot);
                    }
                }
                R_X86_64_GOTPCREL | R_X86_64_GOTPCRELX | R_X86_64_REX_GOTPCRELX => {
                    if let std::collections::hash_map::Entry::Vacant(slot) = got_slot_of.entry(rel.symbol) {
                        let value = if symbol.is_defined() {
                            GotValue::Local(rel.symbol)
                        } else {
                            GotValue::Import(add_dynsym(rel.symbol, symbol, &mut dynsyms))
                        };
                        got.push(value);
                        slot.insert(got.len() as u64 - 1);
                    }
                }
                other => return unsupported(format!("relocation type {other} against {}", symbol.name)),
            }
        }
    }
    let import_count = dynsyms.len();
    for (index, symbol) in obj.symbols.iter().enumerate() {
        if symbol.is_exported() && class_of.get(symbol.shndx as usize).copied().flatten().is_some() {
            add_dynsym(index, symbol, &mut dynsyms);
        }
    }
    let dynamic_relocation_count = got.len() + absolute_relocations;
    let nbucket = (dynsyms.len() as u32 / 2).max(1);
    let nsyms = dynsyms.len() as u64 + 1;

    // Layout. Segment 1 (R): headers, dynamic tables, read-only data.
    let section_names = [
        "",
        ".hash",
        ".dynsym",
        ".dynstr",
        ".rela.dyn",
        ".rodata",
        ".text",
        ".plt",
        ".dynamic",
        ".got",
        ".data",
        ".bss",
        ".shstrtab",
    ];
    let phnum = 5u64;
    let mut at = EHDR_SIZE + phnum * PHDR_SIZE;
    let hash_at = align_up(at, 8);
    at = hash_at + 4 * (2 + u64::from(nbucket) + nsyms);
    let dynsym_at = align_up(at, 8);
    at = dynsym_at + nsyms * SYM_SIZE;
    let dynstr_at = at;
    at += dynstr.bytes.len() as u64;
    let rela_at = align_up(at, 8);
    at = rela_at + dynamic_relocation_count as u64 * RELA_SIZE;

    // Input sections are concatenated per class, each at its own alignment.
    let mut address_of: Vec<u64> = vec![0; obj.sections.len()];
    let mut place = |class: Class, mut at: u64| -> (u64, u64, u64) {
        let mut max_align = 1;
        let start = at;
        let mut first = None;
        for (index, section) in obj.sections.iter().enumerate() {
            if class_of[index] == Some(class) {
                at = align_up(at, section.align);
                first.get_or_insert(at);
                max_align = max_align.max(section.align);
                address_of[index] = at;
                at += section.size;
            }
        }
        (first.unwrap_or(start), at, max_align)
    };
    let (rodata_at, rodata_end, rodata_align) = place(Class::ReadOnly, at);
    let segment1_end = rodata_end;

    // Segment 2 (R+X), on its own page; file offsets equal addresses throughout.
    let (text_at, text_end, text_align) = place(Class::Code, align_up(segment1_end, PAGE));
    let plt_at = align_up(text_end, 16);
    let segment2_start = align_up(segment1_end, PAGE);
    let segment2_end = plt_at + plt.len() as u64 * PLT_STUB_SIZE;

    // Segment 3 (R+W): dynamic section, GOT, data, then bss past the end of the file.
    let segment3_start = align_up(segment2_end, PAGE);
    let dynamic_entries = needed.len() as u64 + 10 + if dynamic_relocation_count > 0 { 3 } else { 0 };
    let dynamic_at = segment3_start;
    let got_at = align_up(dynamic_at + dynamic_entries * DYN_SIZE, 8);
    let got_end = got_at + got.len() as u64 * 8;
    let (data_at, data_end, data_align) = place(Class::Data, got_end);
    let (bss_at, bss_end, bss_align) = place(Class::Bss, data_end);
    let file_end = data_end;

    let symbol_address = |index: usize| -> Result<u64, Unsupported> {
        let symbol = &obj.symbols[index];
        match symbol.shndx {
            SHN_UNDEF => unsupported(format!("address of undefined symbol {}", symbol.name)),
            SHN_ABS => Ok(symbol.value),
            shndx => match class_of.get(shndx as usize) {
                Some(Some(_)) => Ok(address_of[shndx as usize] + symbol.value),
                _ => unsupported(format!("symbol {} in a section that is not linked", symbol.name)),
            },
        }
    };

    let mut out = vec![0u8; file_end as usize];
    for (index, section) in obj.sections.iter().enumerate() {
        if matches!(class_of[index], Some(Class::ReadOnly | Class::Code | Class::Data)) {
            let at = address_of[index] as usize;
            out[at..at + section.size as usize]
                .copy_from_slice(Reader(objects[section.source]).bytes(section.offset, section.size)?);
        }
    }

    // Relocations.
    let mut dynamic_relocations: Vec<DynamicRelocation> = Vec::with_capacity(dynamic_relocation_count);
    for (slot, value) in got.iter().enumerate() {
        let offset = got_at + slot as u64 * 8;
        dynamic_relocations.push(match *value {
            GotValue::Import(dynsym) => DynamicRelocation {
                offset,
                kind: R_X86_64_GLOB_DAT,
                dynsym,
                addend: 0,
            },
            GotValue::Local(symbol) => {
                let address = symbol_address(symbol)?;
                out[offset as usize..offset as usize + 8].copy_from_slice(&address.to_le_bytes());
                DynamicRelocation {
                    offset,
                    kind: R_X86_64_RELATIVE,
                    dynsym: 0,
                    addend: address as i64,
                }
            }
        });
    }
    for &section in &sections_with_relocations {
        if class_of[*section].is_none() {
            continue;
        }
        let base = address_of[*section];
        let size = obj.sections[*section].size;
        for rel in &obj.relocations[section] {
            if rel.kind == R_X86_64_NONE {
                continue;
            }
            let width = if matches!(rel.kind, R_X86_64_64 | R_X86_64_PC64 | R_X86_64_GOTOFF64) {
                8
            } else {
                4
            };
            if rel.offset.checked_add(width).is_none_or(|end| end > size) {
                return unsupported("relocation outside its section");
            }
            let p = base + rel.offset;
            let a = rel.addend;
            let got_slot = |symbol: usize| got_at + got_slot_of[&symbol] * 8;
            let value: i64 = match rel.kind {
                R_X86_64_PC32 | R_X86_64_PC64 => symbol_address(rel.symbol)? as i64 + a - p as i64,
                R_X86_64_PLT32 => match plt_stub_of.get(&rel.symbol) {
                    Some(stub) => (plt_at + stub * PLT_STUB_SIZE) as i64 + a - p as i64,
                    None => symbol_address(rel.symbol)? as i64 + a - p as i64,
                },
                R_X86_64_GOTPCREL | R_X86_64_GOTPCRELX | R_X86_64_REX_GOTPCRELX => {
                    got_slot(rel.symbol) as i64 + a - p as i64
                }
                R_X86_64_GOTPC32 => got_at as i64 + a - p as i64,
                R_X86_64_GOTOFF64 => symbol_address(rel.symbol)? as i64 + a - got_at as i64,
                R_X86_64_64 => {
                    let symbol = &obj.symbols[rel.symbol];
                    if symbol.is_defined() {
                        let address = symbol_address(rel.symbol)? as i64 + a;
                        dynamic_relocations.push(DynamicRelocation {
                            offset: p,
                            kind: R_X86_64_RELATIVE,
                            dynsym: 0,
                            addend: address,
                        });
                        address
                    } else {
                        dynamic_relocations.push(DynamicRelocation {
                            offset: p,
                            kind: R_X86_64_64,
                            dynsym: dynsym_of[&rel.symbol],
                            addend: a,
                        });
                        0
                    }
                }
                other => return unsupported(format!("relocation type {other}")),
            };
            let at = p as usize;
            if width == 8 {
                out[at..at + 8].copy_from_slice(&value.to_le_bytes());
            } else {
                let narrow = i32::try_from(value).map_err(|_| Unsupported("relocation overflows 32 bits".into()))?;
                out[at..at + 4].copy_from_slice(&narrow.to_le_bytes());
            }
        }
    }
    debug_assert_eq!(dynamic_relocations.len(), dynamic_relocation_count);

    // PLT stubs: `jmp *slot(%rip)` padded with a two-byte nop; slots are filled at load time.
    for (stub, &slot) in plt.iter().enumerate() {
        let at = plt_at + stub as u64 * PLT_STUB_SIZE;
        let displacement = (got_at + slot * 8) as i64 - (at + 6) as i64;
        let displacement = i32::try_from(displacement).map_err(|_| Unsupported("PLT stub out of range".into()))?;
        let code = &mut out[at as usize..(at + PLT_STUB_SIZE) as usize];
        code[..2].copy_from_slice(&[0xff, 0x25]);
        code[2..6].copy_from_slice(&displacement.to_le_bytes());
        code[6..].copy_from_slice(&[0x66, 0x90]);
    }

    // Output section indices, for symbols and the section header table.
    let index_of = |name: &str| section_names.iter().position(|n| *n == name).unwrap() as u16;
    let output_section_of = |class: Class| match class {
        Class::ReadOnly => index_of(".rodata"),
        Class::Code => index_of(".text"),
        Class::Data => index_of(".data"),
        Class::Bss => index_of(".bss"),
    };

    // .hash
    let mut buckets = vec![0u32; nbucket as usize];
    let mut chains = vec![0u32; nsyms as usize];
    for (i, sym) in dynsyms.iter().enumerate() {
        let index = i as u32 + 1;
        let bucket = (sym.hash % nbucket) as usize;
        chains[index as usize] = buckets[bucket];
        buckets[bucket] = index;
    }
    let mut w = hash_at as usize;
    for word in [nbucket, nsyms as u32].iter().chain(&buckets).chain(&chains) {
        out[w..w + 4].copy_from_slice(&word.to_le_bytes());
        w += 4;
    }

    // .dynsym (entry 0 stays null)
    for (i, sym) in dynsyms.iter().enumerate() {
        let at = (dynsym_at + (i as u64 + 1) * SYM_SIZE) as usize;
        let entry = &mut out[at..at + SYM_SIZE as usize];
        entry[0..4].copy_from_slice(&sym.name.to_le_bytes());
        entry[4] = sym.info;
        if i >= import_count {
            let input_symbol = &obj.symbols[sym.symbol];
            let shndx = if input_symbol.shndx == SHN_ABS {
                SHN_ABS
            } else {
                output_section_of(class_of[input_symbol.shndx as usize].expect("exports are in linked sections"))
            };
            entry[5] = input_symbol.visibility;
            entry[6..8].copy_from_slice(&shndx.to_le_bytes());
            entry[8..16].copy_from_slice(&symbol_address(sym.symbol)?.to_le_bytes());
            entry[16..24].copy_from_slice(&input_symbol.size.to_le_bytes());
        }
    }
    out[dynstr_at as usize..dynstr_at as usize + dynstr.bytes.len()].copy_from_slice(&dynstr.bytes);

    // .rela.dyn: relative relocations first, as glibc processes them fastest that way.
    dynamic_relocations.sort_by_key(|r| (r.kind != R_X86_64_RELATIVE, r.offset));
    for (i, rel) in dynamic_relocations.iter().enumerate() {
        let at = (rela_at + i as u64 * RELA_SIZE) as usize;
        out[at..at + 8].copy_from_slice(&rel.offset.to_le_bytes());
        let info = (u64::from(rel.dynsym) << 32) | u64::from(rel.kind);
        out[at + 8..at + 16].copy_from_slice(&info.to_le_bytes());
        out[at + 16..at + 24].copy_from_slice(&rel.addend.to_le_bytes());
    }

    // .dynamic
    let mut dynamic: Vec<(u64, u64)> = needed_offsets.iter().map(|&n| (DT_NEEDED, u64::from(n))).collect();
    dynamic.extend([
        (DT_SONAME, u64::from(soname_offset)),
        (DT_HASH, hash_at),
        (DT_STRTAB, dynstr_at),
        (DT_SYMTAB, dynsym_at),
        (DT_STRSZ, dynstr.bytes.len() as u64),
        (DT_SYMENT, SYM_SIZE),
    ]);
    if dynamic_relocation_count > 0 {
        dynamic.extend([
            (DT_RELA, rela_at),
            (DT_RELASZ, dynamic_relocation_count as u64 * RELA_SIZE),
            (DT_RELAENT, RELA_SIZE),
        ]);
    }
    dynamic.extend([(DT_FLAGS, DF_BIND_NOW), (DT_FLAGS_1, DF_1_NOW)]);
    while (dynamic.len() as u64) < dynamic_entries {
        dynamic.push((DT_NULL, 0));
    }
    for (i, (tag, value)) in dynamic.iter().enumerate() {
        let at = (dynamic_at + i as u64 * DYN_SIZE) as usize;
        out[at..at + 8].copy_from_slice(&tag.to_le_bytes());
        out[at + 8..at + 16].copy_from_slice(&value.to_le_bytes());
    }

    // Section headers and their names, after the loaded bytes.
    let sections = [
        OutSection {
            name: ".hash",
            kind: SHT_HASH,
            flags: SHF_ALLOC,
            addr: hash_at,
            size: dynsym_at - hash_at,
            link: u32::from(index_of(".dynsym")),
            info: 0,
            align: 8,
            entsize: 4,
        },
        OutSection {
            name: ".dynsym",
            kind: SHT_DYNSYM,
            flags: SHF_ALLOC,
            addr: dynsym_at,
            size: nsyms * SYM_SIZE,
            link: u32::from(index_of(".dynstr")),
            info: 1,
            align: 8,
            entsize: SYM_SIZE,
        },
        OutSection {
            name: ".dynstr",
            kind: SHT_STRTAB,
            flags: SHF_ALLOC,
            addr: dynstr_at,
            size: dynstr.bytes.len() as u64,
            link: 0,
            info: 0,
            align: 1,
            entsize: 0,
        },
        OutSection {
            name: ".rela.dyn",
            kind: SHT_RELA,
            flags: SHF_ALLOC,
            addr: rela_at,
            size: dynamic_relocation_count as u64 * RELA_SIZE,
            link: u32::from(index_of(".dynsym")),
            info: 0,
            align: 8,
            entsize: RELA_SIZE,
        },
        OutSection {
            name: ".rodata",
            kind: SHT_PROGBITS,
            flags: SHF_ALLOC,
            addr: rodata_at,
            size: rodata_end - rodata_at,
            link: 0,
            info: 0,
            align: rodata_align,
            entsize: 0,
        },
        OutSection {
            name: ".text",
            kind: SHT_PROGBITS,
            flags: SHF_ALLOC | SHF_EXECINSTR,
            addr: text_at,
            size: text_end - text_at,
            link: 0,
            info: 0,
            align: text_align,
            entsize: 0,
        },
        OutSection {
            name: ".plt",
            kind: SHT_PROGBITS,
            flags: SHF_ALLOC | SHF_EXECINSTR,
            addr: plt_at,
            size: plt.len() as u64 * PLT_STUB_SIZE,
            link: 0,
            info: 0,
            align: 16,
            entsize: PLT_STUB_SIZE,
        },
        OutSection {
            name: ".dynamic",
            kind: SHT_DYNAMIC,
            flags: SHF_ALLOC | SHF_WRITE,
            addr: dynamic_at,
            size: dynamic_entries * DYN_SIZE,
            link: u32::from(index_of(".dynstr")),
            info: 0,
            align: 8,
            entsize: DYN_SIZE,
        },
        OutSection {
            name: ".got",
            kind: SHT_PROGBITS,
            flags: SHF_ALLOC | SHF_WRITE,
            addr: got_at,
            size: got_end - got_at,
            link: 0,
            info: 0,
            align: 8,
            entsize: 8,
        },
        OutSection {
            name: ".data",
            kind: SHT_PROGBITS,
            flags: SHF_ALLOC | SHF_WRITE,
            addr: data_at,
            size: data_end - data_at,
            link: 0,
            info: 0,
            align: data_align,
            entsize: 0,
        },
        OutSection {
            name: ".bss",
            kind: SHT_NOBITS,
            flags: SHF_ALLOC | SHF_WRITE,
            addr: bss_at,
            size: bss_end - bss_at,
            link: 0,
            info: 0,
            align: bss_align,
            entsize: 0,
        },
    ];
    let mut shstrtab = StringTable::new();
    let name_offsets: Vec<u32> = section_names.iter().map(|n| shstrtab.add(n)).collect();
    let shstrtab_at = out.len() as u64;
    out.extend_from_slice(&shstrtab.bytes);
    let shoff = align_up(out.len() as u64, 8);
    out.resize(shoff as usize, 0);
    let mut headers = vec![0u8; SHDR_SIZE as usize]; // the null section
    let shstrtab_header = OutSection {
        name: ".shstrtab",
        kind: SHT_STRTAB,
        flags: 0,
        addr: 0,
        size: shstrtab.bytes.len() as u64,
        link: 0,
        info: 0,
        align: 1,
        entsize: 0,
    };
    for s in sections.iter().chain(std::iter::once(&shstrtab_header)) {
        let offset = if s.name == ".shstrtab" {
            shstrtab_at
        } else if s.kind == SHT_NOBITS {
            file_end
        } else {
            s.addr
        };
        headers.extend_from_slice(&name_offsets[index_of(s.name) as usize].to_le_bytes());
        headers.extend_from_slice(&s.kind.to_le_bytes());
        headers.extend_from_slice(&s.flags.to_le_bytes());
        headers.extend_from_slice(&s.addr.to_le_bytes());
        headers.extend_from_slice(&offset.to_le_bytes());
        headers.extend_from_slice(&s.size.to_le_bytes());
        headers.extend_from_slice(&s.link.to_le_bytes());
        headers.extend_from_slice(&s.info.to_le_bytes());
        headers.extend_from_slice(&s.align.to_le_bytes());
        headers.extend_from_slice(&s.entsize.to_le_bytes());
    }
    out.extend_from_slice(&headers);

    // ELF header
    let mut header = Vec::with_capacity(EHDR_SIZE as usize);
    header.extend_from_slice(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    header.extend_from_slice(&3u16.to_le_bytes()); // ET_DYN
    header.extend_from_slice(&62u16.to_le_bytes()); // EM_X86_64
    header.extend_from_slice(&1u32.to_le_bytes());
    header.extend_from_slice(&0u64.to_le_bytes()); // no entry point
    header.extend_from_slice(&EHDR_SIZE.to_le_bytes());
    header.extend_from_slice(&shoff.to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes());
    header.extend_from_slice(&(EHDR_SIZE as u16).to_le_bytes());
    header.extend_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
    header.extend_from_slice(&(phnum as u16).to_le_bytes());
    header.extend_from_slice(&(SHDR_SIZE as u16).to_le_bytes());
    header.extend_from_slice(&(section_names.len() as u16).to_le_bytes());
    header.extend_from_slice(&index_of(".shstrtab").to_le_bytes());
    out[..EHDR_SIZE as usize].copy_from_slice(&header);

    // Program headers
    let segments: [(u32, u32, u64, u64, u64, u64); 5] = [
        (PT_LOAD, PF_R, 0, segment1_end, segment1_end, PAGE),
        (
            PT_LOAD,
            PF_R | PF_X,
            segment2_start,
            segment2_end - segment2_start,
            segment2_end - segment2_start,
            PAGE,
        ),
        (
            PT_LOAD,
            PF_R | PF_W,
            segment3_start,
            file_end - segment3_start,
            bss_end.max(file_end) - segment3_start,
            PAGE,
        ),
        (
            PT_DYNAMIC,
            PF_R | PF_W,
            dynamic_at,
            dynamic_entries * DYN_SIZE,
            dynamic_entries * DYN_SIZE,
            8,
        ),
        (PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 16),
    ];
    for (i, (kind, flags, at, filesz, memsz, align)) in segments.iter().enumerate() {
        let h = (EHDR_SIZE + i as u64 * PHDR_SIZE) as usize;
        let entry = &mut out[h..h + PHDR_SIZE as usize];
        entry[0..4].copy_from_slice(&kind.to_le_bytes());
        entry[4..8].copy_from_slice(&flags.to_le_bytes());
        entry[8..16].copy_from_slice(&at.to_le_bytes());
        entry[16..24].copy_from_slice(&at.to_le_bytes());
        entry[24..32].copy_from_slice(&at.to_le_bytes());
        entry[32..40].copy_from_slice(&filesz.to_le_bytes());
        entry[40..48].copy_from_slice(&memsz.to_le_bytes());
        entry[48..56].copy_from_slice(&align.to_le_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysv_hash_matches_the_reference_values() {
        // Values from the System V ABI's reference implementation.
        assert_eq!(sysv_hash(""), 0);
        assert_eq!(sysv_hash("printf"), 0x0779_05a6);
        assert_eq!(sysv_hash("exit"), 0x0006_cf04);
    }

    fn object(ir: &str) -> Vec<u8> {
        let target = crate::emit::host_target();
        let tm = crate::emit::cached_machine(&target).unwrap();
        let text = format!("target datalayout = \"{}\"\n{ir}", crate::emit::data_layout(&tm));
        let mut objects = crate::emit::compile_ir(&text, &target, Default::default(), false)
            .unwrap()
            .objects;
        objects.pop().unwrap()
    }

    /// Objects are joined by name: a call one leaves undefined binds to the other's hidden
    /// definition (not an import), and a name defined by both is left to `ld`.
    #[test]
    fn objects_join_by_name_and_a_double_definition_is_declined() {
        let caller = object("declare hidden i64 @callee(i64)\ndefine i64 @entry(i64 %x) {\n  %y = call i64 @callee(i64 %x)\n  ret i64 %y\n}\n");
        let callee = object("define hidden i64 @callee(i64 %x) noinline {\n  %y = add i64 %x, 1\n  ret i64 %y\n}\n");
        let joined = parse(&[&caller, &callee]).unwrap();
        let call = joined
            .relocations
            .values()
            .flatten()
            .find(|r| joined.symbols[r.symbol].name == "callee")
            .expect("the call's relocation");
        assert!(joined.symbols[call.symbol].is_defined(), "bound to the definition");
        let linked = link(&[&caller, &callee], "x.so", &[]).unwrap();
        assert!(
            !linked.windows(7).any(|w| w == b"callee\0"),
            "a hidden definition is not exported"
        );
        let twice = link(&[&callee, &callee], "x.so", &[]).expect_err("declined");
        assert!(twice.0.contains("defined twice"), "{twice}");
    }

    #[test]
    fn rejects_what_is_not_an_x86_64_object() {
        assert!(link(&[b"not an object"], "x.so", &[]).is_err());
        assert!(link(&[&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0]], "x.so", &[]).is_err());
    }
}
