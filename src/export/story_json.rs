//! `story.json`: the story as it is, one record per line, so an analyst can read, correct and re-export it.
//!
//! The file is also a GeoJSON FeatureCollection: the story's members ride along as foreign members
//! (RFC 7946 §6.1) beside `type` and `features` (every layer, as in `map.geojson`), so geojson.io, QGIS
//! and the GeoJSON validators open it as a map too. Reading it back ignores `type` and `features`: the
//! story members are the source of truth and the features are made from them again on export.
//!
//! What mentions repeat is written once, in two tables before them: `sentences`, each sentence some
//! mention stands in, once per document, and `candidate_places`, each place some candidate names, with
//! its name, kind, country and point. A mention's `sentence` is an index into the first, and a candidate
//! `{"place": id, "score": s}` takes the rest from the second (a candidate whose details differ from its
//! place's row is written whole). A corpus gives hundreds of thousands of mentions, and most of a
//! mention's bytes were its sentence and its candidates' places. Reading also accepts a sentence written
//! out in a mention and whole candidates, as older versions wrote them.

use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::ops::Range;
use std::sync::Arc;

use anyhow::{Context, Result};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::ser::{CompactFormatter, Formatter};

use super::features::{Index, Layer};
use super::geojson::FeatureJson;
use super::Writer;
use crate::story::{
    Actor, Candidate, CandidatePlace, DateSource, Demonym, DocRecord, Document, Event, Generator,
    Granularity, Mention, Modifier, Place, PlaceKind, Story, Tense, TimeExpr, Track,
};

pub struct StoryJson;

impl Writer for StoryJson {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        write_story(story, &mut out).context("cannot write the story")?;
        out.flush()?;
        Ok(())
    }
}

/// The file, one member after another, each a list of records one a line (see [`RecordLines`]). The
/// sentences, the candidates' places and the mentions are most of a story, and are written here
/// directly rather than through serde, several times faster; the layout is the same. The lists' records
/// are made side by side on the cores ([`par_list`]).
fn write_story(story: &Story, out: &mut impl Write) -> io::Result<()> {
    // the features come last but are made meanwhile, on another core, into memory: made one at a time
    // from the story, they would leave the other cores idle (they are a small part of the file)
    let mut features = Vec::new();
    rayon::in_place_scope(|scope| {
        scope.spawn(|_| features = features_member(story));
        write_records(story, out)
    })?;
    out.write_all(&features)?;
    out.write_all(b"\n}\n")
}

/// The file up to its features.
fn write_records(story: &Story, out: &mut impl Write) -> io::Result<()> {
    let shared = Shared::of(&story.mentions);
    out.write_all(b"{\n  \"type\": \"FeatureCollection\"")?;
    member(out, "generator", &story.generator)?;
    records(out, "documents", &story.documents, document)?;
    serde_list(out, "places", &story.places)?;
    records(out, "sentences", &shared.sentences, |buf, s| {
        string(buf, s);
        Ok(())
    })?;
    records(out, "candidate_places", &shared.places, |buf, c| {
        candidate_place(buf, c)
    })?;
    par_list(
        out,
        "mentions",
        story.mentions.len(),
        || Numbers::new(&shared.thousandths),
        |numbers, buf, range| {
            let mut mentions = MentionWriter::new(&shared, shared.first_candidate(range.start));
            for (m, &sentence) in story.mentions[range.clone()]
                .iter()
                .zip(&shared.sentence_of[range])
            {
                buf.extend_from_slice(RECORD_START);
                mentions.write(buf, numbers, m, sentence)?;
            }
            Ok(())
        },
    )?;
    records_by_doc(out, "demonyms", &story.demonyms, demonym)?;
    records_by_doc(out, "times", &story.times, time_expr)?;
    serde_list(out, "events", &story.events)?;
    serde_list(out, "tracks", &story.tracks)?;
    serde_list(out, "actors", &story.actors)?;
    if !story.readings.is_empty() {
        serde_list(out, "readings", &story.readings)?;
    }
    Ok(())
}

/// `, "key": value` on a line of its own, the value through serde.
fn member(out: &mut impl Write, key: &str, value: &impl Serialize) -> io::Result<()> {
    key_line(out, key)?;
    let mut serializer = serde_json::Serializer::with_formatter(out, RecordLines::member());
    value.serialize(&mut serializer).map_err(io::Error::from)
}

fn key_line(out: &mut impl Write, key: &str) -> io::Result<()> {
    let mut line = b",\n  ".to_vec();
    string(&mut line, key);
    line.extend_from_slice(b": ");
    out.write_all(&line)
}

/// What goes before each record of a list; the first record's leaves out the comma.
const RECORD_START: &[u8] = b",\n    ";

/// Records made at once, side by side, then written in order: enough to share out over the cores,
/// few enough that the file's bytes are never held whole (a corpus's story runs to gigabytes).
const BATCH: usize = 1 << 14;
/// Records one worker makes in one go.
const BLOCK: usize = 1 << 9;

/// `, "key": [...]` with `len` records a line, as [`RecordLines`] lays them out. `block` writes the
/// records of a range of indexes into a buffer, each after [`RECORD_START`]; blocks are made side by
/// side, each worker with a scratch state from `init`, and written in order, so the bytes do not
/// depend on the number of threads. A batch is written while the next is made: written after it,
/// the other cores would wait for the writing.
fn par_list<S>(
    out: &mut impl Write,
    key: &str,
    len: usize,
    init: impl Fn() -> S + Sync + Send,
    block: impl Fn(&mut S, &mut Vec<u8>, Range<usize>) -> io::Result<()> + Sync + Send,
) -> io::Result<()> {
    key_line(out, key)?;
    out.write_all(b"[")?;
    let make = |batch: usize| -> io::Result<Vec<Vec<u8>>> {
        let end = (batch + BATCH).min(len);
        (0..(end - batch).div_ceil(BLOCK))
            .into_par_iter()
            .map_init(
                || (init(), 0),
                |(state, last_len), b| {
                    let start = batch + b * BLOCK;
                    // about as long as the worker's last block: grown by doubling, a buffer would be
                    // copied over and over
                    let mut buf = Vec::with_capacity(*last_len + *last_len / 4);
                    block(state, &mut buf, start..(start + BLOCK).min(end))?;
                    *last_len = buf.len();
                    Ok(buf)
                },
            )
            .collect()
    };
    // the file's first record has no comma before it
    let mut skip = 1;
    let mut made: Vec<Vec<u8>> = Vec::new();
    for batch in (0..len).step_by(BATCH) {
        let mut next = Ok(Vec::new());
        rayon::in_place_scope(|scope| -> io::Result<()> {
            scope.spawn(|_| next = make(batch));
            write_buffers(out, &made, &mut skip)
        })?;
        made = next?;
    }
    write_buffers(out, &made, &mut skip)?;
    out.write_all(if len == 0 { b"]" } else { b"\n  ]" })
}

/// Write buffers one after another, the first `skip` bytes left out (and none after).
fn write_buffers(out: &mut impl Write, buffers: &[Vec<u8>], skip: &mut usize) -> io::Result<()> {
    for buf in buffers {
        out.write_all(&buf[std::mem::take(skip)..])?;
    }
    Ok(())
}

