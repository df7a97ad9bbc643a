//! Recognition: finding the stretches of text that name a place (*toponyms*) or a nation (*demonyms*),
//! before deciding which place each one means.
//!
//! The gazetteer drives it: the text is cut into words, each word is folded, and at every word the
//! longest run of words that the gazetteer knows as a name is taken. Rules a careful reader applies then
//! throw out what only looks like a place: lower-case common words, capitalised words that start
//! sentences or titles ("Before", "May"), and names inside the names of outlets, ships and organisations
//! ("Moscow Times", "Global Times").

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

use rustc_hash::FxHashSet;

use crate::gazetteer::{fold, Gazetteer, NameFacts, NameKey, PopulationBand};
use crate::text::{ascii_classes, AsciiClasses};

/// A word of the text: its byte range and how it was written. Its folded form is kept by [`Words`].
#[derive(Debug, Clone, Copy)]
///
/// Offsets are kept as `u32` (ingest refuses longer texts: [`crate::ingest::MAX_TEXT_BYTES`]): a text has a word every few bytes,
/// and the list of them written at half the width is read and written at half the cost.
pub struct Word {
    start: u32,
    end: u32,
    pub capitalised: bool,
    /// Where its folded form lies in [`Words::folded`].
    folded_start: u32,
    folded_end: u32,
}

impl Word {
    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// Folded where it is written (ASCII), so that its folded form lies at its own offsets.
    fn folded_in_place(&self) -> bool {
        self.folded_start == self.start
    }
}

/// The words of a text and their folded forms. A document has thousands of words and recognition
/// looks up runs of them; a string built for each word or each look-up made allocation and copying
/// the largest cost of recognition. So the folded forms live in one copy of the text in lower case:
/// an ASCII word is folded in place there (folding ASCII is lowering it), and the few others are
/// folded onto its end. The folded run of words written with single spaces is then one slice.
pub struct Words {
    folded: String,
    list: Vec<Word>,
    /// The words a name may start at (capitalised, or right after `#`), in order: most words of news
    /// text are lower case, and recognition steps from one of these to the next.
    name_starts: Vec<u32>,
    /// Whether the text has a `#` at all: most have none, and then no word is a hashtag.
    has_hashtags: bool,
}

impl std::ops::Deref for Words {
    type Target = [Word];
    fn deref(&self) -> &[Word] {
        &self.list
    }
}

impl Words {
    /// The folded form of word `i`.
    pub fn folded(&self, i: usize) -> &str {
        let w = &self.list[i];
        &self.folded[w.folded_start as usize..w.folded_end as usize]
    }

    /// The folded forms of words `first..=last`, joined by single spaces.
    // inlined for the one-word run, the most asked by far
    #[inline(always)]
    pub fn folded_run(&self, first: usize, last: usize) -> Cow<'_, str> {
        if first == last {
            Cow::Borrowed(self.folded(first))
        } else {
            self.folded_longer_run(first, last)
        }
    }

    fn folded_longer_run(&self, first: usize, last: usize) -> Cow<'_, str> {
        // words folded in place with one space between them are one slice of the folded text
        if (first + 1..=last).all(|j| self.joined_in_place(j)) {
            Cow::Borrowed(
                &self.folded
                    [self.list[first].folded_start as usize..self.list[last].folded_end as usize],
            )
        } else {
            Cow::Owned(
                (first..=last)
                    .map(|i| self.folded(i))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
    }

    /// [`Words::folded_run`] for a run growing by a word at a time, as the scanners read them:
    /// `joined` carries whether `first..=last - 1` was one slice of the folded text (start with
    /// `true`), so that only the newest word is checked rather than the whole run again. A run that
    /// is not one slice ("russia's" is "russia s") is written into `scratch`, not a new string.
    fn folded_run_grown<'a>(
        &'a self,
        first: usize,
        last: usize,
        joined: &mut bool,
        scratch: &'a mut String,
    ) -> &'a str {
        if first == last {
            return self.folded(first);
        }
        *joined = *joined && self.joined_in_place(last);
        if *joined {
            return &self.folded
                [self.list[first].folded_start as usize..self.list[last].folded_end as usize];
        }
        scratch.clear();
        for i in first..=last {
            if i > first {
                scratch.push(' ');
            }
            scratch.push_str(self.folded(i));
        }
        scratch
    }

    /// Word `j` and the one before it are folded in place with one space between them, so that a
    /// run holding both can be one slice of the folded text.
    fn joined_in_place(&self, j: usize) -> bool {
        let (a, b) = (&self.list[j - 1], &self.list[j]);
        a.folded_in_place()
            && b.folded_in_place()
            && a.end + 1 == b.start
            && self.folded.as_bytes()[a.end()] == b' '
    }

    /// The folded form of the word after `i`, if any.
    pub fn folded_after(&self, i: usize) -> Option<&str> {
        (i + 1 < self.list.len()).then(|| self.folded(i + 1))
    }
}

