//! Finding inputs, reading them, and parsing them into conversations.
//!
//! `walk` turns command-line arguments into a sorted list of inputs; `decode` chooses the
//! encoding and streams UTF-8; `detect` chooses the format; one file per format parses it
//! (`text`, `jsonl`, `csv_chat`, `subtitles` for SRT/VTT, `funasr`, `whisper`, `aliyun`,
//! `tencent`, with `chat` and `json_doc` holding what they share); `meta` joins `--meta`.
//! Conversations are handed on one at a time as [`Event`]s, so a 200 MB export is never held
//! whole. A problem with one input, or one line of it, is reported and the batch goes on.

mod aliyun;
mod chat;
mod csv_chat;
pub mod decode;
mod detect;
mod error;
mod format;
mod funasr;
mod json_doc;
mod jsonl;
mod meta;
mod offload;
mod subtitles;
mod tencent;
mod text;
mod walk;
mod whisper;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::transcript::{Conversation, SpeakerLabels};

pub use chat::FieldNames;
pub use decode::Encoding;
pub use error::InputError;
pub use format::{Format, FormatSpec};
pub use meta::{MetaJoin, MetaTable};
pub use offload::{Inline, Job, Offload};
pub use walk::{Found, FoundKey, Skip, relative_key, walk, walk_keyed};

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
    /// Its size in bytes, when the walk knows it.
    pub size: Option<u64>,
}

impl Input {
    pub fn file(path: PathBuf) -> Input {
        Input {
            name: path.display().to_string(),
            source: Source::File(path),
            size: None,
        }
    }

    pub fn stdin() -> Input {
        Input {
            name: "<stdin>".to_string(),
            source: Source::Stdin,
            size: None,
        }
    }

