//! `[[exclude]]`: a finding QA marked wrong, kept in a dictionary so the same words in the same
//! context are not counted again.
//!
//! An exclusion names a category, the matched words (`phrase`, as reports show them: a personal
//! number masked) and the words around them on the line (`context`, holding the phrase, every
//! digit written `*`). A finding of that category on a line whose text (masked as reports mask
//! it, digits as `*`) contains the context, whose matched words are the phrase or overlap where
//! the phrase stands in that context (the same mention found by another rule: 消协 inside
//! 投诉到消协), is reported but not counted, reason `reviewed-fp` ([`apply`]). Digits are compared masked to masked, so
//! an exclusion never stores a number in clear and still matches the same line.
//!
//! Promise: the narrowest thing that removes the finding (not the term: 曝光 elsewhere still
//! counts); a file that holds a personal number in clear in an exclusion is refused with its
//! line; [`stale`] finds exclusions whose context no longer gives a finding of their category.

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::category::{Category, Severity, Side, Speaker};
use crate::config::Engine;
use crate::detect::finding::{Finding, Reason, Verdict};
use crate::lexicon::{LexiconError, Origin, Source, line_of};
use crate::lexicon_check::Lint;
use crate::redact::redact;
use crate::score::LineFinding;
use crate::transcript::Conversation;

/// Characters kept either side of the matched words in an exclusion's context.
pub const CONTEXT_CHARS: usize = 5;

/// A finding QA rejected, as loaded from a dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub category: Category,
    /// The matched words, masked as reports show them.
    pub phrase: String,
    /// The words around them, digits as `*` (see [`mask_digits`]).
    pub context: String,
    /// The reviewed findings it comes from (informative).
    pub hit_ids: Vec<String>,
    pub note: String,
    pub origin: Origin,
}

/// An `[[exclude]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludeDoc {
    pub category: Spanned<String>,
    pub phrase: Spanned<String>,
    pub context: Spanned<String>,
    #[serde(default)]
    pub hit_ids: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// An `[[exclude]]` table as `callrisk review import` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExcludeOut {
    pub category: String,
    pub phrase: String,
    pub context: String,
    pub hit_ids: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Exclusion {
    /// Check one `[[exclude]]` table of `source`.
    pub fn from_doc(doc: ExcludeDoc, source: &Source) -> Result<Exclusion, LexiconError> {
        let at = |span: std::ops::Range<usize>| line_of(&source.text, span.start);
        let error = |line: usize, message: String| LexiconError {
            file: source.name.clone(),
            line,
            message,
        };
        let line = at(doc.category.span());
        let category = doc
            .category
            .get_ref()
            .parse::<Category>()
            .map_err(|e| error(line, format!("[[exclude]]: {e}")))?;
        let phrase = doc.phrase.get_ref().trim().to_string();
        let context = doc.context.get_ref().trim().to_string();
        if phrase.is_empty() {
            return Err(error(
                at(doc.phrase.span()),
                "[[exclude]] with an empty `phrase`: write the matched words, as hits.csv shows them".into(),
            ));
        }
        for (name, text, span) in [
            ("phrase", &phrase, doc.phrase.span()),
            ("context", &context, doc.context.span()),
            ("note", &doc.note, doc.context.span()),
        ] {
            if redact(text) != text.as_str() {
                return Err(error(
                    at(span),
                    format!(
                        "[[exclude]] `{name}` holds a personal number in clear: write it masked ({}), as `callrisk review import` does",
                        redact(text)
                    ),
                ));
            }
        }
        let context = mask_digits(&context);
        if !context.contains(&mask_digits(&phrase)) {
            return Err(error(
                at(doc.context.span()),
                format!(
                    "[[exclude]] `context` «{context}» does not hold the `phrase` «{phrase}»: the context is the phrase with a few characters either side"
                ),
            ));
        }
        Ok(Exclusion {
            category,
            phrase,
            context,
            hit_ids: doc.hit_ids,
            note: doc.note,
            origin: Origin {
                file: source.name.clone(),
                line,
            },
        })
    }

    /// Whether this exclusion removes a finding whose shown words and line are these: a
    /// finding of its category on a line holding its context, whose words are the phrase or
    /// overlap where the phrase stands in that context. Another rule's words for the same
    /// mention (消协 inside the rejected 投诉到消协, 工信部投诉 across 到工信部) are the same
    /// false alarm; the same words elsewhere on the line are not.
    fn removes(&self, category: Category, shown: &Shown) -> bool {
        if self.category != category {
            return false;
        }
        // Where the words cannot be placed, the same words in the context decide.
        let Some(place) = &shown.place else {
            return self.phrase == shown.phrase && shown.line.contains(&self.context);
        };
        let phrase = mask_digits(&self.phrase);
        let Some(phrase_at) = self.context.find(&phrase) else {
            return false;
        };
        let phrase_len = phrase.len();
        shown.line.match_indices(&self.context).any(|(at, _)| {
            let (start, end) = (at + phrase_at, at + phrase_at + phrase_len);
            place.start < end && start < place.end
        })
    }
}

