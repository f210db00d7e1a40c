//! JSON Lines chat logs: one message object per line, many conversations per file.
//!
//! ```text
//! {"session_id":"S1","role":"customer","content":"不给我退款我就去消协投诉","time":"2026-11-22 10:01:02"}
//! {"session_id":"S1","role":"agent","agent_id":"8823","content":"您别着急"}
//! ```
//! Field names are those of [`FieldNames`] (English or Chinese; `--column` adds more). A line
//! that is not valid JSON is reported with its number; every other line is still scanned. A
//! `\u0000` in a message's text becomes a space, as in the other JSON formats.
//!
//! Lines are parsed a chunk at a time, on the pipeline's workers when it lends them (see
//! [`super::Offload`]), and grouped into conversations in file order: the events are the same,
//! in the same order, whatever the chunk size and the number of threads.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::Arc;

use fnv::FnvHashMap;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::chat::{FieldNames, Grouper, Message, MessageRef, speaker_of, time_of};
use super::decode::{Line, Lines};
use super::detect::MESSAGE_LISTS;
use super::json_doc::{LineLocator, examined, without_nul};
use super::{Event, ParseContext};
use crate::category::Speaker;
use crate::transcript::SpeakerLabels;

/// Bytes of lines gathered into one chunk before it is parsed. A line is never split: a
/// chunk ends after the line that fills it, so a chunk holds at most this plus one line.
const CHUNK_BYTES: usize = 512 << 10;

/// What a line weighs in a chunk besides its text, so a file of bad lines (each a reason, no
/// text) still makes bounded chunks.
const ENTRY_WEIGHT: usize = 32;

/// Chunks parsed or being parsed ahead of the grouping, per worker.
const CHUNKS_PER_WORKER: usize = 2;

/// Read JSON Lines: lines are gathered into chunks of about `CHUNK_BYTES`; each chunk's records
/// are parsed into messages (on the offload's workers when it has more than one), and the
/// messages are grouped into conversations here, chunk after chunk in file order. So every
/// event (conversation, problem, split) comes out as if the lines were read one by one.
pub fn parse(lines: &mut Lines, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    parse_in_chunks(lines, context, CHUNK_BYTES, sink)
}

fn parse_in_chunks(
    lines: &mut Lines,
    context: &ParseContext,
    chunk_bytes: usize,
    sink: &mut dyn FnMut(Event),
) -> Result<(), String> {
    let mut grouping = Grouping {
        grouper: Grouper::new(&context.default_id),
        messages: 0,
        problems: 0,
    };
    let width = context.offload.width();
    // With one thread the chunks are parsed here, in turn, with one cache of keys and roles for
    // the whole input; with more, on the workers, and taken back in the order they were sent.
    let mut caches = Caches::default();
    let shared = (width > 1).then(|| Arc::new((context.fields.clone(), context.labels.clone())));
    let mut in_flight = VecDeque::new();
    loop {
        let mut chunk = Chunk::with_capacity(chunk_bytes.min(lines.bytes_left().unwrap_or(usize::MAX)));
        let stop = fill(lines, &mut chunk, chunk_bytes);
        match &shared {
            None => grouping.take(parse_chunk(chunk, context.fields, context.labels, &mut caches), sink),
            Some(_) if chunk.lines.is_empty() => {}
            Some(shared) => {
                let (done, parsed) = crossbeam_channel::bounded(1);
                let shared = Arc::clone(shared);
                context.offload.run(Box::new(move || {
                    let (fields, labels) = &*shared;
                    let result = crate::guard::isolate(|| parse_chunk(chunk, fields, labels, &mut Caches::default()));
                    // The reader may have given up on this input (a read error): nobody waits.
                    let _ = done.send(result);
                }));
                in_flight.push_back(parsed);
            }
        }
        let ended = !matches!(stop, Stop::Full);
        while in_flight.len() >= width * CHUNKS_PER_WORKER || (ended && !in_flight.is_empty()) {
            let Some(parsed) = in_flight.pop_front() else { break };
            match parsed.recv() {
                Ok(Ok(parsed)) => grouping.take(parsed, sink),
                Ok(Err(reason)) => return Err(reason),
                Err(_) => return Err("internal error: a chunk of lines was never parsed".into()),
            }
        }
        match stop {
            Stop::Full => {}
            Stop::End => break,
            // What came before the failure is reported, as when lines were read one by one;
            // the conversations still open are not (the input failed).
            Stop::Failed(reason) => return Err(reason),
        }
    }
    grouping.grouper.finish(sink);
    if grouping.messages == 0 && grouping.problems == 0 {
        return Err("no messages".into());
    }
    Ok(())
}

