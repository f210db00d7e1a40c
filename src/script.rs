//! Script rules and timing settings: `dictionaries/script.toml`, what the agent must say and
//! where, and what the timing detector measures.
//!
//! A script rule names an item of the QA sheet (`script.greeting` …) and the words that meet
//! it, as terms and patterns in the dictionaries' rule language (the classes of
//! `classes.toml` included), with one position:
//!
//! - `first_turns = N` (and optionally `first_seconds`): said within the speaker's first N
//!   turns (or the call's first seconds, when the call is timed);
//! - `last_turns = N` (and optionally `last_seconds`): within the last N turns or seconds;
//! - `before_terms` / `before_categories`: said before the first line of the speaker that holds
//!   one of the terms or a counted finding of one of the categories (verification before
//!   account details or a number is read out); not applicable when nothing triggers it;
//! - `after_terms` / `after_categories` with `within_turns = N`: said within N turns of the
//!   speaker after each line of the other side that triggers it (an apology after a complaint).
//!
//! Promise: a rule that loads has an id, words, and exactly one position; a bad one is an error
//! naming file, line and what to write instead.

use serde::Deserialize;
use toml::Spanned;

use crate::category::{Category, Speaker};
use crate::lexicon::{LexiconError, Source, Term, line_of, normalized_list, toml_error};
use crate::normalize::normalize_term;
use crate::pattern::{Classes, Pattern};

/// The file that holds script rules and timing settings.
pub const SCRIPT_FILE: &str = "script.toml";

/// Where a script item must be said.
#[derive(Debug, Clone, PartialEq)]
pub enum Position {
    /// Within the speaker's first `turns` turns, or the call's first `seconds`.
    First { turns: usize, seconds: Option<f64> },
    /// Within the speaker's last `turns` turns, or the call's last `seconds`.
    Last { turns: usize, seconds: Option<f64> },
    /// No later than the first line of the speaker holding one of the rule's triggers or a
    /// counted finding of one of `categories`.
    Before { categories: Vec<Category> },
    /// Within `turns` turns of the speaker after each line of the other side holding a
    /// trigger term or a counted finding of one of `categories`.
    After { categories: Vec<Category>, turns: usize },
}

impl Position {
    /// Where the item was expected, for reports and `explain`.
    pub fn describe(&self) -> String {
        match self {
            Position::First { turns, seconds } => match seconds {
                Some(s) => format!("in the first {turns} turns or {s} s"),
                None => format!("in the first {turns} turns"),
            },
            Position::Last { turns, seconds } => match seconds {
                Some(s) => format!("in the last {turns} turns or {s} s"),
                None => format!("in the last {turns} turns"),
            },
            Position::Before { .. } => "before the first account detail".to_string(),
            Position::After { turns, .. } => format!("within {turns} turns after"),
        }
    }
}

/// One item the agent must say.
#[derive(Debug, Clone)]
pub struct ScriptRule {
    /// `script.greeting` …: the id reports and the score sheet use.
    pub id: String,
    /// What the item is, in the sheet's words (`问候语：您好，报工号`).
    pub label: String,
    /// Whose words meet it (the agent, by default).
    pub speaker: Speaker,
    /// The words that meet it.
    pub terms: Vec<Term>,
    /// The words that trigger it (`before_terms`, `after_terms`), if any.
    pub triggers: Vec<Term>,
    pub position: Position,
    pub examples: Vec<String>,
    pub origin: crate::lexicon::Origin,
}

/// What the timing detector measures, with the defaults of the shipped file.
#[derive(Debug, Clone)]
pub struct TimingSettings {
    /// A gap in the talk at least this long is a silence.
    pub silence_seconds: f64,
    /// Words of the agent that announce a silence (请稍等, 帮您查一下), normalised.
    pub hold_words: Vec<String>,
    /// The agent starting this long or longer before the customer's turn ends is overtalk.
    pub overtalk_seconds: f64,
    /// The agent's characters per minute outside this band is a finding.
    pub speech_rate: (f64, f64),
    /// Seconds of agent speech below which a speech rate is not measured.
    pub speech_rate_min_seconds: f64,
}

impl Default for TimingSettings {
    fn default() -> Self {
        TimingSettings {
            silence_seconds: 10.0,
            hold_words: Vec::new(),
            overtalk_seconds: 1.0,
            speech_rate: (120.0, 330.0),
            speech_rate_min_seconds: 20.0,
        }
    }
}

