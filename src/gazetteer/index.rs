//! The gazetteer *index*: a set of entries in one flat byte layout that is read in place. The built-in
//! gazetteer (made by `build.rs` and embedded in the program) and the layers a user imports (memory-mapped
//! from the data folder) are ready as soon as they are opened: nothing is parsed at start-up.
//!
//! Layout, little-endian, the sections in this order after the header:
//! - header: magic, version, entry count, longest name in words, hash bits, then section offsets;
//! - records: one fixed [`RECORD_LEN`]-byte record per entry, with the numbers a ranking or a filter
//!   needs (kind, country, position, population, importance) and where its text is;
//! - strings: per entry one tab-separated text block: id, GeoNames id, feature code, admin1,
//!   stands-for, near countries, bbox, then every name, the main name first;
//! - name blocks: per folded name, in byte order: its length and bytes, a count, then its entries best
//!   first (see [`rank::rank_matches`]), each as `entry << 1 | alias` and its score (f32). The word
//!   prefixes of multi-word names have blocks too, with no entries, so a scanner learns in one look-up
//!   whether to read on ("sea of" before "sea of japan");
//! - hash entries: per name block, a 32-bit fingerprint of the name's hash and the block's offset,
//!   ordered by hash;
//! - hash directory: for each value of the hash's top bits, where its entries start. A look-up hashes
//!   the folded name, scans the few entries of its bucket and compares the name in the block: a
//!   handful of memory reads, with no tree to walk;
//! - ids: an fst map from entry id (`gn:1797929`) to entry number;
//! - meta: tab-separated lines naming the layers and notes, for `gazetteer info`.
//!
//! Writing keeps memory bounded when given a place to spill: name, hash and id keys are sorted in
//! memory up to a budget, written out as sorted runs, and merged at the end, so a dump of millions of
//! rows streams.
//!
//! This file is also compiled into `build.rs`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use super::fold::fold;
use super::rank;

const MAGIC: &[u8; 8] = b"MMGAZIX\0";
const VERSION: u32 = 1;
/// Magic, version, entries, longest name, hash bits, then eight section offsets.
const HEADER_LEN: usize = 8 + 4 * 4 + 8 * 8;
const SECTIONS: usize = 7;
pub const RECORD_LEN: usize = 40;
/// Coordinates are stored as integers of 1e-7 degree (about 1 cm), which keeps the shipped 5-decimal
/// values exact when read back.
const COORD_SCALE: f64 = 1e7;
/// Names per hash bucket, on average.
const BUCKET_SIZE: u64 = 4;
/// A hash entry: fingerprint (u32) and block offset (u64).
const HASH_ENTRY_LEN: usize = 12;
/// Entry numbers share a posting word with the alias flag.
const MAX_ENTRIES: u32 = 1 << 31;
/// In-memory key bytes per sorter before a sorted run is spilled (when spilling is possible).
const NAME_KEY_BUDGET: usize = 48 << 20;
const ID_KEY_BUDGET: usize = 16 << 20;
const HASH_KEY_BUDGET: usize = 16 << 20;

/// One entry as it is written into an index.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    /// Every name, the main name first.
    pub names: Vec<String>,
    /// Position in [`rank::KIND_NAMES`].
    pub kind: u8,
    /// Position in [`rank::LAYER_TAGS`].
    pub layer: u8,
    pub feature_code: String,
    pub lat: f64,
    pub lon: f64,
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub population: u64,
    pub importance: f64,
    pub bbox: Option<[f64; 4]>,
    pub near_countries: Vec<String>,
    pub stands_for: Option<String>,
    /// The GeoNames id of the same feature, when known.
    pub geonameid: Option<u64>,
}

/// A layer of an index: a named group of entries with its licence.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerMeta {
    pub name: String,
    pub licence: String,
    pub entries: usize,
}

/// Makes a temporary file for the writer to spill into.
pub type SpillFile = Box<dyn FnMut() -> io::Result<File>>;

/// Builds an index from records, then writes it out with [`IndexWriter::finish`].
pub struct IndexWriter {
    spill: Option<SpillFile>,
    records: Spool,
    strings: Spool,
    names: KeySorter,
    ids: KeySorter,
    entries: u32,
    longest_name_words: u32,
    layers: Vec<LayerMeta>,
    notes: Vec<(String, String)>,
    text: String,
    /// The folded names of the entry being added, and the positions of the names they came from.
    folded: Vec<String>,
    kept: Vec<usize>,
    key: Vec<u8>,
}

impl IndexWriter {
    /// A writer that keeps everything in memory (the shipped tables, tests).
    pub fn in_memory() -> IndexWriter {
        IndexWriter::new(None).expect("an in-memory writer creates no files")
    }

    /// A writer that spills records, text and sorted key runs into temporary files, so its memory stays
    /// bounded whatever the input size.
    pub fn spilling(spill: SpillFile) -> Result<IndexWriter> {
        IndexWriter::new(Some(spill))
    }

