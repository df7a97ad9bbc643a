//! JSON documents: JSON Lines (one object a line), a JSON array of objects, or one object. Each object
//! has `text` and optionally `id`, `published`, `title`, `url`, `source`. A broken line is reported with
//! its line number and the other lines are still read.

use serde::Deserialize;

use super::ParsedDoc;

#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default, alias = "date")]
    published: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

impl From<Record> for ParsedDoc {
    fn from(r: Record) -> ParsedDoc {
        let id = r.id.map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        });
        ParsedDoc {
            id,
            text: r.text,
            title: r.title,
            url: r.url,
            source: r.source,
            published: r.published,
        }
    }
}

/// Each record with the line it starts on, or the line and what is wrong with it.
pub(crate) fn read_json_records(text: &str) -> Vec<Result<(usize, ParsedDoc), (usize, String)>> {
    let trimmed = text.trim_start();
    let first_line = text[..text.len() - trimmed.len()].matches('\n').count() + 1;
    if trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<serde_json::Value>>(text) {
            Ok(values) => values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    serde_json::from_value::<Record>(v)
                        .map(|r| (i + 1, r.into()))
                        .map_err(|e| (first_line, format!("array element {}: {e}", i + 1)))
                })
                .collect(),
            Err(e) => vec![Err((
                e.line(),
                format!("invalid JSON at column {}: {e}", e.column()),
            ))],
        };
    }
    // A single pretty-printed object spans lines: try the whole text first.
    if let Ok(record) = serde_json::from_str::<Record>(text) {
        return vec![Ok((first_line, record.into()))];
    }
    lines(text)
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| match plain_record(line) {
            Some(doc) => Ok((i + 1, doc)),
            None => serde_json::from_str::<Record>(line)
                .map(|r| (i + 1, r.into()))
                .map_err(|e| (i + 1, format!("invalid JSON record: {e}"))),
        })
        .collect()
}

/// The lines of `text` as [`str::lines`] gives them, each without its `\n` or `\r\n`. The line ends
/// are found with the memchr crate, many bytes at a time: `str::lines` looks at a word at a time, and
/// over a corpus of megabytes that was a fifth of reading it.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(Some)
        .chain([None])
        .filter_map(move |newline| {
            let from = start;
            match newline {
                Some(end) => {
                    start = end + 1;
                    let line = &text[from..end];
                    Some(line.strip_suffix('\r').unwrap_or(line))
                }
                // the last line, when the text does not end with a line end
                None => (from < text.len()).then(|| &text[from..]),
            }
        })
}

/// A record read directly when it is a *plain* object, every member a string or null and no known
/// member twice, as nearly every line of a corpus is; None for anything else, which serde then reads
/// (and reports on) as before. The result is the one serde gives, at a fraction of its cost.
fn plain_record(line: &str) -> Option<ParsedDoc> {
    let bytes = line.as_bytes();
    let mut at = skip_space(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let mut doc = ParsedDoc::default();
    let mut text = None;
    let mut seen = [false; 6];
    loop {
        at = skip_space(bytes, at + 1);
        let (key, after_key) = string_at(line, at, 0)?;
        at = skip_space(bytes, after_key);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        at = skip_space(bytes, at + 1);
        let value = match bytes.get(at)? {
            b'"' => {
                // the text is most of the line: room for the rest of it, so it is not copied
                // over and over as it grows
                let room = if key == "text" { bytes.len() - at } else { 0 };
                let (value, after) = string_at(line, at, room)?;
                at = after;
                Some(value)
            }
            b'n' if bytes[at..].starts_with(b"null") => {
                at += 4;
                None
            }
            _ => return None,
        };
        let (field, slot) = match key.as_str() {
            "id" => (0, &mut doc.id),
            "text" => (1, &mut text),
            "published" | "date" => (2, &mut doc.published),
            "title" => (3, &mut doc.title),
            "url" => (4, &mut doc.url),
            "source" => (5, &mut doc.source),
            _ => (usize::MAX, &mut None),
        };
        if let Some(seen) = seen.get_mut(field) {
            if std::mem::replace(seen, true) {
                return None;
            }
            *slot = value;
        }
        at = skip_space(bytes, at);
        match bytes.get(at)? {
            b',' => {}
            b'}' => break,
            _ => return None,
        }
    }
    if skip_space(bytes, at + 1) != bytes.len() {
        return None;
    }
    // a null text is an error serde reports
    doc.text = text?;
    Some(doc)
}

/// The first byte from `at` on that is not JSON white space.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        at += 1;
    }
    at
}

