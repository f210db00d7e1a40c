//! Confirmation: which candidates are findings, and which of those count.
//!
//! Each candidate from the matcher is judged in its utterance (for the terms detector,
//! `detect::terms`): the speaker rule (threats from the customer, taboos from the agent), whole
//! words (jieba, through `segment`), the rule's `near` / `unless` / `unless_near` context,
//! then the clause around it: negated (我不会去找媒体), hypothetical (如果是质量问题…), quoted
//! (上次你们同事说一定给我解决) or another sense of the word. Conditional threats
//! (不给我解决我就…, 否则…) count and are raised one severity level.
//!
//! A clause ends at clause punctuation and, in ASR output without punctuation, at a pause (a
//! space the normaliser dropped between two Chinese characters, see [`Normalized::pauses`]):
//! in 我也不知道怎么办 我要去12315投诉 the 不 of the first clause does not reach the second.
//! Pauses bound what the markers reach; the term match and jieba's words ignore them.
//!
//! Promise: spans in the original text, and a reason for every mention that does not count.

use std::ops::Range;

use crate::category::{Severity, Speaker};
use crate::detect::finding::{Dropped, Finding, Reason, Verdict};
use crate::lexicon::{Lexicon, Markers, Rule};
use crate::matcher::Candidate;
use crate::normalize::Normalized;
use crate::pattern::count_value;
use crate::segment::{Segmenter, is_whole_word};

/// The context stage: borrows the lexicon and segmenter, judges one utterance at a time.
pub struct Context<'a> {
    lexicon: &'a Lexicon,
    segmenter: &'a Segmenter,
}

/// The utterance being judged: its text, the line before it, and its clause-ending pauses.
struct Line<'l> {
    text: &'l Normalized,
    previous: &'l str,
    pauses: &'l [usize],
}

/// What the clause around a mention says about it.
#[derive(Debug, Default, Clone, Copy)]
struct Reading {
    reason: Option<Reason>,
    conditional: bool,
}

impl<'a> Context<'a> {
    pub fn new(lexicon: &'a Lexicon, segmenter: &'a Segmenter) -> Context<'a> {
        Context { lexicon, segmenter }
    }

    /// Judge every candidate of one utterance into `out`, in the order given, dropped ones
    /// included. `previous` is the line before, normalised ("" on the first line), for rules
    /// that count only after a line naming something (`after_line`). `severity` is a candidate's severity before its clause is read, from its rule
    /// and the count it said (the terms detector's own rules, such as the repeat count); a
    /// conditional threat is then raised one level.
    pub fn judge(
        &self,
        speaker: Speaker,
        text: &Normalized,
        previous: &str,
        candidates: &[Candidate],
        severity: impl Fn(&Rule, Option<&str>) -> Severity,
        out: &mut Vec<Finding>,
    ) {
        let mut words = WordCache::default();
        let pauses = self.clause_pauses(text);
        for candidate in candidates.iter().filter(|c| fits(&text.text, c.start, c.end)) {
            let line = Line {
                text,
                previous,
                pauses: &pauses,
            };
            out.push(self.judge_candidate(speaker, &line, candidate, &severity, &mut words));
        }
    }

    /// The pauses of `text` that end a clause. None on a line spaced word by word
    /// (我 不 会 去 找 记 者: see [`WORD_SPACED_RUN`]), and none right after a word that governs
    /// what follows it (a negator, 如果, 否则, 就 …): in 我不会 去找记者 the speaker hesitates
    /// inside one clause.
    fn clause_pauses(&self, text: &Normalized) -> Vec<usize> {
        let pauses = text.pauses();
        if pauses.len() == 0 {
            return Vec::new();
        }
        let s = &text.text;
        if s.chars().count() <= WORD_SPACED_RUN * (pauses.len() + 1) {
            return Vec::new();
        }
        let m = &self.lexicon.markers;
        let governing = [
            &m.negators,
            &m.double_negations,
            &m.hypothetical,
            &m.conditional,
            &m.consequence,
            &m.negation_breakers,
        ];
        pauses
            .filter(|&p| {
                !governing
                    .iter()
                    .any(|list| list.iter().any(|w| s[..p].ends_with(w.as_str())))
            })
            .collect()
    }

    fn judge_candidate(
        &self,
        speaker: Speaker,
        line: &Line<'_>,
        c: &Candidate,
        severity: &impl Fn(&Rule, Option<&str>) -> Severity,
        words: &mut WordCache,
    ) -> Finding {
        let (text, pauses) = (line.text, line.pauses);
        let rule = &self.lexicon.rules[c.rule];
        let term = &rule.terms[c.term];
        let count = match c.count {
            Some((from, to)) if fits(&text.text, from, to) => Some(count_value(&text.text[from..to])),
            _ => term.count.clone(),
        };
        let severity = severity(rule, count.as_deref());
        let mut finding = Finding {
            category: rule.category,
            severity,
            term: term.written.clone(),
            rule: Some(c.rule),
            span: text.original_range(c.start, c.end),
            normalized: c.start..c.end,
            verdict: Verdict::Counted,
            conditional: false,
            count,
            personal: None,
            masked: None,
            said: None,
        };
        let s = &text.text;
        let drop = if !rule.category.side().allows(speaker) {
            Some(Dropped::WrongSpeaker)
        } else if !rule.after_line.is_empty() && !rule.after_line.iter().any(|w| line.previous.contains(w.as_str())) {
            // 我前天就投了 answers a line that named the channel, or it says nothing. Checked
            // before the segmentation: these rules' words are short and common.
            Some(Dropped::NotAfterLine)
        } else if glued_to_alphanumerics(s, c.start, c.end)
            || (rule.boundary && !words.term_fits(self.segmenter, s, c.start, c.end))
        {
            Some(Dropped::PartOfWord)
        } else if !rule.near.is_empty() && !any_within(s, c.start, c.end, rule.within, &rule.near) {
            Some(Dropped::NoContext)
        } else {
            None
        };
        if let Some(why) = drop {
            finding.verdict = Verdict::Dropped(why);
            return finding;
        }
        // A longer word that holds the term decides first (曝光补偿); then the clause (如果检测是
        // 质量问题 is hypothetical even though 检测 is also a hedge); then words nearby.
        let other_sense = if term.pattern.is_some() {
            overlaps_any(s, c.start, c.end, &rule.unless)
        } else {
            inside_any(s, c.start, c.end, &rule.unless)
        };
        if other_sense {
            finding.verdict = Verdict::NotCounted(Reason::OtherSense);
            return finding;
        }
        let kin = passed_on_by_kin(rule.category);
        let mut reading = self.read_clause(s, pauses, c.start, c.end, kin, words);
        if term.pattern.is_some() && reading.reason.is_none() && !reading.conditional {
            // A pattern's gap may hold the condition itself: 这批压缩机如果确实有问题.
            match self.condition_inside(s, c.start, c.end, words) {
                Some(true) => reading.conditional = true,
                Some(false) => reading.reason = Some(Reason::Hypothetical),
                None => {}
            }
        }
        // Violence, self-harm and a safety incident are escalated whoever suggested or waved
        // them off (我去跳楼你们干嘛不管): only the other threats can be given up or declined.
        let may_be_declined = !matches!(
            rule.category,
            crate::category::Category::ThreatExtreme | crate::category::Category::ThreatSafety
        );
        if reading.reason.is_none() && rule.category.side() == crate::category::Side::Threat && may_be_declined {
            let clause = clause_around(s, pauses, c.start, c.end);
            reading.reason = declined_or_suggested(s, clause, c.start, c.end);
            if reading.reason.is_some() {
                reading.conditional = false;
            }
        }
        if reading.reason.is_none()
            && rule.category == crate::category::Category::ThreatRepeat
            && settled_after(s, c.end)
        {
            reading.reason = Some(Reason::OtherSense);
            reading.conditional = false;
        }
        // A condition raises a threat; an agent's words are no worse for one. A promise that
        // hangs on a verdict (如果是质量问题，我们保证给您换新) states a policy, as the guidelines'
        // 如果是质量问题我们免费修 does: it is hypothetical, not a promise of an outcome. A promise
        // for when things go wrong (如果明天还没到，我保证后天送到) is still one.
        if rule.category.side() == crate::category::Side::Taboo && reading.conditional {
            reading.conditional = false;
            if rule.category == crate::category::Category::TabooOverpromise
                && verdict_condition_before(s, pauses, c.start)
            {
                reading.reason = Some(Reason::Hypothetical);
            }
        }
        let nearby_sense = || any_within(s, c.start, c.end, rule.within, &rule.unless_near);
        let reason = reading.reason.or_else(|| nearby_sense().then_some(Reason::OtherSense));
        finding.conditional = reading.conditional && reason.is_none();
        if finding.conditional {
            finding.severity = finding.severity.raised();
        }
        if let Some(reason) = reason {
            finding.verdict = Verdict::NotCounted(reason);
        }
        finding
    }

    /// Negation, hypotheticals, reported speech and conditions around `start..end`, in the
    /// clause bounded by punctuation and `pauses`; `kin`: the customer's family quote too.
    fn read_clause(
        &self,
        s: &str,
        pauses: &[usize],
        start: usize,
        end: usize,
        kin: bool,
        words: &mut WordCache,
    ) -> Reading {
        let m = &self.lexicon.markers;
        let clause = clause_around(s, pauses, start, end);
        if self.is_quoted(s, pauses, start, kin, words) {
            return Reading {
                reason: Some(Reason::Quoted),
                conditional: false,
            };
        }
        let mut reading = Reading::default();
        let before = self.markers_before(s, clause.start, start, words);
        // A term that opens with the consequence itself (就打12345吧 in 您要是投诉就打12345吧) is the
        // consequence of a condition before it, as if 就 stood before the term. Not 便 or 则 alone
        // (便宜, 则 in a name): one character reads as a consequence only when it is 就.
        // It answers a supposition only: after a negator it is still negated (您别动不动就打
        // 12345吧 discourages the call), so it is kept apart from a 就 said before the term.
        let term = &s[start..end];
        let opens_with_consequence = m
            .consequence
            .iter()
            .any(|w| (w == "就" || w.chars().count() > 1) && term.starts_with(w.as_str()));
        let supposed = before.iter().any(|&(_, _, kind)| kind == Kind::Hypothetical);
        let mut consequence_seen = false;
        let mut negation_blocked = false;
        for (marker_start, marker_end, kind) in before {
            let distance = s[marker_end..start].chars().count();
            match kind {
                Kind::Contrast => break,
                Kind::Conditional => {
                    reading.conditional = true;
                    break;
                }
                // …的话我就去12315, 没人处理的话我去找记者: 的话 closes a condition, so what
                // follows it is the consequence, with or without 如果 before.
                // Only after a negative condition: 说的话 (what was said), 我老公的话 (as for him) set none.
                Kind::Consequence
                    if &s[marker_start..marker_end] == "的话"
                        && s[clause.start..marker_start].contains(['不', '没', '未', '无']) =>
                {
                    reading.conditional = true;
                    break;
                }
                Kind::Consequence => consequence_seen = true,
                Kind::Hypothetical => {
                    // 如果你们不处理我去消协: a negative condition, then a new clause or a
                    // modal, makes the term the consequence even without 就.
                    let gap = &s[marker_end..start];
                    let negative = gap.contains('不') || gap.contains('没');
                    let turn = m
                        .clause_openers
                        .iter()
                        .chain(&m.consequence_openers)
                        .any(|w| gap.contains(w.as_str()));
                    if consequence_seen || opens_with_consequence || (negative && turn) {
                        reading.conditional = true;
                    } else {
                        reading.reason = Some(Reason::Hypothetical);
                    }
                    break;
                }
                Kind::DoubleNegation => negation_blocked = true,
                Kind::Breaker => negation_blocked = true,
                Kind::Negator => {
                    if spent_negator(s, marker_start, marker_end)
                        || emphatic_negator(s, marker_start, start)
                        || negates_a_modifier(s, marker_start, marker_end, start)
                    {
                        continue;
                    }
                    // 您要是不想等就打12345吧: the negator is inside the supposition the term
                    // answers; the supposition decides.
                    if opens_with_consequence && supposed {
                        continue;
                    }
                    if consequence_seen {
                        reading.conditional = true;
                        break;
                    }
                    let new_clause = opens_clause(&s[marker_end..start], &m.clause_openers);
                    if negative_condition_then_subject(s, marker_start, marker_end, start)
                        || negative_condition_then_at_once(s, marker_start, marker_end, start)
                    {
                        // 上周没退款我报警了 tells what was done: no condition, and no negation.
                        if told_as_done(s, end, clause.end) {
                            continue;
                        }
                        reading.conditional = true;
                        break;
                    }
                    let doubled = self.double_negation_at(s, clause.start, marker_start, words);
                    if !negation_blocked && !doubled && !new_clause && distance <= m.negation_window {
                        reading.reason = Some(Reason::Negated);
                        break;
                    }
                    negation_blocked |= doubled;
                }
            }
        }
        if reading.reason.is_none() && self.negated_after(s, end, clause.end, words) {
            reading.reason = Some(Reason::Negated);
        }
        if reading.reason.is_none() && !reading.conditional {
            let after = &s[end..clause.end];
            if after.starts_with("的话") && !consequence_seen && !opens_with_consequence {
                reading.reason = Some(Reason::Hypothetical);
            } else if self.previous_clause_is_condition(s, pauses, clause.start, consequence_seen, words) {
                reading.conditional = true;
            }
        }
        reading
    }

    /// A hypothetical marker (如果, 要是 …, not a question word such as 是不是) inside a
    /// pattern's match, after its first character and as a whole word: `None`
    /// without one; `Some(true)` when a consequence follows it inside the match (要是不给说法
    /// 就去你们店: a conditional threat), `Some(false)` when the match is only a supposition.
    fn condition_inside(&self, s: &str, start: usize, end: usize, words: &mut WordCache) -> Option<bool> {
        let m = &self.lexicon.markers;
        // A question word kept whole (是不是, 能不能) asks; it supposes nothing: 你耳朵是不是有问题.
        let supposing = m.hypothetical.iter().filter(|w| !m.compound_words.contains(w));
        let found = supposing.into_iter().find_map(|marker| {
            occurrences(&s[start..end], marker)
                .map(|at| (start + at, start + at + marker.len()))
                .find(|&(ms, me)| ms > start && words.whole_word(self.segmenter, s, ms, me))
        })?;
        let rest = &s[found.1..end];
        let negative = rest.contains('不') || rest.contains('没');
        let consequence = m.consequence.iter().any(|w| {
            occurrences(rest, w).any(|at| words.whole_word(self.segmenter, s, found.1 + at, found.1 + at + w.len()))
        });
        let turn = m
            .clause_openers
            .iter()
            .chain(&m.consequence_openers)
            .any(|w| rest.contains(w.as_str()));
        Some(consequence || (negative && turn))
    }

    /// Markers between `from` and `to`, nearest first (longest first at the same end).
    fn markers_before(&self, s: &str, from: usize, to: usize, words: &mut WordCache) -> Vec<(usize, usize, Kind)> {
        let m = &self.lexicon.markers;
        let region = &s[from..to];
        let mut found = Vec::new();
        for (kind, list) in Kind::lists(m) {
            for marker in list {
                for at in occurrences(region, marker) {
                    let (ms, me) = (from + at, from + at + marker.len());
                    if words.whole_word(self.segmenter, s, ms, me) {
                        found.push((ms, me, kind));
                    }
                }
            }
        }
        found.sort_by(|a, b| b.1.cmp(&a.1).then((b.1 - b.0).cmp(&(a.1 - a.0))).then(a.2.cmp(&b.2)));
        found
    }

    fn double_negation_at(&self, s: &str, clause_start: usize, negator_start: usize, words: &mut WordCache) -> bool {
        let m = &self.lexicon.markers;
        let region_start = s.floor_char_boundary(negator_start.saturating_sub(DOUBLE_NEGATION_LEAD).max(clause_start));
        m.double_negations.iter().any(|d| {
            let region_end = s.ceil_char_boundary((negator_start + d.len()).min(s.len()));
            occurrences(&s[region_start..region_end], d).any(|at| {
                let ds = region_start + at;
                ds <= negator_start
                    && ds + d.len() > negator_start
                    && words.whole_word(self.segmenter, s, ds, ds + d.len())
            })
        })
    }

    /// A post-negator after the term, within [`POST_NEGATOR_REACH`] and the clause:
    /// 媒体我就不找了.
    fn negated_after(&self, s: &str, end: usize, clause_end: usize, words: &mut WordCache) -> bool {
        let limit = s.ceil_char_boundary((end + POST_NEGATOR_REACH).min(clause_end));
        let after = &s[end..limit];
        self.lexicon
            .markers
            .post_negators
            .iter()
            .any(|p| occurrences(after, p).any(|at| words.whole_word(self.segmenter, s, end + at, end + at + p.len())))
    }

    /// The clause before this one, in the same sentence, sets a condition:
    /// 你们要是不给我退，我就去12315 / 不给我保修的话，我就去拉横幅 / 你们再不处理 我就去找记者.
    fn previous_clause_is_condition(
        &self,
        s: &str,
        pauses: &[usize],
        clause_start: usize,
        consequence_seen: bool,
        words: &mut WordCache,
    ) -> bool {
        let Some(prev) = previous_clause(s, pauses, clause_start) else {
            return false;
        };
        let m = &self.lexicon.markers;
        let has = |list: &[String], words: &mut WordCache| {
            list.iter().any(|w| {
                occurrences(&s[prev.start..prev.end], w)
                    .any(|at| words.whole_word(self.segmenter, s, prev.start + at, prev.start + at + w.len()))
            })
        };
        s[prev.start..prev.end].ends_with("的话")
            || has(&m.hypothetical, words)
            || has(&m.conditional, words)
            || (consequence_seen && has(&m.negators, words))
    }

    /// 上次你们同事说一定给我解决: a third party, a reporting verb, then the term, within the
    /// same sentence, [`QUOTE_LOOK_BACK`], and at most one clause break (punctuation or a
    /// pause) between the verb and the term.
    fn is_quoted(&self, s: &str, pauses: &[usize], start: usize, kin: bool, words: &mut WordCache) -> bool {
        let m = &self.lexicon.markers;
        let floor = s.floor_char_boundary(start.saturating_sub(CLAUSE_REACH));
        let sentence_start = s[floor..start].rfind(|c: char| is_sentence_end(c)).map_or(floor, |i| {
            floor + i + s[floor + i..].chars().next().map_or(1, char::len_utf8)
        });
        let look_from = s.floor_char_boundary(start.saturating_sub(QUOTE_LOOK_BACK).max(sentence_start));
        let region = &s[look_from..start];
        for verb in &m.quote_verbs {
            for at in occurrences(region, verb) {
                let (vs, ve) = (look_from + at, look_from + at + verb.len());
                if !words.whole_word(self.segmenter, s, vs, ve) || names_what_was_said(&s[ve..]) {
                    continue;
                }
                let breaks =
                    s[ve..start].chars().filter(|&c| is_clause_end(c)).count() + pauses_within(pauses, ve, start);
                if breaks > 1 || self.speaker_takes_over(s, pauses, ve, start) || story_moves_on(s, ve, start) {
                    continue;
                }
                if self.third_party_before(s, look_from, vs, kin, words) {
                    return true;
                }
            }
        }
        false
    }

    /// After a clause break, the term's own clause opens with the speaker in the first person
    /// (他说正常 我已经在卫健委投诉了): the report ended at the break, and what follows is the
    /// speaker's own. Only openers of 我 alone (我已经, 我要, 我就 …), not 我们, which a quote
    /// may hold (同事说，我们会给您退).
    fn speaker_takes_over(&self, s: &str, pauses: &[usize], verb_end: usize, start: usize) -> bool {
        let clause = clause_start(s, pauses, start);
        clause > verb_end
            && self
                .lexicon
                .markers
                .clause_openers
                .iter()
                .filter(|w| w.starts_with('我') && !w.starts_with("我们"))
                .any(|w| s[clause..start].trim_start().starts_with(w.as_str()))
    }

    /// A quote subject ends at most a few characters before the verb (within
    /// [`QUOTE_SUBJECT_REACH`]), is not an addressee (跟你们说), and the speaker themself (我说)
    /// is not in between. A pause between subject and verb (他 说) does not part them. The
    /// customer's own family ([`KIN_QUOTE_SUBJECTS`]) are third parties too where `kin` (a
    /// threat they pass on, not an incident or a count they report). An addressee may be
    /// the speaker's own (跟我老公说, 对我们经理说): the possessive is passed over.
    fn third_party_before(&self, s: &str, from: usize, verb_start: usize, kin: bool, words: &mut WordCache) -> bool {
        let region_start = s.floor_char_boundary(verb_start.saturating_sub(QUOTE_SUBJECT_REACH).max(from));
        let region = &s[region_start..verb_start];
        let subjects = self.lexicon.markers.quote_subjects.iter().map(String::as_str);
        let kin_subjects = if kin { &KIN_QUOTE_SUBJECTS[..] } else { &[] };
        subjects.chain(kin_subjects.iter().copied()).any(|subject| {
            occurrences(region, subject).any(|at| {
                let (ss, se) = (region_start + at, region_start + at + subject.len());
                let gap = &s[se..verb_start];
                let mut head = &s[..ss];
                for own in OWN_BEFORE_ADDRESSEE {
                    if let Some(rest) = head.strip_suffix(own) {
                        head = rest;
                        break;
                    }
                }
                let before = head.chars().next_back();
                let addressee = before.is_some_and(|c| matches!(c, '跟' | '和' | '对' | '给' | '向'));
                // 你们这帮孙子说了不算 is abuse, not a grandson.
                if kin_subjects.contains(&subject) && INSULT_BEFORE_KIN.iter().any(|w| s[..ss].ends_with(w)) {
                    return false;
                }
                let gap_ok = gap.chars().count() <= 4
                    && !gap.chars().any(is_clause_end)
                    && !gap.starts_with('我')
                    && !gap.contains("我说");
                !addressee && gap_ok && !told_the_listener(subject, gap) && words.whole_word(self.segmenter, s, ss, se)
            })
        })
    }
}

