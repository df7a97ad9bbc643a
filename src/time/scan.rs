//! Scanning: where temporal expressions stand in a text and what they literally say ("last" + "month",
//! "June 12 to 17"), before any article date or tense is known.
//!
//! The text is read as *tokens* — runs of letters, runs of digits, single other characters. Only a
//! word that can begin an expression (see [`Lex::starts_expression`]) or a number starts a small
//! hand-written parse, and most words are passed over without being made into tokens at all: a
//! first pass over the bytes finds the numbers and the words that may begin one, and the few tokens
//! before those are read backwards when needed. Tokens for whole sentences (for their tense) are
//! read only for the sentences that hold an expression.

use std::cell::OnceCell;
use std::ops::Range;

use chrono::{NaiveDate, Weekday};

use super::lexicon::{self, Lex, Prep, Season, Shift, Unit};
use crate::story::Modifier;
#[cfg(test)]
use crate::text::ascii_classes_in_lanes;
use crate::text::{ascii_classes, letter_lanes, AsciiClasses, HIGH_BITS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    /// Digits, with an ordinal suffix when one is glued on ("19th").
    Number,
    Symbol(char),
}

/// A token of the text, as byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// How `token_at` sorts a byte: ASCII whitespace, ASCII letter, digit, other ASCII, or part of a
/// multi-byte character (which needs decoding to be sorted).
const SPACE: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const OTHER: u8 = 3;
const WIDE: u8 = 4;

const CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        class[b] = if byte >= 0x80 {
            WIDE
        } else if byte.is_ascii_whitespace() {
            SPACE
        } else if byte.is_ascii_alphabetic() {
            LETTER
        } else if byte.is_ascii_digit() {
            DIGIT
        } else {
            OTHER
        };
        b += 1;
    }
    class
};

/// The character that starts at byte `pos` (which must be a character boundary inside the text).
fn char_at(text: &str, pos: usize) -> char {
    text[pos..].chars().next().unwrap_or_default()
}

/// How many ASCII letters `bytes` opens with, read eight at a time.
#[inline]
fn ascii_letters(bytes: &[u8]) -> usize {
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..n + 8) {
        let others =
            !letter_lanes(u64::from_le_bytes(chunk.try_into().unwrap_or_default())) & HIGH_BITS;
        if others != 0 {
            return n + (others.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + bytes[n..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count()
}

/// The first token at or after byte `pos` (which must be a character boundary).
pub fn token_at(text: &str, pos: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    let mut start = pos;
    loop {
        let b = *bytes.get(start)?;
        match CLASS[usize::from(b)] {
            SPACE => start += 1,
            LETTER => break,
            DIGIT => return Some(number_at(bytes, start)),
            OTHER => {
                return Some(Token {
                    start,
                    end: start + 1,
                    kind: Kind::Symbol(char::from(b)),
                })
            }
            _ => match wide_space(text, start) {
                0 => return Some(wide_token_at(text, start)),
                len => start += len,
            },
        }
    }
    let end = start + ascii_letters(&bytes[start..]);
    if bytes.get(end).is_some_and(|&b| b >= 0x80) {
        return Some(word_at(text, start, end));
    }
    Some(Token {
        start,
        end,
        kind: Kind::Word,
    })
}

/// A number token at `start`: its digits, and an ordinal suffix glued on ("19th").
fn number_at(bytes: &[u8], start: usize) -> Token {
    let mut end = start + 1;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    if ordinal_at(bytes, end) {
        end += 2;
    }
    Token {
        start,
        end,
        kind: Kind::Number,
    }
}

/// Whether an ordinal suffix ("st", "nd", "rd", "th", in any case, with no letter or digit after it)
/// starts at byte `at`, right after a number's digits.
fn ordinal_at(bytes: &[u8], at: usize) -> bool {
    let Some(&[a, b]) = bytes.get(at..at + 2) else {
        return false;
    };
    matches!(
        [a | 0x20, b | 0x20],
        [b's', b't'] | [b'n', b'd'] | [b'r', b'd'] | [b't', b'h']
    ) && !bytes.get(at + 2).is_some_and(u8::is_ascii_alphanumeric)
}

/// A word that goes on past `end` into letters outside ASCII.
#[cold]
fn word_at(text: &str, start: usize, mut end: usize) -> Token {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(end) {
        if b.is_ascii_alphabetic() {
            end += 1;
        } else if b >= 0x80 && char_at(text, end).is_alphabetic() {
            end += char_at(text, end).len_utf8();
        } else {
            break;
        }
    }
    Token {
        start,
        end,
        kind: Kind::Word,
    }
}

/// The length of the character at `pos` if it is a space outside ASCII, else 0.
#[cold]
fn wide_space(text: &str, pos: usize) -> usize {
    let c = char_at(text, pos);
    if c.is_whitespace() {
        c.len_utf8()
    } else {
        0
    }
}

/// The token that starts with the character at `pos`, outside ASCII and not a space: a word or a
/// symbol.
#[cold]
fn wide_token_at(text: &str, pos: usize) -> Token {
    let c = char_at(text, pos);
    if c.is_alphabetic() {
        return word_at(text, pos, pos);
    }
    Token {
        start: pos,
        end: pos + c.len_utf8(),
        kind: Kind::Symbol(c),
    }
}

/// A year as written: absent, explicit ("2023"), or relative to the article's ("March last year").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRef {
    Unknown,
    Explicit(i32),
    Relative(i32),
}

/// One point or period, as said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Date {
        year: YearRef,
        month: u32,
        day: u32,
    },
    /// "05/06/2023": day and month in an order the text alone does not settle.
    Numeric {
        first: u32,
        second: u32,
        year: i32,
    },
    Month {
        year: YearRef,
        month: u32,
    },
    Year(i32),
    Season {
        year: YearRef,
        season: Season,
    },
    Weekday(Weekday),
    ShiftedWeekday(Weekday, Shift),
    ShiftedMonth(u32, Shift),
    ShiftedSeason(Season, Shift),
    /// "the weekend" (no shift: by tense), "this weekend", "last weekend".
    Weekend(Option<Shift>),
    /// yesterday, today, tomorrow, last night.
    DayOffset(i64),
    /// "last month", "next year", "two weeks ago", "in three days".
    UnitOffset {
        unit: Unit,
        offset: i32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Point(When),
    Range(When, When),
    /// "the past two weeks": the stretch that ends on the article's date.
    PastSpan {
        unit: Unit,
        count: u32,
    },
    /// "in two weeks": a point ahead, kept only in a clause about the future (else it is a duration).
    Ahead {
        unit: Unit,
        count: u32,
    },
    /// "in recent months", "the coming days": temporal, but no value can be anchored.
    Vague,
}

/// An expression found in the text, as byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub what: What,
    pub modifier: Option<Modifier>,
    /// The preposition right before the expression ("since", "until").
    pub prep: Option<Prep>,
    /// For an unambiguous numeric date with `/` or `-`: whether it was written day first.
    pub day_first: Option<bool>,
}

/// The last two tokens before the current one, most recent first, for cues such as "in" or "the".
/// No parse looks further back: at most at the token before a "the" or a count before the current
/// one ("in the summer", "in two weeks").
#[derive(Default, Clone, Copy)]
struct Behind {
    tokens: [Option<Token>; 2],
}

impl Behind {
    fn push(&mut self, t: Token) {
        self.tokens = [Some(t), self.tokens[0]];
    }

    /// The token just before byte `at`.
    fn before(&self, at: usize) -> Option<Token> {
        self.tokens.iter().flatten().find(|t| t.end <= at).copied()
    }
}

/// A parse result before it becomes a [`Found`]: what, where it starts and ends, and its `mod`.
struct Part {
    start: usize,
    end: usize,
    what: What,
    modifier: Option<Modifier>,
    day_first: Option<bool>,
}

impl Part {
    fn point(start: usize, end: usize, when: When) -> Part {
        Part {
            start,
            end,
            what: What::Point(when),
            modifier: None,
            day_first: None,
        }
    }

    fn new(start: usize, end: usize, what: What) -> Part {
        Part {
            start,
            end,
            what,
            modifier: None,
            day_first: None,
        }
    }