/// Every script rule and the timing settings.
#[derive(Debug, Clone, Default)]
pub struct ScriptBook {
    pub rules: Vec<ScriptRule>,
    pub timing: TimingSettings,
}

/// The timing finding ids.
pub const TIMING_IDS: [&str; 3] = ["timing.silence", "timing.overtalk", "timing.speech_rate"];

impl ScriptBook {
    /// Add the rules and settings of one `script.toml`: a rule with an id already loaded
    /// replaces it (a team's own greeting), a new id adds an item.
    pub fn add(
        &mut self,
        source: &Source,
        classes: &Classes,
        memo: &mut crate::pattern::Memo,
        errors: &mut Vec<LexiconError>,
    ) {
        let doc: ScriptFileDoc = match toml::from_str(&source.text) {
            Ok(doc) => doc,
            Err(e) => return errors.push(toml_error(source, &e)),
        };
        if let Some(t) = doc.timing {
            self.add_timing(t, source, errors);
        }
        for rule in doc.rule {
            match build_rule(rule, source, classes, memo) {
                Ok(rule) => match self.rules.iter_mut().find(|r| r.id == rule.id) {
                    Some(old) => *old = rule,
                    None => self.rules.push(rule),
                },
                Err(e) => errors.push(e),
            }
        }
    }

    fn add_timing(&mut self, doc: TimingDoc, source: &Source, errors: &mut Vec<LexiconError>) {
        let t = &mut self.timing;
        let mut seconds = |value: Option<Spanned<f64>>, into: &mut f64, name: &str| {
            if let Some(v) = value {
                if v.get_ref().is_finite() && (0.0..=3600.0).contains(v.get_ref()) {
                    *into = *v.get_ref();
                } else {
                    errors.push(LexiconError {
                        file: source.name.clone(),
                        line: line_of(&source.text, v.span().start),
                        message: format!("{name} = {} is out of range: use 0 to 3600 seconds", v.get_ref()),
                    });
                }
            }
        };
        seconds(doc.silence_seconds, &mut t.silence_seconds, "silence_seconds");
        seconds(doc.overtalk_seconds, &mut t.overtalk_seconds, "overtalk_seconds");
        seconds(
            doc.speech_rate_min_seconds,
            &mut t.speech_rate_min_seconds,
            "speech_rate_min_seconds",
        );
        if let Some(band) = doc.speech_rate {
            match band.get_ref().as_slice() {
                [low, high] if low.is_finite() && high.is_finite() && 0.0 <= *low && low < high => {
                    t.speech_rate = (*low, *high)
                }
                _ => errors.push(LexiconError {
                    file: source.name.clone(),
                    line: line_of(&source.text, band.span().start),
                    message: "speech_rate: write [lowest, highest] characters per minute, e.g. [120, 330]".into(),
                }),
            }
        }
        for word in normalized_list(&doc.hold_words) {
            if !t.hold_words.contains(&word) {
                t.hold_words.push(word);
            }
        }
    }

    /// The ids of the items, in file order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }
}

