//! The tables the shared object is built from: strings, dynamic symbols and relocations, sections.

use std::collections::HashMap;

pub(super) fn align_up(value: u64, align: u64) -> u64 {
    value.div_ceil(align) * align
}

/// The SysV ELF hash that `DT_HASH` tables use.
pub(super) fn sysv_hash(name: &str) -> u32 {
    let mut h: u32 = 0;
    for &b in name.as_bytes() {
        h = (h << 4).wrapping_add(u32::from(b));
        let g = h & 0xf000_0000;
        if g != 0 {
            h ^= g >> 24;
        }
        h &= !g;
    }
    h
}

#[derive(Default)]
pub(super) struct StringTable {
    pub(super) bytes: Vec<u8>,
    pub(super) offsets: HashMap<String, u32>,
}

impl StringTable {
    pub(super) fn new() -> Self {
        StringTable {
            bytes: vec![0],
            offsets: HashMap::new(),
        }
    }
    pub(super) fn add(&mut self, s: &str) -> u32 {
        if let Some(&at) = self.offsets.get(s) {
            return at;
        }
        let at = self.bytes.len() as u32;
        self.bytes.extend_from_slice(s.as_bytes());
        self.bytes.push(0);
        self.offsets.insert(s.to_string(), at);
        at
    }
}

pub(super) struct DynamicSymbol {
    pub(super) name: u32,
    pub(super) hash: u32,
    pub(super) info: u8,
    /// Input symbol index.
    pub(super) symbol: usize,
}

pub(super) enum GotValue {
    Import(u32),
    Local(usize),
}

pub(super) struct DynamicRelocation {
    pub(super) offset: u64,
    pub(super) kind: u32,
    pub(super) dynsym: u32,
    pub(super) addend: i64,
}

/// One output section, for the section header table.
pub(super) struct OutSection {
    pub(super) name: &'static str,
    pub(super) kind: u32,
    pub(super) flags: u64,
    pub(super) addr: u64,
    pub(super) size: u64,
    pub(super) link: u32,
    pub(super) info: u32,
    pub(super) align: u64,
    pub(super) entsize: u64,
}