/// [`records`] written through serde as [`member`] would lay out the list: [`RecordLines`] writes
/// what is inside a record compact, so serde_json's own compact form, which makes fewer checks on
/// the way, writes the same bytes.
fn serde_list<T: Serialize + Sync>(out: &mut impl Write, key: &str, items: &[T]) -> io::Result<()> {
    records(out, key, items, |buf, item| {
        serde_json::to_writer(buf, item).map_err(io::Error::from)
    })
}

/// [`par_list`] of records written one by one by `record`, nothing carried from one to the next.
fn records<T: Sync>(
    out: &mut impl Write,
    key: &str,
    items: &[T],
    record: impl Fn(&mut Vec<u8>, &T) -> io::Result<()> + Sync + Send,
) -> io::Result<()> {
    par_list(
        out,
        key,
        items.len(),
        || (),
        |(), buf, range| {
            for item in &items[range] {
                buf.extend_from_slice(RECORD_START);
                record(buf, item)?;
            }
            Ok(())
        },
    )
}

/// [`records`] that come a document at a time, written by `record` with the last document id's text
/// at hand.
fn records_by_doc<'a, T: Sync>(
    out: &mut impl Write,
    key: &str,
    items: &'a [T],
    record: impl Fn(&mut Vec<u8>, &mut DocId<'a>, &'a T) -> io::Result<()> + Sync + Send,
) -> io::Result<()> {
    par_list(out, key, items.len(), DocId::default, |doc, buf, range| {
        for item in &items[range] {
            buf.extend_from_slice(RECORD_START);
            record(buf, doc, item)?;
        }
        Ok(())
    })
}

/// The last document id written, and its JSON text: mentions, demonyms and times come a document at
/// a time, so most records write the id of the record before them.
struct DocId<'a> {
    id: &'a str,
    json: Vec<u8>,
}

impl Default for DocId<'_> {
    fn default() -> Self {
        DocId {
            id: "",
            json: b"\"\"".to_vec(),
        }
    }
}

impl<'a> DocId<'a> {
    fn write(&mut self, out: &mut Vec<u8>, id: &'a str) -> io::Result<()> {
        if self.id != id {
            self.json.clear();
            string(&mut self.json, id);
            self.id = id;
        }
        out.extend_from_slice(&self.json);
        Ok(())
    }
}

/// A `documents` record, as serde writes a [`Document`].
fn document(out: &mut Vec<u8>, d: &Document) -> io::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    string(out, &d.id);
    out.extend_from_slice(b",\"path\":");
    string(out, &d.path);
    for (key, value) in [
        (&b",\"title\":"[..], &d.title),
        (b",\"url\":", &d.url),
        (b",\"source\":", &d.source),
    ] {
        if let Some(value) = value {
            out.extend_from_slice(key);
            string(out, value);
        }
    }
    out.extend_from_slice(b",\"published\":");
    optional_string(out, d.published.as_deref());
    out.extend_from_slice(b",\"date_source\":");
    out.extend_from_slice(match d.date_source {
        DateSource::Metadata => b"\"metadata\"",
        DateSource::Dateline => b"\"dateline\"",
        DateSource::Inferred => b"\"inferred\"",
        DateSource::None => b"\"none\"",
    });
    out.extend_from_slice(b",\"chars\":");
    integer(out, d.chars);
    out.extend_from_slice(b"}");
    Ok(())
}

/// A `demonyms` record, as serde writes a [`Demonym`].
fn demonym<'a>(out: &mut Vec<u8>, doc: &mut DocId<'a>, d: &'a Demonym) -> io::Result<()> {
    span(out, doc, &d.doc, d.start, d.end, &d.text)?;
    out.extend_from_slice(b",\"country\":");
    string(out, &d.country);
    out.extend_from_slice(b"}");
    Ok(())
}

/// A `times` record, as serde writes a [`TimeExpr`].
fn time_expr<'a>(out: &mut Vec<u8>, doc: &mut DocId<'a>, t: &'a TimeExpr) -> io::Result<()> {
    span(out, doc, &t.doc, t.start, t.end, &t.text)?;
    out.extend_from_slice(b",\"value\":");
    optional_string(out, t.value.as_deref());
    out.extend_from_slice(b",\"granularity\":");
    out.extend_from_slice(match t.granularity {
        Some(Granularity::Day) => b"\"day\"",
        Some(Granularity::Week) => b"\"week\"",
        Some(Granularity::Month) => b"\"month\"",
        Some(Granularity::Season) => b"\"season\"",
        Some(Granularity::Year) => b"\"year\"",
        None => b"null",
    });
    if let Some(end_value) = &t.end_value {
        out.extend_from_slice(b",\"end_value\":");
        string(out, end_value);
    }
    if let Some(modifier) = t.modifier {
        out.extend_from_slice(match modifier {
            Modifier::Start => b",\"modifier\":\"START\"",
            Modifier::Mid => b",\"modifier\":\"MID\"",
            Modifier::End => b",\"modifier\":\"END\"",
        });
    }
    if let Some(tense) = t.tense {
        out.extend_from_slice(match tense {
            Tense::Past => b",\"tense\":\"past\"",
            Tense::Present => b",\"tense\":\"present\"",
            Tense::Future => b",\"tense\":\"future\"",
        });
    }
    out.extend_from_slice(b"}");
    Ok(())
}

/// `{"doc":...,"start":...,"end":...,"text":...`, how demonyms and times begin.
fn span<'a>(
    out: &mut Vec<u8>,
    doc_id: &mut DocId<'a>,
    doc: &'a str,
    start: usize,
    end: usize,
    text: &str,
) -> io::Result<()> {
    out.extend_from_slice(b"{\"doc\":");
    doc_id.write(out, doc)?;
    out.extend_from_slice(b",\"start\":");
    integer(out, start);
    out.extend_from_slice(b",\"end\":");
    integer(out, end);
    out.extend_from_slice(b",\"text\":");
    string(out, text);
    Ok(())
}

fn optional_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Writes mention records, with what recurs from one to the next kept ready as text: the document's
/// id ([`DocId`]) and what names each candidate place ([`RowText`]; [`Numbers`] keeps the numbers).
struct MentionWriter<'a> {
    shared: &'a Shared<'a>,
    /// The next candidate's place in [`Shared::candidates`].
    next_candidate: usize,
    doc: DocId<'a>,
}

