//! Command-line arguments → the inputs, in sorted order, as they are found.
//!
//! Directories are walked recursively in sorted order, so two runs see the same files in the
//! same order; the walk hands on each input as it finds it, so scanning starts at once. Hidden files, files with extensions that are not transcripts (audio next to
//! its transcript, say) and the report folder itself are passed over and counted; a path that
//! cannot be read or a symlink loop is an [`InputProblem`], not the end of the run.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{Input, InputProblem, Source};

/// What a walk finds, in order.
#[derive(Debug)]
pub enum Found {
    Input(Input),
    Problem(InputProblem),
    /// A file passed over, and why.
    Skipped {
        path: PathBuf,
        why: Skip,
    },
}

/// Why a walk passed over a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// A hidden file or folder (`.name`).
    Hidden,
    /// An extension that is not a transcript format (audio next to its transcript, say).
    Extension,
    /// A FIFO, socket or device inside a folder (reading one could wait forever); name it on
    /// the command line to read it.
    NotAFile,
    /// A folder of callrisk reports (it holds `.callrisk-reports`) from an earlier run.
    Reports,
    /// The same file again, reached by another path when several arguments are given
    /// (`calls calls/a.txt`, `calls ./calls`): read once, where it was first found, so nothing
    /// is counted twice.
    Twice,
}

impl Skip {
    pub fn describe(self) -> &'static str {
        match self {
            Skip::Hidden => "hidden",
            Skip::Extension => "not a transcript extension",
            Skip::NotAFile => "not a regular file (a FIFO, socket or device); name it to read it",
            Skip::Reports => "a folder of callrisk reports",
            Skip::Twice => "the same file again (reached by another path among the inputs): read once",
        }
    }
}

/// Resolve arguments: `-` is stdin, a file is itself, a directory is walked. Each find goes
/// to `visit` in order; `visit` returns false to stop. `exclude` (the report folder, the
/// `--meta` file) is never read as input by a walk.
pub fn walk(args: &[PathBuf], exclude: &[PathBuf], visit: &mut dyn FnMut(Found) -> bool) {
    walk_keyed(args, exclude, &mut |_, found| visit(found));
}

/// Where a find is, the same on every machine: the index of the argument it was found under
/// and its path relative to that argument, `/` between folders (a file argument: its file
/// name; `-`: `-`; an argument that cannot be opened: itself). `--shard` splits by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundKey {
    pub arg: usize,
    pub relative: Vec<u8>,
}

/// [`walk`], with each find's [`FoundKey`].
pub fn walk_keyed(args: &[PathBuf], exclude: &[PathBuf], visit: &mut dyn FnMut(FoundKey, Found) -> bool) {
    let exclude: Vec<PathBuf> = exclude.iter().filter_map(|p| p.canonicalize().ok()).collect();
    // Arguments may overlap (`calls calls/a.txt`): a file is read where it is first found.
    // Within one argument only links can lead to a file twice; that is not checked (it would
    // keep an id for every file of a walk that may hold millions), so one argument costs
    // nothing.
    let mut seen = (args.len() > 1).then(std::collections::HashSet::<FileId>::new);
    let visit = &mut |key: FoundKey, found: Found| match (&found, seen.as_mut()) {
        (
            Found::Input(Input {
                source: Source::File(path),
                ..
            }),
            Some(seen),
        ) => match file_id(path) {
            Some(id) if !seen.insert(id) => visit(
                key,
                Found::Skipped {
                    path: path.clone(),
                    why: Skip::Twice,
                },
            ),
            _ => visit(key, found),
        },
        _ => visit(key, found),
    };
    let mut stdin_taken = false;
    for (index, arg) in args.iter().enumerate() {
        let key = |relative: &[u8]| FoundKey {
            arg: index,
            relative: relative.to_vec(),
        };
        if arg.as_os_str() == "-" {
            let found = if std::mem::replace(&mut stdin_taken, true) {
                Found::Problem(InputProblem {
                    file: "<stdin>".into(),
                    line: None,
                    reason: "`-` given twice: standard input is read once".into(),
                })
            } else {
                Found::Input(Input::stdin())
            };
            if !visit(key(crate::shard::STDIN_KEY), found) {
                return;
            }
            continue;
        }
        let go_on = match std::fs::metadata(arg) {
            Err(e) => visit(
                key(arg.as_os_str().as_encoded_bytes()),
                Found::Problem(InputProblem {
                    file: arg.display().to_string(),
                    line: None,
                    reason: super::InputError::Open(e).to_string(),
                }),
            ),
            Ok(meta) if meta.is_dir() => walk_dir(arg, &exclude, &mut |path, found| {
                visit(key(&relative_key(path, arg)), found)
            }),
            Ok(meta) => visit(
                key(arg.file_name().unwrap_or(arg.as_os_str()).as_encoded_bytes()),
                Found::Input(Input::file(arg.clone()).with_size(meta.len())),
            ),
        };
        if !go_on {
            return;
        }
    }
}

