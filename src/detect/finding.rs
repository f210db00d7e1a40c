//! Findings: what every detector produces, one kind of value whatever found it.
//!
//! A [`Finding`] is a judged mention in one utterance: its category, the words, where they are
//! (in the original text and in the normalised one), and the verdict: counted, reported but
//! not counted (with a [`Reason`]), or dropped (with a [`Dropped`] cause, for `explain`).
//! [`shadow_nested`] and [`dedupe`] work on the findings of one line whatever detector made
//! them, so a personal number and a dictionary term on the same line are weighed together.

use std::ops::Range;

use crate::category::{Category, Severity};
use crate::privacy::PersonalKind;

/// Why a mention is reported but does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Negated,
    Hypothetical,
    Quoted,
    OtherSense,
    /// QA marked the same words in the same context wrong (an `[[exclude]]`).
    ReviewedFp,
}

impl Reason {
    pub const ALL: [Reason; 4] = [
        Reason::Negated,
        Reason::Hypothetical,
        Reason::Quoted,
        Reason::OtherSense,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Reason::Negated => "negated",
            Reason::Hypothetical => "hypothetical",
            Reason::Quoted => "quoted",
            Reason::OtherSense => "other-sense",
            Reason::ReviewedFp => "reviewed-fp",
        }
    }
}

/// Why a candidate is not a finding at all (shown by `explain`, never in reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    WrongSpeaker,
    PartOfWord,
    NoContext,
    /// An `after_line` rule whose line before names none of its words.
    NotAfterLine,
    Shadowed,
}

impl Dropped {
    pub fn describe(self) -> &'static str {
        match self {
            Dropped::WrongSpeaker => "said by the other side",
            Dropped::PartOfWord => "part of a longer word",
            Dropped::NoContext => "none of the rule's `near` words around it",
            Dropped::NotAfterLine => "the line before names none of the rule's `after_line` words",
            Dropped::Shadowed => "inside a longer finding on the same line",
        }
    }
}

/// The verdict on one mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Counted,
    NotCounted(Reason),
    Dropped(Dropped),
}

/// A judged mention in one utterance.
#[derive(Debug, Clone)]
pub struct Finding {
    pub category: Category,
    pub severity: Severity,
    /// The lexicon term as written, or the detector's name (手机号 …).
    pub term: String,
    /// Index of the lexicon rule, `None` for the personal-number detectors.
    pub rule: Option<usize>,
    /// Byte range in the original utterance text.
    pub span: Range<usize>,
    /// Byte range in the normalised text, for ordering and overlap.
    pub normalized: Range<usize>,
    pub verdict: Verdict,
    pub conditional: bool,
    pub count: Option<String>,
    pub personal: Option<PersonalKind>,
    /// For personal numbers: the masked number, shown instead of the span in reports.
    pub masked: Option<String>,
    /// For a finding that is no words of the line (the ledger's repeat complaints): what
    /// reports show as matched and as context instead of the line's text.
    pub said: Option<Said>,
}

/// What a finding found outside the line's words, as reports show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    /// What reports show as `reason` (it still counts): where the finding came from.
    pub source: &'static str,
    pub matched: String,
    pub context: String,
}

impl Finding {
    pub fn counts(&self) -> bool {
        self.verdict == Verdict::Counted
    }

    /// Whether the finding belongs in reports (counted or not-counted with a reason).
    pub fn reported(&self) -> bool {
        !matches!(self.verdict, Verdict::Dropped(_))
    }
}

/// A finding strictly inside a longer one of another category on the same line is the
/// longer one's part (曝光 inside 网上曝光, 12315 inside an incite phrase).
pub fn shadow_nested(findings: &mut [Finding]) {
    for i in 0..findings.len() {
        if !findings[i].reported() {
            continue;
        }
        let outer = findings[i].normalized.clone();
        let category = findings[i].category;
        let counts = findings[i].counts();
        for inner in findings.iter_mut().skip(i + 1) {
            let r = &inner.normalized;
            // Sorted by start: nothing further starts inside the outer one.
            if r.start >= outer.end {
                break;
            }
            let nested = outer.start <= r.start && r.end <= outer.end && outer.len() > r.len();
            if nested && inner.category != category && counts && inner.reported() {
                inner.verdict = Verdict::Dropped(Dropped::Shadowed);
            }
        }
    }
}

/// What reports keep of one line: per category, one finding. A counted one beats one that
/// does not count; among equals, one that carries a count (投诉了三次), then the earlier, then
/// the longer (拉横幅 over 横幅), then the one the dictionary words most simply (the term
/// 您是要投诉吗 over a pattern that found the same words). A personal number beats a phrase of
/// its category (对方的电话是 before the number): reports mask the kept finding's span, so the
/// number must be the one kept.
pub fn dedupe(findings: Vec<Finding>) -> Vec<Finding> {
    let rank = |f: &Finding| {
        (
            f.counts(),
            f.personal.is_some(),
            f.count.is_some(),
            std::cmp::Reverse(f.normalized.start),
            f.normalized.len(),
            std::cmp::Reverse(f.term.len()),
        )
    };
    let mut kept: Vec<Finding> = Vec::new();
    for f in findings.into_iter().filter(Finding::reported) {
        match kept.iter_mut().find(|k| k.category == f.category) {
            None => kept.push(f),
            Some(k) if rank(&f) > rank(k) => *k = f,
            Some(_) => {}
        }
    }
    kept.sort_by_key(|f| f.normalized.start);
    kept
}

/// How a conversation fared on one item of the QA sheet that is about its structure (a script
/// item, a timing measure) rather than about words on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Said where it should be, or nothing went wrong.
    Met,
    /// Not said where it should be, or a silence, an overtalk, a speech rate out of band: one
    /// occurrence on the sheet.
    Missed,
    /// Nothing called for it (no complaint to apologise for), or the input has no times.
    NotApplicable,
}

impl Outcome {
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::Missed => "missed",
            Outcome::NotApplicable => "not applicable",
        }
    }
}

/// A finding about a conversation's structure: `script.greeting` met on a line, missed where
/// it was expected, a `timing.silence` of 14 s after a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// `script.greeting`, `timing.silence` …: never one of the sixteen category ids.
    pub id: String,
    pub outcome: Outcome,
    /// The utterance where it was met, where it was expected, or where it happened.
    pub utterance: Option<usize>,
    /// When, in milliseconds into the call, if the input has times.
    pub at_ms: Option<u64>,
    /// How long (a silence, an overlap), if it has one.
    pub duration_ms: Option<u64>,
    /// What happened, for reports and `explain`: the words that met it, or why it is missed.
    pub detail: String,
}