impl<'a> MentionWriter<'a> {
    /// For mentions from the one whose first candidate is `next_candidate` in [`Shared::candidates`].
    fn new(shared: &'a Shared<'a>, next_candidate: usize) -> MentionWriter<'a> {
        MentionWriter {
            shared,
            next_candidate,
            doc: DocId::default(),
        }
    }

    fn write(
        &mut self,
        out: &mut Vec<u8>,
        numbers: &mut Numbers<'_>,
        m: &'a Mention,
        sentence: usize,
    ) -> io::Result<()> {
        let candidates = &self.shared.candidates[self.next_candidate..][..m.candidates.len()];
        self.next_candidate += m.candidates.len();
        out.extend_from_slice(b"{\"doc\":");
        self.doc.write(out, &m.doc)?;
        out.extend_from_slice(b",\"start\":");
        integer(out, m.start);
        out.extend_from_slice(b",\"end\":");
        integer(out, m.end);
        out.extend_from_slice(b",\"text\":");
        string(out, &m.text);
        let first = candidates
            .first()
            .map(|&row| (row, &self.shared.texts[row]));
        // most often the first candidate's place, at its point
        let at_first = |row| self.shared.is_point_of(row, m.lat, m.lon);
        match (&m.place, first) {
            (Some(place), Some((row, text)))
                if *m.candidates[0].place == **place && at_first(row) =>
            {
                out.extend_from_slice(&text.placed)
            }
            _ => {
                out.extend_from_slice(PLACE_KEY);
                match (&m.place, first) {
                    (Some(place), Some((_, text))) if *m.candidates[0].place == **place => {
                        out.extend_from_slice(text.id())
                    }
                    (Some(place), _) => string(out, place),
                    (None, _) => out.extend_from_slice(b"null"),
                }
                match first {
                    Some((row, text)) if at_first(row) => out.extend_from_slice(text.point()),
                    _ => {
                        out.extend_from_slice(b",\"lat\":");
                        numbers.write_optional(out, m.lat)?;
                        out.extend_from_slice(b",\"lon\":");
                        numbers.write_optional(out, m.lon)?;
                    }
                }
            }
        }
        out.extend_from_slice(b",\"confidence\":");
        numbers.write(out, m.confidence)?;
        if let Some(role) = &m.role {
            out.extend_from_slice(b",\"role\":");
            string(out, role);
        }
        out.extend_from_slice(b",\"sentence\":");
        integer(out, sentence);
        out.extend_from_slice(b",\"candidates\":[");
        for (i, (c, &row)) in m.candidates.iter().zip(candidates).enumerate() {
            let text = self.shared.texts[row].candidate(i == 0);
            if same_place(self.shared.places[row], c) {
                out.extend_from_slice(text);
            } else {
                // written whole when its details differ from its place's row
                out.extend_from_slice(&text[..text.len() - SCORE_KEY.len()]);
                place_details(out, c);
                out.extend_from_slice(SCORE_KEY);
            }
            numbers.write(out, c.score)?;
            out.push(b'}');
        }
        out.extend_from_slice(b"]}");
        Ok(())
    }
}

/// What a mention writes of a candidate place row, made once per row: `,{"place":ID,"score":` as a
/// candidate names the place (the first without its comma), and `,"place":ID,"lat":...,"lon":...` as
/// a mention at the place names it. A corpus's mentions name a few thousand places hundreds of
/// thousands of times.
struct RowText {
    candidate: Vec<u8>,
    placed: Vec<u8>,
}

const CANDIDATE_START: &[u8] = b",{\"place\":";
const SCORE_KEY: &[u8] = b",\"score\":";
const PLACE_KEY: &[u8] = b",\"place\":";

impl RowText {
    fn of(c: &Candidate) -> RowText {
        let mut id = Vec::new();
        string(&mut id, &c.place);
        let candidate = [CANDIDATE_START, &id, SCORE_KEY].concat();
        let mut placed = [PLACE_KEY, &id, b",\"lat\":"].concat();
        number(&mut placed, c.lat);
        placed.extend_from_slice(b",\"lon\":");
        number(&mut placed, c.lon);
        RowText { candidate, placed }
    }

    /// The place's id as JSON text.
    fn id(&self) -> &[u8] {
        &self.candidate[CANDIDATE_START.len()..self.candidate.len() - SCORE_KEY.len()]
    }

    /// `,"lat":...,"lon":...` of the place's point.
    fn point(&self) -> &[u8] {
        &self.placed[PLACE_KEY.len() + self.id().len()..]
    }

    fn candidate(&self, first: bool) -> &[u8] {
        &self.candidate[usize::from(first)..]
    }
}

/// A `candidate_places` row.
fn candidate_place(out: &mut Vec<u8>, c: &Candidate) -> io::Result<()> {
    out.write_all(b"{\"id\":")?;
    string(out, &c.place);
    place_details(out, c);
    out.push(b'}');
    Ok(())
}

/// What a candidate says of its place besides the id: `,"name":...` up to its longitude.
fn place_details(out: &mut Vec<u8>, c: &Candidate) {
    out.extend_from_slice(b",\"name\":");
    string(out, &c.name);
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(c.kind.as_str().as_bytes());
    out.push(b'"');
    if let Some(country) = &c.country {
        out.extend_from_slice(b",\"country\":");
        string(out, country);
    }
    out.extend_from_slice(b",\"lat\":");
    number(out, c.lat);
    out.extend_from_slice(b",\"lon\":");
    number(out, c.lon);
}

fn integer(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A number as serde_json writes one (the shortest form that reads back the same), and null for what
/// JSON has no number for.
pub(super) fn number(out: &mut Vec<u8>, x: f64) {
    if x.is_finite() {
        CompactFormatter
            .write_f64(out, x)
            .expect("writing to memory cannot fail");
    } else {
        out.extend_from_slice(b"null");
    }
}

/// Numbers written as [`number`] writes them, each distinct value formatted once: scores and
/// confidences are rounded to thousandths and a mention's point is its place's, so a few thousand
/// values recur over hundreds of thousands of records. A thousandth is found in [`Thousandths`] by its
/// numerator, without hashing; other values by their bits.
struct Numbers<'a> {
    thousandths: &'a Thousandths,
    other: FxHashMap<u64, Box<[u8]>>,
}

/// Per numerator `k` below [`THOUSANDTHS`], the text of `k / 1000` as [`number`] writes it, padded
/// to eight bytes, its length in the last.
struct Thousandths(Vec<[u8; 8]>);

/// Thousandths kept by numerator: scores run a little above 1.
const THOUSANDTHS: usize = 4096;

impl Thousandths {
    fn new() -> Thousandths {
        Thousandths(
            (0..THOUSANDTHS)
                .map(|k| {
                    let mut text = Vec::with_capacity(8);
                    number(&mut text, k as f64 / 1000.0);
                    // "k.ddd" at most, k below 10
                    let mut slot = [0; 8];
                    slot[..text.len()].copy_from_slice(&text);
                    slot[7] = text.len() as u8;
                    slot
                })
                .collect(),
        )
    }

    /// The text of `x` if it is a thousandth kept, to the bit.
    fn of(&self, x: f64) -> Option<&[u8; 8]> {
        // the nearest numerator (a cast saturates: negative and NaN give 0, which -0.0 and NaN then
        // fail by their bits)
        let k = (x * 1000.0 + 0.5) as usize;
        (k < THOUSANDTHS && (k as f64 / 1000.0).to_bits() == x.to_bits()).then(|| &self.0[k])
    }
}

