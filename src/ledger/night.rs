//! One night through the ledger: what each conversation tells the ledger ([`Facts`]), then
//! the rule: a complaint that is the customer's Nth about the same problem within the window
//! is a repeat ([`Plan`]), found before any report is written so every report shows it.
//!
//! Promise: counts are in call-time order, whatever the order of the inputs (ties by the
//! conversation's key); the same inputs and the same ledger give the same plan; a rerun of a
//! night replaces its rows, so it counts once.

use std::collections::{BTreeMap, HashMap};

use crate::category::Side;
use crate::detect::repeat::Repeat;
use crate::redact::redact;
use crate::score::ScannedConversation;

use super::topics::Topics;
use super::{Ledger, LedgerError, Row, date};

/// Where a conversation's problem came from.
pub const FROM_METADATA: &str = "metadata";
pub const FROM_LEXICON: &str = "lexicon";

/// Earlier complaints named in a finding at most (the count says how many there were).
const EARLIER_SHOWN: usize = 10;

/// The rule's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The Nth complaint within the window is a repeat (`--repeat-after`).
    pub after: u32,
    /// The rolling window, in days (`--repeat-window`).
    pub window_days: u32,
    /// Rows older than this many days before the newest call are removed (`--retention`;
    /// 0 keeps everything).
    pub retention_days: u32,
}

/// What one conversation tells the ledger.
#[derive(Debug, Clone)]
pub struct Facts {
    pub file: String,
    pub id: String,
    /// The customer as the input gives it (kept in memory only, for repeats.csv, masked).
    pub customer: String,
    /// The customer's ledger key; `None` when the input gives none.
    pub key: Option<String>,
    /// Call start in seconds; `None` when the input gives no date and time.
    pub time: Option<i64>,
    pub complaint: bool,
    pub topic: String,
    pub topic_from: &'static str,
    /// The utterance a repeat finding is shown on: the first complaint line of the customer.
    pub utterance: usize,
}

impl Facts {
    /// Read a scanned conversation: any counted `threat.*` finding, or a complaint word on a
    /// customer line, is a complaint; the topic is the metadata's, else the topics file's.
    pub fn read(file: &str, scanned: &ScannedConversation, topics: &Topics, ledger: &Ledger) -> Facts {
        let c = &scanned.conversation;
        let threat = scanned
            .findings
            .iter()
            .find(|f| f.finding.counts() && f.finding.category.side() == Side::Threat);
        let lines = topics.read(c);
        let (topic, topic_from) = match c.topic.trim() {
            "" => (lines.topic, FROM_LEXICON),
            given => (redact(given).into_owned(), FROM_METADATA),
        };
        let utterance = threat
            .map(|f| f.utterance)
            .or_else(|| topics.first_complaint(c))
            .or_else(|| {
                c.utterances
                    .iter()
                    .position(|u| u.speaker == crate::category::Speaker::Customer)
            })
            .unwrap_or(0);
        Facts {
            file: file.to_string(),
            id: c.id.clone(),
            customer: c.customer.clone(),
            key: ledger.secret().customer(&c.customer),
            time: c.started().map(|t| t.0),
            complaint: threat.is_some() || lines.complained,
            topic,
            topic_from,
            utterance,
        }
    }
}

/// One customer and problem over the threshold tonight, for repeats.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatRow {
    /// The customer as the input gives it, masked.
    pub customer: String,
    /// The first 16 hex digits of the customer's ledger key (the same in every report).
    pub key: String,
    pub topic: String,
    /// Complaints about the topic within the window that ends with the last one.
    pub count: u32,
    pub first: String,
    pub last: String,
    /// Conversation ids (masked) with their dates, oldest first.
    pub conversations: Vec<String>,
}

/// What the ledger found in one night: the repeat per conversation, and what it recorded.
#[derive(Debug, Default)]
pub struct Plan {
    repeats: HashMap<(String, String), Repeat>,
    pub rows: Vec<RepeatRow>,
    /// Conversations recorded, complaints among them.
    pub recorded: usize,
    pub complaints: usize,
    /// Conversations not recorded: no customer key, or no call time.
    pub no_key: usize,
    pub no_time: usize,
    /// Rows removed by the retention.
    pub pruned: usize,
}

impl Plan {
    /// Conversations that are a repeat complaint tonight.
    pub fn repeats(&self) -> usize {
        self.repeats.len()
    }

