//! Plain-text transcripts: one conversation per file, one utterance per line.
//!
//! ```text
//! # agent: 1024
//! # conversation: C20261122-0001
//! [00:00:03] 坐席：您好，请问有什么可以帮您？
//! [00:00:07.450] 客户：我上周投诉了三次，到现在都没人处理
//! 再不解决我就去12315
//! ```
//! A line is `[timestamp] label：text`; the timestamp is optional (`[00:01:23]`, `00:01:23`,
//! `[00:01:23.450]`, `[01:23]`), the colon is `:` or `：`. A line without a known label
//! continues the previous speaker. Leading `# key: value` lines are metadata.
//!
//! A label this tool does not know (教练：, 园长：, 保安：) is read from the call itself: when one
//! such label opens two lines or more and every known label of the call is one side's (学员：),
//! it is the other side's; see [`Builder::finish`].

use super::decode::{Line, Lines};
use super::{Event, ParseContext};
use crate::category::Speaker;
use crate::transcript::{Conversation, SpeakerLabels, Utterance, clock_ms};

pub fn parse(lines: &mut Lines, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let mut builder = Builder::new(&context.default_id, context.labels);
    let mut skipped = 0usize;
    while let Some((number, line)) = lines.next_line().map_err(|e| e.to_string())? {
        match line {
            Line::Text(text) => {
                if let Some(done) = builder.line(number, text) {
                    sink(Event::Conversation(done));
                }
            }
            Line::TooLong(n) => {
                skipped += 1;
                sink(Event::Problem {
                    line: Some(number),
                    reason: format!("line of {n} bytes is too long; skipped"),
                })
            }
            Line::Invalid(reason) => {
                skipped += 1;
                sink(Event::Problem {
                    line: Some(number),
                    reason,
                })
            }
        }
    }
    let started = builder.started;
    let conversation = builder.finish();
    if conversation.utterances.is_empty() {
        if started > 1 {
            // `# key: value` lines at the very end, after the last call: nothing is lost.
            return Ok(());
        }
        if skipped > 0 {
            return Err(
                "no utterances left: every line with text in it could not be read (listed with its line)".into(),
            );
        }
        return Err("no utterances: the file has only blank or `#` metadata lines".into());
    }
    sink(Event::Conversation(conversation));
    Ok(())
}

/// Builds one conversation from its lines, in order.
struct Builder<'a> {
    conversation: Conversation,
    labels: &'a SpeakerLabels,
    /// The agent's number as labels carry it (`客服(工号1024)`): the first of each agent-side
    /// label, so a caller read as an agent label at first (骑手) does not lend the call its id.
    label_agent_ids: Vec<(String, String)>,
    in_header: bool,
    default_id: &'a str,
    /// Conversations started in this input so far (several when calls were concatenated).
    started: usize,
    /// Lines that open with a label-shaped word this tool does not know: the utterance, the
    /// label, and where the text after its colon starts.
    unknown_labels: Vec<(usize, String, usize)>,
    /// Lines that open with a known label: the utterance and the label as written.
    known_labels: Vec<(usize, String)>,
}

/// The most characters an unknown word before a colon may have to be read as a speaker label.
const UNKNOWN_LABEL_CHARS: usize = 5;