/// Kinds of context marker, in the order they win a tie at the same position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Contrast,
    Conditional,
    Hypothetical,
    Consequence,
    DoubleNegation,
    Breaker,
    Negator,
}

impl Kind {
    fn lists(m: &Markers) -> [(Kind, &[String]); 7] {
        [
            (Kind::Contrast, &m.contrast),
            (Kind::Conditional, &m.conditional),
            (Kind::Hypothetical, &m.hypothetical),
            (Kind::Consequence, &m.consequence),
            (Kind::DoubleNegation, &m.double_negations),
            (Kind::Breaker, &m.negation_breakers),
            (Kind::Negator, &m.negators),
        ]
    }
}

/// Segmentation of the clauses of one utterance, computed once per clause on demand.
#[derive(Default)]
struct WordCache {
    clauses: Vec<(Range<usize>, Vec<usize>)>,
}

/// Longest stretch handed to jieba at once; a 100 MB line is segmented around its candidates.
const MAX_SEGMENT: usize = 600;

impl WordCache {
    fn whole_word(&mut self, segmenter: &Segmenter, s: &str, start: usize, end: usize) -> bool {
        let cuts = self.cuts(segmenter, s, start, end);
        is_whole_word(cuts, start, end)
    }

    /// A lexicon term fits the segmentation: a whole word, or, for a term of three characters
    /// or more, a word boundary on one side. jieba glues specific terms to their neighbours
    /// (打工|信部 in 打工信部投诉, 中央电视台 as one word); two-character terms stay strict
    /// (媒体 in 多媒体, 报警 in 报警器).
    fn term_fits(&mut self, segmenter: &Segmenter, s: &str, start: usize, end: usize) -> bool {
        let cuts = self.cuts(segmenter, s, start, end);
        let (starts, ends) = (cuts.binary_search(&start).is_ok(), cuts.binary_search(&end).is_ok());
        (starts && ends) || ((starts || ends) && s[start..end].chars().count() >= 3)
    }

    /// Word boundaries of the clause around `start..end`, segmented once per clause. The
    /// clause here is bounded by punctuation alone: a pause changes no word (曝 光 is 曝光).
    fn cuts(&mut self, segmenter: &Segmenter, s: &str, start: usize, end: usize) -> &[usize] {
        // Candidates come in order: the clause asked for last is the likeliest, so look from
        // the end (a long line has many clauses; a search from the front was quadratic).
        let index = match self.clauses.iter().rposition(|(r, _)| r.start <= start && end <= r.end) {
            Some(i) => i,
            None => {
                let mut range = clause_around(s, NO_PAUSES, start, end);
                if range.len() > MAX_SEGMENT {
                    let from = s.floor_char_boundary(start.saturating_sub(MAX_SEGMENT / 2).max(range.start));
                    let to = s.ceil_char_boundary((end + MAX_SEGMENT / 2).min(range.end));
                    range = from..to;
                }
                let cuts = segmenter
                    .boundaries(&s[range.clone()])
                    .into_iter()
                    .map(|b| b + range.start)
                    .collect();
                self.clauses.push((range, cuts));
                self.clauses.len() - 1
            }
        };
        &self.clauses[index].1
    }
}

/// Punctuation that ends a clause.
fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        ',' | '.' | '!' | '?' | ';' | ':' | '。' | '、' | '…' | '\n' | '｡' | '，' | '？' | '！' | '；' | '：'
    )
}

/// Punctuation that ends a sentence: the look back for quotes and conditions stops there.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ';' | '。' | '…' | '\n' | '｡' | '？' | '！' | '；')
}

// Windows in bytes of normalised text. Chinese characters are three bytes: each window says
// how many characters it is meant to hold.

/// Bytes a clause reaches either side of a mention at most (about 100 Chinese characters).
/// ASR output without punctuation would otherwise make every mention's clause the whole
/// line, and a long line quadratic; no marker reaches that far anyway.
const CLAUSE_REACH: usize = 300;

/// Bytes before the term where a reporting verb (说, 答应) is looked for: about 20 characters.
const QUOTE_LOOK_BACK: usize = 60;

/// Bytes before a reporting verb where its subject (同事, 他) is looked for: about 8 characters.
const QUOTE_SUBJECT_REACH: usize = 24;

/// Round 9: the customer's family, whose threats a customer passes on without making them
/// (我儿子说你们要是不退钱他就跳楼, 我闺女说要上网曝光你们，我说拉倒吧): quote subjects besides
/// context.toml's; grandchildren since round 10 (我孙女说要给发到抖音上去). The quote still ends
/// where the speaker takes over (我老公说了，我明天就去找记者).
const KIN_QUOTE_SUBJECTS: [&str; 14] = [
    "儿子",
    "女儿",
    "闺女",
    "老公",
    "老婆",
    "媳妇",
    "爱人",
    "丈夫",
    "妻子",
    "老伴",
    "孙女",
    "孙子",
    "外孙",
    "外孙女",
];

/// Words before 孙子 or 外孙 that make it abuse rather than family (你们这帮孙子).
const INSULT_BEFORE_KIN: [&str; 7] = ["你们", "这帮", "那帮", "这些", "那些", "你个", "一帮"];

/// A possessive between an addressee's preposition and the addressee (跟我老公说, 对我们经理说,
/// 给俺闺女说): longest first.
const OWN_BEFORE_ADDRESSEE: [&str; 7] = ["我们的", "我的", "我家", "我们", "我", "俺", "咱"];

/// Whether the customer's family passing a threat on makes it theirs, not the customer's:
/// for threats of what someone will do, not for an incident (我女儿说充电宝冒烟了) or the
/// complaints already made (我老公说他都打了三次电话了), which the customer reports as facts.
fn passed_on_by_kin(category: crate::category::Category) -> bool {
    category.side() == crate::category::Side::Threat
        && !matches!(
            category,
            crate::category::Category::ThreatSafety | crate::category::Category::ThreatRepeat
        )
}

/// Bytes after the term where a post-negator (就算了, 不找了) still reaches it: about 6
/// characters, as `negation_window` before it.
const POST_NEGATOR_REACH: usize = 18;

/// Bytes before a negator where a double negation holding it may start: 不得不 starts two
/// characters before its last 不, so three characters cover every listed one.
const DOUBLE_NEGATION_LEAD: usize = 9;

/// What a single-character negator is spent on before a term, so it does not negate the term:
/// `了` right after 没 closes it on what came before (钱没了我也不活了: the money is gone), and a
/// rhetorical 看我不… says the opposite (看我不弄死你: I will). 没了解 (not knowing) still negates.
const SPENT_AFTER: &str = "了";
/// Only 没 is spent by 了: 去不了法院 still denies going to court.
const NOT_SPENT_AFTER: &[&str] = &["了解"];
const RHETORICAL_LEADS: &[&str] = &["看我", "看老子", "瞧我", "看我们", "看我今天", "看我明天"];

/// Whether the negator at `start..end` (不 or 没 alone) is spent before the term: see
/// [`SPENT_AFTER`] and [`RHETORICAL_LEADS`].
fn spent_negator(s: &str, start: usize, end: usize) -> bool {
    let negator = &s[start..end];
    if negator != "不" && negator != "没" {
        return false;
    }
    let after = &s[end..];
    if negator == "没" && after.starts_with(SPENT_AFTER) && !NOT_SPENT_AFTER.iter().any(|w| after.starts_with(w)) {
        return true;
    }
    negator == "不" && RHETORICAL_LEADS.iter().any(|lead| s[..start].ends_with(lead)) || a_not_a(s, start, end)
}

/// Whether the bare negator at `start..end` sits between the same character twice, a yes-no
/// question (丢没丢, 退不退, 修不修): 丢没丢跟我没关系 asks, it does not negate what follows
/// (round 11).
fn a_not_a(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    matches!((before, after), (Some(b), Some(a)) if a == b && !a.is_whitespace() && !a.is_ascii_punctuation())
}

/// The subjects that open a threat right after a negative condition without 就 or a
/// comma: 找不回来我弄死你们, 不退钱谁都别想走, 不退钱我们拉横幅, 不赔钱俺报警 (round 10).
const SUBJECTS_AFTER_CONDITION: [&str; 7] = ["我", "我们", "咱们", "咱", "俺", "老子", "大家"];
/// Verbs whose object is a whole clause: after 不/没 they negate what follows, subject and all
/// (这点钱不值得我起诉, 没必要我报警, 我没说谁都别想走), so no condition is read there.
const CLAUSE_TAKING_VERBS: [&str; 16] = [
    "值得", "值当", "需要", "必要", "用", "至于", "许", "准", "让", "叫", "说", "讲", "听说", "想", "希望", "打算",
];
/// Characters a negative condition may have between its 不 or 没 and the new subject.
const CONDITION_REACH: usize = 6;

/// Whether the bare negator at `start..end` (不 or 没) opens a negative condition whose
/// consequence is the term at `term_start`: the verb it negates, then a new subject that ends
/// the gap or opens the term (找不回来|我|弄死你们, 不退钱|谁都别想走). 不是我… denies who did it
/// (不是我弄死的) and stays a negation, as does a negator right before the subject (不我…). The
/// caller asks only when no clause opener stands in the gap (不退款结果我报警了 is a story, 你们不处理
/// 那我找记者 a threat said plainly: both count, as before).
fn negative_condition_then_subject(s: &str, start: usize, end: usize, term_start: usize) -> bool {
    let Some(gap) = negative_condition_gap(s, start, end, term_start) else {
        return false;
    };
    let chars = gap.chars().count();
    // The subject may come with the act it is about to do: 今天不处理我去法院告你们.
    let gap_without_act = SUBJECT_ACTS
        .iter()
        .find_map(|act| gap.strip_suffix(act))
        .filter(|rest| SUBJECTS_AFTER_CONDITION.iter().any(|w| rest.ends_with(w)))
        .unwrap_or(gap);
    let subject_ends_gap = SUBJECTS_AFTER_CONDITION
        .iter()
        .any(|w| gap_without_act.ends_with(w) && gap_without_act.chars().count() > w.chars().count());
    let subject_opens_term = chars > 0 && s[term_start..].starts_with('谁');
    subject_ends_gap || subject_opens_term
}

/// A supposition of a verdict or of eligibility: 如果是质量问题, 如果检测确实有问题, 要是符合条件.
const VERDICT_CONDITIONS: [&str; 20] = [
    "如果是质量",
    "如果是产品质量",
    "如果是产品问题",
    "如果是产品本身",
    "要是质量",
    "若是质量",
    "如是质量",
    "如果属于",
    "如属",
    "若属",
    "如果确认",
    "如确认",
    "如果确实是",
    "如果检测",
    "如检测",
    "如果核实",
    "如果经检测",
    "如果经鉴定",
    "如果鉴定",
    "如果符合",
];

/// A verdict supposed before `term_start`, in its clause or the clause before it in the same
/// sentence: what follows is a policy, not a promise.
fn verdict_condition_before(s: &str, pauses: &[usize], term_start: usize) -> bool {
    let this = clause_around(s, pauses, term_start, term_start);
    let from = previous_clause(s, pauses, this.start).map_or(this.start, |prev| prev.start);
    let region = &s[from..term_start];
    VERDICT_CONDITIONS.iter().any(|w| region.contains(w))
}

/// What a subject may say it will do after a negative condition, before the term (我去, 我就,
/// 我要, 我直接 …): 你们不退我直接去法院 has its condition before 我直接.
const SUBJECT_ACTS: [&str; 12] = [
    "就去", "就要", "直接", "马上", "立马", "只能", "只好", "去", "就", "要", "会", "也",
];

/// Adverbs of an immediate consequence: a negative condition with no new subject, then one
/// of these, and the term (明早未处理直接12315投诉, 再不退款马上报警).
const AT_ONCE: [&str; 5] = ["直接", "马上", "立马", "立刻", "就"];

/// A negator, a short verb it negates, then an adverb of an immediate consequence and the
/// term (the term may itself open with the adverb): 明早未处理直接12315投诉 is the condition of a
/// complaint, not its denial. Not an adverb the negator governs (我不会直接去法院: 不会 is no
/// bare 不, and 不直接 has no verb between them).
fn negative_condition_then_at_once(s: &str, start: usize, end: usize, term_start: usize) -> bool {
    let Some(gap) = negative_condition_gap(s, start, end, term_start) else {
        return false;
    };
    // What the company failed to do (未处理, 不退款, 没回复), not the customer's own wish, means
    // or state (我没钱直接请律师, 我不急马上去法院, 我不建议直接报警 deny the act).
    if !CONDITION_VERBS.iter().any(|v| gap.starts_with(v)) {
        return false;
    }
    let tail = &s[end..];
    AT_ONCE
        .iter()
        .any(|adverb| occurrences(tail, adverb).any(|at| at > 0 && at <= gap.len() && tail[..at].chars().count() <= 4))
}

/// Verbs of what the other side owes, after a bare 不/没/未: the condition of a threat.
const CONDITION_VERBS: [&str; 21] = [
    "处理", "解决", "回复", "答复", "回电", "回", "退", "给", "赔", "补", "修", "发", "到", "来", "派", "联系", "安排",
    "上门", "办", "改", "管",
];

/// The words between a bare 不, 没 or 未 and the term, when they could be a negative condition:
/// within [`CONDITION_REACH`], not opening with 是 or 有 (不是, 没有 deny a fact) nor with a verb
/// that takes a whole clause (没必要我报警).
fn negative_condition_gap(s: &str, start: usize, end: usize, term_start: usize) -> Option<&str> {
    let negator = &s[start..end];
    if negator != "不" && negator != "没" && negator != "未" {
        return None;
    }
    let gap = &s[end..term_start];
    if gap.starts_with('是') || gap.starts_with('有') || gap.chars().count() > CONDITION_REACH {
        return None;
    }
    if CLAUSE_TAKING_VERBS.iter().any(|v| gap.starts_with(v)) {
        return None;
    }
    Some(gap)
}

/// Round 12: words before a threat, in its clause, that say it was only a thought given up or
/// that the customer is not the kind to make it: 我本来想打12345的, 我也不是那种动不动就找民航局的人
/// (a 就 between them reads as a consequence, so the negator alone does not reach the term).
const GIVEN_UP_BEFORE: [&str; 5] = ["本来想", "原本想", "本想", "不是那种", "又不是那种"];
/// Words between a thought given up and the threat that say the customer has come to it after
/// all (我本来想算了现在只能报警了, 我又不是那种人但你们逼我报警): the threat counts.
const TURN_AFTER_GIVEN_UP: [&str; 8] = ["但", "可是", "现在", "只能", "逼", "结果", "不过", "没办法"];
/// Bytes before the term where [`GIVEN_UP_BEFORE`] is looked for: about 12 characters.
const GIVEN_UP_REACH: usize = 36;
/// Words after a threat in its sentence that decline it, or a suggestion of it: 我朋友让我打12378
/// 问问，我说不用 / 我本来想打12315的，后来想想还是先问问你们.
const DECLINED_AFTER: [&str; 6] = ["我说不用", "我说没必要", "我说算了", "我说拉倒", "想想还是", "懒得计较"];
/// A rhetorical refusal right after the threat, in its clause and with no new subject before
/// it: 我去找物价局干啥 declines; 我要去12315投诉你们，你们干嘛不给我退 and 看你们还能干嘛 do not.
const RHETORICAL_AFTER: [&str; 2] = ["干啥", "干嘛"];
/// Bytes after the term, up to the sentence end, where [`DECLINED_AFTER`] is looked for: about
/// 16 characters.
const DECLINED_REACH: usize = 48;
/// Someone else's suggestion, right before the threat: 你们客服让我自己去找12315, 你叫我去消协, 网点
/// 让我找你们总部 — the customer reports being sent there, not a plan of their own. Not after a
/// negator or 逼 (别让我去找记者, 逼得我去法院: the customer's own threat).
const SUGGESTED_BEFORE: [&str; 4] = ["让我", "叫我", "让我们", "叫我们"];
/// Bytes between the suggestion and the term: about 8 characters (让我老太太去举报, 让我自己去找金融监管局).
const SUGGESTED_REACH: usize = 24;
/// What before 让我 makes it the customer's own threat: 别让我, 不要让我, 逼…让我, 非得让我, and the
/// customer as the one who asks (我已经让我表弟写律师函了).
/// 想 and 非 cover 不想, 是想让我 (你是想让我去法院告你们吗) and 非得, 非要, 非让我…不可.
const OWN_BEFORE_SUGGESTED: [&str; 7] = ["别", "不要", "想", "逼", "非", "我", "已经"];
/// People right after 让我/叫我 that make 我 the customer sending them (回头叫我老公去12315投诉你们,
/// 再让我朋友发律师函): the customer's own threat.
const SENT_BY_CUSTOMER: [&str; 14] = [
    "老公", "老婆", "爱人", "媳妇", "儿子", "女儿", "孩子", "家人", "亲戚", "朋友", "同学", "同事", "律师", "表",
];
/// Words after a suggested threat that take it up: 你让我去黑猫 行 我马上就去发 / 还让我去消协？行，我去.
/// Only an assent then the customer, or the customer saying they will (你让我打12345我就打, 叫我去
/// 法院告你们，我会去的): a threat of something else after it (叫我去消协？我就去拍个视频) is
/// another finding, so a bare 我就去 is not one.
const TAKEN_UP_AFTER: [&str; 10] = [
    "行 我",
    "行，我",
    "行我",
    "好 我",
    "好，我",
    "那我就去",
    "那我去",
    "那我就打",
    "我就打",
    "我会去",
];

