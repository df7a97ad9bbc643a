//! The geocoder's disk cache: one small JSON file per (provider, folded query), holding the parsed
//! answers — an empty list too, since "nothing found" is also worth not asking again.
//!
//! Nominatim's policy asks for caching, and a cache hit must never touch the network; answers are kept
//! until `--refresh` or the user clears the folder. Files are written atomically, so an interrupted
//! run leaves either the old answer or the new one.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Answer, Provider};

#[derive(Serialize, Deserialize)]
struct Entry {
    provider: String,
    /// The folded query, checked on reading: file names are hashes, and two queries may share one.
    query: String,
    answers: Vec<Answer>,
}

/// Where the answer for `key` lives. The name is a hash because queries hold any characters.
fn path(dir: &Path, provider: Provider, key: &str) -> PathBuf {
    dir.join(provider.as_str())
        .join(format!("{:016x}.json", fnv1a(key.as_bytes())))
}

/// FNV-1a, 64 bits: stable across Rust releases (std's hasher is not), so cache names survive upgrades.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The cached answers, or `None` when there is none (or it is unreadable, or for another query).
pub fn read(dir: &Path, provider: Provider, key: &str) -> Option<Vec<Answer>> {
    let bytes = std::fs::read(path(dir, provider, key)).ok()?;
    let entry: Entry = serde_json::from_slice(&bytes).ok()?;
    (entry.query == key && entry.provider == provider.as_str()).then_some(entry.answers)
}

pub fn write(dir: &Path, provider: Provider, key: &str, answers: &[Answer]) -> anyhow::Result<()> {
    let entry = Entry {
        provider: provider.as_str().to_string(),
        query: key.to_string(),
        answers: answers.to_vec(),
    };
    crate::output::write_atomic(
        &path(dir, provider, key),
        &serde_json::to_vec_pretty(&entry)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::PlaceKind;

    #[test]
    fn answers_and_empty_answers_come_back_per_provider_and_query() {
        let dir = tempfile::tempdir().unwrap();
        let tartus = Answer {
            id: "relation/1".into(),
            name: "Tartus".into(),
            kind: PlaceKind::City,
            lat: 34.89,
            lon: 35.88,
            country: Some("SY".into()),
            bbox: None,
        };
        write(
            dir.path(),
            Provider::Nominatim,
            "tartus",
            std::slice::from_ref(&tartus),
        )
        .unwrap();
        write(dir.path(), Provider::Nominatim, "nowhere", &[]).unwrap();
        assert_eq!(
            read(dir.path(), Provider::Nominatim, "tartus"),
            Some(vec![tartus])
        );
        assert_eq!(
            read(dir.path(), Provider::Nominatim, "nowhere"),
            Some(vec![])
        );
        assert_eq!(read(dir.path(), Provider::Photon, "tartus"), None);
        assert_eq!(read(dir.path(), Provider::Nominatim, "yulin"), None);
    }
}
