//! Actor identity across the corpus: the articles' own actors joined into one [`Actor`] each — a ship by
//! its name in the vessel table, a named group by the ships it is made of (a ship of a named group
//! shares the group's legs), an unnamed group, a nation's forces or a nation by its country.

use std::collections::HashMap;

use super::lexicon::{self, class};
use super::read::{DocActor, DocReading};
use super::vessels::vessels;
use crate::story::{Actor, ActorKind};

/// The corpus's actors, and for each article which corpus actor each of its own actors is.
pub struct CorpusActors {
    pub actors: Vec<Actor>,
    pub of_doc: Vec<Vec<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// A named ship or group, by the first of its ships in the corpus (groups sharing a ship are one).
    Named(String),
    Unnamed(ActorKind, Option<String>),
    Forces(Option<String>),
    Nation(Option<String>),
}

pub fn identify(readings: &[DocReading]) -> CorpusActors {
    // named groups that share a ship are one group: join their ships under one representative
    let mut rep: HashMap<String, String> = HashMap::new();
    fn find(rep: &HashMap<String, String>, name: &str) -> String {
        let mut cur = name.to_string();
        while let Some(next) = rep.get(&cur).filter(|n| **n != cur) {
            cur = next.clone();
        }
        cur
    }
    for a in readings.iter().flat_map(|r| &r.actors) {
        if a.vessels.len() > 1 {
            let root = find(&rep, &a.vessels[0]);
            rep.entry(root.clone()).or_insert_with(|| root.clone());
            for v in &a.vessels[1..] {
                let other = find(&rep, v);
                if other != root {
                    rep.insert(other, root.clone());
                }
            }
        }
    }
    let in_named_group = |name: &str| rep.contains_key(name) || rep.values().any(|v| v == name);
    // ships said to belong to an unnamed group ("including the Qiqihar") sail with it
    let mut member_of: HashMap<String, Option<String>> = HashMap::new();
    for a in readings.iter().flat_map(|r| &r.actors) {
        for m in &a.members {
            member_of.insert(m.clone(), a.country.clone());
        }
    }
    let key_of = |a: &DocActor| -> Key {
        if let Some(first) = a.vessels.first() {
            if a.vessels.len() == 1 && !in_named_group(first) {
                if let Some(country) = member_of.get(first) {
                    return Key::Unnamed(ActorKind::Group, country.clone());
                }
            }
            return Key::Named(find(&rep, first));
        }
        match a.kind {
            ActorKind::Forces => Key::Forces(a.country.clone()),
            ActorKind::Nation => Key::Nation(a.country.clone()),
            kind => Key::Unnamed(kind, a.country.clone()),
        }
    };
    let mut index: HashMap<Key, usize> = HashMap::new();
    let mut gathered: Vec<Gathered> = Vec::new();
    let mut of_doc = Vec::with_capacity(readings.len());
    for r in readings {
        let mut map = Vec::with_capacity(r.actors.len());
        for a in &r.actors {
            let key = key_of(a);
            let i = *index.entry(key.clone()).or_insert_with(|| {
                gathered.push(Gathered {
                    key,
                    kind: a.kind,
                    country: a.country.clone(),
                    vessels: Vec::new(),
                    members: Vec::new(),
                    labels: Vec::new(),
                });
                gathered.len() - 1
            });
            let g = &mut gathered[i];
            if a.kind == ActorKind::Group {
                g.kind = ActorKind::Group;
            }
            g.country = g.country.clone().or(a.country.clone());
            for v in &a.vessels {
                if !g.vessels.contains(v) {
                    g.vessels.push(v.clone());
                }
            }
            for m in &a.members {
                if !g.members.contains(m) {
                    g.members.push(m.clone());
                }
            }
            g.labels.extend(a.labels.iter().cloned());
            map.push(i);
        }
        of_doc.push(map);
    }
    // a lone ship that joined an unnamed group is one of its members
    for g in &mut gathered {
        if matches!(g.key, Key::Unnamed(ActorKind::Group, _)) {
            for v in std::mem::take(&mut g.vessels) {
                if !g.members.contains(&v) {
                    g.members.push(v);
                }
            }
        }
    }
    let mut actors: Vec<Actor> = gathered.iter().map(Gathered::to_actor).collect();
    // names are identifiers in events and tracks: make them unique
    let mut seen: HashMap<String, usize> = HashMap::new();
    for a in &mut actors {
        let n = seen.entry(a.name.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            a.name = format!("{} ({})", a.name, n);
        }
    }
    CorpusActors { actors, of_doc }
}

struct Gathered {
    key: Key,
    kind: ActorKind,
    country: Option<String>,
    vessels: Vec<String>,
    members: Vec<String>,
    labels: Vec<String>,
}

impl Gathered {
    fn to_actor(&self) -> Actor {
        let mut aliases: Vec<String> = Vec::new();
        for l in &self.labels {
            if !aliases.iter().any(|a| a.eq_ignore_ascii_case(l)) {
                aliases.push(l.clone());
            }
        }
        let table = vessels();
        let vessel = (self.vessels.len() == 1)
            .then(|| table.list.iter().find(|v| v.display() == self.vessels[0]))
            .flatten();
        let name = if !self.vessels.is_empty() {
            join_names(&self.vessels)
        } else {
            self.common_label().unwrap_or_else(|| {
                let country = self.country.as_deref().unwrap_or("unknown");
                match self.kind {
                    ActorKind::Forces => format!("{country} forces"),
                    ActorKind::Nation => country.to_string(),
                    _ => format!("{country} ships"),
                }
            })
        };
        let kind = match (self.kind, self.vessels.len()) {
            (ActorKind::Ship | ActorKind::Group, 1) => ActorKind::Ship,
            (ActorKind::Ship | ActorKind::Group, n) if n > 1 => ActorKind::Group,
            (kind, _) => kind,
        };
        Actor {
            name,
            kind,
            country: self.country.clone(),
            members: if self.vessels.len() > 1 {
                self.vessels.clone()
            } else {
                self.members.clone()
            },
            hull: vessel.map(|v| v.hull.clone()).filter(|h| !h.is_empty()),
            class: vessel.map(|v| v.class.clone()).filter(|c| !c.is_empty()),
            navy: vessel.map(|v| v.navy.clone()),
            aliases,
        }
    }

    /// The wording the articles use most for an unnamed actor, without its article or number
    /// ("a Chinese naval flotilla" -> "Chinese naval flotilla"); only wordings that say whose it is.
    fn common_label(&self) -> Option<String> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for l in &self.labels {
            let words: Vec<&str> = l.split_whitespace().collect();
            let skip = words
                .iter()
                .take_while(|w| {
                    let w = w.to_lowercase();
                    lexicon::is(&w, class::DEFINITE | class::NUMBER)
                        || w.chars().all(|c| c.is_ascii_digit())
                })
                .count();
            let rest = &words[skip..];
            if rest
                .first()
                .is_none_or(|w| !w.starts_with(char::is_uppercase))
            {
                continue;
            }
            let label = rest.join(" ");
            match counts.iter_mut().find(|(c, _)| *c == label) {
                Some((_, n)) => *n += 1,
                None => counts.push((label, 1)),
            }
        }
        let best = counts.iter().map(|(_, n)| *n).max()?;
        counts.into_iter().find(|(_, n)| *n == best).map(|(l, _)| l)
    }
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