/// A threat the customer gave up, declines, or was told to make by someone else (round 12):
/// see [`GIVEN_UP_BEFORE`], [`DECLINED_AFTER`] and [`SUGGESTED_BEFORE`]. Bounded windows, no
/// segmentation: each look is a few dozen bytes.
fn declined_or_suggested(s: &str, clause: Range<usize>, start: usize, end: usize) -> Option<Reason> {
    // The clause is bounded by punctuation and ASR pauses (回回都让我等 你把你们经理叫来).
    let from = s.floor_char_boundary(start.saturating_sub(GIVEN_UP_REACH).max(clause.start));
    let clause_before = &s[from..start];
    let given_up = GIVEN_UP_BEFORE
        .iter()
        .filter_map(|w| clause_before.rfind(w).map(|at| &clause_before[at + w.len()..]))
        .any(|between| !TURN_AFTER_GIVEN_UP.iter().any(|t| between.contains(t)));
    if given_up {
        return Some(Reason::Negated);
    }
    let to = s.ceil_char_boundary((end + DECLINED_REACH).min(s.len()));
    let after = &s[end..to];
    if DECLINED_AFTER
        .iter()
        .any(|w| sentence_after(s, end, DECLINED_REACH).contains(w))
    {
        return Some(Reason::Negated);
    }
    let clause_after = &s[end..clause.end.clamp(end, to)];
    let rhetorical = RHETORICAL_AFTER
        .iter()
        .filter_map(|w| clause_after.find(w))
        .any(|at| !clause_after[..at].contains('你'));
    if rhetorical {
        return Some(Reason::Negated);
    }
    let near_start = clause_before.floor_char_boundary(clause_before.len().saturating_sub(SUGGESTED_REACH));
    let near = &clause_before[near_start..];
    let near_offset = start - near.len();
    for w in SUGGESTED_BEFORE {
        if let Some(at) = near.rfind(w) {
            let lead = &s[..near_offset + at];
            let lead = &lead[lead.floor_char_boundary(lead.len().saturating_sub(12))..];
            // 再让我碰着我弄残他: a new subject between them makes 让我 a condition of the customer's own.
            let gap = &near[at + w.len()..];
            let taken_up = TAKEN_UP_AFTER.iter().any(|t| after.contains(t));
            let sends = SENT_BY_CUSTOMER.iter().any(|p| gap.starts_with(p));
            if !OWN_BEFORE_SUGGESTED.iter().any(|o| lead.contains(o)) && !gap.contains('我') && !taken_up && !sends {
                return Some(Reason::Quoted);
            }
        }
    }
    None
}

/// Round 13: a negator inside a modifier before the term (没发货的订单弄了一个多月还退不掉, 没处理的问题
/// 我投诉了三次): the negator, one or two characters, then 的, all before the term. It negates the modifier, not
/// what the customer did. Longer runs (没有跟你们的客服投诉过) are still read as a negation, and so is the
/// copula (不是手机的质量问题), which negates the whole phrase after it.
fn negates_a_modifier(s: &str, negator_start: usize, negator_end: usize, start: usize) -> bool {
    if !matches!(
        s.get(negator_start..negator_end),
        Some("未" | "没" | "不" | "没有" | "从未")
    ) {
        return false;
    }
    let Some(gap) = s.get(negator_end..start) else {
        return false;
    };
    let mut chars = gap.chars();
    let verb: String = chars.by_ref().take_while(|&c| c != '的').collect();
    let length = verb.chars().count();
    (1..=2).contains(&length)
        && gap.chars().nth(length) == Some('的')
        && !verb.chars().any(|c| is_clause_end(c) || c.is_whitespace())
}

/// Round 13: what the customer goes on to tell after a promise reported (售后说三天内上门结果还没来, 又打了
/// 两回也没用; 客服称马上改好, 到现在也没人联系我): the outcome, said in the customer's own voice, so the
/// report has ended. Either between the reporting verb and the term, or opening the term.
const OUTCOME_AFTER_QUOTE: [&str; 10] = [
    "结果还",
    "结果没",
    "结果又",
    "结果也",
    "结果都",
    "结果根本",
    "结果到现在",
    "可是到现在",
    "但是到现在",
    "到现在还",
];
/// Terms that open with the time since, which is the customer's account of the outcome.
const OUTCOME_OPENS_TERM: [&str; 4] = ["一直到现在", "到现在", "至今", "直到现在"];

/// Whether the story moves on past a reported promise to the customer's own account of what
/// came of it: [`OUTCOME_AFTER_QUOTE`] between the verb and the term, or the term opening with
/// [`OUTCOME_OPENS_TERM`] after a clause break.
fn story_moves_on(s: &str, verb_end: usize, start: usize) -> bool {
    let between = &s[verb_end..start];
    OUTCOME_AFTER_QUOTE.iter().any(|w| between.contains(w))
        || (between.chars().any(is_clause_end) && OUTCOME_OPENS_TERM.iter().any(|w| s[start..].starts_with(w)))
}

/// Round 12: a complaint made before that the same sentence says was settled is history, not a
/// repeat complaint: 前年我投诉过一回 后来一直挺好的, 之前打过两回电话，你们都弄好了，挺快的, 前天投诉了
/// 一个卖家，现在已经补发了. Round 13: settled in the end after one more contact (押金二十天没退回，
/// 找了一回客服才给我解决).
const SETTLED_AFTER: [&str; 16] = [
    "挺好的",
    "挺快的",
    "一直挺好",
    "就好了",
    "都弄好了",
    "补发了",
    "退回来了",
    "都解决了",
    "也解决了",
    "撤掉",
    "撤销投诉",
    "才给我弄好",
    "才弄好",
    "才给我解决",
    "才解决",
    "才到账",
];
/// Words after the settling that say it came back or did not hold (后来好了 没几天又坏了).
/// Also what says it never was settled (每次都说补发了，根本没收到).
const UNSETTLED_AFTER: [&str; 10] = [
    "又",
    "还是",
    "没用",
    "没几天",
    "结果",
    "没收到",
    "没解决",
    "没人",
    "根本",
    "还让我",
];
/// Bytes after the term, up to the sentence end, where the settling is looked for: about 40
/// characters.
const SETTLED_REACH: usize = 120;

/// Whether the sentence after a repeat complaint at `..end` says it was settled (see
/// [`SETTLED_AFTER`]) and nothing after says it came back.
fn settled_after(s: &str, end: usize) -> bool {
    let sentence = sentence_after(s, end, SETTLED_REACH);
    // Settled in someone's words only (你们每次都说就好了) is a promise, not the outcome.
    let settled = SETTLED_AFTER
        .iter()
        .filter_map(|w| sentence.find(w))
        .any(|at| !sentence[..at].contains('说'));
    settled && !UNSETTLED_AFTER.iter().any(|w| sentence.contains(w))
}

/// The text after `end`, at most `reach` bytes (on a character boundary), up to its sentence end.
fn sentence_after(s: &str, end: usize, reach: usize) -> &str {
    let after = &s[end..s.ceil_char_boundary((end + reach).min(s.len()))];
    after.find(is_sentence_end).map_or(after, |i| &after[..i])
}

/// The match is followed by 了 or 过, or its clause ends with 了: what was done (上周没退款我报警了,
/// 上周没退款我去法院告你们了), not a threat.
fn told_as_done(s: &str, end: usize, clause_end: usize) -> bool {
    let after = &s[end..];
    after.starts_with('了') || after.starts_with('过') || s[end..clause_end].trim_end().ends_with('了')
}

/// Negators a term may itself open with (别投诉了, 千万别去12315, 不要投诉我, 唔好投诉佢): the
/// agent's plea, which a negator said before it for emphasis does not undo.
const TERM_NEGATORS: &[&str] = &["别", "不要", "千万", "甭", "唔好", "咪"];
/// What an emphatic run before such a term is made of: the negators repeated, and the pauses
/// between them (别别 千万别投诉, 不不不 不要投诉, 别 别 别去12315), and the listener the plea is
/// turned to (别别 你别发也别投诉, round 13). A comma ends the clause, so a negator before one is
/// never weighed against the term at all.
const EMPHASIS_RUN: &[char] = &['别', '不', '要', '千', '万', '甭', '唔', '好', '咪', ' ', '你', '您'];

/// Whether the negator at `negator_start` only repeats, for emphasis, the negation the term
/// opens with: everything from it to the term is negators and pauses, and the term itself begins
/// with a negator. 别别 千万别投诉 is a plea not to complain, not its denial; 我没说别投诉 still
/// negates (没说 is no emphatic run).
fn emphatic_negator(s: &str, negator_start: usize, term_start: usize) -> bool {
    let term = &s[term_start..];
    // 别的部门, 别人, 咪咕, 千万元 open with a negator's characters but plead nothing.
    let not_a_plea = ["别的", "别人", "别家", "别处", "咪咕", "千万元", "千万块"];
    if not_a_plea.iter().any(|w| term.starts_with(w)) {
        return false;
    }
    TERM_NEGATORS.iter().any(|n| term.starts_with(n))
        && s[negator_start..term_start].chars().all(|c| EMPHASIS_RUN.contains(&c))
}

/// Characters between pauses, on average, up to which a line is spaced word by word (FunASR
/// without its punctuation model: 我 不 会 去 找 记 者; 我们 不会 去 投诉) rather than clause by
/// clause (我也不知道怎么办 我要去12315投诉, 找记者 算了): such a line's pauses are not clause
/// ends. Chinese words average under two characters.
const WORD_SPACED_RUN: usize = 2;

/// For clause bounds by punctuation alone.
const NO_PAUSES: &[usize] = &[];

/// What follows a reporting verb when 说的 names what was said rather than reporting it: the
/// words as a thing set beside something else (她说的话跟我们店铺没关系, 他说的跟我们公司没关系,
/// 他讲的那些不算数). 说的是… still reports (同事说的是三天到).
const SAID_AS_A_THING: [&str; 9] = [
    "的话跟",
    "的话和",
    "的话与",
    "的跟",
    "的和",
    "的与",
    "的那些",
    "的这些",
    "的内容",
];

/// Quote subjects that only say when (之前, 上次): with the listener addressed before the
/// verb (之前都跟您说了, 上次跟你讲过) the speaker reports their own earlier words to the person
/// they are talking to, not a third party's: 之前都跟您说了，您自己胆子小怪谁呢 is the agent's own
/// rebuke. A named third party (上次客服跟您说) still quotes.
const WHEN_SUBJECTS: [&str; 5] = ["上次", "之前", "上回", "前面", "刚才"];

/// The listener, as the one a reporting verb's words were said to (跟您说, 和你讲, 给您说).
const TO_THE_LISTENER: [&str; 10] = [
    "跟您", "跟你", "和您", "和你", "对您", "对你", "给您", "给你", "同您", "同你",
];

/// A time subject and the listener between it and the verb: the speaker's own earlier words.
fn told_the_listener(subject: &str, gap: &str) -> bool {
    WHEN_SUBJECTS.contains(&subject) && TO_THE_LISTENER.iter().any(|w| gap.contains(w))
}

/// The text right after a reporting verb makes it a noun (说的话跟…), not a report.
fn names_what_was_said(after_verb: &str) -> bool {
    SAID_AS_A_THING.iter().any(|w| after_verb.starts_with(w))
}

/// Where the clause holding byte `at` starts: after the last clause punctuation or at the
/// last of `pauses` (ascending) at or before `at`, and at most [`CLAUSE_REACH`] bytes back.
fn clause_start(s: &str, pauses: &[usize], at: usize) -> usize {
    let floor = s.floor_char_boundary(at.saturating_sub(CLAUSE_REACH));
    #[cfg(test)]
    tests::SCANNED.with(|n| n.set(n.get() + (at - floor)));
    let after_punctuation = s[floor..at].rfind(is_clause_end).map_or(floor, |i| {
        floor + i + s[floor + i..].chars().next().map_or(1, char::len_utf8)
    });
    let last_pause = pauses[..pauses.partition_point(|&p| p <= at)].last().copied();
    last_pause.map_or(after_punctuation, |p| p.max(after_punctuation))
}

/// Where the clause holding byte `at` ends: at the first clause punctuation or the first of
/// `pauses` at or after `at`, and at most [`CLAUSE_REACH`] bytes on.
fn clause_end(s: &str, pauses: &[usize], at: usize) -> usize {
    let ceiling = s.ceil_char_boundary((at + CLAUSE_REACH).min(s.len()));
    #[cfg(test)]
    tests::SCANNED.with(|n| n.set(n.get() + (ceiling - at)));
    let at_punctuation = s[at..ceiling].find(is_clause_end).map_or(ceiling, |i| at + i);
    let next_pause = pauses.get(pauses.partition_point(|&p| p < at)).copied();
    next_pause.map_or(at_punctuation, |p| p.min(at_punctuation))
}

/// The clause holding the mention `start..end`: from the clause end before it to the one
/// after it (punctuation or a pause; a pause inside the mention, as in 曝 光, is no end).
fn clause_around(s: &str, pauses: &[usize], start: usize, end: usize) -> Range<usize> {
    clause_start(s, pauses, start)..clause_end(s, pauses, end)
}

/// The clause just before the one starting at `this_start`, if a clause end parts them (a
/// comma or a pause; not a sentence end, nor the edge of [`CLAUSE_REACH`]).
fn previous_clause(s: &str, pauses: &[usize], this_start: usize) -> Option<Range<usize>> {
    let boundary_char = s[..this_start].chars().next_back()?;
    let prev_end = if is_sentence_end(boundary_char) {
        return None;
    } else if is_clause_end(boundary_char) {
        this_start - boundary_char.len_utf8()
    } else if pauses.binary_search(&this_start).is_ok() {
        this_start
    } else {
        return None;
    };
    let pauses_before = &pauses[..pauses.partition_point(|&p| p < prev_end)];
    Some(clause_start(s, pauses_before, prev_end)..prev_end)
}

/// How many of `pauses` (ascending) lie in `from..=to`.
fn pauses_within(pauses: &[usize], from: usize, to: usize) -> usize {
    pauses.partition_point(|&p| p <= to) - pauses.partition_point(|&p| p < from)
}

/// A clause opener (我要, 然后 …) stands in `gap`, the text between a negator and the term
/// without punctuation or pause: the term is in a new clause, beyond the negator's reach
/// (我对你们很不满意我要去12315投诉, 一直没回复然后找了律师). Openers are matched inside
/// words, since jieba splits 我|要 and the pronoun is what marks the new subject.
fn opens_clause(gap: &str, openers: &[String]) -> bool {
    openers.iter().any(|w| occurrences(gap, w).next().is_some())
}

/// `start..end` is a span of `s` on character boundaries.
fn fits(s: &str, start: usize, end: usize) -> bool {
    start <= end && end <= s.len() && s.is_char_boundary(start) && s.is_char_boundary(end)
}

/// 12315 inside 13812315678, cctv inside a longer word, 12345 in a licence plate (沪A12345),
/// a flight or a waybill number (SF12345): digits with a Latin letter on either side are a code.
fn glued_to_alphanumerics(s: &str, start: usize, end: usize) -> bool {
    let first = s[start..end].chars().next();
    let last = s[start..end].chars().next_back();
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    let glued = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) => {
            (a.is_ascii_digit() && b.is_ascii_digit())
                || (a.is_ascii_alphabetic() && b.is_ascii_alphabetic())
                || (a.is_ascii_alphabetic() && b.is_ascii_digit())
                || (a.is_ascii_digit() && b.is_ascii_alphabetic())
        }
        _ => false,
    };
    glued(before, first) || glued(last, after)
}

/// Byte offsets where `needle` occurs in `haystack` (overlapping). The haystacks here are a
/// clause or a few characters, so a memchr for the first byte and a compare beats building a
/// substring searcher for every marker of every candidate.
fn occurrences<'h>(haystack: &'h str, needle: &'h str) -> impl Iterator<Item = usize> + 'h {
    let (hay, pattern) = (haystack.as_bytes(), needle.as_bytes());
    let first = pattern.first().copied();
    memchr::memchr_iter(first.unwrap_or(0), hay).filter(move |&at| first.is_some() && hay[at..].starts_with(pattern))
}

/// One of `words` within `within` characters before `start` or after `end`.
fn any_within(s: &str, start: usize, end: usize, within: usize, words: &[String]) -> bool {
    if words.is_empty() {
        return false;
    }
    let from = s[..start]
        .char_indices()
        .rev()
        .take(within)
        .last()
        .map_or(start, |(i, _)| i);
    let to = s[end..].char_indices().nth(within).map_or(s.len(), |(i, _)| end + i);
    let (before, after) = (&s[from..start], &s[end..to]);
    words
        .iter()
        .any(|w| occurrences(before, w).next().is_some() || occurrences(after, w).next().is_some())
}

/// The term lies inside an occurrence of one of `phrases` (曝光 inside 曝光补偿).
fn inside_any(s: &str, start: usize, end: usize, phrases: &[String]) -> bool {
    any_occurrence_around(s, start, end, phrases, |from, to| from <= start && to >= end)
}

/// A pattern's match overlaps an occurrence of one of `phrases` (给我打来三次电话: the
/// company called, whatever the pattern saw).
fn overlaps_any(s: &str, start: usize, end: usize, phrases: &[String]) -> bool {
    any_occurrence_around(s, start, end, phrases, |from, to| from < end && to > start)
}

