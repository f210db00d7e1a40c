//! Why a whole input could not be scanned, as a type: the walk, the decoder, the format
//! table and the panic guard each say which kind of failure it was, and errors.csv gets its
//! message. (A single bad line is not an `InputError`: it is an `Event::Problem`, and the
//! rest of the input goes on.)

use std::io;

use super::Format;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The path could not be opened (missing, a dangling link, no permission).
    #[error("cannot open: {0}")]
    Open(io::Error),
    /// Reading failed part-way (an I/O error, not bad content).
    #[error("cannot read: {0}")]
    Read(io::Error),
    #[error("empty file")]
    Empty,
    #[error("binary file (contains NUL bytes), not a transcript")]
    Binary,
    /// Not valid in any encoding callrisk reads, or not in the one `--encoding` forced.
    #[error("{0}")]
    Encoding(String),
    /// The format's parser gave up on the input as a whole.
    #[error("{format}: {reason}")]
    Parse { format: Format, reason: String },
    /// The input parsed, but held no utterance at all.
    #[error("{0}: no conversations found")]
    NoConversations(Format),
    /// A bug: reading or scanning this input panicked (see `guard`).
    #[error("{0}")]
    Internal(String),
}
