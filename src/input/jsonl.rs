//! JSON Lines chat logs: one message object per line, many conversations per file.
//!
//! ```text
//! {"session_id":"S1","role":"customer","content":"不给我退款我就去消协投诉","time":"2026-11-22 10:01:02"}
//! {"session_id":"S1","role":"agent","agent_id":"8823","content":"您别着急"}
//! ```
//! Field names are those of [`FieldNames`] (English or Chinese; `--column` adds more). A line
//! that is not valid JSON is reported with its number; every other line is still scanned. A
//! `\u0000` in a message's text becomes a space, as in the other JSON formats.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;
use serde_json::value::RawValue;

use super::chat::{Grouper, Message, speaker_of, time_of};
use super::decode::{Line, Lines};
use super::detect::MESSAGE_LISTS;
use super::json_doc::{LineLocator, examined, without_nul};
use super::{Event, ParseContext};

pub fn parse(lines: &mut Lines, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let mut grouper = Grouper::new(&context.default_id);
    let mut keys = KeyCache::default();
    let mut problems = 0usize;
    let mut messages = 0usize;
    while let Some((number, line)) = lines.next_line().map_err(|e| e.to_string())? {
        let text = match line {
            Line::Text(t) if t.trim().is_empty() => continue,
            Line::Text(t) => t,
            Line::TooLong(n) => {
                problems += 1;
                sink(Event::Problem {
                    line: Some(number),
                    reason: format!("line of {n} bytes is too long; skipped"),
                });
                continue;
            }
            Line::Invalid(reason) => {
                problems += 1;
                sink(Event::Problem {
                    line: Some(number),
                    reason,
                });
                continue;
            }
        };
        // Keys borrowed and in order, values left as raw JSON: only the fields used are decoded.
        let outcome = match serde_json::from_str::<Record>(text) {
            Ok(record) => keys
                .message(
                    record.0.iter().map(|(k, v)| (k.as_ref(), FieldValue::Raw(v))),
                    number,
                    context,
                )
                .ok_or("no text field (text, content, message, 内容 …)".to_string()),
            Err(e) if e.is_data() && serde_json::from_str::<Value>(text).is_ok_and(|v| !v.is_object()) => {
                Err("not a JSON object".to_string())
            }
            Err(e) => Err(format!("invalid JSON: {e}")),
        };
        match outcome {
            Ok(mut message) => {
                messages += 1;
                message.text = without_nul(message.text);
                grouper.push(message, sink);
            }
            Err(reason) => {
                problems += 1;
                sink(Event::Problem {
                    line: Some(number),
                    reason,
                });
            }
        }
    }
    grouper.finish(sink);
    if messages == 0 && problems == 0 {
        return Err("no messages".into());
    }
    Ok(())
}

/// One JSON Lines record: its keys (borrowed where unescaped) and raw values, in order.
struct Record<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for Record<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = Record<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Record<'de>, M::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some((key, value)) = map.next_entry::<Cow<'de, str>, &'de RawValue>()? {
                    pairs.push((key, value));
                }
                Ok(Record(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// Which field each key of the log is, worked out once per distinct key. A log whose records
/// each carry a key of their own (an id or a time as a key) would grow the cache without end:
/// past [`MAX_KEYS`] keys, new ones are worked out each time instead.
#[derive(Default)]
struct KeyCache {
    known: HashMap<String, Option<(Field, usize)>>,
}

/// Distinct keys remembered at most.
const MAX_KEYS: usize = 4096;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Conversation,
    Role,
    Text,
    Time,
    Agent,
    Customer,
    Topic,
}

impl KeyCache {
    /// The field `key` names, and its rank among that field's names (lower wins).
    fn classify(&mut self, key: &str, context: &ParseContext) -> Option<(Field, usize)> {
        examined(1);
        if let Some(found) = self.known.get(key) {
            return *found;
        }
        let f = context.fields;
        let lists = [
            (Field::Text, &f.text),
            (Field::Conversation, &f.conversation),
            (Field::Role, &f.role),
            (Field::Time, &f.time),
            (Field::Agent, &f.agent),
            (Field::Customer, &f.customer),
            (Field::Topic, &f.topic),
        ];
        examined(lists.iter().map(|(_, names)| names.len()).sum());
        let found = lists.iter().find_map(|(field, names)| {
            names
                .iter()
                .position(|n| key.eq_ignore_ascii_case(n))
                .map(|rank| (*field, rank))
        });
        if self.known.len() < MAX_KEYS {
            self.known.insert(key.to_string(), found);
        }
        found
    }

    /// The message in one record's (key, value) pairs, `None` without a text field.
    fn message<'v>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'v str, FieldValue<'v>)>,
        line: usize,
        context: &ParseContext,
    ) -> Option<Message> {
        let mut best: [Option<(usize, FieldValue)>; 7] = [None; 7];
        for (key, value) in pairs {
            if let Some((field, rank)) = self.classify(key, context) {
                let slot = &mut best[field as usize];
                if slot.is_none_or(|(r, _)| rank < r) {
                    *slot = Some((rank, value));
                }
            }
        }
        let get = |field: Field| best[field as usize].and_then(|(_, value)| value.text());
        Some(Message {
            line,
            text: get(Field::Text)?,
            conversation: get(Field::Conversation).unwrap_or_default(),
            speaker: speaker_of(&get(Field::Role).unwrap_or_default(), context.labels),
            time: time_of(&get(Field::Time).unwrap_or_default()),
            agent: get(Field::Agent).unwrap_or_default(),
            customer: get(Field::Customer).unwrap_or_default(),
            topic: get(Field::Topic).unwrap_or_default(),
        })
    }
}