impl<'a> Numbers<'a> {
    fn new(thousandths: &'a Thousandths) -> Numbers<'a> {
        Numbers {
            thousandths,
            other: FxHashMap::default(),
        }
    }

    fn write(&mut self, out: &mut Vec<u8>, x: f64) -> io::Result<()> {
        if let Some(slot) = self.thousandths.of(x) {
            // all eight bytes copied at once, the padding then cut off
            let end = out.len() + usize::from(slot[7]);
            out.extend_from_slice(slot);
            out.truncate(end);
            return Ok(());
        }
        let text = self.other.entry(x.to_bits()).or_insert_with(|| {
            let mut text = Vec::new();
            number(&mut text, x);
            text.into_boxed_slice()
        });
        out.extend_from_slice(text);
        Ok(())
    }

    fn write_optional(&mut self, out: &mut Vec<u8>, x: Option<f64>) -> io::Result<()> {
        match x {
            Some(x) => self.write(out, x),
            None => {
                out.extend_from_slice(b"null");
                Ok(())
            }
        }
    }
}

/// A JSON string, escaped as serde_json escapes: quote, backslash and control characters, nothing else.
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // room for the text and its quotes at once: most strings have nothing to escape, and the rest
    // only a few bytes
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    if bytes.len() < 16 && !crate::ingest::short_has_escape(bytes) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut run = 0;
    while let Some(i) = crate::ingest::next_json_escape(bytes, run) {
        let b = bytes[i];
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ],
        };
        out.extend_from_slice(&bytes[run..i]);
        out.extend_from_slice(escaped);
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// What the mentions share, each once: their sentences, once per document, and the places their
/// candidates name, each with the first candidate that names it.
struct Shared<'a> {
    sentences: Vec<&'a str>,
    /// Per mention, its sentence's index in `sentences`.
    sentence_of: Vec<usize>,
    places: Vec<&'a Candidate>,
    /// Per row of `places`, what mentions write of it.
    texts: Vec<RowText>,
    thousandths: Thousandths,
    /// Every candidate of every mention in turn, as its place's row in `places`.
    candidates: Vec<usize>,
    /// Where in `candidates` the candidates of every [`BLOCK`]th mention start, so that blocks of
    /// mentions are written apart.
    block_candidates: Vec<usize>,
}

/// [`Shared`] for a run of whole documents' mentions, found apart from the other runs' (side by
/// side on the cores), its indexes its own.
#[derive(Default)]
struct SharedPart<'a> {
    sentences: Vec<&'a str>,
    sentence_of: Vec<usize>,
    places: Vec<&'a Candidate>,
    candidates: Vec<usize>,
    /// Per mention of the run at a multiple of [`BLOCK`], where its candidates start in `candidates`.
    block_candidates: Vec<usize>,
}

impl<'a> SharedPart<'a> {
    /// The part of `mentions`, whose first is the `first`th of the story.
    fn of(mentions: &'a [Mention], first: usize) -> SharedPart<'a> {
        let mut part = SharedPart {
            sentence_of: Vec::with_capacity(mentions.len()),
            // about two candidates a mention
            candidates: Vec::with_capacity(2 * mentions.len()),
            ..SharedPart::default()
        };
        // sized for the run at the start: grown from empty they were rehashed over and over
        let mut place_index: FxHashMap<&str, usize> =
            FxHashMap::with_capacity_and_hasher(mentions.len(), Default::default());
        // the same rows by the address of the candidate's place: a place's candidates mostly share
        // one, found without hashing the id
        let mut row_by_address: FxHashMap<*const u8, usize> =
            FxHashMap::with_capacity_and_hasher(mentions.len(), Default::default());
        // sentences are told apart by their text, so the file does not depend on which mentions
        // happened to share a copy in memory; one document's at a time
        let mut in_doc: FxHashMap<SentenceKey, usize> = FxHashMap::default();
        let mut doc = None;
        let mut last: Option<(&Arc<str>, usize)> = None;
        for (i, m) in (first..).zip(mentions) {
            if i % BLOCK == 0 {
                part.block_candidates.push(part.candidates.len());
            }
            if doc != Some(&*m.doc) {
                doc = Some(&*m.doc);
                in_doc.clear();
                last = None;
            }
            let index = match last {
                Some((sentence, index)) if Arc::ptr_eq(sentence, &m.sentence) => index,
                _ => *in_doc.entry(SentenceKey(&m.sentence)).or_insert_with(|| {
                    part.sentences.push(&m.sentence);
                    part.sentences.len() - 1
                }),
            };
            last = Some((&m.sentence, index));
            part.sentence_of.push(index);
            for c in &m.candidates {
                let address = Arc::as_ptr(&c.at).cast::<u8>();
                let row = *row_by_address.entry(address).or_insert_with(|| {
                    *place_index.entry(&c.place).or_insert_with(|| {
                        part.places.push(c);
                        part.places.len() - 1
                    })
                });
                part.candidates.push(row);
            }
        }
        part
    }
}

/// A sentence as a key among its document's. Sentences are long and their texts hashed whole were a
/// good part of finding what mentions share, so the hash takes only the length and the ends, which
/// tell a document's sentences apart; equality compares them whole.
#[derive(PartialEq, Eq)]
struct SentenceKey<'a>(&'a str);

impl Hash for SentenceKey<'_> {
    fn hash<H: Hasher>(&self, hasher: &mut H) {
        let bytes = self.0.as_bytes();
        bytes.len().hash(hasher);
        bytes[..bytes.len().min(16)].hash(hasher);
        bytes[bytes.len().saturating_sub(16)..].hash(hasher);
    }
}

impl<'a> Shared<'a> {
    fn of(mentions: &'a [Mention]) -> Shared<'a> {
        // runs of about a block of mentions, cut where a document ends, since sentences are told
        // apart within a document
        let mut cuts = vec![0];
        let mut at = BLOCK;
        while at < mentions.len() {
            while at < mentions.len() && mentions[at].doc == mentions[at - 1].doc {
                at += 1;
            }
            cuts.push(at);
            at += BLOCK;
        }
        if *cuts.last().expect("a first cut") < mentions.len() {
            cuts.push(mentions.len());
        }
        let parts: Vec<SharedPart> = cuts
            .par_windows(2)
            .map(|run| SharedPart::of(&mentions[run[0]..run[1]], run[0]))
            .collect();
        // joined in order: the rows of `places` in the order of first mention over the whole story
        let mut shared = Shared {
            sentences: Vec::with_capacity(parts.iter().map(|p| p.sentences.len()).sum()),
            sentence_of: Vec::with_capacity(mentions.len()),
            places: Vec::new(),
            texts: Vec::new(),
            thousandths: Thousandths::new(),
            candidates: Vec::with_capacity(parts.iter().map(|p| p.candidates.len()).sum()),
            block_candidates: Vec::with_capacity(mentions.len().div_ceil(BLOCK)),
        };
        let mut place_index: FxHashMap<&str, usize> = FxHashMap::default();
        for part in parts {
            let first_sentence = shared.sentences.len();
            shared.sentences.extend(part.sentences);
            shared
                .sentence_of
                .extend(part.sentence_of.iter().map(|i| first_sentence + i));
            let rows: Vec<usize> = part
                .places
                .iter()
                .map(|c| {
                    *place_index.entry(&c.place).or_insert_with(|| {
                        shared.texts.push(RowText::of(c));
                        shared.places.push(c);
                        shared.places.len() - 1
                    })
                })
                .collect();
            let first_candidate = shared.candidates.len();
            shared
                .block_candidates
                .extend(part.block_candidates.iter().map(|i| first_candidate + i));
            shared
                .candidates
                .extend(part.candidates.iter().map(|&row| rows[row]));
        }
        shared
    }
}

impl Shared<'_> {
    /// Where the candidates of mention `i`, the first of a block, start in `candidates`.
    fn first_candidate(&self, i: usize) -> usize {
        debug_assert_eq!(i % BLOCK, 0);
        self.block_candidates[i / BLOCK]
    }

