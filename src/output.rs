//! Writing output files *atomically*: a reader (or a crash, or Ctrl-C) sees either the previous complete
//! file or the new complete file, never half of one.
//!
//! The bytes go to a temporary file in the destination folder (so the final rename stays on one file
//! system), are flushed to disk, and the temporary file is then renamed over the destination. A large
//! file is flushed to disk as it is written ([`SyncAhead`]), so that the last flush, which the rename
//! has to wait for, has little left to do.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc;
use std::thread::{Scope, ScopedJoinHandle};

use anyhow::{Context, Result};

/// Write `bytes` to `path` atomically, creating the parent folder if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes).map_err(Into::into))
}

/// Stream into `path` atomically: `fill` writes the content; nothing appears at `path` unless it succeeds.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create folder {}", dir.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".mentionmap-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    std::thread::scope(|scope| -> Result<()> {
        let mut out = SyncAhead::new(tmp.as_file(), scope);
        let mut buf = std::io::BufWriter::new(&mut out);
        fill(&mut buf).with_context(|| format!("cannot write {}", path.display()))?;
        buf.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
        drop(buf);
        out.finish()
            .with_context(|| format!("cannot flush {}", path.display()))?;
        Ok(())
    })?;
    // A temporary file is private (0600); the output is an ordinary file others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("cannot set permissions on {}", path.display()))?;
    }
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("cannot flush {}", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("cannot move the new file into place at {}", path.display()))?;
    Ok(())
}

/// Bytes written between two flushes to disk while a file is written: the disk then writes one part
/// while the next is made, instead of the whole file after the last byte (80 MB of a 10,000-article
/// story took 35-40 ms to flush at the end; a few MB take a few).
const SYNC_EVERY: u64 = 8 << 20;

/// Writes to a file and, every [`SYNC_EVERY`] bytes, has a thread of its own flush what is written so
/// far to disk; small files never start it.
struct SyncAhead<'scope, 'env> {
    file: &'env File,
    scope: &'scope Scope<'scope, 'env>,
    written: u64,
    /// The flushing thread, once started, and how to ask it for one more flush.
    flusher: Option<(
        mpsc::Sender<()>,
        ScopedJoinHandle<'scope, std::io::Result<usize>>,
    )>,
}

impl<'scope, 'env> SyncAhead<'scope, 'env> {
    fn new(file: &'env File, scope: &'scope Scope<'scope, 'env>) -> Self {
        SyncAhead {
            file,
            scope,
            written: 0,
            flusher: None,
        }
    }

    fn ask_for_flush(&mut self) {
        let file = self.file;
        let (ask, _) = self.flusher.get_or_insert_with(|| {
            let (ask, asked) = mpsc::channel::<()>();
            let thread = self.scope.spawn(move || -> std::io::Result<usize> {
                let mut flushes = 0;
                while asked.recv().is_ok() {
                    // asked again meanwhile: one flush covers all of it
                    while asked.try_recv().is_ok() {}
                    // an error stops the flushing and is given to the writer: once reported, an
                    // error is not reported again, so the last flush alone could miss it
                    file.sync_data()?;
                    flushes += 1;
                }
                Ok(flushes)
            });
            (ask, thread)
        });
        // a flusher that stopped on an error gives it in `finish`
        let _ = ask.send(());
    }

    /// Wait for the flushes asked for; the number made, or the first error.
    fn finish(self) -> std::io::Result<usize> {
        match self.flusher {
            Some((ask, thread)) => {
                drop(ask);
                thread.join().expect("the flushing thread does not panic")
            }
            None => Ok(0),
        }
    }
}

impl Write for SyncAhead<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = (&*self.file).write(buf)?;
        let before = self.written;
        self.written += n as u64;
        if self.written / SYNC_EVERY > before / SYNC_EVERY {
            self.ask_for_flush();
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, b"first version").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o644, "outputs are readable by others");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "temporary files left behind");
    }

    #[test]
    fn large_files_are_flushed_as_they_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large.bin");
        // uneven writes, so the flushes are asked for in the middle of them
        let bytes: Vec<u8> = (0..3 * SYNC_EVERY + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        let file = File::create(&path).unwrap();
        let flushes = std::thread::scope(|scope| {
            let mut out = SyncAhead::new(&file, scope);
            for part in bytes.chunks(1_000_003) {
                out.write_all(part).unwrap();
            }
            out.finish().unwrap()
        });
        assert!((1..=3).contains(&flushes), "{flushes} flushes");
        assert!(std::fs::read(&path).unwrap() == bytes);

        // a small file starts no flushing
        let file = File::create(dir.path().join("small.bin")).unwrap();
        let flushes = std::thread::scope(|scope| {
            let mut out = SyncAhead::new(&file, scope);
            out.write_all(&bytes[..1000]).unwrap();
            out.finish().unwrap()
        });
        assert_eq!(flushes, 0);

        write_atomic(&path, &bytes[1..]).unwrap();
        assert!(std::fs::read(&path).unwrap() == bytes[1..]);
    }

    #[test]
    fn failed_fill_keeps_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, b"complete").unwrap();
        let err = write_atomic_with(&path, |w| {
            w.write_all(b"half")?;
            anyhow::bail!("interrupted")
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"complete");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
