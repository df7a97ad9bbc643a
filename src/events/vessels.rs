//! The *vessel table* (`gazetteer/vessels.tsv`): warships news names, with their other spellings and
//! transliterations ("Gromkiy", "Gromky"), hull number, class, type and navy, so that an actor written
//! three ways in three articles resolves to one ship.

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