    fn new(mut spill: Option<SpillFile>) -> Result<IndexWriter> {
        Ok(IndexWriter {
            records: Spool::new(&mut spill)?,
            strings: Spool::new(&mut spill)?,
            spill,
            names: KeySorter::new(NAME_KEY_BUDGET),
            ids: KeySorter::new(ID_KEY_BUDGET),
            entries: 0,
            longest_name_words: 1,
            layers: Vec::new(),
            notes: Vec::new(),
            text: String::new(),
            folded: Vec::new(),
            kept: Vec::new(),
            key: Vec::new(),
        })
    }

    /// Entries added from now on count towards this layer.
    pub fn begin_layer(&mut self, name: &str, licence: &str) {
        self.layers.push(LayerMeta {
            name: name.to_string(),
            licence: licence.to_string(),
            entries: 0,
        });
    }

    /// A line for `gazetteer info` (source file, import time, row counts).
    pub fn note(&mut self, key: &str, value: &str) {
        self.notes.push((key.to_string(), value.to_string()));
    }

    pub fn add(&mut self, r: &Record) -> Result<()> {
        let entry = self.entries;
        if entry >= MAX_ENTRIES {
            bail!("too many entries for one index");
        }
        let Some(layer) = self.layers.last_mut() else {
            bail!("an entry was added before any layer was begun");
        };
        layer.entries += 1;
        // Names that fold like an earlier one add nothing to the index, and are not stored either.
        self.folded.clear();
        self.kept.clear();
        for (position, name) in r.names.iter().enumerate() {
            let folded = fold(name);
            if !folded.is_empty() && !self.folded.contains(&folded) {
                self.folded.push(folded);
                self.kept.push(position);
            }
        }
        self.text.clear();
        let bbox = r
            .bbox
            .map(|b| format!("{},{},{},{}", b[0], b[1], b[2], b[3]))
            .unwrap_or_default();
        let geonameid = r.geonameid.map(|g| g.to_string()).unwrap_or_default();
        let fields = [
            r.id.as_str(),
            &geonameid,
            &r.feature_code,
            r.admin1.as_deref().unwrap_or(""),
            r.stands_for.as_deref().unwrap_or(""),
            &r.near_countries.join("|"),
            &bbox,
        ];
        let names = self.kept.iter().map(|&i| r.names[i].as_str());
        for (i, field) in fields.into_iter().chain(names).enumerate() {
            if field.contains(['\t', '\n', '\r']) {
                bail!("{}: a field contains a tab or line break: {field:?}", r.id);
            }
            if i > 0 {
                self.text.push('\t');
            }
            self.text.push_str(field);
        }
        if r.id.is_empty() || r.id.contains('\0') {
            bail!(
                "an entry has an empty id or one with a NUL byte: {:?}",
                r.id
            );
        }

        let country = match r.country.as_deref() {
            None | Some("") => [0, 0],
            Some(c) if c.len() == 2 && c.is_ascii() => [c.as_bytes()[0], c.as_bytes()[1]],
            Some(c) => bail!("{}: country is not a two-letter code: {c:?}", r.id),
        };
        let mut record = [0u8; RECORD_LEN];
        record[0..8].copy_from_slice(&self.strings.len().to_le_bytes());
        record[8..12].copy_from_slice(&(self.text.len() as u32).to_le_bytes());
        record[12] = r.kind;
        record[13] = r.layer;
        record[14..16].copy_from_slice(&country);
        let (lat, lon) = (
            (r.lat * COORD_SCALE).round() as i32,
            (r.lon * COORD_SCALE).round() as i32,
        );
        record[16..20].copy_from_slice(&lat.to_le_bytes());
        record[20..24].copy_from_slice(&lon.to_le_bytes());
        record[24..32].copy_from_slice(&r.population.to_le_bytes());
        record[32..40].copy_from_slice(&r.importance.to_le_bytes());
        self.records.write_all(&record)?;
        self.strings.write_all(self.text.as_bytes())?;

        for (folded, &position) in self.folded.iter().zip(&self.kept) {
            let words = folded.split(' ').count() as u32;
            self.longest_name_words = self.longest_name_words.max(words);
            // The key carries what ranking a name's entries needs, so the blocks can be written from
            // the sorted keys alone: name, entry, alias flag, kind, layer, country, position,
            // population, importance.
            self.key.clear();
            self.key.extend_from_slice(folded.as_bytes());
            self.key.push(0);
            self.key.extend_from_slice(&entry.to_be_bytes());
            self.key.push(u8::from(position > 0));
            self.key.push(r.kind);
            self.key.push(r.layer);
            self.key.extend_from_slice(&country);
            self.key.extend_from_slice(&lat.to_be_bytes());
            self.key.extend_from_slice(&lon.to_be_bytes());
            self.key.extend_from_slice(&r.population.to_be_bytes());
            self.key.extend_from_slice(&r.importance.to_be_bytes());
            self.names.push(&self.key, &mut self.spill)?;
        }
        self.key.clear();
        self.key.extend_from_slice(r.id.as_bytes());
        self.key.push(0);
        self.key.extend_from_slice(&entry.to_be_bytes());
        self.ids.push(&self.key, &mut self.spill)?;
        self.entries += 1;
        Ok(())
    }

