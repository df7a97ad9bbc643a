//! The *vessel table* (`gazetteer/vessels.tsv`): warships news names, with their other spellings and
//! transliterations ("Gromkiy", "Gromky"), hull number, class, type and navy, so that an actor written
//! three ways in three articles resolves to one ship.

use std::ops::Range;
use std::sync::OnceLock;

use super::lexicon::WordMap;
use crate::gazetteer::fold;

const TABLE: &str = include_str!("../../gazetteer/vessels.tsv");

#[derive(Debug, Clone, PartialEq)]
pub struct Vessel {
    pub name: String,
    /// The navy prefix written before the name ("HMS"), empty where news writes none.
    pub prefix: String,
    pub hull: String,
    pub class: String,
    pub kind: String,
    pub country: String,
    pub navy: String,
    /// Whether the name alone, with no prefix or class word, is taken as the ship.
    pub bare: bool,
    variants: Vec<String>,
}

impl Vessel {
    /// The name as events show it: with its prefix when the navy uses one.
    pub fn display(&self) -> String {
        if self.prefix.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.prefix, self.name)
        }
    }
}

pub struct Vessels {
    pub list: Vec<Vessel>,
    /// Folded name or variant, as words -> vessels, indexed by the first word.
    by_first_word: WordMap<String, Vec<(Vec<String>, usize)>>,
}

impl Vessels {
    fn parse(text: &str) -> Vessels {
        let mut list = Vec::new();
        let mut lines = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        let header: Vec<&str> = lines
            .next()
            .map(|h| h.split('\t').collect())
            .unwrap_or_default();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("vessels.tsv has no {name} column"))
        };
        let (name, prefix, variants, hull, class, kind, country, navy, bare) = (
            col("name"),
            col("prefix"),
            col("variants"),
            col("hull"),
            col("class"),
            col("type"),
            col("country"),
            col("navy"),
            col("bare"),
        );
        for line in lines {
            let cells: Vec<&str> = line.split('\t').collect();
            let cell = |i: usize| cells.get(i).copied().unwrap_or("").trim().to_string();
            list.push(Vessel {
                name: cell(name),
                prefix: cell(prefix),
                hull: cell(hull),
                class: cell(class),
                kind: cell(kind),
                country: cell(country),
                navy: cell(navy),
                bare: cell(bare) == "yes",
                variants: cell(variants)
                    .split('|')
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect(),
            });
        }
        let mut by_first_word: WordMap<String, Vec<(Vec<String>, usize)>> = WordMap::default();
        for (i, v) in list.iter().enumerate() {
            for written in std::iter::once(&v.name).chain(&v.variants) {
                let words: Vec<String> = fold(written).split(' ').map(str::to_string).collect();
                by_first_word
                    .entry(words[0].clone())
                    .or_default()
                    .push((words[1..].to_vec(), i));
            }
        }
        for entries in by_first_word.values_mut() {
            entries.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
        }
        Vessels {
            list,
            by_first_word,
        }
    }

    /// The folded first words of the vessel names and their variants.
    pub fn first_words(&self) -> impl Iterator<Item = &str> {
        self.by_first_word.keys().map(String::as_str)
    }

    /// Whether a vessel name starts with the word `bytes[first]` (ASCII letters and digits), its
    /// words taken up to `end` as the reader takes a table name's words: across spaces and glued
    /// hyphens and full stops, joining words glued by an apostrophe. Anything outside ASCII on
    /// the way makes it a yes: it is left to the reader.
    pub fn name_starts_at(&self, bytes: &[u8], first: Range<usize>, end: usize) -> bool {
        let lower = |word: &[u8]| String::from_utf8_lossy(word).to_ascii_lowercase();
        let word_end = |from: usize| {
            (from..end)
                .find(|&i| !bytes[i].is_ascii_alphanumeric())
                .unwrap_or(end)
        };
        let is_space = |b: u8| b.is_ascii_whitespace() || b == 0x0b;
        // most capitalised first words ("The", "New") go on with a word no name of theirs has
        // next: tell that from the next word's first letters, before gathering any words
        let mut lowered = [0u8; 16];
        let Some(first_lower) = lowered.get_mut(..first.len()) else {
            return false;
        };
        first_lower.copy_from_slice(&bytes[first.clone()]);
        first_lower.make_ascii_lowercase();
        let first_lower = std::str::from_utf8(first_lower).expect("ASCII");
        let Some(names) = self.by_first_word.get(first_lower) else {
            return false;
        };
        // "Diamond's" is read as one word, "diamonds"
        let joined = first.end + 1 < end
            && bytes[first.end] == b'\''
            && bytes[first.end + 1].is_ascii_alphanumeric();
        if !joined && names.iter().any(|(rest, _)| rest.is_empty()) {
            return true;
        }
        let mut next = first.end;
        if next < end && matches!(bytes[next], b'-' | b'.') {
            next += 1;
        }
        while next < end && is_space(bytes[next]) {
            next += 1;
        }
        if next < end && bytes[next].is_ascii_alphanumeric() {
            let second = &bytes[next..word_end(next)];
            let may_go_on = |(rest, _): &(Vec<String>, usize)| {
                rest[0]
                    .as_bytes()
                    .get(..second.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(second))
            };
            if !names.iter().any(may_go_on) {
                return false;
            }
        }
        let mut words = vec![lower(&bytes[first.clone()])];
        let mut at = first.end;
        while words.len() < 6 {
            let glued = at < end && !is_space(bytes[at]);
            while at < end && is_space(bytes[at]) {
                at += 1;
            }
            let Some(&b) = bytes.get(at).filter(|_| at < end) else {
                break;
            };
            let glued_word_after = at + 1 < end && bytes[at + 1].is_ascii_alphanumeric();
            if !b.is_ascii() {
                return true;
            } else if b.is_ascii_alphanumeric() {
                let to = word_end(at);
                words.push(lower(&bytes[at..to]));
                at = to;
            } else if b == b'\'' && glued && glued_word_after {
                let to = word_end(at + 1);
                let joined = lower(&bytes[at + 1..to]);
                words.last_mut().expect("a first word").push_str(&joined);
                at = to;
            } else if matches!(b, b'-' | b'.') && glued {
                at += 1;
            } else {
                break;
            }
        }
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        self.match_at(&words).is_some()
    }

    /// Whether some vessel name starts with this folded word.
    pub fn starts_name(&self, word: &str) -> bool {
        self.by_first_word.contains_key(word)
    }

    /// The longest vessel name starting at `words[0]` (folded words): the vessels it may be and how
    /// many words it takes. Several navies reuse names, so a name can mean more than one ship.
    pub fn match_at(&self, words: &[&str]) -> Option<(Vec<usize>, usize)> {
        let entries = self.by_first_word.get(*words.first()?)?;
        let mut best: Option<(Vec<usize>, usize)> = None;
        for (rest, i) in entries {
            let len = rest.len() + 1;
            if best.as_ref().is_some_and(|(_, l)| *l > len) {
                break;
            }
            if words.len() >= len && rest.iter().zip(&words[1..]).all(|(a, b)| a == b) {
                match &mut best {
                    Some((ids, l)) if *l == len => {
                        if !ids.contains(i) {
                            ids.push(*i)
                        }
                    }
                    _ => best = Some((vec![*i], len)),
                }
            }
        }
        best
    }
}