/// A candidate stretch of text before resolution.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// Byte range and the folded name the gazetteer knows it by.
    Toponym {
        span: Range<usize>,
        folded: String,
        first_word: usize,
        last_word: usize,
    },
    Demonym {
        span: Range<usize>,
        country: String,
    },
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// The words of a text: runs of letters, digits and combining marks.
///
/// Most text is ASCII, and most of its blocks of 64 bytes are all ASCII: there a word starts or ends
/// wherever a byte's word-or-not bit differs from the byte's before, so one shift and one exclusive-or
/// give every edge of the block, taken in order by counting trailing zeros. The rest of a block with
/// bytes outside ASCII is read a character at a time.
pub fn words(text: &str) -> Words {
    assert!(
        text.len() <= crate::ingest::MAX_TEXT_BYTES,
        "ingest refuses texts this long"
    );
    let bytes = text.as_bytes();
    let mut words = Words {
        // news text has a word every 5.4 to 7 bytes: room for all of them at once, as growing the
        // list copies it
        list: Vec::with_capacity(text.len() / 5 + 8),
        name_starts: Vec::with_capacity(text.len() / 32),
        folded: text.to_ascii_lowercase(),
        has_hashtags: memchr::memchr(b'#', bytes).is_some(),
    };
    // the word being read, if any: where it starts and whether it is ASCII so far
    let mut open: Option<(usize, bool)> = None;
    let mut i = 0;
    while i < bytes.len() {
        let base = i & !63;
        let classes = block_classes(bytes, base);
        let from_i = !0u64 << (i - base);
        if classes.non_ascii & from_i == 0 {
            let word_bits = (classes.letters | classes.digits) & from_i;
            // bit k: byte k - 1 is a word byte, and for the first byte read, a word is open
            let before = (word_bits << 1) | (u64::from(open.is_some()) << (i - base));
            let mut edges = (word_bits ^ before) & from_i;
            while edges != 0 {
                let at = base + edges.trailing_zeros() as usize;
                edges &= edges - 1;
                match open.take() {
                    None => open = Some((at, true)),
                    Some((start, ascii)) => words.push(text, start, at, ascii),
                }
            }
            // the padding past a short last block is not word bytes, so a word open here goes on
            // into the next block
            i = base + 64;
        } else {
            let block_end = (base + 64).min(bytes.len());
            while i < block_end {
                let (len, word_char) = char_at(text, i);
                match (word_char, open) {
                    (true, None) => open = Some((i, len == 1)),
                    (true, Some((start, _))) if len > 1 => open = Some((start, false)),
                    (false, Some((start, ascii))) => {
                        words.push(text, start, i, ascii);
                        open = None;
                    }
                    _ => {}
                }
                // a character may run past the block: the next block is then read from after it
                i += len;
            }
        }
    }
    if let Some((start, ascii)) = open {
        words.push(text, start, bytes.len(), ascii);
    }
    words
}

impl Words {
    /// Adds the word `text[start..end]`, folding it onto the end of the folded text unless it is ASCII.
    // inlined: it runs for every word of every text, and most words take the short ASCII path. That
    // path builds its word where it is pushed: a word that could come from either path was put
    // together on the stack a field at a time and read back whole, and the read waited for the
    // writes to reach the cache (a failed store-to-load forward), which was most of the time spent
    // cutting a text into words.
    #[inline(always)]
    fn push(&mut self, text: &str, start: usize, end: usize, ascii: bool) {
        if !ascii {
            return self.push_folded_onto_end(text, start, end);
        }
        let capitalised = text.as_bytes()[start].is_ascii_uppercase();
        self.push_word(text, start..end, capitalised, start..end);
    }

    /// Adds the word `text[start..end]` with its folded form added to the folded text's end.
    #[cold]
    fn push_folded_onto_end(&mut self, text: &str, start: usize, end: usize) {
        let raw = &text[start..end];
        let folded_start = self.folded.len();
        self.folded.push_str(&fold(raw));
        let first = raw.chars().next().unwrap();
        // Scripts without case (Chinese, Japanese) count as capitalised: a name is a name.
        let capitalised = first.is_uppercase() || (first.is_alphabetic() && !first.is_lowercase());
        self.push_word(
            text,
            start..end,
            capitalised,
            folded_start..self.folded.len(),
        );
    }

    /// Adds the word at `span` of the text, its folded form at `folded` of the folded text, noting
    /// it as one a name may start at when it is capitalised or a hashtag.
    #[inline(always)]
    fn push_word(
        &mut self,
        text: &str,
        span: Range<usize>,
        capitalised: bool,
        folded: Range<usize>,
    ) {
        let hashtag =
            self.has_hashtags && span.start > 0 && text.as_bytes()[span.start - 1] == b'#';
        if capitalised || hashtag {
            self.name_starts.push(self.list.len() as u32);
        }
        self.list.push(Word {
            start: span.start as u32,
            end: span.end as u32,
            capitalised,
            folded_start: folded.start as u32,
            folded_end: folded.end as u32,
        });
    }
}

/// The classes of the 64 bytes from `base`, a multiple of 64; past the text's end, bytes of no class.
fn block_classes(bytes: &[u8], base: usize) -> AsciiClasses {
    match bytes.get(base..base + 64) {
        Some(full) => ascii_classes(full.try_into().unwrap()),
        None => {
            let mut padded = [0u8; 64];
            padded[..bytes.len() - base].copy_from_slice(&bytes[base..]);
            ascii_classes(&padded)
        }
    }
}

/// The byte length of the character at `i` and whether it belongs to a word.
fn char_at(text: &str, i: usize) -> (usize, bool) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        (1, b.is_ascii_alphanumeric())
    } else {
        let c = text[i..].chars().next().unwrap();
        (c.len_utf8(), is_word_char(c))
    }
}

/// Small words allowed in lower case inside a multi-word name ("Sea of Japan", "Rio de Janeiro").
const CONNECTORS: &[&str] = &[
    "of", "the", "de", "del", "da", "do", "dos", "das", "di", "la", "le", "les", "el", "al", "an",
    "and", "y", "e", "upon", "on", "sur", "am", "im", "bin",
];