impl<'a> Builder<'a> {
    fn new(default_id: &'a str, labels: &'a SpeakerLabels) -> Builder<'a> {
        Builder {
            conversation: Conversation {
                id: default_id.to_string(),
                ..Conversation::default()
            },
            labels,
            label_agent_ids: Vec::new(),
            in_header: true,
            default_id,
            started: 1,
            unknown_labels: Vec::new(),
            known_labels: Vec::new(),
        }
    }

    /// Take one line. A `# key: value` line after utterances (`cat a.txt b.txt`) ends the
    /// conversation so far, which is returned, and starts the next one: one call's taboos are
    /// never credited to another call's agent.
    fn line(&mut self, number: usize, raw: &str) -> Option<Conversation> {
        let line = raw.trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            return None;
        }
        if line.starts_with('#') {
            if let Some((key, value)) = metadata(line) {
                let done = (!self.in_header).then(|| self.next_conversation());
                key.apply(value, &mut self.conversation);
                return done;
            }
            if self.in_header {
                return None;
            }
        }
        self.in_header = false;
        let (time, end, rest) = split_timestamp(line);
        let split = split_label(rest);
        let labelled = split.and_then(|(written, text)| Some((written.trim(), self.labels.recognise(written)?, text)));
        let previous = self.conversation.utterances.last();
        let utterance = match labelled {
            Some((written, label, text)) => {
                self.known_labels
                    .push((self.conversation.utterances.len(), written.to_string()));
                if let Some(id) = label.agent_id
                    && !self.label_agent_ids.iter().any(|(l, _)| l == written)
                {
                    self.label_agent_ids.push((written.to_string(), id));
                }
                Utterance {
                    line: number,
                    start_ms: time.as_deref().and_then(clock_ms),
                    end_ms: end.as_deref().and_then(clock_ms),
                    time: time.unwrap_or_default(),
                    speaker: label.speaker,
                    text: text.trim().to_string(),
                    continued: false,
                }
            }
            None => {
                if let Some((label, text)) = split
                    && looks_like_a_label(label)
                {
                    let at = rest.trim().len() - text.trim().len();
                    self.unknown_labels
                        .push((self.conversation.utterances.len(), label.trim().to_string(), at));
                }
                Utterance {
                    line: number,
                    // A continuation line is part of the utterance before it: no time of its own
                    // unless it says one.
                    start_ms: time.as_deref().and_then(clock_ms),
                    end_ms: end.as_deref().and_then(clock_ms),
                    time: time.or_else(|| previous.map(|p| p.time.clone())).unwrap_or_default(),
                    speaker: previous.map_or(Speaker::Unknown, |p| p.speaker),
                    text: rest.trim().to_string(),
                    continued: previous.is_some(),
                }
            }
        };
        self.conversation.utterances.push(utterance);
        None
    }

    /// Finish the conversation so far and start the next, named `<file>-2`, `-3` … unless
    /// its own header names it.
    fn next_conversation(&mut self) -> Conversation {
        self.started += 1;
        let next = Builder::new(self.default_id, self.labels);
        let mut next = Builder {
            started: self.started,
            ..next
        };
        next.conversation.id = format!("{}-{}", self.default_id, self.started);
        std::mem::replace(self, next).finish()
    }

    fn finish(mut self) -> Conversation {
        self.name_the_unknown_label();
        let caller = self.name_the_calling_role();
        if self.conversation.agent.is_empty() {
            let agent = self
                .label_agent_ids
                .iter()
                .find(|(label, _)| Some(label) != caller.as_ref());
            self.conversation.agent = agent.map(|(_, id)| id.clone()).unwrap_or_default();
        }
        self.conversation
    }

    /// Two known labels, both the agent's side, one of them a role that also calls in (客服 beside
    /// 骑手, 坐席 beside 师傅): the role is the caller, the customer of this call, and the lines
    /// that continue its turns are too. A call with other labels, or with both labels roles
    /// (快递员 beside 骑手), stays as it was read.
    fn name_the_calling_role(&mut self) -> Option<String> {
        let mut names: Vec<&str> = self.known_labels.iter().map(|(_, l)| l.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let [first, second] = names[..] else {
            return None;
        };
        let all_agent = self
            .known_labels
            .iter()
            .all(|(at, _)| self.conversation.utterances[*at].speaker == Speaker::Agent);
        let caller = match (is_calling_role(first), is_calling_role(second)) {
            (true, false) => first.to_string(),
            (false, true) => second.to_string(),
            _ => return None,
        };
        if !all_agent {
            return None;
        }
        let utterances = &mut self.conversation.utterances;
        for (at, label) in &self.known_labels {
            if *label == caller {
                utterances[*at].speaker = Speaker::Customer;
            }
        }
        for i in 1..utterances.len() {
            if utterances[i].continued {
                utterances[i].speaker = utterances[i - 1].speaker;
            }
        }
        Some(caller)
    }

    /// One unknown label that opens two lines or more, in a call whose known labels are all
    /// one side's (教练 beside 学员, 园长 beside 家长): its lines are the other side's turns,
    /// and the lines that continue them too. Anything less certain stays as it was read.
    fn name_the_unknown_label(&mut self) {
        let Some((_, label, _)) = self.unknown_labels.first() else {
            return;
        };
        if self.unknown_labels.iter().any(|(_, l, _)| l != label) || self.unknown_labels.len() < 2 {
            return;
        }
        let named: std::collections::BTreeSet<Speaker> = self
            .conversation
            .utterances
            .iter()
            .enumerate()
            .filter(|(i, u)| !u.continued && !self.unknown_labels.iter().any(|(at, ..)| at == i))
            .map(|(_, u)| u.speaker)
            .filter(|s| *s != Speaker::Unknown)
            .collect();
        let other = match named.iter().collect::<Vec<_>>()[..] {
            [Speaker::Agent] => Speaker::Customer,
            [Speaker::Customer] => Speaker::Agent,
            _ => return,
        };
        let utterances = &mut self.conversation.utterances;
        for (at, _, text_at) in &self.unknown_labels {
            let u = &mut utterances[*at];
            u.text = u.text[*text_at..].trim_start().to_string();
            u.speaker = other;
            u.continued = false;
        }
        for i in 1..utterances.len() {
            if utterances[i].continued {
                utterances[i].speaker = utterances[i - 1].speaker;
            }
        }
    }
}

