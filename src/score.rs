//! Scoring: a conversation's findings → its risk level, score, categories and escalation.
//!
//! The score adds each counted finding's severity weight (low 1, medium 3, high 6,
//! critical 10); the risk level is the worst counted severity. Escalation actions come from
//! the lexicon files, one per counted category, in category order. The QA sheet's score is
//! [`crate::scorecard`]'s.

use crate::category::{Category, Severity};
use crate::detect::finding::{Check, Finding};
use crate::lexicon::Lexicon;
use crate::scorecard::SheetScore;
use crate::transcript::Conversation;

/// A finding and the utterance (index into `Conversation::utterances`) it was found in.
#[derive(Debug, Clone)]
pub struct LineFinding {
    pub utterance: usize,
    pub finding: Finding,
}

/// A conversation after scanning: what reports are written from.
#[derive(Debug, Clone)]
pub struct ScannedConversation {
    pub conversation: Conversation,
    pub findings: Vec<LineFinding>,
    pub assessment: Assessment,
    /// Script items met or missed, silences, overtalk, speech rate.
    pub checks: Vec<Check>,
    /// The score on the QA sheet.
    pub sheet: SheetScore,
}

/// The verdict on a whole conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assessment {
    /// Worst counted severity; `None` when nothing counts.
    pub risk_level: Option<Severity>,
    pub score: u32,
    /// Counted categories, in `Category::ALL` order.
    pub categories: Vec<Category>,
    pub escalation: Vec<String>,
}

impl Assessment {
    pub fn risk_id(&self) -> &'static str {
        self.risk_level.map_or("none", Severity::id)
    }
}

pub fn assess(findings: &[LineFinding], lexicon: &Lexicon) -> Assessment {
    let counted = || findings.iter().map(|f| &f.finding).filter(|f| f.counts());
    let categories: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| counted().any(|f| f.category == *c))
        .collect();
    let mut escalation: Vec<String> = Vec::new();
    for category in &categories {
        let action = lexicon.category(*category).escalation;
        if !action.is_empty() && !escalation.contains(&action) {
            escalation.push(action);
        }
    }
    Assessment {
        risk_level: counted().map(|f| f.severity).max(),
        score: counted().map(|f| f.severity.weight()).sum(),
        categories,
        escalation,
    }
}
