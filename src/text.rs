//! Text geometry shared by the stages: *sentences* (the unit of evidence an event or a mention is shown
//! with), *code-point offsets* (what `story.json` stores, since Rust slices by bytes but Python and
//! JavaScript count characters), and the *classes* of a block of bytes that word scanners step by.

use std::ops::Range;

/// Maps byte offsets of one text to code-point offsets.
///
/// Only non-ASCII characters are remembered, so an English article costs almost nothing.
pub struct CharOffsets {
    /// (byte offset just after a multi-byte character, extra bytes seen up to there)
    marks: Vec<(usize, usize)>,
}

impl CharOffsets {
    pub fn new(text: &str) -> CharOffsets {
        let bytes = text.as_bytes();
        let mut marks = Vec::new();
        let mut extra = 0;
        for block in (0..bytes.len()).step_by(64) {
            let mut leads = lead_bits_at(bytes, block);
            while leads != 0 {
                let i = block + leads.trailing_zeros() as usize;
                leads &= leads - 1;
                // a UTF-8 lead byte says how long its character is
                let len = match bytes[i] {
                    0xF0.. => 4,
                    0xE0.. => 3,
                    _ => 2,
                };
                extra += len - 1;
                marks.push((i + len, extra));
            }
        }
        CharOffsets { marks }
    }

    /// The code-point offset of a byte offset that lies on a character boundary.
    pub fn char_at(&self, byte: usize) -> usize {
        let idx = self.marks.partition_point(|&(end, _)| end <= byte);
        let extra = if idx == 0 { 0 } else { self.marks[idx - 1].1 };
        byte - extra
    }
}

/// `bits` of the 64 bytes from `at`, byte `at + k` at bit `k`, with zeros past the end of the text
/// (a byte no caller marks).
#[inline]
fn block_bits_at(bytes: &[u8], at: usize, bits: impl Fn(&[u8; 64]) -> u64) -> u64 {
    match bytes.get(at..at + 64) {
        Some(block) => bits(block.try_into().expect("64 bytes")),
        None => {
            let mut padded = [0u8; 64];
            padded[..bytes.len() - at].copy_from_slice(&bytes[at..]);
            bits(&padded)
        }
    }
}

/// The bytes of the 64 from `at` that begin a character of more than one byte in UTF-8
/// (`0b11xx_xxxx`); past the end of the text there are none.
#[inline]
fn lead_bits_at(bytes: &[u8], at: usize) -> u64 {
    block_bits_at(bytes, at, lead_bits)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn lead_bits(block: &[u8; 64]) -> u64 {
    // SAFETY: built only for targets with SSE2 (every x86_64 one), so the CPU running it has SSE2
    unsafe { lead_bits_sse2(block) }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn lead_bits(block: &[u8; 64]) -> u64 {
    lead_bits_bytewise(block)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn lead_bits_sse2(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{
        _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: the sixteen bytes from 16k lie within the 64 of `block`
    let v: [_; 4] =
        std::array::from_fn(|k| unsafe { _mm_loadu_si128(block.as_ptr().add(16 * k).cast()) });
    // most blocks are all ASCII: told by the high bits of all four at once
    if _mm_movemask_epi8(_mm_or_si128(
        _mm_or_si128(v[0], v[1]),
        _mm_or_si128(v[2], v[3]),
    )) == 0
    {
        return 0;
    }
    let mut leads = 0;
    for (k, v) in v.into_iter().enumerate() {
        let high = _mm_movemask_epi8(v) as u16;
        // as signed bytes, those that continue a character (0x80..0xC0) are below -64
        let continuing = _mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0xC0_u8 as i8))) as u16;
        leads |= u64::from(high & !continuing) << (16 * k);
    }
    leads
}

#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn lead_bits_bytewise(block: &[u8; 64]) -> u64 {
    (0..64).fold(0, |bits, k| bits | u64::from(block[k] >= 0xC0) << k)
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "mt", "ft", "gen", "adm", "capt", "col", "lt", "sgt", "cmdr",
    "gov", "sen", "rep", "pres", "prof", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "u.s",
    "u.k", "u.n", "e.g", "i.e", "a.m", "p.m",
];

