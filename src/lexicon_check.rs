//! `callrisk lexicon test` and `callrisk lexicon check`: the dictionaries judged by their own
//! examples, and linted for mistakes a loader cannot call errors.
//!
//! `test` scans every `examples` sentence (as the customer for threats, the agent for
//! taboos) and expects a counted finding of the rule's category; every `counterexamples`
//! sentence must give none. `check` lists duplicate terms, terms their own `unless` rules out,
//! `unless` phrases that can never apply, unconditional terms shared across categories, and
//! script or timing items the score sheet does not score. Script rules' examples must hold the
//! rule's words. The sheet itself is checked when it loads (unknown ids, points out of range).

use std::collections::HashMap;
use std::fmt::Write;

use crate::category::{Severity, Side, Speaker};
use crate::config::Engine;
use crate::lexicon::Rule;
use crate::pipeline::scan_conversation;
use crate::transcript::Conversation;

/// One failed example.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    pub category: &'static str,
    pub sentence: String,
    pub expected_counted: bool,
    /// What the scan did say, for the message.
    pub found: String,
}

/// Results of `lexicon test`.
#[derive(Debug, Default)]
pub struct ExampleReport {
    pub passed: usize,
    /// Script rules' examples that hold their words (failures are with the others).
    pub script_passed: usize,
    pub failures: Vec<ExampleFailure>,
}

impl ExampleReport {
    pub fn render(&self) -> String {
        let mut s = String::new();
        for f in &self.failures {
            let want = if f.expected_counted {
                "example not found"
            } else {
                "counterexample counted"
            };
            let _ = writeln!(
                s,
                "FAIL {} ({}): {want}: {}\n     scan says: {}",
                f.rule, f.category, f.sentence, f.found
            );
        }
        if self.script_passed > 0 {
            let _ = writeln!(s, "script rules: {} examples hold their words", self.script_passed);
        }
        let _ = writeln!(
            s,
            "lexicon test: {} passed, {} failed",
            self.passed,
            self.failures.len()
        );
        s
    }
}

/// What separates the line before from the example's own line: `您那个消委会的投诉我们看到了 =>
/// 我前天就投了` (for rules with `after_line`; the line before is the other side's).
pub const AFTER_LINE_SEPARATOR: &str = " => ";

/// Scan one sentence as the side that may say the rule's category; `before => sentence`
/// scans two lines, the first said by the other side.
fn scan_sentence(engine: &Engine, rule: &Rule, sentence: &str) -> (bool, String) {
    let (speaker, other) = match rule.category.side() {
        Side::Threat => (Speaker::Customer, Speaker::Agent),
        Side::Taboo => (Speaker::Agent, Speaker::Customer),
    };
    let conversation = match sentence.split_once(AFTER_LINE_SEPARATOR) {
        Some((before, line)) => {
            let mut conversation = Conversation::one_line("example", other, before.trim());
            let mut second = Conversation::one_line("example", speaker, line.trim()).utterances;
            second[0].line = 2;
            conversation.utterances.append(&mut second);
            conversation
        }
        None => Conversation::one_line("example", speaker, sentence),
    };
    let scanned = scan_conversation(conversation, engine, Severity::Low);
    let counted = scanned
        .findings
        .iter()
        .any(|lf| lf.finding.category == rule.category && lf.finding.counts());
    let found: Vec<String> = scanned
        .findings
        .iter()
        .map(|lf| {
            let f = &lf.finding;
            let verdict = match f.verdict {
                crate::detect::finding::Verdict::Counted => "counted".to_string(),
                crate::detect::finding::Verdict::NotCounted(r) => r.id().to_string(),
                crate::detect::finding::Verdict::Dropped(d) => d.describe().to_string(),
            };
            format!("{} `{}` {verdict}", f.category, f.term)
        })
        .collect();
    (
        counted,
        if found.is_empty() {
            "nothing".into()
        } else {
            found.join("; ")
        },
    )
}