/// A label of the agent's side that is also somebody who calls a service centre: a rider
/// calls the riders' hotline, a fitter the dispatch desk, a shop the platform.
fn is_calling_role(label: &str) -> bool {
    const CALLING_ROLES: &[&str] = &["骑手", "配送员", "快递员", "师傅", "商家", "卖家", "店员", "经纪人"];
    let folded = crate::transcript::fold_label(label);
    // 骑手小王 and 师傅(工号…) are the role; 商家客服 is the platform's agent for shops.
    CALLING_ROLES.iter().any(|role| {
        folded.strip_prefix(role).is_some_and(|rest| {
            !["客服", "售后", "坐席", "专员", "顾问"]
                .iter()
                .any(|agent| rest.contains(agent))
        })
    })
}

/// The metadata keys of a `# key: value` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MetaKey {
    Agent,
    Customer,
    Conversation,
    Time,
    Topic,
}

impl MetaKey {
    fn apply(self, value: String, conversation: &mut Conversation) {
        match self {
            MetaKey::Agent => conversation.agent = value,
            MetaKey::Customer => conversation.customer = value,
            MetaKey::Conversation => conversation.id = value,
            MetaKey::Time => conversation.time = value,
            MetaKey::Topic => conversation.topic = value,
        }
    }
}

/// `# agent: 1024` → (Agent, `1024`); `None` for a `#` line that is not metadata.
fn metadata(line: &str) -> Option<(MetaKey, String)> {
    let body = line.trim_start_matches('#').trim();
    let (key, value) = body.split_once([':', '：'])?;
    let key = match key.trim().to_lowercase().as_str() {
        "agent" | "agent_id" | "坐席" | "客服" | "工号" | "坐席工号" => MetaKey::Agent,
        "customer" | "customer_id" | "phone" | "客户" | "用户" | "来电号码" | "客户号码" | "客户电话" | "手机号" => {
            MetaKey::Customer
        }
        "conversation" | "conversation_id" | "call" | "call_id" | "id" | "会话" | "会话id" | "通话id" | "通话" => {
            MetaKey::Conversation
        }
        "time" | "date" | "start" | "时间" | "通话时间" | "日期" | "来电时间" => MetaKey::Time,
        "topic" | "业务类型" | "问题类型" | "问题分类" => MetaKey::Topic,
        _ => return None,
    };
    Some((key, value.trim().to_string()))
}

