//! Finding inputs, reading them, and parsing them into conversations.
//!
//! `walk` turns command-line arguments into a sorted list of inputs, `decode` turns bytes
//! into text, and one parser per format (`text` for plain transcripts) turns text into
//! [`Conversation`]s. A problem with one input is an [`InputProblem`] for that input alone:
//! it is reported and the batch goes on.

mod decode;
mod text;
mod walk;

use std::fmt;
use std::io::Read;
use std::path::PathBuf;

use crate::transcript::{Conversation, SpeakerLabels};

pub use walk::{Discovery, discover};

/// Where an input's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

/// One input, as named in reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub source: Source,
    /// The name used in reports: the path as found, or `<stdin>`.
    pub name: String,
}

impl Input {
    pub fn file(path: PathBuf) -> Input {
        Input {
            name: path.display().to_string(),
            source: Source::File(path),
        }
    }

    pub fn stdin() -> Input {
        Input {
            name: "<stdin>".to_string(),
            source: Source::Stdin,
        }
    }

    /// The default conversation id: the file name without its extension.
    fn stem(&self) -> String {
        match &self.source {
            Source::Stdin => "stdin".to_string(),
            Source::File(p) => p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| self.name.clone()),
        }
    }
}

/// Why an input, or a line of it, could not be scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub file: String,
    pub line: Option<usize>,
    pub reason: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} line {}: {}", self.file, line, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// How inputs are parsed: settings every parser shares.
#[derive(Debug, Clone, Default)]
pub struct ParseConfig {
    pub labels: SpeakerLabels,
}

/// The bytes read from an input, kept for throughput figures.
pub struct Loaded {
    pub conversations: Vec<Conversation>,
    pub bytes: u64,
}

/// Read, decode and parse one input.
pub fn load(input: &Input, config: &ParseConfig) -> Result<Loaded, InputProblem> {
    let problem = |reason: String| InputProblem {
        file: input.name.clone(),
        line: None,
        reason,
    };
    let bytes = read_all(input).map_err(|e| problem(format!("cannot read: {e}")))?;
    let text = decode::to_text(&bytes).map_err(problem)?;
    let conversation = text::parse(&text, &input.stem(), &config.labels);
    if conversation.utterances.is_empty() {
        return Err(problem(
            "no utterances: the file has only blank or `#` metadata lines".into(),
        ));
    }
    Ok(Loaded {
        conversations: vec![conversation],
        bytes: bytes.len() as u64,
    })
}

fn read_all(input: &Input) -> std::io::Result<Vec<u8>> {
    match &input.source {
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin().lock().read_to_end(&mut bytes)?;
            Ok(bytes)
        }
        Source::File(path) => std::fs::read(path),
    }
}
