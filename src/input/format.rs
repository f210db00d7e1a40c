//! The one table of input formats: name, the extensions a walk reads, whether the extension
//! alone decides, and the parser. A new format is a variant of [`Format`] and an entry in
//! [`Format::spec`]; the compiler refuses a variant without one. Sniffing by content, which
//! needs the bytes, is `detect.rs`.

use std::fmt;
use std::str::FromStr;

use super::decode::Lines;
use super::{Event, ParseContext, aliyun, csv_chat, funasr, json_doc, jsonl, subtitles, tencent, text, whisper};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain transcripts: `[time] label：text`, one utterance per line.
    Text,
    /// JSON Lines chat logs, one message per line.
    Jsonl,
    /// A JSON array of chat messages (or an object holding one under `messages`/`data`).
    JsonChat,
    /// CSV or TSV chat exports with a header row.
    Csv,
    Srt,
    Vtt,
    /// FunASR / Paraformer `sentence_info`, JSON or Python repr.
    Funasr,
    /// OpenAI Whisper `segments`.
    Whisper,
    /// Alibaba Cloud file transcription `Result.Sentences`.
    Aliyun,
    /// Tencent Cloud `ResultDetail`.
    Tencent,
}

/// A parser: lines of decoded text in, conversations and line problems out.
pub type Parser = fn(Lines, &ParseContext, &mut dyn FnMut(Event)) -> Result<(), String>;

/// A whole-document JSON parser: the parsed document and its raw text (for line numbers).
type DocumentParser = fn(&serde_json::Value, &str, &ParseContext, &mut dyn FnMut(Event)) -> Result<(), String>;

/// Everything about one format.
pub struct FormatSpec {
    /// The name of `--format` and of error messages.
    pub name: &'static str,
    /// What `--help` says of it.
    pub help: &'static str,
    /// Extensions a directory walk reads as this format (or as something detected).
    pub extensions: &'static [&'static str],
    /// The extension alone decides (`.jsonl` is JSON Lines whatever it holds); otherwise the
    /// content is sniffed (a `.txt` may hold FunASR's printed result).
    pub by_extension: bool,
    pub parse: Parser,
}

/// Largest whole JSON document read (FunASR, Whisper … results are one call each).
const MAX_DOCUMENT: u64 = 256 << 20;

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Text,
        Format::Jsonl,
        Format::JsonChat,
        Format::Csv,
        Format::Srt,
        Format::Vtt,
        Format::Funasr,
        Format::Whisper,
        Format::Aliyun,
        Format::Tencent,
    ];

    pub fn spec(self) -> &'static FormatSpec {
        match self {
            Format::Text => &FormatSpec {
                name: "text",
                help: "`[time] label：text` lines",
                extensions: &["txt", "text", "log", "asr", "trn"],
                by_extension: false,
                parse: |mut lines, c, sink| text::parse(&mut lines, c, sink),
            },
            Format::Jsonl => &FormatSpec {
                name: "jsonl",
                help: "one chat message per line",
                extensions: &["jsonl", "ndjson"],
                by_extension: true,
                parse: |mut lines, c, sink| jsonl::parse(&mut lines, c, sink),
            },
            Format::JsonChat => &FormatSpec {
                name: "json",
                help: "an array of chat messages",
                extensions: &["json"],
                by_extension: false,
                parse: |lines, c, sink| json_document(lines, c, sink, by_shape),
            },
            Format::Csv => &FormatSpec {
                name: "csv",
                help: "a chat export with a header row (also TSV)",
                extensions: &["csv", "tsv"],
                by_extension: true,
                parse: csv_chat::parse,
            },
            Format::Srt => &FormatSpec {
                name: "srt",
                help: "SubRip subtitles",
                extensions: &["srt"],
                by_extension: true,
                parse: |mut lines, c, sink| subtitles::parse(&mut lines, c, sink),
            },
            Format::Vtt => &FormatSpec {
                name: "vtt",
                help: "WebVTT subtitles",
                extensions: &["vtt"],
                by_extension: true,
                parse: |mut lines, c, sink| subtitles::parse(&mut lines, c, sink),
            },
            Format::Funasr => &FormatSpec {
                name: "funasr",
                help: "FunASR/Paraformer `sentence_info` (JSON or Python repr)",
                extensions: &[],
                by_extension: false,
                parse: |lines, c, sink| json_document(lines, c, sink, funasr::parse),
            },
            Format::Whisper => &FormatSpec {
                name: "whisper",
                help: "Whisper `segments`",
                extensions: &[],
                by_extension: false,
                parse: |lines, c, sink| json_document(lines, c, sink, whisper::parse),
            },
            Format::Aliyun => &FormatSpec {
                name: "aliyun",
                help: "Alibaba Cloud `Result.Sentences`",
                extensions: &[],
                by_extension: false,
                parse: |lines, c, sink| json_document(lines, c, sink, aliyun::parse),
            },
            Format::Tencent => &FormatSpec {
                name: "tencent",
                help: "Tencent Cloud `ResultDetail`",
                extensions: &[],
                by_extension: false,
                parse: |lines, c, sink| json_document(lines, c, sink, tencent::parse),
            },
        }
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The format an extension alone decides, if any.
    pub fn by_extension(extension: &str) -> Option<Format> {
        let extension = extension.to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.spec().by_extension && f.spec().extensions.contains(&extension.as_str()))
    }

    /// Whether a directory walk reads files with this extension.
    pub fn is_transcript_extension(extension: &str) -> bool {
        Format::ALL
            .iter()
            .any(|f| f.spec().extensions.iter().any(|e| e.eq_ignore_ascii_case(extension)))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL.into_iter().find(|f| f.name() == s.trim()).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format `{s}` (one of {})", names.join(", "))
        })
    }
}

