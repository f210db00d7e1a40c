//! The QA score sheet: `dictionaries/scorecard.toml` (or `--scorecard FILE`), and a
//! conversation's score on it.
//!
//! A call starts at 100. Each `[[item]]` names a finding id (`taboo.impatience`,
//! `script.greeting`, `timing.silence`) or a group (`taboo`, `threat`, `script`, `timing`: every
//! id of the group no item names itself) and deducts `points` per occurrence, at most `cap`
//! in all; a `fatal` item that occurs zeroes the call. Occurrences are counted findings (one
//! per category and line, as in `hits.csv`) and missed checks (a script item not said, each
//! silence, each overtalk).
//!
//! Promise: a score is always within 0–100, and a call with a fatal item is 0.

use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use crate::category::{Category, edit_distance};
use crate::detect::finding::{Check, Outcome};
use crate::lexicon::{Lexicon, LexiconError, Source, line_of, toml_error};
use crate::score::LineFinding;
use crate::script::TIMING_IDS;

/// The shipped sheet.
const BUILTIN: &str = include_str!("../dictionaries/scorecard.toml");

/// The groups an item may name instead of one id.
pub const GROUPS: [&str; 4] = ["threat", "taboo", "script", "timing"];

/// Points a call starts with.
pub const FULL_MARKS: u32 = 100;

/// One line of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// A finding id or a group.
    pub id: String,
    /// What the item is, in the sheet's words.
    pub label: String,
    /// Deducted per occurrence.
    pub points: u32,
    /// Deducted at most, for all occurrences.
    pub cap: u32,
    /// An occurrence zeroes the call.
    pub fatal: bool,
}

/// The sheet.
#[derive(Debug, Clone, Default)]
pub struct Scorecard {
    pub name: String,
    pub items: Vec<Item>,
}

/// Points taken for one item of the sheet in one conversation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Deduction {
    pub item: String,
    pub occurrences: usize,
    pub points: u32,
    pub fatal: bool,
}

/// A conversation's score on the sheet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SheetScore {
    /// 0–100; `None` where no line is known to be the agent's (an unanswered chat, or a call
    /// whose speakers are not known) and nothing fatal was found: the script cannot be judged
    /// without the agent's turns, and a 100 would read as a good call.
    pub score: Option<u32>,
    /// A fatal item occurred: the score is 0 (also where no line is known to be the agent's:
    /// a number read out on a line of an unknown speaker still zeroes the call).
    pub fatal: bool,
    /// Items with an occurrence, in sheet order.
    pub deductions: Vec<Deduction>,
}

impl Default for SheetScore {
    fn default() -> Self {
        SheetScore {
            score: Some(FULL_MARKS),
            fatal: false,
            deductions: Vec::new(),
        }
    }
}

impl SheetScore {
    /// `script.greeting -5; taboo.impatience -10 (2×)`: for CSV cells and the page.
    pub fn deductions_text(&self) -> String {
        use std::fmt::Write;
        let mut text = String::new();
        for (i, d) in self.deductions.iter().enumerate() {
            if i > 0 {
                text.push_str("; ");
            }
            // `item -5`, `item -5 (2×)`, `item -20 (2×) fatal`; a fatal item without points
            // says so first: `item fatal (2×)`.
            text.push_str(&d.item);
            let (before, after) = match (d.fatal, d.points) {
                (true, 0) => (" fatal", ""),
                (true, _) => ("", " fatal"),
                (false, _) => ("", ""),
            };
            text.push_str(before);
            if before.is_empty() {
                let _ = write!(text, " -{}", d.points);
            }
            if d.occurrences > 1 {
                let _ = write!(text, " ({}×)", d.occurrences);
            }
            text.push_str(after);
        }
        text
    }
}

impl fmt::Display for Deduction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -{}", self.item, self.points)
    }
}

impl Scorecard {
    /// The shipped sheet. Its items for script rules that `lexicon` does not have (a team's own
    /// `script.toml` with `--no-builtin`) are left out: nothing could ever occur for them.
    pub fn builtin(lexicon: &Lexicon) -> Scorecard {
        let source = Source {
            name: "dictionaries/scorecard.toml".into(),
            text: BUILTIN.to_string(),
        };
        // The shipped sheet is tested to load; were it ever broken, no item is scored rather
        // than a wrong one.
        Scorecard::read(&source, lexicon, false).unwrap_or_default()
    }

