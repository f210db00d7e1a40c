//! Bytes → UTF-8 text, streamed. Promise: never a silent wrong guess.
//!
//! The encoding is a byte-order mark (UTF-8, UTF-16LE/BE), else UTF-8 if the first 64 KiB are
//! valid UTF-8, else GB18030 (which covers GBK and GB2312) if they decode cleanly as that and
//! read as Chinese, else an error naming the byte; `--encoding` forces one. Bytes that are not
//! valid in the chosen encoding further on are an error for that file or line, never replaced.
//! Lines are capped: a 100 MB line is reported as too long and skipped, not loaded.

use std::io::{self, BufRead, Read};
use std::str::FromStr;

use encoding_rs::{Decoder, DecoderResult, GB18030, UTF_16BE, UTF_16LE};

use super::InputError;

/// How much of a file is looked at to choose its encoding and format.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// Longest line read; longer lines are reported and skipped.
pub const MAX_LINE: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

impl FromStr for Encoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "utf-16" | "utf-16le" | "utf16le" | "utf16" => Ok(Encoding::Utf16Le),
            "utf-16be" | "utf16be" => Ok(Encoding::Utf16Be),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Ok(Encoding::Gb18030),
            _ => Err(format!(
                "unknown encoding `{s}` (use utf-8, utf-16le, utf-16be or gb18030/gbk)"
            )),
        }
    }
}

/// Choose the encoding from the start of a file: (encoding, length of its byte-order mark).
pub fn sniff(sample: &[u8], whole_file: bool) -> Result<(Encoding, usize), InputError> {
    if sample.is_empty() {
        return Err(InputError::Empty);
    }
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok((Encoding::Utf8, 3));
    }
    if sample.starts_with(&[0xFF, 0xFE]) {
        return Ok((Encoding::Utf16Le, 2));
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return Ok((Encoding::Utf16Be, 2));
    }
    if sample[..sample.len().min(8192)].contains(&0) {
        return Err(InputError::Binary);
    }
    let utf8_error = match std::str::from_utf8(sample) {
        Ok(_) => return Ok((Encoding::Utf8, 0)),
        // A sample cut inside a character is still UTF-8.
        Err(e) if e.error_len().is_none() && !whole_file => return Ok((Encoding::Utf8, 0)),
        Err(e) => e.valid_up_to(),
    };
    if looks_like_gb18030(sample, whole_file) || lines_are_utf8_or_gb18030(sample, whole_file) {
        // GB18030 is read line by line, and a line that is valid UTF-8 is taken as UTF-8: a
        // file that mixes both (two exports concatenated) is never turned into mojibake.
        return Ok((Encoding::Gb18030, 0));
    }
    // Overwhelmingly UTF-8 with a damaged spot: read it as UTF-8 and report the bad lines.
    let invalid: usize = sample.utf8_chunks().map(|chunk| chunk.invalid().len()).sum();
    if invalid * 200 < sample.len() {
        return Ok((Encoding::Utf8, 0));
    }
    Err(InputError::Encoding(format!(
        "not valid UTF-8 at byte {utf8_error}, and not GB18030 text either (give --encoding if you know it)"
    )))
}

/// Decodes cleanly as GB18030 and mostly reads as Chinese or ASCII, not as rare symbols.
fn looks_like_gb18030(sample: &[u8], whole_file: bool) -> bool {
    let cut = if whole_file { 0..=0 } else { 0..=3 };
    for trim in cut {
        let Some(body) = sample.get(..sample.len().saturating_sub(trim)) else {
            continue;
        };
        if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(body) {
            let (mut common, mut other) = (0usize, 0usize);
            for c in text.chars() {
                if c.is_ascii()
                    || ('\u{4E00}'..='\u{9FFF}').contains(&c)
                    || ('\u{3000}'..='\u{303F}').contains(&c)
                    || ('\u{FF00}'..='\u{FFEF}').contains(&c)
                {
                    common += 1;
                } else {
                    other += 1;
                }
            }
            return common > 0 && other * 10 <= common;
        }
    }
    false
}