/// A JSON document detected only as "JSON" (its first 8 KiB named no ASR format: FunASR and
/// Whisper write the whole call's text before the sentences): decided by its parsed shape.
fn by_shape(
    document: &serde_json::Value,
    raw: &str,
    c: &ParseContext,
    sink: &mut dyn FnMut(Event),
) -> Result<(), String> {
    use serde_json::Value;
    let first = match document {
        Value::Array(items) => items.first(),
        other => Some(other),
    };
    let has = |v: Option<&Value>, key: &str| v.and_then(|v| v.get(key)).is_some_and(Value::is_array);
    let parse: DocumentParser = if has(first, "sentence_info") {
        funasr::parse
    } else if has(Some(document), "segments") {
        whisper::parse
    } else if has(document.pointer("/Response/Data"), "ResultDetail") || has(Some(document), "ResultDetail") {
        tencent::parse
    } else if has(document.get("Result"), "Sentences") || has(Some(document), "Sentences") {
        aliyun::parse
    } else {
        jsonl::parse_array
    };
    parse(document, raw, c, sink)
}

/// A whole-document JSON format: read the rest, parse once, hand to `parse`.
fn json_document(
    mut lines: Lines,
    context: &ParseContext,
    sink: &mut dyn FnMut(Event),
    parse: DocumentParser,
) -> Result<(), String> {
    let raw = lines.read_rest(MAX_DOCUMENT).map_err(|e| e.to_string())??;
    let document = json_doc::parse_document(&raw)?;
    parse(&document, &raw, context, sink)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_a_unique_name_and_round_trips() {
        for format in Format::ALL {
            assert_eq!(format.name().parse::<Format>(), Ok(format));
            assert_eq!(Format::ALL.iter().filter(|f| f.name() == format.name()).count(), 1);
        }
        assert!("docx".parse::<Format>().unwrap_err().contains("one of text, jsonl"));
        assert_eq!(Format::by_extension("JSONL"), Some(Format::Jsonl));
        assert_eq!(Format::by_extension("txt"), None);
        assert!(Format::is_transcript_extension("TSV"));
        assert!(!Format::is_transcript_extension("wav"));
    }
}
