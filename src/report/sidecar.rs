//! `shard.jsonl`: what a shard of a split run (`scan --shard K/N`) keeps for `callrisk merge`.
//!
//! One JSON object per line, each with one key naming what it is:
//!
//! 1. `shard`: the format and its version, the callrisk version, `K` and `N`, and the
//!    settings every shard of one run must share ([`Settings`]: a fingerprint of the
//!    dictionaries, score sheet and reading options, and the report options);
//! 2. in input order, for each input this shard took: its `conversation` and `problem`
//!    records, exactly as the reports were fed them (personal numbers already masked:
//!    `--shard` refuses `--no-redact`), then one `input` line ([`InputDone`]) with its place
//!    in the walk of all inputs and what the summary counts of it;
//! 3. `end`: what the walk found in all ([`Trailer`]), so `merge` can tell that every shard
//!    walked the same inputs and that together they took each exactly once.
//!
//! The records are [`super::record`]'s own structs, so a field added there is kept and merged
//! with no change here; a reader of another format version or callrisk version refuses the
//! file rather than guess.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::record::{ConversationRecord, ProblemRecord};
use super::{ReportKind, ReportOptions, RunFacts};
use crate::category::Severity;

/// The sidecar's file name in a shard's report folder.
pub const FILE: &str = "shard.jsonl";

/// What the first line says the file is.
pub const FORMAT: &str = "callrisk-shard";

/// The version of this layout; a reader refuses any other. 2: a conversation's QA score may
/// be `null` (no line known to be the agent's), where version 1 wrote 100.
pub const VERSION: u32 = 2;

/// One line of the file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Line<C, P> {
    Shard(Header),
    Conversation(C),
    Problem(P),
    Input(InputDone),
    End(Trailer),
}

/// A line as read back: records owned.
pub type ReadLine = Line<ConversationRecord<'static>, ProblemRecord<'static>>;

/// The first line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// The callrisk that wrote it: a merge renders with its own code, so it must be the same.
    pub callrisk: String,
    pub shard: u32,
    pub of: u32,
    pub settings: Settings,
}

/// What every shard of one run must share, and what `merge` renders with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// FNV-1a of the dictionaries' and score sheet's text, the reading options (labels,
    /// format, encoding, columns, agent channel, the `--meta` file's bytes) and
    /// `--min-severity`: what decides the findings. Paths are not in it, so machines may keep
    /// the dictionaries in different folders.
    pub fingerprint: String,
    /// `--reports`, by name.
    pub reports: Vec<String>,
    pub excel_bom: bool,
    pub lang: String,
    pub fail_on: Option<Severity>,
    pub fail_on_empty: bool,
}

/// One input done: where it is among all inputs, and what the summary counts of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputDone {
    /// Its place in the walk of every argument (0 for the first find), the same in every shard.
    pub at: u64,
    /// Its name, masked, for messages.
    pub file: String,
    /// Bytes read when it was scanned; `None` when it failed (its problem is the last one).
    pub bytes: Option<u64>,
    /// Utterances with no known speaker, and all its utterances.
    pub unknown_speakers: usize,
    pub utterances: usize,
}

/// What the walk found, and what this shard took of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trailer {
    /// Everything the walk found, every shard's: inputs, unusable paths, files passed over.
    pub found: u64,
    /// A digest of where each find is, in walk order: equal in every shard of one run.
    pub walk: String,
    /// The finds this shard took.
    pub taken: u64,
    /// Of those, files passed over (hidden, not a transcript extension).
    pub skipped: usize,
}

impl Settings {
    /// The settings of a run with these report options.
    pub fn new(fingerprint: String, options: &ReportOptions, fail_on: Option<Severity>, fail_on_empty: bool) -> Self {
        use clap::ValueEnum;
        let name = |v: &dyn Fn() -> Option<clap::builder::PossibleValue>| v().map(|p| p.get_name().to_string());
        Settings {
            fingerprint,
            reports: options
                .kinds
                .iter()
                .filter_map(|k| name(&|| k.to_possible_value()))
                .collect(),
            excel_bom: options.excel_bom,
            lang: name(&|| options.lang.to_possible_value()).unwrap_or_default(),
            fail_on,
            fail_on_empty,
        }
    }

    /// The report options to render a merge with (`json` as the merge asks).
    pub fn report_options(&self, json: bool) -> Result<ReportOptions, String> {
        use clap::ValueEnum;
        let kinds = self
            .reports
            .iter()
            .map(|k| ReportKind::from_str(k, false))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ReportOptions {
            kinds,
            excel_bom: self.excel_bom,
            redact: true,
            json,
            lang: super::html::Lang::from_str(&self.lang, false)?,
        })
    }
}

/// Writes `shard.jsonl` into the staging folder, beside the reports.
pub struct Writer {
    out: BufWriter<File>,
    walk: Trailer,
}

impl Writer {
    pub fn create(dir: &Path, header: &Header) -> io::Result<Writer> {
        let mut writer = Writer {
            out: BufWriter::new(File::create(dir.join(FILE))?),
            walk: Trailer::default(),
        };
        writer.line(&Line::<(), ()>::Shard(header.clone()))?;
        Ok(writer)
    }