/// Capitalised common words that GeoNames also lists as towns; taken as places only as part of a longer
/// name. Sentence starts, titles, days and months are the usual culprits.
const COMMON_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "against",
    "all",
    "along",
    "also",
    "although",
    "among",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "before",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "chief",
    "city",
    "coast",
    "commander",
    "could",
    "days",
    "defense",
    "defence",
    "during",
    "each",
    "earlier",
    "east",
    "eastern",
    "even",
    "every",
    "few",
    "for",
    "from",
    "general",
    "had",
    "has",
    "have",
    "he",
    "her",
    "his",
    "however",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "last",
    "later",
    "leave",
    "like",
    "many",
    "minister",
    "ministry",
    "more",
    "most",
    "much",
    "navy",
    "new",
    "news",
    "next",
    "no",
    "north",
    "northern",
    "not",
    "of",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "over",
    "page",
    "police",
    "port",
    "president",
    "prime",
    "reading",
    "said",
    "same",
    "she",
    "since",
    "so",
    "some",
    "south",
    "southern",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "to",
    "today",
    "under",
    "union",
    "until",
    "up",
    "us",
    "very",
    "was",
    "we",
    "west",
    "western",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "will",
    "with",
    "would",
    "yet",
    "you",
    "center",
    "centre",
    "mobile",
    "nice",
    "split",
    "bath",
    "hope",
    "liberty",
    "independence",
    "unity",
    "victory",
    "friendship",
    "progress",
    "commerce",
    "paradise",
    "comment",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "sea",
    "ocean",
    "strait",
    "bay",
    "gulf",
    "island",
    "islands",
    "river",
    "lake",
    "mount",
    "cape",
    "fleet",
    "army",
    "air",
    "force",
    "forces",
    "exercise",
    "exercises",
    "drills",
    "joint",
    "copyright",
    "photo",
    "file",
    "editing",
    "reporting",
    "by",
    "via",
    "dubbed",
    "according",
    "mr",
    "mrs",
    "dr",
    "admiral",
    "captain",
    "colonel",
    "sir",
    "lord",
    "lady",
    "saint",
    "st",
    "university",
    "college",
    "school",
    "hospital",
    "church",
    "street",
    "road",
    "avenue",
    "square",
    "station",
    "airport",
    "christmas",
    "easter",
    "olympic",
    "olympics",
    "christian",
    "catholic",
    "muslim",
    "jewish",
    "islamic",
    "ramadan",
    "halloween",
    "thanksgiving",
    "internet",
    "twitter",
    "facebook",
    "google",
    "ms",
    "sen",
    "rep",
    "rev",
    "gov",
    "nov",
    "oct",
    "sept",
    "dec",
    "jan",
    "feb",
    "aug",
    "apr",
    "jun",
    "jul",
    "vice",
    "federal",
    "congress",
    "senate",
    "parliament",
    "council",
    "court",
    "media",
];

/// Words that cannot follow a place name inside a person's or organisation's name; after a small town
/// name, a following capitalised word that is none of these means the town is part of a longer name.
const PLACE_HEADS: &[&str] = &[
    "province",
    "prefecture",
    "region",
    "county",
    "district",
    "city",
    "port",
    "harbour",
    "harbor",
    "bay",
    "strait",
    "sea",
    "island",
    "islands",
    "peninsula",
    "coast",
    "oblast",
    "krai",
    "state",
    "republic",
];

/// Words before a name that make it a person ("President Vladimir Putin", "Admiral Nikolai Yevmenov").
const PERSON_TITLES: &[&str] = &[
    "president",
    "premier",
    "chancellor",
    "minister",
    "admiral",
    "general",
    "captain",
    "commander",
    "chief",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "lord",
    "lady",
    "senator",
    "governor",
    "mayor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "secretary",
    "ambassador",
    "envoy",
    "lieutenant",
    "colonel",
    "sergeant",
    "professor",
    "by",
];

/// [`COMMON_WORDS`] as a set, built once.
fn common_words() -> &'static FxHashSet<&'static str> {
    static SET: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| COMMON_WORDS.iter().copied().collect())
}

/// [`PERSON_TITLES`] as a set, built once: asked before every name found.
fn person_titles() -> &'static FxHashSet<&'static str> {
    static SET: std::sync::OnceLock<FxHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| PERSON_TITLES.iter().copied().collect())
}

/// Find toponyms and demonyms in a text.
pub fn find(gazetteer: &Gazetteer, text: &str, words: &Words) -> Vec<Found> {
    let out = find_candidates(gazetteer, text, words);
    drop_people(gazetteer, text, words, out)
}