/// `[00:01:23.450] rest` → (`00:01:23.450`, `rest`). Also `00:01:23`, `[01:23]`, `(00:01:23)`.
fn split_timestamp(line: &str) -> (Option<String>, Option<String>, &str) {
    let (inner, rest) = match line.chars().next() {
        Some(open @ ('[' | '(' | '【' | '（')) => {
            let close = match open {
                '[' => ']',
                '(' => ')',
                '【' => '】',
                _ => '）',
            };
            match line[open.len_utf8()..].split_once(close) {
                Some((inner, rest)) => (inner.trim(), rest),
                None => return (None, None, line),
            }
        }
        _ => {
            let end = line
                .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == ','))
                .unwrap_or(line.len());
            (&line[..end], &line[end..])
        }
    };
    if let Some(t) = clock_time(inner) {
        return (Some(t), None, rest.trim_start());
    }
    // A range: [00:01:23-00:01:27], [00:01:23 ~ 00:01:27], [00:01:23 --> 00:01:27].
    let range = ["-->", "-", "~", "–", "—"]
        .iter()
        .find_map(|sep| inner.split_once(sep))
        .and_then(|(start, end)| Some((clock_time(start.trim())?, clock_time(end.trim())?)));
    match range {
        Some((start, end)) => (Some(start), Some(end), rest.trim_start()),
        None => (None, None, line),
    }
}

/// `01:23` → `00:01:23`; `1:02:03,5` → `01:02:03.500`. Anything else is not a time.
pub(super) fn clock_time(s: &str) -> Option<String> {
    let (clock, millis) = match s.find(['.', ',']) {
        Some(at) => {
            let frac = &s[at + 1..];
            if frac.is_empty() || frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (&s[..at], Some(frac))
        }
        None => (s, None),
    };
    // Up to three fields of one or two digits, read without allocating.
    let mut fields = [0u32; 3];
    let mut count = 0;
    for part in clock.split(':') {
        if count == 3 || part.is_empty() || part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        fields[count] = part.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0'));
        count += 1;
    }
    let (h, m, sec) = match count {
        3 => (fields[0], fields[1], fields[2]),
        2 => (0, fields[0], fields[1]),
        _ => return None,
    };
    if m > 59 || sec > 59 {
        return None;
    }
    // Written by hand: every line of a timed transcript has a time, and `format!`'s padding
    // was 4% of a directory of calls (callgrind).
    let mut out = String::with_capacity(12);
    for (i, field) in [h, m, sec].into_iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(char::from(b'0' + (field / 10) as u8));
        out.push(char::from(b'0' + (field % 10) as u8));
    }
    if let Some(ms) = millis {
        out.push('.');
        out.push_str(ms);
        out.push_str(&"00"[..3 - ms.len()]);
    }
    Some(out)
}

/// `客服(工号1024)：您好` → (`客服(工号1024)`, `您好`), if a colon comes early enough.
/// A word before a colon that could name a speaker: a few letters or ideographs, nothing else
/// (not 注意, a time, a URL or a sentence: 我跟你说：).
fn looks_like_a_label(label: &str) -> bool {
    let label = label.trim();
    let chars = label.chars().count();
    (1..=UNKNOWN_LABEL_CHARS).contains(&chars)
        && label.chars().all(|c| c.is_alphabetic() || c.is_ascii_digit())
        && !label.chars().all(|c| c.is_ascii_digit())
}