    /// Parse and check a sheet: every id known (one of the sixteen categories, a script rule
    /// of `lexicon`, a timing id or a group), points and caps within 0–100, no id twice.
    pub fn load(source: &Source, lexicon: &Lexicon) -> Result<Scorecard, Vec<LexiconError>> {
        Scorecard::read(source, lexicon, true)
    }

    /// [`Scorecard::load`]; an unknown id is an error, or with `strict` false left out.
    fn read(source: &Source, lexicon: &Lexicon, strict: bool) -> Result<Scorecard, Vec<LexiconError>> {
        let doc: SheetDoc = toml::from_str(&source.text).map_err(|e| vec![toml_error(source, &e)])?;
        let known = known_ids(lexicon);
        let mut errors = Vec::new();
        let mut items: Vec<Item> = Vec::new();
        for item in doc.item {
            let line = line_of(&source.text, item.id.span().start);
            let error = |message: String| LexiconError {
                file: source.name.clone(),
                line,
                message,
            };
            let id = item.id.get_ref().trim().to_string();
            if !known.contains(&id) && !strict {
                continue;
            }
            if !known.contains(&id) {
                let nearest = known
                    .iter()
                    .map(|k| (edit_distance(k, &id), k))
                    .min()
                    .filter(|(d, _)| *d <= 4)
                    .map(|(_, k)| format!(" (did you mean {k}?)"))
                    .unwrap_or_else(|| {
                        " (use a category id, a script rule id, timing.silence, timing.overtalk, timing.speech_rate or a group: threat, taboo, script, timing)".into()
                    });
                errors.push(error(format!("unknown item `{id}`{nearest}")));
                continue;
            }
            if items.iter().any(|i| i.id == id) {
                errors.push(error(format!("item `{id}` is on the sheet twice: keep one")));
                continue;
            }
            let points = item.points.unwrap_or(0);
            let cap = item.cap.unwrap_or(FULL_MARKS as i64);
            let range = 0..=FULL_MARKS as i64;
            if !range.contains(&points) || !range.contains(&cap) {
                errors.push(error(format!(
                    "item `{id}`: points = {points}, cap = {cap}: both must be 0 to 100"
                )));
                continue;
            }
            if points == 0 && !item.fatal.unwrap_or(false) {
                errors.push(error(format!(
                    "item `{id}` deducts nothing: give it points = 1 to 100 or fatal = true"
                )));
                continue;
            }
            items.push(Item {
                label: item.label.unwrap_or_else(|| id.clone()),
                id,
                points: points as u32,
                cap: cap as u32,
                fatal: item.fatal.unwrap_or(false),
            });
        }
        if errors.is_empty() {
            Ok(Scorecard {
                name: doc.name.unwrap_or_else(|| "score sheet".into()),
                items,
            })
        } else {
            Err(errors)
        }
    }

    /// The item that scores `id`: its own, else its group's.
    pub fn item_for(&self, id: &str) -> Option<&Item> {
        let group = id.split('.').next().unwrap_or(id);
        self.items
            .iter()
            .find(|i| i.id == id)
            .or_else(|| self.items.iter().find(|i| i.id == group))
    }

    /// A conversation's score: each counted finding and each missed check is one occurrence
    /// of the item that scores its id. Where no line is known to be the agent's (`agent_spoke`
    /// false), the script's and timing's checks are not judged (they would charge an agent
    /// nobody identified), the findings (taboos on lines of an unknown speaker) still deduct,
    /// and there is no score unless a fatal item zeroes the call.
    pub fn score(&self, findings: &[LineFinding], checks: &[Check], agent_spoke: bool) -> SheetScore {
        let mut occurrences = vec![0usize; self.items.len()];
        let ids = findings
            .iter()
            .filter(|f| f.finding.counts())
            .map(|f| f.finding.category.id())
            .chain(
                checks
                    .iter()
                    .filter(|c| agent_spoke && c.outcome == Outcome::Missed)
                    .map(|c| c.id.as_str()),
            );
        for id in ids {
            if let Some(item) = self.item_for(id)
                && let Some(at) = self.items.iter().position(|i| std::ptr::eq(i, item))
            {
                occurrences[at] += 1;
            }
        }
        let mut score = SheetScore::default();
        for (item, &n) in self.items.iter().zip(&occurrences) {
            if n == 0 {
                continue;
            }
            let points = (item.points.saturating_mul(n.min(u32::MAX as usize) as u32)).min(item.cap);
            score.fatal |= item.fatal;
            score.deductions.push(Deduction {
                item: item.id.clone(),
                occurrences: n,
                points,
                fatal: item.fatal,
            });
        }
        let taken: u32 = score.deductions.iter().map(|d| d.points).fold(0, u32::saturating_add);
        score.score = match (score.fatal, agent_spoke) {
            (true, _) => Some(0),
            (false, true) => Some(FULL_MARKS.saturating_sub(taken)),
            (false, false) => None,
        };
        score
    }
}