/// Every ASCII or full-width digit as `*`: how contexts are stored and compared.
pub fn mask_digits(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() || ('０'..='９').contains(&c) {
                '*'
            } else {
                c
            }
        })
        .collect()
}

/// A finding as an exclusion sees it: its words and its line, masked as reports show them
/// (a personal number by its masked form), the line's digits as `*`.
struct Shown {
    phrase: String,
    line: String,
    /// Where the words stand in `line` (bytes), when they can be placed.
    place: Option<std::ops::Range<usize>>,
}

fn shown(text: &str, finding: &Finding) -> Shown {
    let span = finding.span.clone();
    let (phrase, line, start) = match (&finding.masked, text.get(span.clone())) {
        (Some(masked), Some(_)) => {
            let mut line = text.to_string();
            line.replace_range(span.clone(), masked);
            (masked.clone(), line, Some(span.start))
        }
        (Some(masked), None) => (masked.clone(), text.to_string(), None),
        (None, Some(words)) => (words.to_string(), text.to_string(), Some(span.start)),
        (None, None) => (String::new(), text.to_string(), None),
    };
    let phrase = redact(&phrase).into_owned();
    // The words' place in the masked line: the masked text before them, then their length.
    let place = start
        .and_then(|at| line.get(..at))
        .filter(|_| !phrase.is_empty())
        .map(|before| {
            let start = mask_digits(&redact(before)).len();
            start..start + mask_digits(&phrase).len()
        });
    Shown {
        phrase,
        line: mask_digits(&redact(&line)),
        place,
    }
}

/// Mark the counted findings of one line (`text`) that an exclusion removes as not counted,
/// reason `reviewed-fp`. The detection loop calls it as each detector has judged a line, so a
/// rejected finding weighs on nothing after it, as a negated one does (the QA sheet's
/// apology after a threat, a longer finding shadowing a shorter one).
pub fn apply_line(exclusions: &[Exclusion], text: &str, findings: &mut [Finding]) {
    if exclusions.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        if !f.counts() || !exclusions.iter().any(|e| e.category == f.category) {
            continue;
        }
        let seen = shown(text, f);
        if exclusions.iter().any(|e| e.removes(f.category, &seen)) {
            f.verdict = Verdict::NotCounted(Reason::ReviewedFp);
        }
    }
}

/// [`apply_line`] on a conversation's kept findings: also those a detector added to an
/// earlier line (a number read out over two lines).
pub fn apply(exclusions: &[Exclusion], conversation: &Conversation, findings: &mut [LineFinding]) {
    if exclusions.is_empty() {
        return;
    }
    for lf in findings.iter_mut() {
        if let Some(utterance) = conversation.utterances.get(lf.utterance) {
            apply_line(exclusions, &utterance.text, std::slice::from_mut(&mut lf.finding));
        }
    }
}

/// The narrowest exclusion for a reviewed finding, from its `matched` and `context` cells:
/// (phrase, context), or `None` when the context does not hold the words.
pub fn narrowest(matched: &str, context: &str) -> Option<(String, String)> {
    let phrase = redact(matched.trim()).into_owned();
    let line = redact(context).into_owned();
    // Long contexts are cut around the match with `…`: those are not the line's words.
    let line = line.strip_prefix('…').unwrap_or(&line);
    let line = line.strip_suffix('…').unwrap_or(line);
    if phrase.is_empty() {
        return None;
    }
    let at = line.find(&phrase)?;
    let before: String = {
        let chars: Vec<char> = line[..at].chars().collect();
        chars[chars.len().saturating_sub(CONTEXT_CHARS)..].iter().collect()
    };
    let after: String = line[at + phrase.len()..].chars().take(CONTEXT_CHARS).collect();
    Some((phrase.clone(), mask_digits(&format!("{before}{phrase}{after}"))))
}

