//! The words event reading keys on: *cues* — the verbs and nouns that report a happening, the nouns that
//! name ships, groups and forces, the verbs that report speech, and the small words that mark tense,
//! clauses and order. All lower case; multi-word cues are matched word by word.

use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::vessels::vessels;
use crate::story::Action;

/// Which part of an event a verb speaks of: "commenced" the start, "concluded" the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aspect {
    Whole,
    Start,
    End,
}

/// What a cue does in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A verb that reports a happening by itself ("left", "passed", "called at").
    Verb(Action),
    /// A verb of motion whose preposition says what happened ("sailed from / to / through").
    Motion { default: Action, actor_after: bool },
    /// A noun naming a happening ("drills", "port call"); `event` nouns can be referred back to.
    Noun(Action),
    /// A verb that carries a following or preceding event noun ("took part in", "held", "commenced").
    Light(Aspect),
    /// "join", "meet": a meeting, unless an event noun follows ("join ... in an exercise").
    Join,
}

const VERBS: &[(&str, Action)] = &[
    ("left", Action::Depart),
    ("leave", Action::Depart),
    ("leaves", Action::Depart),
    ("leaving", Action::Depart),
    ("departed", Action::Depart),
    ("depart", Action::Depart),
    ("departs", Action::Depart),
    ("departing", Action::Depart),
    ("set out", Action::Depart),
    ("set off", Action::Depart),
    ("set sail", Action::Depart),
    ("sets sail", Action::Depart),
    ("setting sail", Action::Depart),
    ("sets out", Action::Depart),
    ("setting out", Action::Depart),
    ("set forth", Action::Depart),
    ("put to sea", Action::Depart),
    ("weighed anchor", Action::Depart),
    ("pulled out of", Action::Depart),
    ("arrived", Action::Arrive),
    ("arrive", Action::Arrive),
    ("arrives", Action::Arrive),
    ("arriving", Action::Arrive),
    ("reached", Action::Arrive),
    ("reach", Action::Arrive),
    ("reaches", Action::Arrive),
    ("reaching", Action::Arrive),
    ("entered", Action::Arrive),
    ("enter", Action::Arrive),
    ("enters", Action::Arrive),
    ("entering", Action::Arrive),
    ("called at", Action::PortCall),
    ("call at", Action::PortCall),
    ("calls at", Action::PortCall),
    ("calling at", Action::PortCall),
    ("called in at", Action::PortCall),
    ("visited", Action::PortCall),
    ("visit", Action::PortCall),
    ("visits", Action::PortCall),
    ("visiting", Action::PortCall),
    ("made port", Action::PortCall),
    ("making port", Action::PortCall),
    ("make port", Action::PortCall),
    ("docked", Action::PortCall),
    ("dock", Action::PortCall),
    ("docks", Action::PortCall),
    ("docking", Action::PortCall),
    ("berthed", Action::PortCall),
    ("moored", Action::PortCall),
    ("pulled into", Action::PortCall),
    ("passed", Action::Transit),
    ("pass", Action::Transit),
    ("passes", Action::Transit),
    ("passing", Action::Transit),
    ("transited", Action::Transit),
    ("transit", Action::Transit),
    ("transits", Action::Transit),
    ("transiting", Action::Transit),
    ("crossed", Action::Transit),
    ("cross", Action::Transit),
    ("crosses", Action::Transit),
    ("crossing", Action::Transit),
    ("traversed", Action::Transit),
    ("circumnavigated", Action::Transit),
    ("skirted", Action::Transit),
    ("trained", Action::Exercise),
    ("exercised", Action::Exercise),
    ("drilled", Action::Exercise),
    ("patrolled", Action::Patrol),
    ("patrolling", Action::Patrol),
    ("met", Action::Meeting),
    ("meets", Action::Meeting),
    ("rendezvous", Action::Meeting),
    ("rendezvoused", Action::Meeting),
    ("linked up", Action::Meeting),
    ("link up", Action::Meeting),
    ("spotted", Action::Other),
    ("sighted", Action::Other),
    ("observed", Action::Other),
    ("detected", Action::Other),
    ("operating", Action::Other),
    ("operated", Action::Other),
    ("anchored", Action::Other),
    ("stationed", Action::Other),
    ("stayed", Action::Other),
    ("remained", Action::Other),
];

const MOTION: &[(&str, Action, bool)] = &[
    ("sailed", Action::Transit, false),
    ("sail", Action::Transit, false),
    ("sails", Action::Transit, false),
    ("sailing", Action::Transit, false),
    ("headed", Action::Arrive, false),
    ("head", Action::Arrive, false),
    ("heads", Action::Arrive, false),
    ("heading", Action::Arrive, false),
    ("steamed", Action::Transit, false),
    ("steaming", Action::Transit, false),
    ("moved", Action::Transit, false),
    ("moving", Action::Transit, false),
    ("proceeded", Action::Transit, false),
    ("cruised", Action::Transit, false),
    ("navigated", Action::Transit, false),
    ("returned", Action::Arrive, false),
    ("return", Action::Arrive, false),
    ("returns", Action::Arrive, false),
    ("returning", Action::Arrive, false),
    ("came back", Action::Arrive, false),
    ("went", Action::Transit, false),
    ("dispatched", Action::Depart, true),
    ("dispatch", Action::Depart, true),
    ("sent", Action::Depart, true),
    ("send", Action::Depart, true),
    ("deployed", Action::Depart, true),
    ("deploy", Action::Depart, true),
];

const NOUNS: &[(&str, Action)] = &[
    ("exercise", Action::Exercise),
    ("exercises", Action::Exercise),
    ("drill", Action::Exercise),
    ("drills", Action::Exercise),
    ("maneuvers", Action::Exercise),
    ("manoeuvres", Action::Exercise),
    ("training", Action::Exercise),
    ("war games", Action::Exercise),
    ("wargames", Action::Exercise),
    ("firing", Action::Exercise),
    ("patrol", Action::Patrol),
    ("patrols", Action::Patrol),
    ("port call", Action::PortCall),
    ("port calls", Action::PortCall),
    ("port visit", Action::PortCall),
    ("departure", Action::Depart),
    ("arrival", Action::Arrive),
    ("passage", Action::Transit),
];

const LIGHT: &[(&str, Aspect)] = &[
    ("take part", Aspect::Whole),
    ("takes part", Aspect::Whole),
    ("taking part", Aspect::Whole),
    ("took part", Aspect::Whole),
    ("taken part", Aspect::Whole),
    ("participate", Aspect::Whole),
    ("participates", Aspect::Whole),
    ("participated", Aspect::Whole),
    ("participating", Aspect::Whole),
    ("hold", Aspect::Whole),
    ("holds", Aspect::Whole),
    ("held", Aspect::Whole),
    ("holding", Aspect::Whole),
    ("conduct", Aspect::Whole),
    ("conducts", Aspect::Whole),
    ("conducted", Aspect::Whole),
    ("conducting", Aspect::Whole),
    ("carry out", Aspect::Whole),
    ("carried out", Aspect::Whole),
    ("carrying out", Aspect::Whole),
    ("carries out", Aspect::Whole),
    ("stage", Aspect::Whole),
    ("staged", Aspect::Whole),
    ("staging", Aspect::Whole),
    ("performed", Aspect::Whole),
    ("launch", Aspect::Start),
    ("launched", Aspect::Start),
    ("launches", Aspect::Start),
    ("launching", Aspect::Start),
    ("start", Aspect::Start),
    ("started", Aspect::Start),
    ("starts", Aspect::Start),
    ("begin", Aspect::Start),
    ("began", Aspect::Start),
    ("begun", Aspect::Start),
    ("begins", Aspect::Start),
    ("commence", Aspect::Start),
    ("commenced", Aspect::Start),
    ("commences", Aspect::Start),
    ("kick off", Aspect::Start),
    ("kicked off", Aspect::Start),
    ("kicks off", Aspect::Start),
    ("kicking off", Aspect::Start),
    ("conclude", Aspect::End),
    ("concluded", Aspect::End),
    ("concludes", Aspect::End),
    ("ended", Aspect::End),
    ("ends", Aspect::End),
    ("wrapped up", Aspect::End),
    ("wrap up", Aspect::End),
    ("finished", Aspect::End),
    ("completed", Aspect::End),
];