    /// Write the finished index.
    pub fn finish(mut self, out: &mut dyn Write) -> Result<()> {
        let mut names = NamesWriter {
            blocks: Spool::new(&mut self.spill)?,
            hashes: KeySorter::new(HASH_KEY_BUDGET),
            count: 0,
            last_key: Vec::new(),
        };
        let mut keys = self.names.finish(&mut self.spill)?;
        let mut key = Vec::new();
        let mut name = Vec::new();
        let mut group: Vec<rank::NameMatch> = Vec::new();
        while keys.next_into(&mut key)? {
            let split = key
                .iter()
                .position(|&b| b == 0)
                .context("name key without end")?;
            let (key_name, rest) = key.split_at(split);
            if key_name != name.as_slice() {
                names.write(&name, &mut group, &mut self.spill)?;
                name.clear();
                name.extend_from_slice(key_name);
            }
            group.push(name_match(rest)?);
        }
        names.write(&name, &mut group, &mut self.spill)?;
        drop(keys);

        // Enough top bits of the hash for about BUCKET_SIZE names per bucket.
        let hash_bits = (names.count / BUCKET_SIZE).max(1).ilog2().clamp(1, 31);
        let mut hash_entries = Spool::new(&mut self.spill)?;
        let mut directory = Spool::new(&mut self.spill)?;
        let mut next_bucket: u64 = 0;
        let mut entry_number: u32 = 0;
        let mut keys = names.hashes.finish(&mut self.spill)?;
        while keys.next_into(&mut key)? {
            let hash = u64::from_be_bytes(key[0..8].try_into()?);
            let bucket = hash >> (64 - hash_bits);
            while next_bucket <= bucket {
                directory.write_all(&entry_number.to_le_bytes())?;
                next_bucket += 1;
            }
            hash_entries.write_all(&(hash as u32).to_le_bytes())?;
            hash_entries.write_all(&key[8..16])?; // block offset, already little-endian
            entry_number += 1;
        }
        while next_bucket <= 1 << hash_bits {
            directory.write_all(&entry_number.to_le_bytes())?;
            next_bucket += 1;
        }
        drop(keys);

        let mut ids_fst = fst::MapBuilder::new(Spool::new(&mut self.spill)?)?;
        let mut keys = self.ids.finish(&mut self.spill)?;
        let mut previous: Vec<u8> = Vec::new();
        while keys.next_into(&mut key)? {
            let split = key
                .iter()
                .position(|&b| b == 0)
                .context("id key without end")?;
            let (id, rest) = key.split_at(split);
            if id == previous.as_slice() {
                continue; // a repeated id keeps its first entry
            }
            ids_fst.insert(id, u64::from(u32::from_be_bytes(rest[1..5].try_into()?)))?;
            previous.clear();
            previous.extend_from_slice(id);
        }
        let ids_fst = ids_fst.into_inner()?;

        let mut meta = String::new();
        for layer in &self.layers {
            meta.push_str(&format!(
                "layer\t{}\t{}\t{}\n",
                one_line(&layer.name),
                one_line(&layer.licence),
                layer.entries
            ));
        }
        for (key, value) in &self.notes {
            meta.push_str(&format!("note\t{}\t{}\n", one_line(key), one_line(value)));
        }

        let sizes = [
            self.records.len(),
            self.strings.len(),
            names.blocks.len(),
            hash_entries.len(),
            directory.len(),
            ids_fst.len(),
            meta.len() as u64,
        ];
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&self.entries.to_le_bytes());
        header.extend_from_slice(&self.longest_name_words.to_le_bytes());
        header.extend_from_slice(&hash_bits.to_le_bytes());
        let mut offset = HEADER_LEN as u64;
        header.extend_from_slice(&offset.to_le_bytes());
        for size in sizes {
            offset += size;
            header.extend_from_slice(&offset.to_le_bytes());
        }
        debug_assert_eq!(header.len(), HEADER_LEN);
        out.write_all(&header)?;
        self.records.copy_into(out)?;
        self.strings.copy_into(out)?;
        names.blocks.copy_into(out)?;
        hash_entries.copy_into(out)?;
        directory.copy_into(out)?;
        ids_fst.copy_into(out)?;
        out.write_all(meta.as_bytes())?;
        Ok(())
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Writes the name blocks, one name at a time in byte order, and collects their hashes.
struct NamesWriter {
    blocks: Spool,
    /// Keys of hash (8 bytes, big-endian, so byte order is hash order) and block offset (8 bytes).
    hashes: KeySorter,
    count: u64,
    last_key: Vec<u8>,
}

impl NamesWriter {
    /// Write a name with its entries (and the word prefixes it brings), then empty `group`.
    fn write(
        &mut self,
        name: &[u8],
        group: &mut Vec<rank::NameMatch>,
        spill: &mut Option<SpillFile>,
    ) -> Result<()> {
        if group.is_empty() {
            return Ok(());
        }
        // A word prefix not written yet sorts after every name written so far (a name between it and
        // this one would have started with it, and brought it), so the blocks stay in byte order.
        for (at, _) in name.iter().enumerate().filter(|(_, &b)| b == b' ') {
            if &name[..at] > self.last_key.as_slice() {
                self.block(&name[..at], &[], spill)?;
            }
        }
        rank::rank_matches(group);
        self.block(name, group, spill)?;
        group.clear();
        Ok(())
    }