/// Exclusions whose context no longer gives a finding of their category with their words
/// (the rule was changed or removed): each a lint naming its file and line and the fix.
/// Exclusions of a masked personal number cannot be re-scanned and are not judged.
pub fn stale(engine: &Engine) -> Vec<Lint> {
    let mut lints = Vec::new();
    for e in &engine.lexicon.exclusions {
        if e.phrase.contains('*') {
            continue;
        }
        // The context as a line, the phrase's own digits put back (12315 in «打*****投诉»).
        let line = e.context.replacen(&mask_digits(&e.phrase), &e.phrase, 1);
        let speaker = match e.category.side() {
            Side::Threat => Speaker::Customer,
            Side::Taboo => Speaker::Agent,
        };
        let conversation = Conversation::one_line("exclusion", speaker, &line);
        let scanned = crate::pipeline::scan_conversation(conversation, engine, Severity::Low);
        let text = &scanned.conversation.utterances[0].text;
        let still = scanned
            .findings
            .iter()
            .any(|lf| e.removes(lf.finding.category, &shown(text, &lf.finding)));
        if !still {
            lints.push(Lint {
                at: e.origin.to_string(),
                message: format!(
                    "warning: [[exclude]] {} «{}» in «{}» no longer matches anything: the dictionaries find no {} «{}» there any more (a rule was changed or removed). Delete this [[exclude]] (or, for one written by `callrisk review import`, mark its hit again or drop it from reviews.csv and re-import)",
                    e.category, e.phrase, e.context, e.category, e.phrase
                ),
            });
        }
    }
    lints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_narrowest_exclusion_is_the_words_and_five_characters_either_side_digits_masked() {
        let (phrase, context) = narrowest("曝光", "我想问一下相机的曝光补偿怎么调，电话13912345678").unwrap();
        assert_eq!(phrase, "曝光");
        assert_eq!(context, "一下相机的曝光补偿怎么调");
        let (_, context) = narrowest("12315", "…我下午就打12315投诉你们…").unwrap();
        assert_eq!(context, "我下午就打*****投诉你们");
        let (phrase, context) = narrowest("律师", "我老公139 1234 5678是律师").unwrap();
        assert_eq!(phrase, "律师");
        assert!(!context.contains("5678"), "{context}");
        assert_eq!(narrowest("记者", "你们等着吧"), None);
    }

    /// A rejected mention stays rejected whichever rule finds it; the category's other
    /// mentions on the line still count.
    #[test]
    fn an_exclusion_removes_every_finding_of_its_mention_and_nothing_else() {
        let exclude = |phrase: &str, context: &str| Source {
            name: "qa/review.exclude.toml".into(),
            text: format!(
                "[[exclude]]\ncategory = \"threat.regulator\"\nphrase = \"{phrase}\"\ncontext = \"{context}\"\n"
            ),
        };
        let cases: [(&str, (&str, &str), bool); 6] = [
            // The words QA marked, found again by the rule that found them.
            ("我要投诉到消协", ("投诉到消协", "我要投诉到消协"), false),
            // The same mention through another rule's shorter or overlapping words.
            ("我要投诉到消协去", ("投诉到消协", "我要投诉到消协去"), false),
            ("我明天就去到工信部投诉", ("到工信部", "天就去到工信部投诉"), false),
            // Another mention of the category on the same line still counts.
            (
                "我要投诉到消协，还要打12315",
                ("投诉到消协", "我要投诉到消协，还要打"),
                true,
            ),
            // The same words elsewhere on the line are another mention.
            (
                "我问了消协那边没用，我明天自己去投诉消协",
                ("消协", "我问了消协那边没用，"),
                true,
            ),
            // The context is not on the line: nothing is removed.
            ("我要投诉到消协", ("投诉到消协", "他们说投诉到消协"), true),
        ];
        for (line, (phrase, context), counts) in cases {
            let mut sources = Source::builtin();
            sources.push(exclude(phrase, context));
            let engine = Engine::new(crate::lexicon::Lexicon::load(&sources).unwrap());
            let conversation = Conversation::one_line("c", Speaker::Customer, line);
            let scanned = crate::pipeline::scan_conversation(conversation, &engine, Severity::Low);
            let counted = scanned
                .findings
                .iter()
                .any(|lf| lf.finding.category == Category::ThreatRegulator && lf.finding.counts());
            let found = scanned
                .findings
                .iter()
                .any(|lf| lf.finding.category == Category::ThreatRegulator);
            assert!(found, "{line}: the dictionaries find a regulator threat");
            assert_eq!(counted, counts, "{line} with [[exclude]] «{phrase}» in «{context}»");
        }
    }

    #[test]
    fn a_number_in_clear_in_an_exclusion_is_refused_with_its_line() {
        let source = Source {
            name: "my/review.exclude.toml".into(),
            text: "[[exclude]]\ncategory = \"taboo.privacy\"\nphrase = \"手机号\"\ncontext = \"手机号13912345678\"\n"
                .into(),
        };
        let errors = crate::lexicon::Lexicon::load(&[source]).unwrap_err();
        let e = &errors[0];
        assert_eq!((e.file.as_str(), e.line), ("my/review.exclude.toml", 4));
        assert!(e.message.contains("139****5678"), "{}", e.message);
    }
}