fn find_candidates(gazetteer: &Gazetteer, text: &str, words: &Words) -> Vec<Found> {
    let common = common_words();
    let mut out = Vec::new();
    let max_words = gazetteer.longest_name_words().max(3);
    // one buffer for the look-up keys of hashtags
    let mut key = String::new();
    // the first word not yet passed over; every word before the next name start is lower case and
    // not a hashtag, so nothing starts there
    let mut i = 0;
    // Capitalised plural heads ("Seas") are rare, and a shared-head phrase needs one at its start
    // or within SHARED_HEAD_REACH words after it: the phrase is looked for only there.
    let heads: Vec<usize> = words
        .name_starts
        .iter()
        .map(|&s| s as usize)
        .filter(|&s| words[s].capitalised && plural_head(words.folded(s)).is_some())
        .collect();
    let mut heads_ahead = heads.as_slice();
    // Every name start's word is asked of the memo below, and the memo is larger than a core's
    // cache: waiting for its sets one at a time was a third of the time spent here. Asked for all at
    // once first, they come in side by side.
    for &start in &words.name_starts {
        gazetteer.prefetch_name_facts(words.folded(start as usize));
    }
    for &start in &words.name_starts {
        if (start as usize) < i {
            continue;
        }
        i = start as usize;
        let hashtag = words
            .has_hashtags
            .then(|| hashtag_at(gazetteer, text, words, i, &mut key))
            .flatten();
        if let Some(found) = hashtag {
            out.push(found);
            i += 1;
            continue;
        }
        // Every toponym and demonym taken starts with a capitalised word.
        if !words[i].capitalised {
            i += 1;
            continue;
        }
        while heads_ahead.first().is_some_and(|&h| h < i) {
            heads_ahead = &heads_ahead[1..];
        }
        let head_near = heads_ahead
            .first()
            .is_some_and(|&h| h <= i + SHARED_HEAD_REACH);
        if head_near {
            if let Some((found, next)) = shared_head_at(gazetteer, text, words, i) {
                out.extend(found);
                i = next;
                continue;
            }
        }
        let NamesAt {
            name_end,
            blocked,
            demonym_end,
            first_word,
        } = names_at(gazetteer, text, words, i, max_words);
        if let Some(end) = blocked {
            // an outlet or ship name ("Moscow Times"): nothing inside it is a place
            i = end + 1;
            continue;
        }
        // A country named like its demonym ("New Zealand", "Myanmar") is the country.
        let country_name = name_end
            .zip(demonym_end.as_ref())
            .is_some_and(|((n, name), (d, _))| {
                n == *d
                    && name
                        .first_sense()
                        .is_some_and(|s| s.kind == crate::story::PlaceKind::Country)
            });
        match (name_end, demonym_end) {
            (_, Some((end, country)))
                if name_end.is_none_or(|(n, _)| n <= end) && !country_name =>
            {
                if words[i].capitalised {
                    out.push(Found::Demonym {
                        span: words[i].start()..words[end].end(),
                        country: country.to_string(),
                    });
                }
                i = end + 1;
            }
            (Some((end, name)), _)
                if looks_like_place(gazetteer, text, words, (i, end), first_word, common)
                    && (!name.abbreviation() || after_city_comma(text, words, i)) =>
            {
                let folded = words.folded_run(i, end).to_string();
                out.push(Found::Toponym {
                    span: words[i].start()..words[end].end(),
                    folded,
                    first_word: i,
                    last_word: end,
                });
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Plural head words that several names can share ("the Seas of Japan and East China"), with their
/// singular.
const SHARED_HEADS: &[(&str, &str)] = &[
    ("seas", "sea"),
    ("straits", "strait"),
    ("gulfs", "gulf"),
    ("bays", "bay"),
    ("oceans", "ocean"),
    ("rivers", "river"),
    ("provinces", "province"),
];

/// The singular of a folded plural head word ("seas" -> "sea").
fn plural_head(folded: &str) -> Option<&'static str> {
    // every head is a plural in -s: most words are passed over at once
    folded.ends_with('s').then_some(())?;
    SHARED_HEADS
        .iter()
        .find(|(plural, _)| *plural == folded)
        .map(|&(_, singular)| singular)
}

/// How far after its first word a head-last phrase can put its head: three [`conjuncts`] of at most
/// three words each, joined by "and" ("A B C and D E F and G H I Seas").
const SHARED_HEAD_REACH: usize = 11;

/// Names sharing one plural head: "the Seas of Japan and East China" (head first) or "the East China
/// and South China Seas" (head last) name two seas. Each part becomes a toponym under its full name
/// when the gazetteer knows it as "Sea of X" or "X Sea"; returns them and the word after the phrase.
fn shared_head_at(
    gazetteer: &Gazetteer,
    text: &str,
    words: &Words,
    i: usize,
) -> Option<(Vec<Found>, usize)> {
    let head_of = |w: usize| plural_head(words.folded(w));
    // head first: "Seas of A and B"
    if let Some(singular) = head_of(i) {
        if words.folded_after(i) == Some("of") {
            let parts = conjuncts(text, words, i + 2);
            let found = shared_head_names(gazetteer, words, singular, &parts, Some(i))?;
            return Some((found, parts.last()?.end));
        }
        return None;
    }
    // head last: "A and B Seas"; most capitalised words are not followed by "and" within three words
    if !(i + 1..words.len().min(i + 4)).any(|j| words.folded(j) == "and") {
        return None;
    }
    let parts = conjuncts(text, words, i);
    let after = parts.last()?.end;
    let singular = words
        .get(after)
        .filter(|w| w.capitalised && adjacent(text, &words[after - 1], w))
        .and_then(|_| head_of(after))?;
    let found = shared_head_names(gazetteer, words, singular, &parts, None)?;
    Some((found, after + 1))
}

/// Two or three runs of capitalised words joined by "and" or commas, from word `i`, as word ranges.
fn conjuncts(text: &str, words: &Words, mut i: usize) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    while parts.len() < 3 {
        let start = i;
        while i < words.len()
            && i - start < 3
            && words[i].capitalised
            && !SHARED_HEADS
                .iter()
                .any(|(plural, _)| *plural == words.folded(i))
            && (i == start || adjacent(text, &words[i - 1], &words[i]))
        {
            i += 1;
        }
        if i == start {
            break;
        }
        parts.push(start..i);
        match words.get(i) {
            Some(_) if words.folded(i) == "and" => i += 1,
            Some(w) if text[words[i - 1].end()..w.start()].trim() == "," => {}
            _ => break,
        }
    }
    parts
}

/// The toponyms of a shared-head phrase, if at least two parts name a place with that head.
fn shared_head_names(
    gazetteer: &Gazetteer,
    words: &Words,
    singular: &str,
    parts: &[Range<usize>],
    head_first: Option<usize>,
) -> Option<Vec<Found>> {
    if parts.len() < 2 {
        return None;
    }
    let mut found = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let name = words.folded_run(part.start, part.end - 1);
        let full = [
            format!("{singular} of {name}"),
            format!("{name} {singular}"),
        ]
        .into_iter()
        .find(|full| gazetteer.name_key(full) == NameKey::Name)?;
        // the first part of "Seas of A and B" is written with its head
        let first_word = match head_first {
            Some(head) if n == 0 => head,
            _ => part.start,
        };
        found.push(Found::Toponym {
            span: words[first_word].start()..words[part.end - 1].end(),
            folded: full,
            first_word,
            last_word: part.end - 1,
        });
    }
    Some(found)
}

/// A hashtag naming a place, its words run together ("#SeaofJapan", "#LaHabana"): the word after `#`
/// is cut into words that together make a known name. A single common word ("#Reading") is not taken.
fn hashtag_at(
    gazetteer: &Gazetteer,
    text: &str,
    words: &Words,
    i: usize,
    key: &mut String,
) -> Option<Found> {
    let w = &words[i];
    if w.start() == 0 || text.as_bytes()[w.start() - 1] != b'#' || !words.folded(i).is_ascii() {
        return None;
    }
    key.clear();
    if !segment_name(gazetteer, words.folded(i), key) {
        return None;
    }
    if !key.contains(' ')
        && (common_words().contains(key.as_str()) || gazetteer.is_common_word(key))
    {
        return None;
    }
    Some(Found::Toponym {
        span: w.start()..w.end(),
        folded: key.clone(),
        first_word: i,
        last_word: i,
    })
}

/// Cut `rest` into words appended to `key` so that the whole is a known name, trying longer words
/// first; the gazetteer's word prefixes prune every cut that leads nowhere.
fn segment_name(gazetteer: &Gazetteer, rest: &str, key: &mut String) -> bool {
    let base = key.len();
    for len in (1..=rest.len()).rev() {
        key.truncate(base);
        if base > 0 {
            key.push(' ');
        }
        key.push_str(&rest[..len]);
        match gazetteer.name_key(key) {
            NameKey::Unknown => continue,
            NameKey::Name if len == rest.len() => return true,
            _ if len == rest.len() => continue,
            _ => {
                if segment_name(gazetteer, &rest[len..], key) {
                    return true;
                }
            }
        }
    }
    key.truncate(base);
    false
}

/// Words before a place name that belong to it as modifiers, not to a person's name.
const MODIFIERS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "upper",
    "lower",
    "greater",
    "inner",
    "outer",
    "downtown",
    "rural",
    "coastal",
    "mainland",
    "metropolitan",
    "suburban",
    "occupied",
    "new",
    "old",
    "in",
    "near",
    "from",
    "to",
];