/// Every line of the sample is valid UTF-8 or clean, Chinese-looking GB18030 (a file that
/// mixes the two); the last line may be cut when the sample is not the whole file.
fn lines_are_utf8_or_gb18030(sample: &[u8], whole_file: bool) -> bool {
    let mut lines: Vec<&[u8]> = sample.split(|&b| b == b'\n').collect();
    if !whole_file && lines.len() > 1 {
        lines.pop();
    }
    let mut gb = 0;
    for line in lines {
        if std::str::from_utf8(line).is_ok() {
            continue;
        }
        if decode_gb18030_line(line).is_none() {
            return false;
        }
        gb += 1;
    }
    gb > 0
}

/// Every character is ASCII, a CJK ideograph or CJK / full-width punctuation.
fn reads_as_chinese(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_ascii()
            || ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || ('\u{3400}'..='\u{4DBF}').contains(&c)
            || ('\u{3000}'..='\u{303F}').contains(&c)
            || ('\u{FF00}'..='\u{FFEF}').contains(&c)
            || ('\u{2010}'..='\u{206F}').contains(&c)
    })
}

/// One line in GB18030, if it decodes without a replacement and reads as Chinese, and is
/// not UTF-8 with a damaged spot (a character cut in two): in a GBK line most non-ASCII bytes
/// are invalid as UTF-8, in damaged UTF-8 only a few are.
fn decode_gb18030_line(line: &[u8]) -> Option<String> {
    let non_ascii = line.iter().filter(|b| !b.is_ascii()).count();
    let invalid: usize = line.utf8_chunks().map(|chunk| chunk.invalid().len()).sum();
    if invalid * 2 < non_ascii {
        return None;
    }
    let text = GB18030.decode_without_bom_handling_and_without_replacement(line)?;
    looks_like_gb18030(line, true).then(|| text.into_owned())
}

/// UTF-8 bytes from an input in any supported encoding.
pub fn utf8_reader(raw: Box<dyn BufRead + Send>, encoding: Encoding) -> Box<dyn BufRead + Send> {
    let decoder = match encoding {
        Encoding::Utf8 => return raw,
        Encoding::Utf16Le => UTF_16LE.new_decoder_without_bom_handling(),
        Encoding::Utf16Be => UTF_16BE.new_decoder_without_bom_handling(),
        Encoding::Gb18030 => {
            return Box::new(io::BufReader::with_capacity(
                SNIFF_BYTES,
                GbLines {
                    raw,
                    line: Vec::new(),
                    consumed: 0,
                    pending: Vec::new(),
                    at: 0,
                    long: false,
                },
            ));
        }
    };
    Box::new(io::BufReader::with_capacity(
        SNIFF_BYTES,
        DecodingReader {
            raw,
            decoder,
            encoding,
            consumed: 0,
            done: false,
            pending: Vec::new(),
        },
    ))
}

/// Streams `raw` through an encoding_rs decoder; malformed bytes are an `InvalidData` error.
struct DecodingReader {
    raw: Box<dyn BufRead + Send>,
    decoder: Decoder,
    encoding: Encoding,
    consumed: u64,
    done: bool,
    /// Decoded bytes that did not fit the caller's buffer.
    pending: Vec<u8>,
}

impl Read for DecodingReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if !self.pending.is_empty() {
                let n = out.len().min(self.pending.len());
                out[..n].copy_from_slice(&self.pending[..n]);
                self.pending.drain(..n);
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            let input = self.raw.fill_buf()?;
            let last = input.is_empty();
            let mut decoded = vec![0u8; input.len() * 3 + 16];
            let (result, read, written) = self
                .decoder
                .decode_to_utf8_without_replacement(input, &mut decoded, last);
            if let DecoderResult::Malformed(bad, extra) = result {
                let at = self.consumed + read as u64 - u64::from(bad) - u64::from(extra);
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("not valid {} near byte {at}", self.encoding.name()),
                ));
            }
            self.raw.consume(read);
            self.consumed += read as u64;
            decoded.truncate(written);
            self.pending = decoded;
            self.done = last;
        }
    }
}