    /// Whether a point is that of row `row`'s place, to the bit, so its [`RowText`] writes it.
    fn is_point_of(&self, row: usize, lat: Option<f64>, lon: Option<f64>) -> bool {
        let place = self.places[row];
        lat.is_some_and(|lat| lat.to_bits() == place.lat.to_bits())
            && lon.is_some_and(|lon| lon.to_bits() == place.lon.to_bits())
    }
}

/// Whether a candidate says of its place what the place's row says, so it need not say it again.
fn same_place(row: &Candidate, c: &Candidate) -> bool {
    Arc::ptr_eq(&row.at, &c.at)
        || (row.name == c.name
            && row.kind == c.kind
            && row.country == c.country
            && row.lat.to_bits() == c.lat.to_bits()
            && row.lon.to_bits() == c.lon.to_bits())
}

/// `, "features": [...]`, every layer's features one a line, made one at a time as they are written.
fn features_member(story: &Story) -> Vec<u8> {
    let mut out = Vec::new();
    key_line(&mut out, "features").expect("writing to memory cannot fail");
    out.push(b'[');
    let index = Index::new(story);
    let mut first = true;
    for layer in Layer::ALL {
        for feature in index.features(*layer) {
            // the list's first record has no comma before it
            out.extend_from_slice(&RECORD_START[usize::from(std::mem::take(&mut first))..]);
            FeatureJson(&feature).write(&mut out);
        }
    }
    out.extend_from_slice(if first { b"]" } else { b"\n  ]" });
    out
}

/// JSON laid out one member and one record per line, each record compact: it reads and diffs line by
/// line like the pretty form, at a fraction of its size and writing time (a corpus gives hundreds of
/// thousands of mentions).
struct RecordLines {
    depth: usize,
    has_value: bool,
}

/// Objects and arrays at this depth or above put each member or element on its own line.
const LINE_DEPTH: usize = 2;

impl RecordLines {
    /// For the value of a member of the file's object.
    fn member() -> RecordLines {
        RecordLines {
            depth: 1,
            has_value: false,
        }
    }

    fn new_line<W: ?Sized + Write>(&self, w: &mut W, depth: usize) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Formatter for RecordLines {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.depth < LINE_DEPTH && self.has_value {
            self.new_line(w, self.depth)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.depth <= LINE_DEPTH {
            self.new_line(w, self.depth)?;
        }
        Ok(())
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.depth < LINE_DEPTH && self.has_value {
            self.new_line(w, self.depth)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.depth <= LINE_DEPTH {
            self.new_line(w, self.depth)?;
        }
        Ok(())
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.depth <= LINE_DEPTH {
            b": "
        } else {
            b":"
        })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Read a story back, with the line and column of any error.
pub fn read_story(text: &str, origin: &str) -> Result<Story> {
    serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!("{origin}: line {}, column {}: {e}", e.line(), e.column()))
}

impl<'de> Deserialize<'de> for Story {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Story, D::Error> {
        StoryRecords::deserialize(deserializer)?
            .into_story()
            .map_err(de::Error::custom)
    }
}

/// The story's members as the file has them; [`StoryRecords::into_story`] puts back what the tables
/// hold once.
#[derive(Deserialize)]
struct StoryRecords {
    generator: Generator,
    documents: Vec<Document>,
    places: Vec<Place>,
    #[serde(default)]
    sentences: Vec<Arc<str>>,
    #[serde(default)]
    candidate_places: Vec<CandidatePlaceIn>,
    mentions: Vec<MentionIn>,
    #[serde(default)]
    demonyms: Vec<crate::story::Demonym>,
    #[serde(default)]
    times: Vec<TimeExpr>,
    #[serde(default)]
    events: Vec<Event>,
    #[serde(default)]
    tracks: Vec<Track>,
    #[serde(default)]
    actors: Vec<Actor>,
    #[serde(default)]
    readings: Vec<DocRecord>,
}

#[derive(Deserialize)]
struct CandidatePlaceIn {
    id: String,
    name: String,
    kind: PlaceKind,
    #[serde(default)]
    country: Option<String>,
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct MentionIn {
    doc: String,
    start: usize,
    end: usize,
    text: String,
    place: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    confidence: f64,
    #[serde(default)]
    role: Option<String>,
    sentence: SentenceIn,
    candidates: Vec<CandidateIn>,
}

/// A mention's sentence: its index in `sentences`, or (as older versions wrote it) the text itself.
enum SentenceIn {
    Index(u64),
    Text(Arc<str>),
}

impl<'de> Deserialize<'de> for SentenceIn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct SentenceVisitor;
        impl Visitor<'_> for SentenceVisitor {
            type Value = SentenceIn;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an index into `sentences` or a sentence")
            }
            fn visit_u64<E: de::Error>(self, index: u64) -> std::result::Result<SentenceIn, E> {
                Ok(SentenceIn::Index(index))
            }
            fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<SentenceIn, E> {
                Ok(SentenceIn::Text(text.into()))
            }
        }
        deserializer.deserialize_any(SentenceVisitor)
    }
}

/// A candidate: its place and score, the rest in `candidate_places`, or written whole.
#[derive(Deserialize)]
struct CandidateIn {
    place: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<PlaceKind>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    lat: Option<f64>,
    #[serde(default)]
    lon: Option<f64>,
    score: f64,
}

impl StoryRecords {
    fn into_story(self) -> std::result::Result<Story, String> {
        // one place for all the candidates naming it, as the map phase shares them
        let rows: FxHashMap<String, Arc<CandidatePlace>> = self
            .candidate_places
            .into_iter()
            .map(|row| {
                let at = CandidatePlace {
                    place: row.id,
                    name: row.name,
                    kind: row.kind,
                    country: row.country,
                    lat: row.lat,
                    lon: row.lon,
                };
                (at.place.clone(), Arc::new(at))
            })
            .collect();
        let mut mentions = Vec::with_capacity(self.mentions.len());
        // a document's mentions come together and share one copy of its id, as the map phase's do
        let mut last_doc: Option<Arc<str>> = None;
        for (i, m) in self.mentions.into_iter().enumerate() {
            let sentence = match m.sentence {
                SentenceIn::Text(text) => text,
                SentenceIn::Index(index) => usize::try_from(index)
                    .ok()
                    .and_then(|index| self.sentences.get(index))
                    .cloned()
                    .ok_or_else(|| {
                        format!(
                            "mention {i} ({:?} in document {:?}): sentence {index} is not in \
                             `sentences`, which has {}",
                            m.text,
                            m.doc,
                            self.sentences.len()
                        )
                    })?,
            };
            let candidates = m
                .candidates
                .into_iter()
                .map(|c| candidate(c, &rows))
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| format!("mention {i} ({:?} in document {:?}): {e}", m.text, m.doc))?;
            let doc = match &last_doc {
                Some(id) if **id == *m.doc => Arc::clone(id),
                _ => Arc::clone(last_doc.insert(m.doc.into())),
            };
            mentions.push(Mention {
                doc,
                start: m.start,
                end: m.end,
                text: m.text,
                place: m.place,
                lat: m.lat,
                lon: m.lon,
                confidence: m.confidence,
                role: m.role,
                sentence,
                candidates,
            });
        }
        Ok(Story {
            generator: self.generator,
            documents: self.documents,
            places: self.places,
            mentions,
            demonyms: self.demonyms,
            times: self.times,
            events: self.events,
            tracks: self.tracks,
            actors: self.actors,
            readings: self.readings,
        })
    }
}

