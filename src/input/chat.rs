//! What chat exports share (JSON Lines, CSV, JSON arrays): one message per record, many
//! conversations per file. Field names in English or Chinese, roles as words or numbers,
//! times as text or epoch numbers, and grouping of messages into conversations.
//!
//! Grouping streams: a conversation is emitted when it has been idle for a while (exports
//! sorted by session or by time both work) or at the end, in order of first appearance, so a
//! 200 MB export is never held whole.

use crate::category::Speaker;
use crate::transcript::{Conversation, SpeakerLabels, Utterance};

use super::Event;

/// Which field of a record holds what. Names are compared case-insensitively.
#[derive(Debug, Clone)]
pub struct FieldNames {
    pub conversation: Vec<String>,
    pub role: Vec<String>,
    pub text: Vec<String>,
    pub time: Vec<String>,
    pub agent: Vec<String>,
    pub customer: Vec<String>,
    /// The problem a conversation is about (for the ledger's repeat complaints).
    pub topic: Vec<String>,
    /// Seconds east of UTC at which epoch times are shown (`--utc-offset`).
    pub epoch_offset: i32,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_lowercase()).collect()
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames {
            conversation: names(&[
                "conversation_id",
                "conversationid",
                "session_id",
                "sessionid",
                "call_id",
                "callid",
                "dialog_id",
                "dialogue_id",
                "chat_id",
                "chatid",
                "ticket_id",
                "dialogid",
                "thread_id",
                "threadid",
                "room_id",
                "roomid",
                "conv_id",
                "convid",
                "conv",
                "dialog",
                "会话id",
                "对话id",
                "对话编号",
                "工单号",
                "工单编号",
                "聊天id",
                "通话id",
                "会话编号",
                "会话",
                "conversation",
                "session",
                "sid",
            ]),
            role: names(&[
                "role",
                "sender",
                "speaker",
                "from",
                "sender_role",
                "senderrole",
                "speaker_role",
                "sender_type",
                "角色",
                "发送方",
                "发送方角色",
                "发送者",
                "说话人",
                "发言人",
            ]),
            text: names(&[
                "text",
                "content",
                "message",
                "msg",
                "body",
                "utterance",
                "内容",
                "文本",
                "消息",
                "消息内容",
                "聊天内容",
            ]),
            time: names(&[
                "time",
                "timestamp",
                "ts",
                "created_at",
                "createdat",
                "send_time",
                "sendtime",
                "datetime",
                "时间",
                "发送时间",
                "消息时间",
            ]),
            agent: names(&[
                "agent_id",
                "agentid",
                "staff_id",
                "客服工号",
                "坐席工号",
                "客服id",
                "工号",
                "agent_name",
                "客服",
                "agent",
            ]),
            customer: names(&[
                "customer_id",
                "customerid",
                "user_id",
                "userid",
                "buyer_id",
                "客户id",
                "用户id",
                "买家",
                "customer",
                "user_name",
                "phone",
                "客户号码",
                "客户电话",
                "手机号",
            ]),
            topic: names(&["topic", "业务类型", "问题类型", "问题分类"]),
            epoch_offset: 0,
        }
    }
}

impl FieldNames {
    /// Apply `--column field=Header` overrides: the given header is tried first.
    pub fn with_overrides(mut self, overrides: &[(String, String)]) -> Result<FieldNames, String> {
        for (field, header) in overrides {
            let list = match field.as_str() {
                "conversation" => &mut self.conversation,
                "role" => &mut self.role,
                "text" => &mut self.text,
                "time" => &mut self.time,
                "agent" => &mut self.agent,
                "customer" => &mut self.customer,
                "topic" => &mut self.topic,
                other => {
                    return Err(format!(
                        "unknown field `{other}` in --column (use conversation, role, text, time, agent, customer or topic)"
                    ));
                }
            };
            list.insert(0, header.to_lowercase());
        }
        Ok(self)
    }
}

/// Role words of chat platforms, beyond the speaker labels of transcripts.
const AGENT_ROLES: &[&str] = &[
    "assistant",
    "bot",
    "service",
    "seller",
    "kf",
    "waiter",
    "support",
    "servicer",
    "客服人员",
    "机器人",
];
const CUSTOMER_ROLES: &[&str] = &["buyer", "visitor", "guest", "client", "consumer", "member", "用户端"];

/// A role value as a speaker: speaker labels first (so `--agent-label 1` maps numeric roles).
pub fn speaker_of(role: &str, labels: &SpeakerLabels) -> Speaker {
    let role = role.trim();
    if role.is_empty() {
        return Speaker::Unknown;
    }
    if let Some(label) = labels.recognise(role) {
        return label.speaker;
    }
    let folded = role.to_lowercase();
    if AGENT_ROLES.contains(&folded.as_str()) {
        Speaker::Agent
    } else if CUSTOMER_ROLES.contains(&folded.as_str()) {
        Speaker::Customer
    } else {
        Speaker::Unknown
    }
}