/// An occurrence `from..to` of one of `phrases` near `start..end` for which `hit` holds.
fn any_occurrence_around(
    s: &str,
    start: usize,
    end: usize,
    phrases: &[String],
    hit: impl Fn(usize, usize) -> bool,
) -> bool {
    phrases.iter().any(|p| {
        let from = s.floor_char_boundary(start.saturating_sub(p.len()));
        let to = s.ceil_char_boundary((end + p.len()).min(s.len()));
        occurrences(&s[from..to], p).any(|at| hit(from + at, from + at + p.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::Category;
    use crate::detect::finding::dedupe;
    use crate::normalize::normalize;
    use crate::transcript::Conversation;

    thread_local! {
        /// Bytes the clause search looked at, in this thread.
        pub(super) static SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn clauses_are_bounded_on_lines_without_punctuation() {
        let line = "我们不会去投诉你们的".repeat(1000);
        let at = line.len() / 2;
        let at = line.floor_char_boundary(at);
        let clause = clause_around(&line, NO_PAUSES, at, at + 3);
        assert!(clause.len() <= 2 * CLAUSE_REACH + 3, "{}", clause.len());
        let short = "你好，我要去12315投诉，谢谢";
        let start = short.find("12315").unwrap();
        assert_eq!(
            &short[clause_around(short, NO_PAUSES, start, start + 5)],
            "我要去12315投诉"
        );
    }

    /// A pause ends a clause like a comma does, on either side of a mention, but a pause
    /// inside the mention (曝 光) does not split it; the clause before is found across either.
    #[test]
    fn clauses_end_at_pauses_as_at_commas() {
        let spaced = normalize("我也不知道怎么办 我要去12315投诉 你们看着办");
        let s = &spaced.text;
        let pauses: Vec<usize> = spaced.pauses().collect();
        assert_eq!(pauses.len(), 2);
        let start = s.find("12315").unwrap();
        let clause = clause_around(s, &pauses, start, start + 5);
        assert_eq!(&s[clause.clone()], "我要去12315投诉");
        let before = previous_clause(s, &pauses, clause.start).unwrap();
        assert_eq!(&s[before], "我也不知道怎么办");
        assert_eq!(
            &s[clause_around(s, NO_PAUSES, start, start + 5)],
            s.as_str(),
            "jieba's span: no pauses"
        );

        let commas = "我也不知道怎么办，我要去12315投诉，你们看着办";
        let start = commas.find("12315").unwrap();
        let clause = clause_around(commas, NO_PAUSES, start, start + 5);
        assert_eq!(&commas[clause.clone()], "我要去12315投诉");
        assert_eq!(
            &commas[previous_clause(commas, NO_PAUSES, clause.start).unwrap()],
            "我也不知道怎么办"
        );

        let inside = normalize("我要曝 光你们");
        let pauses: Vec<usize> = inside.pauses().collect();
        let start = inside.text.find("曝光").unwrap();
        let clause = clause_around(&inside.text, &pauses, start, start + "曝光".len());
        assert_eq!(&inside.text[clause], "我要曝光你们");

        assert_eq!(
            previous_clause("我要去投诉", NO_PAUSES, 6),
            None,
            "no clause end, no clause before"
        );
        assert_eq!(
            previous_clause("好的。我要去投诉", NO_PAUSES, 9),
            None,
            "a sentence end is no condition's reach"
        );
    }

    /// The built-in dictionaries, loaded once for every test of this module.
    fn builtin_engine() -> &'static crate::config::Engine {
        static ENGINE: std::sync::OnceLock<crate::config::Engine> = std::sync::OnceLock::new();
        ENGINE.get_or_init(|| crate::config::Engine::new(crate::config::load_lexicon(&[], true, 1).unwrap()))
    }

    /// What a row expects of its category on the line.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Expect {
        /// Reported and counted, not conditional.
        Counts,
        /// Counted as a conditional threat (raised one severity level).
        Conditional,
        /// Reported with `negated=true` and this reason.
        NotCounted(Reason),
        /// Matched, then not a finding at all (no row in reports), for this reason.
        Dropped(Dropped),
    }

    use Expect::{Conditional, Counts, Dropped as NotAFinding, NotCounted};
    use Reason::{Hypothetical, Negated, OtherSense, Quoted};
    const AGENT: Speaker = Speaker::Agent;
    const CUSTOMER: Speaker = Speaker::Customer;

    /// The line judged as the pipeline judges it (normalise, match, judge, one finding per
    /// category), read back as an [`Expect`] for `category`; `None` when nothing of the
    /// category was matched at all, so a row can never pass for want of a candidate.
    /// `before => line` is two lines, the first said by the other side (as `lexicon test`
    /// reads rules with `after_line`); only the second line's findings are read.
    fn judged(speaker: Speaker, line: &str, category: Category) -> (Option<Expect>, String) {
        let engine = builtin_engine();
        let conversation = match line.split_once(crate::lexicon_check::AFTER_LINE_SEPARATOR) {
            Some((before, line)) => {
                let other = if speaker == AGENT { CUSTOMER } else { AGENT };
                let mut conversation = Conversation::one_line("", other, before);
                let mut second = Conversation::one_line("", speaker, line).utterances;
                second[0].line = 2;
                conversation.utterances.append(&mut second);
                conversation
            }
            None => Conversation::one_line("", speaker, line),
        };
        let last = conversation.utterances.len() - 1;
        let all: Vec<Finding> = crate::detect::judge_conversation(&conversation, engine)
            .into_iter()
            .filter(|(index, _)| *index == last)
            .flat_map(|(_, findings)| findings)
            .collect();
        let shown = all
            .iter()
            .map(|f| {
                format!(
                    "{} «{}» {:?} conditional={}",
                    f.category, f.term, f.verdict, f.conditional
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let dropped = all.iter().find_map(|f| match f.verdict {
            Verdict::Dropped(why) if f.category == category => Some(NotAFinding(why)),
            _ => None,
        });
        let kept = dedupe(all).into_iter().find(|f| f.category == category);
        let expect = match kept.map(|f| (f.verdict, f.conditional)) {
            Some((Verdict::Counted, true)) => Some(Conditional),
            Some((Verdict::Counted, false)) => Some(Counts),
            Some((Verdict::NotCounted(reason), _)) => Some(NotCounted(reason)),
            Some((Verdict::Dropped(_), _)) | None => dropped,
        };
        (expect, shown)
    }

    fn check(rows: &[(&str, Speaker, &str, Category, Expect)]) {
        let mut failures = Vec::new();
        for &(name, speaker, line, category, want) in rows {
            let (got, shown) = judged(speaker, line, category);
            if got != Some(want) {
                failures.push(format!(
                    "{name}\n    {speaker:?}: {line}\n    {category}: want {want:?}, got {got:?}\n    judged: {shown}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} rows:\n{}",
            failures.len(),
            rows.len(),
            failures.join("\n")
        );
    }

    /// Real-sounding lines, one row per thing a QA lead would check, through the built-in
    /// dictionaries and the whole context stage.
    #[test]
    fn how_each_kind_of_mention_is_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // Negation before the term, in the same clause.
            ("a promise not to go to the press does not count", CUSTOMER, "我不会去找媒体", ThreatMedia, NotCounted(Negated)),
            ("不想 before a lawsuit does not count", CUSTOMER, "我也不想打官司", ThreatLegal, NotCounted(Negated)),
            ("an agent denying a defect is not admitting one", AGENT, "这个不是产品质量问题", TabooAdmitDefect, NotCounted(Negated)),
            ("不 inside 不满意 negates nothing: the complaint after it counts", CUSTOMER, "我对你们很不满意我要去12315投诉", ThreatRegulator, Counts),
            ("a full-width ？ ends the sentence of 没", CUSTOMER, "你们就没人管吗？去12315投诉你们", ThreatRegulator, Counts),
            ("a full-width ！ ends the sentence of 不", CUSTOMER, "我不管了！找记者曝光你们", ThreatMedia, Counts),
            ("a full-width ； ends the clause of 没", CUSTOMER, "没人回复；找了律师", ThreatLegal, Counts),
            // Negation after the term.
            ("媒体我就不找了: decided against the press", CUSTOMER, "媒体我就不找了", ThreatMedia, NotCounted(Negated)),
            ("12315就算了: dropped the complaint", CUSTOMER, "12315就算了", ThreatRegulator, NotCounted(Negated)),
            // Double negation affirms.
            ("不得不报警 is a threat to call the police, on a condition (再这样)", CUSTOMER, "再这样我不得不报警了", ThreatLegal, Conditional),
            ("不排除起诉 is a threat to sue", CUSTOMER, "我不排除起诉你们", ThreatLegal, Counts),
            // Hypotheticals.
            ("如果是质量问题 from the agent admits nothing", AGENT, "如果是质量问题我们免费给您换", TabooAdmitDefect, NotCounted(Hypothetical)),
            ("要是 before the channel is a question, not a threat", CUSTOMER, "要是我去消协投诉你们会怎么样", ThreatRegulator, NotCounted(Hypothetical)),
            ("…的话 right after the channel is a question, not a threat", CUSTOMER, "投诉到12315的话要多久", ThreatRegulator, NotCounted(Hypothetical)),
            // Conditional threats count, raised one level.
            ("不给我退我就去12315 is a conditional threat", CUSTOMER, "不给我退我就去12315", ThreatRegulator, Conditional),
            ("否则 before the press is a conditional threat", CUSTOMER, "否则我就找媒体曝光", ThreatMedia, Conditional),
            ("再不处理 before the police is a conditional threat", CUSTOMER, "再不处理我就报警", ThreatLegal, Conditional),
            ("要是不…，我就 over a comma is a conditional threat", CUSTOMER, "你们要是不给我退，我就去12315", ThreatRegulator, Conditional),
            ("…的话，我就 over a comma is a conditional threat", CUSTOMER, "不给我保修的话，我就去拉横幅", ThreatProtest, Conditional),
            ("如果你们不处理我去消协 is conditional without 就", CUSTOMER, "如果你们不处理我去消协", ThreatRegulator, Conditional),
            // Reported speech.
            ("an agent quoting a colleague's promise is not the agent's promise", AGENT, "上次我们同事说一定给您解决的", TabooOverpromise, NotCounted(Quoted)),
            ("a customer quoting a friend's plan is not the customer's threat", CUSTOMER, "我朋友说要去找媒体", ThreatMedia, NotCounted(Quoted)),
            // Another sense of the word.
            ("曝光补偿 is the camera setting", CUSTOMER, "拍照的时候曝光补偿怎么调", ThreatMedia, NotCounted(OtherSense)),
            ("报警器 is a smoke alarm, not the police", CUSTOMER, "家里的报警器一直响", ThreatLegal, NotAFinding(Dropped::PartOfWord)),
            ("横幅广告 is a banner ad, not a protest", CUSTOMER, "手机老是弹横幅广告", ThreatProtest, NotAFinding(Dropped::NoContext)),
            ("住高层 is a floor, not management", CUSTOMER, "我家住高层，电梯坏了", ThreatManagement, NotAFinding(Dropped::NoContext)),
            ("刷抖音卡顿 is using the app, not posting", CUSTOMER, "刷抖音卡顿", ThreatOnline, NotAFinding(Dropped::NoContext)),
            ("a customer who is a lawyer is not threatening one", CUSTOMER, "我是律师，合同我看得懂", ThreatLegal, NotCounted(OtherSense)),
            // The speaker.
            ("an agent naming 12315 is no customer threat", AGENT, "您可以去12315投诉", ThreatRegulator, NotAFinding(Dropped::WrongSpeaker)),
            ("an agent pointing to 12315 incites a complaint", AGENT, "您可以去12315投诉", TabooIncite, Counts),
            ("a customer repeating the agent's promise is no taboo", CUSTOMER, "上次你们同事说一定给我解决", TabooOverpromise, NotAFinding(Dropped::WrongSpeaker)),
            ("an unknown speaker's threat is still reported and counted", Speaker::Unknown, "我要去12315投诉", ThreatRegulator, Counts),
            // ASR without punctuation, clauses parted by spaces (pauses).
            ("a pause ends the clause of 没: the lawsuit after it counts", CUSTOMER, "我也没钱 去法院起诉", ThreatLegal, Counts),
            ("without the pause 没钱去法院 is one clause, negated", CUSTOMER, "我也没钱去法院起诉", ThreatLegal, NotCounted(Negated)),
            ("不知道怎么办 then a pause: the press after it counts", CUSTOMER, "不知道怎么办 找记者吧", ThreatMedia, Counts),
            ("without the pause 不 reaches 找记者", CUSTOMER, "不知道怎么办找记者吧", ThreatMedia, NotCounted(Negated)),
            ("不好意思 is no negator: 我们会去曝光 after a pause counts", CUSTOMER, "不好意思啊 我们会去曝光的", ThreatMedia, Counts),
            ("我也不知道怎么办 then a pause: 我要去12315投诉 counts", CUSTOMER, "我也不知道怎么办 我要去12315投诉", ThreatRegulator, Counts),
            ("spaces around digits are no pause: 12315 counts", CUSTOMER, "我要去 12315 投诉", ThreatRegulator, Counts),
            ("a hesitation right after the negator stays negated", CUSTOMER, "我不会 去找记者", ThreatMedia, NotCounted(Negated)),
            ("a line spaced word by word stays negated", CUSTOMER, "我 不 会 去 找 记 者", ThreatMedia, NotCounted(Negated)),
            ("a condition before a pause makes the threat conditional", CUSTOMER, "你们再不处理 我就去找记者", ThreatMedia, Conditional),
            ("a quote reaches across one pause", CUSTOMER, "我同事说 要去找媒体", ThreatMedia, NotCounted(Quoted)),
            ("a quote does not reach across two pauses", CUSTOMER, "他说没事 等了三天 结果还是找了律师", ThreatLegal, Counts),
            // ASR with neither punctuation nor spaces: clause openers.
            ("然后 opens a clause: 没 negates the reply, not the lawyer", CUSTOMER, "一直没回复然后找了律师", ThreatLegal, Counts),
            ("结果 opens a clause: 不 negates the refund, not the police", CUSTOMER, "不退款结果我报警了", ThreatLegal, Counts),
            ("那我 opens a clause: the press counts, on the condition before it", CUSTOMER, "你们不处理那我找记者", ThreatMedia, Conditional),
            ("反正 opens a clause: the press counts", CUSTOMER, "我不懂反正找媒体曝光", ThreatMedia, Counts),
            ("我不想去消协投诉 stays negated", CUSTOMER, "我不想去消协投诉", ThreatRegulator, NotCounted(Negated)),
            ("我不会去找记者 stays negated", CUSTOMER, "我不会去找记者", ThreatMedia, NotCounted(Negated)),
            ("an agent saying 我们不会让您去12315投诉 is not inciting", AGENT, "我们不会让您去12315投诉", TabooIncite, NotCounted(Negated)),
            ("直接 is no opener: 我不会直接去法院 stays negated", CUSTOMER, "我不会直接去法院", ThreatLegal, NotCounted(Negated)),
        ];
        check(&rows);
    }

    /// Issue 10 point 5: one row per family of rounds 5 and 6, each a way people say it (not
    /// one sentence), with the guard that keeps its other senses out. Invented lines.
    #[test]
    fn round_5_and_6_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // threat.repeat: story shapes.
            ("repeat: an earlier contact that came to nothing", CUSTOMER, "我上周就跟你们物业反映过，结果到现在还是漏", ThreatRepeat, Counts),
            ("repeat: the same answer last time and the time before", CUSTOMER, "上回来你们就这么说，上上回也这么说", ThreatRepeat, Counts),
            ("repeat: a count past what {n} reads", CUSTOMER, "这个问题我都反馈了八百回了", ThreatRepeat, Counts),
            ("repeat: what happened each time", CUSTOMER, "约了师傅上门，每回都放我鸽子", ThreatRepeat, Counts),
            ("repeat: not an earlier complaint that was settled", CUSTOMER, "我前天反映过水管的事，昨天已经修好了，谢谢", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: not the company calling the customer", CUSTOMER, "你们已经打了三个电话了，地址没问题", ThreatRepeat, NotCounted(OtherSense)),
            // threat.extreme: weapon, vehicle, fire, self-harm in plain words.
            ("extreme: a weapon carried to the premises", CUSTOMER, "明天我拎把斧子去你们营业厅", ThreatExtreme, Counts),
            ("extreme: a car driven into the shop", CUSTOMER, "我开着车直接撞进你们展厅", ThreatExtreme, Counts),
            ("extreme: fire set to the shop", CUSTOMER, "再不退钱我就去你们店里一把火给它点了", ThreatExtreme, Conditional),
            ("extreme: a will already written", CUSTOMER, "我活着也没意思了，遗书都写好了", ThreatExtreme, Counts),
            ("extreme: a crowd brought to hurt someone", CUSTOMER, "下回再让我碰见他，我叫几个兄弟砍他", ThreatExtreme, Counts),
            ("extreme: the oath 不…我不姓", CUSTOMER, "我今天不收拾他我不姓王", ThreatExtreme, Counts),
            ("extreme: not a game character jumping", CUSTOMER, "我的角色从桥上跳下去就卡住了", ThreatExtreme, NotCounted(OtherSense)),
            ("extreme: not a threat made against the customer", CUSTOMER, "那个司机骂我，还说我再啰嗦就打死我", ThreatExtreme, NotCounted(OtherSense)),
            // taboo.admit_defect: batch and fault.
            ("admit_defect: a batch and its fault", AGENT, "说实话，那批货本身就有毛病", TabooAdmitDefect, Counts),
            ("admit_defect: a part of a batch that failed", AGENT, "跟您说实话，这批的压缩机出过问题", TabooAdmitDefect, Counts),
            ("admit_defect: a material owned up to", AGENT, "说实话这款的面料材质是不太行", TabooAdmitDefect, Counts),
            ("admit_defect: not a condition", AGENT, "如果这批压缩机确实有问题，我们给您换", TabooAdmitDefect, NotCounted(Hypothetical)),
            // taboo.withdraw: take-downs and complaints not to be made.
            ("withdraw: asked to take a post down", AGENT, "您抖音上发的那个视频，麻烦先删一下", TabooWithdraw, Counts),
            ("withdraw: asked not to complain to a named place", AGENT, "您千万别去卫健委投诉，我们尽量满足您", TabooWithdraw, Counts),
            ("withdraw: asked to keep it in the house", AGENT, "这事您先别往外投，我们内部先查", TabooWithdraw, Counts),
            ("withdraw: not a withdrawal the customer asked for", AGENT, "您说的那个投诉，我这边帮您撤回", TabooWithdraw, NotCounted(OtherSense)),
            // taboo.deflect: sent to another party.
            ("deflect: sent to another party to sort it out", AGENT, "这个需要您先和卖家协商，我们不好管", TabooDeflect, Counts),
            ("deflect: do it yourself at a window", AGENT, "这个您得自己去收费窗口问", TabooDeflect, Counts),
            ("deflect: not when the agent helps", AGENT, "这个需要您先和卖家协商，我帮您联系", TabooDeflect, NotCounted(OtherSense)),
            // threat.regulator: the channel first, or already done.
            ("regulator: already complained, the channel first", CUSTOMER, "市场监管局我是投了，你们等着", ThreatRegulator, Counts),
            ("regulator: a new regulator with a promise", CUSTOMER, "医保局我明天就去", ThreatRegulator, Counts),
            ("regulator: not where a place is", CUSTOMER, "我家就在邮政局后面那个小区", ThreatRegulator, NotCounted(OtherSense)),
            // threat.online: the platform far from the intent.
            ("online: the thing posted named, then Weibo", CUSTOMER, "我已经把聊天记录截图发微博了", ThreatOnline, Counts),
            ("online: a thread opened on a forum", CUSTOMER, "我已经在汽车之家论坛开了个帖", ThreatOnline, Counts),
            // threat.protest: at the premises.
            ("protest: staying until it is settled", CUSTOMER, "明天我去你们门店，不给退我就坐那儿不走了", ThreatProtest, Counts),
            ("protest: somebody else's banner is not the customer's", CUSTOMER, "我听群里有几个业主说要去售楼处拉横幅", ThreatProtest, NotCounted(Quoted)),
            ("protest: the customer's own group is no quote", CUSTOMER, "我们几个人说好了，明天就去你们售楼处拉横幅", ThreatProtest, Counts),
            // threat.safety: burns in everyday words; the news is quoted.
            ("safety: a flame and a burn", CUSTOMER, "打火的时候轰一下火苗子窜出来，手背燎了一片", ThreatSafety, Counts),
            ("safety: what the news says is not this customer's incident", CUSTOMER, "我看新闻说有个充电宝冒烟了", ThreatSafety, NotCounted(Quoted)),
            // threat.management: the one at the top, words between.
            ("management: the one at the top summoned", CUSTOMER, "我要找你们集团的一把手", ThreatManagement, Counts),
            ("management: not a manager's past words", CUSTOMER, "你们那个经理当时跟我说能退", ThreatManagement, NotCounted(OtherSense)),
            // taboo.overpromise and taboo.impatience in everyday words.
            ("overpromise: the money promised back", AGENT, "您放心，这笔钱我一定帮您要回来", TabooOverpromise, Counts),
            ("impatience: brushing off politely", AGENT, "条款写得很清楚，您自己去看合同", TabooImpatience, Counts),
            // Context: a quote ends where the speaker takes over in the first person.
            ("a quote ends at a break where the speaker takes over", CUSTOMER, "我找了医生，他说正常，我已经在卫健委投诉了", ThreatRegulator, Counts),
            ("a neighbour's plan is quoted", CUSTOMER, "邻居说要去告他们", ThreatLegal, NotCounted(Quoted)),
        ];
        check(&rows);
    }

    /// Issue 10 round 7: one row per family of round 6's misses and false alarms, written in
    /// other words than the calls they came from, and one per regression fixed. `before =>
    /// line` rows are two lines: the first said by the other side, the second judged.
    #[test]
    fn round_7_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // threat.online: the platform first, then what was done there; a post owned up to.
            ("online: platform first, the post done", CUSTOMER, "我把漏水的照片 抖音上已经发了", ThreatOnline, Counts),
            ("online: a review site written up too", CUSTOMER, "马蜂窝点评我也写了，图都配上了", ThreatOnline, Counts),
            ("online: not a question about the app", CUSTOMER, "我在小红书上发了个笔记，怎么一直在审核", ThreatOnline, NotCounted(OtherSense)),
            ("online: a post the agent named, owned up to", CUSTOMER, "您拍的那段视频是不是发到快手上了 => 就是我发的 咋了", ThreatOnline, Counts),
            ("online: the same words with no post named", CUSTOMER, "您好，请问有什么可以帮您 => 就是我发的", ThreatOnline, NotAFinding(Dropped::NotAfterLine)),
            // threat.regulator: a channel the agent named, answered.
            ("regulator: a complaint the agent named, confirmed", CUSTOMER, "您在市场监管局的那个投诉我们看到了 => 看到就好 我早就投了", ThreatRegulator, Counts),
            ("regulator: told to the one in charge", CUSTOMER, "这事我回头还得跟民政局说说", ThreatRegulator, Counts),
            ("regulator: 懒得 after the channel withdraws it", CUSTOMER, "12315我懒得打，你们看着办", ThreatRegulator, NotCounted(Negated)),
            // taboo.withdraw: holding off a channel the customer just named.
            ("withdraw: 先别去 after the customer named the press", AGENT, "我下午就去找电视台 => 您先别去，我们再想想办法", TabooWithdraw, Counts),
            ("withdraw: not to go to a named regulator", AGENT, "大姐您可别去12305，那边一查我们都麻烦", TabooWithdraw, Counts),
            // taboo.deflect: our side disowned, a dispute handed back.
            ("deflect: not our people", AGENT, "那个维修工是外包的 不是我们公司的人", TabooDeflect, Counts),
            ("deflect: a fraud warning is no deflection", AGENT, "那个肯定不是我们公司的人，您千万别给他转钱", TabooDeflect, NotCounted(OtherSense)),
            ("deflect: a dispute between others", AGENT, "这是你们两家租户之间的事，您自己找他说", TabooDeflect, Counts),
            ("deflect: the head office disowned", AGENT, "网点是加盟的 出了事跟我们总部没关系", TabooDeflect, Counts),
            // taboo.admit_defect: the batch owned up to; a condition inside the pattern.
            ("admit_defect: the whole batch prone to a fault", AGENT, "跟您说实话，这批电热毯都容易过热", TabooAdmitDefect, Counts),
            ("admit_defect: 如果 inside a pattern's gap is a condition", AGENT, "这批压缩机如果确实有问题，我们给您换", TabooAdmitDefect, NotCounted(Hypothetical)),
            // taboo.overpromise and taboo.impatience.
            ("overpromise: the result promised", AGENT, "您放心，丢的行李一定能找回来", TabooOverpromise, Counts),
            ("overpromise: a genuine product is a fact, not a promise", AGENT, "我们是官方店，这个肯定是正品", TabooOverpromise, NotAFinding(Dropped::NoContext)),
            ("impatience: a refusal repeated", AGENT, "说了不能改就是不能改", TabooImpatience, Counts),
            ("impatience: stop calling", AGENT, "您别老打这个电话了，我们定不了", TabooImpatience, Counts),
            ("impatience: 是不是in a pattern is a question, not a condition", AGENT, "你耳朵是不是有问题", TabooImpatience, Counts),
            // threat.protest and threat.media.
            ("protest: a crowd counted on its way", CUSTOMER, "下周我们三十多口人一起去你们售楼处", ThreatProtest, Counts),
            ("protest: a family booking rooms is no crowd", CUSTOMER, "我们一家子五口人下个月去你们酒店入住，有没有家庭房", ThreatProtest, NotCounted(OtherSense)),
            ("media: evidence handed to a news account", CUSTOMER, "我已经把录音发给了我们市里那个新闻公众号", ThreatMedia, Counts),
            ("media: a programme watched is no threat", CUSTOMER, "我看电视台报道说这个能提前退", ThreatMedia, NotCounted(OtherSense)),
            // threat.extreme, threat.safety, threat.legal, threat.management.
            ("extreme: pests are killed too", CUSTOMER, "这个喷雾能把蟑螂弄死吗", ThreatExtreme, NotCounted(OtherSense)),
            ("extreme: a car wrecked", CUSTOMER, "他再堵我车位，我就把他的车胎扎了", ThreatExtreme, Counts),
            ("safety: a vehicle that caught fire by itself", CUSTOMER, "我电动车停楼下 半夜自己着了", ThreatSafety, Counts),
            ("legal: 哪有钱 denies the lawsuit", CUSTOMER, "我哪有钱打官司", ThreatLegal, NotCounted(Negated)),
            ("legal: a neighbour downstairs is quoted", CUSTOMER, "我楼下的老李说要去法院告他们", ThreatLegal, NotCounted(Quoted)),
            ("management: a manager's recommendation is no summons", CUSTOMER, "你们经理推荐的理财，现在亏了三万", ThreatManagement, NotCounted(OtherSense)),
            ("management: the head of a venue summoned", CUSTOMER, "你们馆长呢？让馆长给我打电话", ThreatManagement, Counts),
        ];
        check(&rows);
    }

    /// Issue 10 round 8 (dict8h): one row per family of the customer threats written as the
    /// general shape of the turn (classes of places, crowds, posting verbs), in other words than
    /// the calls they came from, with the guards that keep other senses out, and one row per
    /// context regression fixed. `before => line` rows are two lines.
    #[test]
    fn round_8_threat_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // threat.online: a posting verb, words between, a place online.
            ("online: the destination far from the verb", CUSTOMER, "我把聊天记录整理好，发到我们那个车友论坛和微博上", ThreatOnline, Counts),
            ("online: a parents' group named", CUSTOMER, "我已经发到我们小区的妈妈群里了", ThreatOnline, Counts),
            ("online: a question about sending is no threat", CUSTOMER, "图片发到那个论坛上的时候一直失败", ThreatOnline, NotCounted(OtherSense)),
            ("online: a place, then what is done to the company there", CUSTOMER, "我就在大众点评上把你们店的名字挂出来", ThreatOnline, Counts),
            ("online: a long match stands aside for another category's word", CUSTOMER, "我整理一下发到知乎上 再投给那个记者 让人家扒一扒", ThreatMedia, Counts),
            ("online: filmed, then posted", CUSTOMER, "行，我先把你们的态度录下来发抖音", ThreatOnline, Counts),
            ("online: a crowd posting together", CUSTOMER, "我们车友群几百人今晚一起发微博", ThreatOnline, Counts),
            ("online: a live stream on a platform", CUSTOMER, "我明天就在快手开直播，让大家看看你们的服务", ThreatOnline, Counts),
            ("online: selling on a live stream is another sense", CUSTOMER, "我在抖音直播间看到你们在带货", ThreatOnline, NotAFinding(Dropped::NoContext)),
            ("online: posting again after the agent named the post", CUSTOMER, "您发的那条微博能不能先删一下 => 不删，我还要再发一条", ThreatOnline, Counts),
            // threat.protest: crowds, summons, staying, showing, signs.
            ("protest: the customer's own crowd going together", CUSTOMER, "我们单元二十多户商量好了，周六一起去你们物业中心", ThreatProtest, Counts),
            ("protest: a crowd's outing is another sense", CUSTOMER, "我们十几个人周末一起去你们店里聚餐", ThreatProtest, NotCounted(OtherSense)),
            ("protest: calling people together to the premises", CUSTOMER, "这礼拜天我就召集邻居到你们物业办公室门口去", ThreatProtest, Counts),
            ("protest: staying at their counter", CUSTOMER, "不退押金我就坐你们柜台上不走了", ThreatProtest, Conditional),
            ("protest: waiting for a number is no sit-in", CUSTOMER, "我在你们大厅坐着等号呢", ThreatProtest, NotCounted(OtherSense)),
            ("protest: the broken thing shown at the door", CUSTOMER, "再不换我就把这台冰箱拉到你们专卖店门口 摆在那儿", ThreatProtest, Conditional),
            ("protest: a sign written up", CUSTOMER, "我明天就在小区门口竖个牌子 写上开发商骗人", ThreatProtest, Counts),
            ("protest: every visitor told", CUSTOMER, "我明天就站在你们店门口，来一个顾客说一个", ThreatProtest, Counts),
            ("protest: a banner seen is no threat", CUSTOMER, "我看到你们拉了个横幅，说会员打八折", ThreatProtest, NotCounted(OtherSense)),
            ("protest: 看到你们门口 is no trip to the door", CUSTOMER, "我上次看到你们门口新开了一家店", ThreatProtest, NotCounted(OtherSense)),
            ("protest: a banner asked about is no threat", CUSTOMER, "我们办婚宴的时候宴会厅能不能挂横幅", ThreatProtest, NotCounted(OtherSense)),
            ("protest: a neighbour talked out of it", CUSTOMER, "隔壁老王说要拉横幅，我劝他别这么干", ThreatProtest, NotCounted(Quoted)),
            // threat.extreme: harm in everyday words.
            ("extreme: wrecking what is theirs", CUSTOMER, "我下午就过去把你们厨房的东西全给砸了", ThreatExtreme, Counts),
            ("extreme: a thing set on fire at the door", CUSTOMER, "不给我退车，我就在你们店门口把这车点了", ThreatExtreme, Conditional),
            ("extreme: poison carried to the premises", CUSTOMER, "我就拿着农药去你们营业厅里喝", ThreatExtreme, Counts),
            ("extreme: knowing where someone's child goes to school", CUSTOMER, "那个业务员的儿子在哪个学校我都知道", ThreatExtreme, Counts),
            ("extreme: points doubled are no revenge", CUSTOMER, "积分活动能加倍还给你们吗", ThreatExtreme, NotCounted(OtherSense)),
            // threat.repeat, threat.management, threat.safety.
            ("repeat: visits to the company's own place counted", CUSTOMER, "这台车我进了你们店八回了", ThreatRepeat, Counts),
            ("repeat: a restaurant visited twice is no complaint", CUSTOMER, "你们那家门店我去过两回了，菜挺好吃", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: somebody else's complaint", CUSTOMER, "已经有人反馈过了你们还卖？", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: a wait within this visit", CUSTOMER, "我妈在你们急诊等了三个小时 没人管", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: 换几次 asked is a question", CUSTOMER, "你们的护工一天换几次床单", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: a promise to handle it, then nothing", CUSTOMER, "上个月物业答应帮我修，结果没消息", ThreatRepeat, Counts),
            ("repeat: a contact, then days gone by", CUSTOMER, "礼拜天反映的漏水，都到周三了还没人管", ThreatRepeat, Counts),
            ("repeat: the same answer after half a year", CUSTOMER, "签约时说三个月交房，半年后还是说在验收", ThreatRepeat, Counts),
            ("management: the one at the top summoned in person", CUSTOMER, "让你们创始人亲自给我回电话", ThreatManagement, Counts),
            ("management: the customer's own company's head", CUSTOMER, "我们董事长想问一下开户的事", ThreatManagement, NotCounted(OtherSense)),
            ("safety: gas heard escaping", CUSTOMER, "装完表以后厨房里一股煤气味 接口那里呲呲漏气", ThreatSafety, Counts),
            ("safety: a neighbour's cigarette end", CUSTOMER, "楼上扔烟头下来，我家晾的床单烧了个洞", ThreatSafety, NotCounted(OtherSense)),
            // Precision of the other threats: a workplace, a place, a device, somebody else.
            ("legal: a court as a workplace", CUSTOMER, "我在法院上班，只有中午有空", ThreatLegal, NotCounted(OtherSense)),
            ("legal: a monitor that beeps", CUSTOMER, "病房里那个监护仪老报警，是坏了吗", ThreatLegal, NotCounted(OtherSense)),
            ("legal: a suit against the customer", CUSTOMER, "对门说了 不赔钱就去法院告我", ThreatLegal, NotCounted(OtherSense)),
            ("media: a journalist by trade calling on a private matter", CUSTOMER, "我是日报的记者，今天是私事，想改个套餐", ThreatMedia, NotCounted(OtherSense)),
            ("media: channels that do not come in", CUSTOMER, "我家央视那几个台都是雪花", ThreatMedia, NotCounted(OtherSense)),
            ("regulator: a regulator as a workplace", CUSTOMER, "我女儿在市场监管局上班，她说没事", ThreatRegulator, NotCounted(OtherSense)),
            // Context: 没了 is spent on what came before; 看我不… is rhetorical.
            ("context: 没了 (gone) does not negate the self-harm after it", CUSTOMER, "房子没了我也不活了", ThreatExtreme, Counts),
            ("context: 看我不… affirms the threat", CUSTOMER, "你明天再来 看我不弄死你", ThreatExtreme, Counts),
            ("context: 没 still negates without 了", CUSTOMER, "我没想跳楼，就是心里难受", ThreatExtreme, NotCounted(Negated)),
        ];
        check(&rows);
    }

    /// Round 9 (dict9h): the customer threats as general shapes with classes (where a protester
    /// stands, whom a customer summons, things of mourning), a customer's own family as a
    /// third party whose threats are passed on, and the families of false alarms guarded.
    #[test]
    fn round_9_threat_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // threat.protest: mourning things, camping, staying at a gate, a plan made together, every day.
            ("protest: a wreath carried to their hall", CUSTOMER, "下礼拜我们抬不动棺材，就带着花圈去你们营业厅门口", ThreatProtest, Counts),
            ("protest: a wreath bought for a funeral is another sense", CUSTOMER, "追悼会要用的花圈去你们门店订要多少钱", ThreatProtest, NotCounted(OtherSense)),
            ("protest: sleeping on the floor at their office", CUSTOMER, "不给我办，我就去你们办公室打地铺", ThreatProtest, Conditional),
            ("protest: blocking their ticket gate", CUSTOMER, "我们二十几个人现在就堵在你们售票处门口", ThreatProtest, Counts),
            ("protest: lying down and not getting up", CUSTOMER, "今天不给我改签，我就躺在这儿不起来了", ThreatProtest, Conditional),
            ("protest: sitting at the gate to board is another sense", CUSTOMER, "我在你们登机口坐着等登机呢，广播怎么不响", ThreatProtest, NotCounted(OtherSense)),
            ("protest: a plan made together, then the premises", CUSTOMER, "我们几家已经说好了，周末去你们售楼处门口堵着要说法", ThreatProtest, Counts),
            ("protest: to their office every day", CUSTOMER, "明天开始我就去你们公司门口，天天去", ThreatProtest, Counts),
            ("protest: shopping there every day is another sense", CUSTOMER, "我去你们超市门口买菜，天天去", ThreatProtest, NotCounted(OtherSense)),
            ("protest: old people's tai chi is another sense", CUSTOMER, "小区那几个大爷天天在亭子里静坐打太极", ThreatProtest, NotCounted(OtherSense)),
            ("protest: a banner that sells flats is another sense", CUSTOMER, "路口有人拉着横幅卖楼，是你们的人吗", ThreatProtest, NotCounted(OtherSense)),
            ("protest: our own door blocked by a car is no protest", CUSTOMER, "外卖车老是把我们单元门口堵着", ThreatProtest, NotCounted(OtherSense)),
            // threat.management: a head of department, the boss asked for, the head office told to send someone.
            ("management: the department head summoned", CUSTOMER, "我不跟你讲了，叫你们科主任过来", ThreatManagement, Counts),
            ("management: where is your manager, I want him", CUSTOMER, "你们店长呢？我要找他", ThreatManagement, Counts),
            ("management: the head office told to send someone", CUSTOMER, "这事你们总公司必须派人来处理", ThreatManagement, Counts),
            ("management: the head office asked about is no summons", CUSTOMER, "你们总部管不了的话，谁管", ThreatManagement, NotCounted(OtherSense)),
            // threat.safety: the hurt in everyday words.
            ("safety: thrown by a shock", CUSTOMER, "我老婆碰了一下洗衣机，被电得手都麻了", ThreatSafety, Counts),
            ("safety: a door that burst by itself", CUSTOMER, "淋浴房的玻璃门半夜自己爆了，碎了一地", ThreatSafety, Counts),
            ("safety: a curtain scorched by a heater", CUSTOMER, "取暖器自己开了一夜，窗帘都烤焦了", ThreatSafety, Counts),
            ("safety: a patient's burn asked about at the ward", CUSTOMER, "五床那个烫伤进来的小孩今天能出院吗", ThreatSafety, NotCounted(OtherSense)),
            // threat.extreme: a jump, a fight to the end, machines smashed; a relative's words are theirs.
            ("extreme: a jump from their roof", CUSTOMER, "你们不给钱，我就爬到你们楼顶跳下去", ThreatExtreme, Conditional),
            ("extreme: a fight to the end with the company named", CUSTOMER, "我跟你们公司拼了", ThreatExtreme, Counts),
            ("extreme: a son's threat passed on is quoted", CUSTOMER, "我儿子说你们不退钱他就去跳楼，我都吓死了", ThreatExtreme, NotCounted(Quoted)),
            ("extreme: after the relative, the speaker takes over", CUSTOMER, "我老公说了，我明天就去你们店里跳楼", ThreatExtreme, Counts),
            // threat.media: a programme sent footage, a story written, an episode made.
            ("media: footage sent to a news programme", CUSTOMER, "我已经把录像发给都市报的热线了", ThreatMedia, Counts),
            ("media: a daughter's plan passed on is quoted", CUSTOMER, "我闺女说要找记者曝光你们，我没让", ThreatMedia, NotCounted(Quoted)),
            // Review of round 9: told to one's own family is no quote; kin report incidents and counts as facts.
            ("regulator: told to my own husband, then my threat", CUSTOMER, "我跟我老公说了，你们再不退钱我就去12315投诉", ThreatRegulator, Conditional),
            ("regulator: told to our own manager is no quote either", CUSTOMER, "我对我们经理说过，你们再拖我就打12315", ThreatRegulator, Counts),
            ("safety: a daughter reporting the burn is a fact", CUSTOMER, "我女儿说她手被烫伤了，就是你们这个电水壶", ThreatSafety, Counts),
            ("repeat: a husband's three calls are the household's", CUSTOMER, "我老公说他都打了三次电话投诉了，一直没人管", ThreatRepeat, Counts),
            ("media: a channel that breaks up is another sense", CUSTOMER, "央视一套看着看着就马赛克了", ThreatMedia, NotCounted(OtherSense)),
            // threat.online: the place first, then what was written.
            ("online: a long post on a forum", CUSTOMER, "我今晚就在知乎上写一篇，把你们的事说清楚", ThreatOnline, Counts),
            ("online: a platform as ASR writes it", CUSTOMER, "你们等着 我去斗音发视频", ThreatOnline, Counts),
            // threat.regulator, threat.legal: errands, questions, devices and landmarks.
            ("regulator: the regulator's own line being called", CUSTOMER, "我想了很久，今天还是打一下你们这个12345", ThreatRegulator, NotCounted(OtherSense)),
            ("regulator: an errand at the office", CUSTOMER, "办营业执照是去市场监管局吧", ThreatRegulator, NotCounted(OtherSense)),
            ("legal: a pump that alarms is no police", CUSTOMER, "那个监护仪一晚上报警好几回", ThreatLegal, NotCounted(OtherSense)),
            ("legal: a court as a landmark", CUSTOMER, "我要去的是法院东门，司机放错了", ThreatLegal, NotCounted(OtherSense)),
            // threat.repeat: visits and agents counted, a part failed again, contacts named.
            ("repeat: the car in the workshop again", CUSTOMER, "变速箱又响了，这是第四次进厂了", ThreatRepeat, Counts),
            ("repeat: several agents tried", CUSTOMER, "我前后找了四个客服，都说帮我催", ThreatRepeat, Counts),
            ("repeat: a part replaced once and failed again", CUSTOMER, "这个压缩机上个月就换过一次，又不制冷了", ThreatRepeat, Counts),
            ("repeat: the nth time with the earlier contacts named", CUSTOMER, "路灯又不亮了 这都第四回了 每回都是报修了才来", ThreatRepeat, Counts),
            ("repeat: asking again within this call", CUSTOMER, "我都问了三遍了，到底几点到", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: the company called the customer", CUSTOMER, "你们客服已经和我打过3次电话了，问题都解决了", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: an earlier complaint that was settled", CUSTOMER, "我之前反映过一次网速慢，后来就好了", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: a steady rhythm of calls", CUSTOMER, "快一个月了，我每周都打一次，每次都说在排期", ThreatRepeat, Counts),
            ("repeat: complaints lodged at two places", CUSTOMER, "我已经分别向区里和市里的网点反映过了", ThreatRepeat, Counts),
            ("repeat: a complaint that changed nothing", CUSTOMER, "投诉以后说三天内退款，结果到今天还是没有到账", ThreatRepeat, Counts),
            ("repeat: a monthly check-up is no complaint", CUSTOMER, "我每个月都跑一趟医院复查", ThreatRepeat, NotCounted(OtherSense)),
            ("safety: something fell and struck a child", CUSTOMER, "货架上的箱子掉下来，正好砸在我儿子头上", ThreatSafety, Counts),
            ("safety: a machine threw its user", CUSTOMER, "按摩椅突然启动，把我女儿甩出去了", ThreatSafety, Counts),
            ("safety: a branch on a car is no product's fault", CUSTOMER, "小区的树枝掉下来砸在我车上了", ThreatSafety, NotCounted(OtherSense)),
        ];
        check(&rows);
    }

    /// Round 8 (dict8t): the agent's taboos as the general shape of the turn, with classes of
    /// the words (a rebuke aimed at the customer, our side disowned, a third party's job, a
    /// candid concession), and the precision fixes of the other taboos.
    /// Round 10 (dict10h): the customer threats as general shapes in other sectors (an outlet
    /// named by its kind, a blockade, the customer on their roof, the platforms gone to, a
    /// head called back in person), a negative condition without 就 read as a condition, and
    /// the families of false alarms guarded (a trade, an auction, a class's name, the present
    /// exchange characterised, a grandchild's words).
    #[test]
    fn round_10_threat_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // threat.media: the story handed to an outlet by its kind, somebody at an outlet sent.
            ("media: a tip to a paper by its kind", CUSTOMER, "这批疫苗冷链断了，我已经报料给本地的都市报了", ThreatMedia, Counts),
            ("media: a programme's hotline called", CUSTOMER, "我给市里电视台那个民生热线打了电话，他们说要来", ThreatMedia, Counts),
            ("media: a blogger sent the footage", CUSTOMER, "监控视频我投稿给那个打假博主了", ThreatMedia, Counts),
            ("media: a cousin at the paper sent to write it", CUSTOMER, "我姐夫在日报跑社会新闻，我让他来你们健身房看看，写一篇", ThreatMedia, Counts),
            ("media: advertising on a programme is another sense", CUSTOMER, "我想联系你们那个节目投个广告", ThreatMedia, NotCounted(OtherSense)),
            ("media: a programme asked about", CUSTOMER, "昨晚315晚会是不是说你们家的燃气灶了", ThreatMedia, NotCounted(OtherSense)),
            // threat.protest: a blockade, things dumped, a loudspeaker, shaming at the door, confronting on site.
            ("protest: a blockade of their office", CUSTOMER, "明天我们二十个学员一起去你们驾校，不退钱谁也别想走", ThreatProtest, Conditional),
            ("protest: rubbish dumped at their door", CUSTOMER, "不来清运，我就把这几袋建筑垃圾堆在你们物业大门口", ThreatProtest, Conditional),
            ("protest: a loudspeaker carried to their branch", CUSTOMER, "我明天拎个喇叭去你们支行门口喊，让取钱的人都听听", ThreatProtest, Counts),
            ("protest: confronting them on site", CUSTOMER, "我下午就到你们售楼处 当面问问这房子怎么漏成这样", ThreatProtest, Counts),
            ("protest: parking at their door asked is another sense", CUSTOMER, "我的车能停在你们门口吗，就十分钟", ThreatProtest, NotCounted(OtherSense)),
            // threat.extreme: a roof, dying on their premises, a negative condition without 就.
            ("extreme: climbing their roof", CUSTOMER, "你们今天不给我结工钱，我这就爬上你们工地的楼顶", ThreatExtreme, Conditional),
            ("extreme: dying in their hall", CUSTOMER, "钱不退给我，我就死在你们大厅", ThreatExtreme, Conditional),
            ("extreme: a negative condition, then harm", CUSTOMER, "狗找不回来我弄死你们", ThreatExtreme, Conditional),
            ("extreme: a roof for the solar heater is another sense", CUSTOMER, "我上楼顶去看看太阳能是不是坏了", ThreatExtreme, NotCounted(OtherSense)),
            ("extreme: a game's boss killed is another sense", CUSTOMER, "这个boss血太厚了，我打了半天都想弄死它", ThreatExtreme, NotCounted(OtherSense)),
            ("extreme: a ride at the park is another sense", CUSTOMER, "跳楼机一米二的孩子能坐吗", ThreatExtreme, NotCounted(OtherSense)),
            ("context: 不是我 denies, it sets no condition", CUSTOMER, "不是我弄死的，是它自己跑丢的", ThreatExtreme, NotCounted(Negated)),
            // threat.online: the platforms gone to, a low rating, a tag; a grandchild's plan passed on.
            ("online: going to two forums to post", CUSTOMER, "我去豆瓣和知乎上把你们这个培训班的事写出来", ThreatOnline, Counts),
            ("online: a low rating on a named platform", CUSTOMER, "大众点评上我给你们打一星差评，菜里有头发", ThreatOnline, Counts),
            ("online: a rating asked to be removed is another sense", CUSTOMER, "大众点评上那条一星差评能删掉吗", ThreatOnline, NotCounted(OtherSense)),
            ("online: a grandson's plan is quoted", CUSTOMER, "我孙子说要把这事发到抖音上去", ThreatOnline, NotCounted(Quoted)),
            // threat.safety: the burn seen, a bang; a breaker tripping and a class's name are other senses.
            ("safety: blisters on a child's hand", CUSTOMER, "孩子的手被那个暖手宝烫了，起了三个大水泡", ThreatSafety, Counts),
            ("safety: a bang and a lid blown off", CUSTOMER, "电压力锅砰的一声崩开了，锅盖都崩飞了", ThreatSafety, Counts),
            ("safety: a breaker that trips is another sense", CUSTOMER, "一开机漏电保护器就跳了", ThreatSafety, NotCounted(OtherSense)),
            ("safety: a class named for its force", CUSTOMER, "明天的燃脂爆炸课几点开始", ThreatSafety, NotCounted(OtherSense)),
            ("safety: a disaster foretold", CUSTOMER, "这电梯你们不修，等着出人命啊", ThreatSafety, NotCounted(OtherSense)),
            // threat.legal: the trade, an auction, a parcel; a suit together and the police station.
            ("legal: a lawyer by trade", CUSTOMER, "我是个律师，下周出差能带几个充电宝", ThreatLegal, NotCounted(OtherSense)),
            ("legal: a court's auction", CUSTOMER, "法院网上拍的那套房子能用你们的贷款吗", ThreatLegal, NotCounted(OtherSense)),
            ("legal: a case a regulator opened", CUSTOMER, "材料我交到市场监管局了，他们已经立案了", ThreatLegal, NotCounted(OtherSense)),
            ("legal: sued together with another", CUSTOMER, "钱不退，我把你们和那个中介一块儿告了", ThreatLegal, Counts),
            // threat.management, threat.regulator, threat.repeat.
            ("management: the head office called directly", CUSTOMER, "你们这个网点不管，我直接打总部", ThreatManagement, Counts),
            ("management: a head told to call back in person", CUSTOMER, "你们院长那么忙，就让他自己来跟我说", ThreatManagement, Counts),
            ("regulator: the news about a regulator", CUSTOMER, "我看新闻上说民航局要求退票免费，是真的吗", ThreatRegulator, NotCounted(OtherSense)),
            ("repeat: passed around told as a history", CUSTOMER, "这个月一直被你们踢皮球", ThreatRepeat, Counts),
            ("repeat: the present exchange characterised", CUSTOMER, "你们这就是踢皮球，我问个退款这么难", ThreatRepeat, NotCounted(OtherSense)),
            // The review of round 10: what the negative condition must not read as one.
            ("context: not worth my suing is a negation", CUSTOMER, "这点钱不值得我起诉", ThreatLegal, NotCounted(Negated)),
            ("context: no need for me to call the police", CUSTOMER, "没必要我报警", ThreatLegal, NotCounted(Negated)),
            ("context: 我们 opens the threat after a condition", CUSTOMER, "不退钱我们拉横幅", ThreatProtest, Conditional),
            ("context: 俺 opens the threat after a condition", CUSTOMER, "不赔钱俺报警", ThreatLegal, Conditional),
            ("context: a report made is told, not threatened", CUSTOMER, "上周没退款我报警了", ThreatLegal, Counts),
            ("context: 这帮孙子 is abuse, not a grandson quoted", CUSTOMER, "你们这帮孙子说了不算我明天去12315投诉", ThreatRegulator, Counts),
        ];
        check(&rows);
    }

    #[test]
    fn round_11_threat_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // threat.extreme: a weapon taken to their place, fire at their door, their things damaged one by one,
            // a fight to the end, someone taken along; typing key by key and a fitter's tools are other senses.
            ("extreme: a spade taken to their school's gate", CUSTOMER, "我明天就拎着铁锹去你们驾校门口", ThreatExtreme, Counts),
            ("extreme: a knife kept at their gate", CUSTOMER, "我明天揣把刀在你们校区门口等着那个销售", ThreatExtreme, Counts),
            ("extreme: fire set under their office", CUSTOMER, "我现在就去你们公司楼下点火", ThreatExtreme, Counts),
            ("extreme: their cars damaged one by one", CUSTOMER, "你们停车场那些车我一辆一辆给你们划了", ThreatExtreme, Counts),
            ("extreme: an old life staked", CUSTOMER, "我这把年纪了，跟你们拼这条老命", ThreatExtreme, Counts),
            ("extreme: a doctor taken along", CUSTOMER, "我就是死也要拉上那个主刀的大夫垫背", ThreatExtreme, Counts),
            ("extreme: the jump said", CUSTOMER, "我现在就上你们售楼处楼顶，跳给你们看", ThreatExtreme, Counts),
            ("extreme: a fitter's spanner is another sense", CUSTOMER, "你们师傅拿着扳手去你们仓库修叉车了", ThreatExtreme, NotCounted(OtherSense)),
            ("extreme: names crossed off one by one is another sense", CUSTOMER, "名单上的人我一个一个划掉了", ThreatExtreme, NotCounted(OtherSense)),
            // threat.protest: staying at their place, until an end is met, a reckoning there, not leaving.
            ("protest: lying at their counter", CUSTOMER, "那我现在就去你们值机柜台，躺在那儿", ThreatProtest, Counts),
            ("protest: broken goods shown at their shop front", CUSTOMER, "我明天就去你们那个门市门口，举着坏掉的锅站着", ThreatProtest, Counts),
            ("protest: staying until answered", CUSTOMER, "我今晚就睡你们酒店大堂，睡到你们给我解决为止", ThreatProtest, Counts),
            ("protest: a reckoning at their branch", CUSTOMER, "我下午直接上你们营业部讨说法去", ThreatProtest, Counts),
            ("protest: not leaving their office", CUSTOMER, "明天我去你们校区前台，校长不出来我就不走", ThreatProtest, Counts),
            ("protest: waiting for the courier is another sense", CUSTOMER, "我去你们营业厅门口站着等快递员", ThreatProtest, NotCounted(OtherSense)),
            ("protest: a wait that is over is another sense", CUSTOMER, "我等到下午五点为止都没人来", ThreatProtest, NotCounted(OtherSense)),
            // threat.repeat: the call's ordinal, a count with 报/催 or 电话, the same verdict, a report made before;
            // the company's own calls to the customer are no history.
            ("repeat: the fourth call today", CUSTOMER, "今天我给你们打第四个电话了，还是没人管", ThreatRepeat, Counts),
            ("repeat: a dialect count of reports", CUSTOMER, "我从开春就报 报了四五道了 一直没人来修", ThreatRepeat, Counts),
            ("repeat: the same verdict after checks", CUSTOMER, "孩子的手表在你们店检测了三次都说正常", ThreatRepeat, Counts),
            ("repeat: a report made before", CUSTOMER, "上个月就报过一回，说楼道灯不亮", ThreatRepeat, Counts),
            ("repeat: their own calls are no complaint", CUSTOMER, "你们已经打了两个电话了，地址没问题", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: the company calling the customer is no complaint", CUSTOMER, "客服已经和我打过三次电话了，问题都解决了", ThreatRepeat, NotCounted(OtherSense)),
            // threat.online: a post in other words, a video against them, a live stream, a long post, a tag.
            ("online: everyone writing on a review site", CUSTOMER, "大众点评上我们每个人都写，写到你们关门", ThreatOnline, Counts),
            ("online: a video made against them", CUSTOMER, "我今晚就做视频挂你们", ThreatOnline, Counts),
            ("online: a live stream about them", CUSTOMER, "我今晚直播就专门讲你们这个培训班", ThreatOnline, Counts),
            ("online: their official account tagged", CUSTOMER, "我把经过写成长微博，@你们官微", ThreatOnline, Counts),
            ("online: praise posted is another sense", CUSTOMER, "大众点评上我们每个人都写了五星好评", ThreatOnline, NotCounted(OtherSense)),
        ];
        check(&rows);
    }

    #[test]
    fn round_12_threat_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // Context: a threat given up, declined, or someone else's suggestion reported, in three sectors;
            // the customer's own threat after 别让我, after an assent, or with a new subject still counts.
            ("declined: a gas customer's thought given up", CUSTOMER, "我本来想打12345的，想想还是先问问你们燃气公司", ThreatRegulator, NotCounted(Negated)),
            ("declined: not the kind to call the regulator", CUSTOMER, "我也不是那种动不动就找消协的人，你们看着办吧", ThreatRegulator, NotCounted(Negated)),
            ("declined: a friend's advice turned down", CUSTOMER, "我同学劝我去找12315，我说不用，先问问你们驾校", ThreatRegulator, NotCounted(Negated)),
            ("declined: a suggestion turned down in the next clause (a known gap until round 12)", CUSTOMER, "他让我找记者，我说不用", ThreatMedia, NotCounted(Negated)),
            ("declined: a rhetorical refusal", CUSTOMER, "我去找住建局干啥，我就想问问维修基金怎么用", ThreatRegulator, NotCounted(Negated)),
            ("suggested: the bank sent the customer to the regulator", CUSTOMER, "你们网点的人让我自己去找金融监管局，这叫什么服务", ThreatRegulator, NotCounted(Quoted)),
            ("suggested: told to complain at the consumer council", CUSTOMER, "你叫我去消委会？你们自己不处理", ThreatRegulator, NotCounted(Quoted)),
            ("suggested then taken up", CUSTOMER, "你让我去12315，行，我马上就去", ThreatRegulator, Counts),
            ("own: do not make me go to the press", CUSTOMER, "别让我去找记者，你们自己掂量", ThreatMedia, Counts),
            ("own: a lawyer the customer set on it", CUSTOMER, "我已经让我表哥写律师函了", ThreatLegal, Counts),
            ("own: a condition with a new subject", CUSTOMER, "那个装修工再让我碰见 我弄死他", ThreatExtreme, Counts),
            // threat.repeat: a complaint made before and settled since is history; one that came back still counts.
            ("repeat: a broadband report settled since", CUSTOMER, "去年我报修过一回网速慢 师傅来换了个路由器 后来一直挺好的", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: two calls to the property office, both done", CUSTOMER, "之前我打过两回电话，一次是门禁一次是水管，你们都弄好了，挺快的", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: a settled report that came back counts", CUSTOMER, "之前投诉过一回热水器不热 说是都弄好了 结果这个月又不出热水了", ThreatRepeat, Counts),
            ("repeat: a purchase counted is no complaint", CUSTOMER, "我在你们店买第三次了 这次的奶粉罐子瘪了", ThreatRepeat, NotCounted(OtherSense)),
            ("repeat: an engine tried again is no complaint", CUSTOMER, "早上打了四次才打着 是不是电瓶的问题", ThreatRepeat, NotCounted(OtherSense)),
            // threat.media: material handed to somebody at an outlet, a journalist sought, an episode made about them.
            ("media: a dental clinic's x-rays handed to a reporter cousin", CUSTOMER, "我表妹在都市报跑民生的，种牙的事我明天就把照片发给她", ThreatMedia, Counts),
            ("media: a radio programme sought over a car", CUSTOMER, "我现在就去找广播电台那个维权栏目", ThreatMedia, Counts),
            ("media: a blogger's episode about a hotel", CUSTOMER, "我是做探店博主的，下一期就专门讲讲你们这个酒店", ThreatMedia, Counts),
            ("media: praise handed to a reporter is no threat", CUSTOMER, "我表哥在晚报上班，我把表扬信的照片发给他了，让他宣传宣传", ThreatMedia, NotCounted(OtherSense)),
            ("own: an ASR pause ends what was suggested", CUSTOMER, "天天都让我等 你把你们店长叫来", ThreatManagement, Counts),
            // A review of round 12's readings: real threats they had stopped counting.
            ("review: self-harm is escalated whatever follows", CUSTOMER, "我去跳楼你们干嘛不管", ThreatExtreme, Counts),
            ("review: self-harm with someone's question after it", CUSTOMER, "我不想活了你们干嘛还打电话", ThreatExtreme, Counts),
            ("review: 干嘛 after a new subject is no refusal", CUSTOMER, "我要去12315投诉你们，你们干嘛不给我退", ThreatRegulator, Counts),
            ("review: 看你们还能干嘛 dares them", CUSTOMER, "我要去找记者曝光你们，看你们还能干嘛", ThreatMedia, Counts),
            ("review: a suggestion the customer takes up at once", CUSTOMER, "你让我打12345我就打", ThreatRegulator, Counts),
            ("review: told to sue, and will", CUSTOMER, "他们叫我去法院告你们，我会去的", ThreatLegal, Counts),
            ("review: the customer sends the husband", CUSTOMER, "回头叫我老公去12315投诉你们", ThreatRegulator, Counts),
            ("review: the customer sends a friend with a lawyer's letter", CUSTOMER, "再让我朋友发律师函给你们", ThreatLegal, Counts),
            ("review: 非让我…不可 is the customer's own", CUSTOMER, "你们是非让我去找记者不可是吧", ThreatMedia, Counts),
            ("review: 是想让我 is the customer's own", CUSTOMER, "你是想让我去法院告你们吗", ThreatLegal, Counts),
            ("review: a thought given up, then come to after all", CUSTOMER, "我本来想算了现在只能报警了", ThreatLegal, Counts),
            ("review: not the kind, but driven to it", CUSTOMER, "我又不是那种人但你们逼我去12315", ThreatRegulator, Counts),
            ("review: settled only in the agents' words", CUSTOMER, "我都投诉五回了，你们每次都说补发了，根本没收到", ThreatRepeat, Counts),
            ("review: 'it will be fine' every time", CUSTOMER, "我打了三次电话了，每次都说就好了就好了，到现在也没人来", ThreatRepeat, Counts),
            ("review: asked to withdraw after three complaints", CUSTOMER, "我投诉了三次你们还让我撤掉投诉", ThreatRepeat, Counts),
        ];
        check(&rows);
    }

    /// A new user's report (2026-11-24): conditions the clause reading had missed or misread.
    #[test]
    fn conditions_a_new_user_found_misread_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // A negative condition, a short verb and an adverb of consequence: no denial.
            ("condition: not handled by morning, a complaint at once", CUSTOMER, "明早未处理直接12315投诉", ThreatRegulator, Conditional),
            ("condition: not refunded, the police right away", CUSTOMER, "再不退款马上报警", ThreatLegal, Conditional),
            ("negation: an adverb the negator governs", CUSTOMER, "我不会直接去法院", ThreatLegal, NotCounted(Negated)),
            ("negation: 不直接 has no verb between", CUSTOMER, "我也不直接去找记者，先等你们答复", ThreatMedia, NotCounted(Negated)),
            // …的话 closes a condition with or without 如果.
            ("condition: nobody handles it, then the regulator", CUSTOMER, "没人处理的话我就去12315", ThreatRegulator, Conditional),
            ("condition: 的话 without 就", CUSTOMER, "今天不给答复的话我找记者", ThreatMedia, Conditional),
            ("hypothetical: 的话 after the term is a supposition", CUSTOMER, "我要是去12315的话会不会很麻烦", ThreatRegulator, NotCounted(Hypothetical)),
            // More of the same, and a negative condition with a subject and an act before the term.
            ("condition: if you carry on like this", CUSTOMER, "你们再这样我就去媒体曝光", ThreatMedia, Conditional),
            ("condition: a known gap closed (was read as a question)", CUSTOMER, "你们要是再这样我报警", ThreatLegal, Conditional),
            ("condition: not handled today, I sue", CUSTOMER, "今天不处理我去法院告你们", ThreatLegal, Conditional),
            ("condition: not refunded, I go straight to the consumer council", CUSTOMER, "你们不退我直接去消协", ThreatRegulator, Conditional),
            ("story: not refunded last week, reported since", CUSTOMER, "上周没退款我报警了", ThreatLegal, Counts),
            // An agent's words are no worse for a condition; a promise hanging on a verdict is policy.
            ("overpromise: a replacement if it is a quality problem", AGENT, "如果是质量问题，我们保证给您换新", TabooOverpromise, NotCounted(Hypothetical)),
            ("overpromise: a refund if the check confirms it", AGENT, "如果检测确认是电池的问题，我保证全额退款", TabooOverpromise, NotCounted(Hypothetical)),
            ("overpromise: a promise for when it goes wrong still promises", AGENT, "如果明天还没到，我保证后天一定给您送到", TabooOverpromise, Counts),
            ("incite: pointed to the regulator if unhappy, not raised", AGENT, "您要是不满意，可以去金融监管局投诉", TabooIncite, Counts),
            // A review of these readings: a wish, means or state denied is no condition; 的话 without
            // a negative condition sets none; 如果是 alone is no verdict; a story told as done.
            ("review: no money, denied", CUSTOMER, "我没钱直接请律师", ThreatLegal, NotCounted(Negated)),
            ("review: no hurry, denied", CUSTOMER, "我不急马上去法院", ThreatLegal, NotCounted(Negated)),
            ("review: not advised, denied", CUSTOMER, "我不建议直接报警", ThreatLegal, NotCounted(Negated)),
            ("review: what was said is no condition", CUSTOMER, "你刚才说的话我会全部交给律师", ThreatLegal, Counts),
            ("review: as for my husband is no condition", CUSTOMER, "我老公的话肯定会去法院起诉你们", ThreatLegal, Counts),
            ("review: 如果是 the customer's own order still promises", AGENT, "如果是今天下单的，我保证明天一定送到", TabooOverpromise, Counts),
            ("review: a manager's consent is no verdict", AGENT, "如果经理同意了，我保证百分之百给您退", TabooOverpromise, Counts),
            ("review: a negative condition told as done", CUSTOMER, "上周没退款我去法院告你们了", ThreatLegal, Counts),
        ];
        check(&rows);
    }

    #[test]
    fn round_13_threat_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // Context: a reported promise, then the customer's own account of what came of it, ends the report.
            ("repeat: the promise reported, then nothing came of it", CUSTOMER, "售后说三天内上门结果还没来，我又催了两回也没用", ThreatRepeat, Counts),
            ("repeat: a call-back promised, and still nothing since", CUSTOMER, "客服称马上改好，到现在也没人联系我", ThreatRepeat, Counts),
            ("repeat: a promise still only reported", CUSTOMER, "同事说他打了三次电话", ThreatRepeat, NotCounted(Quoted)),
            ("legal: a lawyer named inside the report is still reported", CUSTOMER, "他说结果要等律师看", ThreatLegal, NotCounted(Quoted)),
            // A negator inside a modifier (没发货的订单) negates the modifier, not the story after it.
            ("repeat: a negated modifier before the story", CUSTOMER, "一个没发货的订单弄了一个多月了还退不掉", ThreatRepeat, Counts),
            ("repeat: a negation over the contact still negates", CUSTOMER, "我没有跟你们的客服投诉过三次", ThreatRepeat, NotCounted(Negated)),
            ("admit_defect: the copula still negates the phrase", AGENT, "一般不是手机的质量问题，多半是卡老化了", TabooAdmitDefect, NotCounted(Negated)),
            // A written future after a negative condition is its consequence, as 就 would be.
            ("regulator: 将直接 after a condition", CUSTOMER, "要是周五前还修不好将直接去工信部申诉", ThreatRegulator, Conditional),
            ("regulator: a ministry's old name", CUSTOMER, "我已经投诉到信产部了", ThreatRegulator, Counts),
            // Settled in the end after one more contact: history, not a repeat complaint.
            ("repeat: a refund late once, settled by one complaint", CUSTOMER, "去年押金半个月都没退回来，我投诉了一次才给我解决", ThreatRepeat, NotCounted(OtherSense)),
        ];
        check(&rows);
    }

    #[test]
    fn round_8_taboo_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // Context: 说的 before 跟/和/那些 names what was said; it does not report it.
            ("deflect: 他说的跟… is the agent's own disowning, not a quote", AGENT, "他说的跟我们没关系，您找他本人", TabooDeflect, Counts),
            ("说的是 still reports a third party's plan", CUSTOMER, "我邻居说的是要去12315投诉他们", ThreatRegulator, NotCounted(Quoted)),
            // taboo.impatience: do as you like, told you N times, look it up yourself, a rebuke.
            ("impatience: as you like, the wh-word back", AGENT, "您爱去哪投诉就去哪投诉吧", TabooImpatience, Counts),
            ("impatience: as you like, the verb back", AGENT, "你爱退就退，反正规定摆在这", TabooImpatience, Counts),
            ("impatience: told you N times", AGENT, "这个我都跟您讲了三遍了，过了保质期就不能换", TabooImpatience, Counts),
            ("impatience: the customer's own repetition", AGENT, "您刚才说了两遍地址，我都记下了", TabooImpatience, NotCounted(OtherSense)),
            ("impatience: a repeat offered patiently", AGENT, "没关系，我再说一遍：这张卡首年免年费", TabooImpatience, NotCounted(OtherSense)),
            ("impatience: written there, go and look", AGENT, "退改规则在订单页上写着呢，你自己去看", TabooImpatience, Counts),
            ("impatience: a look offered with help", AGENT, "您自己去看一下吧，不方便的话我帮您念", TabooImpatience, NotCounted(OtherSense)),
            ("impatience: shouting at me is no use", AGENT, "又不是我断的网，你冲我吼有什么用", TabooImpatience, Counts),
            ("impatience: the same whoever you ask", AGENT, "您换谁来都一样，合同就是这么签的", TabooImpatience, Counts),
            ("impatience: a price the same for everyone", AGENT, "我们价格全国统一，找谁都一样，您放心", TabooImpatience, NotCounted(OtherSense)),
            // taboo.deflect: our side disowned, a third party's job, sent to settle with them.
            ("deflect: our side disowned by its own name", AGENT, "那批货是仓储公司弄丢的，跟我们售后这边没关系", TabooDeflect, Counts),
            ("deflect: 说的话 names the words, it reports nothing", AGENT, "他说的话跟我们品牌没关系", TabooDeflect, Counts),
            ("deflect: the fault is a third party's", AGENT, "外墙渗水是开发商的责任", TabooDeflect, Counts),
            ("deflect: a third party chased for the customer", AGENT, "这是承运商的责任，我这边帮您催一下", TabooDeflect, NotCounted(OtherSense)),
            ("deflect: sent to settle it with them", AGENT, "货损您得先跟承运商协商", TabooDeflect, Counts),
            ("deflect: only the go-between", AGENT, "我们只是个平台，房子的事您跟房东谈", TabooDeflect, Counts),
            ("deflect: we cannot, sort it out yourself", AGENT, "那我们也没办法，您自己跟卖家沟通吧", TabooDeflect, Counts),
            // taboo.admit_defect: a candid opener, then the fault; a part at fault.
            ("admit_defect: candid, then the fault", AGENT, "跟您说实话，这一批充电器的插头是有毛病", TabooAdmitDefect, Counts),
            ("admit_defect: a candid all-clear", AGENT, "说实话这批我们抽检过，没有问题", TabooAdmitDefect, NotCounted(OtherSense)),
            ("admit_defect: the part has worn out", AGENT, "那几台的压缩机确实老化了", TabooAdmitDefect, Counts),
            ("admit_defect: a recall notice", AGENT, "您的车在这次召回范围内，免费更换", TabooAdmitDefect, NotCounted(OtherSense)),
            ("admit_defect: 是质量问题就 is a condition", AGENT, "检测出来是质量问题就给您换新", TabooAdmitDefect, NotCounted(OtherSense)),
            // taboo.incite: a dare, a regulator's number handed over, a pointer after 如果…不满意.
            ("incite: a dare to report", AGENT, "你举报啊，我不怕", TabooIncite, Counts),
            ("incite: the regulator's number handed over", AGENT, "通信管理局的投诉电话是12300，您自己打", TabooIncite, Counts),
            ("incite: the company's own supervision line", AGENT, "您可以拨打我们的服务监督电话反映", TabooIncite, NotCounted(OtherSense)),
            ("incite: a pointer after 如果…不满意 counts (a taboo is not raised by a condition)", AGENT, "如果您对结果不满意，还可以拨打12315", TabooIncite, Counts),
            ("incite: a regulator's website to look up", AGENT, "许可证号可以在市场监管局官网查到", TabooIncite, NotCounted(OtherSense)),
            // taboo.withdraw and taboo.overpromise: the customer's own choice; a promise refused.
            ("withdraw: confirming the customer's own choice", AGENT, "您确认要撤销这个投诉是吗", TabooWithdraw, NotCounted(OtherSense)),
            ("overpromise: 保证不了 promises nothing", AGENT, "具体几点到我保证不了", TabooOverpromise, NotCounted(OtherSense)),
        ];
        check(&rows);
    }

    /// Round 9 (dict9t): the agent's taboos as general shapes of a turn (an outside body as
    /// where to go, a brush-off, our staff cleared by name, a matter between two others, a
    /// pledge, a third party's address) and the precision families fixed (a withdrawal done at
    /// the customer's request, the agent's own earlier words are no quote).
    #[test]
    fn round_9_taboo_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // Context: a time subject with the listener addressed is the speaker's own earlier words.
            ("impatience: 之前都跟您说了 is the agent's own, not a quote", AGENT, "进去之前都跟您说了，您自己胆子小怪谁呢", TabooImpatience, Counts),
            ("a colleague who told the customer is still a quote", CUSTOMER, "上次客服跟我说一定给我解决", TabooOverpromise, NotAFinding(Dropped::WrongSpeaker)),
            ("a colleague's promise reported by the agent is a quote", AGENT, "上次同事跟您说一定给您解决，我再跟进一下", TabooOverpromise, NotCounted(Quoted)),
            ("the customer's own earlier threat to the agent counts", CUSTOMER, "上次就跟你说了，再不修我就去12345投诉", ThreatRegulator, Conditional),
            // taboo.incite: any outside body, the police as a brush-off, a pointer after 要是不满意.
            ("incite: a supervision office's number", AGENT, "您要是觉得卫生不行，可以打卫生监督所的电话反映", TabooIncite, Counts),
            ("incite: a mediation committee", AGENT, "那您可以去街道的医调委申请调解", TabooIncite, Counts),
            ("incite: a city hotline", AGENT, "您也可以打市里的交通服务热线投诉", TabooIncite, Counts),
            ("incite: an office's website to look up", AGENT, "检查结果您可以在卫生监督所官网查到", TabooIncite, NotCounted(OtherSense)),
            ("incite: sent to the police", AGENT, "您觉得被骗了，那您去报警吧，我们是正规公司", TabooIncite, Counts),
            ("incite: the police for a scam is advice", AGENT, "有人让您转账那您就去报警吧，这是诈骗", TabooIncite, NotCounted(OtherSense)),
            ("incite: 要是不满意，您去… is a pointer, condition or not", AGENT, "网点是加盟的，您要是不满意，您去邮政管理局告吧", TabooIncite, Counts),
            ("incite: suing the other party is no complaint channel", AGENT, "这就跟银行无关了，您只能自己去法院起诉他", TabooIncite, NotCounted(OtherSense)),
            // taboo.impatience: brush-offs, the customer's fault, the obvious, 爱X就X in ASR.
            ("impatience: crying to me is no use", AGENT, "借了就得还，你跟我哭也没用", TabooImpatience, Counts),
            ("impatience: your own fault, you cannot blame us", AGENT, "是您自己没看说明书 这个怪不了我们", TabooImpatience, Counts),
            ("impatience: look and you would know", AGENT, "页面上都写着，您自己看一下就知道了", TabooImpatience, Counts),
            ("impatience: a look offered with the link", AGENT, "链接我发给您了，您自己看一下就知道了", TabooImpatience, NotCounted(OtherSense)),
            ("impatience: 爱头诉就头诉 as ASR writes it", AGENT, "那个 您爱头诉就头诉 补偿就这么多", TabooImpatience, Counts),
            ("impatience and incite both: 随便你告", AGENT, "那你去告呗 随便你告", TabooImpatience, Counts),
            // taboo.deflect: our staff cleared, a relation narrowed, between two others, a third party.
            ("deflect: our teacher cleared by name", AGENT, "是孩子自己跑太快摔的，跟老师没关系", TabooDeflect, Counts),
            ("deflect: a scam warning clears our staff", AGENT, "这个号码跟我们老师没关系，是冒充的，您千万别转钱", TabooDeflect, NotCounted(OtherSense)),
            ("deflect: no direct relation", AGENT, "活动是代理商办的，跟我们公司没有直接关系", TabooDeflect, Counts),
            ("deflect: just an employee", AGENT, "老板的事我一个打工的哪知道", TabooDeflect, Counts),
            ("deflect: a matter between two others", AGENT, "退押金这个是房东跟租客之间的", TabooDeflect, Counts),
            ("deflect: our own dealings with the customer", AGENT, "这是您跟我们之间的约定，我们认", TabooDeflect, NotCounted(OtherSense)),
            ("deflect: sent to the travel agency", AGENT, "票是旅行社订的，那您得找旅行社去", TabooDeflect, Counts),
            ("deflect: our own gas company", AGENT, "表卡住了，这个是我们燃气公司负责的，我派师傅上门", TabooDeflect, NotCounted(OtherSense)),
            // taboo.admit_defect and taboo.overpromise.
            ("admit_defect: conceded in Cantonese", AGENT, "讲实话，嗰批煲嘅胶圈确实系有问题", TabooAdmitDefect, Counts),
            ("admit_defect: our own equipment broke", AGENT, "抱歉，那两天泳池的过滤设备确实坏了", TabooAdmitDefect, Counts),
            ("admit_defect: a question about the customer's device", AGENT, "您的设备确实坏了吗，我安排检测", TabooAdmitDefect, NotCounted(OtherSense)),
            ("overpromise: a personal pledge", AGENT, "我拿我的工作给您担保，年底一定交房", TabooOverpromise, Counts),
            ("overpromise: a result guaranteed by tonight", AGENT, "今天晚上之前保证给您恢复供暖", TabooOverpromise, Counts),
            ("overpromise: a deposit is no guarantee", AGENT, "您交的保证金会原路退到账", TabooOverpromise, NotCounted(OtherSense)),
            // taboo.privacy: a third party's address; the customer's own read back.
            ("privacy: a neighbour's flat named", AGENT, "是六栋三单元五零二那家的孩子扔的", TabooPrivacy, Counts),
            ("privacy: the customer's own address checked", AGENT, "您的地址是六栋三单元五零二对吗", TabooPrivacy, NotCounted(OtherSense)),
            // taboo.withdraw: done at the customer's request; no police needed.
            ("withdraw: a withdrawal done as asked", AGENT, "好的，工单我帮您撤销了", TabooWithdraw, NotCounted(OtherSense)),
            ("withdraw: already withdrawn", AGENT, "您那个举报已经撤回了", TabooWithdraw, NotCounted(OtherSense)),
            ("withdraw: nothing on fire, no police", AGENT, "只是烟雾 没有明火 您别害怕 也不用报警", TabooWithdraw, NotCounted(OtherSense)),
            ("withdraw: still asking to drop it", AGENT, "您看能不能把那个投诉撤了，我们给您补偿", TabooWithdraw, Counts),
        ];
        check(&rows);
    }

    /// Round 10 (the agent's taboos, tuned on the spent round 9 and rounds 1-8): the general
    /// shapes of a rhetorical put-down, an admitted run and fault, a shirk, a plea to withdraw,
    /// and the families of their false alarms; a plea repeated for emphasis is no negation.
    #[test]
    fn round_10_taboo_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // Context: a negator repeated for emphasis before a term that opens with its own.
            ("withdraw: 别别 千万别投诉 is a plea, not its denial", AGENT, "亲亲 别别 千万别投诉 我马上给您补发", TabooWithdraw, Counts),
            ("withdraw: 不不不 不要投诉我", AGENT, "不不不 不要投诉我 我这就给您处理", TabooWithdraw, Counts),
            ("withdraw: 别别别 别去消协, spaced as ASR writes it", AGENT, "别别别 别去消协 我们给您退", TabooWithdraw, Counts),
            ("withdraw: 没说别投诉 still denies it", AGENT, "我没说别投诉，您有意见可以提", TabooWithdraw, NotCounted(Negated)),
            ("withdraw: 别别 你别发也别投诉, the plea turned to the listener", AGENT, "哎哎 别别 你别发也别投诉 我再去驿站翻翻", TabooWithdraw, Counts),
            // The review of round 10: a term's own 就 answers a supposition, not a negator.
            ("incite: 别动不动就打12345 discourages the call", AGENT, "您别动不动就打12345吧", TabooIncite, NotCounted(Negated)),
            ("incite: 要是不想等就打12345 counts", AGENT, "您要是不想等就打12345吧", TabooIncite, Counts),
            ("impatience: 没说我就这态度 denies it", AGENT, "我没说我就这态度", TabooImpatience, NotCounted(Negated)),
            // taboo.impatience: rhetorical put-downs in any sector.
            ("impatience: can't you look it up yourself", AGENT, "账单短信每个月都发 您自己不会查一下吗", TabooImpatience, Counts),
            ("impatience: an offer to walk through it", AGENT, "您自己不会操作吗？没关系，我来帮您弄", TabooImpatience, NotCounted(OtherSense)),
            ("impatience: don't you get it yet", AGENT, "先寄回再退款 这个您还不明白吗", TabooImpatience, Counts),
            ("impatience: shouting at me", AGENT, "逾期就是逾期，您跟我喊什么", TabooImpatience, Counts),
            ("impatience: calling again is no use", AGENT, "师傅忙不过来 您老打也没用", TabooImpatience, Counts),
            ("impatience: don't hold others up", AGENT, "后面还有人排队，您别耽误别人了", TabooImpatience, Counts),
            ("impatience: do as you like, any verb", AGENT, "您爱怎么堵就怎么堵，费照收", TabooImpatience, Counts),
            ("impatience: the agent's own regret", AGENT, "我跟您说这些有什么用呢，我先帮您把单子提上去", TabooImpatience, NotCounted(OtherSense)),
            // taboo.admit_defect: a run or version named, then the fault as fact.
            ("admit_defect: a firmware version has a bug", AGENT, "这个版本的固件是有bug，工程师在修", TabooAdmitDefect, Counts),
            ("admit_defect: a lot's tyres bulge", AGENT, "那一批次的轮胎确实存在鼓包的情况", TabooAdmitDefect, Counts),
            ("admit_defect: a production line's seal", AGENT, "是生产线封罐的时候密封不好，受潮了", TabooAdmitDefect, Counts),
            ("admit_defect: a run denied inside the match", AGENT, "那批面膜是正品 有批号的 不是产品的问题", TabooAdmitDefect, NotCounted(OtherSense)),
            ("admit_defect: a question, not a concession", AGENT, "这个版本的固件是有bug吗？我帮您问问工程师", TabooAdmitDefect, NotCounted(OtherSense)),
            ("admit_defect: a recall notice in passing", AGENT, "总部上周发了一个召回通知，这次顺便给您加固了", TabooAdmitDefect, NotCounted(OtherSense)),
            // taboo.deflect: none of ours, another party runs it, go and ask them, the customer's side blamed.
            ("deflect: none of our property's business", AGENT, "停水是自来水公司的事 不关我们物业的事", TabooDeflect, Counts),
            ("deflect: another party runs it", AGENT, "水表是物业在管，您这个问题找物业吧", TabooDeflect, Counts),
            ("deflect: go and ask the desk", AGENT, "床位是统一安排的，你去住院处问吧", TabooDeflect, Counts),
            ("deflect: the child blamed", AGENT, "是您儿子自己伸手碰倒的，服务员放得很稳", TabooDeflect, Counts),
            ("deflect: funds held in trust", AGENT, "您的资金是第三方托管的，很安全", TabooDeflect, NotCounted(OtherSense)),
            ("deflect: we run it and send someone", AGENT, "水表是我们在管，我这边给您派人去看", TabooDeflect, NotCounted(OtherSense)),
            // taboo.withdraw: a named complaint held back, a post taken down, a regulator told it is settled.
            ("withdraw: don't pursue the complaint", AGENT, "您那个举报能不能先不要去，我们协商解决", TabooWithdraw, Counts),
            ("withdraw: the regulator dropped", AGENT, "药监局那边您能不能先别跟了，我们私下谈", TabooWithdraw, Counts),
            ("withdraw: a post taken down", AGENT, "您那条微博转发好几千了 您看能不能帮我们删一下", TabooWithdraw, Counts),
            ("withdraw: tell the hotline it is solved", AGENT, "您看能不能跟一二三四五那边说一下问题已经解决了", TabooWithdraw, Counts),
            ("withdraw: done at the customer's wish", AGENT, "好的，按您的意愿帮您撤销投诉工单", TabooWithdraw, NotCounted(OtherSense)),
            // Scorn, a predecessor's problem, a satisfaction call coached, our system at fault.
            ("impatience: scorn for a small complaint", AGENT, "这点小事也要投诉，至于吗", TabooImpatience, Counts),
            ("impatience: 别 opens the rebuke, 你别 before it is no negation", AGENT, "你别在这胡说八道，我们没这么说过", TabooImpatience, Counts),
            ("impatience: a small matter taken on", AGENT, "这点小事也要跑一趟，不好意思，我马上处理", TabooImpatience, NotCounted(OtherSense)),
            ("deflect: a predecessor's problem", AGENT, "那是上一任物业留下的问题，我们刚接手", TabooDeflect, Counts),
            ("deflect: a predecessor's problem taken on", AGENT, "之前的师傅留下的问题我们来负责返修", TabooDeflect, NotCounted(OtherSense)),
            ("withdraw: the satisfaction call coached", AGENT, "您跟回访的说满意就行，别的我来处理", TabooWithdraw, Counts),
            ("withdraw: an honest answer asked for", AGENT, "回访的时候您如实评价就好，满意不满意都可以说", TabooWithdraw, NotCounted(OtherSense)),
            ("admit_defect: our system owned up to", AGENT, "我们的系统确实出了bug，导致多扣了钱", TabooAdmitDefect, Counts),
            ("admit_defect: a question about the customer's phone", AGENT, "您手机的系统确实有故障吗？您先重启一下", TabooAdmitDefect, NotCounted(OtherSense)),
            // taboo.privacy and taboo.overpromise.
            ("privacy: a neighbour's address placed by the customer's", AGENT, "她家就住在你们隔壁小区，翠竹苑六栋二单元", TabooPrivacy, Counts),
            ("overpromise: what the fabric is made of", AGENT, "这款是百分之百纯棉的，第一次洗会缩一点", TabooOverpromise, NotCounted(OtherSense)),
            ("overpromise: a refund guaranteed", AGENT, "您放心，这个百分之百能退", TabooOverpromise, Counts),
            // taboo.incite: a pointer that opens with 就 after a supposition is its consequence.
            ("incite: 要是投诉就打… is a pointer", AGENT, "您这话可不能乱说 您要是投诉就打一二三四五吧", TabooIncite, Counts),
        ];
        check(&rows);
    }

    #[test]
    fn round_11_taboo_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // Context: an A-not-A question (丢没丢, 退不退) asks, it does not negate what follows.
            ("deflect: 丢没丢 is a question, not a negation", AGENT, "丢没丢跟我们没关系 您自己去驿站问", TabooDeflect, Counts),
            ("deflect: a plain 没 still negates", AGENT, "这事没说跟我们没关系，我们会负责", TabooDeflect, NotCounted(Negated)),
            // taboo.impatience: the customer's own neglect, a dare, words wasted on the agent.
            ("impatience: a courier's pickup text unread", AGENT, "取件码短信早就发了 是你自己没看", TabooImpatience, Counts),
            ("impatience: a luggage tag, 没 inside the match", AGENT, "行李牌是你自己没挂好 能怪谁呢", TabooImpatience, Counts),
            ("impatience: a course's timetable unread before enrolling", AGENT, "课程表报名前都不看吗 上面写着周末上课", TabooImpatience, Counts),
            ("impatience: an offer to send it", AGENT, "您自己没看到的话，我把说明发给您", TabooImpatience, NotCounted(OtherSense)),
            ("impatience: a dare to expose us", AGENT, "你要曝光就曝光呗 我们按合同办的", TabooImpatience, Counts),
            ("impatience: no use coming to me", AGENT, "您找我有什么用 我又不是财务", TabooImpatience, Counts),
            ("impatience: what a button is for", AGENT, "这个按钮您问我干嘛用的？是调风量的", TabooImpatience, NotCounted(OtherSense)),
            ("impatience: we know better", AGENT, "流程我们比您清楚 您听我的就行", TabooImpatience, Counts),
            // taboo.deflect: sent on while disowning it, not ours to bear, left to settle it alone.
            ("deflect: sent to the appraiser that did it", AGENT, "检测是合作的鉴定机构做的，有异议您得去鉴定机构，我们不负责", TabooDeflect, Counts),
            ("deflect: a parking company named", AGENT, "停车场不归物业管 您找停车场公司", TabooDeflect, Counts),
            ("deflect: two households left to it", AGENT, "你们两家自己商量嘛 我们也没得法", TabooDeflect, Counts),
            ("deflect: unable, then passed up", AGENT, "这边处理不了的话我帮您转专员", TabooDeflect, NotCounted(Hypothetical)),
            // taboo.admit_defect: a failure owned up to as a state after 确实.
            ("admit_defect: a batch of formula not sterilised", AGENT, "我们这一批的奶粉确实没消毒干净 已经在召回了", TabooAdmitDefect, Counts),
            ("admit_defect: a supposition", AGENT, "这批奶粉要是确实变质了的话 我们全额退", TabooAdmitDefect, NotCounted(Hypothetical)),
            // taboo.incite and taboo.privacy.
            ("incite: a regulator's website", AGENT, "您要投诉的话 直接上市场监管局官网投诉就行", TabooIncite, Counts),
            ("privacy: a guarantor's workplace by street", AGENT, "您担保人在解放路八十八号那家超市上班 我们会去找他", TabooPrivacy, Counts),
        ];
        check(&rows);
    }

    #[test]
    fn round_12_taboo_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // taboo.impatience: the general shapes of an impatient turn, in other sectors than round 11's calls.
            ("impatience: how many times must I say it (gas)", AGENT, "燃气缴费就这一个办法 你还要我说几遍", TabooImpatience, Counts),
            ("impatience: didn't I tell you already", AGENT, "我刚才不是跟你讲过了吗 燃气表要先插卡", TabooImpatience, Counts),
            ("impatience: you have asked N times (telecom)", AGENT, "话费账单您都问第四遍了", TabooImpatience, Counts),
            ("impatience: you ask me, whom do I ask (power cut)", AGENT, "你问我 我问谁去 停电是供电局安排的", TabooImpatience, Counts),
            ("impatience: make up your mind (counter queue)", AGENT, "您到底还办不办 后面还有人排队", TabooImpatience, Counts),
            ("impatience: expose us if you like", AGENT, "你想曝光就曝光 我们按规定收费的", TabooImpatience, Counts),
            ("impatience: spare me the threat", AGENT, "少拿律师吓唬人", TabooImpatience, Counts),
            ("impatience: an apology before repeating", AGENT, "不好意思，我刚刚不是跟您说了吗，我再给您确认一下", TabooImpatience, NotCounted(OtherSense)),
            // taboo.deflect: work given out, not my trade, not mine to govern; and their guards.
            ("deflect: landscaping given out, go to them", AGENT, "绿化是外包给园林公司的 树倒了您直接找他们", TabooDeflect, Counts),
            ("deflect: given out but we keep after them", AGENT, "绿化是外包给园林公司的，我们物业会督促他们负责到底", TabooDeflect, NotCounted(OtherSense)),
            ("deflect: I am not the bank", AGENT, "我又不是银行 这个到账时间我哪知道", TabooDeflect, Counts),
            ("deflect: the courier's matters I can't govern", AGENT, "快递公司那块的事我们也管不了", TabooDeflect, Counts),
            ("deflect: we can't stop you is a dare, not a hand-off", AGENT, "你想发就发吧，我们也管不了你。", TabooDeflect, NotCounted(OtherSense)),
            // taboo.overpromise: a guarantee within minutes; a possibility denied.
            ("overpromise: a fitter within forty minutes", AGENT, "师傅四十分钟之内保证上门", TabooOverpromise, Counts),
            ("overpromise: a pass guaranteed", AGENT, "驾照这次保证让你考过", TabooOverpromise, Counts),
            ("overpromise: arrival denied, not promised", AGENT, "明天肯定到不了，山区要多走两天", TabooOverpromise, NotCounted(OtherSense)),
            // taboo.admit_defect: common, in the thing itself, confirmed; a supposition and a claim reported.
            ("admit_defect: a known weakness of a model", AGENT, "这款热水器漏水是通病", TabooAdmitDefect, Counts),
            ("admit_defect: a car confirmed flooded", AGENT, "那台车进来的时候确实是泡过水的", TabooAdmitDefect, Counts),
            ("admit_defect: a supposition", AGENT, "如果是设备本身的问题，我们免费给您换", TabooAdmitDefect, NotCounted(Hypothetical)),
            ("admit_defect: a claim reported, then tested sound", AGENT, "有客户说床垫甲醛超标，我们送检了，结果是合格的", TabooAdmitDefect, NotCounted(OtherSense)),
            // taboo.incite and taboo.withdraw.
            ("incite: a bare order to the consumer association", AGENT, "退订要扣手续费 不服去消协投诉我们就是了", TabooIncite, Counts),
            ("withdraw: the follow-up call coached", AGENT, "明天回访您就说已经解决了", TabooWithdraw, Counts),
            ("withdraw: no police needed, the child is found", AGENT, "不用报警，孩子已经找到了，在服务台", TabooWithdraw, NotCounted(OtherSense)),
        ];
        check(&rows);
    }

    /// Round 13 (the agent's taboos, tuned on the spent round 12, rounds 1-11 and the real second
    /// development set): the same families said in other sectors than the calls they were read
    /// from, and their guards.
    #[test]
    fn round_13_taboo_families_are_judged() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // taboo.incite: any outside body with a bare 去, a complaint site, anywhere you like.
            ("incite: the forestry bureau, go and sue", AGENT, "苗子死了您要是不服 就去林业局告我们吧", TabooIncite, Counts),
            ("incite: a complaint site will do", AGENT, "我们也没办法，去聚投诉上投诉也行", TabooIncite, Counts),
            ("incite: complain wherever you like", AGENT, "你想去哪投诉就去哪投诉", TabooIncite, Counts),
            ("incite: the quicker way is the hotline", AGENT, "您直接打12345，比找我们快", TabooIncite, Counts),
            ("incite: held back, not sent", AGENT, "您先别去黑猫投诉，我马上给您处理", TabooIncite, NotAFinding(Dropped::NoContext)),
            // taboo.impatience: short rude turns.
            ("impatience: only you are in a hurry (bank queue)", AGENT, "大家都在排队 就你着急？", TabooImpatience, Counts),
            ("impatience: said it just now (water bill)", AGENT, "我刚刚都跟您说了 水费是阶梯的", TabooImpatience, Counts),
            ("impatience: don't ask me everything (courier)", AGENT, "你别什么事都找我 我又不是驿站的", TabooImpatience, Counts),
            ("impatience: go downstairs and look yourself", AGENT, "您自己下楼看一眼电表 数都在上面", TabooImpatience, Counts),
            ("impatience: X什么X", AGENT, "急什么急 排到了会叫你", TabooImpatience, Counts),
            ("impatience: the customer's own words read back", AGENT, "您刚都说过了，我记下了", TabooImpatience, NotCounted(OtherSense)),
            // taboo.deflect: not our staff, the blame on a job, one step only, the customer's use.
            ("deflect: not our staff, a temp", AGENT, "那个搬运工不是我们员工 临时叫的", TabooDeflect, Counts),
            ("deflect: the blame on the security guard", AGENT, "车被刮了那是保安的问题", TabooDeflect, Counts),
            ("deflect: I only take bookings", AGENT, "退房押金您找前台，我这边只负责登记", TabooDeflect, Counts),
            ("deflect: a scam warning is no shirk", AGENT, "那个人不是我们员工，您千万别给他转钱", TabooDeflect, NotCounted(OtherSense)),
            // taboo.admit_defect: a part owned up to, a batch's fault said to exist.
            ("admit_defect: a hinge that gives", AGENT, "这款柜子的铰链确实不太结实", TabooAdmitDefect, Counts),
            ("admit_defect: a batch's fault exists", AGENT, "这批童鞋鞋底开胶的问题确实存在", TabooAdmitDefect, Counts),
            ("admit_defect: a supposition about a part", AGENT, "如果这款柜子的铰链确实不太结实，我们给您换", TabooAdmitDefect, NotCounted(Hypothetical)),
            // taboo.withdraw and taboo.overpromise.
            ("withdraw: the police held back for a deal", AGENT, "您先别报警 我们私下协商", TabooWithdraw, Counts),
            ("withdraw: tell the bureau it is settled", AGENT, "您跟12345那边说一声就说已经解决了", TabooWithdraw, Counts),
            ("overpromise: a job done by the afternoon", AGENT, "明天下午保证给您修好", TabooOverpromise, Counts),
        ];
        check(&rows);
    }

    /// Lines judged wrongly today, kept at their current verdict so a change is noticed:
    /// when one starts to pass as `should`, move it to the table above. Each is a known gap.
    #[test]
    fn known_gaps_keep_their_current_verdicts() {
        use Category::*;
        #[rustfmt::skip]
        let rows = [
            // should: Negated. Post-negators reach only their own clause.
            ("算了 after a comma does not withdraw the threat", CUSTOMER, "找记者，算了", ThreatMedia, Counts),
            ("算了 after a pause does not withdraw the threat", CUSTOMER, "找记者 算了", ThreatMedia, Counts),
            // should: Negated. The opener 我要 sits inside what 不是说 denies.
            ("不是说我要… counts", CUSTOMER, "我不是说我要去找记者", ThreatMedia, Counts),
            // should: Hypothetical. …的话 reaches only a term right before it.
            ("找媒体曝光的话 counts", CUSTOMER, "找媒体曝光的话对你们影响也不好吧", ThreatMedia, Counts),
            // should: not counted (the police would be no use). 结果 here is 没有's object.
            ("没有结果报警也没用 counts", CUSTOMER, "还没有结果报警也没用", ThreatLegal, Counts),
            // should: Negated. 去不了 is one word for jieba, so its 不 is not seen (round 8 checked: 没了 is spent,
            // 不了 is not, and this line counted before it too).
            ("去不了法院 counts", CUSTOMER, "我这身体也去不了法院", ThreatLegal, Counts),
            // should: Counts. Without punctuation the quote of 他说 runs on into the customer's own words.
            ("他说没事我要去12315投诉 reads as quoted", CUSTOMER, "他说没事我要去12315投诉", ThreatRegulator, NotCounted(Quoted)),
        ];
        check(&rows);
    }

    /// Regression: a 7 MB ASR segment with no punctuation did not finish in 300 s, because
    /// every mention's clause was the whole line. The work of judging a line (bytes the
    /// clause search looks at, bytes handed to jieba) must grow linearly with the line.
    #[test]
    fn judging_a_long_unpunctuated_line_is_linear() {
        let engine = crate::config::Engine::new(crate::config::load_lexicon(&[], true, 1).unwrap());
        let context = Context::new(&engine.lexicon, &engine.segmenter);
        let work = |repeats: usize| {
            let line = "我说如果你们不处理我就去12315投诉还要找媒体曝光质量问题一定给我解决".repeat(repeats);
            let text = normalize(&line);
            let mut candidates = Vec::new();
            engine.matcher.candidates(&text.text, &mut candidates);
            let before = engine.segmenter.segmented_bytes();
            SCANNED.with(|n| n.set(0));
            let mut findings = Vec::new();
            context.judge(
                Speaker::Customer,
                &text,
                "",
                &candidates,
                |rule, _| rule.severity,
                &mut findings,
            );
            assert!(!findings.is_empty());
            engine.segmenter.segmented_bytes() - before + SCANNED.with(|n| n.get()) as u64
        };
        let (small, large) = (work(500), work(2000));
        assert!(large <= small * 9 / 2, "work {small} at N, {large} at 4N");
    }
}