/// GB18030 decoded line by line: a line that is valid UTF-8 stays as it is (files that mix
/// the two), any other line must decode without a replacement, or the input is an error.
/// Line ends are single bytes in both encodings, so lines split the same way before and
/// after. A line longer than [`MAX_LINE`] is passed on undecoded: the line reader reports it
/// as too long and skips it.
struct GbLines {
    raw: Box<dyn BufRead + Send>,
    line: Vec<u8>,
    consumed: u64,
    pending: Vec<u8>,
    at: usize,
    /// Inside a line longer than [`MAX_LINE`], passed on undecoded to its end.
    long: bool,
}

impl GbLines {
    /// Read and decode the next raw line into `pending`; false at the end.
    fn next_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        let start = self.consumed;
        let mut too_long = self.long;
        loop {
            let chunk = self.raw.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let (take, found) = match memchr(chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if self.line.len() + take > MAX_LINE + 2 && !too_long {
                too_long = true;
            }
            self.line.extend_from_slice(&chunk[..take]);
            self.raw.consume(take);
            self.consumed += take as u64;
            if found {
                self.long = false;
                break;
            }
            if too_long {
                // Hand the long line on in pieces, undecoded, to its end.
                self.long = true;
                break;
            }
        }
        if self.line.is_empty() {
            return Ok(false);
        }
        self.pending.clear();
        self.at = 0;
        // A line valid as UTF-8 is UTF-8, unless it reads as Chinese only in GB18030 (a short
        // GBK line can be valid UTF-8 by accident: 专员: 一准 → רԱ: һ׼).
        let keep_as_is = too_long
            || std::str::from_utf8(&self.line).is_ok_and(|text| {
                reads_as_chinese(text)
                    || !GB18030
                        .decode_without_bom_handling_and_without_replacement(&self.line)
                        .is_some_and(|gb| reads_as_chinese(&gb))
            });
        if keep_as_is {
            std::mem::swap(&mut self.pending, &mut self.line);
            return Ok(true);
        }
        let mut decoder = GB18030.new_decoder_without_bom_handling();
        let mut out = vec![0u8; self.line.len() * 3 + 16];
        let (result, read, written) = decoder.decode_to_utf8_without_replacement(&self.line, &mut out, true);
        if let DecoderResult::Malformed(bad, extra) = result {
            let at = start + read as u64 - u64::from(bad) - u64::from(extra);
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not valid GB18030 near byte {at}"),
            ));
        }
        out.truncate(written);
        self.pending = out;
        Ok(true)
    }
}

impl Read for GbLines {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.pending.len() {
            if !self.next_line()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.pending.len() - self.at);
        out[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// One line of a UTF-8 stream, lent until the next line is read.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    Text(&'a str),
    /// Longer than [`MAX_LINE`]: skipped, with its length in bytes.
    TooLong(usize),
    /// Not valid UTF-8; the reason says where.
    Invalid(String),
}

/// Lines of a UTF-8 stream, numbered from 1, each at most [`MAX_LINE`] bytes held in memory.
pub struct Lines {
    source: LineSource,
    number: usize,
    buf: Vec<u8>,
    /// The last line ended with a lone `\r` so far: a `\n` that follows belongs to it.
    after_cr: bool,
    /// A line that was not UTF-8 but clean GB18030, decoded.
    decoded: String,
    /// Try GB18030 for a line that is not UTF-8 (the encoding was sniffed, not forced).
    gb18030_lines: bool,
}

enum LineSource {
    Stream(Box<dyn BufRead + Send>),
    /// A small file already read and validated whole: lines are sliced, not re-validated.
    Text {
        text: String,
        at: usize,
    },
}

impl Lines {
    pub fn new(reader: Box<dyn BufRead + Send>) -> Lines {
        Lines {
            source: LineSource::Stream(reader),
            number: 0,
            buf: Vec::new(),
            after_cr: false,
            decoded: String::new(),
            gb18030_lines: false,
        }
    }