    fn block(
        &mut self,
        name: &[u8],
        group: &[rank::NameMatch],
        spill: &mut Option<SpillFile>,
    ) -> Result<()> {
        let len = u16::try_from(name.len()).context("a name longer than 65535 bytes")?;
        let mut key = [0u8; 16];
        key[0..8].copy_from_slice(&name_hash(name).to_be_bytes());
        key[8..16].copy_from_slice(&self.blocks.len().to_le_bytes());
        self.hashes.push(&key, spill)?;
        self.blocks.write_all(&len.to_le_bytes())?;
        self.blocks.write_all(name)?;
        self.blocks.write_all(&(group.len() as u32).to_le_bytes())?;
        for m in group {
            let word = m.entry << 1 | u32::from(m.alias);
            self.blocks.write_all(&word.to_le_bytes())?;
            self.blocks.write_all(&(m.score as f32).to_le_bytes())?;
        }
        self.count += 1;
        self.last_key.clear();
        self.last_key.extend_from_slice(name);
        Ok(())
    }
}

/// What a run of folded words is to an index that knows it ([`Index::name_or_prefix`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownWords {
    /// The words are a name with entries, not only the start of longer names.
    pub name: bool,
    /// Longer names start with these words: reading on to the next word may find one.
    pub longer: bool,
}

/// The folded name of the name block at `start` of the index's bytes (its length, then its bytes);
/// `None` past the bytes' end.
fn block_name(bytes: &[u8], start: usize) -> Option<&[u8]> {
    let len = u16::from_le_bytes(bytes.get(start..start + 2)?.try_into().ok()?) as usize;
    bytes.get(start + 2..start + 2 + len)
}