/// The next byte at or after `from` that may end a sentence (a line break, `.`, `!` or `?`), found
/// from the bits of such bytes in a 64-byte block of the text, one block at a time: a sentence is
/// some ninety bytes, and searching afresh for each one (memchr) cost more in starting the search
/// than in searching.
struct SentenceEnds<'a> {
    bytes: &'a [u8],
    /// Where the block last searched starts (a multiple of 64)...
    block: usize,
    /// ...and its bytes that may end a sentence, byte `block + k` at bit `k`, those before the last
    /// search cleared.
    ends: u64,
}

impl SentenceEnds<'_> {
    fn new(bytes: &[u8]) -> SentenceEnds<'_> {
        SentenceEnds {
            bytes,
            block: 0,
            ends: sentence_end_bits_at(bytes, 0),
        }
    }

    /// `from` never goes back before the byte found last.
    fn at_or_after(&mut self, from: usize) -> usize {
        debug_assert!(from >= self.block);
        if from >= self.block + 64 {
            self.block = from & !63;
            self.ends = sentence_end_bits_at(self.bytes, self.block);
        }
        self.ends &= u64::MAX << (from - self.block);
        while self.ends == 0 {
            self.block += 64;
            if self.block >= self.bytes.len() {
                return self.bytes.len();
            }
            self.ends = sentence_end_bits_at(self.bytes, self.block);
        }
        self.block + self.ends.trailing_zeros() as usize
    }
}

