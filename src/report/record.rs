//! What every report sees: a conversation with its findings, or a problem, with personal
//! numbers already masked (unless `--no-redact`).
//!
//! [`super::Reports`] builds one record per conversation and hands the same record to every
//! report, so masking happens here, once, and no report can forget it or do it differently.
//! How a value is then shown (CSV quoting and formula neutralisation, HTML escaping, JSON
//! types) is each report's own concern. Text is borrowed from the scanned conversation where
//! masking changed nothing.
//!
//! The records are also what a shard of a split run keeps for `callrisk merge` (serde, in
//! `shard.jsonl`): merge reads them back and feeds the same reports, so a report renders a
//! merged run from exactly the values it renders a single run from.

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Deserializer, Serialize};

use crate::category::{Category, Severity, Speaker};
use crate::detect::finding::Verdict;
use crate::input::InputProblem;
use crate::redact::redact;
use crate::score::ScannedConversation;
use crate::scorecard::SheetScore;

/// Characters of context shown around a match in a long utterance.
const CONTEXT_CHARS: usize = 60;

/// A scanned conversation as reports see it.
#[derive(Debug, Serialize, Deserialize)]
pub struct ConversationRecord<'a> {
    pub file: Cow<'a, str>,
    pub id: Cow<'a, str>,
    pub agent: Cow<'a, str>,
    pub customer: Cow<'a, str>,
    /// When the call or chat took place, as the input or `--meta` gives it ("" if unknown).
    pub time: Cow<'a, str>,
    pub turns: usize,
    /// From the first turn's start to the last turn's end, where the input has times.
    pub duration_ms: Option<u64>,
    /// Worst counted severity; `None` when nothing counts.
    pub risk: Option<Severity>,
    pub score: u32,
    /// Counted categories, in `Category::ALL` order.
    pub categories: Cow<'a, [Category]>,
    /// Escalation actions, one per counted category, joined with `; `.
    pub escalation: String,
    /// Every finding, counted or not, in line order.
    pub findings: Vec<FindingRecord<'a>>,
    /// The score on the QA sheet: 0–100, fatal, the deductions (item ids, no text of the call).
    pub sheet: Cow<'a, SheetScore>,
}

/// One finding as reports see it: the fields of a `hits.csv` row, typed.
#[derive(Debug, Serialize, Deserialize)]
pub struct FindingRecord<'a> {
    /// Stable id of the finding ([`crate::review::hit_id`]), for QA's reviews.
    pub hit_id: String,
    pub line: usize,
    /// Offset into the call or message time, as the input gives it.
    pub time: Cow<'a, str>,
    pub speaker: Speaker,
    pub category: Category,
    pub severity: Severity,
    /// The dictionary term or pattern that found it.
    pub term: Cow<'a, str>,
    /// The words of the line that matched.
    pub matched: String,
    /// The line, or a window of it around the match.
    pub context: String,
    /// Counts towards the risk: not negated, hypothetical, quoted or in another sense.
    pub counted: bool,
    /// Why it does not count (`negated`, `hypothetical` …), "" when it counts; `ledger` for a
    /// counted repeat the ledger found (no words of the line say it).
    #[serde(deserialize_with = "reason_id")]
    pub reason: ReasonId,
    pub conditional: bool,
    /// A count said as a number (投诉了三次 → 3).
    pub count: Option<u32>,
    /// A count said in words that are no number (好几, 多), else "".
    pub count_said: Cow<'a, str>,
}

/// A reason id (`negated` …): one of the ids the code knows, so a `&'static str`. Named by an
/// alias because serde's derive would read a bare `&str` field as borrowed from the input.
pub type ReasonId = &'static str;

/// A problem (an input or a line that could not be scanned) as reports see it.
#[derive(Debug, Serialize, Deserialize)]
pub struct ProblemRecord<'a> {
    pub file: Cow<'a, str>,
    pub line: Option<usize>,
    pub reason: Cow<'a, str>,
}