pub fn test_examples(engine: &Engine) -> ExampleReport {
    let mut report = ExampleReport::default();
    for rule in &engine.lexicon.rules {
        let cases = rule
            .examples
            .iter()
            .map(|e| (e, true))
            .chain(rule.counterexamples.iter().map(|e| (e, false)));
        for (sentence, expected) in cases {
            let (counted, found) = scan_sentence(engine, rule, sentence);
            if counted == expected {
                report.passed += 1;
            } else {
                report.failures.push(ExampleFailure {
                    rule: rule.origin.to_string(),
                    category: rule.category.id(),
                    sentence: sentence.clone(),
                    expected_counted: expected,
                    found,
                });
            }
        }
    }
    // A script rule's examples must hold its words (where they are said is the detector's
    // business, and needs a whole call).
    let script = &engine.lexicon.script;
    for (r, rule) in script.rules.iter().enumerate() {
        for sentence in &rule.examples {
            let text = crate::normalize::normalize(sentence).text;
            let mut found = Vec::new();
            engine.script_matcher.candidates(&text, &mut found);
            if found.iter().any(|c| c.rule == r) {
                report.script_passed += 1;
            } else {
                report.failures.push(ExampleFailure {
                    rule: rule.origin.to_string(),
                    category: "script",
                    sentence: sentence.clone(),
                    expected_counted: true,
                    found: format!("none of the words of {}", rule.id),
                });
            }
        }
    }
    report
}

/// One lint finding of `lexicon check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub at: String,
    pub message: String,
}