/// The JSON string starting at `at` (its opening quote), unescaped, in a string made with room for
/// `room` bytes, and where it ends; None when it is not one or holds what serde may read otherwise
/// (a control character, a lone surrogate).
fn string_at(line: &str, mut at: usize, room: usize) -> Option<(String, usize)> {
    let bytes = line.as_bytes();
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    at += 1;
    let mut out = String::with_capacity(room);
    loop {
        let stop = next_json_escape(bytes, at)?;
        if bytes[stop] < 0x20 {
            return None;
        }
        // the run ends before an ASCII byte, so on a character boundary
        out.push_str(&line[at..stop]);
        at = stop;
        if bytes[at] == b'"' {
            return Some((out, at + 1));
        }
        let escaped = match *bytes.get(at + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = hex4(bytes, at + 2)?;
                at += 6;
                let code = match unit {
                    0xD800..0xDC00 => {
                        if bytes.get(at..at + 2) != Some(b"\\u") {
                            return None;
                        }
                        let low = hex4(bytes, at + 2)?;
                        if !(0xDC00..0xE000).contains(&low) {
                            return None;
                        }
                        at += 6;
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..0xE000 => return None,
                    _ => unit,
                };
                out.push(char::from_u32(code)?);
                continue;
            }
            _ => return None,
        };
        out.push(escaped);
        at += 2;
    }
}

/// Whether JSON text cannot hold a byte as it is inside a string: a quote, a backslash or a control
/// character.
fn must_escape(b: u8) -> bool {
    MUST_ESCAPE[usize::from(b)]
}

/// [`must_escape`] per byte: one look-up a byte, where three comparisons were most of the cost of
/// the short strings (names, ids) that most records hold.
static MUST_ESCAPE: [bool; 256] = {
    let mut escapes = [false; 256];
    let mut b = 0;
    while b < 256 {
        escapes[b] = b < 0x20 || b == b'"' as usize || b == b'\\' as usize;
        b += 1;
    }
    escapes
};

/// Where the first byte from `from` on is that [`must_escape`]: where a string read ends or
/// unescapes, or where a string written needs an escape. Every text read and written goes through
/// here, so long runs are searched sixteen bytes at a time.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(crate) fn next_json_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let len = bytes.len();
    if len < 16 {
        return next_json_escape_bytewise(bytes, from);
    }
    let mut at = from;
    while at + 16 <= len {
        let found = escapes_in_16(bytes, at);
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize);
        }
        at += 16;
    }
    // the last few bytes in the sixteen that end the text, those before `at` already searched
    let found = escapes_in_16(bytes, len - 16) >> (at - (len - 16)).min(16);
    (found != 0).then(|| at + found.trailing_zeros() as usize)
}

/// Whether any of fewer than sixteen bytes [`must_escape`], from the eight (or four) bytes that start
/// them and the eight (or four) that end them, which overlap. Short texts (names, ids, dates) are
/// most of those written, and nearly all have nothing to escape: told so a word at a time, rather
/// than looked at byte by byte as [`next_json_escape`] looks at them.
pub(crate) fn short_has_escape(bytes: &[u8]) -> bool {
    debug_assert!(bytes.len() < 16);
    let len = bytes.len();
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    let half = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"));
    match len {
        8.. => word_has_escape(word(0)) || word_has_escape(word(len - 8)),
        4..8 => word_has_escape(u64::from(half(0)) | u64::from(half(len - 4)) << 32),
        _ => bytes.iter().any(|&b| must_escape(b)),
    }
}