/// The bytes of the 64 from `at` that may end a sentence (see [`SentenceEnds`]); past the end of the
/// text there are none.
fn sentence_end_bits_at(bytes: &[u8], at: usize) -> u64 {
    block_bits_at(bytes, at, sentence_end_bits)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn sentence_end_bits(block: &[u8; 64]) -> u64 {
    // SAFETY: built only for targets with SSE2 (every x86_64 one), so the CPU running it has SSE2
    unsafe { sentence_end_bits_sse2(block) }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn sentence_end_bits(block: &[u8; 64]) -> u64 {
    sentence_end_bits_bytewise(block)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn sentence_end_bits_sse2(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut bits = 0;
    for k in 0..4 {
        // SAFETY: the sixteen bytes from 16k lie within the 64 of `block`
        let v = unsafe { _mm_loadu_si128(block.as_ptr().add(16 * k).cast()) };
        let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        let ends = _mm_or_si128(
            _mm_or_si128(is(b'\n'), is(b'.')),
            _mm_or_si128(is(b'!'), is(b'?')),
        );
        bits |= u64::from(_mm_movemask_epi8(ends) as u16) << (16 * k);
    }
    bits
}

#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn sentence_end_bits_bytewise(block: &[u8; 64]) -> u64 {
    (0..64).fold(0, |bits, k| {
        bits | u64::from(matches!(block[k], b'\n' | b'.' | b'!' | b'?')) << k
    })
}

/// Split a text into sentences, as byte ranges with surrounding space trimmed.
///
/// A sentence ends at a line break, or at `.`, `!` or `?` (with any closing quotes) followed by space and
/// then something that can start a sentence; a full stop after a known abbreviation or a single capital
/// ("U.S.", "J. Smith") does not end one.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    // room for sentences of 64 bytes (most are longer), so the list is seldom grown
    let mut out = Vec::with_capacity(bytes.len() / 64 + 1);
    let mut start = 0;
    let mut i = 0;
    let mut ends = SentenceEnds::new(bytes);
    while i < bytes.len() {
        // Most bytes end nothing: go to the next that may.
        i = ends.at_or_after(i);
        let Some(&b) = bytes.get(i) else { break };
        let mut end_here = None;
        if b == b'\n' {
            end_here = Some(i);
        } else if matches!(b, b'.' | b'!' | b'?') && !(b == b'.' && is_abbreviation(text, i)) {
            let mut j = i + 1;
            // closing quotes and brackets belong to the sentence
            while j < bytes.len() {
                let rest = &text[j..];
                let c = rest.chars().next().unwrap();
                if matches!(c, '"' | '\'' | ')' | '”' | '’' | '»') {
                    j += c.len_utf8();
                } else {
                    break;
                }
            }
            if j >= bytes.len() {
                end_here = Some(j);
            } else if bytes[j] == b' '
                || bytes[j] == b'\t'
                || bytes[j] == b'\n'
                || bytes[j] == b'\r'
            {
                let next = text[j..].trim_start().chars().next();
                if next.is_none_or(|c| !c.is_lowercase()) {
                    end_here = Some(j);
                }
            }
        }
        if let Some(end) = end_here {
            push_trimmed(text, start, end, &mut out);
            start = end;
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    push_trimmed(text, start, bytes.len(), &mut out);
    out
}

/// The longest sentence kept whole, in bytes. Real sentences stay far below it (the longest in the
/// geoparsing benchmarks is 693 bytes); a scraped dump with no full stops would otherwise become one
/// sentence of megabytes, and the stages' work per sentence grows faster than its length.
const MAX_SENTENCE_BYTES: usize = 2_000;

fn push_trimmed(text: &str, mut start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    while end - start > MAX_SENTENCE_BYTES {
        let mut cut = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        // at the last space inside the limit, so no word is cut in two unless it is all one word
        if let Some(space) = text[start..cut].rfind(char::is_whitespace) {
            if space > 0 {
                cut = start + space;
            }
        }
        push_piece(text, start, cut, out);
        start = cut;
    }
    push_piece(text, start, end, out);
}

#[inline]
fn push_piece(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    // Most pieces begin with ASCII spaces (the ones after the stop before) and end with a visible
    // ASCII character: both are found without decoding characters. The ASCII bytes below are
    // exactly the ASCII characters Unicode calls white space.
    let bytes = text.as_bytes();
    let mut lead = start;
    while lead < end
        && matches!(
            bytes[lead],
            b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r'
        )
    {
        lead += 1;
    }
    if lead < end && !bytes[lead].is_ascii() {
        // a character outside ASCII may be white space too (no-break space)
        lead = end - text[lead..end].trim_start().len();
    }
    let trail = if lead < end && bytes[end - 1].is_ascii_graphic() {
        end
    } else {
        lead + text[lead..end].trim_end().len()
    };
    if lead < trail {
        out.push(lead..trail);
    }
}

/// [`ABBREVIATIONS`] as numbers, a word's bytes from the lowest, for [`is_abbreviation`] to compare a
/// word lowered in one step: a dot follows most sentences, and comparing the last word with each
/// abbreviation as text was a third of the cost of splitting sentences. None is longer than four bytes,
/// and words hold no zero byte, so equal numbers are equal words.
static PACKED_ABBREVIATIONS: [u32; ABBREVIATIONS.len()] = {
    let mut packed = [0u32; ABBREVIATIONS.len()];
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        let bytes = ABBREVIATIONS[i].as_bytes();
        assert!(bytes.len() <= 4, "abbreviations are compared as four bytes");
        let mut k = 0;
        while k < bytes.len() {
            packed[i] |= (bytes[k] as u32) << (8 * k);
            k += 1;
        }
        i += 1;
    }
    packed
};

/// How far back from a full stop an abbreviation can start: the longest ("u.s.a", "sept") is short, and
/// looking back without a limit costs the whole run at every dot of a long "a.a.a.a…" run.
const ABBREVIATION_LOOKBACK: usize = 16;

fn is_abbreviation(text: &str, dot: usize) -> bool {
    let mut window_start = dot.saturating_sub(ABBREVIATION_LOOKBACK);
    while !text.is_char_boundary(window_start) {
        window_start -= 1;
    }
    let before = &text[window_start..dot];
    // in ASCII a letter or digit is a byte: the word is found without decoding characters
    let not_in_word = if before.is_ascii() {
        before
            .bytes()
            .rposition(|b| !(b.is_ascii_alphanumeric() || b == b'.'))
            .map(|p| p + 1)
    } else {
        before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '.'))
            .map(|p| p + before[p..].chars().next().unwrap().len_utf8())
    };
    let word_start = match not_in_word {
        Some(start) => start,
        // the word runs past the window: too long to be an abbreviation
        None if window_start > 0 => return false,
        None => 0,
    };
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // "J." or "U.S." style initials
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return true;
    }
    if word.len() > 4 {
        return false;
    }
    let mut packed = 0u32;
    for (k, b) in word.bytes().enumerate() {
        packed |= u32::from(b.to_ascii_lowercase()) << (8 * k);
    }
    PACKED_ABBREVIATIONS.contains(&packed)
}

/// The sentence (byte range) that contains byte offset `at`, if any.
pub fn sentence_containing(sentences: &[Range<usize>], at: usize) -> Option<&Range<usize>> {
    let idx = sentences.partition_point(|r| r.end <= at);
    sentences.get(idx).filter(|r| r.start <= at)
}