const JOIN: &[&str] = &["join", "joins", "joined", "joining", "meet", "meeting"];

/// A map keyed by words, hashed with FxHash: vessel names are looked up for every capitalised word,
/// and FxHash takes a short word eight bytes at a time (the keys are our own lists, not outside
/// input, so a hasher that resists collision attacks buys nothing).
pub type WordMap<K, V> = FxHashMap<K, V>;

/// Cues by their first word: for each, the remaining words and the cue, longest first.
pub type CueIndex = WordMap<&'static str, Vec<(Vec<&'static str>, Cue)>>;

pub fn cues() -> &'static CueIndex {
    static CUES: OnceLock<CueIndex> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut map = CueIndex::default();
        let mut add = |phrase: &'static str, cue: Cue| {
            let mut words = phrase.split(' ');
            let first = words.next().unwrap();
            map.entry(first).or_default().push((words.collect(), cue));
        };
        for &(p, a) in VERBS {
            add(p, Cue::Verb(a));
        }
        for &(p, a, actor_after) in MOTION {
            add(
                p,
                Cue::Motion {
                    default: a,
                    actor_after,
                },
            );
        }
        for &(p, a) in NOUNS {
            add(p, Cue::Noun(a));
        }
        for &(p, aspect) in LIGHT {
            add(p, Cue::Light(aspect));
        }
        for &p in JOIN {
            add(p, Cue::Join);
        }
        // longest phrase first, so "set sail" wins over a shorter reading
        for list in map.values_mut() {
            list.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        map
    })
}

/// What a sentence's words tell before it is read: enough to know, with what the article holds so
/// far, whether reading it can change the article's reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Glance {
    /// A word worth reading: the first word of a cue, a ship, group or force noun. A sentence
    /// without one reports no happening and names no actor group, and is not read.
    pub worth: bool,
    /// Words that may name an actor by themselves: a navy prefix in capitals, a vessel name, a
    /// singular ship noun before a capitalised word ("the destroyer Qiqihar") — or words the glance
    /// does not judge: one cut by either end of the sentence, letters or marks outside ASCII.
    /// Words are judged only in a sentence worth reading: in any other, where it changes nothing,
    /// this tells only of the words not judged.
    pub names: bool,
    /// A ship, group or force noun: an actor once it has a nationality, or an earlier actor to
    /// refer to ("the ships").
    pub collective: bool,
    /// "they", "it" or "she", which may stand for a recent actor.
    pub pronoun: bool,
    /// The first word of a cue that may report an exercise, a patrol or a meeting: the happenings
    /// whose parties may be countries.
    pub joint: bool,
}

/// A glance at each sentence of a text ([`Glance`]), without reading them. `sentences` must be in
/// text order and must not overlap; bytes between them belong to none.
///
/// A word here is a run of ASCII letters and digits with neither before nor after it in the text,
/// matched without regard to ASCII case; the words that start inside a sentence are its own.
///
/// Every sentence of every article is looked at, so the text is read once, whole, 64 bytes at a
/// time as one bit per byte, and only where words and characters outside ASCII start is anything
/// looked at: most words are turned away by their length and first and last letters, and only a
/// word that reaches the end of its sentence needs to know which sentence it is in.
pub fn glances(text: &str, sentences: &[Range<usize>]) -> Vec<Glance> {
    let lexicon = lexicon();
    let bytes = text.as_bytes();
    let in_word = |at: usize| at > 0 && bytes[at - 1].is_ascii_alphanumeric();
    let mut seen: Vec<Glance> = sentences
        .iter()
        .map(|s| Glance {
            // a sentence that starts inside a word
            names: in_word(s.start) && !s.is_empty(),
            ..Glance::default()
        })
        .collect();
    let (Some(first), Some(last)) = (sentences.first(), sentences.last()) else {
        return seen;
    };
    let word_end = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| from + n)
    };
    let ends = &*lexicon.notable_ends;
    let mut words = Words::new(sentences);
    // the sentence each character outside ASCII is in is found apart from the words' one, as they
    // are looked at apart
    let mut other_scripts = 0;
    // from here on, a block starts at a byte outside any word or at the start of a word, so each
    // word that starts in a block and is shorter than it ends in it too
    let mut base = if in_word(first.start) {
        word_end(first.start)
    } else {
        first.start
    };
    'blocks: while base < last.end {
        let block = block_at(bytes, base);
        let (inside, mut leading) = words_and_other_scripts(&block);
        let mut starts = inside & !(inside << 1);
        // the last byte of each word that ends in the block: the n-th of them ends the n-th word
        let mut lasts = inside & !(inside >> 1) & !(1 << 63);
        let mut next = base + 64;
        if inside >> 63 != 0 {
            // the last word may go on past the block: read it in the next block, from its start,
            // unless it fills this one, which makes it far longer than any listed word
            let start = 63 - starts.leading_zeros() as usize;
            starts &= !(1 << start);
            next = base + start;
            if start == 0 {
                next = word_end(base + 64);
                if !words.at_boundary(&block, base, 0, next - base, &mut seen, text) {
                    break 'blocks;
                }
            }
        }
        while leading != 0 {
            let at = base + leading.trailing_zeros() as usize;
            leading &= leading - 1;
            while sentences.get(other_scripts).is_some_and(|s| s.end <= at) {
                other_scripts += 1;
            }
            let Some(sentence) = sentences.get(other_scripts) else {
                break;
            };
            if sentence.start <= at && !seen[other_scripts].names {
                seen[other_scripts].names = other_script_word_at(text, at);
            }
        }
        // a word of the block that ends past this has reached the sentence's end
        let mut limit = words.end.saturating_sub(base);
        while starts != 0 {
            let k = starts.trailing_zeros() as usize;
            starts &= starts - 1;
            let last = lasts.trailing_zeros() as usize;
            lasts &= lasts.wrapping_sub(1);
            if last >= limit {
                let len = last + 1 - k;
                if !words.at_boundary(&block, base, k, len, &mut seen, text) {
                    break 'blocks;
                }
                limit = words.end.saturating_sub(base);
            } else if may_be_notable(ends, &block, k, last) && base + k >= words.start {
                let len = last + 1 - k;
                if let Some(entry) = lexicon.glanced_entry_in(&block, k, len) {
                    words.take(entry, base + k..base + k + len);
                }
            }
        }
        base = next;
    }
    words.close(&mut seen, bytes);
    seen
}

/// The sentence [`glances`] reads words in, and what they told so far.
struct Words<'a> {
    lexicon: &'static Lexicon,
    sentences: &'a [Range<usize>],
    /// The sentence, and its bounds.
    s: usize,
    start: usize,
    end: usize,
    worth: bool,
    names: bool,
    classes: u32,
    /// The words of [`NAMING`] classes seen in the sentence, with their classes, judged only once
    /// the sentence is known to be worth reading: a vessel name is a costly look-up, and most of
    /// them ("The", "New") stand in sentences that are not.
    naming: Vec<(u32, Range<usize>)>,
}