/// Whether a byte of `word` [`must_escape`]: one below 0x20, a quote or a backslash. Each test is
/// the borrow trick for "a byte below n" (exact for the word as a whole, as asked here; the bytes
/// that hold 0x80 and more never pass it).
fn word_has_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w;
    let control = below(word, 0x20);
    let quote = below(word ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(word ^ (ONES * u64::from(b'\\')), 1);
    (control | quote | backslash) & HIGH_BITS != 0
}

/// Bit `i` set when byte `at + i` [`must_escape`]; sixteen bytes from `at` must be in `bytes`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn escapes_in_16(bytes: &[u8], at: usize) -> u32 {
    let block: &[u8; 16] = bytes[at..at + 16].try_into().expect("sixteen bytes");
    // SAFETY: built only for targets with SSE2 (every x86_64 one), so the CPU running it has SSE2
    unsafe { escapes_in_16_sse2(block) }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn escapes_in_16_sse2(block: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_xor_si128,
    };
    // SAFETY: the sixteen bytes read are those of `block`
    let v = unsafe { _mm_loadu_si128(block.as_ptr().cast()) };
    // flipping bit 0x02 takes a quote (0x22) to 0x20 and keeps control characters below 0x20, and
    // no other byte reaches 0x20 or below: both are found in one test, a byte's unsigned minimum
    // with 0x20 being itself
    let flipped = _mm_xor_si128(v, _mm_set1_epi8(0x02));
    let control_or_quote = _mm_cmpeq_epi8(_mm_min_epu8(flipped, _mm_set1_epi8(0x20)), flipped);
    let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
    _mm_movemask_epi8(_mm_or_si128(control_or_quote, backslash)) as u32
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
pub(crate) fn next_json_escape(bytes: &[u8], from: usize) -> Option<usize> {
    next_json_escape_bytewise(bytes, from)
}

/// [`next_json_escape`] a byte at a time.
fn next_json_escape_bytewise(bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| must_escape(b))
        .map(|i| from + i)
}