/// The bytes of a 64-byte block of text by kind, byte `k` at bit `k`: ASCII letters, ASCII digits, and
/// bytes outside ASCII. Scanners find where words start and end from these with a count of trailing
/// zeros, where a test of every byte cost a branch the processor could not foretell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsciiClasses {
    pub letters: u64,
    pub digits: u64,
    pub non_ascii: u64,
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub fn ascii_classes(block: &[u8; 64]) -> AsciiClasses {
    // SAFETY: built only for targets with SSE2 (every x86_64 one), so the CPU running it has SSE2
    unsafe { ascii_classes_sse2(block) }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
pub fn ascii_classes(block: &[u8; 64]) -> AsciiClasses {
    ascii_classes_in_lanes(block)
}

/// [`ascii_classes`] sixteen bytes at a time: every block of a text is read this way, and SSE2
/// compares sixteen bytes and gathers their bits in a few instructions where eight lanes of a `u64`
/// take a few dozen.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn ascii_classes_sse2(block: &[u8; 64]) -> AsciiClasses {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_sub_epi8,
    };
    // a byte is from `lo` to `lo + span` when, less `lo` (wrapping), it is at most `span`
    let within = |v: __m128i, lo: u8, span: u8| {
        let off = _mm_sub_epi8(v, _mm_set1_epi8(lo as i8));
        _mm_cmpeq_epi8(_mm_min_epu8(off, _mm_set1_epi8(span as i8)), off)
    };
    let mut classes = AsciiClasses {
        letters: 0,
        digits: 0,
        non_ascii: 0,
    };
    for k in 0..4 {
        // SAFETY: the sixteen bytes from 16k lie within the 64 of `block`
        let v = unsafe { _mm_loadu_si128(block.as_ptr().add(16 * k).cast()) };
        let bits = |m: __m128i| u64::from(_mm_movemask_epi8(m) as u16) << (16 * k);
        // setting the 0x20 bit lowers the letters and makes no other byte a lower-case letter
        classes.letters |= bits(within(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 25));
        classes.digits |= bits(within(v, b'0', 9));
        classes.non_ascii |= bits(v);
    }
    classes
}

/// [`ascii_classes`] eight bytes at a time, as lanes of a `u64`.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
pub fn ascii_classes_in_lanes(block: &[u8; 64]) -> AsciiClasses {
    let mut classes = AsciiClasses {
        letters: 0,
        digits: 0,
        non_ascii: 0,
    };
    for (k, chunk) in block.chunks_exact(8).enumerate() {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        classes.letters |= lane_bits(letter_lanes(word)) << (8 * k);
        classes.digits |= lane_bits(digit_lanes(word)) << (8 * k);
        classes.non_ascii |= lane_bits(word & HIGH_BITS) << (8 * k);
    }
    classes
}

/// One bit per lane, lane `k` to bit `k`, from the high bits of the lanes of a `u64`.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn lane_bits(high: u64) -> u64 {
    // lane k's bit at 8k, then folded down: lanes k and k+1 into bits 0-1 of byte k, and so on
    let mut bits = high >> 7;
    bits |= bits >> 7;
    bits |= bits >> 14;
    bits |= bits >> 28;
    bits & 0xFF
}

/// The high bit of each byte of a `u64`.
pub const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const LOW_BITS: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `word` that is an ASCII letter. Lower-cased, a letter is an ASCII
/// byte from `a` to `z`; the sums stay within each byte.
pub fn letter_lanes(word: u64) -> u64 {
    let lower = word | (0x20 * LOW_BITS);
    let low7 = lower & !HIGH_BITS;
    let from_a = low7 + (0x80 - u64::from(b'a')) * LOW_BITS;
    let past_z = low7 + (0x80 - u64::from(b'z') - 1) * LOW_BITS;
    from_a & !past_z & !lower & HIGH_BITS
}

