//! The script detector: whether the agent said what the sheet asks, where it asks
//! ([`crate::script`] loads the rules from `script.toml`).
//!
//! Each line's cheap text goes through one small automaton holding every rule's words and
//! triggers; nothing here needs a line mapped back to the original, so a line with a greeting
//! costs no more than one without. What the terms and personal-number detectors found on the
//! same line (a threat, a number read out) is read as a trigger too. At the end of the
//! conversation each rule is [`Outcome::Met`] (with the line that met it), [`Outcome::Missed`]
//! (with the line where it was expected) or [`Outcome::NotApplicable`].
//!
//! A line of an unknown speaker may be either side's: it can meet an item and trigger one.

use crate::category::Speaker;
use crate::lexicon::Term;
use crate::matcher::{Candidate, Matcher};
use crate::script::{Position, ScriptBook, ScriptRule};
use crate::transcript::Conversation;

use super::finding::{Check, Outcome};
use super::{Detector, Judged, Lines};

/// One automaton for every rule's words (rule `i`) and triggers (rule `n + i`).
pub fn matcher(book: &ScriptBook) -> Matcher {
    let words = book.rules.iter().map(|r| r.terms.as_slice());
    let triggers = book.rules.iter().map(|r| r.triggers.as_slice());
    let all: Vec<&[Term]> = words.chain(triggers).collect();
    Matcher::for_terms(&all)
}

/// A line where a rule's words were said, or where it was triggered.
#[derive(Debug, Clone)]
struct Mark {
    utterance: usize,
    /// Turns of the rule's speaker up to and including this line.
    turn: usize,
    start_ms: Option<u64>,
    /// The words, as the rule writes them.
    words: String,
}

pub struct Script<'e> {
    book: &'e ScriptBook,
    matcher: &'e Matcher,
    candidates: Vec<Candidate>,
    /// Per rule: where its words were said, and where it was triggered.
    said: Vec<Vec<Mark>>,
    triggered: Vec<Vec<Mark>>,
    /// Turns so far of the agent and of the customer (an unknown speaker's count for both).
    turns: [usize; 2],
}

impl<'e> Script<'e> {
    pub fn new(book: &'e ScriptBook, matcher: &'e Matcher) -> Script<'e> {
        Script {
            book,
            matcher,
            candidates: Vec::new(),
            said: vec![Vec::new(); book.rules.len()],
            triggered: vec![Vec::new(); book.rules.len()],
            turns: [0, 0],
        }
    }
}

fn side(speaker: Speaker) -> usize {
    match speaker {
        Speaker::Customer => 1,
        _ => 0,
    }
}

/// A line said by `speaker` or by someone unknown (who may be them).
fn may_be(said_by: Speaker, speaker: Speaker) -> bool {
    said_by == speaker || said_by == Speaker::Unknown
}

impl Detector for Script<'_> {
    fn look(&mut self, lines: &Lines<'_>) -> bool {
        self.candidates.clear();
        if !self.book.rules.is_empty() {
            self.matcher.candidates(lines.text(), &mut self.candidates);
        }
        // Nothing here is judged on the mapped text.
        false
    }

    fn judge(&mut self, lines: &mut Lines<'_>, out: &mut Judged) {
        let utterance = lines.utterance();
        let index = lines.index();
        if !utterance.continued {
            match utterance.speaker {
                Speaker::Unknown => self.turns.iter_mut().for_each(|t| *t += 1),
                s => self.turns[side(s)] += 1,
            }
        }
        let rules = self.book.rules.len();
        let counted: Vec<_> = out
            .current()
            .iter()
            .filter(|f| f.counts())
            .map(|f| f.category)
            .collect();
        for (r, rule) in self.book.rules.iter().enumerate() {
            let mark = |words: String| Mark {
                utterance: index,
                turn: self.turns[side(rule.speaker)],
                start_ms: utterance.start_ms,
                words,
            };
            let words = |of: usize| {
                self.candidates
                    .iter()
                    .find(|c| c.rule == of)
                    .map(|c| lines.text()[c.start..c.end].to_string())
            };
            if may_be(utterance.speaker, rule.speaker)
                && let Some(said) = words(r)
            {
                let m = mark(said);
                self.said[r].push(m);
            }
            // Who triggers: the speaker themself for `before` (the agent reads out an account
            // detail), the other side for `after` (the customer complains).
            let (trigger_side, categories) = match &rule.position {
                Position::Before { categories } => (rule.speaker, categories),
                Position::After { categories, .. } => (other(rule.speaker), categories),
                _ => continue,
            };
            if !may_be(utterance.speaker, trigger_side) {
                continue;
            }
            let by_category = counted
                .iter()
                .find(|c| categories.contains(c))
                .map(|c| c.id().to_string());
            if let Some(trigger) = words(rules + r).or(by_category) {
                let m = mark(trigger);
                self.triggered[r].push(m);
            }
        }
    }

    fn finish(&mut self, conversation: &Conversation, out: &mut Judged) {
        for (r, rule) in self.book.rules.iter().enumerate() {
            for check in outcomes(rule, &self.said[r], &self.triggered[r], conversation) {
                out.check(check);
            }
        }
    }
}

fn other(speaker: Speaker) -> Speaker {
    match speaker {
        Speaker::Agent => Speaker::Customer,
        Speaker::Customer => Speaker::Agent,
        Speaker::Unknown => Speaker::Unknown,
    }
}

