//! Ingest: turning the user's inputs (files, folders, standard input) into *documents* — a text plus what
//! is known about it (id, title, url, publication date and how that date was found).
//!
//! One bad input never stops the others: every problem becomes one [`InputProblem`] line naming the file
//! and the reason, and reading goes on.

mod html;
mod jsonl;
mod text;

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::story::{DateSource, Document};

pub(crate) use jsonl::{next_json_escape, short_has_escape};

/// A document as read: its metadata and its text. The text is what offsets count into.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    pub meta: Document,
    pub text: String,
}

/// One input that could not be read, or one record of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// The file (and line, for JSON Lines) the problem is in.
    pub location: String,
    pub reason: String,
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

/// Publication dates given on the command line (`--date 2023-07-16`, `--date ID=2023-07-16`).
#[derive(Debug, Clone, Default)]
pub struct DateOverrides {
    pub all: Option<NaiveDate>,
    pub by_id: BTreeMap<String, NaiveDate>,
}

impl DateOverrides {
    /// Parse one `--date` argument.
    pub fn add(&mut self, arg: &str) -> Result<(), String> {
        let (id, date) = match arg.rsplit_once('=') {
            Some((id, date)) => (Some(id), date),
            None => (None, arg),
        };
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| format!("--date {arg}: expected YYYY-MM-DD or ID=YYYY-MM-DD"))?;
        match id {
            Some(id) => {
                self.by_id.insert(id.to_string(), date);
            }
            None => self.all = Some(date),
        }
        Ok(())
    }

    fn date_for(&self, id: &str) -> Option<NaiveDate> {
        self.by_id.get(id).copied().or(self.all)
    }
}

/// Everything read from the inputs, in a stable order (inputs as given, folders sorted).
#[derive(Debug, Default)]
pub struct Ingested {
    pub documents: Vec<SourceDoc>,
    pub problems: Vec<InputProblem>,
    /// What was read but changed on the way, for the user to know (a repeated id renamed).
    pub notes: Vec<InputProblem>,
}

/// File endings read when walking a folder; a file named explicitly is read whatever its ending.
const KNOWN_EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "html", "htm", "jsonl", "ndjson", "json",
];

/// Read every input: files, folders (recursively) or `-` for standard input.
pub fn read_inputs(inputs: &[String], dates: &DateOverrides) -> Ingested {
    let mut all = Ingested::default();
    for batch in stream_inputs(inputs, dates) {
        all.documents.extend(batch.documents);
        all.problems.extend(batch.problems);
        all.notes.extend(batch.notes);
    }
    all
}

/// [`read_inputs`] one file at a time: each item is what one file (or standard input, or the walk of
/// a folder) gave, in the same order, so that only one file's documents need be in memory at once.
pub fn stream_inputs<'a>(inputs: &'a [String], dates: &'a DateOverrides) -> InputStream<'a> {
    InputStream {
        inputs: inputs.iter(),
        files: Vec::new(),
        dates,
        ids: UniqueIds::default(),
    }
}

/// The iterator of [`stream_inputs`].
pub struct InputStream<'a> {
    inputs: std::slice::Iter<'a, String>,
    /// The files of the folder being read, last first.
    files: Vec<PathBuf>,
    dates: &'a DateOverrides,
    ids: UniqueIds,
}

impl Iterator for InputStream<'_> {
    type Item = Ingested;

    fn next(&mut self) -> Option<Ingested> {
        let mut batch = Ingested::default();
        match self.files.pop() {
            Some(file) => read_file(&file, &mut batch),
            None => {
                let input = self.inputs.next()?;
                self.start(input, &mut batch);
            }
        }
        for doc in &mut batch.documents {
            let id = self.ids.claim(&doc.meta.id);
            if id != doc.meta.id {
                batch.notes.push(InputProblem {
                    location: doc.meta.path.clone(),
                    reason: format!(
                        "document id {:?} was taken by an earlier document; this one is {id:?}",
                        doc.meta.id
                    ),
                });
            }
            doc.meta.id = id;
            if let Some(date) = self.dates.date_for(&doc.meta.id) {
                doc.meta.published = Some(iso_date(date));
                doc.meta.date_source = DateSource::Metadata;
            }
        }
        Some(batch)
    }
}