impl<'a> Words<'a> {
    fn new(sentences: &'a [Range<usize>]) -> Words<'a> {
        Words {
            lexicon: lexicon(),
            sentences,
            s: 0,
            start: sentences[0].start,
            end: sentences[0].end,
            worth: false,
            names: false,
            classes: 0,
            naming: Vec::new(),
        }
    }

    /// Take in a listed word of the sentence.
    fn take(&mut self, entry: Entry, word: Range<usize>) {
        self.worth |= entry.worth;
        self.classes |= entry.classes;
        if entry.classes & NAMING != 0 {
            self.naming.push((entry.classes, word));
        }
    }

    /// Add what the sentence's words told to its glance. Inlined into [`Words::at_boundary`], which
    /// closes nearly every sentence: a call of its own would cost as much as its work.
    #[inline(always)]
    fn close(&mut self, seen: &mut [Glance], bytes: &[u8]) {
        if self.worth && !self.names {
            let end = self.end;
            self.names = (self.naming.iter())
                .any(|(classes, word)| names_actor(*classes, bytes, word.clone(), end));
        }
        self.naming.clear();
        if let Some(glance) = seen.get_mut(self.s) {
            glance.worth |= self.worth;
            glance.names |= self.names;
            glance.collective |= self.classes & (class::SHIP | class::FORCE) != 0;
            glance.pronoun |= self.classes & class::PRONOUN != 0;
            glance.joint |= self.classes & class::JOINT_CUE != 0;
        }
    }

    /// Take in the word of `len` bytes at `k` in the block at `base`, which ends past the end of
    /// the sentence: in the next sentence, between sentences, or cut by the end. False once it is
    /// past the last sentence.
    #[inline(never)]
    fn at_boundary(
        &mut self,
        block: &Block,
        base: usize,
        k: usize,
        len: usize,
        seen: &mut [Glance],
        text: &str,
    ) -> bool {
        let word = base + k..base + k + len;
        while self.end <= word.start {
            self.close(seen, text.as_bytes());
            self.s += 1;
            let Some(next) = self.sentences.get(self.s) else {
                return false;
            };
            (self.start, self.end) = (next.start, next.end);
            (self.worth, self.names, self.classes) = (false, false, 0);
        }
        if word.start < self.start {
            return true;
        }
        // a word cut by the sentence's end is not judged, unless 64 bytes or more of it are inside
        // (a first glance read blocks from a sentence's start and passed over such a run whole)
        self.names |= word.end > self.end && self.end - word.start < 64;
        let lexicon = self.lexicon;
        if len <= KEY_BYTES && may_be_notable(&lexicon.notable_ends, block, k, k + len - 1) {
            if let Some(entry) = lexicon.glanced_entry_in(block, k, len) {
                self.take(entry, word);
            }
        }
        true
    }
}

/// 64 bytes of the text, then room to read any word's key as sixteen bytes.
type Block = [u8; 64 + KEY_BYTES];

/// The block of `bytes` at `base`, with zeros past its end.
fn block_at(bytes: &[u8], base: usize) -> Block {
    match bytes.get(base..base + 64 + KEY_BYTES) {
        Some(inside) => inside.try_into().expect("a block's bytes"),
        None => {
            let rest = &bytes[base.min(bytes.len())..];
            let mut block = [0u8; 64 + KEY_BYTES];
            let filled = rest.len().min(64);
            block[..filled].copy_from_slice(&rest[..filled]);
            block
        }
    }
}

/// The classes of words that may name an actor, given what stands around them.
const NAMING: u32 = class::SHIP | class::NAVY_PREFIX | class::VESSEL_START;

/// Whether a word of `classes`, one of them a [`NAMING`] class, names an actor where it stands: a
/// singular ship noun before a capitalised word, a navy prefix in capitals, a vessel name.
fn names_actor(classes: u32, bytes: &[u8], word: Range<usize>, end: usize) -> bool {
    let capital = |b: u8| b.is_ascii_uppercase();
    let (first, last) = (bytes[word.start], bytes[word.end - 1]);
    let singular_ship = classes & (class::SHIP | class::SHIP_PLURAL) == class::SHIP;
    singular_ship && capital_after_class_word(bytes, word.end, end)
        || classes & class::NAVY_PREFIX != 0 && capital(first) && capital(last)
        || classes & class::VESSEL_START != 0
            && capital(first)
            && vessels().name_starts_at(bytes, word, end)
}

/// Whether a ship noun ending at `from` is followed, as the reader takes a class word before a
/// name, by a capitalised word: "destroyer Qiqihar", "frigate, the Rizhao" (or by anything outside
/// ASCII, which the glance does not judge). `end`: the sentence's end.
fn capital_after_class_word(bytes: &[u8], from: usize, end: usize) -> bool {
    let is_space = |b: u8| b.is_ascii_whitespace() || b == 0x0b;
    let skip_spaces = |mut at: usize| {
        while at < end && is_space(bytes[at]) {
            at += 1;
        }
        at
    };
    let mut at = skip_spaces(from);
    if at < end && bytes[at] == b',' {
        at = skip_spaces(at + 1);
    }
    let the = at + 3 < end
        && bytes[at..at + 3].eq_ignore_ascii_case(b"the")
        && !bytes[at + 3].is_ascii_alphanumeric();
    if the {
        at = skip_spaces(at + 3);
    }
    at < end && (bytes[at].is_ascii_uppercase() || !bytes[at].is_ascii())
}

/// Whether the character outside ASCII that starts at byte `at` is a letter, a digit or a
/// combining mark: part of a word the glance does not judge.
fn other_script_word_at(text: &str, at: usize) -> bool {
    let c = text[at..].chars().next().expect("a character starts here");
    // most characters outside ASCII in news are quotes and dashes, all of them in this block,
    // which holds no letter, digit or combining mark: answered before the costlier look-ups
    if GENERAL_PUNCTUATION.contains(&c) {
        return false;
    }
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// The General Punctuation block of Unicode.
const GENERAL_PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206f}';

/// For the first 64 bytes of `block`, one bit per byte set where the byte is an ASCII letter or
/// digit, and one set where a character outside ASCII starts.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn words_and_other_scripts(block: &Block) -> (u64, u64) {
    // SAFETY: built only for targets with SSE2 (every x86_64 one), so the CPU running it has SSE2
    unsafe { words_and_other_scripts_sse2(block) }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn words_and_other_scripts(block: &Block) -> (u64, u64) {
    words_and_other_scripts_in_lanes(block)
}

/// [`words_and_other_scripts`] sixteen bytes at a time: SSE2 compares sixteen bytes and gathers their bits in a
/// few instructions where eight lanes of a `u64` take a few dozen.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn words_and_other_scripts_sse2(block: &Block) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_and_si128, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128,
    };
    // a byte is from `lo` to `lo + span` when, moved by `0x80 - lo` (wrapping), it is among the
    // `span + 1` smallest signed bytes
    let within = |v: __m128i, lo: u8, span: u8| {
        let moved = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
        _mm_cmplt_epi8(moved, _mm_set1_epi8((0x80 + span + 1) as i8))
    };
    // SAFETY: each piece holds the sixteen bytes read, and an unaligned load needs no more
    let load = |sixteen: &[u8]| unsafe { _mm_loadu_si128(sixteen.as_ptr().cast()) };
    let bits = |m: __m128i, k: usize| u64::from(_mm_movemask_epi8(m) as u16) << (16 * k);
    let (mut inside, mut leading) = (0, 0);
    let mut high = _mm_setzero_si128();
    for (k, sixteen) in block[..64].chunks_exact(16).enumerate() {
        let v = load(sixteen);
        // setting the 0x20 bit lowers the letters and makes no other byte a lower-case letter
        let letter = within(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 25);
        inside |= bits(_mm_or_si128(letter, within(v, b'0', 9)), k);
        high = _mm_or_si128(high, v);
    }
    // most blocks are all ASCII
    if _mm_movemask_epi8(high) != 0 {
        for (k, sixteen) in block[..64].chunks_exact(16).enumerate() {
            let v = load(sixteen);
            // a character outside ASCII starts with a byte whose two high bits are set: the high
            // bit of the byte and of its double
            leading |= bits(_mm_and_si128(v, _mm_add_epi8(v, v)), k);
        }
    }
    (inside, leading)
}

/// [`words_and_other_scripts`] eight bytes at a time, as lanes of a `u64`.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn words_and_other_scripts_in_lanes(block: &Block) -> (u64, u64) {
    let (mut inside, mut leading) = (0, 0);
    for (i, eight) in block[..64].chunks_exact(8).enumerate() {
        let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        inside |= gather_high_bits(word_bytes(eight)) << (8 * i);
        leading |= gather_high_bits(eight & (eight << 1) & HIGH_BITS) << (8 * i);
    }
    (inside, leading)
}