    fn with_modifier(mut self, modifier: Option<Modifier>) -> Part {
        self.modifier = modifier;
        self
    }
}

/// Every temporal expression of `text`, in order, appended to `out`.
///
/// The text is read as one chain of tokens, except that after an expression the reading goes on at
/// the expression's end. Only numbers and the words that can begin an expression are looked at
/// closely; the tokens between them are read only to know the few just before such a one (see
/// [`Reading::behind_at`]), and [`SentenceTokens`] reads a sentence's tokens back the same way.
pub fn scan(text: &str, out: &mut Vec<Found>) {
    let scanner = Scanner { text };
    let bytes = text.as_bytes();
    let mut reading = Reading {
        text,
        known: 0,
        behind: Behind::default(),
    };
    let mut candidates = Candidates::new(bytes);
    let mut search = 0;
    while let Some(at) = candidates.next(search) {
        let Some(t) = token_at(text, at) else {
            break;
        };
        let lex = match t.kind {
            Kind::Word => {
                let lex = lexicon::starter(scanner.slice(t));
                // letters glued to a letter outside ASCII are the inside of a longer word
                let inside = at > reading.known
                    && bytes[at - 1] >= 0x80
                    && text[..at]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphabetic);
                if inside || !lex.starts_expression() {
                    search = t.end;
                    continue;
                }
                Some(lex)
            }
            _ => None,
        };
        let behind = Lookback::at(&reading, at);
        let part = match lex {
            Some(lex) => scanner.at_word(t, lex, &behind),
            None => scanner.at_number(t, &behind),
        };
        match part {
            Some(p) => {
                let prep = behind.before(p.start).and_then(|b| match scanner.lex(b) {
                    Lex::Prep(prep) => Some(prep),
                    _ => None,
                });
                out.push(Found {
                    start: p.start,
                    end: p.end,
                    what: p.what,
                    modifier: p.modifier,
                    prep,
                    day_first: p.day_first,
                });
                reading.known = p.end;
                reading.behind = Behind::default();
                search = p.end;
            }
            None => {
                // a number turned away before any parse looked behind it leaves the chain's place
                // where it was: the tokens from there on are read back as well as forwards
                if let Some(mut read) = behind.read.into_inner() {
                    read.push(t);
                    reading.known = t.end;
                    reading.behind = read;
                }
                search = t.end;
            }
        }
    }
}

/// Finds, ahead of the scan, the places where a token that may begin an expression starts: a number,
/// or a run of ASCII letters that passes the lexicon's filter.
///
/// The text is read in blocks of 64 bytes, eight at a time as lanes of a `u64`, into one bit per
/// byte for letters and one for digits. Shifts of those give where digit runs start and where
/// letter runs of three or more end (no shorter word begins an expression), so each word costs a
/// few steps rather than a few per letter.
struct Candidates<'a> {
    bytes: &'a [u8],
    /// Where the block starts; bit `k` of the masks is about byte `base + k`.
    base: usize,
    letters: u64,
    digits: u64,
    /// The first letters of letter runs.
    starts: u64,
    /// The first digits of digit runs.
    digit_starts: u64,
    /// What is left to look at: the first digits of digit runs, and the last letters of letter runs.
    events: u64,
    /// The start of the letter run that goes on into the block from before it.
    open: usize,
    /// The block's bytes after the eight before it (zeros past the text's ends), so that the last
    /// two letters of a run are read without bounds to check.
    window: [u8; 8 + BLOCK],
}

const BLOCK: usize = 64;

// the blocks turn away letter runs shorter than three without a look
const _: () = assert!(lexicon::SHORTEST_STARTER >= 3);

impl<'a> Candidates<'a> {
    fn new(bytes: &'a [u8]) -> Candidates<'a> {
        let mut candidates = Candidates {
            bytes,
            base: 0,
            letters: 0,
            digits: 0,
            starts: 0,
            digit_starts: 0,
            events: 0,
            open: 0,
            window: [0; 8 + BLOCK],
        };
        candidates.read_block(0, 0, 0);
        candidates
    }

    /// Read the block at `base`, given the letter and digit bits of the 64 bytes before it.
    fn read_block(&mut self, base: usize, letters_before: u64, digits_before: u64) {
        let mut padded = [0u8; BLOCK];
        let block: &[u8; BLOCK] = match self.bytes.get(base..base + BLOCK) {
            Some(block) => block.try_into().expect("a block's bytes"),
            None => {
                let rest = self.bytes.get(base..).unwrap_or_default();
                padded[..rest.len()].copy_from_slice(rest);
                &padded
            }
        };
        let AsciiClasses {
            letters, digits, ..
        } = ascii_classes(block);
        let before = match base.checked_sub(8).and_then(|b| self.bytes.get(b..base)) {
            Some(before) => u64::from_le_bytes(before.try_into().unwrap_or_default()),
            None => self.bytes[..base]
                .iter()
                .fold(0, |word, &b| (word >> 8) | (u64::from(b) << 56)),
        };
        self.window[..8].copy_from_slice(&before.to_le_bytes());
        self.window[8..].copy_from_slice(block);
        let letter_after = self
            .bytes
            .get(base + BLOCK)
            .is_some_and(u8::is_ascii_alphabetic);
        // bits of bytes with a letter one (two) bytes before them
        let after_one = (letters << 1) | (letters_before >> 63);
        let after_two = (letters << 2) | (letters_before >> 62);
        let ends =
            letters & !((letters >> 1) | (u64::from(letter_after) << 63)) & after_one & after_two;
        self.base = base;
        self.letters = letters;
        self.digits = digits;
        self.starts = letters & !after_one;
        self.digit_starts = digits & !((digits << 1) | (digits_before >> 63));
        self.events = ends | self.digit_starts;
    }

    /// The first candidate at or after `from`, which must not be before the last one asked. A letter
    /// or digit at `from` counts as starting a run, since the scan's chain of tokens goes on there.
    fn next(&mut self, from: usize) -> Option<usize> {
        let bytes = self.bytes;
        let same_run = |a: u8, b: u8| {
            (a.is_ascii_alphabetic() && b.is_ascii_alphabetic())
                || (a.is_ascii_digit() && b.is_ascii_digit())
        };
        let inside_run = from > 0
            && bytes
                .get(from)
                .is_some_and(|&b| same_run(bytes[from - 1], b));
        if from < self.base + BLOCK && !inside_run {
            self.events &= u64::MAX.checked_shl((from - self.base) as u32).unwrap_or(0);
        } else {
            if from >= bytes.len() {
                return None;
            }
            self.open = from;
            self.read_block(from, 0, 0);
        }
        loop {
            let mut events = self.events;
            while events != 0 {
                let k = events.trailing_zeros() as usize;
                let bit = 1u64 << k;
                events &= events - 1;
                if self.digit_starts & bit != 0 {
                    self.events = events;
                    return Some(self.base + k);
                }
                // most words are turned away by their last two letters
                let end = self.base + k + 1;
                let (before_last, last) = (self.window[7 + k % BLOCK], self.window[8 + k % BLOCK]);
                if !lexicon::may_end(before_last, last) {
                    continue;
                }
                let starts_so_far = self.starts & (bit | (bit - 1));
                let start = if starts_so_far == 0 {
                    self.open
                } else {
                    self.base + 63 - starts_so_far.leading_zeros() as usize
                };
                if lexicon::may_start(end - start, bytes[start], last) {
                    self.events = events;
                    return Some(start);
                }
            }
            self.events = 0;
            let next = self.base + BLOCK;
            if next >= bytes.len() {
                return None;
            }
            if self.starts != 0 {
                self.open = self.base + 63 - self.starts.leading_zeros() as usize;
            }
            self.read_block(next, self.letters, self.digits);
        }
    }
}

/// Where a scan has read its chain of tokens to: `known` is a place the chain passes, and `behind`
/// the last tokens before it.
struct Reading<'a> {
    text: &'a str,
    known: usize,
    behind: Behind,
}

impl Reading<'_> {
    /// The last tokens before `at` (where a token starts, not before `known`), read backwards from
    /// `at`: a few steps where reading forwards from `known` would take the whole stretch between.
    fn behind_at(&self, at: usize) -> Behind {
        let Some(last) = token_before(self.text, self.known, at) else {
            return self.behind;
        };
        let Some(second) = token_before(self.text, self.known, last.start) else {
            // reached `known`: the one before it comes second
            return Behind {
                tokens: [Some(last), self.behind.tokens[0]],
            };
        };
        Behind {
            tokens: [Some(last), Some(second)],
        }
    }
}