fn build_rule(
    doc: ScriptRuleDoc,
    source: &Source,
    classes: &Classes,
    memo: &mut crate::pattern::Memo,
) -> Result<ScriptRule, LexiconError> {
    let at = doc.id.span().start;
    let error = |at: usize, message: String| LexiconError {
        file: source.name.clone(),
        line: line_of(&source.text, at),
        message,
    };
    let id = doc.id.get_ref().trim().to_string();
    let well_formed = id
        .strip_prefix("script.")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
    if !well_formed {
        return Err(error(
            at,
            format!("script rule id `{id}`: write `script.` and a lower-case name, e.g. script.greeting"),
        ));
    }
    let speaker = match doc.speaker.as_deref().map(str::trim) {
        None | Some("agent") => Speaker::Agent,
        Some("customer") => Speaker::Customer,
        Some(other) => {
            return Err(error(
                at,
                format!("speaker = \"{other}\": use \"agent\" or \"customer\""),
            ));
        }
    };
    let mut compile = |words: &[Spanned<String>], patterns: &[Spanned<String>]| -> Result<Vec<Term>, LexiconError> {
        let mut terms = Vec::new();
        for word in words {
            let text = normalize_term(word.get_ref());
            if text.chars().count() < 2 {
                return Err(error(
                    word.span().start,
                    format!(
                        "term `{}` is shorter than two characters: it would match everywhere",
                        word.get_ref()
                    ),
                ));
            }
            terms.push(Term {
                text,
                written: word.get_ref().trim().to_string(),
                count: None,
                pattern: None,
            });
        }
        for written in patterns {
            let text = written.get_ref().trim();
            let pattern =
                Pattern::compile_with(text, classes, false, memo).map_err(|m| error(written.span().start, m))?;
            pattern.compile_all().map_err(|m| error(written.span().start, m))?;
            terms.push(Term {
                text: text.to_string(),
                written: text.to_string(),
                count: None,
                pattern: Some(std::sync::Arc::new(pattern)),
            });
        }
        Ok(terms)
    };
    let terms = compile(&doc.terms, &doc.patterns)?;
    if terms.is_empty() {
        return Err(error(at, format!("{id}: no `terms` or `patterns` that meet it")));
    }
    let categories = |names: &[Spanned<String>]| -> Result<Vec<Category>, LexiconError> {
        names
            .iter()
            .map(|n| {
                n.get_ref()
                    .parse::<Category>()
                    .map_err(|e| error(n.span().start, e.to_string()))
            })
            .collect()
    };
    let turns = |value: Option<Spanned<usize>>, name: &str| -> Result<Option<usize>, LexiconError> {
        match value {
            Some(v) if !(1..=50).contains(v.get_ref()) => Err(error(
                v.span().start,
                format!("{name} = {} is out of range: use 1 to 50 turns", v.get_ref()),
            )),
            other => Ok(other.map(|v| *v.get_ref())),
        }
    };
    let (first, last) = (
        turns(doc.first_turns, "first_turns")?,
        turns(doc.last_turns, "last_turns")?,
    );
    let within = turns(doc.within_turns, "within_turns")?;
    let before = !doc.before_terms.is_empty() || !doc.before_categories.is_empty();
    let after = !doc.after_terms.is_empty() || !doc.after_categories.is_empty();
    let given = [first.is_some(), last.is_some(), before, after];
    if given.iter().filter(|&&g| g).count() != 1 {
        return Err(error(
            at,
            format!(
                "{id}: give exactly one position: first_turns, last_turns, before_terms/before_categories or after_terms/after_categories"
            ),
        ));
    }
    let (position, triggers) = if let Some(turns) = first {
        (
            Position::First {
                turns,
                seconds: doc.first_seconds,
            },
            Vec::new(),
        )
    } else if let Some(turns) = last {
        (
            Position::Last {
                turns,
                seconds: doc.last_seconds,
            },
            Vec::new(),
        )
    } else if before {
        (
            Position::Before {
                categories: categories(&doc.before_categories)?,
            },
            compile(&doc.before_terms, &[])?,
        )
    } else {
        (
            Position::After {
                categories: categories(&doc.after_categories)?,
                turns: within.unwrap_or(2),
            },
            compile(&doc.after_terms, &[])?,
        )
    };
    Ok(ScriptRule {
        label: doc.label.unwrap_or_else(|| id.clone()),
        id,
        speaker,
        terms,
        triggers,
        position,
        examples: doc.examples,
        origin: crate::lexicon::Origin {
            file: source.name.clone(),
            line: line_of(&source.text, at),
        },
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptFileDoc {
    timing: Option<TimingDoc>,
    #[serde(default)]
    rule: Vec<ScriptRuleDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimingDoc {
    silence_seconds: Option<Spanned<f64>>,
    #[serde(default)]
    hold_words: Vec<String>,
    overtalk_seconds: Option<Spanned<f64>>,
    speech_rate: Option<Spanned<Vec<f64>>>,
    speech_rate_min_seconds: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScriptRuleDoc {
    id: Spanned<String>,
    label: Option<String>,
    speaker: Option<String>,
    #[serde(default)]
    terms: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    first_turns: Option<Spanned<usize>>,
    first_seconds: Option<f64>,
    last_turns: Option<Spanned<usize>>,
    last_seconds: Option<f64>,
    #[serde(default)]
    before_terms: Vec<Spanned<String>>,
    #[serde(default)]
    before_categories: Vec<Spanned<String>>,
    #[serde(default)]
    after_terms: Vec<Spanned<String>>,
    #[serde(default)]
    after_categories: Vec<Spanned<String>>,
    within_turns: Option<Spanned<usize>>,
    #[serde(default)]
    examples: Vec<String>,
    #[allow(dead_code)]
    note: Option<String>,
}