/// The high bits of eight bytes as eight bits, gathered into the low byte by a multiplication
/// whose partial products never meet.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
fn gather_high_bits(high: u64) -> u64 {
    (high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

const LOW_BITS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const EACH_BYTE: u64 = 0x0101_0101_0101_0101;

/// The high bit of each of eight bytes that is an ASCII letter or digit, all bytes compared at once:
/// on a byte below 0x80, adding `0x80 - lo` sets its high bit exactly when it is at least `lo`, and
/// adding `0x7f - hi` exactly when it is above `hi`, and neither sum carries into the next byte.
fn word_bytes(x: u64) -> u64 {
    let low = x & LOW_BITS;
    let at_least = |v: u64, lo: u64| v + EACH_BYTE * (0x80 - lo);
    let at_most = |v: u64, hi: u64| !(v + EACH_BYTE * (0x7f - hi));
    let folded = low | (EACH_BYTE * 0x20);
    let letter = at_least(folded, 0x61) & at_most(folded, 0x7a);
    let digit = at_least(low, 0x30) & at_most(low, 0x39);
    (letter | digit) & !x & HIGH_BITS
}

/// The end of the run of ASCII letters and digits that starts at `from`, or `end` if it goes on that
/// far: eight bytes at a time while the text goes on, as most words end within the first eight.
pub fn alphanumeric_run_end(bytes: &[u8], mut from: usize, end: usize) -> usize {
    while from < end {
        let Some(eight) = bytes.get(from..from + 8) else {
            let rest = bytes[from..end]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric());
            return rest.map_or(end, |n| from + n);
        };
        let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        let others = !word_bytes(eight) & HIGH_BITS;
        if others != 0 {
            return end.min(from + others.trailing_zeros() as usize / 8);
        }
        from += 8;
    }
    end
}

/// What the lexicon knows of one lower-case word.
#[derive(Debug, Clone, Copy, Default)]
pub struct Entry {
    /// The lists it is in, as `class` bits.
    pub classes: u32,
    /// The cues it starts: each cue's remaining words and the cue, longest first.
    pub cues: &'static [(Vec<&'static str>, Cue)],
    /// Whether a sentence holding it is worth reading ([`glances`]).
    pub worth: bool,
}

/// The entry of a lower-case word; words in no list have the empty entry.
pub fn entry(word: &str) -> Entry {
    key(word.as_bytes()).map_or_else(Entry::default, |k| lexicon().entry(k))
}

/// The entry of the word `bytes[word]`, made of ASCII letters and digits in any case, and whether
/// it is all lower case already.
pub fn ascii_word_entry(bytes: &[u8], word: Range<usize>) -> (Entry, bool) {
    match packed_word(bytes, word.clone()) {
        Some((packed, its_bytes)) => {
            // upper-case letters are the only letters or digits without the 0x20 bit
            let lowered = packed | LOWERING & its_bytes;
            (lexicon().entry(lowered), lowered == packed)
        }
        None => {
            let lower_case = !bytes[word].iter().any(u8::is_ascii_uppercase);
            (Entry::default(), lower_case)
        }
    }
}

/// Every word of the lists above, keyed by [`key`], in an open-addressing table kept at most a
/// quarter full: every word of a sentence is looked up, most are in no list, and a number hashes and
/// compares in a few instructions where a string takes a loop.
struct Lexicon {
    /// The keys by slot, 0 where a slot is empty (no word's key is 0).
    keys: Vec<u128>,
    /// The entries, by the slot of their key.
    entries: Vec<Entry>,
    /// How far a key's hash is shifted to give its first slot.
    shift: u32,
    /// For each word length and first character, the last characters (as bits, see [`last_bit`]) of
    /// the words a [`glances`] looks for: most words of a text fail this before any look-up.
    notable_ends: Box<[u32; ENDS_SLOTS]>,
    /// One bit for each hash (see [`glanced_bit`]) of the words whose entries tell a glance
    /// something ([`GLANCED`]): most words that pass `notable_ends` are turned away here, in a few
    /// cache lines, before the table of keys, too large for the fastest cache, is read.
    glanced_hashes: Box<[u64; GLANCED_BITS / 64]>,
}

/// The classes a glance takes from a word, beside [`Entry::worth`]: a word with none of them and not
/// worth reading tells a glance nothing.
const GLANCED: u32 = class::SHIP
    | class::FORCE
    | class::PRONOUN
    | class::JOINT_CUE
    | class::NAVY_PREFIX
    | class::VESSEL_START;

/// How many bits `glanced_hashes` has: some sixteen times as many as there are words it keeps.
const GLANCED_BITS: usize = 1 << 14;

/// The bit of `glanced_hashes` for a key's hash: its highest bits, as the table's first slot.
fn glanced_bit(hash: u64) -> usize {
    (hash >> (64 - GLANCED_BITS.trailing_zeros())) as usize
}

/// The longest word a key holds.
const KEY_BYTES: usize = 16;

/// How many slots `notable_ends` has: one for each word length up to [`KEY_BYTES`] and each value of
/// a first byte's low six bits (see [`Lexicon::ends_slot`]).
const ENDS_SLOTS: usize = KEY_BYTES * 64;

/// For each word length up to [`KEY_BYTES`], the bytes of a key that hold the word: read from a
/// table, as a shift of 128 bits takes a dozen instructions.
static KEY_MASKS: [u128; KEY_BYTES + 1] = {
    let mut masks = [0; KEY_BYTES + 1];
    let mut len = 1;
    while len <= KEY_BYTES {
        masks[len] = u128::MAX >> (8 * (KEY_BYTES - len));
        len += 1;
    }
    masks
};

/// The 0x20 bit of every byte of a key.
const LOWERING: u128 = 0x2020_2020_2020_2020_2020_2020_2020_2020;

/// A word of up to [`KEY_BYTES`] bytes packed into one number (zero bytes after it); None for a
/// longer word, which no list holds.
fn key(word: &[u8]) -> Option<u128> {
    if word.len() > KEY_BYTES {
        return None;
    }
    let mut bytes = [0u8; KEY_BYTES];
    bytes[..word.len()].copy_from_slice(word);
    Some(u128::from_le_bytes(bytes))
}

/// The bytes of `bytes[word]` packed as by [`key`], with a mask of the key's bytes that hold them.
/// They are read as one number straight from the text where it goes on far enough.
fn packed_word(bytes: &[u8], word: Range<usize>) -> Option<(u128, u128)> {
    let len = word.len();
    if len > KEY_BYTES || len == 0 {
        return None;
    }
    let its_bytes = KEY_MASKS[len];
    let packed = match bytes.get(word.start..word.start + KEY_BYTES) {
        Some(sixteen) => {
            u128::from_le_bytes(sixteen.try_into().expect("sixteen bytes")) & its_bytes
        }
        None => key(&bytes[word])?,
    };
    Some((packed, its_bytes))
}

impl Lexicon {
    /// Where a word of this length (1 to [`KEY_BYTES`]) and first byte (an ASCII letter, in its
    /// case, or digit) is in `notable_ends`. The low six bits of the byte keep the two cases of a
    /// letter apart, which matters as some words are looked for only capitalised; a digit shares
    /// its slot with one of the lower-case letters from "p" to "y", which only lets a few more
    /// words through to the look-up, and keeps the table in a few kilobytes of the fastest cache.
    fn ends_slot(len: usize, first: u8) -> usize {
        (len - 1) * 64 + usize::from(first & 63)
    }