/// The last tokens before a candidate, read back only when a parse first asks for them: most
/// numbers ("25 sailors", "1,500") are turned away before any parse looks behind them.
struct Lookback<'r> {
    reading: Option<&'r Reading<'r>>,
    at: usize,
    read: OnceCell<Behind>,
}

impl<'r> Lookback<'r> {
    fn at(reading: &'r Reading<'r>, at: usize) -> Lookback<'r> {
        Lookback {
            reading: Some(reading),
            at,
            read: OnceCell::new(),
        }
    }

    /// No tokens behind: for a part read as the inside of a longer expression.
    fn nothing() -> Lookback<'r> {
        Lookback {
            reading: None,
            at: 0,
            read: OnceCell::from(Behind::default()),
        }
    }

    /// The token just before byte `at`.
    fn before(&self, at: usize) -> Option<Token> {
        let read = self.read.get_or_init(|| {
            self.reading
                .map_or_else(Behind::default, |r| r.behind_at(self.at))
        });
        read.before(at)
    }
}

/// The token that ends at or before `end` (a place where a token starts, or the text's end), read
/// backwards without going before `floor`, where the chain of tokens starts; None when only spaces
/// lie between.
fn token_before(text: &str, floor: usize, mut end: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    let before = |i: usize| text[floor..i].chars().next_back();
    loop {
        if end == floor {
            return None;
        }
        let b = bytes[end - 1];
        let kind = match CLASS[usize::from(b)] {
            SPACE => {
                end -= 1;
                continue;
            }
            DIGIT => Kind::Number,
            LETTER => Kind::Word,
            OTHER => {
                return Some(Token {
                    start: end - 1,
                    end,
                    kind: Kind::Symbol(char::from(b)),
                })
            }
            _ => {
                let c = before(end).unwrap_or_default();
                if c.is_whitespace() {
                    end -= c.len_utf8();
                    continue;
                }
                if !c.is_alphabetic() {
                    return Some(Token {
                        start: end - c.len_utf8(),
                        end,
                        kind: Kind::Symbol(c),
                    });
                }
                Kind::Word
            }
        };
        let digits_before = |mut start: usize| {
            while start > floor && bytes[start - 1].is_ascii_digit() {
                start -= 1;
            }
            start
        };
        if kind == Kind::Number {
            return Some(Token {
                start: digits_before(end),
                end,
                kind,
            });
        }
        let mut start = end;
        loop {
            while start > floor && bytes[start - 1].is_ascii_alphabetic() {
                start -= 1;
            }
            let wide_letter = (start > floor && bytes[start - 1] >= 0x80)
                .then(|| before(start))
                .flatten()
                .filter(|c| c.is_alphabetic());
            match wide_letter {
                Some(c) => start -= c.len_utf8(),
                None => break,
            }
        }
        // right after digits, two letters may be the number's ordinal suffix ("19th"), as
        // `number_at` reads them
        if start > floor && bytes[start - 1].is_ascii_digit() && ordinal_at(bytes, start) {
            return Some(if start + 2 == end {
                Token {
                    start: digits_before(start),
                    end,
                    kind: Kind::Number,
                }
            } else {
                Token {
                    start: start + 2,
                    end,
                    kind: Kind::Word,
                }
            });
        }
        return Some(Token { start, end, kind });
    }
}

/// Reads the tokens of chosen sentences, in text order, exactly as [`scan`] read them: most sentences
/// hold no expression, so the scan keeps no tokens and only the sentences that need them (for their
/// tense) are read again.
pub struct SentenceTokens<'a> {
    text: &'a str,
    /// The expressions found, whose ends are where the scan went on reading.
    found: &'a [Found],
    /// Expressions whose end the reading has passed.
    passed: usize,
    /// Where the next token is looked for.
    pos: usize,
}

impl<'a> SentenceTokens<'a> {
    pub fn new(text: &'a str, found: &'a [Found]) -> SentenceTokens<'a> {
        SentenceTokens {
            text,
            found,
            passed: 0,
            pos: 0,
        }
    }

    /// Take the tokens that start before `bound`, pushing them onto `tokens` when `keep`.
    fn take_until(&mut self, bound: usize, tokens: &mut Vec<Token>, keep: bool) {
        loop {
            let segment_end = self.found.get(self.passed).map_or(usize::MAX, |f| f.end);
            self.pos = take_tokens(self.text, self.pos, bound.min(segment_end), tokens, keep);
            if segment_end > bound {
                return;
            }
            // the scan read the expression's tokens up to its end, then went on from there
            self.pos = segment_end;
            self.passed += 1;
        }
    }

    /// The tokens that start inside `range`, which must not start before the last range read.
    pub fn read(&mut self, range: Range<usize>, tokens: &mut Vec<Token>) {
        let at = range.start;
        while let Some(f) = self.found.get(self.passed).filter(|f| f.end <= at) {
            self.pos = f.end;
            self.passed += 1;
        }
        if self.pos < at {
            // after a space or an ASCII symbol a token always ends, so the chain goes on at `at`
            let before = self.text.as_bytes()[at - 1];
            let gap = before.is_ascii() && !before.is_ascii_alphanumeric()
                || self.text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace);
            if gap {
                self.pos = at;
            } else {
                self.take_until(at, tokens, false);
            }
        }
        self.take_until(range.end, tokens, true);
    }
}

/// Read tokens from `pos` while they start before `bound`, pushing them onto `tokens` when `keep`;
/// where the reading stopped. [`token_at`] in a loop, kept tight for the sentences read whole.
fn take_tokens(
    text: &str,
    mut pos: usize,
    bound: usize,
    tokens: &mut Vec<Token>,
    keep: bool,
) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(pos) {
        let class = CLASS[usize::from(b)];
        if class == SPACE {
            pos += 1;
            continue;
        }
        if pos >= bound {
            break;
        }
        // The token's fields rather than a whole token from each arm: a token that could come from
        // an arm returning one through memory was itself put together in memory, and reading it
        // back whole to push it waited for the writes to land (a failed store-to-load forward).
        let (start, end, kind) = match class {
            LETTER => {
                let end = pos + ascii_letters(&bytes[pos..]);
                if bytes.get(end).is_some_and(|&b| b >= 0x80) {
                    let t = word_at(text, pos, end);
                    (t.start, t.end, t.kind)
                } else {
                    (pos, end, Kind::Word)
                }
            }
            DIGIT => {
                let t = number_at(bytes, pos);
                (t.start, t.end, t.kind)
            }
            OTHER => (pos, pos + 1, Kind::Symbol(char::from(b))),
            _ => match wide_space(text, pos) {
                0 => {
                    let t = wide_token_at(text, pos);
                    (t.start, t.end, t.kind)
                }
                len => {
                    pos += len;
                    continue;
                }
            },
        };
        if keep {
            tokens.push(Token { start, end, kind });
        }
        pos = end;
    }
    pos
}

struct Scanner<'a> {
    text: &'a str,
}

/// Prepositions after which a bare month or season is a date ("in March", "since spring",
/// "planned for October").
fn is_period_cue(prep: Prep) -> bool {
    matches!(
        prep,
        Prep::In
            | Prep::Since
            | Prep::Until
            | Prep::By
            | Prep::From
            | Prep::Through
            | Prep::During
            | Prep::Before
            | Prep::After
            | Prep::Between
            | Prep::Over
            | Prep::For
    )
}