/// The verdict on one rule in a conversation: one check, or for a rule that answers something,
/// one per complaint left unanswered.
fn outcomes(rule: &ScriptRule, said: &[Mark], triggered: &[Mark], conversation: &Conversation) -> Vec<Check> {
    match &rule.position {
        Position::After { turns, .. } => answers(rule, said, triggered, *turns, conversation),
        _ => vec![outcome(rule, said, triggered, conversation)],
    }
}

/// The verdict on a rule with a first, last or before position.
fn outcome(rule: &ScriptRule, said: &[Mark], triggered: &[Mark], conversation: &Conversation) -> Check {
    let utterances = &conversation.utterances;
    let turns_of = |speaker: Speaker| -> Vec<usize> {
        (0..utterances.len())
            .filter(|&i| !utterances[i].continued && may_be(utterances[i].speaker, speaker))
            .collect()
    };
    let own = turns_of(rule.speaker);
    let check = |outcome, at: Option<&Mark>, utterance: Option<usize>, detail: String| Check {
        id: rule.id.clone(),
        outcome,
        utterance: at.map(|m| m.utterance).or(utterance),
        at_ms: at
            .and_then(|m| m.start_ms)
            .or_else(|| utterance.and_then(|u| utterances[u].start_ms)),
        duration_ms: None,
        detail,
    };
    let met = |m: &Mark| check(Outcome::Met, Some(m), None, format!("said «{}»", m.words));
    if own.is_empty() {
        return check(
            Outcome::NotApplicable,
            None,
            None,
            format!("no turn of the {}", rule.speaker.id()),
        );
    }
    let where_expected = rule.position.describe();
    let first_ms = utterances.iter().find_map(|u| u.start_ms);
    let last_ms = utterances.iter().filter_map(|u| u.end_ms.or(u.start_ms)).max();
    match &rule.position {
        Position::First { turns, seconds } => {
            let in_time = |m: &Mark| match (seconds, m.start_ms, first_ms) {
                (Some(s), Some(at), Some(first)) => (at.saturating_sub(first) as f64) <= s * 1000.0,
                _ => false,
            };
            match said.iter().find(|m| m.turn <= *turns || in_time(m)) {
                Some(m) => met(m),
                None => check(
                    Outcome::Missed,
                    None,
                    own.first().copied(),
                    format!("not said {where_expected}"),
                ),
            }
        }
        Position::Last { turns, seconds } => {
            let total = own.len();
            let in_time = |m: &Mark| match (seconds, m.start_ms, last_ms) {
                (Some(s), Some(at), Some(last)) => (last.saturating_sub(at) as f64) <= s * 1000.0,
                _ => false,
            };
            match said.iter().rev().find(|m| m.turn + turns > total || in_time(m)) {
                Some(m) => met(m),
                None => check(
                    Outcome::Missed,
                    None,
                    own.last().copied(),
                    format!("not said {where_expected}"),
                ),
            }
        }
        Position::Before { .. } => {
            let Some(trigger) = triggered.first() else {
                return check(
                    Outcome::NotApplicable,
                    None,
                    None,
                    "no account detail or number read out".into(),
                );
            };
            match said.iter().find(|m| m.utterance <= trigger.utterance) {
                Some(m) => met(m),
                None => check(
                    Outcome::Missed,
                    Some(trigger),
                    None,
                    format!("not said before «{}»", trigger.words),
                ),
            }
        }
        Position::After { .. } => check(Outcome::NotApplicable, None, None, String::new()),
    }
}

/// A rule said in answer to something: met when every trigger (a complaint and the lines
/// within `turns` after it, which are the same complaint going on) was answered in time; one
/// missed check per trigger left unanswered, at the line that triggered it.
fn answers(
    rule: &ScriptRule,
    said: &[Mark],
    triggered: &[Mark],
    turns: usize,
    conversation: &Conversation,
) -> Vec<Check> {
    let utterances = &conversation.utterances;
    let check = |outcome, m: &Mark, detail: String| Check {
        id: rule.id.clone(),
        outcome,
        utterance: Some(m.utterance),
        at_ms: m.start_ms,
        duration_ms: None,
        detail,
    };
    if !utterances
        .iter()
        .any(|u| !u.continued && may_be(u.speaker, rule.speaker))
    {
        return vec![Check {
            id: rule.id.clone(),
            outcome: Outcome::NotApplicable,
            utterance: None,
            at_ms: None,
            duration_ms: None,
            detail: format!("no turn of the {}", rule.speaker.id()),
        }];
    }
    let mut groups: Vec<(&Mark, usize)> = Vec::new();
    for t in triggered {
        match groups.last_mut() {
            Some((_, until)) if t.turn < *until => *until = t.turn + turns,
            _ => groups.push((t, t.turn + turns)),
        }
    }
    let mut checks = Vec::new();
    let mut answered = None;
    for (first, until) in groups {
        match said.iter().find(|m| m.utterance > first.utterance && m.turn <= until) {
            Some(m) => {
                answered.get_or_insert(m);
            }
            None => checks.push(check(
                Outcome::Missed,
                first,
                format!("not said within {turns} turns after «{}»", first.words),
            )),
        }
    }
    match (checks.is_empty(), answered) {
        (true, Some(m)) => vec![check(Outcome::Met, m, format!("said «{}»", m.words))],
        (true, None) => vec![Check {
            id: rule.id.clone(),
            outcome: Outcome::NotApplicable,
            utterance: None,
            at_ms: None,
            duration_ms: None,
            detail: "nothing to answer".into(),
        }],
        (false, _) => checks,
    }
}