impl InputStream<'_> {
    /// Read standard input or a file, or list a folder's files to read next.
    fn start(&mut self, input: &str, batch: &mut Ingested) {
        if input == "-" {
            let mut bytes = Vec::new();
            match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => read_bytes("-", "stdin", Format::Sniff, bytes, batch),
                Err(e) => batch.problem("-", format!("cannot read standard input: {e}")),
            }
            return;
        }
        let path = Path::new(input);
        match std::fs::metadata(path) {
            Err(e) => batch.problem(input, describe_io_error(&e)),
            Ok(meta) if meta.is_dir() => {
                let mut files = Vec::new();
                let mut seen_dirs = HashSet::new();
                walk_folder(path, &mut files, &mut seen_dirs, &mut batch.problems);
                if files.is_empty() {
                    batch.problem(input, "no documents found in this folder (looked for .txt, .md, .html, .jsonl, .json)".into());
                }
                files.reverse();
                self.files = files;
            }
            Ok(_) => read_file(path, batch),
        }
    }
}

/// The ids given so far. Two documents with one id would merge in every output, so a taken id gets
/// `-2`, `-3`, ... (the first free one).
#[derive(Debug, Default)]
pub struct UniqueIds {
    taken: HashSet<String>,
}

impl UniqueIds {
    /// `id` if free, else the first free `id-N`; taken from now on.
    pub fn claim(&mut self, id: &str) -> String {
        if self.taken.insert(id.to_string()) {
            return id.to_string();
        }
        let mut n = 2;
        while self.taken.contains(&format!("{id}-{n}")) {
            n += 1;
        }
        let fresh = format!("{id}-{n}");
        self.taken.insert(fresh.clone());
        fresh
    }
}

impl Ingested {
    fn problem(&mut self, location: &str, reason: String) {
        self.problems.push(InputProblem {
            location: location.to_string(),
            reason,
        });
    }
}

fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn walk_folder(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    seen_dirs: &mut HashSet<PathBuf>,
    problems: &mut Vec<InputProblem>,
) {
    // Canonical paths catch symlink loops: a folder is walked once, however it is reached.
    let canonical = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            problems.push(InputProblem {
                location: dir.display().to_string(),
                reason: describe_io_error(&e),
            });
            return;
        }
    };
    if !seen_dirs.insert(canonical) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(InputProblem {
                location: dir.display().to_string(),
                reason: describe_io_error(&e),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk_folder(&path, files, seen_dirs, problems),
            Ok(m) if m.is_file() && has_known_extension(&path) => files.push(path),
            // A pipe or device found in a folder would block the run or never end; one named on the
            // command line is read, since the user chose it (`<(zcat dump.gz)`).
            Ok(_) if has_known_extension(&path) => problems.push(InputProblem {
                location: path.display().to_string(),
                reason: "not a regular file (a pipe, socket or device); not read".into(),
            }),
            Ok(_) => {}
            Err(e) => problems.push(InputProblem {
                location: path.display().to_string(),
                reason: describe_io_error(&e),
            }),
        }
    }
}

fn has_known_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| KNOWN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Html,
    JsonLines,
    Sniff,
}

fn format_of(path: &Path) -> Format {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html" | "htm") => Format::Html,
        Some("jsonl" | "ndjson" | "json") => Format::JsonLines,
        Some("txt" | "md" | "markdown") => Format::Text,
        _ => Format::Sniff,
    }
}

/// Read one file's bytes as if they came from `path`, whose ending picks the format: the fuzz targets'
/// way in, with no disk between them and the readers.
pub fn read_file_bytes(path: &str, bytes: Vec<u8>) -> Ingested {
    let mut ingested = Ingested::default();
    let stem = Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("document");
    read_bytes(path, stem, format_of(Path::new(path)), bytes, &mut ingested);
    let mut ids = UniqueIds::default();
    for doc in &mut ingested.documents {
        doc.meta.id = ids.claim(&doc.meta.id);
    }
    ingested
}

fn read_file(path: &Path, ingested: &mut Ingested) {
    let location = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("document");
            read_bytes(&location, stem, format_of(path), bytes, ingested);
        }
        Err(e) => ingested.problem(&location, describe_io_error(&e)),
    }
}