/// Verbs of saying: a small-town name followed by one is a person ("Steele said").
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "added",
    "explained",
    "noted",
    "wrote",
    "asked",
    "argued",
    "stated",
    "recalled",
    "admitted",
];

/// Names used for people in this text are not places anywhere in it: "Michael Steele" makes every later
/// "Steele" the person. A single-word place name preceded by another capitalised name word (not a
/// sentence start, not a modifier like "Northern"), or a small town's name followed by "said", is taken
/// for a person, and so is every other occurrence of that name.
fn drop_people(gazetteer: &Gazetteer, text: &str, words: &Words, found: Vec<Found>) -> Vec<Found> {
    // found in text order, so sorting finds them sorted already
    let mut starts: Vec<usize> = found
        .iter()
        .map(|f| match f {
            Found::Toponym { first_word, .. } => *first_word,
            Found::Demonym { span, .. } => words.partition_point(|w| w.start() < span.start),
        })
        .collect();
    starts.sort_unstable();
    let mut people: FxHashSet<&str> = FxHashSet::default();
    for f in &found {
        let Found::Toponym {
            folded,
            first_word,
            last_word,
            ..
        } = f
        else {
            continue;
        };
        if first_word != last_word {
            continue;
        }
        let i = *first_word;
        // asked of the gazetteer only when a rule below needs it: most names meet neither rule
        // before it, and the look-up reaches far into the index
        let small_town = OnceCell::new();
        let small_town = || *small_town.get_or_init(|| is_small_town(gazetteer, folded));
        // Two small-town names side by side, with no comma, are a given name and a surname
        // ("Margaret Murphy", "Rafael Gomez").
        let after_name_word = i > 0 && {
            let prev = &words[i - 1];
            prev.capitalised
                && adjacent(text, prev, &words[i])
                && (starts.binary_search(&(i - 1)).is_err()
                    || small_town() && is_small_town(gazetteer, words.folded(i - 1)))
                && !starts_sentence(text, words, i - 1)
                && !MODIFIERS.contains(&words.folded(i - 1))
                && !common_words().contains(words.folded(i - 1))
                && words.folded(i - 1).chars().any(|c| c.is_alphabetic())
        };
        let before_speech = words
            .folded_after(i)
            .is_some_and(|w| SPEECH_VERBS.contains(&w))
            && small_town();
        if after_name_word || before_speech {
            people.insert(folded);
        }
    }
    // most texts name no one like a place
    if people.is_empty() {
        return found;
    }
    let keep: Vec<bool> = found
        .iter()
        .map(|f| match f {
            Found::Toponym {
                folded,
                first_word,
                last_word,
                ..
            } => first_word != last_word || !people.contains(folded.as_str()),
            Found::Demonym { .. } => true,
        })
        .collect();
    found
        .into_iter()
        .zip(keep)
        .filter_map(|(f, keep)| keep.then_some(f))
        .collect()
}

/// A town or county of fewer than 100,000 people is the first sense of this name.
fn is_small_town(gazetteer: &Gazetteer, folded: &str) -> bool {
    gazetteer.name_facts(folded).first_sense().is_some_and(|s| {
        matches!(
            s.kind,
            crate::story::PlaceKind::City | crate::story::PlaceKind::Admin2
        ) && s.population == PopulationBand::Under100k
    })
}

