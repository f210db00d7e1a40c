//! Candidates: every place a lexicon term or pattern occurs in normalised text.
//!
//! Owns the Aho-Corasick automaton, built once from every term of every rule and the anchors
//! of every pattern, and shared read-only by all workers. It is `daachorse`'s character-wise
//! double array: as fast as `aho-corasick`'s DFA on this text (same instructions per byte on
//! the benchmark log) and built in a twelfth of the time (24 M against 329 M instructions for
//! the shipped dictionaries), which was a third of the start-up. A term's hit is a candidate; a
//! pattern's anchor hit is verified around the anchor (`pattern.rs`) and the whole match is
//! the candidate. A pattern's other required tokens (a literal, a class or group of plain
//! words) ride the same automaton: an anchor hit is verified only when a literal of every one
//! of them lies within the pattern's reach of it, so a pattern anchored on a common word (问,
//! 客服) costs a regex search only where its rarer words are near. Gates only save work: the
//! candidates are the same with and without them (tested on every committed call).
//! Overlapping matches are all reported (撤销投诉 and 投诉 are both candidates); the context
//! stage decides which count.

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

use std::cell::RefCell;

use crate::lexicon::{Lexicon, Term};
use crate::pattern::Pattern;

/// How common a required token's one-character words may be, together, for the token to
/// gate its pattern: in jieba's dictionary 次 + 回 + 遍 + 趟 come to 44,308 (kept), while 了 alone
/// is 883,634. Every literal of a gating token rides the automaton, and a character in
/// nearly every clause would add a hit to nearly every clause and filter almost nothing.
const GATE_CHAR_FREQUENCY: u64 = 50_000;

/// Whether a required token is worth gating on (see [`GATE_CHAR_FREQUENCY`]); longer words are
/// always rare enough.
fn worth_gating(literals: &[String]) -> bool {
    let mut total = 0u64;
    for literal in literals {
        let mut chars = literal.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            total += crate::segment::char_frequency(c).unwrap_or(0);
        }
    }
    total <= GATE_CHAR_FREQUENCY
}

/// A pattern to verify and its gate, if it has one.
type Gated = (std::sync::Arc<Pattern>, Option<u32>);

/// The tokens a pattern's match holds besides its anchor, as token sets (the literals of one
/// token), each before or after the anchor, and how far the match reaches on each side.
struct Gate {
    tokens: Vec<(u32, bool)>,
    before: usize,
    after: usize,
}

/// A worker's buffers for [`Matcher::candidates_all`], kept between calls.
#[derive(Default)]
struct Scratch {
    /// The automaton's hits of lexicon literals: (literal, start, end).
    hits: Vec<(u32, usize, usize)>,
    /// The token sets the text holds a literal of, as bits, once a gate asks.
    present: Vec<u64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// A term of a rule found at `start..end` (bytes of the normalised text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub rule: usize,
    pub term: usize,
    pub start: usize,
    pub end: usize,
    /// For a pattern with `{n}`: where the count is.
    pub count: Option<(usize, usize)>,
}

/// The compiled automaton and, per literal it searches for, the (rule, term) pairs that share
/// that text and the patterns that require it.
pub struct Matcher {
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    owners: Vec<Vec<(usize, usize)>>,
    /// Per literal: the token sets it is one of the literals of. Literals only a token set
    /// needs have no owners.
    member_of: Vec<Vec<u32>>,
    /// How many token sets there are.
    set_count: usize,
    /// Per pattern with required tokens other than its anchor: those tokens.
    gates: Vec<Gate>,
    /// Verify every anchor hit (the tests compare this with the gates).
    #[cfg(test)]
    ungated: bool,
    /// Anchor hits verified so far (for the tests).
    #[cfg(test)]
    verified: std::sync::atomic::AtomicUsize,
    /// Per rule, per term: the pattern to verify, if the term is one, and its gate.
    patterns: Vec<Vec<Option<Gated>>>,
    /// Rules below this index are the lexicon's; those from it on, the script rules' triggers.
    primary: usize,
}