fn read_bytes(
    location: &str,
    default_id: &str,
    format: Format,
    bytes: Vec<u8>,
    ingested: &mut Ingested,
) {
    let text = match decode_text(bytes) {
        Ok(text) => text,
        Err(reason) => return ingested.problem(location, reason),
    };
    if text.trim().is_empty() {
        return ingested.problem(location, "empty file: no text to read".into());
    }
    let format = match format {
        Format::Sniff => sniff(&text),
        f => f,
    };
    match format {
        Format::Html => push_document(html::read_html(&text), location, None, default_id, ingested),
        Format::Text => push_document(text::read_text(&text), location, None, default_id, ingested),
        Format::JsonLines | Format::Sniff => {
            for record in jsonl::read_json_records(&text) {
                match record {
                    Ok((line, doc)) => {
                        push_document(Ok(doc), location, Some(line), default_id, ingested)
                    }
                    Err((line, reason)) => {
                        ingested.problem(&format!("{location} line {line}"), reason)
                    }
                }
            }
        }
    }
}

fn sniff(text: &str) -> Format {
    let head = text.trim_start();
    if head.starts_with('{') || head.starts_with('[') {
        Format::JsonLines
    } else if head.starts_with('<') {
        Format::Html
    } else {
        Format::Text
    }
}

/// UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused with the offset of the
/// first bad byte, and files with NUL bytes are taken for binary.
fn decode_text(bytes: Vec<u8>) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    if let Some(pos) = memchr::memchr(0, &bytes) {
        return Err(format!("binary file (NUL byte at offset {pos}), not text"));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); convert it to UTF-8 first",
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