fn days_in_month_max(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl<'a> Scanner<'a> {
    fn tok(&self, pos: usize) -> Option<Token> {
        token_at(self.text, pos)
    }

    fn slice(&self, t: Token) -> &'a str {
        &self.text[t.start..t.end]
    }

    fn lex(&self, t: Token) -> Lex {
        match t.kind {
            Kind::Word => lexicon::lex(self.slice(t)),
            _ => Lex::Other,
        }
    }

    fn is_word(&self, t: Token, word: &str) -> bool {
        t.kind == Kind::Word && self.slice(t).eq_ignore_ascii_case(word)
    }

    fn prep(&self, t: Option<Token>) -> Option<Prep> {
        match self.lex(t?) {
            Lex::Prep(p) => Some(p),
            _ => None,
        }
    }

    /// The value of a number token, how many digits it has, and whether it carries an ordinal suffix.
    fn number(&self, t: Token) -> Option<(u32, usize, bool)> {
        if t.kind != Kind::Number {
            return None;
        }
        let s = self.slice(t);
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 4 {
            return None;
        }
        // four digits at most: the value fits, and needs no general parser
        let value = (s.bytes().take(digits)).fold(0, |n, d| n * 10 + u32::from(d - b'0'));
        Some((value, digits, digits < s.len()))
    }

    /// Whether a number stands alone: not glued to letters, nor the first part of "2,000", "1.5", "10:30".
    fn stands_alone(&self, t: Token) -> bool {
        let bytes = self.text.as_bytes();
        if bytes.get(t.end).is_some_and(u8::is_ascii_alphanumeric) {
            return false;
        }
        let glued_digit = matches!(bytes.get(t.end), Some(b',' | b'.' | b':' | b'/'))
            && bytes.get(t.end + 1).is_some_and(u8::is_ascii_digit);
        !glued_digit
    }

    /// A day of the month: one or two digits, 1 to 31.
    fn day_number(&self, t: Token) -> Option<u32> {
        let (n, digits, _) = self.number(t)?;
        ((1..=31).contains(&n) && digits <= 2 && self.stands_alone(t)).then_some(n)
    }

    /// A four-digit year that stands alone.
    fn year_number(&self, t: Token) -> Option<i32> {
        let (n, digits, ordinal) = self.number(t)?;
        (digits == 4 && !ordinal && (1000..=2999).contains(&n) && self.stands_alone(t))
            .then_some(n as i32)
    }

    fn symbol_is(t: Token, set: &[char]) -> bool {
        matches!(t.kind, Kind::Symbol(c) if set.contains(&c))
    }

    /// A month name at `t`; an abbreviation (with its optional full stop) only when `abbreviations`.
    fn month_at(&self, t: Token, abbreviations: bool) -> Option<(u32, usize)> {
        match self.lex(t) {
            Lex::Month(m) => Some((m, t.end)),
            Lex::MonthAbbr(m) if abbreviations => {
                let end = self
                    .tok(t.end)
                    .filter(|d| d.start == t.end && Self::symbol_is(*d, &['.']))
                    .map_or(t.end, |d| d.end);
                Some((m, end))
            }
            _ => None,
        }
    }

    /// An explicit year after `pos`: "2023", ", 2023", "of 2023".
    fn year_after(&self, pos: usize) -> Option<(i32, usize)> {
        let mut t = self.tok(pos)?;
        if Self::symbol_is(t, &[',']) || self.is_word(t, "of") {
            t = self.tok(t.end)?;
        }
        Some((self.year_number(t)?, t.end))
    }

    /// A year relative to the article's after `pos`: "last year", "of next year", "this year".
    fn relative_year_after(&self, pos: usize) -> Option<(i32, usize)> {
        let mut t = self.tok(pos)?;
        if self.is_word(t, "of") {
            t = self.tok(t.end)?;
        }
        let offset = match self.lex(t) {
            Lex::Shift(Shift::Last) => -1,
            Lex::Shift(Shift::This) => 0,
            Lex::Shift(Shift::Next) => 1,
            _ => return None,
        };
        let unit = self.tok(t.end)?;
        (self.lex(unit) == Lex::Unit(Unit::Year, false)).then_some((offset, unit.end))
    }

    fn year_part(&self, pos: usize) -> (YearRef, usize) {
        if let Some((y, end)) = self.year_after(pos) {
            (YearRef::Explicit(y), end)
        } else if let Some((offset, end)) = self.relative_year_after(pos) {
            (YearRef::Relative(offset), end)
        } else {
            (YearRef::Unknown, pos)
        }
    }

    /// A word or dash that joins the two ends of a range; "and" only after "between".
    fn is_range_joiner(&self, t: Token, between: bool) -> bool {
        Self::symbol_is(t, &['-', '–', '—'])
            || match self.lex(t) {
                Lex::Prep(Prep::To | Prep::Through | Prep::Until) => true,
                Lex::Prep(Prep::And) => between,
                _ => false,
            }
    }

    fn at_word(&self, t: Token, lex: Lex, behind: &Lookback) -> Option<Part> {
        let prev = behind.before(t.start);
        match lex {
            Lex::Month(m) | Lex::MonthAbbr(m) => {
                self.month_expr(t, m, matches!(lex, Lex::MonthAbbr(_)), prev)
            }
            Lex::Weekday(w) => self.weekday_expr(t, w, prev),
            Lex::Season(s) => self.season_expr(t, s, behind),
            Lex::DayWord(offset) => {
                let end = self.part_of_day_after(t.end).unwrap_or(t.end);
                Some(Part::point(t.start, end, When::DayOffset(offset)))
            }
            Lex::Shift(shift) => self.shift_expr(t, shift, prev),
            Lex::Edge(modifier) => self.edge_expr(t, modifier, prev),
            Lex::EdgeNoun(modifier) => self.edge_noun_expr(t, modifier, prev),
            Lex::Around => self.around_expr(t),
            Lex::Unit(unit, plural) => self.unit_expr(t, unit, plural, behind),
            Lex::Recent => {
                let unit = self.tok(t.end)?;
                matches!(self.lex(unit), Lex::Unit(_, true))
                    .then(|| Part::new(t.start, unit.end, What::Vague))
            }
            _ => None,
        }
    }

    fn part_of_day_after(&self, pos: usize) -> Option<usize> {
        let t = self.tok(pos)?;
        matches!(self.lex(t), Lex::PartOfDay { .. }).then_some(t.end)
    }

    /// "July 19", "July 19, 2023", "June 12 to 17", "June 28–July 3", "July 2023", "March last year",
    /// "from March to May", and a bare "March" after a cue such as "in".
    fn month_expr(&self, t: Token, month: u32, abbr: bool, prev: Option<Token>) -> Option<Part> {
        let (_, after) = self.month_at(t, true)?;
        let between = self.prep(prev) == Some(Prep::Between);
        let next = self.tok(after);
        if let Some(day) = next.and_then(|n| self.day_number(n)) {
            if day > days_in_month_max(month) {
                return None;
            }
            return Some(self.month_day(t.start, month, day, next?.end, between));
        }
        if let Some((year, end)) = self.year_after(after) {
            return Some(Part::point(
                t.start,
                end,
                When::Month {
                    year: YearRef::Explicit(year),
                    month,
                },
            ));
        }
        if abbr {
            return None;
        }
        if let Some((offset, end)) = self.relative_year_after(after) {
            return Some(Part::point(
                t.start,
                end,
                When::Month {
                    year: YearRef::Relative(offset),
                    month,
                },
            ));
        }
        if let Some(joiner) = next.filter(|n| self.is_range_joiner(*n, between)) {
            if let Some((month2, end)) = self.tok(joiner.end).and_then(|n| self.month_at(n, false))
            {
                let (year, end) = self.year_part(end);
                let start_year = match year {
                    YearRef::Explicit(y) if month > month2 => YearRef::Explicit(y - 1),
                    other => other,
                };
                return Some(Part::new(
                    t.start,
                    end,
                    What::Range(
                        When::Month {
                            year: start_year,
                            month,
                        },
                        When::Month {
                            year,
                            month: month2,
                        },
                    ),
                ));
            }
        }
        // "for much of July", "the rest of August"
        let cued = self
            .prep(prev)
            .is_some_and(|p| is_period_cue(p) || p == Prep::Of);
        cued.then(|| {
            Part::point(
                t.start,
                after,
                When::Month {
                    year: YearRef::Unknown,
                    month,
                },
            )
        })
    }

    /// The rest of a month-first date once its day is read: a range tail, then a year.
    fn month_day(&self, start: usize, month: u32, day: u32, after: usize, between: bool) -> Part {
        if let Some((month2, day2, end)) = self.day_range_tail(after, month, day, between, true) {
            return self.date_range(start, (month, day), (month2, day2), end);
        }
        let (year, end) = self.year_part(after);
        Part::point(start, end, When::Date { year, month, day })
    }

    /// After a first day: "-17", "to 17", "to July 3" (month first) or "to 3 July" (day first).
    fn day_range_tail(
        &self,
        pos: usize,
        month: u32,
        day: u32,
        between: bool,
        month_first: bool,
    ) -> Option<(u32, u32, usize)> {
        let joiner = self
            .tok(pos)
            .filter(|j| self.is_range_joiner(*j, between))?;
        let n = self.tok(joiner.end)?;
        if month_first {
            if let Some(day2) = self.day_number(n) {
                return (day2 > day && day2 <= days_in_month_max(month))
                    .then_some((month, day2, n.end));
            }
            let (month2, after) = self.month_at(n, true)?;
            let day2 = self.day_number(self.tok(after)?)?;
            let end = self.tok(after)?.end;
            (month2 != month && day2 <= days_in_month_max(month2)).then_some((month2, day2, end))
        } else {
            let day2 = self.day_number(n)?;
            let (month2, end) = self.month_at(self.tok(n.end)?, true)?;
            (month2 != month && day2 <= days_in_month_max(month2)).then_some((month2, day2, end))
        }
    }

    /// A range of two days of the year, with the year (if written) after the second.
    fn date_range(&self, start: usize, from: (u32, u32), to: (u32, u32), after: usize) -> Part {
        let (year, end) = self.year_part(after);
        let start_year = match year {
            YearRef::Explicit(y) if from > to => YearRef::Explicit(y - 1),
            YearRef::Relative(y) if from > to => YearRef::Relative(y - 1),
            other => other,
        };
        Part::new(
            start,
            end,
            What::Range(
                When::Date {
                    year: start_year,
                    month: from.0,
                    day: from.1,
                },
                When::Date {
                    year,
                    month: to.0,
                    day: to.1,
                },
            ),
        )
    }

    fn at_number(&self, t: Token, behind: &Lookback) -> Option<Part> {
        let (n, digits, ordinal) = self.number(t)?;
        if digits == 4 && !ordinal {
            if let Some(part) = self.year_first_date(t, n as i32) {
                return Some(part);
            }
            return self.year_expr(t, n as i32, behind);
        }
        if digits > 2 {
            return None;
        }
        if !ordinal {
            if let Some(part) = self.numeric_date(t, n) {
                return Some(part);
            }
        }
        self.day_month_expr(t, n, behind)
    }

    /// Digits glued by `sep` after `pos`: the next number token if it starts right at `pos + 1`.
    fn glued_number(&self, pos: usize, sep: u8) -> Option<Token> {
        if self.text.as_bytes().get(pos) != Some(&sep) {
            return None;
        }
        self.tok(pos + 1)
            .filter(|n| n.start == pos + 1 && n.kind == Kind::Number)
    }

    /// "2023-07-20", "2023/07/20".
    fn year_first_date(&self, t: Token, year: i32) -> Option<Part> {
        let sep = *self.text.as_bytes().get(t.end)?;
        if sep != b'-' && sep != b'/' {
            return None;
        }
        let m = self.glued_number(t.end, sep)?;
        let d = self.glued_number(m.end, sep)?;
        let (month, mdigits, _) = self.number(m)?;
        let (day, ddigits, dord) = self.number(d)?;
        // a time may follow an ISO date: "2023-07-20T06:27"
        let bytes = self.text.as_bytes();
        let with_time =
            bytes.get(d.end) == Some(&b'T') && bytes.get(d.end + 1).is_some_and(u8::is_ascii_digit);
        if mdigits > 2 || ddigits > 2 || dord || !(with_time || self.stands_alone(d)) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, day)?;
        let end = if with_time {
            let time_len = bytes[d.end + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit() || matches!(b, b':' | b'.'))
                .count();
            let zone = usize::from(bytes.get(d.end + 1 + time_len) == Some(&b'Z'));
            d.end + 1 + time_len + zone
        } else {
            d.end
        };
        Some(Part::point(
            t.start,
            end,
            When::Date {
                year: YearRef::Explicit(year),
                month,
                day,
            },
        ))
    }

    /// "20/07/2023", "07/20/2023", "20.07.2023", "20-07-2023": the order by plausibility of the numbers.
    fn numeric_date(&self, t: Token, first: u32) -> Option<Part> {
        let sep = *self.text.as_bytes().get(t.end)?;
        if !matches!(sep, b'/' | b'.' | b'-') {
            return None;
        }
        let second_tok = self.glued_number(t.end, sep)?;
        let year_tok = self.glued_number(second_tok.end, sep)?;
        let (second, digits2, ord2) = self.number(second_tok)?;
        let year = self.year_number(year_tok)?;
        if digits2 > 2 || ord2 {
            return None;
        }
        let valid = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).is_some();
        let (day_first_ok, month_first_ok) = (valid(second, first), valid(first, second));
        let (when, day_first) = match (day_first_ok, month_first_ok) {
            (true, false) => (dmy(year, second, first), Some(true)),
            (false, true) if sep != b'.' => (dmy(year, first, second), Some(false)),
            (true, true) if first == second || sep == b'.' => (dmy(year, second, first), None),
            (true, true) => (
                When::Numeric {
                    first,
                    second,
                    year,
                },
                None,
            ),
            _ => return None,
        };
        let mut part = Part::point(t.start, year_tok.end, when);
        part.day_first = day_first.filter(|_| sep != b'.');
        Some(part)
    }

    /// "9 January", "9 January 2023", "the 9th of January", "12-17 June", "28 June to 3 July 2023".
    fn day_month_expr(&self, t: Token, day: u32, behind: &Lookback) -> Option<Part> {
        if !self.stands_alone(t) {
            return None;
        }
        let mut next = self.tok(t.end)?;
        if self.is_word(next, "of") {
            next = self.tok(next.end)?;
        }
        let month = self.month_at(next, true);
        // most numbers are followed by neither a month nor a joiner, and need no look behind them
        if month.is_none() && !self.is_range_joiner(next, true) {
            return None;
        }
        let prev = behind.before(t.start);
        let the = prev.filter(|p| self.lex(*p) == Lex::Prep(Prep::The));
        let between =
            self.prep(the.map_or(prev, |p| behind.before(p.start))) == Some(Prep::Between);
        let start = the.map_or(t.start, |p| p.start);
        if let Some((month, after)) = month {
            if day > days_in_month_max(month) {
                return None;
            }
            if let Some((month2, day2, end)) =
                self.day_range_tail(after, month, day, between, false)
            {
                return Some(self.date_range(start, (month, day), (month2, day2), end));
            }
            let (year, end) = self.year_part(after);
            return Some(Part::point(start, end, When::Date { year, month, day }));
        }
        // "12-17 June", "12 to 17 June", "between 20 and 23 July"
        if !self.is_range_joiner(next, between) {
            return None;
        }
        let n2 = self.tok(next.end)?;
        let day2 = self.day_number(n2)?;
        let (month, after) = self.month_at(self.tok(n2.end)?, true)?;
        if day2 <= day || day2 > days_in_month_max(month) {
            return None;
        }
        Some(self.date_range(start, (month, day), (month, day2), after))
    }

    /// A bare four-digit year, unless it is part of a name ("Vostok-2022", "RIMPAC 2024") or a count.
    fn year_expr(&self, t: Token, year: i32, behind: &Lookback) -> Option<Part> {
        if !(1900..=2099).contains(&year) || !self.stands_alone(t) {
            return None;
        }
        let glued_before = self.text[..t.start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '_' | '.'));
        if glued_before {
            return None;
        }
        let prev = behind.before(t.start);
        let mut lower = [0u8; 13];
        if let Some(p) = prev.filter(|p| p.kind == Kind::Word) {
            let word = self.slice(p);
            match self.lex(p) {
                Lex::Prep(_) | Lex::Season(_) | Lex::Edge(_) | Lex::Month(_) => {}
                _ if word.as_bytes()[0].is_ascii_uppercase() => return None,
                _ => {
                    if lexicon::lowercase(word, &mut lower).is_some_and(lexicon::is_quantifier) {
                        return None;
                    }
                }
            }
        }
        if let Some(next) = self.tok(t.end).filter(|n| n.kind == Kind::Word) {
            if lexicon::lowercase(self.slice(next), &mut lower)
                .is_some_and(lexicon::is_counted_noun)
            {
                return None;
            }
        }
        let between = self.prep(prev) == Some(Prep::Between);
        if let Some(joiner) = self
            .tok(t.end)
            .filter(|j| self.is_range_joiner(*j, between))
        {
            if let Some(year2) = self.tok(joiner.end).and_then(|n| self.year_number(n)) {
                if year2 > year {
                    return Some(Part::new(
                        t.start,
                        self.tok(joiner.end)?.end,
                        What::Range(When::Year(year), When::Year(year2)),
                    ));
                }
            }
        }
        Some(Part::point(t.start, t.end, When::Year(year)))
    }

    /// "Sunday", "Sunday night", "Sunday, July 16", "from Thursday until Sunday".
    fn weekday_expr(&self, t: Token, weekday: Weekday, prev: Option<Token>) -> Option<Part> {
        let mut next = self.tok(t.end);
        if let Some(comma) = next.filter(|n| Self::symbol_is(*n, &[','])) {
            next = self.tok(comma.end);
        }
        if let Some(n) = next {
            let dated = match self.lex(n) {
                Lex::Month(m) | Lex::MonthAbbr(m) => self.month_expr(n, m, true, None),
                _ if n.kind == Kind::Number => self.number(n).and_then(|(d, digits, _)| {
                    (digits <= 2).then(|| self.day_month_expr(n, d, &Lookback::nothing()))?
                }),
                _ => None,
            };
            if let Some(mut part) =
                dated.filter(|p| matches!(p.what, What::Point(When::Date { .. })))
            {
                part.start = t.start;
                return Some(part);
            }
        }
        let between = self.prep(prev) == Some(Prep::Between);
        if let Some(joiner) = self
            .tok(t.end)
            .filter(|j| self.is_range_joiner(*j, between))
        {
            if let Some(w2) = self.tok(joiner.end) {
                if let Lex::Weekday(weekday2) = self.lex(w2) {
                    let end = self.part_of_day_after(w2.end).unwrap_or(w2.end);
                    return Some(Part::new(
                        t.start,
                        end,
                        What::Range(When::Weekday(weekday), When::Weekday(weekday2)),
                    ));
                }
            }
        }
        let end = self.part_of_day_after(t.end).unwrap_or(t.end);
        Some(Part::point(t.start, end, When::Weekday(weekday)))
    }

    /// "summer 2022", "the summer of 2022", "in the summer", "during winter".
    fn season_expr(&self, t: Token, season: Season, behind: &Lookback) -> Option<Part> {
        let prev = behind.before(t.start);
        let the = prev.filter(|p| self.lex(*p) == Lex::Prep(Prep::The));
        let start = the.map_or(t.start, |p| p.start);
        let (year, end) = self.year_part(t.end);
        if year != YearRef::Unknown {
            return Some(Part::point(start, end, When::Season { year, season }));
        }
        let cue = self.prep(the.map_or(prev, |p| behind.before(p.start)));
        cue.is_some_and(is_period_cue).then(|| {
            Part::point(
                start,
                t.end,
                When::Season {
                    year: YearRef::Unknown,
                    season,
                },
            )
        })
    }

    /// After "this", "last", "next", "past", "coming" (and "the" before them).
    fn shift_expr(&self, t: Token, shift: Shift, prev: Option<Token>) -> Option<Part> {
        let the = prev.filter(|p| self.lex(*p) == Lex::Prep(Prep::The));
        let mut shift = shift;
        let mut next = self.tok(t.end)?;
        if shift == Shift::This && self.lex(next) == Lex::Shift(Shift::Past) {
            shift = Shift::Past;
            next = self.tok(next.end)?;
        }
        // "the last week" is the stretch that ends now, like "the past week"
        let span_shift = matches!(shift, Shift::Past) || (the.is_some() && shift == Shift::Last);
        let ahead_shift = matches!(shift, Shift::Coming) || (the.is_some() && shift == Shift::Next);
        let span_start = if span_shift || ahead_shift {
            the.map_or(t.start, |p| p.start)
        } else {
            t.start
        };
        let offset = match shift {
            Shift::Last | Shift::Past => -1,
            Shift::Next | Shift::Coming => 1,
            Shift::This => 0,
        };
        let point_shift = match shift {
            Shift::Past => Shift::Last,
            Shift::Coming => Shift::Next,
            s => s,
        };
        match self.lex(next) {
            Lex::Unit(Unit::Weekend, false) => Some(Part::point(
                span_start,
                next.end,
                When::Weekend(Some(point_shift)),
            )),
            // "the last week of June" is June's last week, not a stretch that ends now
            Lex::Unit(..)
                if the.is_some()
                    && self
                        .tok(next.end)
                        .is_some_and(|o| self.lex(o) == Lex::Prep(Prep::Of)) =>
            {
                None
            }
            Lex::Unit(unit, false) if unit != Unit::Hour => {
                let what = if span_shift {
                    What::PastSpan { unit, count: 1 }
                } else if ahead_shift {
                    What::Vague
                } else {
                    What::Point(match unit {
                        Unit::Day => return None,
                        _ => When::UnitOffset { unit, offset },
                    })
                };
                Some(Part::new(span_start, next.end, what))
            }
            Lex::Unit(_, true) if span_shift || ahead_shift => {
                Some(Part::new(span_start, next.end, What::Vague))
            }
            Lex::Count(_) | Lex::Few | Lex::Other if span_shift || ahead_shift => {
                let count = match self.lex(next) {
                    Lex::Count(n) => Some(n),
                    Lex::Few => None,
                    _ => Some(self.number(next)?.0).filter(|n| *n > 0 && *n < 1000),
                };
                let unit_tok = self.tok(next.end)?;
                let Lex::Unit(unit, plural) = self.lex(unit_tok) else {
                    return None;
                };
                if unit == Unit::Weekend || plural != (count != Some(1)) {
                    return None;
                }
                let what = match count {
                    Some(count) if span_shift => What::PastSpan { unit, count },
                    _ => What::Vague,
                };
                Some(Part::new(span_start, unit_tok.end, what))
            }
            Lex::Weekday(w) if shift != Shift::Coming => {
                let end = self.part_of_day_after(next.end).unwrap_or(next.end);
                Some(Part::point(
                    t.start,
                    end,
                    When::ShiftedWeekday(w, point_shift),
                ))
            }
            Lex::Month(m) if matches!(shift, Shift::This | Shift::Last | Shift::Next) => {
                Some(Part::point(t.start, next.end, When::ShiftedMonth(m, shift)))
            }
            Lex::Season(s) if shift != Shift::Coming => Some(Part::point(
                t.start,
                next.end,
                When::ShiftedSeason(s, point_shift),
            )),
            Lex::Fall if matches!(shift, Shift::This | Shift::Last | Shift::Next) => {
                Some(Part::point(
                    t.start,
                    next.end,
                    When::ShiftedSeason(Season::Autumn, shift),
                ))
            }
            Lex::PartOfDay { night } => match shift {
                Shift::Last if night => Some(Part::point(t.start, next.end, When::DayOffset(-1))),
                Shift::This => Some(Part::point(t.start, next.end, When::DayOffset(0))),
                _ => None,
            },
            _ => None,
        }
    }

    /// "early July", "mid-2023", "late last year", "early next month", "late summer".
    fn edge_expr(&self, t: Token, modifier: Modifier, prev: Option<Token>) -> Option<Part> {
        let mut next = self.tok(t.end)?;
        if next.start == t.end && Self::symbol_is(next, &['-']) {
            next = self.tok(next.end)?;
        }
        let part = match self.lex(next) {
            Lex::Month(m) => {
                let (year, end) = self.year_part(next.end);
                Part::point(t.start, end, When::Month { year, month: m })
            }
            // "in late summer", but not "an early winter"
            Lex::Season(s) => {
                let (year, end) = self.year_part(next.end);
                if year == YearRef::Unknown && !self.prep(prev).is_some_and(is_period_cue) {
                    return None;
                }
                Part::point(t.start, end, When::Season { year, season: s })
            }
            Lex::Shift(Shift::This | Shift::Last | Shift::Next) => {
                let part = self.shift_expr(next, self.shift_of(next)?, None)?;
                match part.what {
                    What::Point(When::UnitOffset { .. } | When::ShiftedSeason(..)) => {
                        Part::new(t.start, part.end, part.what)
                    }
                    _ => return None,
                }
            }
            Lex::Weekday(w) => {
                let end = self.part_of_day_after(next.end).unwrap_or(next.end);
                return Some(Part::point(t.start, end, When::Weekday(w)));
            }
            _ => {
                let year = self.year_number(next)?;
                Part::point(t.start, next.end, When::Year(year))
            }
        };
        Some(part.with_modifier(Some(modifier)))
    }

    fn shift_of(&self, t: Token) -> Option<Shift> {
        match self.lex(t) {
            Lex::Shift(s) => Some(s),
            _ => None,
        }
    }

    /// "the end of July", "the beginning of next year", "the middle of the month", "the end of 2023".
    fn edge_noun_expr(&self, t: Token, modifier: Modifier, prev: Option<Token>) -> Option<Part> {
        let the = prev.filter(|p| self.lex(*p) == Lex::Prep(Prep::The))?;
        let of = self.tok(t.end).filter(|o| self.is_word(*o, "of"))?;
        let target = self.tok(of.end)?;
        let part = match self.lex(target) {
            Lex::Month(m) => {
                let (year, end) = self.year_part(target.end);
                Part::point(the.start, end, When::Month { year, month: m })
            }
            Lex::Season(s) => {
                let (year, end) = self.year_part(target.end);
                Part::point(the.start, end, When::Season { year, season: s })
            }
            Lex::Shift(shift @ (Shift::This | Shift::Last | Shift::Next)) => {
                let part = self.shift_expr(target, shift, None)?;
                if !matches!(part.what, What::Point(When::UnitOffset { .. })) {
                    return None;
                }
                Part::new(the.start, part.end, part.what)
            }
            Lex::Prep(Prep::The) => {
                let unit = self.tok(target.end)?;
                match self.lex(unit) {
                    Lex::Unit(u @ (Unit::Week | Unit::Month | Unit::Year), false) => {
                        Part::point(the.start, unit.end, When::UnitOffset { unit: u, offset: 0 })
                    }
                    _ => return None,
                }
            }
            _ => {
                let year = self.year_number(target)?;
                Part::point(the.start, target.end, When::Year(year))
            }
        };
        Some(part.with_modifier(Some(modifier)))
    }

    /// "earlier this month", "later this week", "earlier today", "earlier in the year", "later in July".
    fn around_expr(&self, t: Token) -> Option<Part> {
        let next = self.tok(t.end)?;
        match self.lex(next) {
            Lex::Shift(shift @ (Shift::This | Shift::Last | Shift::Next)) => {
                let part = self.shift_expr(next, shift, None)?;
                match part.what {
                    What::Point(
                        When::UnitOffset { .. } | When::Weekend(_) | When::ShiftedSeason(..),
                    ) => Some(Part::new(t.start, part.end, part.what)),
                    _ => None,
                }
            }
            Lex::DayWord(0) => Some(Part::point(t.start, next.end, When::DayOffset(0))),
            Lex::Prep(Prep::In) => {
                let target = self.tok(next.end)?;
                if let Some((month, end)) = self.month_at(target, false) {
                    let (year, end) = self.year_part(end);
                    return Some(Part::point(t.start, end, When::Month { year, month }));
                }
                if self.lex(target) != Lex::Prep(Prep::The) {
                    return None;
                }
                let unit = self.tok(target.end)?;
                match self.lex(unit) {
                    Lex::Unit(u @ (Unit::Week | Unit::Month | Unit::Year), false) => Some(
                        Part::point(t.start, unit.end, When::UnitOffset { unit: u, offset: 0 }),
                    ),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A unit word reached directly: "the weekend", "two weeks ago", "in three days", "days ago".
    fn unit_expr(&self, t: Token, unit: Unit, plural: bool, behind: &Lookback) -> Option<Part> {
        let prev = behind.before(t.start)?;
        if unit == Unit::Weekend {
            return (self.lex(prev) == Lex::Prep(Prep::The))
                .then(|| Part::point(prev.start, t.end, When::Weekend(None)));
        }
        let count = match self.lex(prev) {
            Lex::Count(n) => Some(n),
            Lex::Few => None,
            _ => Some(self.number(prev).filter(|n| n.1 <= 3 && !n.2)?.0),
        };
        if plural != (count != Some(1)) || unit == Unit::Hour {
            return None;
        }
        let next = self.tok(t.end);
        if let Some(ago) = next.filter(|n| self.lex(*n) == Lex::Ago) {
            let what = match count {
                Some(n) => What::Point(When::UnitOffset {
                    unit,
                    offset: -(n as i32),
                }),
                None => What::Vague,
            };
            return Some(Part::new(prev.start, ago.end, what));
        }
        let in_before = self.prep(behind.before(prev.start)) == Some(Prep::In);
        let count = count.filter(|_| in_before)?;
        // "in two weeks' time"
        let mut end = t.end;
        if let Some(apostrophe) = next.filter(|n| Self::symbol_is(*n, &['\'', '’'])) {
            if let Some(time) = self
                .tok(apostrophe.end)
                .filter(|w| self.is_word(*w, "time"))
            {
                end = time.end;
            }
        }
        Some(Part::new(prev.start, end, What::Ahead { unit, count }))
    }
}

fn dmy(year: i32, month: u32, day: u32) -> When {
    When::Date {
        year: YearRef::Explicit(year),
        month,
        day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, What)> {
        let mut out = Vec::new();
        scan(text, &mut out);
        out.into_iter()
            .map(|f| (&text[f.start..f.end], f.what))
            .collect()
    }

    fn date(year: YearRef, month: u32, day: u32) -> When {
        When::Date { year, month, day }
    }

    #[test]
    fn tokens_keep_ordinals_and_split_symbols() {
        let text = "On 9th,\u{a0}x—2023";
        let mut pos = 0;
        let mut kinds = Vec::new();
        while let Some(t) = token_at(text, pos) {
            kinds.push((&text[t.start..t.end], t.kind));
            pos = t.end;
        }
        assert_eq!(
            kinds,
            [
                ("On", Kind::Word),
                ("9th", Kind::Number),
                (",", Kind::Symbol(',')),
                ("x", Kind::Word),
                ("—", Kind::Symbol('—')),
                ("2023", Kind::Number)
            ]
        );
    }

    #[test]
    fn month_day_ranges_share_month_and_year() {
        assert_eq!(
            found("drills from June 12 to 17, 2023 and May 16-20"),
            [
                (
                    "June 12 to 17, 2023",
                    What::Range(
                        date(YearRef::Explicit(2023), 6, 12),
                        date(YearRef::Explicit(2023), 6, 17)
                    )
                ),
                (
                    "May 16-20",
                    What::Range(date(YearRef::Unknown, 5, 16), date(YearRef::Unknown, 5, 20))
                )
            ]
        );
        assert_eq!(
            found("from 28 December to 3 January 2024")[0].1,
            What::Range(
                date(YearRef::Explicit(2023), 12, 28),
                date(YearRef::Explicit(2024), 1, 3)
            )
        );
    }

    #[test]
    fn and_joins_a_range_only_after_between() {
        assert_eq!(found("between July 20 and 23")[0].0, "July 20 and 23");
        assert_eq!(found("on July 20 and 23 ships")[0].0, "July 20");
    }

    #[test]
    fn bare_months_need_a_cue() {
        assert_eq!(found("Theresa May said"), []);
        assert_eq!(found("in May the ships").len(), 1);
        assert_eq!(found("March 2022 was cold")[0].0, "March 2022");
    }

    #[test]
    fn years_in_names_and_counts_are_not_dates() {
        assert_eq!(
            found("Vostok-2022, RIMPAC 2024, some 2000 sailors, 2000 troops"),
            []
        );
        assert_eq!(
            found("since 2019 and in 2021-2023")
                .into_iter()
                .map(|f| f.0)
                .collect::<Vec<_>>(),
            ["2019", "2021-2023"]
        );
    }

    #[test]
    fn numeric_dates_know_their_order_when_a_number_is_over_twelve() {
        let mut out = Vec::new();
        scan("20/07/2023 and 07/20/2023 and 05/06/2023", &mut out);
        assert_eq!(
            out[0].what,
            What::Point(date(YearRef::Explicit(2023), 7, 20))
        );
        assert_eq!(out[0].day_first, Some(true));
        assert_eq!(
            out[1].what,
            What::Point(date(YearRef::Explicit(2023), 7, 20))
        );
        assert_eq!(out[1].day_first, Some(false));
        assert_eq!(
            out[2].what,
            What::Point(When::Numeric {
                first: 5,
                second: 6,
                year: 2023
            })
        );
    }

    #[test]
    fn spans_take_the_article_where_it_belongs() {
        let got: Vec<_> = found("over the past week, at the end of July, during the summer")
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(got, ["the past week", "the end of July", "the summer"]);
    }

    #[test]
    fn sentences_are_read_into_the_tokens_token_at_reads() {
        let long_word = "x".repeat(70);
        let spaces = " ".repeat(130);
        let texts = [
            "On 9th July, the ÉCOLE sailed 12km\u{a0}north — Ωmega-7 at 06:00Z; {[`@/:]} "
                .repeat(4),
            format!("a {long_word} b{spaces}c\t\n\x0b\x0cd 2nd 3rdly 44th, 1st\u{2003}é"),
            format!("{spaces}The drills ended on Sunday\u{a0}\u{a0}{long_word}é{long_word}"),
            "naïve café — straße 5th. ".repeat(5),
        ];
        for text in &texts {
            let bytes = text.as_bytes();
            for bound in (0..=text.len() + 1).step_by(7).chain([usize::MAX]) {
                for from in (0..text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .step_by(5)
                {
                    let mut expected = Vec::new();
                    let mut pos = from;
                    while let Some(t) = token_at(text, pos).filter(|t| t.start < bound) {
                        expected.push(t);
                        pos = t.end;
                    }
                    // the reading stops before the first token at or past the bound, having passed
                    // over the ASCII spaces before it, and the other spaces before the bound
                    loop {
                        while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
                            pos += 1;
                        }
                        match wide_space(text, pos) {
                            len if len > 0 && pos < bound => pos += len,
                            _ => break,
                        }
                    }
                    let mut got = Vec::new();
                    let end = take_tokens(text, from, bound, &mut got, true);
                    assert_eq!(got, expected, "{text:?} from {from} to {bound}");
                    assert_eq!(end, pos, "{text:?} from {from} to {bound}");
                    let mut none = Vec::new();
                    assert_eq!(take_tokens(text, from, bound, &mut none, false), pos);
                    assert!(none.is_empty());
                }
            }
        }
    }

    #[test]
    fn tokens_read_back_are_those_read_forwards() {
        // a number turned away leaves the chain's place behind it, so the tokens before a later
        // candidate are read back over numbers, ordinals and glued digits as well as words
        let texts = [
            "On 9th July, 1,500 sailors and 25 ships left 12km\u{a0}north — Ωmega-7 at 06:00Z; 44thx 3rd"
                .to_string(),
            format!("naïve 19th café 2023/07 — straße 5th. {}", "7 ".repeat(5)),
            "between 20 and 23 July, 300 days 1.5 3rdly é12 x2nd".to_string(),
        ];
        let mut compared = 0;
        for text in &texts {
            let starts: Vec<usize> = (0..text.len())
                .filter(|&i| text.is_char_boundary(i))
                .filter(|&i| token_at(text, i).is_some_and(|t| t.start == i))
                .collect();
            for &floor in &starts {
                let mut chain = Vec::new();
                let mut pos = floor;
                while let Some(t) = token_at(text, pos) {
                    chain.push(t);
                    pos = t.end;
                }
                let reading = Reading {
                    text,
                    known: floor,
                    behind: Behind::default(),
                };
                for (i, t) in chain.iter().enumerate() {
                    let expected = [
                        i.checked_sub(1).map(|j| chain[j]),
                        i.checked_sub(2).map(|j| chain[j]),
                    ];
                    let got = reading.behind_at(t.start).tokens;
                    assert_eq!(got, expected, "{text:?} from {floor} at {}", t.start);
                    compared += 1;
                }
            }
        }
        assert!(compared > 1000, "only {compared} compared");
    }

    #[test]
    fn numbers_are_valued_as_parsed() {
        let text = "0 7 19th 300 2023 0042 12345 1st";
        let scanner = Scanner { text };
        let mut pos = 0;
        let mut seen = 0;
        while let Some(t) = token_at(text, pos) {
            let s = scanner.slice(t);
            let digits = s.bytes().take_while(u8::is_ascii_digit).count();
            let expected =
                (digits <= 4).then(|| (s[..digits].parse().unwrap(), digits, digits < s.len()));
            assert_eq!(scanner.number(t), expected, "{s}");
            seen += 1;
            pos = t.end;
        }
        assert_eq!(seen, 8);
    }

    /// The first candidate at or after `from` as [`Candidates::next`] defines it, byte by byte: the
    /// start of a digit run, or of a run of three or more ASCII letters that the lexicon's filters
    /// let through, a run counting as starting at `from` when `from` is inside it.
    fn candidate_by_bytes(bytes: &[u8], from: usize) -> Option<usize> {
        let run_start = |at: usize, same: fn(&u8) -> bool| at == from || !same(&bytes[at - 1]);
        (from..bytes.len()).find(|&at| {
            if bytes[at].is_ascii_digit() {
                return run_start(at, u8::is_ascii_digit);
            }
            if !bytes[at].is_ascii_alphabetic() || !run_start(at, u8::is_ascii_alphabetic) {
                return false;
            }
            let len = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
            let (first, last) = (bytes[at], bytes[at + len - 1]);
            len >= 3
                && lexicon::may_end(bytes[at + len - 2], last)
                && lexicon::may_start(len, first, last)
        })
    }

    #[test]
    fn candidates_are_those_found_byte_by_byte() {
        let texts = [
            "On 9th July, the ÉCOLE sailed 12km north — Ωmega-7 at 06:00Z; last week, in May 2023 "
                .repeat(5),
            format!("{}July{}monday 2023", "x".repeat(61), " ".repeat(59)),
            format!("{}yesterday", "ab1".repeat(40)),
            "Sundays2023Junexx99Novemberé12 Dec".repeat(4),
        ];
        let mut found = 0;
        for text in &texts {
            let bytes = text.as_bytes();
            for step in [1, 2, 5, 13] {
                let mut candidates = Candidates::new(bytes);
                let mut from = 0;
                loop {
                    let got = candidates.next(from);
                    assert_eq!(got, candidate_by_bytes(bytes, from), "{text:?} from {from}");
                    let Some(at) = got else { break };
                    found += 1;
                    from = at + step;
                }
            }
        }
        assert!(found > 200, "only {found} candidates");
    }

    #[test]
    fn blocks_sort_every_byte_as_one_at_a_time() {
        // every byte value at every place of a block, and blocks cut from mixed text
        let mut blocks: Vec<[u8; BLOCK]> = (0..=255u8)
            .map(|b| std::array::from_fn(|i| b.wrapping_add(i as u8)))
            .collect();
        let text = "On 9th July, the ÉCOLE sailed 12km\u{a0}north — Ωmega-7 at 06:00Z; {[`@/:]} "
            .repeat(3);
        blocks.extend(
            text.as_bytes()
                .windows(BLOCK)
                .map(|w| <[u8; BLOCK]>::try_from(w).unwrap()),
        );
        for block in &blocks {
            let bits = |keep: fn(&u8) -> bool| {
                (0..BLOCK)
                    .filter(|&i| keep(&block[i]))
                    .fold(0u64, |bits, i| bits | 1 << i)
            };
            let expected = AsciiClasses {
                letters: bits(u8::is_ascii_alphabetic),
                digits: bits(u8::is_ascii_digit),
                non_ascii: bits(|b| *b >= 0x80),
            };
            assert_eq!(ascii_classes(block), expected, "{block:?}");
            assert_eq!(ascii_classes_in_lanes(block), expected, "{block:?}");
        }
    }
}
