//! The script detector: whether the agent said what the sheet asks, where it asks
//! ([`crate::script`] loads the rules from `script.toml`).
//!
//! Cheap first, like the rest: a rule's triggers (a complaint, an account detail) are literals
//! of the one automaton every line goes through anyway, and what the terms and personal-number
//! detectors found on a line (a threat, a number read out) is read as a trigger too. A rule's
//! own words are looked for only where they could meet it: in the speaker's first turns as they
//! come; and, at the end of the call, in the last turns, in the lines before the first account
//! detail, and in the turns after each complaint. Most lines of a call are never searched for
//! them. At the end each rule is [`Outcome::Met`] (with the line that met it),
//! [`Outcome::Missed`] (with the line where it was expected) or [`Outcome::NotApplicable`].
//!
//! A line of an unknown speaker may be either side's: it can meet an item and trigger one.
//! Words said right after a negator (我不会道歉, 没有跟您说抱歉, 不用谢谢我) are not said: see
//! [`after_negator`].

use crate::category::Speaker;
use crate::matcher::{Candidate, Matcher};
use crate::normalize::{Normalized, normalize_text_into};
use crate::script::{Position, ScriptBook, ScriptRule};
use crate::transcript::Conversation;

use super::finding::{Check, Outcome};
use super::{Detector, Judged, Lines};

/// The automaton of every rule's words (candidate `rule` = the script rule's index); the
/// triggers are in the scan's one automaton ([`Matcher::new`]).
pub fn matcher(book: &ScriptBook) -> Matcher {
    let words: Vec<&[crate::lexicon::Term]> = book.rules.iter().map(|r| r.terms.as_slice()).collect();
    Matcher::for_terms(&words)
}

/// A line where a rule's words were said, or where it was triggered.
#[derive(Debug, Clone)]
struct Mark {
    utterance: usize,
    /// Turns of the rule's speaker up to and including this line.
    turn: usize,
    start_ms: Option<u64>,
    /// The words, as said (normalised), or the category that triggered it.
    words: String,
}

pub struct Script<'e> {
    book: &'e ScriptBook,
    words: &'e Matcher,
    /// Candidates of the one automaton from this rule index on are script triggers.
    primary: usize,
    /// Per rule: where its words were said (first-turn rules, as lines come) and where it was
    /// triggered.
    said: Vec<Vec<Mark>>,
    triggered: Vec<Vec<Mark>>,
    /// Turns so far of the agent and of the customer (an unknown speaker's count for both),
    /// and per utterance the two counts at it.
    turns: [usize; 2],
    turn_at: Vec<[usize; 2]>,
    /// The call's first start time, once seen.
    first_ms: Option<u64>,
    /// Scratch for matching words.
    candidates: Vec<Candidate>,
    /// Each line's normalised text as the line pass had it, one after the other, and where
    /// each line's is: the end of the call searches some of them again without normalising
    /// them a second time.
    texts: String,
    text_at: Vec<std::ops::Range<usize>>,
    /// `context.toml`'s negators: a rule's words right after one are not said.
    negators: &'e [String],
}

/// Characters that may stand between a negator and the words it takes back (没有跟您道歉):
/// more would reach across a clause an ASR line did not punctuate (我们也没办法真的很抱歉).
const NEGATOR_GAP: usize = 2;

/// Whether the words at `start` of normalised `text` follow a negator of `negators` with at
/// most [`NEGATOR_GAP`] characters, none of them a pause or punctuation, between.
fn after_negator(text: &str, start: usize, negators: &[String]) -> bool {
    let mut end = start;
    let mut before = text[..start].chars().rev();
    for _ in 0..=NEGATOR_GAP {
        if negators.iter().any(|n| text[..end].ends_with(n.as_str())) {
            return true;
        }
        match before.next() {
            Some(c) if c.is_alphanumeric() => end -= c.len_utf8(),
            _ => return false,
        }
    }
    false
}