/// Whether word `i` is the first of its sentence (or of a line or quotation).
fn starts_sentence(text: &str, words: &Words, i: usize) -> bool {
    let before = if i == 0 {
        &text[..words[0].start()]
    } else {
        &text[words[i - 1].end()..words[i].start()]
    };
    i == 0
        || before.contains(['.', '!', '?', '\n', '"', '“', ':', '—', '('])
        || before.contains("--")
}

/// Words of one name must touch: only spaces (or a hyphen/apostrophe) between them, never a full stop,
/// comma or line break.
fn adjacent(text: &str, a: &Word, b: &Word) -> bool {
    // most words are a single space apart
    if b.start() == a.end() + 1 && text.as_bytes()[a.end()] == b' ' {
        return true;
    }
    let gap = &text[a.end()..b.start()];
    // initials: "U.S.", "N.Y."
    let initials = gap == "."
        && text[a.start()..a.end()].chars().count() == 1
        && text[b.start()..b.end()].chars().count() == 1;
    initials
        || (gap.len() <= 3
            && gap
                .chars()
                .all(|c| c == ' ' || c == '-' || c == '\'' || c == '’'))
}

/// What starts at a word: see [`names_at`].
struct NamesAt<'g> {
    /// The last word of the longest gazetteer name starting there, and what that name is.
    name_end: Option<(usize, NameFacts<'g>)>,
    /// The last word of a non-place name ("Moscow Times") at least as long as that name.
    blocked: Option<usize>,
    /// The last word of the longest demonym starting there, and its country.
    demonym_end: Option<(usize, &'g str)>,
    /// What the word itself is to the gazetteer.
    first_word: NameFacts<'g>,
}

/// The longest name and the longest demonym starting at word `i`, read in one pass: each run of
/// words is asked of the gazetteer once, for both.
fn names_at<'g>(
    gazetteer: &'g Gazetteer,
    text: &str,
    words: &Words,
    i: usize,
    max_words: usize,
) -> NamesAt<'g> {
    // a name's words must touch; a demonym's need not, and one is at most three words long
    const DEMONYM_MAX_WORDS: usize = 3;
    let mut best = None;
    let mut blocked = None;
    let mut demonym_end = None;
    let mut first_word = None;
    let (mut name_open, mut demonym_open) = (true, true);
    let mut joined = true;
    let mut scratch = String::new();
    for j in i..words.len().min(i + max_words.max(DEMONYM_MAX_WORDS)) {
        name_open =
            name_open && j < i + max_words && (j == i || adjacent(text, &words[j - 1], &words[j]));
        demonym_open = demonym_open && j < i + DEMONYM_MAX_WORDS;
        if !name_open && !demonym_open {
            break;
        }
        let facts = gazetteer.name_facts(words.folded_run_grown(i, j, &mut joined, &mut scratch));
        first_word.get_or_insert(facts);
        if name_open {
            if facts.key() == NameKey::Unknown {
                name_open = false;
            } else if facts.non_place() {
                blocked = Some(j);
            } else if facts.key() == NameKey::Name {
                best = Some((j, facts));
            }
            // no longer name starts with these words: the next word cannot make one, and asking
            // would only fill the memo with runs like "qingdao on"
            name_open = name_open && facts.longer();
        }
        if demonym_open {
            match facts.demonym() {
                None => demonym_open = false,
                Some(step) => {
                    if let Some(country) = step.country {
                        demonym_end = Some((j, country));
                    }
                    demonym_open = step.longer;
                }
            }
        }
    }
    let (name_end, blocked) = match (best, blocked) {
        (Some(b), Some(n)) if b.0 > n => (Some(b), None),
        (_, Some(n)) => (None, Some(n)),
        (b, None) => (b, None),
    };
    NamesAt {
        name_end,
        blocked,
        demonym_end,
        first_word: first_word.expect("the word itself is always asked"),
    }
}

/// Whether words `first..=last`, a gazetteer name, are written like a place here. `first_word` is
/// what word `first` alone is to the gazetteer.
fn looks_like_place(
    gazetteer: &Gazetteer,
    text: &str,
    words: &Words,
    (first, last): (usize, usize),
    first_word: NameFacts,
    common: &FxHashSet<&str>,
) -> bool {
    let span = &words[first..=last];
    let written = &text[span[0].start()..span[span.len() - 1].end()];
    // capitalised, except connectors inside the name
    let capitalised_ok = span[0].capitalised
        && (first..=last).all(|j| {
            words[j].capitalised
                || CONNECTORS.contains(&words.folded(j))
                || words.folded(j).chars().all(|c| c.is_ascii_digit())
        });
    if !capitalised_ok {
        return false;
    }
    let ascii = span.iter().all(Word::folded_in_place);
    let alphanumerics = letters_and_digits(written, span, ascii);
    if alphanumerics < 2 {
        return false;
    }
    // Short all-capital words are acronyms (HIV, FAO, UN): a place only when the gazetteer lists that
    // very spelling ("US", "U.S.", "UK"), not a town that folds the same ("Us").
    let short_capitals = alphanumerics <= 4 && !has_lower_case(written, ascii);
    if short_capitals {
        let letters: String = written.chars().filter(|c| c.is_alphanumeric()).collect();
        return gazetteer
            .lookup_folded(&words.folded_run(first, last))
            .into_iter()
            .any(|id| {
                gazetteer.entry(id).names.iter().any(|n| {
                    n.chars()
                        .filter(|c| c.is_alphanumeric())
                        .collect::<String>()
                        == letters
                })
            });
    }
    if span.len() == 1 && common.contains(words.folded(first)) {
        return false;
    }
    // "Reading", "Mobile", "Farms": a common word names a place on its own only if the place is a big one.
    if span.len() == 1 && first_word.common_word() {
        let big = first_word.first_sense().is_some_and(|s| {
            !matches!(
                s.kind,
                crate::story::PlaceKind::City
                    | crate::story::PlaceKind::Admin2
                    | crate::story::PlaceKind::Port
            ) || s.population == PopulationBand::AtLeast500k
        });
        if !big {
            return false;
        }
    }
    // A title before a single-word name makes it a person: "President Xi", "Admiral Victoria".
    if first > 0
        && person_titles().contains(words.folded(first - 1))
        && adjacent(text, &words[first - 1], &words[first])
    {
        return false;
    }
    true
}