/// The high bit of each byte of `word` that is an ASCII digit.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn digit_lanes(word: u64) -> u64 {
    let low7 = word & !HIGH_BITS;
    let from_0 = low7 + (0x80 - u64::from(b'0')) * LOW_BITS;
    let past_9 = low7 + (0x80 - u64::from(b'9') - 1) * LOW_BITS;
    from_0 & !past_9 & !word & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_code_points() {
        let text = "Qingdao → Sea of Japan, 青岛 then Shanghai";
        let offsets = CharOffsets::new(text);
        let byte = text.find("Shanghai").unwrap();
        let chars = offsets.char_at(byte);
        assert_eq!(
            text.chars().skip(chars).take(8).collect::<String>(),
            "Shanghai"
        );
        assert_eq!(offsets.char_at(0), 0);
        assert_eq!(offsets.char_at(text.len()), text.chars().count());
    }

    /// Texts with characters of every width across the 64-byte steps, and their ends.
    fn texts_across_blocks() -> Vec<String> {
        let mut texts = vec![String::new(), "x".into(), "é".into(), "a".repeat(64)];
        for len in [1usize, 2, 62, 63, 64, 65, 127, 128, 130, 200] {
            for c in ['é', '青', '🚢', '.', '\n', '!', '?'] {
                for at in [0, len / 2, len.saturating_sub(1), len] {
                    let mut text = "w".repeat(len);
                    text.insert(at, c);
                    texts.push(text.clone());
                    texts.push(format!("{text}{c}. Next{c}"));
                }
            }
        }
        texts.push("Qingdao → Sea of Japan, 青岛 then Shanghai. ".repeat(9));
        texts.push("青岛".repeat(50));
        texts
    }

    #[test]
    fn char_offsets_are_those_of_counting_characters_up_to_each_boundary() {
        for text in texts_across_blocks() {
            let offsets = CharOffsets::new(&text);
            for (chars, (byte, _)) in text.char_indices().enumerate() {
                assert_eq!(offsets.char_at(byte), chars, "{text:?} at {byte}");
            }
            assert_eq!(offsets.char_at(text.len()), text.chars().count());
        }
    }

    #[test]
    fn block_bits_are_those_of_each_byte() {
        for text in texts_across_blocks() {
            let bytes = text.as_bytes();
            for at in (0..bytes.len()).step_by(64) {
                let mut padded = [0u8; 64];
                let block = &bytes[at..bytes.len().min(at + 64)];
                padded[..block.len()].copy_from_slice(block);
                assert_eq!(
                    sentence_end_bits_at(bytes, at),
                    sentence_end_bits_bytewise(&padded),
                    "{text:?} at {at}"
                );
                assert_eq!(
                    lead_bits_at(bytes, at),
                    lead_bits_bytewise(&padded),
                    "{text:?} at {at}"
                );
            }
        }
    }

    #[test]
    fn block_bits_of_every_byte_are_those_of_each_byte() {
        let every: Vec<u8> = (0..=u8::MAX).collect();
        for block in every.chunks_exact(64) {
            let block: &[u8; 64] = block.try_into().unwrap();
            assert_eq!(lead_bits(block), lead_bits_bytewise(block));
            assert_eq!(sentence_end_bits(block), sentence_end_bits_bytewise(block));
        }
    }

    /// Where a sentence may end, found a block at a time, as looked for byte by byte.
    #[test]
    fn sentence_ends_are_found_as_byte_by_byte() {
        for text in texts_across_blocks() {
            let bytes = text.as_bytes();
            let mut ends = SentenceEnds::new(bytes);
            let mut from = 0;
            while from < bytes.len() {
                let bytewise = bytes[from..]
                    .iter()
                    .position(|b| matches!(b, b'\n' | b'.' | b'!' | b'?'))
                    .map_or(bytes.len(), |p| from + p);
                assert_eq!(ends.at_or_after(from), bytewise, "{text:?} from {from}");
                // past the end found, as splitting goes on: by one, and by leaps over blocks
                from = bytewise + if from % 3 == 0 { 70 } else { 1 };
            }
        }
    }

    #[test]
    fn pieces_are_trimmed_of_any_white_space() {
        for piece in [
            "plain.",
            " lead",
            "trail\n",
            "\u{a0}non-breaking\u{a0}",
            "“quoted”",
            "\n\n",
            "",
            " ",
            "\u{3000}全角\u{3000}",
            "x",
            " \u{a0} mixed",
            "\x0b\x0c\r\t tabs",
            " \u{85}next line",
            " \x1c not space",
        ] {
            let mut out = Vec::new();
            push_piece(piece, 0, piece.len(), &mut out);
            let trimmed = piece.trim();
            let lead = piece.len() - piece.trim_start().len();
            let plain = (!trimmed.is_empty()).then_some(lead..lead + trimmed.len());
            assert_eq!(out.first(), plain.as_ref(), "{piece:?}");
            assert!(out.len() <= 1);
            // the same piece amid other text
            let text = format!("x.{piece}y");
            let mut amid = Vec::new();
            push_piece(&text, 2, 2 + piece.len(), &mut amid);
            let shifted: Vec<_> = out.iter().map(|r| r.start + 2..r.end + 2).collect();
            assert_eq!(amid, shifted, "{piece:?}");
        }
    }

    #[test]
    fn abbreviations_are_the_same_with_or_without_letters_outside_ascii_nearby() {
        let mut abbreviations = 0;
        for word in [
            "Gen",
            "U.S",
            "J",
            "end",
            "Sept",
            "etc",
            "x1",
            "Co",
            "Tokyo",
            "a.b.c.d.e.f.g.h",
        ] {
            // the same word after an ASCII letter and after one outside ASCII: the one goes the
            // byte path, the other decodes characters
            let answers: Vec<bool> = ["e ", "é ", "ee", "éé"]
                .iter()
                .map(|before| {
                    let text = format!("{before}{word}. Next");
                    is_abbreviation(&text, text.find(". Next").unwrap())
                })
                .collect();
            assert_eq!(answers[0], answers[1], "{word}");
            assert_eq!(answers[2], answers[3], "{word}");
            abbreviations += usize::from(answers[0]);
        }
        assert!(abbreviations >= 3, "some of them are abbreviations");
    }

    #[test]
    fn sentences_skip_abbreviations_and_keep_quotes() {
        let text = "The U.S. Navy said so. Ships left Qingdao on Sunday.\"We sail,\" he said. Then they met.\nNew line";
        let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            vec![
                "The U.S. Navy said so.",
                "Ships left Qingdao on Sunday.\"We sail,\" he said.",
                "Then they met.",
                "New line"
            ]
        );
    }

    #[test]
    fn runaway_sentences_are_cut_at_a_space_within_the_limit() {
        let text = "word ".repeat(2_000) + "end. Next one.";
        let got = sentences(&text);
        assert!(got.len() > 4, "{} sentences", got.len());
        assert!(got.iter().all(|r| r.len() <= MAX_SENTENCE_BYTES));
        assert!(got
            .iter()
            .all(|r| text[r.clone()].starts_with("word") || text[r.clone()] == *"Next one."));
        assert_eq!(&text[got.last().unwrap().clone()], "Next one.");
        // one endless word, in multi-byte characters, is cut on character boundaries
        let han = "青".repeat(3_000);
        let pieces = sentences(&han);
        assert_eq!(pieces.iter().map(|r| r.len()).sum::<usize>(), han.len());
        // an endless run of initials is not read as one abbreviation
        let initials = "a.".repeat(20_000);
        assert!(!sentences(&initials).is_empty());
        assert!(is_abbreviation("The U.S. Navy", 7));
        assert!(!is_abbreviation(&initials, initials.len() - 1));
    }

    /// The packed comparison takes the same words as comparing with each abbreviation as text.
    #[test]
    fn abbreviations_are_matched_as_text_would_be() {
        let mut words: Vec<String> = Vec::new();
        for a in ABBREVIATIONS {
            words.extend([
                a.to_string(),
                a.to_uppercase(),
                format!("{a}x"),
                format!("x{a}"),
            ]);
            words.push(a[..a.len() - 1].to_string());
        }
        words.extend(
            [
                "Mr", "MRS", "sEpT", "no", "Ñ", "é", "ab", "u.s.a", "capts", "1", "a1",
            ]
            .map(String::from),
        );
        for word in words {
            let text = format!("Then {word}. Next");
            let dot = 5 + word.len();
            let as_text = ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(&word))
                || (word.chars().count() == 1 && word.chars().all(char::is_uppercase));
            assert_eq!(is_abbreviation(&text, dot), as_text, "{word:?}");
        }
    }

    #[test]
    fn finds_containing_sentence() {
        let text = "One here. Two there.";
        let s = sentences(text);
        let at = text.find("there").unwrap();
        assert_eq!(
            &text[sentence_containing(&s, at).unwrap().clone()],
            "Two there."
        );
    }
}