/// Every id an item may name with `lexicon`'s script rules.
pub fn known_ids(lexicon: &Lexicon) -> Vec<String> {
    Category::ALL
        .iter()
        .map(|c| c.id().to_string())
        .chain(lexicon.script.ids().map(str::to_string))
        .chain(TIMING_IDS.iter().map(|s| s.to_string()))
        .chain(GROUPS.iter().map(|s| s.to_string()))
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SheetDoc {
    name: Option<String>,
    #[serde(default)]
    item: Vec<ItemDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemDoc {
    id: Spanned<String>,
    label: Option<String>,
    points: Option<i64>,
    cap: Option<i64>,
    fatal: Option<bool>,
    #[allow(dead_code)]
    note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::finding::{Finding, Verdict};
    use proptest::prelude::*;

    fn lexicon() -> &'static Lexicon {
        static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::builtin().unwrap())
    }

    fn sheet(text: &str) -> Result<Scorecard, Vec<LexiconError>> {
        Scorecard::load(
            &Source {
                name: "my/scorecard.toml".into(),
                text: text.into(),
            },
            lexicon(),
        )
    }

    fn counted(category: Category, utterance: usize) -> LineFinding {
        LineFinding {
            utterance,
            finding: Finding {
                category,
                severity: crate::category::Severity::Medium,
                term: "x".into(),
                rule: None,
                span: 0..0,
                normalized: 0..0,
                verdict: Verdict::Counted,
                conditional: false,
                count: None,
                personal: None,
                masked: None,
                said: None,
            },
        }
    }

    fn missed(id: &str) -> Check {
        Check {
            id: id.into(),
            outcome: Outcome::Missed,
            utterance: None,
            at_ms: None,
            duration_ms: None,
            detail: String::new(),
        }
    }

    /// How each shape of deduction reads in the reports' `qa_deductions` cell.
    #[test]
    fn deductions_read_as_the_reports_write_them() {
        let d = |item: &str, occurrences: usize, points: u32, fatal: bool| Deduction {
            item: item.into(),
            occurrences,
            points,
            fatal,
        };
        let cases = [
            (vec![], ""),
            (vec![d("script.greeting", 1, 5, false)], "script.greeting -5"),
            (vec![d("script.apology", 3, 20, false)], "script.apology -20 (3×)"),
            (vec![d("script.closing", 1, 0, false)], "script.closing -0"),
            (vec![d("taboo.privacy", 1, 0, true)], "taboo.privacy fatal"),
            (vec![d("taboo.privacy", 2, 0, true)], "taboo.privacy fatal (2×)"),
            (vec![d("taboo.incite", 1, 30, true)], "taboo.incite -30 fatal"),
            (vec![d("taboo.incite", 2, 30, true)], "taboo.incite -30 (2×) fatal"),
            (
                vec![d("script.greeting", 1, 5, false), d("taboo.privacy", 1, 0, true)],
                "script.greeting -5; taboo.privacy fatal",
            ),
        ];
        for (deductions, said) in cases {
            let score = SheetScore {
                score: Some(0),
                fatal: false,
                deductions,
            };
            assert_eq!(score.deductions_text(), said);
        }
    }

    #[test]
    fn the_shipped_sheet_loads() {
        let text = BUILTIN;
        let loaded = sheet(text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(loaded.items.len(), Scorecard::builtin(lexicon()).items.len());
        assert!(!loaded.items.is_empty());
    }

    #[test]
    fn points_are_taken_per_occurrence_up_to_the_cap_and_groups_catch_the_rest() {
        let card = sheet(
            "[[item]]\nid = \"taboo.impatience\"\npoints = 10\ncap = 25\n[[item]]\nid = \"taboo\"\npoints = 7\n[[item]]\nid = \"timing\"\npoints = 2\ncap = 3\n",
        )
        .unwrap();
        let findings = [
            counted(Category::TabooImpatience, 1),
            counted(Category::TabooImpatience, 2),
            counted(Category::TabooImpatience, 3),
            counted(Category::TabooDeflect, 4),
            // A customer's threat is on no item of this sheet.
            counted(Category::ThreatMedia, 5),
        ];
        let checks = [
            missed("timing.silence"),
            missed("timing.overtalk"),
            missed("timing.silence"),
        ];
        let score = card.score(&findings, &checks, true);
        assert_eq!(
            score.deductions_text(),
            "taboo.impatience -25 (3×); taboo -7; timing -3 (3×)"
        );
        assert_eq!(score.score, Some(100 - 25 - 7 - 3));
        assert!(!score.fatal);
    }

    #[test]
    fn a_teams_own_script_rules_keep_the_shipped_sheet_for_the_rest() {
        // --no-builtin with a script.toml that has no greeting rule.
        let own = Lexicon::load(&[
            Source {
                name: "my/taboo.deflect.toml".into(),
                text: "category = \"taboo.deflect\"\n[[rule]]\nterms = [\"不归我们管\"]\n".into(),
            },
            Source {
                name: "my/script.toml".into(),
                text: "[[rule]]\nid = \"script.hello\"\nfirst_turns = 1\nterms = [\"您好\"]\n".into(),
            },
        ])
        .unwrap();
        let card = Scorecard::builtin(&own);
        assert!(card.item_for("taboo.privacy").is_some_and(|i| i.fatal));
        assert!(card.items.iter().all(|i| i.id != "script.greeting"));
        assert_eq!(card.item_for("script.hello"), None, "not on the shipped sheet");
    }

    #[test]
    fn a_met_or_not_applicable_check_takes_nothing() {
        let card = Scorecard::builtin(lexicon());
        let mut met = missed("script.greeting");
        met.outcome = Outcome::Met;
        let mut not_applicable = missed("script.apology");
        not_applicable.outcome = Outcome::NotApplicable;
        assert_eq!(card.score(&[], &[met, not_applicable], true), SheetScore::default());
    }

    #[test]
    fn mistakes_in_a_sheet_name_the_line_and_the_fix() {
        let errors = sheet(
            "[[item]]\nid = \"taboo.impatiense\"\npoints = 5\n\n[[item]]\nid = \"script.closing\"\npoints = 101\n\n[[item]]\nid = \"script.greeting\"\n\n[[item]]\nid = \"script.closing\"\npoints = 1\n[[item]]\nid = \"script.closing\"\npoints = 1\n",
        )
        .unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            [
                "my/scorecard.toml line 2: unknown item `taboo.impatiense` (did you mean taboo.impatience?)",
                "my/scorecard.toml line 6: item `script.closing`: points = 101, cap = 100: both must be 0 to 100",
                "my/scorecard.toml line 10: item `script.greeting` deducts nothing: give it points = 1 to 100 or fatal = true",
                "my/scorecard.toml line 16: item `script.closing` is on the sheet twice: keep one",
            ]
        );
    }

    /// Every id a sheet may score, for the property tests.
    fn ids() -> Vec<String> {
        known_ids(lexicon())
    }

    proptest! {
        #[test]
        fn a_score_is_always_within_0_and_100_and_a_fatal_item_always_gives_0(
            items in proptest::collection::vec((0usize..64, 0u32..=100, 0u32..=100, any::<bool>()), 0..12),
            occurring in proptest::collection::vec(0usize..64, 0..40),
        ) {
            let ids = ids();
            let mut card = Scorecard::default();
            for (id, points, cap, fatal) in items {
                let id = ids[id % ids.len()].clone();
                if card.items.iter().all(|i| i.id != id) {
                    card.items.push(Item { label: id.clone(), id, points, cap, fatal });
                }
            }
            let mut findings = Vec::new();
            let mut checks = Vec::new();
            for (n, pick) in occurring.iter().enumerate() {
                let id = &ids[pick % ids.len()];
                match id.parse::<Category>() {
                    Ok(category) => findings.push(counted(category, n)),
                    Err(_) => checks.push(missed(id)),
                }
            }
            let score = card.score(&findings, &checks, true);
            prop_assert!(score.score.is_some_and(|s| s <= FULL_MARKS));
            let fatal_occurred = findings
                .iter()
                .map(|f| f.finding.category.id().to_string())
                .chain(checks.iter().map(|c| c.id.clone()))
                .any(|id| card.item_for(&id).is_some_and(|i| i.fatal));
            prop_assert_eq!(score.fatal, fatal_occurred);
            if fatal_occurred {
                prop_assert_eq!(score.score, Some(0));
            }
            let taken: u32 = score.deductions.iter().map(|d| d.points).sum();
            if !fatal_occurred {
                prop_assert_eq!(score.score, Some(FULL_MARKS.saturating_sub(taken)));
            }
        }
    }
}