/// The hash of a folded name: FNV-1a over its bytes, then a finaliser that spreads every input bit
/// over the top bits, which choose the bucket. Fixed, so the build and the program agree.
pub fn name_hash(name: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in name {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// One entry known by a name, from the part of its name key after the name and its NUL.
fn name_match(rest: &[u8]) -> Result<rank::NameMatch> {
    let field = |at: usize, len: usize| rest.get(at..at + len).context("short name key");
    let coordinate = |at: usize| -> Result<f64> {
        Ok(f64::from(i32::from_be_bytes(field(at, 4)?.try_into()?)) / COORD_SCALE)
    };
    Ok(rank::NameMatch {
        entry: u32::from_be_bytes(field(1, 4)?.try_into()?),
        alias: field(5, 1)?[0] == 1,
        kind: field(6, 1)?[0],
        layer: field(7, 1)?[0],
        country: field(8, 2)?.try_into()?,
        lat: coordinate(10)?,
        lon: coordinate(14)?,
        population: u64::from_be_bytes(field(18, 8)?.try_into()?),
        importance: f64::from_be_bytes(field(26, 8)?.try_into()?),
        score: 0.0,
    })
}

/// Bytes being written: in memory, or in a temporary file when the writer may spill.
enum Spool {
    Memory(Vec<u8>),
    File { file: BufWriter<File>, len: u64 },
}

impl Spool {
    fn new(spill: &mut Option<SpillFile>) -> io::Result<Spool> {
        Ok(match spill {
            None => Spool::Memory(Vec::new()),
            Some(make) => Spool::File {
                file: BufWriter::with_capacity(1 << 20, make()?),
                len: 0,
            },
        })
    }

    fn len(&self) -> u64 {
        match self {
            Spool::Memory(bytes) => bytes.len() as u64,
            Spool::File { len, .. } => *len,
        }
    }

    fn copy_into(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Spool::Memory(bytes) => out.write_all(&bytes),
            Spool::File { file, .. } => {
                let mut file = file.into_inner().map_err(|e| e.into_error())?;
                file.seek(SeekFrom::Start(0))?;
                io::copy(&mut file, out)?;
                Ok(())
            }
        }
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Spool::Memory(bytes) => bytes.extend_from_slice(buf),
            Spool::File { file, len } => {
                file.write_all(buf)?;
                *len += buf.len() as u64;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Spool::Memory(_) => Ok(()),
            Spool::File { file, .. } => file.flush(),
        }
    }
}

/// Byte strings to be read back in sorted order; past its budget it spills sorted runs, if it may.
struct KeySorter {
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
    budget: usize,
    runs: Vec<File>,
}

impl KeySorter {
    fn new(budget: usize) -> KeySorter {
        KeySorter {
            bytes: Vec::new(),
            spans: Vec::new(),
            budget,
            runs: Vec::new(),
        }
    }

    fn push(&mut self, key: &[u8], spill: &mut Option<SpillFile>) -> io::Result<()> {
        self.spans.push((self.bytes.len(), key.len()));
        self.bytes.extend_from_slice(key);
        let used = self.bytes.len() + self.spans.len() * std::mem::size_of::<(usize, usize)>();
        match spill {
            Some(make) if used > self.budget => self.spill_run(make),
            _ => Ok(()),
        }
    }

    fn sort(&mut self) {
        let bytes = &self.bytes;
        self.spans
            .sort_unstable_by(|a, b| bytes[a.0..a.0 + a.1].cmp(&bytes[b.0..b.0 + b.1]));
    }

    fn spill_run(&mut self, make: &mut SpillFile) -> io::Result<()> {
        self.sort();
        let mut out = BufWriter::with_capacity(1 << 20, make()?);
        for &(start, len) in &self.spans {
            out.write_all(&(len as u32).to_le_bytes())?;
            out.write_all(&self.bytes[start..start + len])?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        self.runs.push(file);
        self.bytes.clear();
        self.spans.clear();
        Ok(())
    }

    fn finish(mut self, spill: &mut Option<SpillFile>) -> io::Result<SortedKeys> {
        if self.runs.is_empty() {
            self.sort();
            return Ok(SortedKeys::Memory {
                bytes: self.bytes,
                spans: self.spans,
                next: 0,
            });
        }
        if !self.spans.is_empty() {
            let make = spill.as_mut().expect("runs exist only when spilling");
            self.spill_run(make)?;
        }
        let mut readers: Vec<BufReader<File>> = self
            .runs
            .into_iter()
            .map(|f| BufReader::with_capacity(1 << 16, f))
            .collect();
        let mut heap = BinaryHeap::new();
        for (run, reader) in readers.iter_mut().enumerate() {
            if let Some(key) = read_run_key(reader)? {
                heap.push(Reverse((key, run)));
            }
        }
        Ok(SortedKeys::Merge { readers, heap })
    }
}

fn read_run_key(reader: &mut BufReader<File>) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match reader.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut key = vec![0u8; u32::from_le_bytes(len) as usize];
    reader.read_exact(&mut key)?;
    Ok(Some(key))
}

enum SortedKeys {
    Memory {
        bytes: Vec<u8>,
        spans: Vec<(usize, usize)>,
        next: usize,
    },
    Merge {
        readers: Vec<BufReader<File>>,
        heap: BinaryHeap<Reverse<(Vec<u8>, usize)>>,
    },
}

impl SortedKeys {
    /// The next key into `out`; false at the end.
    fn next_into(&mut self, out: &mut Vec<u8>) -> io::Result<bool> {
        out.clear();
        match self {
            SortedKeys::Memory { bytes, spans, next } => {
                let Some(&(start, len)) = spans.get(*next) else {
                    return Ok(false);
                };
                *next += 1;
                out.extend_from_slice(&bytes[start..start + len]);
                Ok(true)
            }
            SortedKeys::Merge { readers, heap } => {
                let Some(Reverse((key, run))) = heap.pop() else {
                    return Ok(false);
                };
                out.extend_from_slice(&key);
                if let Some(next) = read_run_key(&mut readers[run])? {
                    heap.push(Reverse((next, run)));
                }
                Ok(true)
            }
        }
    }
}

/// The bytes of an index, shared by the fst maps that read parts of them.
pub type Blob = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// A byte range of a [`Blob`], so an fst map can own its part of the index.
#[derive(Clone)]
pub struct Section {
    blob: Blob,
    range: Range<usize>,
}

impl AsRef<[u8]> for Section {
    fn as_ref(&self) -> &[u8] {
        &(*self.blob).as_ref()[self.range.clone()]
    }
}

/// The fixed-size part of an entry, read without touching its text.
#[derive(Debug, Clone, Copy)]
pub struct RecordView<'a> {
    pub kind: u8,
    pub layer: u8,
    pub country: Option<&'a str>,
    pub lat: f64,
    pub lon: f64,
    pub population: u64,
    pub importance: f64,
}

/// An entry found under a name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posting {
    pub entry: u32,
    /// The name is one of the entry's aliases, not its main name.
    pub alias: bool,
    /// Its rank among the entries of the name (see [`rank::rank_matches`]).
    pub score: f64,
}

/// An index opened for reading.
pub struct Index {
    blob: Blob,
    entries: u32,
    longest_name_words: u32,
    records: Range<usize>,
    strings: Range<usize>,
    blocks: Range<usize>,
    hash_entries: Range<usize>,
    directory: Range<usize>,
    hash_bits: u32,
    ids: fst::Map<Section>,
    pub layers: Vec<LayerMeta>,
    pub notes: Vec<(String, String)>,
}