pub fn check(engine: &Engine) -> Vec<Lint> {
    let rules = &engine.lexicon.rules;
    let mut lints = crate::review::exclusion::stale(engine);
    let mut seen: HashMap<(&str, &'static str), &Rule> = HashMap::new();
    let mut unconditional: HashMap<&str, Vec<&Rule>> = HashMap::new();
    for rule in rules {
        for term in &rule.terms {
            match seen.entry((term.text.as_str(), rule.category.id())) {
                std::collections::hash_map::Entry::Occupied(first) => lints.push(Lint {
                    at: rule.origin.to_string(),
                    message: format!(
                        "duplicate term `{}` in {} (first at {})",
                        term.written,
                        rule.category,
                        first.get().origin
                    ),
                }),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(rule);
                }
            }
            if rule.unless.contains(&term.text) {
                lints.push(Lint {
                    at: rule.origin.to_string(),
                    message: format!(
                        "term `{}` is also in its own `unless`, so it can never count",
                        term.written
                    ),
                });
            }
            if rule.near.is_empty() && term.count.is_none() {
                unconditional.entry(term.text.as_str()).or_default().push(rule);
            }
        }
        for pattern in rule.terms.iter().filter_map(|t| t.pattern.as_deref()) {
            if let Err(message) = pattern.compile_all() {
                lints.push(Lint {
                    at: rule.origin.to_string(),
                    message,
                });
            }
        }
        let has_patterns = rule.terms.iter().any(|t| t.pattern.is_some());
        // One lint per rule: a class in `unless` stands for many phrases.
        let idle: Vec<&String> = rule
            .unless
            .iter()
            .filter(|phrase| !has_patterns && !rule.terms.iter().any(|t| phrase.contains(t.text.as_str())))
            .collect();
        if let Some(first) = idle.first() {
            let more = match idle.len() - 1 {
                0 => String::new(),
                n => format!(" (and {n} more)"),
            };
            lints.push(Lint {
                at: rule.origin.to_string(),
                message: format!("`unless` phrase `{first}`{more} contains none of the rule's terms, so it never applies (use `unless_near` for words nearby)"),
            });
        }
        for near in &rule.near {
            if rule.terms.iter().any(|t| t.text == *near) {
                lints.push(Lint {
                    at: rule.origin.to_string(),
                    message: format!("`near` word `{near}` is one of the rule's own terms"),
                });
            }
        }
    }
    // The sheet loaded, so its ids are known; an item the detectors find that the sheet does
    // not score is worth a look.
    let script_ids = engine.lexicon.script.ids().map(str::to_string);
    let timing_ids = crate::script::TIMING_IDS.iter().map(|s| s.to_string());
    for id in script_ids.chain(timing_ids) {
        if engine.scorecard.item_for(&id).is_none() {
            lints.push(Lint {
                at: "score sheet".into(),
                message: format!("`{id}` is found but scored by no item of the sheet (add an item, or its group)"),
            });
        }
    }
    let used = crate::lexicon::classes_used(&engine.lexicon);
    for (name, origin) in &engine.lexicon.class_origins {
        if !used.contains(name) {
            lints.push(Lint {
                at: origin.to_string(),
                message: format!(
                    "class `{{{name}}}` is used by no pattern or word list (remove it, or use it as {{{name}}})"
                ),
            });
        }
    }
    for (term, owners) in unconditional {
        let mut sides: Vec<_> = owners
            .iter()
            .map(|r| (r.category.side() == Side::Threat, r.category.id()))
            .collect();
        sides.sort();
        sides.dedup();
        let same_side: Vec<_> = sides.windows(2).filter(|w| w[0].0 == w[1].0).collect();
        if let Some(pair) = same_side.first() {
            lints.push(Lint {
                at: owners[0].origin.to_string(),
                message: format!(
                    "term `{term}` counts for both {} and {} (same speaker): keep it in one",
                    pair[0].1, pair[1].1
                ),
            });
        }
    }
    lints.sort_by(|a, b| a.at.cmp(&b.at).then(a.message.cmp(&b.message)));
    lints.dedup();
    lints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{Lexicon, Source};

    fn engine(rules: &str) -> Engine {
        Engine::new(
            Lexicon::load(&[Source {
                name: "t/x.toml".into(),
                text: rules.into(),
            }])
            .unwrap(),
        )
    }

    #[test]
    fn shipped_dictionaries_pass_their_own_examples() {
        let engine = Engine::new(Lexicon::builtin().unwrap());
        let report = test_examples(&engine);
        assert!(report.failures.is_empty(), "{}", report.render());
        assert!(report.passed > 50);
        let examples: usize = engine.lexicon.script.rules.iter().map(|r| r.examples.len()).sum();
        assert!(
            examples >= engine.lexicon.script.rules.len(),
            "at least one example per script rule"
        );
        assert_eq!(report.script_passed, examples, "every script example holds its words");
    }

    #[test]
    fn shipped_dictionaries_lint_clean() {
        let engine = Engine::new(Lexicon::builtin().unwrap());
        let lints = check(&engine);
        let text: Vec<String> = lints.iter().map(|l| format!("{}: {}", l.at, l.message)).collect();
        assert!(lints.is_empty(), "{}", text.join("\n"));
    }

    #[test]
    fn a_failing_example_names_rule_and_sentence() {
        let engine = engine(
            "category = \"threat.media\"\n[[rule]]\nterms = [\"记者\"]\nexamples = [\"我要找电视台\"]\ncounterexamples = [\"我认识一个记者\"]\n",
        );
        let report = test_examples(&engine);
        assert_eq!(report.passed, 0);
        assert_eq!(report.failures.len(), 2);
        assert!(
            report
                .render()
                .contains("FAIL t/x.toml:3 (threat.media): example not found: 我要找电视台"),
            "{}",
            report.render()
        );
        assert!(report.render().ends_with("0 passed, 2 failed\n"));
    }

    #[test]
    fn lints_duplicates_and_self_exclusion() {
        let engine = engine(
            "category = \"threat.media\"\n[[rule]]\nterms = [\"记者\", \"曝光\"]\nunless = [\"曝光\", \"电视机\"]\n[[rule]]\nterms = [\"记者\"]\n",
        );
        let messages: Vec<_> = check(&engine).into_iter().map(|l| l.message).collect();
        assert!(
            messages.iter().any(|m| m.starts_with("duplicate term `记者`")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`曝光` is also in its own `unless`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("`电视机` contains none")),
            "{messages:?}"
        );
    }

    /// A class named only in a rule's word lists is in use, and a class in `unless` that
    /// holds none of the terms is one lint for the rule, not one per word it stands for.
    #[test]
    fn classes_in_word_lists_are_used_and_lint_once() {
        let source = |name: &str, text: &str| Source {
            name: name.into(),
            text: text.into(),
        };
        let engine = Engine::new(
            Lexicon::load(&[
                source("t/classes.toml", "myplace = [\"食堂\", \"宿舍\", \"操场\"]\n"),
                source(
                    "t/threat.protest.toml",
                    "category = \"threat.protest\"\n[[rule]]\nterms = [\"拉横幅\"]\nunless_near = [\"{myplace}\"]\nunless = [\"{myplace}门口\"]\n",
                ),
            ])
            .unwrap(),
        );
        let messages: Vec<_> = check(&engine).into_iter().map(|l| l.message).collect();
        assert!(
            !messages.iter().any(|m| m.contains("{myplace}` is used by no")),
            "{messages:?}"
        );
        let idle: Vec<_> = messages
            .iter()
            .filter(|m| m.contains("contains none of the rule's terms"))
            .collect();
        assert_eq!(idle.len(), 1, "{messages:?}");
        assert!(idle[0].contains("(and 2 more)"), "{}", idle[0]);
    }
}