    fn hash(key: u128) -> u64 {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        folded.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn first_slot(key: u128, shift: u32) -> usize {
        (Self::hash(key) >> shift) as usize
    }

    fn entry(&self, key: u128) -> Entry {
        let mask = self.keys.len() - 1;
        let mut slot = Self::first_slot(key, self.shift);
        loop {
            match self.keys[slot] {
                k if k == key => return self.entries[slot],
                0 => return Entry::default(),
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// The entry of the word of `len` bytes at `start` in `block` (ASCII letters and digits in any
    /// case, at most [`KEY_BYTES`] of them) when it tells a glance something ([`GLANCED`]), else
    /// None or, rarely, an entry that tells it nothing.
    #[inline(always)]
    fn glanced_entry_in(&self, block: &Block, start: usize, len: usize) -> Option<Entry> {
        let sixteen = &block[start % 64..start % 64 + KEY_BYTES];
        let packed = u128::from_le_bytes(sixteen.try_into().expect("sixteen bytes"));
        let its_bytes = KEY_MASKS[len];
        // setting the 0x20 bit of each of its bytes lowers the letters and leaves the digits
        self.glanced_entry(packed & its_bytes | LOWERING & its_bytes)
    }

    #[inline(always)]
    fn glanced_entry(&self, key: u128) -> Option<Entry> {
        let bit = glanced_bit(Self::hash(key));
        (self.glanced_hashes[bit / 64] >> (bit % 64) & 1 != 0).then(|| self.entry(key))
    }
}

/// Whether the word from byte `first` to byte `last` of `block` (ASCII letters and digits in any
/// case, starting inside the block's first 64 bytes) may be a word [`glances`] looks for where it
/// stands, by `notable_ends` of the [`Lexicon`]: some are looked for only capitalised, where they
/// may name a ship.
#[inline(always)]
fn may_be_notable(ends: &[u32; ENDS_SLOTS], block: &Block, first: usize, last: usize) -> bool {
    let span = last - first;
    if span >= KEY_BYTES {
        // no listed word is this long, nor the first word of any vessel name
        return false;
    }
    let slot = Lexicon::ends_slot(span + 1, block[first % 64]);
    ends[slot] & 1 << last_bit(block[first % 64 + span]) != 0
}

/// The bit of a word's last byte in a slot of `notable_ends`: its low five bits, which tell the
/// letters apart in either case (the last letter is looked for in both); a digit shares its bit
/// with one of the letters from "p" to "y", which only lets a few more words through.
fn last_bit(b: u8) -> u32 {
    u32::from(b & 31)
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let key_of = |w: &str| {
            assert!(
                w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "lexicon word {w:?} is not lower-case ASCII letters and digits"
            );
            key(w.as_bytes()).unwrap_or_else(|| panic!("lexicon word {w:?} is too long"))
        };
        let mut entries: FxHashMap<u128, Entry> = FxHashMap::default();
        let mut add = |words: &[&'static str], bit: u32| {
            for w in words {
                entries.entry(key_of(w)).or_default().classes |= bit;
            }
        };
        add(REPORTING, class::REPORTING);
        add(SUBORDINATORS, class::SUBORDINATOR);
        add(FUTURE_AUX, class::FUTURE_AUX);
        add(FUTURE_ADJ, class::FUTURE_ADJ);
        add(PLAN_TO, class::PLAN_TO);
        add(DEFINITE, class::DEFINITE);
        add(NUMBER_WORDS, class::NUMBER);
        add(MODIFIERS, class::MODIFIER);
        add(MODIFIED, class::MODIFIED);
        add(FORCE_NOUNS, class::FORCE);
        add(DIRECTIONS, class::DIRECTION);
        add(THEN, class::THEN);
        add(NOT_NAMES, class::NOT_NAME);
        add(IRREGULAR_PAST, class::IRREGULAR_PAST);
        add(PRONOUNS, class::PRONOUN);
        let group_firsts: Vec<&str> = GROUP_PAIRS.iter().map(|(first, _)| *first).collect();
        add(&group_firsts, class::GROUP_FIRST);
        for &(w, plural) in SHIP_NOUNS {
            entries.entry(key_of(w)).or_default().classes |=
                class::SHIP | if plural { class::SHIP_PLURAL } else { 0 };
        }
        for (first, list) in cues() {
            let entry = entries.entry(key_of(first)).or_default();
            entry.cues = list.as_slice();
            let joint = |cue: &Cue| match cue {
                Cue::Verb(action) | Cue::Noun(action) => {
                    matches!(action, Action::Exercise | Action::Patrol | Action::Meeting)
                }
                Cue::Join => true,
                Cue::Motion { .. } | Cue::Light(_) => false,
            };
            if list.iter().any(|(_, cue)| joint(cue)) {
                entry.classes |= class::JOINT_CUE;
            }
        }
        let prefixes: Vec<String> = PREFIXES.iter().map(|(p, _)| p.to_lowercase()).collect();
        for p in &prefixes {
            entries.entry(key_of(p)).or_default().classes |= class::NAVY_PREFIX;
        }
        for w in vessels().first_words() {
            entries.entry(key_of(w)).or_default().classes |= class::VESSEL_START;
        }
        let worth_words = (cues().keys().copied())
            .chain(SHIP_NOUNS.iter().map(|(w, _)| *w))
            .chain(GROUP_PAIRS.iter().map(|(_, w)| *w))
            .chain(FORCE_NOUNS.iter().copied());
        for w in worth_words {
            entries.entry(key_of(w)).or_default().worth = true;
        }
        let mut notable_ends = Box::new([0u32; ENDS_SLOTS]);
        let mut glanced_hashes = Box::new([0u64; GLANCED_BITS / 64]);
        // what a glance takes from a word whatever its case; a navy prefix or the first word of a
        // vessel name may name a ship only when it is capitalised
        let in_any_case = class::SHIP | class::FORCE | class::PRONOUN | class::JOINT_CUE;
        let capitalised = class::NAVY_PREFIX | class::VESSEL_START;
        for (&k, entry) in &entries {
            if entry.worth || entry.classes & GLANCED != 0 {
                let bit = glanced_bit(Lexicon::hash(k));
                glanced_hashes[bit / 64] |= 1 << (bit % 64);
            }
            let word = &k.to_le_bytes()[..];
            let len = word.iter().position(|&b| b == 0).unwrap_or(KEY_BYTES);
            let (first, last) = (word[0], word[len - 1]);
            let lasts = [last, last.to_ascii_uppercase()].map(last_bit);
            let firsts = if entry.worth || entry.classes & in_any_case != 0 {
                vec![first, first.to_ascii_uppercase()]
            } else if entry.classes & capitalised != 0 {
                vec![first.to_ascii_uppercase()]
            } else {
                vec![]
            };
            for first in firsts {
                for last in lasts {
                    notable_ends[Lexicon::ends_slot(len, first)] |= 1 << last;
                }
            }
        }
        let slots = (entries.len() * 4).next_power_of_two();
        let shift = 64 - slots.trailing_zeros();
        let mut keys = vec![0u128; slots];
        let mut by_slot = vec![Entry::default(); slots];
        for (k, entry) in entries {
            let mut slot = Lexicon::first_slot(k, shift);
            while keys[slot] != 0 {
                slot = (slot + 1) & (slots - 1);
            }
            keys[slot] = k;
            by_slot[slot] = entry;
        }
        Lexicon {
            keys,
            entries: by_slot,
            shift,
            notable_ends,
            glanced_hashes,
        }
    })
}

/// Verbs and nouns that report speech: a time next to them dates the statement, not the happening,
/// and a navy or ministry before them is the speaker, not an actor.
pub const REPORTING: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "announced",
    "announces",
    "announce",
    "announcing",
    "stated",
    "states",
    "reported",
    "reports",
    "told",
    "tells",
    "added",
    "adding",
    "confirmed",
    "confirms",
    "noted",
    "claimed",
    "cited",
    "citing",
    "quoted",
    "tweeted",
    "wrote",
    "posted",
    "mentioned",
    "statement",
    "statements",
    "according",
    "announcement",
];

/// Words before a verb that put it in the future or make it a plan.
pub const FUTURE_AUX: &[&str] = &["will", "would", "shall", "ll"];

/// Adjectives before an event noun that make it a plan.
pub const FUTURE_ADJ: &[&str] = &["upcoming", "planned", "scheduled", "forthcoming", "future"];

/// Verbs or adjectives followed by "to" + verb that make the verb a plan ("set to start", "due to visit").
pub const PLAN_TO: &[&str] = &[
    "due",
    "set",
    "expected",
    "plans",
    "plan",
    "planned",
    "planning",
    "scheduled",
    "going",
    "about",
    "is",
    "are",
    "intends",
    "intend",
    "aims",
    "poised",
    "slated",
];

/// Prepositions that place a happening, and what they make of a motion verb.
pub fn locative(word: &str) -> Option<Locative> {
    Some(match word {
        "from" => Locative::From,
        "to" | "toward" | "towards" | "for" | "into" | "onto" => Locative::To,
        "through" | "past" | "via" | "across" | "along" | "around" => Locative::Through,
        "at" | "in" | "off" | "near" | "over" | "within" | "inside" | "outside" | "beyond"
        | "on" => Locative::At,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locative {
    From,
    To,
    Through,
    At,
}

/// Words that open a subordinate clause.
pub const SUBORDINATORS: &[&str] = &[
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "before",
    "after",
    "while",
    "when",
    "whereas",
    "although",
    "because",
    "prompting",
    "amid",
    "where",
];

/// Articles and numbers before a noun.
pub const NUMBER_WORDS: &[&str] = &[
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "several", "some", "many", "multiple", "both", "all", "its", "their",
];

/// Past tenses and participles that do not end in "-ed".
pub const IRREGULAR_PAST: &[&str] = &[
    "left", "met", "set", "held", "made", "sent", "went", "took", "began", "came", "kept", "led",
    "ran", "saw", "put", "begun", "taken", "seen", "done", "did",
];

/// Compass words that make "east of Taipei" a relative location, not a place the ship was at.
pub const DIRECTIONS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "northern",
    "southern",
    "eastern",
    "western",
];

/// Pronouns that stand for a recent actor as the subject of a sentence ("They then sailed").
pub const PRONOUNS: &[&str] = &["they", "it", "she"];

/// Words that say the events after them came later ("then", "later").
pub const THEN: &[&str] = &["then", "later", "afterwards", "afterward", "subsequently"];

/// Ship nouns: (word, plural). A plural or collective noun makes a group, a singular one a ship.
pub const SHIP_NOUNS: &[(&str, bool)] = &[
    ("flotilla", true),
    ("flotillas", true),
    ("group", true),
    ("fleet", true),
    ("squadron", true),
    ("convoy", true),
    ("armada", true),
    ("formation", true),
    ("detachment", true),
    ("warships", true),
    ("ships", true),
    ("vessels", true),
    ("destroyers", true),
    ("frigates", true),
    ("corvettes", true),
    ("cruisers", true),
    ("carriers", true),
    ("submarines", true),
    ("icebreakers", true),
    ("boats", true),
    ("warship", false),
    ("ship", false),
    ("vessel", false),
    ("destroyer", false),
    ("frigate", false),
    ("corvette", false),
    ("cruiser", false),
    ("carrier", false),
    ("submarine", false),
    ("icebreaker", false),
    ("battlecruiser", false),
    ("flagship", false),
    ("tanker", false),
    ("oiler", false),
];

/// Two-word group nouns whose second word alone is not a ship noun ("task group").
pub const GROUP_PAIRS: &[(&str, &str)] = &[
    ("task", "group"),
    ("task", "force"),
    ("strike", "group"),
    ("carrier", "group"),
    ("battle", "group"),
    ("naval", "group"),
    ("surface", "group"),
    ("escort", "group"),
];

/// Nouns that name a nation's forces as a whole.
pub const FORCE_NOUNS: &[&str] = &[
    "forces",
    "force",
    "navy",
    "navies",
    "military",
    "militaries",
    "army",
    "fleet",
];

/// Words after a force or ship noun that make it a modifier ("Russian Navy chief", "navy statement").
pub const MODIFIED: &[&str] = &[
    "chief",
    "chiefs",
    "commander",
    "commanders",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "minister",
    "ministry",
    "headquarters",
    "statement",
    "source",
    "sources",
    "officer",
    "officers",
    "personnel",
    "sailors",
    "crew",
    "crews",
    "delegation",
    "band",
    "base",
    "bases",
    "academy",
    "day",
    "photo",
    "aircraft",
    "helicopters",
    "helicopter",
];

/// Words allowed between a nationality and its ship or force noun ("Chinese naval flotilla",
/// "five Chinese guided-missile destroyers").
pub const MODIFIERS: &[&str] = &[
    "naval",
    "navy",
    "guided",
    "missile",
    "amphibious",
    "assault",
    "landing",
    "anti",
    "submarine",
    "combat",
    "surface",
    "auxiliary",
    "support",
    "supply",
    "patrol",
    "coast",
    "guard",
    "air",
    "and",
    "military",
    "nuclear",
    "powered",
    "attack",
    "aircraft",
    "research",
    "survey",
    "spy",
    "intelligence",
    "armed",
    "maritime",
    "large",
    "small",
    "new",
    "type",
    "class",
    "stealth",
    "pacific",
    "northern",
    "baltic",
    "black",
    "sea",
    "eastern",
    "southern",
    "western",
    "joint",
    "allied",
];

/// Determiners before an actor noun: "the" and its kin make it a reference back.
pub const DEFINITE: &[&str] = &["the", "these", "those", "this", "same", "both"];

/// Navy prefixes written before ship names, with the navy's country.
pub const PREFIXES: &[(&str, &str)] = &[
    ("HMS", "GB"),
    ("RFA", "GB"),
    ("USS", "US"),
    ("USNS", "US"),
    ("USCGC", "US"),
    ("HMCS", "CA"),
    ("INS", "IN"),
    ("JS", "JP"),
    ("ROKS", "KR"),
    ("HNLMS", "NL"),
    ("FS", "FR"),
    ("FNS", "FR"),
    ("ITS", "IT"),
    ("FGS", "DE"),
    ("HMAS", "AU"),
    ("HMNZS", "NZ"),
    ("TCG", "TR"),
    ("ESPS", "ES"),
    ("SPS", "ES"),
    ("KRI", "ID"),
    ("BRP", "PH"),
    ("RSS", "SG"),
    ("KD", "MY"),
    ("PNS", "PK"),
    ("NRP", "PT"),
    ("HDMS", "DK"),
    ("HNoMS", "NO"),
    ("HSwMS", "SE"),
    ("ORP", "PL"),
    ("HS", "GR"),
    ("ROCS", "TW"),
    ("RFS", "RU"),
    ("PLANS", "CN"),
    ("ARA", "AR"),
    ("BNS", "BE"),
];

/// Capitalised words that follow a class word without being a ship's name.
pub const NOT_NAMES: &[&str] = &[
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
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "and",
    "but",
    "the",
    "on",
    "in",
    "at",
    "from",
    "to",
    "of",
    "was",
    "is",
    "which",
    "that",
    "it",
    "its",
    "he",
    "she",
    "they",
    "type",
    "class",
];

/// Which of the lists above a word is in, as bits, so a sentence's words are looked up once each.
pub mod class {
    pub const REPORTING: u32 = 1;
    pub const SUBORDINATOR: u32 = 1 << 1;
    pub const FUTURE_AUX: u32 = 1 << 2;
    pub const FUTURE_ADJ: u32 = 1 << 3;
    pub const PLAN_TO: u32 = 1 << 4;
    pub const DEFINITE: u32 = 1 << 5;
    pub const NUMBER: u32 = 1 << 6;
    pub const MODIFIER: u32 = 1 << 7;
    pub const MODIFIED: u32 = 1 << 8;
    pub const SHIP: u32 = 1 << 9;
    pub const SHIP_PLURAL: u32 = 1 << 10;
    pub const FORCE: u32 = 1 << 11;
    pub const DIRECTION: u32 = 1 << 12;
    pub const THEN: u32 = 1 << 13;
    pub const NOT_NAME: u32 = 1 << 14;
    pub const IRREGULAR_PAST: u32 = 1 << 15;
    /// The first word of a two-word group noun ("task" of "task group").
    pub const GROUP_FIRST: u32 = 1 << 16;
    /// A pronoun that may stand for a recent actor as a subject.
    pub const PRONOUN: u32 = 1 << 17;
    /// A navy prefix, in lower case ("uss").
    pub const NAVY_PREFIX: u32 = 1 << 18;
    /// The first word of a name or variant in the vessel table, folded.
    pub const VESSEL_START: u32 = 1 << 19;
    /// The first word of a cue that may report an exercise, a patrol or a meeting.
    pub const JOINT_CUE: u32 = 1 << 20;
}

/// The classes of a lower-case word.
pub fn classes(word: &str) -> u32 {
    entry(word).classes
}

/// Whether a lower-case word is in any of the given classes.
pub fn is(word: &str, classes_wanted: u32) -> bool {
    classes(word) & classes_wanted != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::next_below;
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

    fn glance(text: &str, sentence: Range<usize>) -> Glance {
        glances(text, &[sentence])[0]
    }

    /// Where the words start that made a sentence worth reading when an Aho-Corasick search over the
    /// whole text found them, before [`glances`] was written: a worth-reading word anywhere,
    /// case aside, with no ASCII letter or digit either side. A sentence was worth reading when one
    /// of them started inside it.
    fn starts_by_search(finder: &AhoCorasick, text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        let in_word = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
        finder
            .find_iter(text)
            .filter(|m| !(m.start() > 0 && in_word(m.start() - 1) || in_word(m.end())))
            .map(|m| m.start())
            .collect()
    }

    fn finder() -> AhoCorasick {
        let mut words: Vec<&str> = cues().keys().copied().collect();
        words.extend(SHIP_NOUNS.iter().map(|(w, _)| *w));
        words.extend(GROUP_PAIRS.iter().map(|(_, w)| *w));
        words.extend(FORCE_NOUNS);
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(words)
            .unwrap()
    }

    /// Texts made of pieces that put words at every edge a scan can get wrong: at block edges, at
    /// the sentence's edges, glued to digits or letters, in capitals, next to other scripts.
    fn texts() -> Vec<String> {
        let pieces = [
            "sailed",
            "Ships",
            "FLEET",
            "forces",
            "force2",
            "xdrills",
            "drillsx",
            "the",
            " ",
            "  ",
            ".",
            ",",
            "é",
            "—",
            "Navy",
            "a",
            "circumnavigated",
            "Circumnavigatedly",
            "9",
            "WAR",
            "warships",
            "\n",
            "hold",
            "group",
            "Éric",
            "task",
            "ß",
            "exercise",
            "port",
            "-",
        ];
        let mut texts = vec![String::new(), "sailed".into(), "x".repeat(70) + " ships"];
        let mut seed: u64 = 7;
        for _ in 0..300 {
            let mut text = String::new();
            let len = next_below(&mut seed, 64) + 1;
            for _ in 0..len {
                text.push_str(pieces[next_below(&mut seed, pieces.len())]);
            }
            texts.push(text);
        }
        texts
    }

    #[test]
    fn glances_find_worth_reading_what_the_word_search_found() {
        let finder = finder();
        let mut worth = 0;
        for text in texts() {
            let starts = starts_by_search(&finder, &text);
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (k, &start) in boundaries.iter().enumerate().step_by(2) {
                for &end in boundaries[k..].iter().step_by(5) {
                    let expected = starts.iter().any(|at| (start..end).contains(at));
                    assert_eq!(
                        glance(&text, start..end).worth,
                        expected,
                        "{text:?} from {start} to {end}"
                    );
                    worth += usize::from(expected);
                }
            }
        }
        assert!(
            worth > 1000,
            "the texts hold few worth-reading words: {worth}"
        );
    }

    #[test]
    fn glances_tell_cue_words_from_actor_names() {
        let at = |text: &str| glance(text, 0..text.len());
        let seen = |worth, names, collective, pronoun, joint| Glance {
            worth,
            names,
            collective,
            pronoun,
            joint,
        };
        assert_eq!(at("Officials said little."), Glance::default());
        assert_eq!(
            at("The minister made a call."),
            seen(true, false, false, false, false)
        );
        assert_eq!(
            at("It held drills; MADE-UP"),
            seen(true, false, false, true, true)
        );
        // a ship noun alone needs a nationality or an earlier actor; before a capitalised word it
        // may be a class word before a name
        assert_eq!(
            at("The warships made a call."),
            seen(true, false, true, false, false)
        );
        assert!(at("The destroyer Qiqihar made a call.").names);
        assert!(at("the destroyer, the Qiqihar made").names);
        assert!(!at("the destroyer, the navy made").names);
        assert!(!at("Destroyers Wang made").names);
        // a navy prefix in capitals, a capitalised vessel name, whole
        assert!(at("USS Dewey made a call.").names);
        assert!(!at("the uss made a call.").names);
        assert!(at("Diamond made a call.").names);
        assert!(!at("diamond made a call.").names);
        assert!(at("The Sullivans made a call.").names);
        assert!(!at("The Sullivan made a call.").names);
        assert!(at("The Sullivan's made a call.").names);
        assert!(at("Chung-Hoon made a call.").names);
        // words the glance does not judge: other scripts, a sentence that starts or ends inside a
        // word
        assert!(at("Éric made a call.").names);
        assert!(!at("Eric made a call’s “end”.").names);
        assert!(glance("xmade a call", 1..12).names);
        assert!(glance("made a callx", 0..11).names);
    }

    /// Sentences cut at random character boundaries of `text`, in order, some with bytes between.
    fn random_sentences(text: &str, seed: &mut u64) -> Vec<Range<usize>> {
        let mut next = |below: usize| next_below(seed, below);
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let mut cuts: Vec<usize> = (0..next(16))
            .map(|_| boundaries[next(boundaries.len())])
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        cuts.windows(2)
            .filter(|_| next(4) > 0)
            .map(|w| w[0]..w[1])
            .collect()
    }

    #[test]
    fn a_text_glanced_at_whole_gives_each_sentence_its_own_glance() {
        let mut seed = 3;
        let (mut sentences_seen, mut worth, mut names) = (0, 0, 0);
        for text in texts() {
            for _ in 0..4 {
                let sentences = random_sentences(&text, &mut seed);
                let alone: Vec<Glance> =
                    sentences.iter().map(|s| glance(&text, s.clone())).collect();
                assert_eq!(glances(&text, &sentences), alone, "{text:?} {sentences:?}");
                sentences_seen += sentences.len();
                worth += alone.iter().filter(|g| g.worth).count();
                names += alone.iter().filter(|g| g.names).count();
            }
        }
        assert!(sentences_seen > 2000 && worth > 500 && names > 500);
    }

    /// Texts of ASCII words cut into sentences only after a word's end, so that the glance judges
    /// every word: a sentence worth reading must name an actor exactly when one of its words does,
    /// judged alone, though the glance judges them only once the sentence proves worth reading.
    #[test]
    fn every_sentence_worth_reading_has_its_naming_words_judged() {
        let pieces = [
            "Diamond",
            "diamond",
            "The",
            "Sullivans",
            "Sullivan",
            "USS",
            "uss",
            "Dewey",
            "destroyer",
            "Destroyers",
            "Qiqihar",
            "made",
            "a",
            "call",
            "sailed",
            "the",
            "said",
            ",",
            " ",
            "  ",
            ".",
            "9",
            "-",
            "'s",
            "Chung",
            "Hoon",
            "ships",
            "navy",
            "\n",
        ];
        let mut seed: u64 = 5;
        let mut next = |below: usize| next_below(&mut seed, below);
        let (mut worth_named, mut worth_unnamed, mut unworth_named) = (0, 0, 0);
        for _ in 0..3000 {
            let text: String = (0..next(40) + 1)
                .map(|_| pieces[next(pieces.len())])
                .collect();
            let bytes = text.as_bytes();
            // a sentence that starts right after a letter or digit is one the glance does not judge
            let between_words =
                |at: usize| at == 0 || at == bytes.len() || !bytes[at - 1].is_ascii_alphanumeric();
            let mut cuts: Vec<usize> = (0..next(8))
                .map(|_| next(bytes.len() + 1))
                .chain([0, bytes.len()])
                .filter(|&at| between_words(at))
                .collect();
            cuts.sort_unstable();
            cuts.dedup();
            let sentences: Vec<Range<usize>> = cuts.windows(2).map(|w| w[0]..w[1]).collect();
            for (sentence, glance) in sentences.iter().zip(glances(&text, &sentences)) {
                let mut named = false;
                let mut at = sentence.start;
                while at < sentence.end {
                    let len = bytes[at..sentence.end]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric())
                        .count();
                    if len > 0 {
                        let classes = ascii_word_entry(bytes, at..at + len).0.classes;
                        named |= classes & NAMING != 0
                            && names_actor(classes, bytes, at..at + len, sentence.end);
                    }
                    at += len.max(1);
                }
                if glance.worth {
                    assert_eq!(glance.names, named, "{text:?} {sentence:?}");
                    worth_named += usize::from(named);
                    worth_unnamed += usize::from(!named);
                } else {
                    unworth_named += usize::from(named);
                }
            }
        }
        assert!(
            worth_named > 100 && worth_unnamed > 100 && unworth_named > 50,
            "{worth_named} {worth_unnamed} {unworth_named}"
        );
    }

    #[test]
    fn blocks_read_sixteen_and_eight_bytes_at_a_time_agree() {
        let text: Vec<u8> = texts().concat().into_bytes();
        let mut blocks: Vec<Block> = (0..=255u8)
            .map(|b| std::array::from_fn(|i| b.wrapping_add(i as u8)))
            .collect();
        blocks.extend((0..text.len()).step_by(7).map(|at| block_at(&text, at)));
        for block in &blocks {
            let bits = |keep: &dyn Fn(u8) -> bool| {
                (0..64)
                    .filter(|&i| keep(block[i]))
                    .fold(0u64, |bits, i| bits | 1 << i)
            };
            let expected = (bits(&|b| b.is_ascii_alphanumeric()), bits(&|b| b >= 0xc0));
            assert_eq!(words_and_other_scripts(block), expected, "{block:?}");
            assert_eq!(
                words_and_other_scripts_in_lanes(block),
                expected,
                "{block:?}"
            );
        }
    }

    #[test]
    fn no_general_punctuation_is_part_of_a_word() {
        for c in GENERAL_PUNCTUATION {
            assert!(
                !(c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)),
                "{c:?}"
            );
        }
    }

    /// Every word a glance takes from the lexicon passes the filter of word length and first and
    /// last bytes, wherever it stands in a block, in the cases it is taken in.
    #[test]
    fn the_notable_filter_lets_every_looked_for_word_through() {
        let lexicon = lexicon();
        let in_any_case = class::SHIP | class::FORCE | class::PRONOUN | class::JOINT_CUE;
        let capitalised = class::NAVY_PREFIX | class::VESSEL_START;
        let (mut passed, mut looked_for) = (0, 0);
        for (&k, entry) in lexicon.keys.iter().zip(&lexicon.entries) {
            if k == 0 {
                continue;
            }
            let bytes = k.to_le_bytes();
            let word = &bytes[..bytes.iter().position(|&b| b == 0).unwrap_or(KEY_BYTES)];
            let mut forms = vec![];
            if entry.worth || entry.classes & in_any_case != 0 {
                forms.push(word.to_vec());
                forms.push(word.to_ascii_uppercase());
            }
            if entry.classes & capitalised != 0 {
                let mut capital = word.to_vec();
                capital[0].make_ascii_uppercase();
                forms.push(capital);
            }
            for form in forms {
                looked_for += 1;
                for at in [0, 1, 17, 63 - form.len()] {
                    let mut block = [b' '; 64 + KEY_BYTES];
                    block[at..at + form.len()].copy_from_slice(&form);
                    let last = at + form.len() - 1;
                    passed += usize::from(may_be_notable(&lexicon.notable_ends, &block, at, last));
                    assert!(
                        may_be_notable(&lexicon.notable_ends, &block, at, last),
                        "{:?}",
                        String::from_utf8_lossy(&form)
                    );
                }
            }
        }
        assert!(looked_for > 300 && passed == 4 * looked_for, "{looked_for}");
        // and most other words are turned away before any look-up
        let text = b"The minister told reporters that talks in Geneva would continue on Monday";
        let turned_away = text
            .split(|&b| b == b' ')
            .filter(|word| {
                let mut block = [b' '; 64 + KEY_BYTES];
                block[..word.len()].copy_from_slice(word);
                !may_be_notable(&lexicon.notable_ends, &block, 0, word.len() - 1)
            })
            .count();
        assert!(turned_away >= 8, "{turned_away}");
    }

    /// The run end read eight bytes at a time is the one read byte by byte, wherever the run
    /// and the end stand against the eight-byte steps and the end of the text.
    #[test]
    fn alphanumeric_runs_end_as_read_byte_by_byte() {
        let pieces = ["a", "Z", "7", " ", ",", "-", "é", "’", "\n", "word", "x9"];
        let mut seed = 3;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..next_below(&mut seed, 30) {
                text.push_str(pieces[next_below(&mut seed, pieces.len())]);
            }
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                for end in from..=bytes.len() {
                    let plain = (bytes[from..end].iter())
                        .position(|b| !b.is_ascii_alphanumeric())
                        .map_or(end, |n| from + n);
                    assert_eq!(
                        alphanumeric_run_end(bytes, from, end),
                        plain,
                        "{text:?} {from} {end}"
                    );
                }
            }
        }
    }

    /// The filter of hashes before the table gives each word a glance takes in its full entry,
    /// and turns away most other words.
    #[test]
    fn the_glanced_filter_keeps_every_glanced_entry() {
        let lexicon = lexicon();
        let same = |a: Entry, b: Entry| {
            a.classes == b.classes && a.worth == b.worth && a.cues.len() == b.cues.len()
        };
        let mut glanced = 0;
        for (&k, &entry) in lexicon.keys.iter().zip(&lexicon.entries) {
            if k == 0 {
                continue;
            }
            match lexicon.glanced_entry(k) {
                Some(found) => assert!(same(found, entry), "{k:x}"),
                None => assert!(!entry.worth && entry.classes & GLANCED == 0, "{k:x}"),
            }
            glanced += usize::from(entry.worth || entry.classes & GLANCED != 0);
        }
        assert!(glanced > 300, "{glanced}");
        let mut seed = 7;
        let (mut words, mut turned_away) = (0, 0);
        for _ in 0..20_000 {
            let len = 1 + next_below(&mut seed, KEY_BYTES);
            let word: Vec<u8> = (0..len)
                .map(|_| b'a' + next_below(&mut seed, 26) as u8)
                .collect();
            let k = key(&word).expect("a short word");
            let entry = lexicon.entry(k);
            if entry.worth || entry.classes & GLANCED != 0 {
                continue;
            }
            words += 1;
            match lexicon.glanced_entry(k) {
                Some(found) => assert!(same(found, entry)),
                None => turned_away += 1,
            }
        }
        assert!(turned_away * 100 >= words * 90, "{turned_away} of {words}");
    }

    #[test]
    fn entries_have_the_lists_words() {
        assert_eq!(classes("said"), class::REPORTING);
        assert_ne!(classes("carrier") & class::SHIP, 0);
        assert_ne!(classes("carrier") & class::GROUP_FIRST, 0);
        assert_eq!(classes("sailed"), 0);
        assert_eq!(entry("sailed").cues.len(), 1);
        assert!(entry("sailed").worth && !entry("said").worth);
        assert_eq!(classes("circumnavigatedly"), 0);
        let text = b"The Frigates sailed";
        assert!(ascii_word_entry(text, 4..12).0.classes & class::SHIP_PLURAL != 0);
        assert!(!ascii_word_entry(text, 4..12).1 && ascii_word_entry(text, 13..19).1);
    }
}
