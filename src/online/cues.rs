//! Cue phrases: capitalised names that the words around them mark as a place — "Sasebo naval base",
//! "the port of Tartus", "Cam Ranh Bay" — though the offline gazetteer does not know them, so
//! recognition (which is gazetteer-driven) never saw them. They are what the online lookup adds beyond
//! the mentions: piers, bases and anchorages are exactly what no offline gazetteer holds.

use std::ops::Range;

use crate::gazetteer::Gazetteer;
use crate::geoparse::recognize::{Word, Words};

/// A name the cue words mark as a place; the text of its span is what a geocoder is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct CuePhrase {
    /// Byte range in the text: the name, with its cue words when they are capitalised (part of it).
    pub span: Range<usize>,
}

/// Words after a name that make it a place. Written in lower case ("Yulin naval base") they describe
/// it; capitalised ("Sasebo Naval Base", "Cam Ranh Bay") they are part of its name.
const AFTER: &[&[&str]] = &[
    &["air", "force", "base"],
    &["naval", "base"],
    &["navy", "base"],
    &["air", "base"],
    &["naval", "station"],
    &["naval", "port"],
    &["naval", "facility"],
    &["base"],
    &["port"],
    &["harbour"],
    &["harbor"],
    &["anchorage"],
    &["shipyard"],
    &["dockyard"],
    &["strait"],
    &["bay"],
    &["gulf"],
    &["channel"],
    &["island"],
    &["islands"],
    &["reef"],
    &["shoal"],
    &["atoll"],
];

/// Words before a name that make it a place ("the port of Tartus", "anchored off Ream").
const BEFORE: &[&[&str]] = &[
    &["port", "of"],
    &["harbour", "of"],
    &["harbor", "of"],
    &["base", "at"],
    &["base", "in"],
    &["anchorage", "at"],
    &["anchorage", "off"],
    &["anchored", "off"],
    &["anchored", "at"],
    &["docked", "at"],
    &["docked", "in"],
    &["berthed", "at"],
];

/// Capitalised words that begin or qualify a phrase rather than name a place.
const NOT_NAME: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our",
    "navy", "naval", "military", "army", "air", "force", "forces", "main", "key", "major", "new",
    "old", "near", "at", "in", "of", "off", "from", "to", "and",
];

/// At most this many words in a name found by cue.
const MAX_NAME_WORDS: usize = 4;

/// The cue phrases of a text whose name the gazetteer does not know, in text order.
pub fn find(gazetteer: &Gazetteer, text: &str, words: &Words) -> Vec<CuePhrase> {
    let is_name_word = |i: usize| {
        words[i].capitalised
            && !NOT_NAME.contains(&words.folded(i))
            && gazetteer.demonym(words.folded(i)).is_none()
    };
    let mut out: Vec<CuePhrase> = Vec::new();
    for i in 0..words.len() {
        for cue in AFTER {
            if !matches_at(text, words, i, cue) {
                continue;
            }
            let mut first = i;
            while first > 0
                && i - first < MAX_NAME_WORDS
                && is_name_word(first - 1)
                && adjacent(text, &words[first - 1], &words[first])
            {
                first -= 1;
            }
            if first == i {
                continue;
            }
            let span_last = if words[i].capitalised {
                i + cue.len() - 1
            } else {
                i - 1
            };
            push(gazetteer, text, words, first, i - 1, span_last, &mut out);
        }
        for cue in BEFORE {
            if !matches_at(text, words, i, cue) {
                continue;
            }
            let first = i + cue.len();
            let mut last = first;
            while last < words.len()
                && last - first < MAX_NAME_WORDS
                && is_name_word(last)
                && (last == first || adjacent(text, &words[last - 1], &words[last]))
            {
                last += 1;
            }
            if last > first {
                push(gazetteer, text, words, first, last - 1, last - 1, &mut out);
            }
        }
    }
    out.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end)));
    // one phrase per stretch of text: the first and longest
    out.dedup_by(|later, earlier| later.span.start < earlier.span.end);
    out
}

/// Keep the phrase over words `first..=span_last` when its name (`first..=name_last`) is unknown offline.
fn push(
    gazetteer: &Gazetteer,
    text: &str,
    words: &Words,
    first: usize,
    name_last: usize,
    span_last: usize,
    out: &mut Vec<CuePhrase>,
) {
    let span = words[first].start()..words[span_last].end();
    let name = crate::gazetteer::fold(&text[words[first].start()..words[name_last].end()]);
    let whole = crate::gazetteer::fold(&text[span.clone()]);
    if gazetteer.lookup_folded(&name).is_empty() && gazetteer.lookup_folded(&whole).is_empty() {
        out.push(CuePhrase { span });
    }
}

fn matches_at(text: &str, words: &Words, i: usize, cue: &[&str]) -> bool {
    let Some(run) = words.get(i..i + cue.len()) else {
        return false;
    };
    cue.iter()
        .enumerate()
        .all(|(k, c)| words.folded(i + k) == *c)
        && run
            .windows(2)
            .all(|pair| adjacent(text, &pair[0], &pair[1]))
}

/// Two words with only spaces or a hyphen between them: no punctuation breaks the phrase.
fn adjacent(text: &str, a: &Word, b: &Word) -> bool {
    text[a.end()..b.start()]
        .chars()
        .all(|c| c == ' ' || c == '-' || c == '\u{a0}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::test_data;
    use crate::geoparse::recognize;

    fn phrases(text: &str) -> Vec<String> {
        let g = test_data::small();
        let words = recognize::words(text);
        find(&g, text, &words)
            .into_iter()
            .map(|c| text[c.span].to_string())
            .collect()
    }

    #[test]
    fn finds_bases_ports_and_named_waters() {
        assert_eq!(
            phrases("The destroyer returned to Sasebo naval base on Monday."),
            ["Sasebo"]
        );
        assert_eq!(
            phrases("Ships called at the port of Tartus, then Cam Ranh Bay."),
            ["Tartus", "Cam Ranh Bay"]
        );
        assert_eq!(
            phrases("It sailed from Yulin Naval Base. Russia's Tartus base is small."),
            ["Yulin Naval Base", "Tartus"]
        );
        assert_eq!(
            phrases("Bombers flew from Andersen Air Force Base."),
            ["Andersen Air Force Base"]
        );
        assert_eq!(phrases("The fleet gathered in Ulithi atoll."), ["Ulithi"]);
    }

    #[test]
    fn known_names_demonyms_and_broken_phrases_are_left_alone() {
        // Qingdao is in the gazetteer: recognition already has it
        assert!(phrases("the Qingdao naval base").is_empty());
        assert!(phrases("a Chinese naval base").is_empty());
        assert!(phrases("The base was quiet.").is_empty());
        assert!(phrases("in Sasebo. Naval base officials said").is_empty());
        assert!(phrases("the port of the city").is_empty());
    }
}
