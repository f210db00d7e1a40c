//! The ledger's finding: a `threat.repeat` that no words of the call say, found because the
//! ledger ([`crate::ledger`]) holds the customer's earlier complaints about the same problem.
//!
//! It is a finding like any other (hits.csv, conversations.csv, the workbook, the page, JSON
//! Lines), on the customer's first complaint line, counted, with `reason` `ledger`, the count,
//! and the earlier calls' dates and (masked) ids as its context. Its severity is the seeds'
//! suspected crisis: at least high, as for a customer who says 第四次投诉 (see [`super::terms`]);
//! the escalation is the category's, as for every finding.

use crate::category::{Category, Severity};
use crate::config::Engine;
use crate::score::{LineFinding, ScannedConversation, assess};

use super::finding::{Finding, Said, Verdict};

/// What `reason` says for a ledger finding (it counts).
pub const SOURCE: &str = "ledger";

/// The ledger's verdict on one conversation: its complaint is the `count`th about `topic`
/// within `window_days`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    pub count: u32,
    pub window_days: u32,
    pub topic: String,
    /// The latest earlier complaints: (date, masked conversation id), oldest first.
    pub earlier: Vec<(String, String)>,
    /// Earlier complaints beyond those listed.
    pub more_earlier: usize,
    /// The utterance the finding is shown on.
    pub utterance: usize,
}

impl Repeat {
    /// The finding, as every report shows it.
    pub fn finding(&self, engine: &Engine) -> Finding {
        let listed: Vec<String> = self.earlier.iter().map(|(date, id)| format!("{date} {id}")).collect();
        let more = match self.more_earlier {
            0 => String::new(),
            n => format!("，另有更早{n}次"),
        };
        Finding {
            category: Category::ThreatRepeat,
            severity: engine
                .lexicon
                .category(Category::ThreatRepeat)
                .severity
                .max(Severity::High),
            term: "投诉台账".to_string(),
            rule: None,
            span: 0..0,
            normalized: 0..0,
            verdict: Verdict::Counted,
            conditional: false,
            count: Some(self.count.to_string()),
            personal: None,
            masked: None,
            said: Some(Said {
                source: SOURCE,
                matched: format!("同一问题第{}次投诉", self.count),
                // `--repeat-after 1` flags a first complaint: it has no earlier calls to list.
                context: if listed.is_empty() {
                    format!("问题：{}；{}天内第{}次投诉", self.topic, self.window_days, self.count)
                } else {
                    format!(
                        "问题：{}；{}天内第{}次投诉；此前：{}{more}",
                        self.topic,
                        self.window_days,
                        self.count,
                        listed.join("、")
                    )
                },
            }),
        }
    }

    /// `scanned` with this finding on its line (after the line's own findings) and assessed
    /// again; `None` when `--min-severity` leaves it out or the call has no lines.
    pub fn apply(
        &self,
        scanned: &ScannedConversation,
        engine: &Engine,
        min_severity: Severity,
    ) -> Option<ScannedConversation> {
        let finding = self.finding(engine);
        let lines = scanned.conversation.utterances.len();
        if finding.severity < min_severity || lines == 0 {
            return None;
        }
        let utterance = self.utterance.min(lines - 1);
        let mut with = scanned.clone();
        let at = with.findings.partition_point(|f| f.utterance <= utterance);
        with.findings.insert(at, LineFinding { utterance, finding });
        with.assessment = assess(&with.findings, &engine.lexicon);
        Some(with)
    }
}