    /// Also read a line that is not UTF-8 as GB18030 when it decodes cleanly as Chinese: for
    /// files whose encoding was sniffed, where two exports may have been concatenated.
    pub fn with_gb18030_lines(mut self) -> Lines {
        self.gb18030_lines = true;
        self
    }

    /// Lines of text already in memory and known to be valid.
    pub fn from_text(text: String) -> Lines {
        Lines {
            source: LineSource::Text { text, at: 0 },
            number: 0,
            buf: Vec::new(),
            after_cr: false,
            decoded: String::new(),
            gb18030_lines: false,
        }
    }

    /// The next line without its `\n`, `\r\n` or lone `\r` (old Mac exports end lines with
    /// CR alone), and its number; `None` at the end.
    pub fn next_line(&mut self) -> io::Result<Option<(usize, Line<'_>)>> {
        let reader = match &mut self.source {
            LineSource::Text { text, at } => {
                if *at >= text.len() {
                    return Ok(None);
                }
                let rest = &text[*at..];
                let end = match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
                    Some(i) if rest.as_bytes()[i] == b'\r' && rest.as_bytes().get(i + 1) == Some(&b'\n') => i + 2,
                    Some(i) => i + 1,
                    None => rest.len(),
                };
                *at += end;
                self.number += 1;
                if end > MAX_LINE {
                    return Ok(Some((self.number, Line::TooLong(end))));
                }
                let line = rest[..end].trim_end_matches(['\n', '\r']);
                return Ok(Some((self.number, Line::Text(line))));
            }
            LineSource::Stream(reader) => reader,
        };
        self.buf.clear();
        let mut total = 0usize;
        let mut saw_any = false;
        loop {
            let mut chunk = reader.fill_buf()?;
            if std::mem::take(&mut self.after_cr) && chunk.first() == Some(&b'\n') {
                reader.consume(1);
                chunk = reader.fill_buf()?;
            }
            if chunk.is_empty() {
                break;
            }
            saw_any = true;
            let (take, found) = match memchr::memchr2(b'\n', b'\r', chunk) {
                Some(i) => {
                    if chunk[i] == b'\r' {
                        match chunk.get(i + 1) {
                            Some(b'\n') => (i + 2, true),
                            Some(_) => (i + 1, true),
                            // The \n may come with the next read.
                            None => {
                                self.after_cr = true;
                                (i + 1, true)
                            }
                        }
                    } else {
                        (i + 1, true)
                    }
                }
                None => (chunk.len(), false),
            };
            if self.buf.len() < MAX_LINE {
                let room = MAX_LINE - self.buf.len();
                self.buf.extend_from_slice(&chunk[..take.min(room)]);
            }
            total += take;
            reader.consume(take);
            if found {
                break;
            }
        }
        if !saw_any {
            return Ok(None);
        }
        self.number += 1;
        if total > MAX_LINE {
            return Ok(Some((self.number, Line::TooLong(total))));
        }
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        let line = match simdutf8::compat::from_utf8(&self.buf) {
            Ok(s) => Line::Text(s),
            // A GBK line in a UTF-8 file (two exports concatenated): decoded when it decodes
            // cleanly and reads as Chinese, else reported, never replaced.
            Err(e) => match decode_gb18030_line(&self.buf).filter(|_| self.gb18030_lines) {
                Some(text) => {
                    self.decoded = text;
                    Line::Text(&self.decoded)
                }
                None => Line::Invalid(format!("not valid UTF-8 at byte {} of the line", e.valid_up_to())),
            },
        };
        Ok(Some((self.number, line)))
    }

    /// Bytes left, when the lines are already in memory.
    pub fn bytes_left(&self) -> Option<usize> {
        match &self.source {
            LineSource::Text { text, at } => Some(text.len().saturating_sub(*at)),
            LineSource::Stream(_) => None,
        }
    }