/// A time field: text as given; epoch seconds or milliseconds as `YYYY-MM-DD HH:MM:SS`, at
/// `offset` seconds east of UTC.
pub fn time_of(value: &str, offset: i32) -> String {
    let v = value.trim();
    let Ok(n) = v.parse::<i64>() else { return v.to_string() };
    let seconds = if n > 100_000_000_000 {
        n / 1000
    } else if n > 100_000_000 {
        n
    } else {
        return v.to_string();
    };
    crate::transcript::date_time_of(seconds + i64::from(offset))
}

/// One chat message, whatever the export.
#[derive(Debug, Clone, Default)]
pub struct Message {
    pub line: usize,
    pub conversation: String,
    pub speaker: Speaker,
    pub time: String,
    pub text: String,
    pub agent: String,
    pub customer: String,
    pub topic: String,
}

/// A [`Message`] whose conversation id, agent, customer and topic are borrowed (JSON Lines
/// holds them in the chunk it parsed).
#[derive(Debug, Clone)]
pub struct MessageRef<'a> {
    pub line: usize,
    pub conversation: &'a str,
    pub speaker: Speaker,
    pub time: String,
    pub text: String,
    pub agent: &'a str,
    pub customer: &'a str,
    pub topic: &'a str,
}

/// Text the open conversations of one input may hold before the longest-idle ones are
/// scanned. Below it, a session is grouped across the whole file however far apart its
/// messages are; above it memory stays bounded (see [`Grouper`]).
const OPEN_TEXT_BUDGET: usize = 4 << 20;
/// Messages a conversation must have sat idle before the budget may emit it.
const IDLE_MESSAGES: u64 = 1_000;
/// Open conversations at most; past this the longest-idle is emitted.
const MAX_OPEN: usize = 200_000;

/// Groups messages into conversations by id across the whole input, and emits them in order
/// of first appearance.
///
/// Memory is bounded: when the open conversations hold more than [`OPEN_TEXT_BUDGET`] of
/// text (or more than [`MAX_OPEN`] are open), the front ones that have been idle for
/// [`IDLE_MESSAGES`] messages are emitted. If a message later comes back for an emitted
/// conversation, that is never silent: a problem names the line, and the rest is scanned as
/// `ID#2` (`#3` …), so one call is never scored as two unannounced ones.
pub struct Grouper {
    default_id: String,
    /// Open conversations in order of first message: the conversation, the id its messages
    /// carry in the log (the conversation's own id is `ID#2` … for a later part), and the
    /// sequence number of its last message.
    open: std::collections::VecDeque<(Conversation, String, u64)>,
    /// Id in the log → sequence number of its open conversation.
    index: std::collections::HashMap<String, u64>,
    /// Sequence number of the front of `open`.
    front: u64,
    seen: u64,
    /// Bytes of text in the open conversations.
    open_text: usize,
    /// Ids already emitted (as hashes: a log may hold a million sessions), and how many
    /// parts each has had.
    emitted: std::collections::HashMap<u64, u32>,
    /// Sequence number of the conversation the last message went to (it may be gone since).
    last: u64,
}

fn id_hash(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(id)
}

impl Grouper {
    pub fn new(default_id: &str) -> Grouper {
        Grouper {
            default_id: default_id.to_string(),
            open: Default::default(),
            index: Default::default(),
            front: 0,
            seen: 0,
            open_text: 0,
            emitted: Default::default(),
            last: u64::MAX,
        }
    }

    pub fn push(&mut self, message: Message, sink: &mut dyn FnMut(Event)) {
        self.push_ref(
            MessageRef {
                line: message.line,
                conversation: &message.conversation,
                speaker: message.speaker,
                time: message.time,
                text: message.text,
                agent: &message.agent,
                customer: &message.customer,
                topic: &message.topic,
            },
            sink,
        )
    }