impl Index {
    pub fn open(blob: Blob) -> Result<Index> {
        let bytes = (*blob).as_ref();
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            bail!("not a mentionmap gazetteer index");
        }
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
        let version = u32_at(8);
        if version != VERSION {
            bail!("index format version {version}, this program reads version {VERSION}");
        }
        let entries = u32_at(12);
        let longest_name_words = u32_at(16);
        let hash_bits = u32_at(20);
        let offsets: Vec<u64> = (0..=SECTIONS).map(|i| u64_at(24 + 8 * i)).collect();
        if offsets[0] != HEADER_LEN as u64
            || offsets.windows(2).any(|w| w[0] > w[1])
            || offsets[SECTIONS] != bytes.len() as u64
        {
            bail!(
                "index is truncated or damaged (expected {} bytes, found {})",
                offsets[SECTIONS],
                bytes.len()
            );
        }
        let section = |i: usize| offsets[i] as usize..offsets[i + 1] as usize;
        let (records, strings, blocks) = (section(0), section(1), section(2));
        let (hash_entries, directory) = (section(3), section(4));
        if records.len() != entries as usize * RECORD_LEN {
            bail!("index is damaged: record table does not match the entry count");
        }
        if !(1..=31).contains(&hash_bits)
            || directory.len() != ((1usize << hash_bits) + 1) * 4
            || hash_entries.len() % HASH_ENTRY_LEN != 0
        {
            bail!("index is damaged: name hash table");
        }
        let ids = fst::Map::new(Section {
            blob: blob.clone(),
            range: section(5),
        })
        .context("index is damaged: id map")?;
        let meta = std::str::from_utf8(&bytes[section(6)]).context("index is damaged: meta")?;
        let mut layers = Vec::new();
        let mut notes = Vec::new();
        for line in meta.lines() {
            let cells: Vec<&str> = line.split('\t').collect();
            match cells.as_slice() {
                ["layer", name, licence, count] => layers.push(LayerMeta {
                    name: name.to_string(),
                    licence: licence.to_string(),
                    entries: count.parse().context("index is damaged: layer count")?,
                }),
                ["note", key, value] => notes.push((key.to_string(), value.to_string())),
                _ => bail!("index is damaged: meta line {line:?}"),
            }
        }
        Ok(Index {
            blob,
            entries,
            longest_name_words,
            records,
            strings,
            blocks,
            hash_entries,
            directory,
            hash_bits,
            ids,
            layers,
            notes,
        })
    }

    fn bytes(&self) -> &[u8] {
        (*self.blob).as_ref()
    }

    pub fn len(&self) -> u32 {
        self.entries
    }

    pub fn longest_name_words(&self) -> u32 {
        self.longest_name_words
    }

    /// Where the block of a folded name starts, if the name (or a longer name it begins) is known.
    fn find_block(&self, folded: &str) -> Option<usize> {
        // the blob once: reaching it goes through a trait object
        let bytes = self.bytes();
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let hash = name_hash(folded.as_bytes());
        let bucket = (hash >> (64 - self.hash_bits)) as usize;
        let first = u32_at(self.directory.start + bucket * 4) as usize;
        let end = u32_at(self.directory.start + bucket * 4 + 4) as usize;
        (first..end).find_map(|i| {
            let at = self.hash_entries.start + i * HASH_ENTRY_LEN;
            if u32_at(at) != hash as u32 {
                return None;
            }
            let block = u64::from_le_bytes(bytes[at + 4..at + 12].try_into().unwrap()) as usize;
            let start = self.blocks.start + block;
            (block_name(bytes, start)? == folded.as_bytes()).then_some(start)
        })
    }

    /// The entries of the block at `start`, and where the next block starts.
    fn block_entries(&self, start: usize) -> (&[u8], usize) {
        let bytes = self.bytes();
        let len = u16::from_le_bytes(bytes[start..start + 2].try_into().unwrap()) as usize;
        let count_at = start + 2 + len;
        let count = u32::from_le_bytes(bytes[count_at..count_at + 4].try_into().unwrap()) as usize;
        let end = (count_at + 4 + count * 8).min(self.blocks.end);
        (&bytes[count_at + 4..end], end)
    }

    /// The entries known by a folded name, best first.
    pub fn postings(&self, folded: &str) -> impl Iterator<Item = Posting> + '_ {
        let words = self
            .find_block(folded)
            .map_or(&[][..], |start| self.block_entries(start).0);
        words.chunks_exact(8).map(|w| {
            let word = u32::from_le_bytes(w[0..4].try_into().unwrap());
            Posting {
                entry: word >> 1,
                alias: word & 1 == 1,
                score: f64::from(f32::from_le_bytes(w[4..8].try_into().unwrap())),
            }
        })
    }

    /// In one look-up: `None` when nothing known starts with these words, else what they are.
    pub fn name_or_prefix(&self, folded: &str) -> Option<KnownWords> {
        let start = self.find_block(folded)?;
        let (entries, next) = self.block_entries(start);
        // A longer name that starts with these words sorts after them and before anything else that
        // does (no byte of a folded name sorts before the space), so it is the very next block.
        let longer = next < self.blocks.end
            && block_name(self.bytes(), next).is_some_and(|name| {
                name.len() > folded.len()
                    && name.starts_with(folded.as_bytes())
                    && name[folded.len()] == b' '
            });
        Some(KnownWords {
            name: !entries.is_empty(),
            longer,
        })
    }

    /// Every folded name that has entries, in byte order.
    pub fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut at = self.blocks.start;
        while at < self.blocks.end {
            let (entries, next) = self.block_entries(at);
            if !entries.is_empty() {
                let name = block_name(self.bytes(), at).expect("blocks end where the next starts");
                out.push(String::from_utf8_lossy(name).into_owned());
            }
            at = next;
        }
        out
    }

    pub fn find_id(&self, id: &str) -> Option<u32> {
        self.ids.get(id).map(|v| v as u32)
    }

    pub fn record(&self, entry: u32) -> RecordView<'_> {
        let start = self.records.start + entry as usize * RECORD_LEN;
        let r = &self.bytes()[start..start + RECORD_LEN];
        let i32_at = |at: usize| i32::from_le_bytes(r[at..at + 4].try_into().unwrap());
        RecordView {
            kind: r[12],
            layer: r[13],
            country: (r[14] != 0)
                .then(|| std::str::from_utf8(&r[14..16]).ok())
                .flatten(),
            lat: f64::from(i32_at(16)) / COORD_SCALE,
            lon: f64::from(i32_at(20)) / COORD_SCALE,
            population: u64::from_le_bytes(r[24..32].try_into().unwrap()),
            importance: f64::from_le_bytes(r[32..40].try_into().unwrap()),
        }
    }

    /// The entry's text block (id, GeoNames id, feature code, admin1, stands-for, near countries, bbox,
    /// names).
    pub fn text(&self, entry: u32) -> &str {
        let start = self.records.start + entry as usize * RECORD_LEN;
        let r = &self.bytes()[start..start + RECORD_LEN];
        let offset = u64::from_le_bytes(r[0..8].try_into().unwrap()) as usize;
        let len = u32::from_le_bytes(r[8..12].try_into().unwrap()) as usize;
        self.bytes()
            .get(self.strings.start + offset..self.strings.start + offset + len)
            .filter(|_| offset + len <= self.strings.len())
            .and_then(|b| std::str::from_utf8(b).ok())
            .expect("gazetteer index is damaged: an entry's text is out of range or not UTF-8")
    }

    /// The entry's id, the first field of its text.
    pub fn id(&self, entry: u32) -> &str {
        let text = self.text(entry);
        text.split_once('\t').map_or(text, |(id, _)| id)
    }

    /// The whole entry, as it was written.
    pub fn decode(&self, entry: u32) -> Record {
        let view = self.record(entry);
        let mut fields = self.text(entry).split('\t');
        let mut next = || fields.next().unwrap_or("").to_string();
        let (id, geonameid, feature_code) = (next(), next(), next());
        let (admin1, stands_for, near, bbox) = (next(), next(), next(), next());
        let non_empty = |s: String| (!s.is_empty()).then_some(s);
        let bbox = parse_bbox(&bbox);
        Record {
            id,
            geonameid: geonameid.parse().ok(),
            feature_code,
            admin1: non_empty(admin1),
            stands_for: non_empty(stands_for),
            near_countries: near
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            bbox,
            names: fields.map(str::to_string).collect(),
            kind: view.kind,
            layer: view.layer,
            lat: view.lat,
            lon: view.lon,
            country: view.country.map(str::to_string),
            population: view.population,
            importance: view.importance,
        }
    }
}