    pub fn with_size(mut self, size: u64) -> Input {
        self.size = Some(size);
        self
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

/// How inputs are read: settings every parser shares.
#[derive(Debug, Clone, Default)]
pub struct ParseConfig {
    pub labels: SpeakerLabels,
    /// `--format`: skip detection.
    pub format: Option<Format>,
    /// `--encoding`: skip sniffing.
    pub encoding: Option<Encoding>,
    pub fields: FieldNames,
    /// `--agent-channel`: the ASR channel or speaker id that is the agent.
    pub agent_channel: Option<String>,
    pub meta: Option<MetaTable>,
}

/// What a parser needs to know about the input at hand.
pub struct ParseContext<'a> {
    pub default_id: String,
    pub labels: &'a SpeakerLabels,
    pub fields: &'a FieldNames,
    pub agent_channel: &'a Option<String>,
    /// Threads the parser may hand work to (JSON Lines parses its records there).
    pub offload: &'a dyn Offload,
}

/// What reading an input produces, in input order.
#[derive(Debug)]
pub enum Event {
    Conversation(Conversation),
    /// A line (or record) that could not be read; the rest of the input goes on.
    Problem {
        line: Option<usize>,
        reason: String,
    },
}

/// Read one input and hand its conversations and line problems to `sink`, in order.
/// Returns the bytes read; an `Err` means the input as a whole could not be scanned.
pub fn read(input: &Input, config: &ParseConfig, sink: &mut dyn FnMut(Event)) -> Result<u64, InputProblem> {
    read_with(input, config, &Inline, sink)
}

/// [`read`], with parsing work handed to `offload`'s threads where a format can use them;
/// the events are the same, in the same order.
pub fn read_with(
    input: &Input,
    config: &ParseConfig,
    offload: &dyn Offload,
    sink: &mut dyn FnMut(Event),
) -> Result<u64, InputProblem> {
    let problem = |error: InputError| InputProblem {
        file: input.name.clone(),
        line: None,
        reason: error.to_string(),
    };
    let (raw, extension): (Box<dyn Read + Send>, Option<String>) = match &input.source {
        Source::Stdin => (Box::new(std::io::stdin()), None),
        Source::File(path) => {
            let file = std::fs::File::open(path).map_err(|e| problem(InputError::Open(e)))?;
            let extension = path.extension().and_then(|e| e.to_str()).map(str::to_string);
            (Box::new(file), extension)
        }
    };
    read_from(raw, extension.as_deref(), input, config, offload, sink).map_err(problem)
}

/// Read bytes as if they were a file with `extension` (for fuzzing and tests).
pub fn read_bytes(
    bytes: &[u8],
    extension: Option<&str>,
    config: &ParseConfig,
    sink: &mut dyn FnMut(Event),
) -> Result<u64, InputError> {
    let name = format!("fuzz.{}", extension.unwrap_or("txt"));
    let input = Input::file(PathBuf::from(name));
    read_from(
        Box::new(std::io::Cursor::new(bytes.to_vec())),
        extension,
        &input,
        config,
        &Inline,
        sink,
    )
}

/// Counts the bytes that pass through, so the summary reports what was really read.
struct Counting {
    inner: Box<dyn Read + Send>,
    count: Arc<AtomicU64>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        BYTES_READ.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Bytes read from every input by this process so far (for the progress bar).
static BYTES_READ: AtomicU64 = AtomicU64::new(0);

/// Bytes read from every input so far.
pub fn bytes_read() -> u64 {
    BYTES_READ.load(Ordering::Relaxed)
}

/// Fill `sample` with up to `limit` bytes, reading as often as it takes: a pipe or a FIFO
/// hands over what the writer has written so far, and one short read is not the end.
/// True when the input ended within the sample.
fn read_sample(raw: &mut dyn Read, sample: &mut Vec<u8>, limit: usize) -> std::io::Result<bool> {
    // `read_to_end` keeps reading until the end or the limit, whatever each read returns, and
    // grows the buffer as data comes (a 3 KB call does not cost a zeroed 64 KiB buffer).
    let read = raw.take(limit as u64).read_to_end(sample)?;
    Ok(read < limit)
}

fn read_from(
    raw: Box<dyn Read + Send>,
    extension: Option<&str>,
    input: &Input,
    config: &ParseConfig,
    offload: &dyn Offload,
    sink: &mut dyn FnMut(Event),
) -> Result<u64, InputError> {
    let count = Arc::new(AtomicU64::new(0));
    let mut raw = Counting {
        inner: raw,
        count: Arc::clone(&count),
    };
    let mut sample = Vec::new();
    let whole = read_sample(&mut raw, &mut sample, decode::SNIFF_BYTES).map_err(InputError::Read)?;
    // The common case, a small UTF-8 file: validated once, and its lines sliced from memory.
    if config.encoding.is_none() && whole && !sample.starts_with(&[0xEF, 0xBB, 0xBF]) && !sample.contains(&0) {
        match utf8_string(sample) {
            Ok(text) if !text.is_empty() => {
                let format = config
                    .format
                    .unwrap_or_else(|| detect::detect(extension, head_of(&text)));
                let bytes = text.len() as u64;
                return parse(format, decode::Lines::from_text(text), input, config, offload, sink).map(|()| bytes);
            }
            Ok(text) => sample = text.into_bytes(),
            Err(bytes) => sample = bytes,
        }
    }
    let (encoding, bom) = match config.encoding {
        Some(forced) => (
            forced,
            decode::sniff(&sample, whole)
                .ok()
                .filter(|(e, _)| *e == forced)
                .map_or(0, |(_, b)| b),
        ),
        None => decode::sniff(&sample, whole)?,
    };
    let head = head_text(&sample[bom.min(sample.len())..], encoding);
    let format = config.format.unwrap_or_else(|| detect::detect(extension, &head));
    let body = sample.split_off(bom.min(sample.len()));
    let rest: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(
        decode::SNIFF_BYTES,
        std::io::Cursor::new(body).chain(raw),
    ));
    let lines = decode::Lines::new(decode::utf8_reader(rest, encoding));
    let lines = if config.encoding.is_none() {
        lines.with_gb18030_lines()
    } else {
        lines
    };
    parse(format, lines, input, config, offload, sink).map(|()| count.load(Ordering::Relaxed))
}

/// Bytes → `String`, validated with simdutf8 (several times faster than the standard library
/// on Chinese text, where there is no ASCII fast path); on error, the bytes back.
fn utf8_string(bytes: Vec<u8>) -> Result<String, Vec<u8>> {
    if simdutf8::basic::from_utf8(&bytes).is_err() {
        return Err(bytes);
    }
    // SAFETY: simdutf8 has just validated `bytes` as UTF-8.
    Ok(unsafe { String::from_utf8_unchecked(bytes) })
}

/// The first 8 KiB of `text`, cut on a character boundary, for format detection.
fn head_of(text: &str) -> &str {
    &text[..text.floor_char_boundary(8192)]
}

/// Hand `lines` to the parser of `format`; conversations get `--meta`, empty ones are dropped.
fn parse(
    format: Format,
    lines: decode::Lines,
    input: &Input,
    config: &ParseConfig,
    offload: &dyn Offload,
    sink: &mut dyn FnMut(Event),
) -> Result<(), InputError> {
    let context = ParseContext {
        default_id: input.stem(),
        labels: &config.labels,
        fields: &config.fields,
        agent_channel: &config.agent_channel,
        offload,
    };
    let mut conversations = 0usize;
    let mut problems = 0usize;
    let mut forward = |event: Event| match event {
        Event::Conversation(mut c) if !c.utterances.is_empty() => {
            if let Some(meta) = &config.meta {
                meta.apply(&mut c, &input.name);
            }
            conversations += 1;
            sink(Event::Conversation(c));
        }
        Event::Conversation(_) => {}
        problem @ Event::Problem { .. } => {
            problems += 1;
            sink(problem);
        }
    };
    let parsed = (format.spec().parse)(lines, &context, &mut forward);
    match parsed {
        Err(reason) => Err(InputError::Parse { format, reason }),
        Ok(()) if conversations == 0 && problems == 0 => Err(InputError::NoConversations(format)),
        Ok(()) => Ok(()),
    }
}

/// The first few KiB of the input as text, for format detection.
fn head_text(sample: &[u8], encoding: Encoding) -> String {
    let sample = &sample[..sample.len().min(8192)];
    match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(sample).into_owned(),
        Encoding::Gb18030 => encoding_rs::GB18030.decode_without_bom_handling(sample).0.into_owned(),
        Encoding::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(sample).0.into_owned(),
        Encoding::Utf16Be => encoding_rs::UTF_16BE.decode_without_bom_handling(sample).0.into_owned(),
    }
}