/// Lines gathered for parsing: their text one after another, and each line's number and
/// what it is.
#[derive(Default)]
struct Chunk {
    text: String,
    lines: Vec<(usize, Entry)>,
    weight: usize,
}

impl Chunk {
    /// Room for `bytes` of lines (of about 200 bytes each, as chat messages go).
    fn with_capacity(bytes: usize) -> Chunk {
        let bytes = bytes.min(CHUNK_BYTES + 4096);
        Chunk {
            text: String::with_capacity(bytes),
            lines: Vec::with_capacity(bytes / 128),
            weight: 0,
        }
    }
}

enum Entry {
    /// A line's place in the chunk's text.
    Text(usize, usize),
    /// A line that could not be read (too long, not UTF-8), and why.
    Problem(String),
}

/// Why a chunk stopped filling.
enum Stop {
    Full,
    End,
    /// Reading failed (an I/O error, or bytes not valid in the input's encoding).
    Failed(String),
}

/// Move lines into `chunk` until it weighs `limit` bytes or the input ends. Blank lines are
/// left out (they are no record and no problem), but keep their numbers.
fn fill(lines: &mut Lines, chunk: &mut Chunk, limit: usize) -> Stop {
    while chunk.weight < limit {
        let (number, line) = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => return Stop::End,
            Err(e) => return Stop::Failed(e.to_string()),
        };
        let entry = match line {
            Line::Text(t) if t.trim().is_empty() => continue,
            Line::Text(t) => {
                let start = chunk.text.len();
                chunk.text.push_str(t);
                Entry::Text(start, chunk.text.len())
            }
            Line::TooLong(n) => Entry::Problem(format!("line of {n} bytes is too long; skipped")),
            Line::Invalid(reason) => Entry::Problem(reason),
        };
        chunk.weight += ENTRY_WEIGHT
            + match &entry {
                Entry::Text(start, end) => end - start,
                Entry::Problem(reason) => reason.len(),
            };
        chunk.lines.push((number, entry));
    }
    Stop::Full
}

/// A chunk parsed: each line's message or problem, in order. The messages' ids, agents,
/// customers and topics are spans of the chunk's text (or of `decoded`, for values written
/// with escapes), so the lines' text is not copied for them.
struct Parsed {
    chunk: Chunk,
    decoded: String,
    records: Vec<Record>,
}

enum Record {
    Message(Parts),
    Problem(usize, String),
}

/// One message of a chunk; the spans are of [`Parsed`].
struct Parts {
    line: usize,
    text: String,
    time: String,
    speaker: Speaker,
    conversation: Span,
    agent: Span,
    customer: Span,
    topic: Span,
}

#[derive(Clone, Copy)]
enum Span {
    /// In the chunk's text.
    Line(usize, usize),
    /// In the decoded values.
    Decoded(usize, usize),
}

const EMPTY: Span = Span::Line(0, 0);

/// The text of `span`.
fn span_text<'a>(chunk: &'a str, decoded: &'a str, span: Span) -> &'a str {
    let (text, start, end) = match span {
        Span::Line(start, end) => (chunk, start, end),
        Span::Decoded(start, end) => (decoded, start, end),
    };
    text.get(start..end).unwrap_or_default()
}

/// Keys and roles worked out once each.
#[derive(Default)]
struct Caches {
    keys: KeyCache,
    speakers: SpeakerCache,
}

