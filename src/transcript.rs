//! What every input format is parsed into: a conversation of utterances, each with its line,
//! time and speaker. Also owns speaker labels (客服, 客户, agent …), so every parser maps a
//! label to a side the same way.

use crate::category::Speaker;

/// One utterance: a line of a transcript, a chat message, an ASR sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    /// 1-based line in the input file (for multi-line records, the first line).
    pub line: usize,
    /// Offset into the call (`hh:mm:ss` or `hh:mm:ss.mmm`) or message time, as the input gives.
    pub time: String,
    /// Where the utterance starts, in milliseconds into the call, when the format says (ASR
    /// results, subtitles, `[00:01:23]` in a transcript); `None` for chats and untimed text.
    pub start_ms: Option<u64>,
    /// Where it ends, when the format says (ASR results, subtitles, `[00:01:23-00:01:27]`).
    pub end_ms: Option<u64>,
    pub speaker: Speaker,
    /// The original text, untouched: reports quote it.
    pub text: String,
    /// True when this line has no label of its own and continues the previous speaker.
    pub continued: bool,
}

/// A conversation (a call or a chat session) and what is known about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conversation {
    pub id: String,
    pub agent: String,
    pub customer: String,
    pub time: String,
    /// The problem the call is about, when the input or `--meta` names it (`topic`, 业务类型,
    /// 问题类型); the ledger counts repeat complaints per problem.
    pub topic: String,
    pub utterances: Vec<Utterance>,
}

/// `hh:mm:ss` or `hh:mm:ss.mmm` (as the parsers write an offset) in milliseconds. Read byte by
/// byte: every utterance of a timed transcript goes through here.
pub fn clock_ms(time: &str) -> Option<u64> {
    let bytes = time.as_bytes();
    let (clock, fraction) = match bytes.iter().position(|&b| b == b'.') {
        Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
        None => (bytes, None),
    };
    let mut fields = [0u64; 3];
    let mut count = 0;
    for part in clock.split(|&b| b == b':') {
        if count == 3 || part.is_empty() || part.len() > 2 || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        fields[count] = part.iter().fold(0, |n, b| n * 10 + u64::from(b - b'0'));
        count += 1;
    }
    let [h, m, s] = fields;
    if count != 3 || m >= 60 || s >= 60 {
        return None;
    }
    let millis = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 3 && f.iter().all(u8::is_ascii_digit) => {
            let digits = f.iter().fold(0, |n, b| n * 10 + u64::from(b - b'0'));
            digits * [100, 10, 1][f.len() - 1]
        }
        Some(_) => return None,
    };
    Some(((h * 60 + m) * 60 + s) * 1000 + millis)
}

/// When a call started: seconds since 1970-01-01 00:00:00 in the call centre's clock (inputs
/// give local times without a zone, and they are kept as given, not converted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallStart(pub i64);

