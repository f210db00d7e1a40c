//! What the JSON document formats share (FunASR, Whisper, Alibaba Cloud, Tencent Cloud, JSON
//! chat arrays): parsing (also the Python-repr form people save with `print(res)`), finding
//! keys, offsets as `hh:mm:ss.mmm`, channel ids as speakers, and the line in the file where
//! each sentence stands, so reports point at it. Finding those lines reads the document once,
//! whatever the number or the length of the sentences (a 50,000-segment Whisper result, a
//! single 8 MB segment); a sentence whose text is nowhere in it costs nothing more. A
//! `\u0000` in a sentence becomes a space.

use std::collections::HashMap;
use std::hash::Hasher;

use serde_json::Value;

use crate::category::Speaker;

use super::chat::speaker_of;
use super::{Event, ParseContext};
use crate::transcript::{Conversation, Utterance};

/// Parse a JSON document, or a Python repr of one (single quotes, True/False/None).
pub fn parse_document(text: &str) -> Result<Value, String> {
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(json_error) => match python_to_json(text) {
            Some(converted) => serde_json::from_str(&converted).map_err(|_| format!("invalid JSON: {json_error}")),
            None => Err(format!("invalid JSON: {json_error}")),
        },
    }
}

/// Rewrite a Python literal (dicts, lists, tuples, str, int, float, bool, None) as JSON.
/// `None` when it is not one.
pub fn python_to_json(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with("[{'") || trimmed.starts_with("{'") || trimmed.starts_with("[{\"") && text.contains("': "))
    {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                let quote = c;
                out.push('"');
                loop {
                    match chars.next()? {
                        '\\' => match chars.next()? {
                            '\'' => out.push('\''),
                            '"' => out.push_str("\\\""),
                            'x' => {
                                let hex: String = [chars.next()?, chars.next()?].iter().collect();
                                out.push_str(&format!("\\u00{hex}"));
                            }
                            other => {
                                out.push('\\');
                                out.push(other);
                            }
                        },
                        c if c == quote => break,
                        '"' => out.push_str("\\\""),
                        c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            '(' => out.push('['),
            ')' => out.push(']'),
            _ if c.is_ascii_alphabetic()
                && !(matches!(c, 'e' | 'E') && out.ends_with(|p: char| p.is_ascii_digit())) =>
            {
                let mut word = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphanumeric() || n == '_' {
                        word.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push_str(match word.as_str() {
                    "True" => "true",
                    "False" => "false",
                    "None" => "null",
                    _ => return None,
                });
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

/// The first value under `key` anywhere in `value` (depth first).
pub fn find_key<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match value {
        Value::Object(map) => map.get(key).or_else(|| map.values().find_map(|v| find_key(v, key))),
        Value::Array(items) => items.iter().find_map(|v| find_key(v, key)),
        _ => None,
    }
}

/// A number or numeric string.
pub fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Milliseconds into the call as `hh:mm:ss.mmm`.
pub fn offset(ms: f64) -> String {
    let ms = ms.max(0.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// A channel or speaker id as a side: `--agent-channel` says which id is the agent (every
/// other id is then the customer); without it, an id that is a known label is that side,
/// anything else `unknown`.
pub fn speaker_of_channel(id: Option<String>, context: &ParseContext) -> Speaker {
    let Some(id) = id else { return Speaker::Unknown };
    match &context.agent_channel {
        Some(agent) if same_channel(agent, &id) => Speaker::Agent,
        Some(_) => Speaker::Customer,
        None => speaker_of(&id, context.labels),
    }
}

/// `0`, `00` and `SPEAKER_00` name the same channel.
fn same_channel(a: &str, b: &str) -> bool {
    let number = |s: &str| {
        let digits: String = s
            .trim()
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        digits.parse::<u64>().ok()
    };
    a.trim().eq_ignore_ascii_case(b.trim()) || matches!((number(a), number(b)), (Some(x), Some(y)) if x == y)
}

/// A call being read out of an ASR result: each sentence with its line, offset and speaker.
pub struct CallBuilder<'a> {
    conversation: Conversation,
    locate: LineLocator<'a>,
    /// With `--agent-channel`: that channel, and the first channel ids met (to name them when
    /// none of them is it).
    agent_channel: Option<String>,
    channels: Vec<String>,
}

/// Channel ids named when `--agent-channel` matches none of a call's.
const CHANNELS_NAMED: usize = 6;

impl<'a> CallBuilder<'a> {
    pub fn new(id: String, raw: &'a str) -> CallBuilder<'a> {
        CallBuilder::continuing(id, LineLocator::new(raw))
    }

    /// A call whose sentences follow those of an earlier call in the same document.
    pub fn continuing(id: String, locate: LineLocator<'a>) -> CallBuilder<'a> {
        CallBuilder {
            conversation: Conversation {
                id,
                ..Conversation::default()
            },
            locate,
            agent_channel: None,
            channels: Vec::new(),
        }
    }

    /// The side of a sentence on channel `id` ([`speaker_of_channel`]), noting the channel so
    /// that a `--agent-channel` that names none of the call's is said when it is handed on.
    pub fn speaker_of(&mut self, id: Option<String>, context: &ParseContext) -> Speaker {
        if let (Some(agent), Some(id)) = (&context.agent_channel, &id) {
            self.agent_channel.get_or_insert_with(|| agent.clone());
            if self.channels.len() < CHANNELS_NAMED && !self.channels.contains(id) {
                self.channels.push(id.clone());
            }
        }
        speaker_of_channel(id, context)
    }

    /// One sentence; `start_ms` and `end_ms` are its offsets into the call.
    pub fn sentence(&mut self, text: String, start_ms: Option<f64>, end_ms: Option<f64>, speaker: Speaker) {
        let millis = |ms: f64| ms.is_finite().then(|| ms.max(0.0).round() as u64);
        self.conversation.utterances.push(Utterance {
            line: self.locate.line_of(&text),
            time: start_ms.map(offset).unwrap_or_default(),
            start_ms: start_ms.and_then(millis),
            end_ms: end_ms.and_then(millis),
            speaker,
            text: without_nul(text.trim().to_string()),
            continued: false,
        });
    }

    /// Hand the call on; the locator is returned for a next call in the same document.
    pub fn finish(self, sink: &mut dyn FnMut(Event)) -> LineLocator<'a> {
        let no_agent = !self.conversation.utterances.iter().any(|u| u.speaker == Speaker::Agent);
        if let Some(agent) = self
            .agent_channel
            .as_ref()
            .filter(|_| no_agent && !self.channels.is_empty())
        {
            // Every line read as the customer's is a misread, never a silent one.
            sink(Event::Problem {
                line: None,
                reason: format!(
                    "--agent-channel {agent} names none of the speakers of conversation {} ({}): every \
                     line was read as the customer's; give the agent's id as this file writes it",
                    self.conversation.id,
                    self.channels.join(", ")
                ),
            });
        }
        sink(Event::Conversation(self.conversation));
        self.locate
    }
}

/// A JSON string may hold `\u0000`; a NUL is never text a person wrote, and it breaks the tools
/// that open the reports (and, today, the normaliser, which uses U+0000 as a marker). It
/// becomes a space, so every other character keeps its position.
pub fn without_nul(text: String) -> String {
    if text.contains('\0') {
        text.replace('\0', " ")
    } else {
        text
    }
}

/// Finds, front to back, the line where each sentence's text stands in the raw document.
///
/// The document is read once, when the locator is made: each string literal in a value
/// position (JSON `"…"` or Python `'…'`; keys are left out) is noted with its line and a hash
/// of its decoded value, and literals with the same hash are chained in document order.
/// Looking a sentence up is a hash look-up, then a walk along its chain past the literals
/// already passed, which never goes back. So the work is linear in the size of the document
/// plus the sentences looked up, however many there are and whether or not they are found.
pub struct LineLocator<'a> {
    document: &'a str,
    literals: Vec<Literal>,
    /// For each hash, the earliest literal with it that may not have been passed yet.
    chain_start: HashMap<u64, u32>,
    /// Literals before this index have been passed.
    passed: usize,
    line: usize,
}

/// A string literal of the document in a value position. Offsets are `u32`: documents are
/// capped well below 4 GiB (`MAX_DOCUMENT`), and a 256 MiB document of short strings holds
/// tens of millions of literals.
struct Literal {
    /// Byte offsets of its content, between the quotes.
    start: u32,
    end: u32,
    /// Line of its opening quote.
    line: u32,
    /// Index of the next literal with the same hash, or [`NO_LITERAL`].
    same: u32,
}

const NO_LITERAL: u32 = u32::MAX;

impl<'a> LineLocator<'a> {
    pub fn new(document: &'a str) -> LineLocator<'a> {
        let (literals, chain_start) = if document.len() < NO_LITERAL as usize {
            index_literals(document)
        } else {
            (Vec::new(), HashMap::new())
        };
        LineLocator {
            document,
            literals,
            chain_start,
            passed: 0,
            line: 1,
        }
    }

    /// The line reached so far.
    pub fn current(&self) -> usize {
        self.line
    }

    /// The line of the next string literal after the last one found whose value is `text`
    /// (escaped or not, in JSON or Python quoting); the previous line if there is none.
    pub fn line_of(&mut self, text: &str) -> usize {
        examined(text.len());
        let hash = hash_of(text.as_bytes());
        let Some(start) = self.chain_start.get_mut(&hash) else {
            return self.line;
        };
        // Literals passed once are passed for good: drop them from the chain's start.
        while *start != NO_LITERAL && (*start as usize) < self.passed {
            examined(1);
            *start = self.literals[*start as usize].same;
        }
        let mut candidate = *start;
        // The same hash is, bar a collision, the same value; check it all the same.
        while candidate != NO_LITERAL {
            let literal = &self.literals[candidate as usize];
            let content = &self.document[literal.start as usize..literal.end as usize];
            examined(content.len());
            if decoded_equals(content, text) {
                self.passed = candidate as usize + 1;
                self.line = literal.line as usize;
                break;
            }
            candidate = literal.same;
        }
        self.line
    }
}

/// Every string literal in a value position, in order, each chained to the next with the same
/// hash; and the first literal of each chain.
fn index_literals(document: &str) -> (Vec<Literal>, HashMap<u64, u32>) {
    let bytes = document.as_bytes();
    let mut literals = Vec::new();
    let mut hashes = Vec::new();
    let mut scratch = String::new();
    let mut line = 1u32;
    let mut at = 0;
    examined(bytes.len());
    while let Some(found) = memchr::memchr3(b'"', b'\'', b'\n', &bytes[at..]) {
        let open = at + found;
        if bytes[open] == b'\n' {
            line += 1;
            at = open + 1;
            continue;
        }
        let (quote, start, opening_line) = (bytes[open], open + 1, line);
        let mut escaped = false;
        let mut end = None;
        let mut i = start;
        while let Some(found) = memchr::memchr3(quote, b'\\', b'\n', &bytes[i..]) {
            let p = i + found;
            match bytes[p] {
                b'\\' => {
                    escaped = true;
                    // A Python string may go on after a backslash at the end of a line.
                    if bytes.get(p + 1) == Some(&b'\n') {
                        line += 1;
                    }
                    i = (p + 2).min(bytes.len());
                }
                b'\n' => {
                    line += 1;
                    i = p + 1;
                }
                _ => {
                    end = Some(p);
                    break;
                }
            }
        }
        // An unclosed string: nothing after it can be a literal.
        let Some(end) = end else { break };
        at = end + 1;
        let next = bytes[at..].iter().find(|b| !b.is_ascii_whitespace());
        if next == Some(&b':') {
            continue;
        }
        let content = &document[start..end];
        let hash = if escaped {
            scratch.clear();
            decode_into(content, &mut scratch);
            hash_of(scratch.as_bytes())
        } else {
            hash_of(content.as_bytes())
        };
        literals.push(Literal {
            start: start as u32,
            end: end as u32,
            line: opening_line,
            same: NO_LITERAL,
        });
        hashes.push(hash);
    }
    // Chain each literal to the next with the same hash, from the back.
    let mut chain_start: HashMap<u64, u32> = HashMap::new();
    for (index, hash) in hashes.iter().enumerate().rev() {
        if let Some(next) = chain_start.insert(*hash, index as u32) {
            literals[index].same = next;
        }
    }
    (literals, chain_start)
}

fn hash_of(bytes: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Whether the content of a literal, decoded, is `text`.
fn decoded_equals(content: &str, text: &str) -> bool {
    if !content.contains('\\') {
        return content == text;
    }
    let mut decoded = String::with_capacity(content.len());
    decode_into(content, &mut decoded);
    decoded == text
}

/// Decode the escapes of a JSON or Python string literal's content: JSON's, and Python's `\'`
/// and `\xHH` (the ones [`python_to_json`] accepts). An escape that is neither is kept as is.
fn decode_into(content: &str, out: &mut String) {
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escape) = chars.next() else {
            out.push('\\');
            break;
        };
        match escape {
            '"' | '\'' | '\\' | '/' => out.push(escape),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '\n' => {}
            'x' => match take_hex(&mut chars, 2).and_then(char::from_u32) {
                Some(decoded) => out.push(decoded),
                None => out.push_str("\\x"),
            },
            'u' => match take_hex(&mut chars, 4) {
                Some(high @ 0xD800..=0xDBFF) => {
                    let rest = chars.as_str();
                    let low = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|low| (0xDC00..=0xDFFF).contains(low));
                    match low {
                        Some(low) => {
                            chars = rest[6..].chars();
                            out.push(
                                char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                                    .unwrap_or('\u{FFFD}'),
                            );
                        }
                        None => out.push('\u{FFFD}'),
                    }
                }
                Some(code) => out.push(char::from_u32(code).unwrap_or('\u{FFFD}')),
                None => out.push_str("\\u"),
            },
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
}

/// `digits` hex digits from the front of `chars`, taken only if they are that.
fn take_hex(chars: &mut std::str::Chars, digits: usize) -> Option<u32> {
    let text = chars
        .as_str()
        .get(..digits)
        .filter(|t| t.bytes().all(|b| b.is_ascii_hexdigit()))?;
    let value = u32::from_str_radix(text, 16).ok()?;
    *chars = chars.as_str()[digits..].chars();
    Some(value)
}

/// Work done reading JSON (bytes, chain steps and keys examined), counted for tests that
/// check it grows linearly with the input; a count, unlike a timing, does not depend on the
/// machine or on what else runs on it.
#[cfg(test)]
pub mod work {
    use std::cell::Cell;

    thread_local! {
        static EXAMINED: Cell<u64> = const { Cell::new(0) };
    }

    pub(super) fn add(amount: usize) {
        EXAMINED.with(|examined| examined.set(examined.get() + amount as u64));
    }

    /// The work counted on this thread since the last call.
    pub fn take() -> u64 {
        EXAMINED.with(|examined| examined.replace(0))
    }

    /// Runs `work_for` (which reads an input of size `n` and returns [`take`]) at `n` and at
    /// `4 * n`; panics unless the larger took at most 4.5 times the work of the smaller, where
    /// quadratic work would take 16 times.
    pub fn assert_linear(what: &str, n: usize, work_for: impl Fn(usize) -> u64) {
        let (small, large) = (work_for(n), work_for(4 * n));
        assert!(small > 0, "{what}: no work counted");
        assert!(
            large * 2 <= small * 9,
            "{what}: work grew {:.1} times for 4 times the input ({small} at {n}, {large} at {})",
            large as f64 / small as f64,
            4 * n
        );
        eprintln!("{what}: work {small} at {n}, {large} at {}", 4 * n);
    }
}

/// Count `amount` of work for the tests of [`work`] (nothing outside tests).
#[inline]
pub fn examined(amount: usize) {
    #[cfg(test)]
    work::add(amount);
    #[cfg(not(test))]
    let _ = amount;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_repr_becomes_json() {
        let repr = "[{'key': 'call_01', 'text': '我要投诉', 'sentence_info': [{'text': \"他说'不行'\", 'start': 0, 'spk': 0, 'ok': True, 'x': None}]}]";
        let value = parse_document(repr).unwrap();
        assert_eq!(value[0]["sentence_info"][0]["text"], "他说'不行'");
        assert_eq!(value[0]["sentence_info"][0]["ok"], true);
        assert!(python_to_json("[{'a': os.system('x')}]").is_none());
        assert!(parse_document("{\"a\": ").unwrap_err().starts_with("invalid JSON"));
    }

    #[test]
    fn channel_ids_compare_by_number() {
        assert!(same_channel("0", "SPEAKER_00"));
        assert!(same_channel("1", "1"));
        assert!(!same_channel("0", "SPEAKER_01"));
        assert!(same_channel("agent", "AGENT"));
    }

    #[test]
    fn lines_of_sentences_escaped_or_not() {
        let doc = "{\n \"segments\": [\n  {\"text\": \"\\u4f60\\u597d\"},\n  {\"text\": \"我要投诉\"}\n ]\n}";
        let mut locate = LineLocator::new(doc);
        assert_eq!(locate.line_of("你好"), 3);
        assert_eq!(locate.line_of("我要投诉"), 4);
        assert_eq!(locate.line_of("not there"), 4);
        assert_eq!(offset(83_450.0), "00:01:23.450");
    }

    #[test]
    fn lines_of_sentences_in_every_quoting() {
        let doc = concat!(
            "[{'key': 'text', 'text': '他说\\'不行\\'',\n",
            " 'sentence_info': [{'text': \"她说'行'\", 'spk': 0},\n",
            "  {'text': '\\xe9t\\u00e9 \\\\ 投诉'},\n",
            "  {\"text\": \"\\ud83d\\ude21 \\\"退款\\\" \\/ \\n\"},\n",
            "  {'text': '我要投诉'}, {'text': '我要投诉'},\n",
            "  {'text': '我要投诉'}]}]",
        );
        let mut locate = LineLocator::new(doc);
        let cases = [
            // A key is not a sentence: `text` is found as the value of `key`, on line 1.
            ("text", 1),
            ("他说'不行'", 1),
            ("她说'行'", 2),
            ("été \\ 投诉", 3),
            ("😡 \"退款\" / \n", 4),
            // Equal sentences are found one after another.
            ("我要投诉", 5),
            ("我要投诉", 5),
            ("我要投诉", 6),
            // Found no more: the line stays.
            ("我要投诉", 6),
            ("0", 6),
        ];
        for (text, line) in cases {
            assert_eq!(locate.line_of(text), line, "{text}");
        }
        // The locator found the sentences of the Python repr as the parser reads them.
        let value = parse_document(doc).unwrap();
        assert_eq!(value[0]["sentence_info"][1]["text"], "été \\ 投诉");
    }

    #[test]
    fn unclosed_strings_and_stray_backslashes_end_the_search() {
        for doc in ["[\"我要投诉\", \"不处理", "[\"a\\", "\\", "'", "\"\\u12"] {
            let mut locate = LineLocator::new(doc);
            assert_eq!(locate.line_of("不处理"), 1, "{doc}");
        }
    }

    #[test]
    fn a_nul_in_a_sentence_becomes_a_space() {
        assert_eq!(without_nul("我要\0投诉".to_string()), "我要 投诉");
    }

    #[test]
    fn locating_is_linear_even_when_sentences_are_missing() {
        // Every other sentence is absent from the document: each would cost a search of the
        // rest of it, were the search not indexed.
        work::assert_linear("missing sentences", 10_000, |n| {
            let doc: String = (0..n).map(|i| format!("{{\"text\": \"第{i}句\"}}\n")).collect();
            work::take();
            let mut locate = LineLocator::new(&doc);
            for i in 0..n {
                let text = if i % 2 == 0 {
                    format!("第{i}句")
                } else {
                    format!("不在第{i}句")
                };
                let line = locate.line_of(&text);
                assert_eq!(line, i / 2 * 2 + 1);
            }
            work::take()
        });
        // One value repeated: the chain of equal literals is walked once in all.
        work::assert_linear("repeated sentences", 10_000, |n| {
            let doc = "{\"text\": \"好的\"}\n".repeat(n);
            work::take();
            let mut locate = LineLocator::new(&doc);
            for i in 0..n {
                assert_eq!(locate.line_of("好的"), i + 1);
                assert_eq!(locate.line_of("不在"), i + 1);
            }
            work::take()
        });
    }
}