impl Matcher {
    /// The one automaton of a scan: every lexicon rule's terms (candidate `rule` = the rule's
    /// index) and, after them, every script rule's triggers (`rule` = [`Matcher::primary`] +
    /// the script rule's index), so a complaint or an account detail costs no second pass.
    pub fn new(lexicon: &Lexicon) -> Matcher {
        let rules: Vec<&[Term]> = lexicon
            .rules
            .iter()
            .map(|r| r.terms.as_slice())
            .chain(lexicon.script.rules.iter().map(|r| r.triggers.as_slice()))
            .collect();
        let mut matcher = Matcher::for_terms(&rules);
        matcher.primary = lexicon.rules.len();
        matcher
    }

    /// An automaton for any rules' terms: a candidate's `rule` is the index into `rules`.
    pub fn for_terms(rules: &[&[Term]]) -> Matcher {
        let mut patterns: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (r, terms) in rules.iter().enumerate() {
            for (t, term) in terms.iter().enumerate() {
                for literal in term.literals() {
                    let id = *index.entry(literal).or_insert_with(|| {
                        patterns.push(literal);
                        owners.push(Vec::new());
                        patterns.len() - 1
                    });
                    owners[id].push((r, t));
                }
            }
        }
        // A pattern's other required tokens ride the same automaton: an anchor hit is
        // verified only where the text holds a literal of every one of them. Tokens with the
        // same literals (a class many patterns use) are one token set.
        let mut sets: std::collections::HashMap<Vec<u32>, u32> = std::collections::HashMap::new();
        let mut gates: Vec<Gate> = Vec::new();
        let patterns_of = rules
            .iter()
            .map(|terms| {
                terms
                    .iter()
                    .map(|t| {
                        let pattern = t.pattern.as_ref()?;
                        let mut tokens: Vec<(u32, bool)> = pattern
                            .requires
                            .iter()
                            .filter(|required| worth_gating(&required.literals))
                            .map(|required| {
                                let mut ids: Vec<u32> = required
                                    .literals
                                    .iter()
                                    .map(|literal| {
                                        *index.entry(literal.as_str()).or_insert_with(|| {
                                            patterns.push(literal.as_str());
                                            owners.push(Vec::new());
                                            patterns.len() - 1
                                        }) as u32
                                    })
                                    .collect();
                                ids.sort_unstable();
                                ids.dedup();
                                let next = sets.len() as u32;
                                (*sets.entry(ids).or_insert(next), required.before)
                            })
                            .collect();
                        if tokens.is_empty() {
                            return Some((pattern.clone(), None));
                        }
                        tokens.sort_unstable();
                        tokens.dedup();
                        let (before, after) = pattern.reach();
                        gates.push(Gate { tokens, before, after });
                        Some((pattern.clone(), Some(gates.len() as u32 - 1)))
                    })
                    .collect()
            })
            .collect();
        let mut member_of: Vec<Vec<u32>> = vec![Vec::new(); patterns.len()];
        for (ids, set) in &sets {
            for &id in ids {
                member_of[id as usize].push(*set);
            }
        }
        member_of.iter_mut().for_each(|sets| sets.sort_unstable());
        let automaton = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build_with_values(patterns.iter().enumerate().map(|(i, p)| (*p, i as u32)))
            .expect("lexicon terms always build an automaton");
        Matcher {
            automaton,
            owners,
            member_of,
            set_count: sets.len(),
            gates,
            #[cfg(test)]
            ungated: false,
            #[cfg(test)]
            verified: Default::default(),
            primary: rules.len(),
            patterns: patterns_of,
        }
    }

    #[cfg(test)]
    fn ungated(&self) -> bool {
        self.ungated
    }

    #[cfg(not(test))]
    fn ungated(&self) -> bool {
        false
    }

    /// Candidates with a `rule` below this are the lexicon's (all of them, for
    /// [`Matcher::for_terms`]).
    pub fn primary(&self) -> usize {
        self.primary
    }

