//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `../shared` beside the repository, or None (with the reason printed) when this clone has none.
pub fn shared_dir(what: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join(what).exists() {
        Some(dir)
    } else {
        eprintln!(
            "SKIP: {} not found (../shared is only beside CI and developer clones)",
            dir.join(what).display()
        );
        None
    }
}

pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Run the mentionmap binary with a fixed generation time.
pub fn mentionmap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentionmap"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run mentionmap")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn read_story(path: &Path) -> mentionmap::story::Story {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    mentionmap::export::read_story(&text, &path.display().to_string()).unwrap()
}

/// Great-circle distance in km.
pub fn km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    mentionmap::geo_util::haversine_km(lat1, lon1, lat2, lon2)
}