    /// Everything left, as one string (for whole-document formats), at most `limit` bytes.
    pub fn read_rest(&mut self, limit: u64) -> io::Result<Result<String, String>> {
        let too_large = || format!("larger than {} MiB, too large for a single JSON document", limit >> 20);
        match &mut self.source {
            LineSource::Text { text, at } => {
                let rest = text.split_off((*at).min(text.len()));
                *at = text.len();
                Ok(if rest.len() as u64 > limit {
                    Err(too_large())
                } else {
                    Ok(rest)
                })
            }
            LineSource::Stream(reader) => {
                let mut bytes = Vec::new();
                let read = reader.take(limit + 1).read_to_end(&mut bytes)?;
                if read as u64 > limit {
                    return Ok(Err(too_large()));
                }
                Ok(String::from_utf8(bytes)
                    .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to())))
            }
        }
    }

    /// The UTF-8 stream itself, for parsers that bring their own reader (CSV).
    pub fn into_reader(self) -> Box<dyn BufRead + Send> {
        match self.source {
            LineSource::Stream(reader) => reader,
            LineSource::Text { text, at } => Box::new(io::Cursor::new(text.into_bytes().split_off(at))),
        }
    }
}

fn memchr(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line as text, `<too long N>` or `<invalid REASON>`.
    fn lines_of(bytes: &[u8], encoding: Encoding) -> Vec<String> {
        let raw: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(bytes.to_vec()));
        let mut lines = Lines::new(utf8_reader(raw, encoding));
        let mut out = Vec::new();
        while let Some((_, line)) = lines.next_line().unwrap() {
            out.push(match line {
                Line::Text(t) => t.to_string(),
                Line::TooLong(n) => format!("<too long {n}>"),
                Line::Invalid(reason) => format!("<invalid {reason}>"),
            });
        }
        out
    }

    #[test]
    fn encodings_are_sniffed_not_guessed() {
        assert_eq!(sniff("客服：您好".as_bytes(), true).ok(), Some((Encoding::Utf8, 0)));
        assert_eq!(sniff(b"\xEF\xBB\xBFabc", true).ok(), Some((Encoding::Utf8, 3)));
        assert_eq!(sniff(b"\xFF\xFEa\0", true).ok(), Some((Encoding::Utf16Le, 2)));
        let (gbk, _, _) = GB18030.encode("客户：我要去消协投诉你们，再不处理就打12315");
        assert_eq!(sniff(&gbk, true).ok(), Some((Encoding::Gb18030, 0)));
        assert!(matches!(sniff(b"", true), Err(InputError::Empty)));
        assert!(matches!(sniff(b"PK\x03\x04\0\0", true), Err(InputError::Binary)));
        // Latin-1 bytes are neither UTF-8 nor plausible GB18030 Chinese.
        assert!(
            sniff(b"caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise", true)
                .unwrap_err()
                .to_string()
                .contains("byte 3")
        );
        // A sample cut inside a character is still UTF-8.
        assert_eq!(sniff(&"客户".as_bytes()[..4], false).ok(), Some((Encoding::Utf8, 0)));
        // One damaged spot in a long UTF-8 file: UTF-8, with that line reported later.
        let mut damaged = "客户：我要投诉你们\n".repeat(40).into_bytes();
        damaged[20] = 0xFF;
        assert_eq!(sniff(&damaged, true).ok(), Some((Encoding::Utf8, 0)));
    }

    #[test]
    fn lines_in_every_encoding() {
        let text = "客户：我要投诉\r\n坐席：您好\n";
        let (gbk, _, _) = GB18030.encode(text);
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        for (bytes, encoding) in [
            (text.as_bytes().to_vec(), Encoding::Utf8),
            (gbk.into_owned(), Encoding::Gb18030),
            (utf16, Encoding::Utf16Le),
        ] {
            assert_eq!(
                lines_of(&bytes, encoding),
                ["客户：我要投诉", "坐席：您好"],
                "{encoding:?}"
            );
        }
    }

    #[test]
    fn cr_lf_and_crlf_line_ends() {
        let text = "客户：你好\r客服：您好\r\n客户：不解决我就去12315\n客服：好的\r";
        let want = ["客户：你好", "客服：您好", "客户：不解决我就去12315", "客服：好的"];
        assert_eq!(lines_of(text.as_bytes(), Encoding::Utf8), want);
        let mut from_text = Lines::from_text(text.to_string());
        let mut got = Vec::new();
        while let Some((_, Line::Text(t))) = from_text.next_line().unwrap() {
            got.push(t.to_string());
        }
        assert_eq!(got, want);
        // A CR at the end of one read and its LF at the start of the next are one line end.
        let raw: Box<dyn BufRead + Send> = Box::new(io::BufReader::with_capacity(
            4,
            io::Cursor::new(b"abc\r\ndef\r\n".to_vec()),
        ));
        let mut lines = Lines::new(raw);
        let mut got = Vec::new();
        while let Some((n, Line::Text(t))) = lines.next_line().unwrap() {
            got.push((n, t.to_string()));
        }
        assert_eq!(got, [(1, "abc".to_string()), (2, "def".to_string())]);
    }

    #[test]
    fn a_file_mixing_gbk_and_utf8_lines_is_read_line_by_line() {
        let (gbk, _, _) = GB18030.encode("客户：我要去消协投诉你们\n");
        let mut bytes = gbk.into_owned();
        bytes.extend_from_slice("客服：您好，请问有什么可以帮您\n".as_bytes());
        bytes.extend_from_slice(&GB18030.encode("客户：不解决我就打12315\n").0);
        let (encoding, _) = sniff(&bytes, true).unwrap();
        assert_eq!(
            lines_of(&bytes, encoding),
            [
                "客户：我要去消协投诉你们",
                "客服：您好，请问有什么可以帮您",
                "客户：不解决我就打12315"
            ]
        );
        // A short GBK line that is valid UTF-8 by accident is still read as GBK.
        let mut bytes = GB18030.encode("客户：我要投诉\n").0.into_owned();
        bytes.extend_from_slice("客服：您好\n".as_bytes());
        bytes.extend_from_slice(&GB18030.encode("专员: 一准\n").0);
        let (encoding, _) = sniff(&bytes, true).unwrap();
        assert_eq!(lines_of(&bytes, encoding)[2], "专员: 一准");
        // Mostly UTF-8 with one GBK line: that line is decoded, not reported as damaged.
        let mut bytes = "客服：您好\n".repeat(300).into_bytes();
        bytes.extend_from_slice(&GB18030.encode("客户：我要去消协投诉你们\n").0);
        let (encoding, _) = sniff(&bytes, true).unwrap();
        let raw: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(bytes.clone()));
        let mut lines = Lines::new(utf8_reader(raw, encoding)).with_gb18030_lines();
        let mut last = String::new();
        while let Some((_, line)) = lines.next_line().unwrap() {
            last = format!("{line:?}");
        }
        assert_eq!(last, "Text(\"客户：我要去消协投诉你们\")");
    }

    #[test]
    fn a_huge_line_is_reported_not_loaded() {
        let mut bytes = b"first\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_LINE + 10));
        bytes.extend_from_slice(b"\nlast");
        let lines = lines_of(&bytes, Encoding::Utf8);
        assert_eq!(
            lines,
            [
                "first".to_string(),
                format!("<too long {}>", MAX_LINE + 11),
                "last".to_string()
            ]
        );
    }

    #[test]
    fn malformed_gb18030_is_an_error_not_a_replacement() {
        let raw: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(b"\xC4\xE3\xBA\xC3\xFF\xFF\n".to_vec()));
        let mut lines = Lines::new(utf8_reader(raw, Encoding::Gb18030));
        let err = lines.next_line().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("not valid GB18030 near byte 4"), "{err}");
        assert_eq!(
            lines_of(b"ok\n\xff\xfe bad\n", Encoding::Utf8)[1],
            "<invalid not valid UTF-8 at byte 0 of the line>"
        );
    }
}
