//! What the JSON document formats share (FunASR, Whisper, Alibaba Cloud, Tencent Cloud, JSON
//! chat arrays): parsing (also the Python-repr form people save with `print(res)`), finding
//! keys, offsets as `hh:mm:ss.mmm`, channel ids as speakers, and the line in the file where
//! each sentence stands, so reports point at it.

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
}

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
        }
    }

    /// One sentence; `start_ms` is its offset into the call.
    pub fn sentence(&mut self, text: String, start_ms: Option<f64>, speaker: Speaker) {
        self.conversation.utterances.push(Utterance {
            line: self.locate.line_of(&text),
            time: start_ms.map(offset).unwrap_or_default(),
            speaker,
            text: text.trim().to_string(),
            continued: false,
        });
    }

    /// Hand the call on; the locator is returned for a next call in the same document.
    pub fn finish(self, sink: &mut dyn FnMut(Event)) -> LineLocator<'a> {
        sink(Event::Conversation(self.conversation));
        self.locate
    }
}

/// Finds, front to back, the line where each sentence's text stands in the raw document.
pub struct LineLocator<'a> {
    document: &'a str,
    at: usize,
    line: usize,
}

impl<'a> LineLocator<'a> {
    pub fn new(document: &'a str) -> LineLocator<'a> {
        LineLocator {
            document,
            at: 0,
            line: 1,
        }
    }

    /// The line reached so far.
    pub fn current(&self) -> usize {
        self.line
    }

    /// The line of the next occurrence of `text` (as JSON writes it, escaped or not, or as
    /// Python does); the previous line if it cannot be found.
    pub fn line_of(&mut self, text: &str) -> usize {
        let plain = serde_json::to_string(text).unwrap_or_default();
        let escaped: String = plain
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    format!("\\u{:04x}", c as u32)
                }
            })
            .collect();
        let python = format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"));
        let rest = &self.document[self.at..];
        let found = [&plain, &escaped, &escaped.to_uppercase().replace("\\U", "\\u"), &python]
            .iter()
            .filter(|needle| needle.len() > 2)
            .filter_map(|needle| rest.find(needle.as_str()))
            .min();
        if let Some(offset) = found {
            self.line += rest[..offset].bytes().filter(|&b| b == b'\n').count();
            self.at += offset + 1;
            while !self.document.is_char_boundary(self.at) {
                self.at += 1;
            }
        }
        self.line
    }
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
}
