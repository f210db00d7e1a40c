//! Errors that end a run. Per-input problems are not here: they are `InputProblem`s, reported
//! and counted while the batch goes on.

use std::io;
use std::path::{Path, PathBuf};

use crate::lexicon::LexiconError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Every problem of every dictionary file, one per line.
    #[error("{}", lexicon_errors(.0))]
    Lexicon(Vec<LexiconError>),

    /// A setting that cannot be used (a bad `--meta` file, a bad `--column`).
    #[error("{0}")]
    Usage(String),

    #[error("cannot write reports in {}: {source}", dir.display())]
    Report { dir: PathBuf, source: io::Error },

    #[error("cannot write to stdout: {source}")]
    Output { source: io::Error },

    /// `review import`: a file that cannot be read, a folder that cannot be written.
    #[error(transparent)]
    Review(#[from] crate::review::import::ReviewError),

    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },

    /// Shard folders that cannot be merged (`callrisk merge`).
    #[error(transparent)]
    Merge(#[from] crate::cmd::merge::MergeError),

    /// The repeat-complaint ledger cannot be used (missing key file, in use, not a ledger).
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
}

impl Error {
    /// A failed write while the reports of `dir` were written: stdout's own (`--json`) when
    /// it was stdout that failed, else the report folder's.
    pub fn writing(dir: &Path, source: io::Error) -> Error {
        match crate::report::is_stdout_failure(&source) {
            true => Error::Output { source },
            false => Error::Report {
                dir: dir.to_path_buf(),
                source,
            },
        }
    }
}

fn lexicon_errors(errors: &[LexiconError]) -> String {
    let mut text = String::from("the lexicon has errors, nothing was scanned:");
    for e in errors {
        text.push_str("\n  ");
        text.push_str(&e.to_string());
    }
    text
}