/// The civil date of a day number since 1970-01-01 (Howard Hinnant's algorithm, the inverse
/// of [`CallStart::parse`]'s).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let d = day_of_year - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = year_of_era + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `2026-11-22 09:14:05` for seconds since 1970-01-01 (UTC, or the call centre's clock).
pub fn date_time_of(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

impl CallStart {
    /// `2026-11-22 09:14:05`, `2026/11/22 09:14`, `2026-11-22T09:14:05` (as the parsers and
    /// `--meta` write a call time; epoch numbers are already written this way).
    pub fn parse(time: &str) -> Option<CallStart> {
        // 2022年5月5日 10:00 as call-centre exports write it in Chinese.
        let chinese;
        let time = match time.contains(['年', '月']) {
            true => {
                chinese = time
                    .replacen('年', "-", 1)
                    .replacen('月', "-", 1)
                    .replacen('日', " ", 1);
                chinese.trim()
            }
            false => time.trim(),
        };
        let (date, clock) = time.split_once([' ', 'T']).unwrap_or((time, "00:00:00"));
        let mut parts = date.split(['-', '/']);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 {
            return None;
        }
        let number = |s: &str| -> Option<i64> {
            (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let (y, m, d) = (number(y)?, number(m)?, number(d)?);
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let clock = clock.trim().split(['.', '+', 'Z']).next().unwrap_or("");
        let mut fields = clock.split(':');
        let (h, min) = (number(fields.next()?)?, number(fields.next()?)?);
        let s = fields.next().map_or(Some(0), number)?;
        if h > 23 || min > 59 || s > 60 {
            return None;
        }
        // Days from the civil date (Howard Hinnant's algorithm).
        let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let day_of_year = (153 * m + 2) / 5 + d - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        let days = era * 146_097 + day_of_era - 719_468;
        Some(CallStart(days * 86_400 + h * 3600 + min * 60 + s))
    }
}

impl Conversation {
    /// Whether a line is known to be the agent's (the QA sheet judges the script only then).
    pub fn agent_spoke(&self) -> bool {
        self.utterances.iter().any(|u| u.speaker == Speaker::Agent)
    }

    /// A conversation of one utterance on line 1, as `lexicon test` and the context stage's
    /// tables judge an example sentence.
    pub fn one_line(id: &str, speaker: Speaker, text: &str) -> Conversation {
        Conversation {
            id: id.to_string(),
            utterances: vec![Utterance {
                line: 1,
                time: String::new(),
                start_ms: None,
                end_ms: None,
                speaker,
                text: text.to_string(),
                continued: false,
            }],
            ..Conversation::default()
        }
    }

    /// When the call started, from the input (`# time:`, a chat's first message) or `--meta`;
    /// `None` when no time was given or it is no date and time.
    pub fn started(&self) -> Option<CallStart> {
        CallStart::parse(&self.time)
    }

    /// Whether any utterance has a start time: rules on times are otherwise not applicable.
    pub fn is_timed(&self) -> bool {
        self.utterances.iter().any(|u| u.start_ms.is_some())
    }

    /// Turns as QA counts them: labelled utterances, not continuation lines.
    pub fn turns(&self) -> usize {
        self.utterances.iter().filter(|u| !u.continued).count()
    }
}

/// What a speaker label says about who is speaking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub speaker: Speaker,
    /// Agent number or name carried by the label (`客服(工号1024)` → `1024`), if any.
    pub agent_id: Option<String>,
}

/// Known labels. Built-in ones plus those given by `--agent-label` / `--customer-label`.
#[derive(Debug, Clone)]
pub struct SpeakerLabels {
    /// (lower-cased simplified label, speaker), longest first so 客户经理 beats 客户.
    prefixes: Vec<(String, Speaker)>,
    /// Labels the user named exactly (`说话人1`): matched whole, before prefixes.
    exact: Vec<(String, Speaker)>,
}

/// Labels that mean the agent, built in (`scan --help` lists them).
pub const AGENT_LABELS: &[&str] = &[
    "坐席",
    "客服",
    "agent",
    "工号",
    "人工客服",
    "客服代表",
    "客服专员",
    "售后",
    "话务员",
    "座席",
    "客户经理",
    "商家",
    "卖家",
    "店小二",
    "operator",
    "staff",
    // Other industries' call and chat centres.
    "helpdesk",
    "representative",
    "support",
    "顾问",
    "课程顾问",
    "销售顾问",
    "管家",
    "物业管家",
    "专员",
    "服务专员",
    "乘务员",
    "空乘",
    "理财经理",
    "客户代表",
    "接线员",
    "值班员",
    "工作人员",
    "柜员",
    "导购",
    "营业员",
    "店员",
    "医生",
    "医生助理",
    "医助",
    "护士",
    "导诊",
    "老师",
    "班主任",
    "快递员",
    "配送员",
    "骑手",
    "理赔员",
    "经纪人",
    "师傅",
    // A hotel's front desk (前台 beside 客人).
    "前台",
];
/// Labels that mean the customer, built in (`scan --help` lists them).
pub const CUSTOMER_LABELS: &[&str] = &[
    "客户",
    "用户",
    "顾客",
    "来电人",
    "customer",
    "来电客户",
    "买家",
    "消费者",
    "访客",
    "caller",
    "user",
    "client",
    "来电者",
    // Other industries' customers.
    "家长",
    "学员",
    "业主",
    "住户",
    "车主",
    "旅客",
    "乘客",
    "持卡人",
    "投保人",
    "租户",
    "患者",
    "病人",
    "家属",
    "市民",
    "群众",
    "居民",
    "村民",
    "机主",
    "会员",
    "学生",
    "收件人",
    "寄件人",
    "收货人",
    "投诉人",
    "报修人",
    "被保险人",
    "房主",
    "游客",
    "住客",
    "客人",
];
/// Labels that say "a speaker" without saying which side (ASR diarisation output).
const NEUTRAL_LABELS: &[&str] = &["说话人", "发言人", "speaker", "spk", "角色", "[speaker"];

impl Default for SpeakerLabels {
    fn default() -> Self {
        SpeakerLabels::new(&[], &[])
    }
}

impl SpeakerLabels {
    pub fn new(extra_agent: &[String], extra_customer: &[String]) -> SpeakerLabels {
        let mut prefixes: Vec<(String, Speaker)> = AGENT_LABELS
            .iter()
            .map(|l| (l.to_string(), Speaker::Agent))
            .chain(CUSTOMER_LABELS.iter().map(|l| (l.to_string(), Speaker::Customer)))
            .chain(NEUTRAL_LABELS.iter().map(|l| (l.to_string(), Speaker::Unknown)))
            .collect();
        prefixes.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.0.cmp(&b.0)));
        let exact = extra_agent
            .iter()
            .map(|l| (fold_label(l), Speaker::Agent))
            .chain(extra_customer.iter().map(|l| (fold_label(l), Speaker::Customer)))
            .collect();
        SpeakerLabels { prefixes, exact }
    }

    /// Recognise `label` (the text before the colon). `None` means "not a speaker label".
    pub fn recognise(&self, label: &str) -> Option<Label> {
        // The plain labels of most lines (坐席, 客户 …), before any folding.
        let plain = label.trim();
        if self.exact.is_empty() {
            if AGENT_LABELS.contains(&plain) {
                return Some(Label {
                    speaker: Speaker::Agent,
                    agent_id: None,
                });
            }
            if CUSTOMER_LABELS.contains(&plain) {
                return Some(Label {
                    speaker: Speaker::Customer,
                    agent_id: None,
                });
            }
        }
        let folded = fold_label(label);
        if folded.is_empty() || folded.chars().count() > 24 {
            return None;
        }
        if let Some((_, speaker)) = self.exact.iter().find(|(l, _)| *l == folded) {
            return Some(Label {
                speaker: *speaker,
                agent_id: None,
            });
        }
        let (prefix, speaker) = self.prefixes.iter().find(|(p, _)| folded.starts_with(p.as_str()))?;
        let rest = &folded[prefix.len()..];
        if !plausible_decoration(rest) {
            return None;
        }
        let agent_id = if *speaker == Speaker::Agent {
            decoration_id(prefix, rest)
        } else {
            None
        };
        Some(Label {
            speaker: *speaker,
            agent_id,
        })
    }
}

