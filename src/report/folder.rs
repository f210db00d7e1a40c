//! Where a run's reports are written, and how they replace the last run's: whole or not at all.
//!
//! A run writes its reports into a hidden staging folder beside `--out`
//! (`.NAME.callrisk-new-PID`), flushed and synced, and only when every report is complete is
//! the staging folder swapped with `--out` in one step (Linux `renameat2(RENAME_EXCHANGE)`;
//! elsewhere two renames, with the old set kept aside and put back by the next run if a crash
//! fell between them). So after a kill, a panic or a full disk, `--out` holds either the
//! previous complete set or the new complete set, never a mix. A lock file beside `--out`
//! (`.NAME.callrisk-lock`) keeps two runs from writing the same folder at once: the second
//! exits with status 2 and says which run holds it.
//!
//! `--out` is callrisk's own: a folder holding files callrisk did not write is refused rather
//! than replaced, and so is a folder that holds the inputs.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks a folder as a callrisk report set.
pub const MARKER: &str = ".callrisk-reports";

/// A report folder being written: the staging folder and the lock, until [`Folder::commit`].
pub struct Folder {
    /// `--out` as the user wrote it, for messages.
    out: PathBuf,
    /// Its real path, which the swap acts on.
    target: PathBuf,
    staging: PathBuf,
    /// Held until the swap is done; dropping it releases the lock.
    _lock: File,
    committed: bool,
}

/// Why `--out` cannot be used; the message says how to fix it.
#[derive(Debug)]
pub enum FolderError {
    Unusable(String),
    Io(io::Error),
}

impl From<io::Error> for FolderError {
    fn from(e: io::Error) -> Self {
        FolderError::Io(e)
    }
}

impl Folder {
    /// Check `out`, take its lock, recover from a crash of an earlier run, and create an
    /// empty staging folder. `inputs` are the paths given to scan: `out` may not hold them.
    pub fn prepare(out: &Path, inputs: &[PathBuf], known_reports: &[&str]) -> Result<Folder, FolderError> {
        if out.as_os_str() == "-" {
            return Err(FolderError::Unusable(
                "--out - : reports are a folder of files; name a folder (e.g. --out callrisk-report)".into(),
            ));
        }
        // Work on the real path: `.`, `..` and links resolved, so `--out .` and `--out calls/`
        // are seen for what they are.
        let absolute = match fs::canonicalize(out) {
            Ok(real) => real,
            Err(_) => {
                let parent = match out.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                fs::create_dir_all(&parent)?;
                let name = out
                    .file_name()
                    .ok_or_else(|| FolderError::Unusable(format!("--out {}: name a folder", out.display())))?;
                fs::canonicalize(&parent)?.join(name)
            }
        };
        let (Some(name), Some(parent)) = (absolute.file_name(), absolute.parent()) else {
            return Err(FolderError::Unusable(format!(
                "--out {}: name a folder, not the root",
                out.display()
            )));
        };
        let (name, parent) = (name.to_string_lossy().into_owned(), parent.to_path_buf());
        let real_out = absolute.clone();
        for input in inputs.iter().filter(|i| i.as_os_str() != "-") {
            if let Ok(real_input) = fs::canonicalize(input)
                && real_input.starts_with(&real_out)
            {
                return Err(FolderError::Unusable(format!(
                    "--out {} holds the input {}: reports replace that folder as a whole; write them \
                     elsewhere (e.g. --out {}-report)",
                    out.display(),
                    input.display(),
                    out.display()
                )));
            }
        }
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(parent.join(format!(".{name}.callrisk-lock")))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(FolderError::Unusable(format!(
                    "another callrisk run is writing reports to {}; wait for it to finish, or choose \
                     another --out",
                    out.display()
                )));
            }
            Err(fs::TryLockError::Error(e)) => return Err(e.into()),
        }
        recover(&parent, &name, &absolute)?;
        match fs::symlink_metadata(&absolute) {
            Ok(meta) if !meta.is_dir() => {
                return Err(FolderError::Unusable(format!(
                    "--out {} is a file, not a folder",
                    out.display()
                )));
            }
            Ok(_) => {
                let foreign = foreign_entries(&absolute, known_reports)?;
                if !foreign.is_empty() {
                    return Err(FolderError::Unusable(format!(
                        "--out {} holds files callrisk did not write ({}); reports replace the folder \
                         as a whole, so choose an empty or new folder",
                        out.display(),
                        foreign.join(", ")
                    )));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
        let staging = parent.join(format!(".{name}.callrisk-new-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir(&staging)?;
        Ok(Folder {
            out: out.to_path_buf(),
            target: absolute,
            staging,
            _lock: lock,
            committed: false,
        })
    }

    /// Where this run's reports are written until the swap.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The folder the reports end up in.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Every report is written, flushed and synced: mark the set complete and swap it in.
    pub fn commit(mut self) -> io::Result<()> {
        File::create(self.staging.join(MARKER))?.sync_all()?;
        sync_dir(&self.staging);
        if fs::symlink_metadata(&self.target).is_err() {
            fs::rename(&self.staging, &self.target)?;
        } else if exchange(&self.staging, &self.target).is_err() {
            // No atomic exchange on this system or file system: keep the old set aside, put
            // the new one in place, then drop the old one. A crash in between leaves the old
            // set aside, and the next run puts it back.
            let aside = aside_path(&self.target);
            fs::rename(&self.target, &aside)?;
            fs::rename(&self.staging, &self.target)?;
            let _ = fs::remove_dir_all(&aside);
            self.committed = true;
            sync_parent(&self.target);
            return Ok(());
        }
        self.committed = true;
        sync_parent(&self.target);
        // After the exchange the staging path holds the previous set.
        let _ = fs::remove_dir_all(&self.staging);
        Ok(())
    }
}

impl Drop for Folder {
    /// A run that did not complete leaves the previous reports as they were.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Entries of `out` that are not reports of a callrisk run.
fn foreign_entries(out: &Path, known_reports: &[&str]) -> io::Result<Vec<String>> {
    let mut foreign = Vec::new();
    for entry in fs::read_dir(out)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let ours = name == MARKER
            || known_reports.contains(&name.as_str())
            // Version 0.1 wrote `.hits.csv.partial` and the like.
            || (name.starts_with('.') && name.ends_with(".partial"));
        if !ours {
            foreign.push(name);
        }
    }
    foreign.sort();
    foreign.truncate(5);
    Ok(foreign)
}

/// After a crash: put a set left aside back if `out` is missing, and remove staging folders
/// of runs that died (the lock is held, so none of them is running).
fn recover(parent: &Path, name: &str, out: &Path) -> io::Result<()> {
    let aside = aside_path(out);
    if fs::symlink_metadata(out).is_err() && aside.is_dir() {
        fs::rename(&aside, out)?;
    } else if aside.is_dir() {
        fs::remove_dir_all(&aside)?;
    }
    let stale = format!(".{name}.callrisk-new-");
    for entry in fs::read_dir(parent)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&stale) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
    Ok(())
}

fn aside_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!(".{name}.callrisk-old"))
}