/// The shipped vessel table.
pub fn vessels() -> &'static Vessels {
    static TABLE_PARSED: OnceLock<Vessels> = OnceLock::new();
    TABLE_PARSED.get_or_init(|| Vessels::parse(TABLE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_and_transliterations_find_one_ship() {
        let v = vessels();
        for spelling in ["gromkiy", "gromky"] {
            let (ids, len) = v.match_at(&[spelling, "and"]).unwrap();
            assert_eq!(len, 1);
            assert_eq!(v.list[ids[0]].name, "Gromkiy");
            assert_eq!(v.list[ids[0]].hull, "335");
            assert_eq!(v.list[ids[0]].country, "RU");
        }
        let (ids, _) = v.match_at(&["sovershenniy"]).unwrap();
        assert_eq!(v.list[ids[0]].name, "Sovershenny");
        let (ids, len) = v.match_at(&["prince", "of", "wales", "sailed"]).unwrap();
        assert_eq!(len, 3);
        assert_eq!(v.list[ids[0]].display(), "HMS Prince of Wales");
        assert!(v.match_at(&["prince", "harry"]).is_none());
    }

    #[test]
    fn names_start_where_the_reader_would_find_them() {
        let v = vessels();
        let at = |text: &str| {
            let first = text
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(text.len());
            v.name_starts_at(text.as_bytes(), 0..first, text.len())
        };
        for text in [
            "Gromkiy",
            "Diamond sailed",
            "The Sullivans sailed",
            "The Sullivan's crew",
            "Chung-Hoon sailed",
            "Chung Hoon sailed",
            "George H.W. Bush sailed",
            "Prince of Wales",
            // outside ASCII the reader decides
            "The Sullivan\u{2019}s crew",
        ] {
            assert!(at(text), "{text}");
        }
        for text in [
            "Diamond's crew",
            "The Sullivan sailed",
            "The ships sailed",
            "Chung, Hoon",
            "George Clooney",
            "Prince Harry",
        ] {
            assert!(!at(text), "{text}");
        }
    }

    #[test]
    fn every_row_is_complete() {
        let v = vessels();
        assert!(v.list.len() > 200);
        for vessel in &v.list {
            assert!(
                !vessel.name.is_empty() && vessel.country.len() == 2,
                "{vessel:?}"
            );
            assert!(
                !vessel.navy.is_empty() && !vessel.kind.is_empty(),
                "{vessel:?}"
            );
        }
    }
}