impl<'a> ConversationRecord<'a> {
    /// `id_path` is the input's path relative to its scan root, which `hit_id`s are made of.
    pub fn new(
        file: &'a str,
        id_path: &str,
        scanned: &'a ScannedConversation,
        redact_numbers: bool,
    ) -> ConversationRecord<'a> {
        let mask = |text: &'a str| mask(text, redact_numbers);
        let c = &scanned.conversation;
        let a = &scanned.assessment;
        let hit_ids = crate::review::hit_id::HitIds::new(id_path, &c.id);
        let findings = scanned
            .findings
            .iter()
            .map(|line_finding| {
                let utterance = &c.utterances[line_finding.utterance];
                let f = &line_finding.finding;
                // A personal number shows masked even where redaction could not see it whole
                // (a number split over two lines).
                let (matched, context) = match (&f.said, &f.masked) {
                    // Found outside the line's words (the ledger): what it says instead.
                    (Some(said), _) => (said.matched.clone(), said.context.clone()),
                    (None, Some(masked)) if redact_numbers => {
                        let mut shown = utterance.text.clone();
                        shown.replace_range(f.span.clone(), masked);
                        let span = f.span.start..f.span.start + masked.len();
                        (masked.clone(), context_window(&shown, span))
                    }
                    _ => (
                        utterance.text[f.span.clone()].to_string(),
                        context_window(&utterance.text, f.span.clone()),
                    ),
                };
                // The id is made of masked words whatever --no-redact says: the same in both.
                let offset = utterance.text.get(..f.span.start).map_or(0, |t| t.chars().count());
                let words = match &f.masked {
                    Some(masked) => masked.clone(),
                    None => utterance.text.get(f.span.clone()).unwrap_or("").to_string(),
                };
                let hit_id = hit_ids.id(utterance.line, f.category.id(), offset, &words);
                let said = f.count.as_deref().unwrap_or("");
                let (count, count_said) = match said.parse::<u32>() {
                    Ok(n) => (Some(n), Cow::Borrowed("")),
                    Err(_) => (None, mask(said)),
                };
                FindingRecord {
                    hit_id,
                    line: utterance.line,
                    time: mask(&utterance.time),
                    speaker: utterance.speaker,
                    category: f.category,
                    severity: f.severity,
                    term: mask(&f.term),
                    matched: mask_owned(matched, redact_numbers),
                    context: mask_owned(context, redact_numbers),
                    counted: f.counts(),
                    reason: match (f.verdict, &f.said) {
                        (Verdict::NotCounted(reason), _) => reason.id(),
                        (_, Some(said)) => said.source,
                        _ => "",
                    },
                    conditional: f.conditional,
                    count,
                    count_said,
                }
            })
            .collect();
        ConversationRecord {
            file: mask(file),
            id: mask(&c.id),
            // Blank is absent: an agent of spaces is no agent in any report.
            agent: mask(c.agent.trim()),
            customer: mask(c.customer.trim()),
            time: mask(&c.time),
            turns: c.turns(),
            duration_ms: crate::detect::timing::duration_ms(c),
            risk: a.risk_level,
            score: a.score,
            categories: Cow::Borrowed(&a.categories),
            escalation: mask_owned(a.escalation.join("; "), redact_numbers),
            findings,
            sheet: Cow::Borrowed(&scanned.sheet),
        }
    }

    /// The call's length in whole seconds (rounded), "" where the input has no times.
    pub fn duration_s(&self) -> String {
        self.duration_ms
            .map(|ms| ((ms + 500) / 1000).to_string())
            .unwrap_or_default()
    }

    /// `none`, `low` … `critical`.
    pub fn risk_id(&self) -> &'static str {
        self.risk.map_or("none", Severity::id)
    }
}

impl<'a> ProblemRecord<'a> {
    pub fn new(problem: &'a InputProblem, redact_numbers: bool) -> ProblemRecord<'a> {
        // A reason may quote the line it could not read: masked like every other text.
        ProblemRecord {
            file: mask(&problem.file, redact_numbers),
            line: problem.line,
            reason: mask(&problem.reason, redact_numbers),
        }
    }
}

/// A reason read back from a shard: one of the ids [`Verdict`] gives, or "".
fn reason_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    use crate::detect::finding::Reason;
    let id = String::deserialize(deserializer)?;
    Reason::ALL
        .into_iter()
        .map(Reason::id)
        .chain([""])
        .find(|known| *known == id)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown reason `{id}`")))
}

fn mask(text: &str, redact_numbers: bool) -> Cow<'_, str> {
    if redact_numbers {
        redact(text)
    } else {
        Cow::Borrowed(text)
    }
}

fn mask_owned(text: String, redact_numbers: bool) -> String {
    match mask(&text, redact_numbers) {
        Cow::Borrowed(_) => text,
        Cow::Owned(masked) => masked,
    }
}

/// The whole utterance if short; else `…` and `CONTEXT_CHARS` characters either side, widened
/// so a number is never cut in two (its halves would escape redaction).
fn context_window(utterance: &str, span: Range<usize>) -> String {
    if utterance.chars().count() <= 2 * CONTEXT_CHARS + 40 {
        return utterance.to_string();
    }
    let numeric = |c: char| {
        c.is_ascii_digit() || c.is_whitespace() || "０１２３４５６７８９零〇洞幺一二两三四五六七八九-xX*@.".contains(c)
    };
    let mut from = utterance[..span.start]
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    while let Some(c) = utterance[..from].chars().next_back().filter(|c| numeric(*c)) {
        from -= c.len_utf8();
    }
    let mut to = utterance[span.end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(utterance.len(), |(i, _)| span.end + i);
    while let Some(c) = utterance[to..].chars().next().filter(|c| numeric(*c)) {
        to += c.len_utf8();
    }
    let mut window = String::new();
    if from > 0 {
        window.push('…');
    }
    window.push_str(&utterance[from..to]);
    if to < utterance.len() {
        window.push('…');
    }
    window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_utterances_are_cut_around_the_match_but_not_inside_a_number() {
        let long = format!("{}他的电话是13912345678{}", "啊".repeat(200), "嗯".repeat(200));
        let at = long.find("他的电话是").unwrap();
        let window = context_window(&long, at..at + "他的电话是".len());
        assert!(window.starts_with('…') && window.ends_with('…'));
        assert!(window.contains("13912345678"));
        assert!(window.chars().count() < 160);
        assert_eq!(context_window("我要投诉", 3..9), "我要投诉");
    }

    #[test]
    fn every_text_a_report_sees_is_masked_once_here() {
        let problem = InputProblem {
            file: "13912345678_20261122.txt".into(),
            line: Some(3),
            reason: "bad JSON near 客户电话13912345678".into(),
        };
        let masked = ProblemRecord::new(&problem, true);
        assert_eq!(masked.file, "139****5678_20261122.txt");
        assert!(!masked.reason.contains("13912345678"), "{}", masked.reason);
        let plain = ProblemRecord::new(&problem, false);
        assert_eq!(plain.reason, problem.reason);
    }
}