/// A field's value: raw JSON (JSON Lines) or parsed (a JSON document).
#[derive(Clone, Copy)]
enum FieldValue<'a> {
    Raw(&'a RawValue),
    Parsed(&'a Value),
}

impl FieldValue<'_> {
    /// The value as text: strings, numbers and booleans; `{"text": …}` inside.
    fn text(self) -> Option<String> {
        match self {
            FieldValue::Raw(raw) => {
                let json = raw.get();
                match json.as_bytes().first()? {
                    b'"' => serde_json::from_str::<Cow<str>>(json).ok().map(Cow::into_owned),
                    b'{' => FieldValue::Parsed(&serde_json::from_str::<Value>(json).ok()?).text(),
                    b'[' | b'n' => None,
                    _ => Some(json.trim().to_string()),
                }
            }
            FieldValue::Parsed(value) => match value {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Object(inner) => inner
                    .get("text")
                    .or_else(|| inner.get("content"))?
                    .as_str()
                    .map(str::to_string),
                _ => None,
            },
        }
    }
}

/// A JSON array of message objects (a chat export saved as one document), or an object
/// holding one under `messages`, `data`, `records`, `items` or `list`. `raw` is the document
/// as written, for the line where each message's text stands.
pub fn parse_array(
    document: &Value,
    raw: &str,
    context: &ParseContext,
    sink: &mut dyn FnMut(Event),
) -> Result<(), String> {
    let items = match document {
        Value::Array(items) => items.as_slice(),
        Value::Object(map) => MESSAGE_LISTS
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_array))
            .map(Vec::as_slice)
            .ok_or("a JSON object without a `messages` array")?,
        _ => return Err("not a JSON array of messages".into()),
    };
    let mut grouper = Grouper::new(&context.default_id);
    let mut keys = KeyCache::default();
    let mut locate = LineLocator::new(raw);
    for (index, item) in items.iter().enumerate() {
        let pairs = item
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), FieldValue::Parsed(v)));
        match keys.message(pairs, 0, context) {
            Some(mut message) => {
                message.line = locate.line_of(&message.text);
                message.text = without_nul(message.text);
                grouper.push(message, sink);
            }
            None => sink(Event::Problem {
                line: Some(locate.current()),
                reason: format!("item {} is not a message with a text field", index + 1),
            }),
        }
    }
    grouper.finish(sink);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::chat::FieldNames;
    use crate::input::json_doc::{parse_document, work};
    use crate::transcript::SpeakerLabels;

    /// A pretty-printed JSON chat array of at least `bytes` bytes, one message a line; every
    /// tenth message's content is a number, which no string literal of the document holds.
    fn chat_array(bytes: usize) -> (String, usize) {
        let mut raw = String::from("[\n");
        let mut count = 0;
        while raw.len() < bytes {
            let content = if count % 10 == 9 {
                format!("{count}")
            } else {
                format!("\"不给我退款我就去消协投诉，第{count}次了\"")
            };
            if count > 0 {
                raw.push_str(",\n");
            }
            raw.push_str(&format!(
                "  {{\"session_id\": \"S{}\", \"role\": \"customer\", \"content\": {content}, \"time\": \"2026-11-22 10:01:02\"}}",
                count / 20
            ));
            count += 1;
        }
        raw.push_str("\n]\n");
        (raw, count)
    }

    #[test]
    fn a_key_of_its_own_on_every_line_in_linear_work() {
        work::assert_linear("JSON Lines with a key per line", 10_000, |n| {
            let log: String = (0..n)
                .map(|i| {
                    format!(
                        "{{\"session_id\":\"S{}\",\"content\":\"再不处理我就去消协投诉\",\"k{i}\":1}}\n",
                        i / 20
                    )
                })
                .collect();
            let (labels, fields) = (SpeakerLabels::default(), FieldNames::default());
            let context = ParseContext {
                default_id: "log".into(),
                labels: &labels,
                fields: &fields,
                agent_channel: &None,
            };
            let mut messages = 0;
            work::take();
            parse(&mut Lines::from_text(log), &context, &mut |event| {
                if let Event::Conversation(c) = event {
                    messages += c.utterances.len();
                }
            })
            .unwrap();
            assert_eq!(messages, n);
            work::take()
        });
    }

    #[test]
    fn a_four_megabyte_chat_array_in_linear_work() {
        work::assert_linear("JSON chat array", 1 << 20, |bytes| {
            let (raw, count) = chat_array(bytes);
            let (labels, fields) = (SpeakerLabels::default(), FieldNames::default());
            let context = ParseContext {
                default_id: "chat".into(),
                labels: &labels,
                fields: &fields,
                agent_channel: &None,
            };
            let document = parse_document(&raw).unwrap();
            let mut lines = Vec::new();
            work::take();
            parse_array(&document, &raw, &context, &mut |event| {
                if let Event::Conversation(c) = event {
                    lines.extend(c.utterances.iter().map(|u| u.line));
                }
            })
            .unwrap();
            let work = work::take();
            assert_eq!(lines.len(), count);
            // Message i stands on line i + 2; a number's line is the line reached before it.
            for (i, line) in lines.iter().enumerate() {
                let want = if i % 10 == 9 { i + 1 } else { i + 2 };
                assert_eq!(*line, want, "message {i}");
            }
            work
        });
    }
}