fn decode_utf16(bytes: &[u8], to_u16: fn([u8; 2]) -> u16) -> Result<String, String> {
    if bytes.len() % 2 != 0 {
        return Err("UTF-16 text with an odd number of bytes".into());
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| to_u16([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).map_err(|_| "UTF-16 text with an unpaired surrogate".into())
}

/// What a format reader found in one document.
#[derive(Debug, Default)]
pub(crate) struct ParsedDoc {
    pub id: Option<String>,
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// The publication date as written in the metadata.
    pub published: Option<String>,
}

/// `line` is the record's line for JSON Lines, so problems name it, and a record without an id is
/// `default_id` and its line.
fn push_document(
    parsed: Result<ParsedDoc, String>,
    location: &str,
    line: Option<usize>,
    default_id: &str,
    ingested: &mut Ingested,
) {
    // made only for a problem, and the default id only for a document without one: nearly every
    // record of a corpus has an id and no problem
    let place = || match line {
        Some(n) => format!("{location} line {n}"),
        None => location.to_string(),
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(reason) => return ingested.problem(&place(), reason),
    };
    if parsed.text.trim().is_empty() {
        return ingested.problem(&place(), "no article text found".into());
    }
    if let Some(reason) = text_too_long(parsed.text.len()) {
        return ingested.problem(&place(), reason);
    }
    let published = match parsed.published.as_deref().map(parse_published) {
        Some(Ok(date)) => Some(date),
        Some(Err(raw)) => {
            ingested.problem(
                &place(),
                format!("unreadable publication date {raw:?}; treating the date as unknown"),
            );
            None
        }
        None => None,
    };
    let id = match (parsed.id.as_deref(), line) {
        (Some(id), _) => clean_id(id),
        (None, Some(n)) => clean_id(&format!("{default_id}-{n}")),
        (None, None) => clean_id(default_id),
    };
    ingested.documents.push(SourceDoc {
        meta: Document {
            id,
            path: location.to_string(),
            title: parsed.title,
            url: parsed.url,
            source: parsed.source,
            date_source: if published.is_some() {
                DateSource::Metadata
            } else {
                DateSource::None
            },
            published: published.map(iso_date),
            chars: parsed.text.chars().count(),
        },
        text: parsed.text,
    });
}

/// The longest article text read, in bytes: recognition keeps offsets into a text as `u32`.
pub const MAX_TEXT_BYTES: usize = u32::MAX as usize;

fn text_too_long(bytes: usize) -> Option<String> {
    (bytes > MAX_TEXT_BYTES).then(|| {
        format!("article text of {bytes} bytes is over the 4 GiB limit; split it into smaller documents")
    })
}

/// Accepts `2023-07-16`, a full RFC 3339 time, or `2023/07/16`.
fn parse_published(raw: &str) -> Result<NaiveDate, String> {
    let s = raw.trim();
    // the usual form, as every date is read; then the slashed one
    if let Some(date) = crate::time::parse_date(s) {
        return Ok(date);
    }
    let head: String = s.chars().take(10).collect();
    NaiveDate::parse_from_str(&head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&head, "%Y/%m/%d"))
        .map_err(|_| raw.to_string())
}

/// A date as `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it.
pub(crate) fn iso_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    match u32::try_from(date.year()) {
        Ok(year @ 0..=9999) => {
            let mut text = String::with_capacity(10);
            for (n, width) in [(year, 4), (date.month(), 2), (date.day(), 2)] {
                if !text.is_empty() {
                    text.push('-');
                }
                for place in (0..width).rev() {
                    text.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
                }
            }
            text
        }
        // a sign and more digits
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// Ids name documents in outputs and must never steer paths: keep letters, digits and `-_.:`.
fn clean_id(raw: &str) -> String {
    let cleaned: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('.').to_string();
    if cleaned.is_empty() {
        "document".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_past_the_offset_width_are_refused_by_name() {
        // a 4 GiB text is too large to build in a test: the limit is checked on its length
        assert_eq!(text_too_long(MAX_TEXT_BYTES), None);
        assert_eq!(u32::try_from(MAX_TEXT_BYTES), Ok(u32::MAX));
        let reason = text_too_long(MAX_TEXT_BYTES + 1).expect("refused");
        assert!(
            reason.contains("4294967296 bytes") && reason.contains("split"),
            "{reason}"
        );
    }

    #[test]
    fn decodes_boms_and_refuses_binary() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFhello".to_vec()).unwrap(), "hello");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Qingdao".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode_text(utf16).unwrap(), "Qingdao");
        assert!(decode_text(b"ab\0cd".to_vec())
            .unwrap_err()
            .contains("offset 2"));
        assert!(decode_text(b"abc\xFFdef".to_vec())
            .unwrap_err()
            .contains("offset 3"));
    }

    #[test]
    fn ids_cannot_steer_paths_and_stay_unique() {
        assert_eq!(clean_id("../../etc/passwd"), "_.._etc_passwd");
        assert!(!clean_id("../../etc/passwd").contains('/'));
        let mut taken = UniqueIds::default();
        let ids: Vec<_> = ["a", "a", "a-2", "a"]
            .iter()
            .map(|id| taken.claim(id))
            .collect();
        assert_eq!(ids, ["a", "a-2", "a-2-2", "a-3"]);
    }

    #[test]
    fn dates_are_read_and_written_as_chrono_does() {
        let chrono_read = |raw: &str| {
            let head: String = raw.trim().chars().take(10).collect();
            NaiveDate::parse_from_str(&head, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(&head, "%Y/%m/%d"))
                .ok()
        };
        for raw in [
            "2023-07-16",
            " 2023-07-16T08:00:00Z",
            "0000-01-01",
            "2023-02-29",
            "2024-02-29",
            "2023-13-01",
            "2023-7-16",
            "2023/07/16",
            "20230716",
            "2023-07-1x",
            "2023-7-1é",
            "2023-07-16é",
            "tomorrow",
        ] {
            assert_eq!(parse_published(raw).ok(), chrono_read(raw), "{raw}");
        }
        for (y, m, d) in [
            (2023, 7, 16),
            (0, 1, 1),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-1, 3, 4),
            (987, 10, 5),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn date_overrides_by_id_win_over_all() {
        let mut d = DateOverrides::default();
        d.add("2023-07-16").unwrap();
        d.add("doc1=2023-07-20").unwrap();
        assert!(d.add("tomorrow").is_err());
        assert_eq!(d.date_for("doc1").unwrap().to_string(), "2023-07-20");
        assert_eq!(d.date_for("other").unwrap().to_string(), "2023-07-16");
    }
}