    fn line<C: Serialize, P: Serialize>(&mut self, line: &Line<C, P>) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, line)?;
        self.out.write_all(b"\n")
    }

    pub fn conversation(&mut self, record: &ConversationRecord) -> io::Result<()> {
        self.line(&Line::<_, ()>::Conversation(record))
    }

    pub fn problem(&mut self, record: &ProblemRecord) -> io::Result<()> {
        self.line(&Line::<(), _>::Problem(record))
    }

    pub fn input_done(&mut self, done: &InputDone) -> io::Result<()> {
        self.line(&Line::<(), ()>::Input(done.clone()))
    }

    /// What the walk found (`skipped` is filled in at the end).
    pub fn walk_done(&mut self, walk: Trailer) {
        self.walk = walk;
    }

    /// The last line, then flush and sync.
    pub fn finish(mut self, run: &RunFacts) -> io::Result<()> {
        let mut trailer = std::mem::take(&mut self.walk);
        trailer.skipped = run.skipped;
        self.line(&Line::<(), ()>::End(trailer))?;
        self.out.flush()?;
        self.out.get_ref().sync_all()
    }
}

/// Why a shard's file cannot be read; each says which file, which line and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(
        "{}: no {FILE}: merge reads the report folders of `callrisk scan --shard K/N` (scan them with --shard)",
        .dir.display()
    )]
    Missing { dir: PathBuf },
    #[error("{}: cannot read: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "{} line {line}: not a shard file callrisk can read ({message}); scan the shard again with this callrisk",
        .path.display()
    )]
    Bad {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{}: its last line is not the `end` line, so the shard did not finish or the file was cut; \
         scan that shard again",
        .path.display()
    )]
    Unfinished { path: PathBuf },
}

/// Reads a shard's file: the header and trailer first, then the lines in between, input by
/// input.
pub struct Reader {
    path: PathBuf,
    lines: io::Lines<BufReader<File>>,
    number: usize,
    pub header: Header,
    pub trailer: Trailer,
}

/// The records of one input, and its end.
pub struct InputRecords {
    pub lines: Vec<ReadLine>,
    pub done: InputDone,
}

impl Reader {
    /// Open the `shard.jsonl` of the report folder `dir`, and read its first and last line.
    pub fn open(dir: &Path) -> Result<Reader, ReadError> {
        let path = dir.join(FILE);
        let io = |source| ReadError::Io {
            path: path.clone(),
            source,
        };
        let mut file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(ReadError::Missing { dir: dir.to_path_buf() });
            }
            Err(e) => return Err(io(e)),
        };
        let trailer = last_line(&mut file).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut reader = Reader {
            lines: BufReader::new(file).lines(),
            number: 0,
            path: path.clone(),
            header: Header {
                format: String::new(),
                version: 0,
                callrisk: String::new(),
                shard: 0,
                of: 0,
                settings: Settings::new(String::new(), &empty_options(), None, false),
            },
            trailer: Trailer::default(),
        };
        reader.header = match reader.next_line()? {
            Some(Line::Shard(header)) => header,
            _ => return Err(reader.bad(1, "the first line is not the `shard` header".into())),
        };
        if reader.header.format != FORMAT || reader.header.version != VERSION {
            return Err(reader.bad(
                1,
                format!(
                    "{} version {}, this callrisk reads {FORMAT} version {VERSION}",
                    reader.header.format, reader.header.version
                ),
            ));
        }
        reader.trailer = match serde_json::from_str::<ReadLine>(&trailer) {
            Ok(Line::End(trailer)) => trailer,
            _ => return Err(ReadError::Unfinished { path }),
        };
        Ok(reader)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn bad(&self, line: usize, message: String) -> ReadError {
        ReadError::Bad {
            path: self.path.clone(),
            line,
            message,
        }
    }

    fn next_line(&mut self) -> Result<Option<ReadLine>, ReadError> {
        let Some(text) = self.lines.next() else {
            return Ok(None);
        };
        self.number += 1;
        let text = text.map_err(|source| ReadError::Io {
            path: self.path.clone(),
            source,
        })?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| self.bad(self.number, e.to_string()))
    }

    /// The records of the next input, or `None` at the `end` line.
    pub fn next_input(&mut self) -> Result<Option<InputRecords>, ReadError> {
        let mut lines = Vec::new();
        loop {
            match self.next_line()? {
                Some(Line::Input(done)) => return Ok(Some(InputRecords { lines, done })),
                Some(Line::End(_)) if lines.is_empty() => return Ok(None),
                Some(line @ (Line::Conversation(_) | Line::Problem(_))) => lines.push(line),
                Some(Line::Shard(_)) => return Err(self.bad(self.number, "a second `shard` header".into())),
                Some(Line::End(_)) | None => {
                    return Err(self.bad(self.number, "the file ends inside an input".into()));
                }
            }
        }
    }
}

/// Report options for a placeholder header.
fn empty_options() -> ReportOptions {
    ReportOptions {
        kinds: Vec::new(),
        excel_bom: false,
        redact: true,
        json: false,
        lang: Default::default(),
    }
}

/// The last line of the file (the `end` line is small: the last 64 KiB hold it).
fn last_line(file: &mut File) -> io::Result<String> {
    let length = file.metadata()?.len();
    let from = length.saturating_sub(64 * 1024);
    file.seek(SeekFrom::Start(from))?;
    let mut tail = Vec::new();
    file.read_to_end(&mut tail)?;
    let text = String::from_utf8_lossy(&tail);
    Ok(text.trim_end().rsplit('\n').next().unwrap_or_default().to_string())
}