/// Lower-cased, simplified, without brackets and spaces: `【客戶】` → `客户`.
pub fn fold_label(label: &str) -> String {
    label
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '【' | '】' | '[' | ']' | '<' | '>' | '「' | '」'))
        .map(crate::normalize::simplified)
        .flat_map(char::to_lowercase)
        .collect()
}

/// What may follow a label word: a number, a short name, a bracketed 工号. Not a sentence.
fn plausible_decoration(rest: &str) -> bool {
    rest.chars().count() <= 12
        && !rest.chars().any(|c| {
            matches!(
                c,
                '，' | ',' | '。' | '！' | '!' | '？' | '?' | '说' | '的' | '是' | '要' | '了'
            )
        })
}

/// The agent's number or name from `工号1024`, `客服(1024)`, `客服小王`, `agent 7`.
fn decoration_id(prefix: &str, rest: &str) -> Option<String> {
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return Some(digits);
    }
    let name: String = rest
        .trim_start_matches(['-', '(', '（', ':', '_', '#'])
        .trim_end_matches([')', '）'])
        .trim_start_matches("工号")
        .to_string();
    if name.is_empty() || prefix == "工号" {
        None
    } else {
        Some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_as_the_parsers_write_them_are_milliseconds() {
        assert_eq!(clock_ms("00:01:23"), Some(83_000));
        assert_eq!(clock_ms("01:02:03.5"), Some(3_723_500));
        assert_eq!(clock_ms("00:00:03.120"), Some(3_120));
        for not_an_offset in [
            "",
            "2026-11-22 09:14:05",
            "00:61:00",
            "1:2",
            "00:00:01.",
            "00:00:01.1234",
        ] {
            assert_eq!(clock_ms(not_an_offset), None, "{not_an_offset}");
        }
    }

    #[test]
    fn call_times_as_inputs_and_meta_give_them_are_typed() {
        assert_eq!(CallStart::parse("1970-01-01 00:00:00"), Some(CallStart(0)));
        // What chat.rs writes for the epoch 1763802845.
        assert_eq!(CallStart::parse("2025-11-22 09:14:05"), Some(CallStart(1_763_802_845)));
        assert_eq!(CallStart::parse("2025/11/22 09:14"), Some(CallStart(1_763_802_840)));
        assert_eq!(
            CallStart::parse("2025-11-22T09:14:05.250Z"),
            Some(CallStart(1_763_802_845))
        );
        assert_eq!(CallStart::parse("2025-11-22"), Some(CallStart(1_763_769_600)));
        assert_eq!(CallStart::parse("2025年11月22日 09:14"), Some(CallStart(1_763_802_840)));
        assert_eq!(CallStart::parse("2025年11月22日"), Some(CallStart(1_763_769_600)));
        for not_a_time in [
            "",
            "42",
            "昨天下午",
            "2025-13-01 00:00",
            "2025-11-22 25:00",
            "25-11-22 09:00",
        ] {
            assert_eq!(CallStart::parse(not_a_time), None, "{not_a_time}");
        }
    }

    #[test]
    fn labels_out_of_the_box() {
        let labels = SpeakerLabels::default();
        let cases = [
            ("坐席", Speaker::Agent, None),
            ("客服", Speaker::Agent, None),
            ("Agent", Speaker::Agent, None),
            ("工号1024", Speaker::Agent, Some("1024")),
            ("客服(工号8823)", Speaker::Agent, Some("8823")),
            ("客服小王", Speaker::Agent, Some("小王")),
            ("医生助理", Speaker::Agent, None),
            ("快递员", Speaker::Agent, None),
            ("市民", Speaker::Customer, None),
            ("患者家属", Speaker::Customer, None),
            ("收件人", Speaker::Customer, None),
            ("客户", Speaker::Customer, None),
            ("客戶", Speaker::Customer, None),
            ("用戶", Speaker::Customer, None),
            ("顾客", Speaker::Customer, None),
            ("来电人", Speaker::Customer, None),
            ("customer", Speaker::Customer, None),
            ("客户经理", Speaker::Agent, None),
            ("说话人1", Speaker::Unknown, None),
            ("【客户】", Speaker::Customer, None),
        ];
        for (label, speaker, id) in cases {
            let got = labels
                .recognise(label)
                .unwrap_or_else(|| panic!("{label} not recognised"));
            assert_eq!(got.speaker, speaker, "{label}");
            assert_eq!(got.agent_id.as_deref(), id, "{label}");
        }
    }

    #[test]
    fn text_before_a_colon_is_not_a_label() {
        let labels = SpeakerLabels::default();
        for text in ["备注", "我跟你说", "订单号", "客户说的是这个意思"] {
            assert_eq!(labels.recognise(text), None, "{text}");
        }
    }

    #[test]
    fn user_labels_map_diarised_speakers() {
        let labels = SpeakerLabels::new(&["说话人1".into()], &["说话人2".into()]);
        assert_eq!(labels.recognise("说话人1").unwrap().speaker, Speaker::Agent);
        assert_eq!(labels.recognise("说话人2").unwrap().speaker, Speaker::Customer);
        assert_eq!(labels.recognise("说话人3").unwrap().speaker, Speaker::Unknown);
    }
}