/// Parse every line of `chunk` into a message or a problem.
fn parse_chunk(chunk: Chunk, fields: &FieldNames, labels: &SpeakerLabels, caches: &mut Caches) -> Parsed {
    let mut decoded = String::new();
    let mut records = Vec::with_capacity(chunk.lines.len());
    for (number, entry) in &chunk.lines {
        let record = match entry {
            Entry::Problem(reason) => Record::Problem(*number, reason.clone()),
            Entry::Text(start, end) => {
                let line = chunk.text.get(*start..*end).unwrap_or_default();
                parse_line(line, *start, *number, fields, labels, caches, &mut decoded)
            }
        };
        records.push(record);
    }
    Parsed {
        chunk,
        decoded,
        records,
    }
}

/// One JSON Lines record, the line at byte `at` of its chunk.
fn parse_line(
    line: &str,
    at: usize,
    number: usize,
    fields: &FieldNames,
    labels: &SpeakerLabels,
    caches: &mut Caches,
    decoded: &mut String,
) -> Record {
    // Keys borrowed and classified as they come; only the values of known fields are kept,
    // raw, and only those used are decoded.
    let mut de = serde_json::Deserializer::from_str(line);
    let best = RecordSeed {
        keys: &mut caches.keys,
        fields,
    }
    .deserialize(&mut de)
    .and_then(|best| de.end().map(|()| best));
    let best = match best {
        Ok(best) => best,
        Err(e) if e.is_data() && serde_json::from_str::<Value>(line).is_ok_and(|v| !v.is_object()) => {
            return Record::Problem(number, "not a JSON object".to_string());
        }
        Err(e) => return Record::Problem(number, format!("invalid JSON: {e}")),
    };
    let get = |field: Field| best[field as usize].and_then(|(_, raw)| raw_text(raw));
    let Some(text) = get(Field::Text) else {
        return Record::Problem(number, "no text field (text, content, message, 内容 …)".to_string());
    };
    // A string without escapes holds no NUL (JSON has no raw control characters in strings).
    let text = match text {
        Cow::Borrowed(text) => text.to_string(),
        Cow::Owned(text) => without_nul(text),
    };
    let mut span = |value: Option<Cow<str>>| match value {
        None => EMPTY,
        Some(Cow::Borrowed(s)) => {
            // `s` is a slice of `line`, which starts at byte `at` of the chunk.
            let start = at + (s.as_ptr() as usize).saturating_sub(line.as_ptr() as usize);
            Span::Line(start, start + s.len())
        }
        Some(Cow::Owned(s)) => {
            let start = decoded.len();
            decoded.push_str(&s);
            Span::Decoded(start, decoded.len())
        }
    };
    Record::Message(Parts {
        line: number,
        text,
        time: time_of(get(Field::Time).as_deref().unwrap_or_default(), fields.epoch_offset),
        speaker: caches
            .speakers
            .speaker(get(Field::Role).as_deref().unwrap_or_default(), labels),
        conversation: span(get(Field::Conversation)),
        agent: span(get(Field::Agent)),
        customer: span(get(Field::Customer)),
        topic: span(get(Field::Topic)),
    })
}

/// Messages grouped into conversations, in file order, and what was counted on the way.
struct Grouping {
    grouper: Grouper,
    messages: usize,
    problems: usize,
}

impl Grouping {
    fn take(&mut self, parsed: Parsed, sink: &mut dyn FnMut(Event)) {
        let Parsed {
            chunk,
            decoded,
            records,
        } = parsed;
        let span = |span| span_text(&chunk.text, &decoded, span);
        for record in records {
            match record {
                Record::Problem(line, reason) => {
                    self.problems += 1;
                    sink(Event::Problem {
                        line: Some(line),
                        reason,
                    });
                }
                Record::Message(m) => {
                    self.messages += 1;
                    let message = MessageRef {
                        line: m.line,
                        conversation: span(m.conversation),
                        speaker: m.speaker,
                        time: m.time,
                        text: m.text,
                        agent: span(m.agent),
                        customer: span(m.customer),
                        topic: span(m.topic),
                    };
                    self.grouper.push_ref(message, sink);
                }
            }
        }
    }
}