pub(super) fn split_label(rest: &str) -> Option<(&str, &str)> {
    let colon = rest.char_indices().take(26).find(|(_, c)| matches!(c, ':' | '：'))?;
    let (label, text) = rest.split_at(colon.0);
    Some((label, &text[colon.1.len_utf8()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_default(text: &str) -> Conversation {
        let labels = SpeakerLabels::default();
        let mut builder = Builder::new("call-1", &labels);
        for (i, line) in text.lines().enumerate() {
            assert!(builder.line(i + 1, line).is_none(), "one conversation expected");
        }
        builder.finish()
    }

    /// Every conversation of a text, as (id, agent, lines).
    fn parse_all(text: &str) -> Vec<(String, String, Vec<usize>)> {
        let labels = SpeakerLabels::default();
        let mut builder = Builder::new("calls", &labels);
        let mut done = Vec::new();
        for (i, line) in text.lines().enumerate() {
            done.extend(builder.line(i + 1, line));
        }
        done.push(builder.finish());
        done.into_iter()
            .map(|c| (c.id, c.agent, c.utterances.iter().map(|u| u.line).collect()))
            .collect()
    }

    #[test]
    fn concatenated_calls_stay_apart() {
        let calls = "# conversation: A\n# agent: 1001\n客服：您好\n客户：我要去12315投诉\n\
                     # conversation: B\n# agent: 2002\n客服：你爱投诉就投诉\n\
                     # agent: 3003\n客服：您好";
        assert_eq!(
            parse_all(calls),
            [
                ("A".to_string(), "1001".to_string(), vec![3, 4]),
                ("B".to_string(), "2002".to_string(), vec![7]),
                ("calls-3".to_string(), "3003".to_string(), vec![9]),
            ]
        );
    }

    #[test]
    fn lines_labels_times_and_metadata() {
        let c = parse_default(
            "# agent: 8823\n# conversation: C-77\n# time: 2026-11-22 09:14\n\n\
             [00:00:03] 坐席：您好，请问有什么可以帮您？\n\
             00:00:07.45 客户: 我要投诉\n\
             我上周就打过三次了\n\
             [01:10] 客戶：备注：没人处理\n",
        );
        assert_eq!(
            (c.id.as_str(), c.agent.as_str(), c.time.as_str()),
            ("C-77", "8823", "2026-11-22 09:14")
        );
        let got: Vec<_> = c
            .utterances
            .iter()
            .map(|u| (u.line, u.time.as_str(), u.speaker, u.text.as_str(), u.continued))
            .collect();
        assert_eq!(
            got,
            [
                (5, "00:00:03", Speaker::Agent, "您好，请问有什么可以帮您？", false),
                (6, "00:00:07.450", Speaker::Customer, "我要投诉", false),
                (7, "00:00:07.450", Speaker::Customer, "我上周就打过三次了", true),
                (8, "00:01:10", Speaker::Customer, "备注：没人处理", false),
            ]
        );
        assert_eq!(c.turns(), 3);
    }

    #[test]
    fn agent_number_from_the_label_when_no_metadata() {
        let c = parse_default("客服(工号1024)：您好\n客户：喂");
        assert_eq!(c.agent, "1024");
        assert_eq!(c.id, "call-1");
    }

    #[test]
    fn unlabelled_first_line_is_unknown_speaker() {
        let c = parse_default("我要去消协投诉你们\n客服：您别着急");
        assert_eq!(c.utterances[0].speaker, Speaker::Unknown);
        assert!(!c.utterances[0].continued);
    }

    #[test]
    fn a_hash_line_after_the_header_is_text() {
        let c = parse_default("客户：你好\n#315曝光台# 我要曝光");
        assert_eq!(c.utterances.len(), 2);
        assert_eq!(c.utterances[1].text, "#315曝光台# 我要曝光");
    }

    #[test]
    fn a_time_range_gives_the_utterance_its_end() {
        for line in [
            "[00:01:23-00:01:27] 客服：您好",
            "[00:01:23 ~ 00:01:27] 客服：您好",
            "[1:23 --> 1:27.5] 客服：您好",
        ] {
            let (start, end, rest) = split_timestamp(line);
            assert_eq!(start.as_deref(), Some("00:01:23"), "{line}");
            assert!(end.as_deref().is_some_and(|e| e.starts_with("00:01:27")), "{line}");
            assert_eq!(rest, "客服：您好");
        }
        assert_eq!(
            split_timestamp("[00:01:23] 客服：您好").1,
            None,
            "a start alone has no end"
        );
    }

    #[test]
    fn times_that_are_not_times() {
        assert_eq!(split_timestamp("12315投诉").0, None);
        assert_eq!(split_timestamp("[00:01:23-]客服：x").0, None, "half a range is no time");
        assert_eq!(split_timestamp("[注意] 客服：x").0, None);
        assert_eq!(clock_time("99:99"), None);
        assert_eq!(clock_time("1:02:03,5").as_deref(), Some("01:02:03.500"));
        for (written, read) in [
            ("01:23", "00:01:23"),
            ("9:5", "00:09:05"),
            ("12:34:56", "12:34:56"),
            ("0:00:07.25", "00:00:07.250"),
            ("1:02:03.045", "01:02:03.045"),
        ] {
            assert_eq!(clock_time(written).as_deref(), Some(read), "{written}");
        }
        assert_eq!(clock_time("1:02:03.0451"), None, "more than milliseconds");
        assert_eq!(clock_time("1:2:3:4"), None, "four fields");
    }

    /// A rider calling the riders' hotline is its customer: of two agent-side labels, the one
    /// that also calls in (骑手, 师傅, 快递员 …) is the caller. Anything else stays as read.
    #[test]
    fn a_calling_role_beside_the_agent_is_the_customer() {
        use Speaker::{Agent, Customer};
        let cases: [(&str, &[Speaker]); 6] = [
            (
                "客服：您好，骑手服务中心\n骑手：我那单超时又扣了五十，我都申诉三回了\n客服：系统显示是您超时\n骑手：再扣我就去你们楼下坐着",
                &[Agent, Customer, Agent, Customer],
            ),
            // A continuation line follows its label.
            (
                "坐席：您好\n师傅：我上门三次了\n配件一直没到\n坐席：我帮您催",
                &[Agent, Customer, Customer, Agent],
            ),
            // Both labels roles: nobody is named the caller.
            ("快递员：您的件到了\n骑手：我放门口了", &[Agent, Agent]),
            // A customer label in the call: the labels say who is who already.
            (
                "骑手：您的餐到了\n客户：放门口吧\n客服：好的",
                &[Agent, Customer, Agent],
            ),
            // A hotel's front desk and its guest.
            ("前台：您好，云栖酒店前台\n客人：我房间的空调不制冷", &[Agent, Customer]),
            // 商家客服 is the platform's agent for shops, not a shop calling in: both agents.
            ("商家客服：您好\n客服：我转给您同事", &[Agent, Agent]),
        ];
        for (text, speakers) in cases {
            let c = parse_default(text);
            let got: Vec<Speaker> = c.utterances.iter().map(|u| u.speaker).collect();
            assert_eq!(got, speakers, "{text}");
        }
        // The caller's number is not the call's agent: the agent label's is.
        let c = parse_default("骑手(工号7788)：我又被扣了\n客服(工号1024)：我帮您查");
        assert_eq!(c.utterances[0].speaker, Customer);
        assert_eq!(c.agent, "1024");
        let c = parse_default("骑手(工号7788)：我又被扣了\n客服：我帮您查");
        assert_eq!(c.agent, "");
    }

    /// (transcript, the speaker of each utterance in order, the text of the first)
    #[test]
    fn an_unknown_label_beside_one_known_side_is_the_other_side() {
        use Speaker::{Agent, Customer, Unknown};
        let cases: [(&str, &[Speaker], &str); 5] = [
            // 教练 beside 学员 (a customer label): 教练 is the agent, and so is its next line.
            (
                "教练：喂，李姐，您找我？\n学员：跑步机冒烟了。\n教练：器材报修不归我们教练管。\n您去找前台。",
                &[Agent, Customer, Agent, Agent],
                "喂，李姐，您找我？",
            ),
            // 保安 beside 坐席 (an agent label): 保安 is the customer.
            (
                "坐席：您好，物业中心。\n保安：我们岗亭的空调又坏了。\n坐席：我登记一下。\n保安：上次就报过了。",
                &[Agent, Customer, Agent, Customer],
                "您好，物业中心。",
            ),
            // Said once only: a customer's own words after a colon, not a speaker.
            (
                "客户：我就一句话：退钱。\n注意：我还没说完。\n坐席：好的。",
                &[Customer, Customer, Agent],
                "我就一句话：退钱。",
            ),
            // Two unknown labels and no known one: who is who is not guessed.
            (
                "园长：您好。\n姥姥：孩子摔了。\n园长：我看看。\n姥姥：你们要负责。",
                &[Unknown, Unknown, Unknown, Unknown],
                "园长：您好。",
            ),
            // Known labels on both sides: an unknown one is left as it was read.
            (
                "坐席：您好。\n客户：喂。\n经办人：我补充一下。\n经办人：就这样。",
                &[Agent, Customer, Customer, Customer],
                "您好。",
            ),
        ];
        for (text, speakers, first) in cases {
            let c = parse_default(text);
            let got: Vec<Speaker> = c.utterances.iter().map(|u| u.speaker).collect();
            assert_eq!(got, speakers, "{text}");
            assert_eq!(c.utterances[0].text, first, "{text}");
        }
    }
}