/// The four hex digits of a `\u` escape, at `at`.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at + 4)?
        .iter()
        .try_fold(0, |n, &b| Some(n * 16 + char::from(b).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_line_is_reported_and_others_read() {
        let text = "{\"id\":\"a\",\"text\":\"Qingdao\"}\n{broken\n{\"id\":7,\"text\":\"Shanghai\",\"published\":\"2023-07-16\"}\n";
        let got = read_json_records(text);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].as_ref().unwrap().1.id.as_deref(), Some("a"));
        assert_eq!(got[1].as_ref().unwrap_err().0, 2);
        let third = &got[2].as_ref().unwrap().1;
        assert_eq!(third.id.as_deref(), Some("7"));
        assert_eq!(third.published.as_deref(), Some("2023-07-16"));
    }

    #[test]
    fn plain_records_are_read_as_serde_reads_them() {
        let fields = |doc: &ParsedDoc| {
            (
                doc.id.clone(),
                doc.text.clone(),
                doc.published.clone(),
                doc.title.clone(),
                doc.url.clone(),
                doc.source.clone(),
            )
        };
        let by_serde = |line: &str| {
            serde_json::from_str::<Record>(line)
                .ok()
                .map(|r| fields(&r.into()))
        };
        // read directly, as serde reads them
        for line in [
            r#"{"id":"a","text":"Ships left Qingdao.\nThey \"sailed\" \/ \\ \b\f\r\t on.","published":"2023-07-16"}"#,
            r#" { "text" : "caf\u00e9 \u2019 \ud83d\udea2 \u00E9" , "title" : null, "extra": "x", "extra": "y" } "#,
            r#"{"text":"é 北京 \u0000","date":"2023-07-16","url":"u","source":"s","id":null}"#,
            r#"{"te\u0078t":"an escaped key"}"#,
        ] {
            let ours = plain_record(line).map(|doc| fields(&doc));
            assert!(ours.is_some(), "{line}");
            assert_eq!(ours, by_serde(line), "{line}");
        }
        // left to serde: errors, and what is not plain
        for line in [
            r#"{"id":7,"text":"a"}"#,
            r#"{"text":"a","date":"2023-07-16","published":"2023-07-16"}"#,
            r#"{"text":"a","text":"b"}"#,
            r#"{"text":null}"#,
            r#"{"title":"a"}"#,
            r#"{"text":"a","tags":["x"]}"#,
            r#"{"text":"a"} x"#,
            r#"{"text":"a",}"#,
            r#"{"text":"lone \ud83d surrogate"}"#,
            r#"{"text":"lone \udea2 surrogate"}"#,
            r#"{"text":"bad \x escape"}"#,
            "{\"text\":\"raw\ttab\"}",
            "{\"text\":\"a long run of plain text, then a raw\ttab and more after it\"}",
            r#"{"text":"unterminated}"#,
            r#"{}"#,
            r#"["text"]"#,
        ] {
            assert!(plain_record(line).is_none(), "{line}");
        }
    }

    #[test]
    fn a_word_has_an_escape_when_one_of_its_bytes_must_be_escaped() {
        // every byte at every place, among bytes next to those that must be escaped and high ones
        for filler in [
            b'x', b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xa2, 0xdc, 0xff,
        ] {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut bytes = [filler; 8];
                    bytes[at] = b;
                    assert_eq!(
                        word_has_escape(u64::from_le_bytes(bytes)),
                        bytes.iter().any(|&b| must_escape(b)),
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn escapes_are_found_sixteen_or_eight_at_a_time_as_byte_by_byte() {
        let mut texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"plain".to_vec(),
            "\u{7f} DEL, \u{e9}, \u{5317}\u{4eac} and / are plain".into(),
            "long and plain ".repeat(9).into_bytes(),
            // short ones, plain but for bytes above ASCII
            "caf\u{e9}".into(),
            "\u{7f}\u{5317}\u{4eac} [x]".into(),
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}".into(),
        ];
        // one byte to escape at every place of texts around the sixteen-byte steps, and two
        for len in [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 47, 64] {
            for at in 0..len {
                for b in [b'"', b'\\', b'\n', 0, 0x1f] {
                    let mut text = vec![b'x'; len];
                    text[at] = b;
                    texts.push(text.clone());
                    text[len - 1 - at / 2] = b'"';
                    texts.push(text);
                }
            }
        }
        // every byte, in the sixteen-byte steps and in the short path
        for b in 0..=u8::MAX {
            texts.push([[b'x'; 3].as_slice(), &[b], &[b'x'; 20]].concat());
        }
        for text in &texts {
            for from in 0..=text.len() {
                let bytewise = next_json_escape_bytewise(text, from);
                assert_eq!(
                    next_json_escape(text, from),
                    bytewise,
                    "{text:?} from {from}"
                );
                if text.len() - from < 16 {
                    assert_eq!(
                        short_has_escape(&text[from..]),
                        bytewise.is_some(),
                        "{text:?} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn lines_are_those_of_str_lines() {
        for text in [
            "",
            "\n",
            "\n\n",
            "one",
            "one\n",
            "one\ntwo",
            "one\r\ntwo\r\n",
            "one\r",
            "one\r\r\ntwo\rthree\n\r",
            "\r\n\r\n x \n",
            "é\n北京\r\n\n\nlast",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn reads_arrays_and_single_objects() {
        let got = read_json_records("[{\"text\":\"one\"},{\"text\":\"two\"}]");
        assert_eq!(got.len(), 2);
        let single = read_json_records("{\n  \"text\": \"one\",\n  \"title\": \"T\"\n}\n");
        assert_eq!(single.len(), 1);
        assert_eq!(single[0].as_ref().unwrap().1.title.as_deref(), Some("T"));
        let missing_text = read_json_records("{\"id\":\"x\"}");
        assert!(missing_text[0].as_ref().unwrap_err().1.contains("text"));
    }
}