/// The best value of each field in one record: its key's rank among the field's names (lower
/// wins; the first of equal ranks) and the value as written.
type Best<'de> = [Option<(usize, &'de RawValue)>; 7];

/// Reads one record's object: keys borrowed from the line where written without escapes and
/// classified as they come, values of unknown keys skipped, not kept.
struct RecordSeed<'k> {
    keys: &'k mut KeyCache,
    fields: &'k FieldNames,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Best<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Best<'de>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Best<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Best<'de>, M::Error> {
        let mut best: Best<'de> = [None; 7];
        let mut position = 0;
        while let Some(KeyText(key)) = map.next_key::<KeyText<'de>>()? {
            match self.keys.classify_at(position, &key, self.fields) {
                Some((field, rank)) => {
                    let value: &'de RawValue = map.next_value()?;
                    let slot = &mut best[field as usize];
                    if slot.is_none_or(|(r, _)| rank < r) {
                        *slot = Some((rank, value));
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            position += 1;
        }
        Ok(best)
    }
}

/// A key, borrowed from the line unless it is written with escapes.
struct KeyText<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for KeyText<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = KeyText<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<KeyText<'de>, E> {
                Ok(KeyText(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyText<'de>, E> {
                Ok(KeyText(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<KeyText<'de>, E> {
                Ok(KeyText(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A raw value as text: a string (borrowed when written without escapes), a number or a
/// boolean as written, `{"text": …}` inside; `None` for arrays and null.
fn raw_text(raw: &RawValue) -> Option<Cow<'_, str>> {
    let json = raw.get();
    match json.as_bytes().first()? {
        // serde_json has checked the string: without a backslash, its text is what is written.
        b'"' if !json.contains('\\') => json.get(1..json.len() - 1).map(Cow::Borrowed),
        b'"' => serde_json::from_str::<String>(json).ok().map(Cow::Owned),
        b'{' => value_text(&serde_json::from_str::<Value>(json).ok()?).map(Cow::Owned),
        b'[' | b'n' => None,
        _ => Some(Cow::Borrowed(json.trim())),
    }
}

/// Which field each key of the log is, worked out once per distinct key. A log whose records
/// each carry a key of their own (an id or a time as a key) would grow the cache without end:
/// past [`MAX_KEYS`] keys, new ones are worked out each time instead.
#[derive(Default)]
struct KeyCache {
    known: FnvHashMap<String, Option<(Field, usize)>>,
    /// The keys of the last record, in order, with their fields: records of one log mostly
    /// have the same keys in the same order, so the key at each place is tried first.
    order: Vec<(String, Option<(Field, usize)>)>,
}

/// Distinct keys remembered at most.
const MAX_KEYS: usize = 4096;

/// Places in a record whose last key is remembered.
const MAX_ORDER: usize = 64;

/// Roles remembered with their speaker at most.
const MAX_ROLES: usize = 64;

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
    fn classify(&mut self, key: &str, fields: &FieldNames) -> Option<(Field, usize)> {
        examined(1);
        if let Some(found) = self.known.get(key) {
            return *found;
        }
        let f = fields;
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

    /// [`KeyCache::classify`] for the key at `position` in its record.
    fn classify_at(&mut self, position: usize, key: &str, fields: &FieldNames) -> Option<(Field, usize)> {
        if let Some((known, found)) = self.order.get(position)
            && known == key
        {
            examined(1);
            return *found;
        }
        let found = self.classify(key, fields);
        if let Some((known, field)) = self.order.get_mut(position) {
            known.clear();
            known.push_str(key);
            *field = found;
        } else if position == self.order.len() && position < MAX_ORDER {
            self.order.push((key.to_string(), found));
        }
        found
    }

    /// The message in one parsed item's (key, value) pairs, `None` without a text field.
    fn message<'v>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'v str, &'v Value)>,
        line: usize,
        context: &ParseContext,
    ) -> Option<Message> {
        let mut best: [Option<(usize, &Value)>; 7] = [None; 7];
        for (key, value) in pairs {
            if let Some((field, rank)) = self.classify(key, context.fields) {
                let slot = &mut best[field as usize];
                if slot.is_none_or(|(r, _)| rank < r) {
                    *slot = Some((rank, value));
                }
            }
        }
        let get = |field: Field| best[field as usize].and_then(|(_, value)| value_text(value));
        Some(Message {
            line,
            text: get(Field::Text)?,
            conversation: get(Field::Conversation).unwrap_or_default(),
            speaker: speaker_of(&get(Field::Role).unwrap_or_default(), context.labels),
            time: time_of(&get(Field::Time).unwrap_or_default(), context.fields.epoch_offset),
            agent: get(Field::Agent).unwrap_or_default(),
            customer: get(Field::Customer).unwrap_or_default(),
            topic: get(Field::Topic).unwrap_or_default(),
        })
    }
}

/// Speakers of role values, worked out once per distinct value (a log has a handful).
#[derive(Default)]
struct SpeakerCache {
    known: Vec<(String, Speaker)>,
}

impl SpeakerCache {
    fn speaker(&mut self, role: &str, labels: &SpeakerLabels) -> Speaker {
        if let Some((_, speaker)) = self.known.iter().find(|(known, _)| known == role) {
            return *speaker;
        }
        let speaker = speaker_of(role, labels);
        if self.known.len() < MAX_ROLES {
            self.known.push((role.to_string(), speaker));
        }
        speaker
    }
}

/// A parsed value as text: strings, numbers and booleans; `{"text": …}` inside.
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(inner) => inner
            .get("text")
            .or_else(|| inner.get("content"))?
            .as_str()
            .map(str::to_string),
        _ => None,
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
        let pairs = item.as_object().into_iter().flatten().map(|(k, v)| (k.as_str(), v));
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

    /// Runs every job on a thread of its own: jobs finish in any order.
    struct Threads;

    impl crate::input::Offload for Threads {
        fn run(&self, job: crate::input::Job) {
            std::thread::spawn(job);
        }

        fn width(&self) -> usize {
            3
        }
    }

    /// A chat log whose sessions interleave: 40 sessions in turn, some lines escaped, numbers,
    /// blank, not JSON, not an object, without a text field; agents learnt late.
    fn interleaved_log(messages: usize) -> String {
        let mut log = String::new();
        for i in 0..messages {
            let session = format!("S{:03}", (i * 7) % 40);
            let line = match i % 50 {
                13 => "{\"session_id\": \"S001\", \"content\": 不给我退款我就去消协投诉}".to_string(),
                21 => "[\"S002\", \"customer\", \"我要投诉你们\"]".to_string(),
                29 => format!("{{\"session_id\": \"{session}\", \"role\": \"customer\"}}"),
                33 => "   ".to_string(),
                37 => format!(
                    "{{\"session_id\": \"{session}\", \"role\": \"agent\", \"agent_id\": \"88{:02}\", \"content\": \"您好\\n请问订单号是\\u0000多少\"}}",
                    i % 40
                ),
                41 => {
                    format!("{{\"会话ID\": \"{session}\", \"发送方\": \"买家\", \"消息\": {i}, \"时间\": 1763802845}}")
                }
                _ => format!(
                    "{{\"session_id\": \"{session}\", \"role\": \"{}\", \"time\": \"2026-11-22 10:{:02}:{:02}\", \"content\": \"第{i}条：再不处理我就去12315投诉\", \"topic\": \"退款\"}}",
                    if i % 2 == 0 { "customer" } else { "agent" },
                    i / 60 % 60,
                    i % 60
                ),
            };
            log.push_str(&line);
            log.push(if i % 9 == 0 { '\r' } else { '\n' });
        }
        log
    }

    /// What a parse in these tests is given: default labels and field names, no agent channel.
    fn test_context<'a>(
        default_id: &str,
        labels: &'a SpeakerLabels,
        fields: &'a FieldNames,
        offload: &'a dyn crate::input::Offload,
    ) -> ParseContext<'a> {
        ParseContext {
            default_id: default_id.into(),
            labels,
            fields,
            agent_channel: &None,
            offload,
        }
    }

    /// Every event of parsing `lines`, in order, and how the parse ended.
    fn events_of(mut lines: Lines, offload: &dyn crate::input::Offload, chunk_bytes: usize) -> Vec<String> {
        let (labels, fields) = (SpeakerLabels::default(), FieldNames::default());
        let context = test_context("chat", &labels, &fields, offload);
        let mut events = Vec::new();
        let result = parse_in_chunks(&mut lines, &context, chunk_bytes, &mut |event| {
            events.push(format!("{event:?}"))
        });
        events.push(format!("{result:?}"));
        events
    }

    #[test]
    fn sessions_interleaved_across_many_chunks_group_as_one_pass_does() {
        let log = interleaved_log(2_000);
        // The whole log as one chunk, parsed here: the sequential path.
        let whole = events_of(Lines::from_text(log.clone()), &crate::input::Inline, usize::MAX);
        let conversations = whole.iter().filter(|e| e.starts_with("Conversation")).count();
        assert_eq!(conversations, 40);
        let problems: Vec<&String> = whole.iter().filter(|e| e.starts_with("Problem")).collect();
        assert_eq!(problems.len(), 3 * 2_000 / 50, "{problems:?}");
        assert!(
            problems[0].contains("line: Some(14)") && problems[0].contains("invalid JSON"),
            "{problems:?}"
        );
        assert!(problems[1].contains("line: Some(22)") && problems[1].contains("not a JSON object"));
        assert!(problems[2].contains("line: Some(30)") && problems[2].contains("no text field"));
        assert!(whole.iter().any(|e| e.contains("text: \"您好\\n请问订单号是 多少\"")));
        assert!(whole.iter().any(|e| e.contains("agent: \"8837\"")));
        assert_eq!(whole.last().map(String::as_str), Some("Ok(())"));
        // Chunks of a few lines to one line, parsed in turn or on threads finishing in any order.
        for chunk_bytes in [1, 150, 1_000, 4_096, 65_536] {
            let inline = events_of(Lines::from_text(log.clone()), &crate::input::Inline, chunk_bytes);
            assert!(inline == whole, "in turn, chunks of {chunk_bytes} bytes");
            let raw: Box<dyn std::io::BufRead + Send> = Box::new(std::io::Cursor::new(log.clone().into_bytes()));
            let threads = events_of(Lines::new(raw), &Threads, chunk_bytes);
            assert!(threads == whole, "on threads, chunks of {chunk_bytes} bytes");
        }
    }

    #[test]
    fn lines_before_a_read_error_are_reported_as_when_read_one_by_one() {
        use crate::input::decode::{Encoding, utf8_reader};
        let log = interleaved_log(300);
        let mut bytes = encoding_rs::GB18030.encode(&log).0.into_owned();
        bytes.extend_from_slice(b"{\"session_id\": \"S009\", \"content\": \"\xC4\xE3\xFF\xFF\"}\n");
        bytes.extend_from_slice(&encoding_rs::GB18030.encode(&log).0);
        let lines = |bytes: &[u8]| {
            let raw: Box<dyn std::io::BufRead + Send> = Box::new(std::io::Cursor::new(bytes.to_vec()));
            Lines::new(utf8_reader(raw, Encoding::Gb18030))
        };
        let whole = events_of(lines(&bytes), &crate::input::Inline, usize::MAX);
        assert!(
            whole.last().is_some_and(|e| e.contains("not valid GB18030")),
            "{:?}",
            whole.last()
        );
        assert_eq!(whole.iter().filter(|e| e.starts_with("Problem")).count(), 3 * 6);
        for chunk_bytes in [1, 2_000] {
            assert!(
                events_of(lines(&bytes), &Threads, chunk_bytes) == whole,
                "chunks of {chunk_bytes}"
            );
            assert!(events_of(lines(&bytes), &crate::input::Inline, chunk_bytes) == whole);
        }
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
            let context = test_context("log", &labels, &fields, &crate::input::Inline);
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
            let context = test_context("chat", &labels, &fields, &crate::input::Inline);
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