    /// The repeat finding of conversation `id` of `file`, if it is one.
    pub fn repeat(&self, file: &str, id: &str) -> Option<&Repeat> {
        self.repeats.get(&(file.to_string(), id.to_string()))
    }
}

/// Record tonight's conversations in the ledger (inside its open transaction), then find
/// every complaint that is a repeat.
pub fn count(ledger: &Ledger, facts: Vec<Facts>, rule: Rule) -> Result<Plan, LedgerError> {
    let mut plan = Plan::default();
    let mut tonight = Vec::new();
    for fact in facts {
        let (Some(key), Some(time)) = (fact.key.clone(), fact.time) else {
            if fact.key.is_none() {
                plan.no_key += 1;
            } else {
                plan.no_time += 1;
            }
            continue;
        };
        let row = Row {
            call: ledger
                .secret()
                .hash("call", &format!("{}\0{}", same_file(&fact.file), fact.id)),
            customer: key,
            time,
            conversation: redact(&fact.id).into_owned(),
            file: redact(&fact.file).into_owned(),
            complaint: fact.complaint,
            topic: fact.topic.clone(),
            topic_from: fact.topic_from.to_string(),
        };
        ledger.record(&row)?;
        plan.recorded += 1;
        plan.complaints += usize::from(fact.complaint);
        if fact.complaint {
            tonight.push((row, fact));
        }
    }
    // Call-time order: the later of two calls of one customer tonight counts the earlier.
    tonight.sort_by(|(a, _), (b, _)| (a.time, &a.call).cmp(&(b.time, &b.call)));
    let window = i64::from(rule.window_days) * 86_400;
    // Per customer and topic, the last repeat tonight and its window, for repeats.csv.
    let mut groups: BTreeMap<(String, String), (Row, Vec<Row>, String)> = BTreeMap::new();
    for (row, fact) in &tonight {
        // Within the window: calls later than `window` before this one, up to this one.
        let mut earlier = ledger.complaints(&row.customer, &row.topic, row.time - window + 1, row.time)?;
        earlier.retain(|e| (e.time, &e.call) < (row.time, &row.call));
        let n = earlier.len() as u32 + 1;
        if n < rule.after.max(1) {
            continue;
        }
        let shown = earlier
            .iter()
            .rev()
            .take(EARLIER_SHOWN)
            .rev()
            .map(|e| (date(e.time), e.conversation.clone()))
            .collect();
        plan.repeats.insert(
            (fact.file.clone(), fact.id.clone()),
            Repeat {
                count: n,
                window_days: rule.window_days,
                topic: row.topic.clone(),
                earlier: shown,
                more_earlier: earlier.len().saturating_sub(EARLIER_SHOWN),
                utterance: fact.utterance,
            },
        );
        groups.insert(
            (row.customer.clone(), row.topic.clone()),
            (row.clone(), earlier, redact(&fact.customer).into_owned()),
        );
    }
    let mut rows: Vec<RepeatRow> = groups
        .into_values()
        .map(|(last, earlier, customer)| RepeatRow {
            customer,
            key: last.customer[..16.min(last.customer.len())].to_string(),
            topic: last.topic.clone(),
            count: earlier.len() as u32 + 1,
            first: date(earlier.first().unwrap_or(&last).time),
            last: date(last.time),
            conversations: earlier
                .iter()
                .chain([&last])
                .map(|r| format!("{} {}", date(r.time), r.conversation))
                .collect(),
        })
        .collect();
    rows.sort_by(|a, b| (&a.last, &a.key, &a.topic).cmp(&(&b.last, &b.key, &b.topic)));
    plan.rows = rows;
    if rule.retention_days > 0
        && let Some(newest) = ledger.newest()?
    {
        plan.pruned = ledger.prune_before(newest - i64::from(rule.retention_days) * 86_400)?;
    }
    Ok(plan)
}

/// The file as the ledger keys a conversation: its absolute path with links resolved, so a
/// rerun from another folder (`nights/N11` then `cd nights; … N11`) is the same conversation
/// and counts once. As given when it cannot be resolved (it was read, so it rarely happens).
fn same_file(file: &str) -> String {
    std::fs::canonicalize(file).map_or_else(|_| file.to_string(), |path| path.display().to_string())
}