fn parse_bbox(text: &str) -> Option<[f64; 4]> {
    let values: Vec<f64> = text.split(',').filter_map(|v| v.parse().ok()).collect();
    values.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, names: &[&str], kind: &str, importance: f64) -> Record {
        Record {
            id: id.to_string(),
            names: names.iter().map(|s| s.to_string()).collect(),
            kind: rank::kind_code(kind).unwrap(),
            layer: 0,
            feature_code: "PPL".to_string(),
            lat: 36.06488,
            lon: -120.38042,
            country: Some("CN".to_string()),
            admin1: Some("25".to_string()),
            population: 3_718_835,
            importance,
            bbox: Some([117.5, 22.5, 121.5, 26.0]),
            near_countries: vec!["CN".to_string(), "TW".to_string()],
            stands_for: None,
            geonameid: Some(1797929),
        }
    }

    fn build(records: &[Record], writer: IndexWriter) -> Index {
        let mut writer = writer;
        writer.begin_layer("test layer", "test licence");
        for r in records {
            writer.add(r).unwrap();
        }
        writer.note("source", "unit test");
        let mut bytes = Vec::new();
        writer.finish(&mut bytes).unwrap();
        Index::open(Arc::new(bytes)).unwrap()
    }

    #[test]
    fn records_round_trip_and_names_rank_best_first() {
        let mut state = record(
            "gn:3",
            &["Victoria", "VICTORIA", "Victória", "--"],
            "admin1",
            0.55,
        );
        (state.lat, state.lon, state.country) = (-37.0, 144.0, Some("AU".to_string()));
        let records = vec![
            record("gn:1", &["Victoria", "Vic"], "city", 0.5),
            record("gn:2", &["Hong Kong", "Victoria"], "city", 0.7),
            state,
            record("gn:4", &["Kowloon"], "admin1", 0.75),
        ];
        let index = build(&records, IndexWriter::in_memory());
        assert_eq!(index.len(), 4);
        assert_eq!(index.decode(0), records[0]);
        // names folding like an earlier one, or to nothing, are dropped
        assert_eq!(index.decode(2).names, ["Victoria"]);
        let victoria: Vec<_> = index
            .postings("victoria")
            .map(|p| (p.entry, p.alias, p.score as f32))
            .collect();
        // Hong Kong's alias, with a city called Victoria at the same place, falls below both main names
        assert_eq!(
            victoria,
            [(2, false, 0.55), (0, false, 0.5), (1, true, 0.34)]
        );
        let vic: Vec<_> = index.postings("vic").map(|p| (p.entry, p.alias)).collect();
        assert_eq!(vic, [(0, true)]);
        assert_eq!(index.find_id("gn:2"), Some(1));
        assert_eq!(index.find_id("gn:5"), None);
        assert!(index.name_or_prefix("hong").is_some());
        assert!(index.name_or_prefix("hon").is_none());
        let known = |name: bool, longer: bool| Some(KnownWords { name, longer });
        assert_eq!(index.name_or_prefix("hong"), known(false, true));
        assert_eq!(index.name_or_prefix("hong kong"), known(true, false));
        // the last block of all
        assert_eq!(index.name_or_prefix("victoria"), known(true, false));
        assert_eq!(index.postings("hong").count(), 0);
        assert_eq!(index.names(), ["hong kong", "kowloon", "vic", "victoria"]);
        assert_eq!(index.layers[0].entries, 4);
        assert_eq!(
            index.notes,
            [("source".to_string(), "unit test".to_string())]
        );
    }

    #[test]
    fn word_prefixes_are_keys_without_entries() {
        let records = vec![
            record("a", &["Sea of Japan", "Sea of Azov Gulf"], "sea", 0.8),
            record("b", &["Sea ofx", "Sea of"], "sea", 0.8),
            record(
                "c",
                &["Sea of Azov", "North Sea of Japan Basin"],
                "sea",
                0.8,
            ),
        ];
        let index = build(&records, IndexWriter::in_memory());
        for prefix in [
            "sea",
            "sea of",
            "sea of azov",
            "north sea of japan",
            "north",
        ] {
            assert!(index.name_or_prefix(prefix).is_some(), "{prefix}");
        }
        assert!(index.name_or_prefix("sea of azov gulf basin").is_none());
        // longer names start with a name when one does with a space after it, not only its bytes
        let longer = |words: &str| index.name_or_prefix(words).map(|k| k.longer);
        assert_eq!(longer("sea of"), Some(true));
        assert_eq!(longer("sea ofx"), Some(false));
        assert_eq!(longer("sea of azov"), Some(true));
        assert_eq!(longer("sea of azov gulf"), Some(false));
        assert_eq!(longer("sea of japan"), Some(false));
        assert_eq!(longer("north sea of japan"), Some(true));
        assert_eq!(index.postings("sea").count(), 0);
        assert_eq!(
            index
                .postings("sea of")
                .map(|p| p.entry)
                .collect::<Vec<_>>(),
            [1]
        );
        assert_eq!(
            index
                .postings("sea of azov")
                .map(|p| p.entry)
                .collect::<Vec<_>>(),
            [2]
        );
    }

    #[test]
    fn spilled_runs_merge_to_the_same_index() {
        let records: Vec<Record> = (0..3000)
            .map(|i| {
                let name = format!("Place {}", i % 700);
                record(
                    &format!("gn:{i}"),
                    &[&name, "Common"],
                    "city",
                    (i % 97) as f64 / 100.0,
                )
            })
            .collect();
        let in_memory = build(&records, IndexWriter::in_memory());
        let mut writer = IndexWriter::spilling(Box::new(tempfile::tempfile)).unwrap();
        writer.names.budget = 4096; // force many runs
        writer.ids.budget = 4096;
        let spilled = build(&records, writer);
        assert_eq!(in_memory.bytes(), spilled.bytes());
        assert_eq!(spilled.postings("common").count(), 3000);
    }

    #[test]
    fn damaged_indexes_are_refused() {
        let index = build(
            &[record("gn:1", &["A"], "city", 0.5)],
            IndexWriter::in_memory(),
        );
        let mut bytes = index.bytes().to_vec();
        bytes.pop();
        let err = Index::open(Arc::new(bytes)).err().unwrap();
        assert!(err.to_string().contains("truncated"), "{err}");
        assert!(Index::open(Arc::new(b"not an index at all".to_vec())).is_err());
    }
}