    /// [`Grouper::push`] for a message whose id and details are borrowed: they are copied only
    /// when a conversation starts or first learns them.
    pub fn push_ref(&mut self, message: MessageRef, sink: &mut dyn FnMut(Event)) {
        self.seen += 1;
        let key = if message.conversation.is_empty() {
            self.default_id.as_str()
        } else {
            message.conversation
        };
        // Messages of one session mostly come together: the last conversation is tried first.
        // Ids in `open` are unique and all in `index`, so this finds what `index` would.
        let last = self
            .last
            .checked_sub(self.front)
            .and_then(|at| self.open.get(at as usize))
            .is_some_and(|(_, k, _)| k == key);
        let found = if last {
            Some(self.last)
        } else {
            self.index.get(key).copied()
        };
        let slot = match found {
            Some(n) => n,
            None => {
                let mut id = key.to_string();
                if let Some(parts) = self.emitted.get_mut(&id_hash(key)) {
                    *parts += 1;
                    let part = format!("{id}#{parts}");
                    sink(Event::Problem {
                        line: Some(message.line),
                        reason: format!(
                            "conversation {id} continues here after it was scanned (its messages are far \
                             apart and the open conversations held more than {} MiB); this part is \
                             scanned as {part}",
                            OPEN_TEXT_BUDGET >> 20
                        ),
                    });
                    id = part;
                }
                let n = self.front + self.open.len() as u64;
                self.index.insert(key.to_string(), n);
                self.open.push_back((
                    Conversation {
                        id,
                        ..Conversation::default()
                    },
                    key.to_string(),
                    self.seen,
                ));
                n
            }
        };
        self.last = slot;
        let (conversation, _, last) = &mut self.open[(slot - self.front) as usize];
        *last = self.seen;
        if conversation.agent.is_empty() {
            conversation.agent = message.agent.to_string();
        }
        if conversation.customer.is_empty() {
            conversation.customer = message.customer.to_string();
        }
        if conversation.topic.is_empty() {
            conversation.topic = message.topic.to_string();
        }
        if conversation.time.is_empty() {
            conversation.time = message.time.clone();
        }
        self.open_text += message.text.len();
        conversation.utterances.push(Utterance {
            line: message.line,
            time: message.time,
            // A chat message's time is the clock, not an offset into a call.
            start_ms: None,
            end_ms: None,
            speaker: message.speaker,
            text: message.text,
            continued: false,
        });
        while let Some((_, _, last)) = self.open.front() {
            let idle = self.seen - last > IDLE_MESSAGES;
            let over = self.open_text > OPEN_TEXT_BUDGET || self.open.len() > MAX_OPEN;
            if !(idle && over) {
                break;
            }
            self.emit_front(sink);
        }
    }

    fn emit_front(&mut self, sink: &mut dyn FnMut(Event)) {
        if let Some((conversation, key, _)) = self.open.pop_front() {
            self.index.remove(&key);
            self.front += 1;
            self.open_text -= conversation.utterances.iter().map(|u| u.text.len()).sum::<usize>();
            self.emitted.entry(id_hash(&key)).or_insert(1);
            sink(Event::Conversation(conversation));
        }
    }