// Every letter or digit of a span of words is in one of its words, which are runs of them (and of
// combining marks), and nothing between the words is lower case: so when the words are ASCII
// (`ascii`), their letters and digits are their bytes, and only their bytes can be lower case. Most
// names are, and these two are asked of every name found.

/// How many letters and digits are written in `written`, the text of the words `span`.
fn letters_and_digits(written: &str, span: &[Word], ascii: bool) -> usize {
    if ascii {
        span.iter().map(|w| w.end() - w.start()).sum()
    } else {
        written.chars().filter(|c| c.is_alphanumeric()).count()
    }
}

/// Whether `written`, the text of a span of words, has a lower-case letter.
fn has_lower_case(written: &str, ascii: bool) -> bool {
    if ascii {
        written.bytes().any(|b| b.is_ascii_lowercase())
    } else {
        written.chars().any(char::is_lowercase)
    }
}

/// "Lexington, Ky.": the word before is a capitalised word followed by a comma.
fn after_city_comma(text: &str, words: &Words, i: usize) -> bool {
    i > 0 && words[i - 1].capitalised && text[words[i - 1].end()..words[i].start()].trim() == ","
}

/// The name after "Name, ": the state or country that qualifies a place ("Paris, Texas"), folded.
pub fn qualifier_after(
    text: &str,
    words: &Words,
    last: usize,
    gazetteer: &Gazetteer,
) -> Option<String> {
    let next = words.get(last + 1)?;
    // the case first: most names are followed by a lower-case word
    if !next.capitalised || text[words[last].end()..next.start()].trim() != "," {
        return None;
    }
    let mut best = None;
    for j in last + 1..words.len().min(last + 5) {
        if j > last + 1 && !adjacent(text, &words[j - 1], &words[j]) {
            break;
        }
        let key = words.folded_run(last + 1, j);
        match gazetteer.name_key(&key) {
            NameKey::Unknown => break,
            NameKey::Prefix => {}
            NameKey::Name => best = Some(key.into_owned()),
        }
    }
    best
}

/// Whether a place name runs on into another capitalised word that is not part of it and not a place
/// head word, as in "Victoria Ioganov" (a person) or "Qingdao Daily" (an outlet).
pub fn runs_into_capitalised_word(text: &str, words: &Words, last: usize) -> bool {
    let Some(next) = words.get(last + 1) else {
        return false;
    };
    next.capitalised
        && adjacent(text, &words[last], next)
        && !text[words[last].end()..next.start()].contains('\'')
        && !PLACE_HEADS.contains(&words.folded(last + 1))
        && !common_words().contains(words.folded(last + 1))
}