fn candidate(
    c: CandidateIn,
    rows: &FxHashMap<String, Arc<CandidatePlace>>,
) -> std::result::Result<Candidate, String> {
    match (c.name, c.kind, c.lat, c.lon) {
        (Some(name), Some(kind), Some(lat), Some(lon)) => Ok(Candidate::new(
            CandidatePlace {
                place: c.place,
                name,
                kind,
                country: c.country,
                lat,
                lon,
            },
            c.score,
        )),
        (None, None, None, None) if c.country.is_none() => {
            let row = rows.get(c.place.as_str()).ok_or_else(|| {
                format!(
                    "candidate {:?} is not in `candidate_places` and is not written whole",
                    c.place
                )
            })?;
            Ok(Candidate {
                at: Arc::clone(row),
                score: c.score,
            })
        }
        _ => Err(format!(
            "candidate {:?} has some of name, kind, country, lat and lon but not all it needs \
             (name, kind, lat and lon)",
            c.place
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(place: &str, name: &str, score: f64) -> Candidate {
        let at = CandidatePlace {
            place: place.into(),
            name: name.into(),
            kind: PlaceKind::City,
            country: Some("CN".into()),
            lat: 36.06,
            lon: 120.38,
        };
        Candidate::new(at, score)
    }

    fn mention(doc: &str, text: &str, sentence: &Arc<str>, candidates: Vec<Candidate>) -> Mention {
        Mention {
            doc: doc.into(),
            start: 0,
            end: text.chars().count(),
            text: text.into(),
            place: candidates.first().map(|c| c.place.to_string()),
            lat: candidates.first().map(|c| c.lat),
            lon: candidates.first().map(|c| c.lon),
            confidence: 0.9,
            role: None,
            sentence: Arc::clone(sentence),
            candidates,
        }
    }

    /// Two documents telling the same sentence, the first with a second sentence too.
    fn story() -> Story {
        let left: Arc<str> = "Ships left Qingdao for Tokyo.".into();
        let arrived: Arc<str> = "They reached Tokyo.".into();
        let qingdao = || candidate("gn:1", "Qingdao", 0.9);
        let tokyo = || candidate("gn:2", "Tokyo", 0.8);
        Story {
            mentions: vec![
                mention("a", "Qingdao", &left, vec![qingdao(), tokyo()]),
                mention("a", "Tokyo", &left, vec![tokyo()]),
                mention("a", "Tokyo", &arrived, vec![tokyo(), qingdao()]),
                // the same text in another document, a copy of its own
                mention(
                    "b",
                    "Qingdao",
                    &"Ships left Qingdao for Tokyo.".into(),
                    vec![qingdao()],
                ),
            ],
            ..Story::default()
        }
    }

    fn written(story: &Story) -> (String, serde_json::Value) {
        let mut bytes = Vec::new();
        StoryJson.write(story, &mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let json = serde_json::from_str(&text).unwrap();
        (text, json)
    }

    #[test]
    fn sentences_and_candidate_places_are_written_once_and_read_back() {
        let story = story();
        let (text, json) = written(&story);
        assert_eq!(
            json["sentences"],
            serde_json::json!([
                "Ships left Qingdao for Tokyo.",
                "They reached Tokyo.",
                "Ships left Qingdao for Tokyo."
            ])
        );
        let mentions = json["mentions"].as_array().unwrap();
        let indexes: Vec<u64> = mentions
            .iter()
            .map(|m| m["sentence"].as_u64().unwrap())
            .collect();
        assert_eq!(indexes, [0, 0, 1, 2]);
        let places: Vec<&str> = json["candidate_places"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_str().unwrap())
            .collect();
        assert_eq!(places, ["gn:1", "gn:2"]);
        assert_eq!(json["candidate_places"][1]["name"], "Tokyo");
        assert_eq!(
            mentions[2]["candidates"],
            serde_json::json!([{"place": "gn:2", "score": 0.8}, {"place": "gn:1", "score": 0.9}])
        );
        // one record per line, the tables too
        assert!(text.contains("\n    \"They reached Tokyo.\",\n"), "{text}");

        let back = read_story(&text, "story.json").unwrap();
        assert_eq!(back, story);
        let sentences: Vec<&Arc<str>> = back.mentions.iter().map(|m| &m.sentence).collect();
        assert!(Arc::ptr_eq(sentences[0], sentences[1]));
        assert!(!Arc::ptr_eq(sentences[0], sentences[3]));
        let places: Vec<&Arc<CandidatePlace>> = back
            .mentions
            .iter()
            .flat_map(|m| &m.candidates)
            .filter(|c| c.place == "gn:2")
            .map(|c| &c.at)
            .collect();
        assert_eq!(places.len(), 3);
        assert!(places.iter().all(|at| Arc::ptr_eq(at, places[0])));
    }

    #[test]
    fn records_hold_every_field_of_a_mention_and_its_candidates() {
        // mentions are written by hand: a field added to Mention or Candidate must be added there too
        let keys = |value: &serde_json::Value| -> std::collections::BTreeSet<String> {
            value.as_object().unwrap().keys().cloned().collect()
        };
        let mut story = story();
        story.mentions[0].role = Some("polity".into());
        let (_, json) = written(&story);
        let derived = serde_json::to_value(&story.mentions[0]).unwrap();
        assert_eq!(keys(&json["mentions"][0]), keys(&derived));
        let mut candidate = keys(&json["candidate_places"][0]);
        assert!(candidate.remove("id"));
        candidate.extend(keys(&json["mentions"][0]["candidates"][0]));
        assert_eq!(candidate, keys(&derived["candidates"][0]));
    }

    #[test]
    fn a_candidate_unlike_its_place_row_is_written_whole() {
        let mut story = story();
        let mut moved = candidate("gn:1", "Tsingtao", 0.5);
        Arc::make_mut(&mut moved.at).lat = -0.0;
        story.mentions[3].candidates.push(moved);
        let (text, json) = written(&story);
        assert_eq!(
            json["mentions"][3]["candidates"][1],
            serde_json::json!({"place": "gn:1", "name": "Tsingtao", "kind": "city", "country": "CN",
                "lat": -0.0, "lon": 120.38, "score": 0.5})
        );
        let back = read_story(&text, "story.json").unwrap();
        assert_eq!(back, story);
        assert!(back.mentions[3].candidates[1].lat.is_sign_negative());
    }

    #[test]
    fn reads_sentences_and_candidates_written_out_as_older_versions_did() {
        let old = r#"{"generator": {"tool": "mentionmap", "version": "0.1.0",
            "generated_at": "2023-07-22T00:00:00Z", "attribution": []},
            "documents": [], "places": [],
            "mentions": [{"doc": "a", "start": 0, "end": 7, "text": "Qingdao", "place": "gn:1",
                "lat": 36.06, "lon": 120.38, "confidence": 0.9,
                "sentence": "Ships left Qingdao for Tokyo.",
                "candidates": [{"place": "gn:1", "name": "Qingdao", "kind": "city", "country": "CN",
                    "lat": 36.06, "lon": 120.38, "score": 0.9}]}]}"#;
        let story = read_story(old, "old.json").unwrap();
        let expected = self::story();
        assert_eq!(story.mentions.len(), 1);
        assert_eq!(
            story.mentions[0],
            Mention {
                candidates: vec![candidate("gn:1", "Qingdao", 0.9)],
                ..expected.mentions[0].clone()
            }
        );
    }

    #[test]
    fn a_reference_to_nothing_is_an_error_naming_the_mention() {
        let (text, _) = written(&story());
        let broken = text.replacen("\"sentence\":2", "\"sentence\":7", 1);
        let err = read_story(&broken, "story.json").unwrap_err().to_string();
        assert!(
            err.contains(
                "mention 3 (\"Qingdao\" in document \"b\"): sentence 7 is not in `sentences`"
            ),
            "{err}"
        );
        let broken = text.replacen(
            "{\"place\":\"gn:2\",\"score\"",
            "{\"place\":\"gn:9\",\"score\"",
            1,
        );
        let err = read_story(&broken, "story.json").unwrap_err().to_string();
        assert!(
            err.contains("candidate \"gn:9\" is not in `candidate_places`"),
            "{err}"
        );
        let broken = text.replacen("\"score\":0.9}", "\"name\":\"Qingdao\",\"score\":0.9}", 1);
        let err = read_story(&broken, "story.json").unwrap_err().to_string();
        assert!(
            err.contains("has some of name, kind, country, lat and lon"),
            "{err}"
        );
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_control: String = (0u8..0x20).map(char::from).collect();
        let every_ascii: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        for text in every_ascii.iter().map(String::as_str).chain([
            "plain",
            "",
            "\"quoted\" and back\\slash",
            &every_control,
            "\u{7f} DEL, é, 北京, \u{2028} and / stay as they are",
            // escapes on both sides of the sixteen-byte steps, and a long plain run
            "0123456789abcde\"0123456789abcdef\\\n0123456789abcdef0123456789abcdef\u{1}",
            &"He said \"we sail\" and left. ".repeat(9),
            &"long and plain ".repeat(40),
        ]) {
            let mut ours = Vec::new();
            string(&mut ours, text);
            assert_eq!(
                std::str::from_utf8(&ours).unwrap(),
                serde_json::to_string(text).unwrap()
            );
        }
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them_found_by_numerator_or_by_bits() {
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            0.5,
            0.001,
            0.73,
            1.23,
            4.095,
            4.096,
            9.999,
            -0.25,
            36.06488,
            120.38042,
            1e-7,
            1e21,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ];
        // every thousandth the table keeps and past it, and values a hair away from them
        for k in 0..4200 {
            let x = k as f64 / 1000.0;
            values.extend([x, f64::from_bits(x.to_bits() + 1), x + 0.0004]);
        }
        let thousandths = Thousandths::new();
        let mut numbers = Numbers::new(&thousandths);
        // twice: made the first time, taken from the tables the second
        for _ in 0..2 {
            for &x in &values {
                let mut ours = Vec::new();
                numbers.write(&mut ours, x).unwrap();
                let serde = serde_json::to_string(&x).unwrap();
                assert_eq!(String::from_utf8(ours).unwrap(), serde, "{x:?}");
            }
        }
        // the table answers for thousandths only, to the bit
        assert!(thousandths.of(0.73).is_some() && thousandths.of(4.095).is_some());
        for x in [
            -0.0,
            4.096,
            0.7305,
            f64::from_bits(0.5f64.to_bits() + 1),
            f64::NAN,
        ] {
            assert!(thousandths.of(x).is_none(), "{x:?}");
        }
        let mut none = Vec::new();
        numbers.write_optional(&mut none, None).unwrap();
        assert_eq!(none, b"null");
    }

    #[test]
    fn a_mention_away_from_its_first_candidate_has_its_own_point() {
        let mut story = story();
        story.mentions[0].lat = Some(-0.0);
        story.mentions[1].lon = Some(139.0);
        story.mentions[2].lat = None;
        story.mentions[2].lon = None;
        let (text, json) = written(&story);
        let point = |i: usize| {
            (
                json["mentions"][i]["lat"].clone(),
                json["mentions"][i]["lon"].clone(),
            )
        };
        assert_eq!(
            point(0),
            (serde_json::json!(-0.0), serde_json::json!(120.38))
        );
        assert_eq!(
            point(1),
            (serde_json::json!(36.06), serde_json::json!(139.0))
        );
        assert_eq!(point(2), (serde_json::Value::Null, serde_json::Value::Null));
        assert_eq!(
            point(3),
            (serde_json::json!(36.06), serde_json::json!(120.38))
        );
        assert!(text.contains("\"lat\":-0.0,\"lon\":120.38,"), "{text}");
        let back = read_story(&text, "story.json").unwrap();
        assert_eq!(back, story);
        assert!(back.mentions[0].lat.unwrap().is_sign_negative());
    }

    #[test]
    fn a_mention_is_written_as_serde_writes_it_whatever_its_place_and_point() {
        // the place and point written from its first candidate's row text, or each on its own
        let mut story = story();
        story.mentions[0].place = Some("gn:2".into());
        story.mentions[1].place = None;
        story.mentions[2].place = Some("gn:\"9\"".into());
        story.mentions[2].lat = Some(1.5);
        story.mentions[3].candidates.clear();
        let (text, json) = written(&story);
        for (i, m) in story.mentions.iter().enumerate() {
            let derived = serde_json::to_value(m).unwrap();
            let written = &json["mentions"][i];
            for key in [
                "doc",
                "start",
                "end",
                "text",
                "place",
                "lat",
                "lon",
                "confidence",
            ] {
                assert_eq!(written[key], derived[key], "mention {i}: {key}");
            }
            let candidate_places = |mention: &serde_json::Value| -> Vec<serde_json::Value> {
                let candidates = mention["candidates"].as_array().unwrap();
                candidates.iter().map(|c| c["place"].clone()).collect()
            };
            assert_eq!(
                candidate_places(written),
                candidate_places(&derived),
                "mention {i}"
            );
        }
        assert_eq!(read_story(&text, "story.json").unwrap(), story);
    }

    #[test]
    fn a_document_id_is_written_from_the_text_kept_for_the_record_before() {
        let mut doc = DocId::default();
        for id in ["a", "a", "", "b\"c", &"long ".repeat(20), "a"] {
            let mut out = Vec::new();
            doc.write(&mut out, id).unwrap();
            assert_eq!(out, serde_json::to_vec(id).unwrap());
        }
    }

    #[test]
    fn sentences_alike_in_length_and_ends_are_told_apart() {
        let [a, b]: [Arc<str>; 2] = ["A", "B"].map(|middle| {
            format!("Ships of the fleet left {middle} for the south, officials said.").into()
        });
        let a_copy: Arc<str> = a.to_string().into();
        let mentions: Vec<Mention> = [&a, &b, &a_copy, &b]
            .into_iter()
            .map(|sentence| mention("d", "Qingdao", sentence, Vec::new()))
            .collect();
        let shared = SharedPart::of(&mentions, 0);
        assert_eq!(shared.sentences, [&*a, &*b]);
        assert_eq!(shared.sentence_of, [0, 1, 0, 1]);
    }

    #[test]
    fn what_mentions_share_is_found_in_runs_as_in_one_pass() {
        // documents of every length, one longer than two blocks; sentences repeat within a
        // document (some as copies of their own) and across documents
        let sentences: Vec<Arc<str>> = (0..7).map(|i| format!("Sentence {i}.").into()).collect();
        let mut mentions = Vec::new();
        for (d, len) in [3, BLOCK * 2 + 5, 1, BLOCK - 1, 40, BLOCK]
            .into_iter()
            .enumerate()
        {
            for i in 0..len {
                let sentence = match i % 5 {
                    4 => format!("Sentence {}.", i % 7).into(),
                    _ => Arc::clone(&sentences[(i / 3 + d) % 7]),
                };
                let candidates = (0..i % 3)
                    .map(|c| candidate(&format!("gn:{}", (i * 7 + c + d) % 90), "Qingdao", 0.5))
                    .collect();
                mentions.push(mention(&format!("d{d}"), "Qingdao", &sentence, candidates));
            }
        }
        let shared = Shared::of(&mentions);
        let one_pass = SharedPart::of(&mentions, 0);
        assert_eq!(shared.sentences, one_pass.sentences);
        assert_eq!(shared.sentence_of, one_pass.sentence_of);
        assert_eq!(shared.candidates, one_pass.candidates);
        assert_eq!(shared.block_candidates, one_pass.block_candidates);
        let ids =
            |places: &[&Candidate]| places.iter().map(|c| c.place.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&shared.places), ids(&one_pass.places));
        assert!(shared.sentences.len() > 7 && shared.places.len() > 50);
    }

    #[test]
    fn lists_longer_than_a_block_are_laid_out_as_one_list_and_read_back() {
        let sentence: Arc<str> = "Ships left Qingdao for Tokyo.".into();
        let mut story = story();
        story.mentions = (0..BLOCK * 2 + 7)
            .map(|i| {
                // candidates of every count, so each block starts at a different candidate
                let candidates = (0..i % 4)
                    .map(|c| candidate(&format!("gn:{}", (i + c) % 50), "Qingdao", 0.5))
                    .collect();
                mention(&format!("d{}", i / 100), "Qingdao", &sentence, candidates)
            })
            .collect();
        let (text, json) = written(&story);
        assert_eq!(read_story(&text, "story.json").unwrap(), story);
        assert_eq!(json["mentions"].as_array().unwrap().len(), BLOCK * 2 + 7);
        // the same bytes serde lays out for the whole list at once
        let documents: Vec<Document> = (0..BLOCK + 3)
            .map(|i| Document {
                id: format!("d{i}"),
                ..Document::default()
            })
            .collect();
        let mut by_records = Vec::new();
        serde_list(&mut by_records, "documents", &documents).unwrap();
        let mut whole = Vec::new();
        member(&mut whole, "documents", &documents).unwrap();
        assert_eq!(
            String::from_utf8(by_records).unwrap(),
            String::from_utf8(whole).unwrap()
        );
    }

    #[test]
    fn documents_demonyms_and_times_are_written_as_serde_writes_them() {
        fn same_as_serde<'a, T: Serialize>(
            items: &'a [T],
            mut record: impl FnMut(&mut Vec<u8>, &'a T) -> io::Result<()>,
        ) {
            for item in items {
                let mut ours = Vec::new();
                record(&mut ours, item).unwrap();
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    serde_json::to_string(item).unwrap()
                );
            }
        }
        let documents: Vec<Document> = [
            DateSource::Metadata,
            DateSource::Dateline,
            DateSource::Inferred,
            DateSource::None,
        ]
        .into_iter()
        .enumerate()
        .map(|(i, date_source)| Document {
            id: format!("doc-{i}"),
            path: "in/\"quoted\".jsonl".into(),
            title: (i % 2 == 0).then(|| "A title\n".into()),
            url: (i == 1).then(|| "https://example.org/a".into()),
            source: (i == 2).then(|| "Wire".into()),
            published: (i < 3).then(|| "2023-07-16".into()),
            date_source,
            chars: 1234 * i,
        })
        .collect();
        same_as_serde(&documents, document);
        // one document id kept from record to record, as the lists are written
        let demonyms: Vec<Demonym> = ["a", "a", "b \"q\"", "a"]
            .into_iter()
            .map(|doc| Demonym {
                doc: doc.into(),
                start: 3,
                end: 10,
                text: "Chinese".into(),
                country: "CN".into(),
            })
            .collect();
        let mut doc = DocId::default();
        same_as_serde(&demonyms, |out, d| demonym(out, &mut doc, d));
        let granularities = [
            None,
            Some(Granularity::Day),
            Some(Granularity::Week),
            Some(Granularity::Month),
            Some(Granularity::Season),
            Some(Granularity::Year),
        ];
        let modifiers = [
            None,
            Some(Modifier::Start),
            Some(Modifier::Mid),
            Some(Modifier::End),
        ];
        let tenses = [
            None,
            Some(Tense::Past),
            Some(Tense::Present),
            Some(Tense::Future),
        ];
        let times: Vec<TimeExpr> = (0..granularities.len() * modifiers.len() * tenses.len())
            .map(|i| TimeExpr {
                doc: ["a", "", "b\\"][i / 7 % 3].into(),
                start: i,
                end: i + 6,
                text: "on \"Sunday\"".into(),
                value: (i % 3 != 0).then(|| "2023-07-16".into()),
                granularity: granularities[i % granularities.len()],
                end_value: (i % 5 == 0).then(|| "2023-07-17".into()),
                modifier: modifiers[i / granularities.len() % modifiers.len()],
                tense: tenses[i / granularities.len() / modifiers.len()],
            })
            .collect();
        let mut doc = DocId::default();
        same_as_serde(&times, |out, t| time_expr(out, &mut doc, t));
    }

    #[test]
    fn round_trips_and_reports_position_of_errors() {
        let story = Story::default();
        let mut bytes = Vec::new();
        StoryJson.write(&story, &mut bytes).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(json["type"], "FeatureCollection");
        assert!(json["features"].as_array().unwrap().is_empty());
        let back = read_story(text, "story.json").unwrap();
        assert_eq!(back, story);
        let err = read_story("{\n  \"documents\": [,]\n}", "bad.json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("bad.json: line 2, column"), "{err}");
    }
}