impl<'e> Script<'e> {
    pub fn new(book: &'e ScriptBook, words: &'e Matcher, primary: usize, negators: &'e [String]) -> Script<'e> {
        Script {
            book,
            words,
            primary,
            said: vec![Vec::new(); book.rules.len()],
            triggered: vec![Vec::new(); book.rules.len()],
            turns: [0, 0],
            turn_at: Vec::new(),
            first_ms: None,
            candidates: Vec::new(),
            texts: String::new(),
            text_at: Vec::new(),
            negators,
        }
    }

    /// The words of `rule` said in normalised `text`, if any.
    fn said_in(&mut self, text: &str, rule: usize) -> Option<String> {
        self.candidates.clear();
        self.words.candidates(text, &mut self.candidates);
        self.candidates
            .iter()
            .find(|c| c.rule == rule && !after_negator(text, c.start, self.negators))
            .map(|c| text[c.start..c.end].to_string())
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
    fn look(&mut self, _: &Lines<'_>) -> bool {
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
        self.turn_at.push(self.turns);
        if index == self.text_at.len() {
            let start = self.texts.len();
            self.texts.push_str(lines.text());
            self.text_at.push(start..self.texts.len());
        }
        if self.first_ms.is_none() {
            self.first_ms = utterance.start_ms;
        }
        // Most lines trigger nothing and are past the first turns: nothing to do.
        let primary = self.primary;
        let any_trigger = lines.found().iter().any(|c| c.rule >= primary);
        let any_counted = out.current().iter().any(|f| f.counts());
        for r in 0..self.book.rules.len() {
            let rule = &self.book.rules[r];
            let turn = self.turns[side(rule.speaker)];
            let mark = |words: String| Mark {
                utterance: index,
                turn,
                start_ms: utterance.start_ms,
                words,
            };
            // Who triggers: the speaker themself for `before` (the agent reads out an account
            // detail), the other side for `after` (the customer complains).
            let (trigger_side, categories) = match &rule.position {
                Position::Before { categories } => (rule.speaker, categories),
                Position::After { categories, .. } => (other(rule.speaker), categories),
                Position::First { turns, seconds } => {
                    let early = turn <= *turns
                        || match (seconds, utterance.start_ms, self.first_ms) {
                            (Some(s), Some(at), Some(first)) => (at.saturating_sub(first) as f64) <= s * 1000.0,
                            _ => false,
                        };
                    if early
                        && may_be(utterance.speaker, rule.speaker)
                        && self.said[r].is_empty()
                        && let Some(words) = self.said_in(lines.text(), r)
                    {
                        self.said[r].push(mark(words));
                    }
                    continue;
                }
                Position::Last { .. } => continue,
            };
            let first_only = matches!(rule.position, Position::Before { .. });
            if !(any_trigger || any_counted)
                || !may_be(utterance.speaker, trigger_side)
                || (first_only && !self.triggered[r].is_empty())
            {
                continue;
            }
            let trigger = self.primary + r;
            let by_words = lines
                .found()
                .iter()
                .find(|c| c.rule == trigger)
                .map(|c| lines.text()[c.start..c.end].to_string());
            let by_category = || {
                out.current()
                    .iter()
                    .find(|f| f.counts() && categories.contains(&f.category))
                    .map(|f| f.category.id().to_string())
            };
            if let Some(words) = by_words.or_else(by_category) {
                self.triggered[r].push(mark(words));
            }
        }
    }

    fn finish(&mut self, conversation: &Conversation, out: &mut Judged) {
        // The lines where each rule's words could still meet it, each line normalised and
        // matched once for all the rules that want it.
        let wanted: Vec<Vec<usize>> = (0..self.book.rules.len())
            .map(|r| self.lines_to_search(r, conversation))
            .collect();
        let mut all: Vec<usize> = wanted.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        let mut normalized = Normalized::default();
        let mut hits: Vec<(usize, String)> = Vec::new();
        for u in all {
            let text = match self.text_at.get(u) {
                Some(at) => &self.texts[at.clone()],
                None => {
                    normalize_text_into(&conversation.utterances[u].text, &mut normalized);
                    normalized.text.as_str()
                }
            };
            self.candidates.clear();
            self.words.candidates(text, &mut self.candidates);
            hits.clear();
            for c in &self.candidates {
                let new_rule = !hits.iter().any(|(r, _)| *r == c.rule);
                if new_rule && wanted[c.rule].binary_search(&u).is_ok() && !after_negator(text, c.start, self.negators)
                {
                    hits.push((c.rule, text[c.start..c.end].to_string()));
                }
            }
            for (r, words) in hits.drain(..) {
                let rule = &self.book.rules[r];
                self.said[r].push(Mark {
                    utterance: u,
                    turn: self.turn_at[u][side(rule.speaker)],
                    start_ms: conversation.utterances[u].start_ms,
                    words,
                });
            }
        }
        for r in 0..self.book.rules.len() {
            self.said[r].sort_by_key(|m| m.utterance);
            for check in outcomes(&self.book.rules[r], &self.said[r], &self.triggered[r], conversation) {
                out.check(check);
            }
        }
    }
}

impl Script<'_> {
    /// The utterances where rule `r`'s words are looked for at the end: the speaker's last
    /// turns (and lines in the last seconds), the lines up to the first trigger, the turns
    /// after each trigger. First-turn rules were searched as the lines came.
    fn lines_to_search(&self, r: usize, conversation: &Conversation) -> Vec<usize> {
        let rule = &self.book.rules[r];
        let utterances = &conversation.utterances;
        let own = |u: usize| may_be(utterances[u].speaker, rule.speaker);
        let turn = |u: usize| self.turn_at.get(u).map_or(0, |t| t[side(rule.speaker)]);
        let n = utterances.len().min(self.turn_at.len());
        match &rule.position {
            Position::First { .. } => Vec::new(),
            Position::Last { turns, seconds } => {
                let total = self.turns[side(rule.speaker)];
                let last_ms = utterances.iter().filter_map(|u| u.end_ms.or(u.start_ms)).max();
                (0..n)
                    .filter(|&u| own(u))
                    .filter(|&u| {
                        turn(u) + turns > total
                            || match (seconds, utterances[u].start_ms, last_ms) {
                                (Some(s), Some(at), Some(last)) => (last.saturating_sub(at) as f64) <= s * 1000.0,
                                _ => false,
                            }
                    })
                    .collect()
            }
            Position::Before { .. } => match self.triggered[r].first() {
                Some(t) => (0..=t.utterance.min(n.saturating_sub(1))).filter(|&u| own(u)).collect(),
                None => Vec::new(),
            },
            Position::After { turns, .. } => {
                let mut wanted: Vec<usize> = Vec::new();
                for t in &self.triggered[r] {
                    let until = t.turn + turns;
                    wanted.extend(
                        (t.utterance + 1..n)
                            .take_while(|&u| turn(u) <= until)
                            .filter(|&u| own(u)),
                    );
                }
                wanted.sort_unstable();
                wanted.dedup();
                wanted
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
        // Answers are weighed per complaint by `answers`, which `outcomes` calls instead.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_right_after_a_negator_are_not_said() {
        let negators: Vec<String> = ["不", "不会", "没", "没有", "不用", "没办法"]
            .into_iter()
            .map(String::from)
            .collect();
        // (line, the words, taken back)
        let cases = [
            ("我不会跟您道歉的", "跟您道歉", true),
            ("这个我们不需要抱歉", "抱歉", true),
            ("我们没有跟您说抱歉吗", "抱歉", false),
            ("实在不好意思让您久等了", "不好意思", false),
            ("我们也没办法真的很抱歉", "抱歉", false),
            ("系统故障没办法，抱歉", "抱歉", false),
            ("非常抱歉，没能及时处理", "抱歉", false),
            ("您好", "您好", false),
        ];
        for (line, words, want) in cases {
            let start = line.find(words).unwrap();
            assert_eq!(after_negator(line, start, &negators), want, "{line}");
        }
    }
}