    /// Emit every open conversation; returns how many conversations were emitted in all.
    pub fn finish(mut self, sink: &mut dyn FnMut(Event)) -> u64 {
        while !self.open.is_empty() {
            self.emit_front(sink);
        }
        self.front
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_as_words_numbers_and_labels() {
        let labels = SpeakerLabels::new(&["1".into()], &["0".into()]);
        assert_eq!(speaker_of("1", &labels), Speaker::Agent);
        assert_eq!(speaker_of("0", &labels), Speaker::Customer);
        let plain = SpeakerLabels::default();
        assert_eq!(speaker_of("1", &plain), Speaker::Unknown);
        assert_eq!(speaker_of("assistant", &plain), Speaker::Agent);
        assert_eq!(speaker_of("客服", &plain), Speaker::Agent);
        assert_eq!(speaker_of("买家", &plain), Speaker::Customer);
        assert_eq!(speaker_of("USER", &plain), Speaker::Customer);
    }

    #[test]
    fn epoch_times_become_dates() {
        assert_eq!(time_of("1763802845", 0), "2025-11-22 09:14:05");
        assert_eq!(time_of("1763802845000", 0), "2025-11-22 09:14:05");
        assert_eq!(time_of("2026-11-22 09:14:05", 0), "2026-11-22 09:14:05");
        assert_eq!(time_of("42", 0), "42");
        // Beijing time: the same instant eight hours on, across midnight; text stays text.
        assert_eq!(time_of("1763829245", 8 * 3600), "2025-11-23 00:34:05");
        assert_eq!(time_of("2026-11-22 09:14:05", 8 * 3600), "2026-11-22 09:14:05");
        assert_eq!(time_of("1763802845", -(5 * 3600 + 1800)), "2025-11-22 03:44:05");
    }

    fn message(line: usize, id: &str, text: &str) -> Message {
        Message {
            line,
            conversation: id.into(),
            speaker: Speaker::Customer,
            text: text.into(),
            ..Message::default()
        }
    }

    #[test]
    fn a_session_far_apart_in_a_log_stays_one_conversation() {
        let mut grouper = Grouper::new("log");
        let mut events = Vec::new();
        let mut sink = |e: Event| events.push(e);
        grouper.push(message(1, "A", "我要投诉"), &mut sink);
        for i in 0..30_000 {
            grouper.push(message(i + 2, &format!("B{}", i / 10), "你好"), &mut sink);
        }
        grouper.push(message(30_002, "A", "再不处理我就去12315"), &mut sink);
        grouper.finish(&mut sink);
        let a: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                Event::Conversation(c) if c.id.starts_with('A') => Some((c.id.clone(), c.utterances.len())),
                _ => None,
            })
            .collect();
        assert_eq!(a, [("A".to_string(), 2)]);
        assert!(!events.iter().any(|e| matches!(e, Event::Problem { .. })));
    }

    #[test]
    fn past_the_memory_budget_a_split_is_reported_never_silent() {
        let mut grouper = Grouper::new("log");
        let mut events = Vec::new();
        let mut sink = |e: Event| events.push(e);
        let long = "投诉".repeat(20_000);
        grouper.push(message(1, "A", "我要投诉"), &mut sink);
        for i in 0..(OPEN_TEXT_BUDGET / long.len() + IDLE_MESSAGES as usize + 10) {
            grouper.push(message(i + 2, &format!("B{i}"), &long), &mut sink);
        }
        grouper.push(message(999_999, "A", "再不处理我就去12315"), &mut sink);
        grouper.push(message(1_000_000, "A", "你们到底管不管"), &mut sink);
        grouper.push(message(1_000_001, "A", "我已经打了三次电话了"), &mut sink);
        grouper.finish(&mut sink);
        let parts: Vec<(String, usize)> = events
            .iter()
            .filter_map(|e| match e {
                Event::Conversation(c) if c.id.starts_with('A') => Some((c.id.clone(), c.utterances.len())),
                _ => None,
            })
            .collect();
        // The part after the split keeps every later message: one `A#2`, one problem row.
        assert_eq!(parts, [("A".to_string(), 1), ("A#2".to_string(), 3)]);
        let problems: Vec<Option<usize>> = events
            .iter()
            .filter_map(|e| match e {
                Event::Problem { line, .. } => Some(*line),
                _ => None,
            })
            .collect();
        assert_eq!(problems, [Some(999_999)]);
    }

    #[test]
    fn a_session_split_twice_is_numbered_in_order_even_with_a_hash_in_its_id() {
        let mut grouper = Grouper::new("log");
        let mut events = Vec::new();
        let mut sink = |e: Event| events.push(e);
        let long = "投诉".repeat(20_000);
        let filler = OPEN_TEXT_BUDGET / long.len() + IDLE_MESSAGES as usize + 10;
        let mut line = 0;
        for round in 0..3 {
            line += 1;
            grouper.push(message(line, "工单#7", "快递三天没动了"), &mut sink);
            line += 1;
            grouper.push(message(line, "工单#7", "到底什么时候送"), &mut sink);
            for i in 0..filler {
                line += 1;
                grouper.push(message(line, &format!("B{round}-{i}"), &long), &mut sink);
            }
        }
        grouper.finish(&mut sink);
        let parts: Vec<(String, usize)> = events
            .iter()
            .filter_map(|e| match e {
                Event::Conversation(c) if c.id.starts_with('工') => Some((c.id.clone(), c.utterances.len())),
                _ => None,
            })
            .collect();
        assert_eq!(
            parts,
            [
                ("工单#7".to_string(), 2),
                ("工单#7#2".to_string(), 2),
                ("工单#7#3".to_string(), 2)
            ]
        );
        let problems = events.iter().filter(|e| matches!(e, Event::Problem { .. })).count();
        assert_eq!(problems, 2);
    }

    #[test]
    fn interleaved_sessions_are_grouped_in_order_of_first_appearance() {
        let mut grouper = Grouper::new("file");
        let mut out = Vec::new();
        for (line, id) in [(1, "b"), (2, "a"), (3, "b"), (4, ""), (5, "a")] {
            let message = Message {
                line,
                conversation: id.into(),
                text: format!("m{line}"),
                ..Message::default()
            };
            grouper.push(message, &mut |e| out.push(e));
        }
        assert_eq!(grouper.finish(&mut |e| out.push(e)), 3);
        let got: Vec<(String, Vec<usize>)> = out
            .into_iter()
            .map(|e| match e {
                Event::Conversation(c) => (c.id, c.utterances.iter().map(|u| u.line).collect()),
                Event::Problem { .. } => unreachable!(),
            })
            .collect();
        assert_eq!(
            got,
            [
                ("b".into(), vec![1, 3]),
                ("a".into(), vec![2, 5]),
                ("file".into(), vec![4])
            ]
        );
    }
}