    /// Every occurrence of every lexicon term in `text`, in order of end position.
    pub fn candidates(&self, text: &str, out: &mut Vec<Candidate>) {
        let first = out.len();
        self.candidates_all(text, out);
        if self.primary < self.patterns.len() && out[first..].iter().any(|c| c.rule >= self.primary) {
            let primary = self.primary;
            let mut kept = first;
            for i in first..out.len() {
                if out[i].rule < primary {
                    out[kept] = out[i];
                    kept += 1;
                }
            }
            out.truncate(kept);
        }
    }

    /// Every occurrence of every term in `text`, the script triggers' too, in order of end
    /// position.
    pub fn candidates_all(&self, text: &str, out: &mut Vec<Candidate>) {
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            let Scratch { hits, present } = &mut *scratch;
            self.candidates_with(text, out, hits, present);
        });
    }

    fn candidates_with(
        &self,
        text: &str,
        out: &mut Vec<Candidate>,
        hits: &mut Vec<(u32, usize, usize)>,
        present: &mut Vec<u64>,
    ) {
        // One pass: every hit kept in order, a required token's too (it may come after the
        // anchor hit it allows).
        hits.clear();
        for m in self.automaton.find_overlapping_iter(text) {
            debug_assert!(
                hits.last().is_none_or(|&(_, _, e)| e <= m.end()),
                "hits in order of their ends"
            );
            hits.push((m.value(), m.start(), m.end()));
        }
        // Whether a literal of every required token of a gate is in reach of an anchor hit
        // at `start..end`. The token sets the text holds anywhere are marked on the first
        // question (most hits fail there); the hits in reach are found by their ends, since
        // an Aho-Corasick pass reports hits in order of where they end.
        let mut marked = false;
        let mut holds_all = |gate: u32, start: usize, end: usize| {
            if !marked {
                present.clear();
                present.resize(self.set_count.div_ceil(64), 0);
                for &(value, _, _) in hits.iter() {
                    for &set in &self.member_of[value as usize] {
                        present[set as usize / 64] |= 1 << (set % 64);
                    }
                }
                marked = true;
            }
            let gate = &self.gates[gate as usize];
            if !gate
                .tokens
                .iter()
                .all(|&(set, _)| present[set as usize / 64] & (1 << (set % 64)) != 0)
            {
                return false;
            }
            gate.tokens.iter().all(|&(set, before)| {
                let (lo, hi) = match before {
                    true => (start.saturating_sub(gate.before), start),
                    false => (end, end.saturating_add(gate.after)),
                };
                let from = hits.partition_point(|&(_, _, e)| e < lo);
                hits[from..]
                    .iter()
                    .take_while(|&&(_, _, e)| e <= hi)
                    .any(|&(value, s, _)| s >= lo && self.member_of[value as usize].binary_search(&set).is_ok())
            })
        };
        let first = out.len();
        let mut verified = false;
        for &(value, start, end) in hits.iter() {
            for &(rule, term) in &self.owners[value as usize] {
                let candidate = match &self.patterns[rule][term] {
                    None => Candidate {
                        rule,
                        term,
                        start,
                        end,
                        count: None,
                    },
                    Some((pattern, gate)) => {
                        if !self.ungated() && gate.is_some_and(|gate| !holds_all(gate, start, end)) {
                            continue;
                        }
                        #[cfg(test)]
                        self.verified.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(found) = pattern.verify(text, start, end) else {
                            continue;
                        };
                        let candidate = Candidate {
                            rule,
                            term,
                            start: found.span.start,
                            end: found.span.end,
                            count: found.count.map(|c| (c.start, c.end)),
                        };
                        // Two anchors of one pattern can verify to the same match.
                        if out[first..].contains(&candidate) {
                            continue;
                        }
                        verified = true;
                        candidate
                    }
                };
                out.push(candidate);
            }
        }
        if !verified {
            return;
        }
        // A pattern's match inside a longer match of the same pattern is the same mention
        // (别往上报 inside 先别往上报).
        let mut i = first;
        while i < out.len() {
            let c = out[i];
            let is_pattern = self.patterns[c.rule][c.term].is_some();
            let nested = is_pattern
                && out[first..].iter().any(|o| {
                    o.rule == c.rule
                        && o.term == c.term
                        && o.start <= c.start
                        && c.end <= o.end
                        && o.end - o.start > c.end - c.start
                });
            if nested {
                out.remove(i);
            } else {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Source;

    #[test]
    fn overlapping_terms_are_all_candidates() {
        let lexicon = Lexicon::load(&[Source {
            name: "t/taboo.withdraw.toml".into(),
            text: "category = \"taboo.withdraw\"\n[[rule]]\nterms = [\"撤销投诉\", \"投诉\"]\n".into(),
        }])
        .unwrap();
        let matcher = Matcher::new(&lexicon);
        let mut found = Vec::new();
        matcher.candidates("您能撤销投诉吗", &mut found);
        let spans: Vec<_> = found.iter().map(|c| (c.start, c.end)).collect();
        assert_eq!(spans, [(6, 18), (12, 18)]);
    }

    #[test]
    fn script_triggers_ride_the_one_automaton_but_never_reach_the_terms() {
        let lexicon = Lexicon::builtin().unwrap();
        let matcher = Matcher::new(&lexicon);
        let line = "您账户余额还有二十元，我要去12315投诉";
        let (mut terms, mut all) = (Vec::new(), Vec::new());
        matcher.candidates(line, &mut terms);
        matcher.candidates_all(line, &mut all);
        assert!(terms.iter().all(|c| c.rule < matcher.primary()));
        assert!(!terms.is_empty(), "12315 is a lexicon term");
        let verification = lexicon.script.ids().position(|id| id == "script.verification").unwrap();
        let trigger = all.iter().find(|c| c.rule == matcher.primary() + verification).unwrap();
        assert_eq!(&line[trigger.start..trigger.end], "余额");
    }

    /// Every candidate the gated matcher finds in `texts`, and every one the same matcher
    /// finds when it verifies every anchor hit: the gates only save work.
    fn gated_and_ungated(matcher: &mut Matcher, texts: &[String]) -> (Vec<Vec<Candidate>>, Vec<Vec<Candidate>>) {
        let run = |matcher: &Matcher| {
            texts
                .iter()
                .map(|text| {
                    let mut found = Vec::new();
                    matcher.candidates_all(text, &mut found);
                    found
                })
                .collect::<Vec<_>>()
        };
        let gated = run(matcher);
        matcher.ungated = true;
        let ungated = run(matcher);
        matcher.ungated = false;
        (gated, ungated)
    }

    /// Every line of the committed calls (samples, tests/corpus, every blind round),
    /// normalised as the scan does.
    fn committed_lines() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut folders = vec![root.join("samples"), root.join("tests/corpus")];
        for round in std::fs::read_dir(root.join("tests/blind")).unwrap().flatten() {
            folders.push(round.path().join("calls"));
        }
        let mut lines = Vec::new();
        while let Some(folder) = folders.pop() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    lines.extend(text.lines().map(|l| crate::normalize::normalize(l).text));
                }
            }
        }
        lines.sort();
        lines
    }

    #[test]
    fn gates_never_change_a_candidate_on_the_committed_calls() {
        let lexicon = Lexicon::builtin().unwrap();
        let mut matcher = Matcher::new(&lexicon);
        let lines = committed_lines();
        assert!(
            lines.len() > 10_000,
            "the committed calls were read: {} lines",
            lines.len()
        );
        let (gated, ungated) = gated_and_ungated(&mut matcher, &lines);
        let verified: usize = ungated.iter().flatten().filter(|c| c.count.is_some()).count();
        assert!(verified > 100, "patterns with counts matched: {verified}");
        for ((line, g), u) in lines.iter().zip(&gated).zip(&ungated) {
            assert_eq!(g, u, "{line}");
        }
    }

    /// The repeat pattern `{contact} ~5 {n}{unit}` is anchored on its contact verb (问, 联系 …),
    /// one of the commonest words of a complaint; its unit (次, 回, 遍 …) must be in reach
    /// for the anchor hit to be verified at all, and the matches are what they always were.
    #[test]
    fn a_unit_out_of_reach_of_the_verb_is_not_verified_and_matches_stay_the_same() {
        let lexicon = Lexicon::builtin().unwrap();
        let mut matcher = Matcher::new(&lexicon);
        let lines: Vec<String> = [
            "我问了三次都没有人回复",
            "我问过客服，他们说这次一定给我处理好，结果等了三天",
            "联系你们客服好几回了",
            "上次联系之后又等了很久，这个问题我已经反映过三次",
            "问题是第二次发货还是错的",
        ]
        .iter()
        .map(|l| crate::normalize::normalize(l).text)
        .collect();
        let (gated, ungated) = gated_and_ungated(&mut matcher, &lines);
        assert_eq!(gated, ungated);
        let verifies = |matcher: &Matcher, line: &str| {
            let before = matcher.verified.load(std::sync::atomic::Ordering::Relaxed);
            matcher.candidates_all(line, &mut Vec::new());
            matcher.verified.load(std::sync::atomic::Ordering::Relaxed) - before
        };
        // 问过 … 这次: the unit is in the line but out of the verb's reach.
        let far = &lines[1];
        let gated_verifies = verifies(&matcher, far);
        matcher.ungated = true;
        let all_verifies = verifies(&matcher, far);
        assert!(
            gated_verifies < all_verifies,
            "{gated_verifies} of {all_verifies} anchor hits verified"
        );
        matcher.ungated = false;
        let counted = |found: &Vec<Candidate>| found.iter().filter(|c| c.count.is_some()).count();
        assert!(counted(&gated[0]) > 0, "问了三次 is a count of contacts");
        assert!(counted(&gated[2]) > 0, "联系…好几回 is a count of contacts");
    }

    /// A class of no words matches the empty text, so a word or group holding it is optional
    /// or shorter than its other words: neither may gate (found by a review: the gate dropped
    /// 投诉以前 and a bare 投诉).
    #[test]
    fn a_class_of_no_words_never_gates() {
        let matcher_for = |pattern: &str| {
            let lexicon = Lexicon::load(&[
                Source {
                    name: "my/classes.toml".into(),
                    text: "when = [\"以前{none}\", \"以后\"]\nnone = []\n".into(),
                },
                Source {
                    name: "t/taboo.withdraw.toml".into(),
                    text: format!("category = \"taboo.withdraw\"\n[[rule]]\npatterns = [\"{pattern}\"]\n"),
                },
            ])
            .unwrap();
            Matcher::new(&lexicon)
        };
        for (pattern, text, found) in [
            ("投诉{when}", "我投诉以前的事", "投诉以前"),
            ("投诉(以后|{none})", "我要投诉", "投诉"),
        ] {
            let mut matcher = matcher_for(pattern);
            let (gated, ungated) = gated_and_ungated(&mut matcher, &[text.to_string()]);
            assert_eq!(gated, ungated, "{pattern}");
            let spans: Vec<&str> = gated[0]
                .iter()
                .filter(|c| c.rule < matcher.primary())
                .map(|c| &text[c.start..c.end])
                .collect();
            assert_eq!(spans, [found], "{pattern}");
        }
    }

    #[test]
    fn shared_term_text_keeps_every_owner() {
        let lexicon = Lexicon::builtin().unwrap();
        let matcher = Matcher::new(&lexicon);
        let mut found = Vec::new();
        matcher.candidates("我要去12315投诉", &mut found);
        let rules: std::collections::BTreeSet<_> = found.iter().map(|c| lexicon.rules[c.rule].category.id()).collect();
        assert!(rules.contains("threat.regulator"));
        assert!(
            rules.contains("taboo.incite"),
            "the incite rule also owns 12315: {rules:?}"
        );
    }
}