/// Swap two paths in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call; AT_FDCWD
    // makes them relative to the working directory, as std's own rename does.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn sync_parent(path: &Path) {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => sync_dir(p),
        _ => sync_dir(Path::new(".")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORTS: &[&str] = &["hits.csv", "errors.csv"];

    fn write_set(folder: &Folder, night: &str) {
        for name in REPORTS {
            fs::write(folder.staging().join(name), night).unwrap();
        }
    }

    #[test]
    fn a_set_replaces_the_last_one_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        let first = Folder::prepare(&out, &[], REPORTS).unwrap();
        write_set(&first, "night 1");
        first.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("errors.csv")).unwrap(), "night 1");

        // A run that dies before its commit leaves night 1 complete, and no staging folder.
        let second = Folder::prepare(&out, &[], REPORTS).unwrap();
        fs::write(second.staging().join("hits.csv"), "night 2, half written").unwrap();
        drop(second);
        assert_eq!(fs::read_to_string(out.join("hits.csv")).unwrap(), "night 1");
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("callrisk-new"))
            .collect();
        assert!(left.is_empty(), "{left:?}");

        let third = Folder::prepare(&out, &[], REPORTS).unwrap();
        write_set(&third, "night 3");
        third.commit().unwrap();
        for name in REPORTS {
            assert_eq!(fs::read_to_string(out.join(name)).unwrap(), "night 3");
        }
    }

    #[test]
    fn a_second_run_on_the_same_folder_is_refused_while_the_first_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        let first = Folder::prepare(&out, &[], REPORTS).unwrap();
        match Folder::prepare(&out, &[], REPORTS) {
            Err(FolderError::Unusable(message)) => assert!(message.contains("another callrisk run"), "{message}"),
            _ => panic!("the second run must be refused"),
        }
        drop(first);
        assert!(Folder::prepare(&out, &[], REPORTS).is_ok());
    }

    #[test]
    fn a_folder_of_inputs_or_of_other_files_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let calls = dir.path().join("calls");
        fs::create_dir(&calls).unwrap();
        fs::write(calls.join("a.txt"), "客户：你好").unwrap();
        for (out, inputs) in [
            (calls.clone(), vec![calls.clone()]),
            (dir.path().to_path_buf().join("."), vec![calls.clone()]),
        ] {
            let refused = matches!(Folder::prepare(&out, &inputs, REPORTS), Err(FolderError::Unusable(_)));
            assert!(refused, "{}", out.display());
        }
        // Not an input, but holds someone's files.
        match Folder::prepare(&calls, &[], REPORTS) {
            Err(FolderError::Unusable(message)) => assert!(message.contains("a.txt"), "{message}"),
            _ => panic!("a folder of other files must not be replaced"),
        }
        assert!(matches!(
            Folder::prepare(Path::new("-"), &[], REPORTS),
            Err(FolderError::Unusable(_))
        ));
    }

    #[test]
    fn a_set_left_aside_by_a_crash_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        let aside = aside_path(&out);
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join("hits.csv"), "night 1").unwrap();
        let folder = Folder::prepare(&out, &[], REPORTS).unwrap();
        assert_eq!(fs::read_to_string(out.join("hits.csv")).unwrap(), "night 1");
        drop(folder);
    }
}