/// Whether a one-word place name, right after a verb of saying, runs on into a capitalised word the
/// gazetteer does not know and that is no title: the speaker's given name and surname ("said Victoria
/// Ioganov"), where "said Manitoba Premier Brian Pallister" keeps Manitoba.
pub fn speaker_named_like_place(
    gazetteer: &Gazetteer,
    text: &str,
    words: &Words,
    word: usize,
) -> bool {
    word > 0
        && SPEECH_VERBS.contains(&words.folded(word - 1))
        && runs_into_capitalised_word(text, words, word)
        && words.folded_after(word).is_some_and(|next| {
            !PERSON_TITLES.contains(&next) && gazetteer.name_key(next) == NameKey::Unknown
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::test_data;

    fn found(text: &str) -> Vec<String> {
        let g = test_data::small();
        let w = words(text);
        find(&g, text, &w)
            .into_iter()
            .map(|f| match f {
                Found::Toponym { span, .. } => text[span].to_string(),
                Found::Demonym { span, country } => format!("{}={country}", &text[span]),
            })
            .collect()
    }

    /// The ASCII short cuts of [`letters_and_digits`] and [`has_lower_case`] give what reading
    /// every character gives, for spans of ASCII words with anything between them.
    #[test]
    fn ascii_spans_count_letters_and_find_lower_case_as_characters_do() {
        for text in [
            "U.S. Navy",
            "Sea of Japan",
            "Foo\u{2013}Bar",
            "PLA \u{201c}Navy\u{201d}",
            "Ho Chi Minh City",
            "NATO",
            "U.K.",
            "A1",
            "x",
            "St. Petersburg",
            "Kim  Jong\u{00a0}Un",
            "Na\u{00ef}ve Caf\u{00e9}",
        ] {
            let w = words(text);
            for first in 0..w.len() {
                for last in first..w.len() {
                    let span = &w[first..=last];
                    let ascii = span.iter().all(Word::folded_in_place);
                    let written = &text[span[0].start()..span[span.len() - 1].end()];
                    let chars = letters_and_digits(written, span, false);
                    assert_eq!(
                        letters_and_digits(written, span, ascii),
                        chars,
                        "{written:?}"
                    );
                    let lower = has_lower_case(written, false);
                    assert_eq!(has_lower_case(written, ascii), lower, "{written:?}");
                }
            }
        }
    }

    /// The words found block by block are the runs of word characters a character-by-character
    /// reading finds, with the same case, folded forms and name starts, at every text length and
    /// whatever characters outside ASCII lie about (some across the edges of 64-byte blocks).
    #[test]
    fn words_are_the_runs_of_word_characters() {
        let pieces = [
            "Qingdao",
            " ",
            "Sea of Japan",
            "—",
            "Zürich",
            "’s",
            " 2023-07-16 ",
            "Ha\u{301}noi",
            "北京",
            "…",
            "x",
            ",",
            "  ",
            "Île-de-France",
            "#SeaofJapan",
            "#qingdao",
            "état",
            "ÉTAT",
            "a",
        ];
        for n in 0..300 {
            // texts of every length across a few 64-byte boundaries, each a different mix
            let text: String = (0..n).map(|k| pieces[(k * 7 + n) % pieces.len()]).collect();
            let mut expected = Vec::new();
            let mut current: Option<(usize, usize)> = None;
            for (i, c) in text.char_indices() {
                match (is_word_char(c), current) {
                    (true, None) => current = Some((i, i + c.len_utf8())),
                    (true, Some((start, _))) => current = Some((start, i + c.len_utf8())),
                    (false, Some(word)) => {
                        expected.push(word);
                        current = None;
                    }
                    (false, None) => {}
                }
            }
            expected.extend(current);
            let found = words(&text);
            let spans: Vec<(usize, usize)> = found.iter().map(|w| (w.start(), w.end())).collect();
            assert_eq!(spans, expected, "in {text:?}");
            let mut name_starts = Vec::new();
            for (i, &(start, end)) in expected.iter().enumerate() {
                let raw = &text[start..end];
                let first = raw.chars().next().unwrap();
                let capitalised =
                    first.is_uppercase() || (first.is_alphabetic() && !first.is_lowercase());
                assert_eq!(found[i].capitalised, capitalised, "{raw:?} in {text:?}");
                assert_eq!(found.folded(i), fold(raw), "{raw:?} in {text:?}");
                if capitalised || text[..start].ends_with('#') {
                    name_starts.push(i as u32);
                }
            }
            assert_eq!(found.name_starts, name_starts, "in {text:?}");
        }
    }

    #[test]
    fn finds_multiword_names_and_demonyms() {
        assert_eq!(
            found("A Chinese flotilla left Qingdao for the Sea of Japan (East Sea), passing the Korea Strait."),
            ["Chinese=CN", "Qingdao", "Sea of Japan", "East Sea", "Korea Strait"]
        );
    }

    #[test]
    fn outlets_and_lower_case_words_are_not_places() {
        assert_eq!(
            found("The Moscow Times and the Global Times reported from Moscow."),
            ["Moscow"]
        );
        assert!(found("he said moscow was calm").is_empty());
        assert_eq!(found("China's navy and Japan's"), ["China", "Japan"]);
    }

    #[test]
    fn abbreviations_count_only_after_a_city_and_comma() {
        // the test gazetteer maps "Ky." to Shandong, to keep the fixture small
        assert_eq!(
            found("Flooding in Qingdao, Ky. was severe."),
            ["Qingdao", "Ky"]
        );
        assert_eq!(
            found("Ky said the flooding was severe."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn names_sharing_a_plural_head_are_each_named() {
        assert_eq!(
            found("They sailed the Seas of Japan and East China."),
            ["Seas of Japan", "East China"]
        );
        assert_eq!(
            found("Patrols crossed the East China and South China Seas."),
            ["East China", "South China"]
        );
        let g = test_data::small();
        let text = "the Seas of Japan and East China";
        let names: Vec<String> = find(&g, text, &words(text))
            .into_iter()
            .filter_map(|f| match f {
                Found::Toponym { folded, .. } => Some(folded),
                Found::Demonym { .. } => None,
            })
            .collect();
        assert_eq!(names, ["sea of japan", "east china sea"]);
    }

    #[test]
    fn runs_grown_a_word_at_a_time_are_the_runs() {
        for text in [
            "the South China Sea, off  São Tomé and Príncipe-Nord's coast",
            "Kuala Lumpur\nNew York's. Ho Chi Minh City",
        ] {
            let w = words(text);
            for first in 0..w.len() {
                let mut joined = true;
                let mut scratch = String::new();
                for last in first..w.len().min(first + 5) {
                    let grown = w.folded_run_grown(first, last, &mut joined, &mut scratch);
                    assert_eq!(
                        grown,
                        w.folded_run(first, last),
                        "{text:?} {first}..={last}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_shared_head_is_never_further_than_its_reach() {
        // the longest phrase conjuncts can read: three parts of three words, joined by "and"
        let text = "Ab Cd Ef and Gh Ij Kl and Mn Op Qr Seas";
        let w = words(text);
        let parts = conjuncts(text, &w, 0);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.last().unwrap().end, SHARED_HEAD_REACH);
        assert_eq!(w.folded(SHARED_HEAD_REACH), "seas");
        // a fourth part is never read, so no head can lie further on
        let text = "Ab Cd Ef and Gh Ij Kl and Mn Op Qr and St Seas";
        let w = words(text);
        assert_eq!(
            conjuncts(text, &w, 0).last().unwrap().end,
            SHARED_HEAD_REACH
        );
    }

    #[test]
    fn hashtags_are_cut_into_known_names() {
        assert_eq!(
            found("Photos tagged #SeaofJapan and #qingdao, not #SeaofCortez."),
            ["SeaofJapan", "qingdao"]
        );
    }

    #[test]
    fn names_do_not_run_across_punctuation() {
        // "Sea" ends one sentence and "Japan" starts the next: no "Sea of Japan" here.
        assert_eq!(found("East China Sea. Japan"), ["East China Sea", "Japan"]);
    }
}
