//! The terms detector: the dictionaries' terms and patterns, found by the one automaton
//! ([`crate::matcher`], run once per line by [`super::Lines`]) and confirmed in their clause by the context stage ([`Context`]).
//!
//! What is particular to a category's terms and is no matter of context lives here: the
//! fourth complaint about the same problem (a `threat.repeat` count of four or more) is a
//! suspected crisis, raised to high before its clause is read.

use crate::category::{Category, Severity};
use crate::config::Engine;
use crate::context::Context;
use crate::lexicon::Rule;
use crate::matcher::Candidate;
use crate::pattern::count_at_least;

use super::{Detector, Judged, Lines};

/// Complaints about one problem from which a repeat is a suspected crisis.
const CRISIS_REPEATS: u32 = 4;

pub struct Terms<'e> {
    /// Candidates below this rule index are the lexicon's (the rest are script triggers).
    primary: usize,
    context: Context<'e>,
    /// Candidates of the current line, reused from line to line.
    candidates: Vec<Candidate>,
}

impl<'e> Terms<'e> {
    pub fn new(engine: &'e Engine) -> Terms<'e> {
        Terms {
            primary: engine.matcher.primary(),
            context: Context::new(&engine.lexicon, &engine.segmenter),
            candidates: Vec::new(),
        }
    }
}

/// A term's severity before its clause is read: its rule's, or high for a repeat counted
/// [`CRISIS_REPEATS`] times or more.
pub fn severity(rule: &Rule, count: Option<&str>) -> Severity {
    let crisis =
        rule.category == Category::ThreatRepeat && count.and_then(count_at_least).is_some_and(|n| n >= CRISIS_REPEATS);
    if crisis {
        rule.severity.max(Severity::High)
    } else {
        rule.severity
    }
}

impl Detector for Terms<'_> {
    fn look(&mut self, lines: &Lines<'_>) -> bool {
        self.candidates.clear();
        let primary = self.primary;
        self.candidates
            .extend(lines.found().iter().filter(|c| c.rule < primary).copied());
        !self.candidates.is_empty()
    }

    fn judge(&mut self, lines: &mut Lines<'_>, out: &mut Judged) {
        if self.candidates.is_empty() {
            return;
        }
        let speaker = lines.speaker();
        let (text, previous) = lines.mapped_after();
        self.context
            .judge(speaker, text, previous, &self.candidates, severity, out.current());
    }
}