/// What makes a file the same file whatever path names it.
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<FileId> {
    path.canonicalize().ok()
}

/// `path` relative to `root`, its components joined with `/` whatever the platform (also what
/// a `hit_id` is made of: [`crate::review::hit_id::relative_to_roots`]).
pub fn relative_key(path: &Path, root: &Path) -> Vec<u8> {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut key = Vec::new();
    for (i, part) in relative.components().enumerate() {
        if i > 0 {
            key.push(b'/');
        }
        key.extend_from_slice(part.as_os_str().as_encoded_bytes());
    }
    key
}

/// Walk one folder; `visit` gets each find with the path it is about.
fn walk_dir(root: &Path, exclude: &[PathBuf], visit: &mut dyn FnMut(&Path, Found) -> bool) -> bool {
    // Excluded folders below this root, as paths relative to it: compared without touching
    // the file system again for every file.
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let excluded_below: Vec<PathBuf> = exclude
        .iter()
        .filter_map(|x| x.strip_prefix(&real_root).ok().map(Path::to_path_buf))
        .collect();
    let mut walker = WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        // Hidden files and folders are passed over, and counted (a hidden folder once).
        if let Ok(e) = &entry
            && e.depth() > 0
            && is_hidden(e.file_name())
        {
            if e.file_type().is_dir() {
                walker.skip_current_dir();
            }
            // The lock and staging folder of a report folder inside the inputs are ours.
            if e.file_name().to_string_lossy().contains(".callrisk-") {
                continue;
            }
            if !visit(
                e.path(),
                Found::Skipped {
                    path: e.path().to_path_buf(),
                    why: Skip::Hidden,
                },
            ) {
                return false;
            }
            continue;
        }
        let at = match &entry {
            Ok(e) => e.path().to_path_buf(),
            Err(e) => e.path().unwrap_or(root).to_path_buf(),
        };
        let found = match entry {
            Err(e) => {
                let file = e.path().unwrap_or(root).display().to_string();
                let reason = if e.loop_ancestor().is_some() {
                    "symlink loop, not followed".to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error().map_or(e.to_string(), |io| io.to_string())
                    )
                };
                Found::Problem(InputProblem {
                    file,
                    line: None,
                    reason,
                })
            }
            Ok(entry) if entry.file_type().is_dir() => {
                if entry.depth() > 0 && entry.path().join(crate::report::folder::MARKER).exists() {
                    walker.skip_current_dir();
                    Found::Skipped {
                        path: entry.path().to_path_buf(),
                        why: Skip::Reports,
                    }
                } else {
                    continue;
                }
            }
            Ok(entry) if !entry.file_type().is_file() => Found::Skipped {
                path: entry.path().to_path_buf(),
                why: Skip::NotAFile,
            },
            Ok(entry) => {
                let path = entry.path();
                if !excluded_below.is_empty()
                    && let Ok(relative) = path.strip_prefix(root)
                    && excluded_below.iter().any(|x| relative.starts_with(x))
                {
                    continue;
                }
                if has_transcript_extension(path) {
                    let input = Input::file(path.to_path_buf());
                    Found::Input(match entry.metadata() {
                        Ok(meta) => input.with_size(meta.len()),
                        Err(_) => input,
                    })
                } else {
                    Found::Skipped {
                        path: path.to_path_buf(),
                        why: Skip::Extension,
                    }
                }
            }
        };
        if !visit(&at, found) {
            return false;
        }
    }
    true
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// An extension of the format table (a file named on the command line is always read).
fn has_transcript_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(super::Format::is_transcript_extension)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the arguments turned into.
    #[derive(Debug, Default)]
    pub struct Discovery {
        pub inputs: Vec<Input>,
        pub problems: Vec<InputProblem>,
        /// Files a walk passed over because of their extension, e.g. `.wav`.
        pub skipped: usize,
    }

    /// Everything a walk finds, collected.
    pub fn discover(args: &[PathBuf], exclude: &[PathBuf]) -> Discovery {
        let mut found = Discovery::default();
        walk(args, exclude, &mut |f| {
            match f {
                Found::Input(input) => found.inputs.push(input),
                Found::Problem(problem) => found.problems.push(problem),
                Found::Skipped { .. } => found.skipped += 1,
            }
            true
        });
        found
    }

    #[test]
    fn walks_sorted_and_skips_audio_hidden_and_reports() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b")).unwrap();
        std::fs::create_dir_all(root.join("report")).unwrap();
        for f in [
            "b/2.txt",
            "a.txt",
            "b/1.txt",
            "call.wav",
            ".hidden.txt",
            "report/hits.txt",
        ] {
            std::fs::write(root.join(f), "客户：你好").unwrap();
        }
        let found = discover(&[root.to_path_buf()], &[root.join("report")]);
        let names: Vec<_> = found
            .inputs
            .iter()
            .map(|i| match &i.source {
                super::super::Source::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(names, ["a.txt", "b/1.txt", "b/2.txt"]);
        assert_eq!(found.skipped, 2, "call.wav and .hidden.txt");
        assert!(found.problems.is_empty());
    }

    #[test]
    fn fifos_and_old_report_folders_in_a_walk_are_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.txt"), "客户：你好").unwrap();
        std::fs::create_dir(root.join("old-report")).unwrap();
        std::fs::write(root.join("old-report/hits.csv"), "file\n").unwrap();
        std::fs::write(root.join("old-report").join(crate::report::folder::MARKER), "").unwrap();
        let fifo = std::ffi::CString::new(root.join("pipe.txt").to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let found = discover(&[root.to_path_buf()], &[]);
        assert_eq!(found.inputs.len(), 1, "{:?}", found.inputs);
        assert_eq!(found.skipped, 2);
    }

    #[test]
    fn keys_are_relative_to_the_argument_with_slashes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("11月/坐席07")).unwrap();
        std::fs::write(root.join("11月/坐席07/通话.txt"), "客户：你好").unwrap();
        std::fs::write(root.join("单独.txt"), "客户：你好").unwrap();
        let mut keys = Vec::new();
        let args = [root.join("11月"), root.join("单独.txt"), PathBuf::from("-")];
        walk_keyed(&args, &[], &mut |key, _| {
            keys.push((key.arg, String::from_utf8(key.relative).unwrap()));
            true
        });
        assert_eq!(
            keys,
            [
                (0, "坐席07/通话.txt".to_string()),
                (1, "单独.txt".to_string()),
                (2, "-".to_string())
            ]
        );
    }

    #[test]
    fn missing_path_is_a_problem_not_a_panic() {
        let found = discover(&[PathBuf::from("/no/such/callrisk/input")], &[]);
        assert!(found.inputs.is_empty());
        assert_eq!(found.problems.len(), 1);
        assert!(found.problems[0].reason.starts_with("cannot open"));
    }
}
