//! `bench/pgo-rustc`, the compiler wrapper of the profile-guided build: it hands the profile to a
//! compiler whose LLVM made it, by an absolute path (cargo runs the compiler for each dependency in
//! that dependency's own folder), and leaves every other compiler untouched, since an LLVM of another
//! version may refuse the profile and the build must not fail for it.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn wrapper() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/pgo-rustc")
}

/// A stand-in compiler: `-vV` reports `llvm`, anything else prints its arguments one a line.
fn fake_rustc(dir: &Path, llvm: &str) -> PathBuf {
    let path = dir.join("rustc");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nif [ \"$1\" = -vV ]; then echo 'rustc 1.0.0'; echo 'LLVM version: {llvm}'; exit 0; fi\nfor a in \"$@\"; do echo \"$a\"; done\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// The arguments the wrapper passed on, run from a folder other than the project's.
fn arguments_passed(llvm: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let rustc = fake_rustc(dir.path(), llvm);
    let out = Command::new(wrapper())
        .arg(&rustc)
        .args(["--crate-name", "x", "src/lib.rs"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The committed profiles' LLVM versions, from their names (`pgo-llvm22.profdata`).
fn profile_versions() -> Vec<String> {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            Some(
                name.strip_prefix("pgo-llvm")?
                    .strip_suffix(".profdata")?
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn a_compiler_of_the_profiles_llvm_gets_it_by_absolute_path() {
    let versions = profile_versions();
    assert!(
        !versions.is_empty(),
        "no bench/pgo-llvm*.profdata committed"
    );
    for version in versions {
        let args = arguments_passed(&format!("{version}.1.2"));
        let expected = format!(
            "-Cprofile-use={}/bench/pgo-llvm{version}.profdata",
            env!("CARGO_MANIFEST_DIR")
        );
        assert_eq!(
            &args[..3],
            ["--crate-name", "x", "src/lib.rs"],
            "the compiler's own arguments come first, unchanged"
        );
        assert!(args.contains(&expected), "{args:?} lacks {expected}");
        assert!(Path::new(expected.split_once('=').unwrap().1).is_file());
    }
}

#[test]
fn a_compiler_of_another_llvm_builds_untuned() {
    let versions = profile_versions();
    let other = (1..100)
        .map(|v| v.to_string())
        .find(|v| !versions.contains(v))
        .unwrap();
    let args = arguments_passed(&format!("{other}.0.0"));
    assert_eq!(args, ["--crate-name", "x", "src/lib.rs"]);
    // and one that says nothing of its LLVM (clippy-driver answers -vV with its own version)
    let args = arguments_passed("");
    assert_eq!(args, ["--crate-name", "x", "src/lib.rs"]);
}
