//! Lexicons: the human-edited TOML files of `dictionaries/`, checked and compiled into rules.
//!
//! One file per category (`threat.media.toml` …) holds `[[rule]]` entries: terms, and
//! optionally the context they need (`near`), the other senses that rule them out (`unless`,
//! `unless_near`), and example sentences. `context.toml` holds the words the context stage
//! reads: negators, hypothetical and conditional markers, reporting verbs. The format is
//! documented in `dictionaries/README.md`.
//!
//! Promise: a bad line is an error naming file, line and what to write instead; all errors of
//! all files are reported at once.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::category::{Category, Severity};
use crate::normalize::normalize_term;
use crate::pattern::{Classes, Pattern, Piece, class_references, is_class_name, pieces};
use crate::review::exclusion::{ExcludeDoc, Exclusion};
use crate::script::{SCRIPT_FILE, ScriptBook};

/// The built-in dictionaries, compiled into the binary so it runs from anywhere.
const BUILTIN: &[(&str, &str)] = &[
    ("context.toml", include_str!("../dictionaries/context.toml")),
    ("classes.toml", include_str!("../dictionaries/classes.toml")),
    ("script.toml", include_str!("../dictionaries/script.toml")),
    (
        "threat.regulator.toml",
        include_str!("../dictionaries/threat.regulator.toml"),
    ),
    ("threat.media.toml", include_str!("../dictionaries/threat.media.toml")),
    ("threat.online.toml", include_str!("../dictionaries/threat.online.toml")),
    (
        "threat.protest.toml",
        include_str!("../dictionaries/threat.protest.toml"),
    ),
    ("threat.legal.toml", include_str!("../dictionaries/threat.legal.toml")),
    (
        "threat.management.toml",
        include_str!("../dictionaries/threat.management.toml"),
    ),
    ("threat.safety.toml", include_str!("../dictionaries/threat.safety.toml")),
    ("threat.repeat.toml", include_str!("../dictionaries/threat.repeat.toml")),
    (
        "threat.extreme.toml",
        include_str!("../dictionaries/threat.extreme.toml"),
    ),
    (
        "taboo.overpromise.toml",
        include_str!("../dictionaries/taboo.overpromise.toml"),
    ),
    (
        "taboo.admit_defect.toml",
        include_str!("../dictionaries/taboo.admit_defect.toml"),
    ),
    ("taboo.privacy.toml", include_str!("../dictionaries/taboo.privacy.toml")),
    (
        "taboo.impatience.toml",
        include_str!("../dictionaries/taboo.impatience.toml"),
    ),
    (
        "taboo.withdraw.toml",
        include_str!("../dictionaries/taboo.withdraw.toml"),
    ),
    ("taboo.incite.toml", include_str!("../dictionaries/taboo.incite.toml")),
    ("taboo.deflect.toml", include_str!("../dictionaries/taboo.deflect.toml")),
];

/// The name of the file that holds context markers rather than rules.
const CONTEXT_FILE: &str = "context.toml";
/// The name of the file that defines word classes for patterns.
const CLASSES_FILE: &str = "classes.toml";
/// The score sheet: read by `--scorecard` and `lexicon check`, never as rules.
pub const SCORECARD_FILE: &str = "scorecard.toml";

/// What `{n}` in a term stands for: counts as people say them, with the value reported.
const COUNT_WORDS: &[(&str, &str)] = &[
    ("二", "2"),
    ("两", "2"),
    ("三", "3"),
    ("四", "4"),
    ("五", "5"),
    ("六", "6"),
    ("七", "7"),
    ("八", "8"),
    ("九", "9"),
    ("十", "10"),
    ("十一", "11"),
    ("十二", "12"),
    ("十几", "十几"),
    ("二十", "20"),
    ("几十", "几十"),
    ("几", "几"),
    ("好几", "好几"),
    ("多", "多"),
    ("无数", "无数"),
    ("很多", "很多"),
    ("好多", "好多"),
    ("n", "n"),
    ("n多", "n多"),
    ("数", "数"),
    ("n次", "n"),
];

/// A dictionary file's text and the name errors use for it.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    /// The built-in dictionaries, named `dictionaries/<file>` in errors.
    pub fn builtin() -> Vec<Source> {
        BUILTIN
            .iter()
            .map(|(name, text)| Source {
                name: format!("dictionaries/{name}"),
                text: text.to_string(),
            })
            .collect()
    }

    /// Whether this is one of the built-in dictionaries, unchanged (their patterns are
    /// compiled on first use; the tests compile them all).
    pub fn is_builtin(&self) -> bool {
        BUILTIN
            .iter()
            .any(|(name, text)| self.text == *text && self.name.strip_prefix("dictionaries/") == Some(name))
    }

    /// Every `*.toml` in `dir`, sorted by name.
    pub fn from_dir(dir: &Path) -> Result<Vec<Source>, LexiconError> {
        let unreadable = |e: std::io::Error| LexiconError {
            file: dir.display().to_string(),
            line: 0,
            message: format!("cannot read lexicon folder: {e}"),
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(unreadable)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(LexiconError {
                file: dir.display().to_string(),
                line: 0,
                message: "no *.toml dictionaries in this folder (see dictionaries/README.md)".into(),
            });
        }
        paths
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).map_err(|e| LexiconError {
                    file: p.display().to_string(),
                    line: 0,
                    message: format!("cannot read: {e} (dictionaries are UTF-8 TOML)"),
                })?;
                Ok(Source {
                    name: p.display().to_string(),
                    text,
                })
            })
            .collect()
    }
}

/// A problem in a dictionary file. `line` is 1-based; 0 means the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{} line {}: {}", self.file, self.line, self.message)
        }
    }
}

/// Where a rule was written, for `explain` and `lexicon test`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One term of a rule: a literal, or a pattern of literals and classes.
#[derive(Debug, Clone)]
pub struct Term {
    /// Normalised, as matched; for a pattern, the pattern as written.
    pub text: String,
    /// As written in the dictionary (after `{n}` expansion), as reported in `term`.
    pub written: String,
    /// For `{n}` terms: the count it says (`3`, `好几`). A pattern's count is read from
    /// the text it matched.
    pub count: Option<String>,
    /// For a pattern: its anchors and verifier; the automaton searches for the anchors.
    pub pattern: Option<std::sync::Arc<Pattern>>,
}

impl Term {
    /// The literals the automaton searches for on this term's behalf.
    pub fn literals(&self) -> Vec<&str> {
        match &self.pattern {
            Some(p) => p.anchors.iter().map(String::as_str).collect(),
            None => vec![self.text.as_str()],
        }
    }
}

/// A rule: terms of one category and the context they need.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable name for `rules.csv` and reviews: the rule's `id`, else `category:first term`
    /// as written (`threat.media:记者`), made unique with `#2` … in load order.
    pub id: String,
    pub category: Category,
    pub severity: Severity,
    pub terms: Vec<Term>,
    /// The term counts only with one of these within `within` characters.
    pub near: Vec<String>,
    pub within: usize,
    /// A term inside one of these longer phrases is another sense of the word.
    pub unless: Vec<String>,
    /// One of these within `within` characters makes it another sense.
    pub unless_near: Vec<String>,
    /// The classes the rule's word lists name (`near`, `unless`, `unless_near`, `after_line`),
    /// so that `lexicon check` counts them as used.
    pub word_classes: Vec<String>,
    /// The term counts only right after a line (of either side) holding one of these: the
    /// customer's 我前天就投了 answers the agent's 消委会的投诉我们看到了. Classes are expanded.
    pub after_line: Vec<String>,
    /// Whether the term must start and end on word boundaries (jieba segmentation).
    pub boundary: bool,
    pub examples: Vec<String>,
    pub counterexamples: Vec<String>,
    pub origin: Origin,
}

/// Default severity and escalation action of a category.
#[derive(Debug, Clone)]
pub struct CategoryInfo {
    pub severity: Severity,
    pub escalation: String,
}

/// Words the context stage reads (`dictionaries/context.toml`), normalised.
#[derive(Debug, Clone, Default)]
pub struct Markers {
    pub negation_window: usize,
    pub negators: Vec<String>,
    pub double_negations: Vec<String>,
    pub post_negators: Vec<String>,
    pub hypothetical: Vec<String>,
    pub consequence: Vec<String>,
    pub conditional: Vec<String>,
    pub contrast: Vec<String>,
    pub negation_breakers: Vec<String>,
    pub quote_subjects: Vec<String>,
    pub quote_verbs: Vec<String>,
    /// Words that open a new clause after other text without punctuation (我要, 然后): a
    /// negator before one does not reach a term after it.
    pub clause_openers: Vec<String>,
    /// After a negative condition, these open its consequence even without 就 (可以, 只能).
    pub consequence_openers: Vec<String>,
    /// Words jieba must keep whole (不满意), so their 不 is no negator.
    pub compound_words: Vec<String>,
}

/// What one dictionary file adds to a lexicon, built apart from it.
#[derive(Default)]
struct FileRules {
    /// The file's category, with its default severity and escalation.
    category: Option<(Category, CategoryInfo)>,
    /// Each rule, and whether it takes its category's default severity (known only once the
    /// files before it are added).
    rules: Vec<(Rule, bool)>,
    exclusions: Vec<Exclusion>,
    errors: Vec<LexiconError>,
}

/// All loaded dictionaries.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub rules: Vec<Rule>,
    categories: Vec<Option<CategoryInfo>>,
    pub markers: Markers,
    /// Word classes for patterns (`classes.toml`), normalised, by name.
    pub classes: Classes,
    /// Where each class was first defined, for `lexicon check`.
    pub class_origins: BTreeMap<String, Origin>,
    /// Script rules and timing settings (`script.toml`).
    pub script: ScriptBook,
    /// Findings QA rejected (`[[exclude]]`, see [`crate::review::exclusion`]).
    pub exclusions: Vec<Exclusion>,
}

impl Lexicon {
    /// The built-in dictionaries only.
    pub fn builtin() -> Result<Lexicon, Vec<LexiconError>> {
        Lexicon::load(&Source::builtin())
    }

    /// Parse and check every source; all errors are returned together.
    pub fn load(sources: &[Source]) -> Result<Lexicon, Vec<LexiconError>> {
        Lexicon::load_on(sources, 1)
    }

    /// [`Lexicon::load`], the rule files built on up to `threads` threads (two at most: a
    /// scan's start-up, where building them is half the work); the same lexicon either way.
    pub fn load_on(sources: &[Source], threads: usize) -> Result<Lexicon, Vec<LexiconError>> {
        let mut lexicon = Lexicon {
            rules: Vec::new(),
            categories: vec![None; Category::ALL.len()],
            markers: Markers::default(),
            classes: Classes::new(),
            class_origins: BTreeMap::new(),
            script: ScriptBook::default(),
            exclusions: Vec::new(),
        };
        let mut errors = Vec::new();
        let file_name = |source: &Source| {
            Path::new(&source.name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string()
        };
        // Markers and classes first: rules are compiled with the classes.
        let is = |source: &Source, name: &str| file_name(source) == name;
        let builtin = Source::builtin();
        let markers: Vec<&Source> = match sources.iter().filter(|s| is(s, CONTEXT_FILE)).collect::<Vec<_>>() {
            found if found.is_empty() => builtin.iter().filter(|s| is(s, CONTEXT_FILE)).collect(),
            found => found,
        };
        for source in markers {
            if let Err(e) = lexicon.add_markers(source) {
                errors.push(e);
            }
        }
        let classes: Vec<&Source> = match sources.iter().filter(|s| is(s, CLASSES_FILE)).collect::<Vec<_>>() {
            found if found.is_empty() => builtin.iter().filter(|s| is(s, CLASSES_FILE)).collect(),
            found => found,
        };
        for source in classes {
            lexicon.add_classes(source, &mut errors);
        }
        let scripts: Vec<&Source> = match sources.iter().filter(|s| is(s, SCRIPT_FILE)).collect::<Vec<_>>() {
            found if found.is_empty() => builtin.iter().filter(|s| is(s, SCRIPT_FILE)).collect(),
            found => found,
        };
        // What the patterns share (each class's regex, each token's anchors) is worked out once
        // (once per thread for the rule files).
        let mut memo = crate::pattern::Memo::default();
        for source in scripts {
            lexicon.script.add(source, &lexicon.classes, &mut memo, &mut errors);
        }
        let special = [
            CONTEXT_FILE,
            CLASSES_FILE,
            SCRIPT_FILE,
            SCORECARD_FILE,
            crate::ledger::topics::FILE,
        ];
        let rule_files: Vec<&Source> = sources
            .iter()
            .filter(|source| !special.iter().any(|name| is(source, name)))
            .collect();
        lexicon.add_rule_files(&rule_files, threads, &mut errors);
        unique_rule_ids(&mut lexicon.rules);
        if lexicon.rules.is_empty() && errors.is_empty() {
            errors.push(LexiconError {
                file: "lexicon".into(),
                line: 0,
                message: "no rules loaded: every dictionary file was empty".into(),
            });
        }
        if errors.is_empty() { Ok(lexicon) } else { Err(errors) }
    }

    /// Every literal the automaton searches for (terms, normalised and with `{n}` expanded,
    /// and the anchors of patterns), sorted, once each.
    pub fn terms(&self) -> Vec<&str> {
        let mut terms: Vec<&str> = self
            .rules
            .iter()
            .flat_map(|r| r.terms.iter().flat_map(Term::literals))
            .collect();
        terms.sort_unstable();
        terms.dedup();
        terms
    }

    /// Default severity and escalation of `category` (medium and none if no file says).
    pub fn category(&self, category: Category) -> CategoryInfo {
        self.categories[category.index()].clone().unwrap_or(CategoryInfo {
            severity: Severity::Medium,
            escalation: String::new(),
        })
    }

    fn add_markers(&mut self, source: &Source) -> Result<(), LexiconError> {
        let doc: MarkersDoc = toml::from_str(&source.text).map_err(|e| toml_error(source, &e))?;
        let m = &mut self.markers;
        if let Some(w) = doc.negation_window {
            m.negation_window = w;
        }
        let lists = [
            (&mut m.negators, doc.negators),
            (&mut m.double_negations, doc.double_negations),
            (&mut m.post_negators, doc.post_negators),
            (&mut m.hypothetical, doc.hypothetical),
            (&mut m.consequence, doc.consequence),
            (&mut m.conditional, doc.conditional),
            (&mut m.contrast, doc.contrast),
            (&mut m.negation_breakers, doc.negation_breakers),
            (&mut m.quote_subjects, doc.quote_subjects),
            (&mut m.quote_verbs, doc.quote_verbs),
            (
                &mut m.clause_openers,
                [doc.clause_openers, doc.negation_stoppers].concat(),
            ),
            (&mut m.consequence_openers, doc.consequence_openers),
            (&mut m.compound_words, doc.compound_words),
        ];
        for (into, words) in lists {
            into.extend(words.iter().map(|w| normalize_term(w)).filter(|w| !w.is_empty()));
        }
        Ok(())
    }

    /// A rule's `after_line` words, normalised, each `{class}` replaced by its words (and the
    /// words of the classes it names; words that hold a count, such as `{n}天`, are left out:
    /// a previous line is searched for plain words).
    /// A rule's `near`, `unless` or `unless_near` words, normalised, each `{class}` standing
    /// for the class's words (`{regulator}把` is every regulator followed by 把), in the order
    /// written, without repeats.
    fn word_list(&self, field: &str, written: &[String]) -> Result<Vec<String>, String> {
        let mut words = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for entry in written {
            let expanded = crate::pattern::expand_word_list_entry(entry.trim(), &self.classes)
                .map_err(|m| format!("{field}: {m}"))?;
            for word in expanded {
                if !word.is_empty() && seen.insert(word.clone()) {
                    words.push(word);
                }
            }
        }
        Ok(words)
    }

    fn after_line_words(&self, written: &[String]) -> Result<Vec<String>, String> {
        // A word written here that mixes a class with letters would be left out, and the rule
        // would silently lose its condition: said instead.
        if let Some(mixed) = written
            .iter()
            .map(|w| w.trim())
            .find(|w| w.contains('{') && !(w.starts_with('{') && w.ends_with('}') && w.matches('{').count() == 1))
        {
            return Err(format!(
                "after_line: `{mixed}` mixes a {{class}} with other words: write the class alone or plain words"
            ));
        }
        let mut words = Vec::new();
        let mut stack: Vec<String> = written.iter().rev().map(|w| w.trim().to_string()).collect();
        let mut expanded = std::collections::BTreeSet::new();
        while let Some(word) = stack.pop() {
            let Some(name) = word.strip_prefix('{').and_then(|w| w.strip_suffix('}')) else {
                if !word.contains('{') {
                    words.push(normalize_term(&word));
                }
                continue;
            };
            let Some(class) = self.classes.get(name) else {
                return Err(format!(
                    "after_line: unknown class `{{{name}}}`: the classes are defined in classes.toml"
                ));
            };
            if expanded.insert(name.to_string()) {
                stack.extend(class.iter().rev().cloned());
            }
        }
        words.retain(|w| !w.is_empty());
        words.sort();
        words.dedup();
        if words.is_empty() && !written.is_empty() {
            // An empty list would mean "after any line": the rule's condition would be gone.
            return Err(
                "after_line: no plain word is left (its classes hold only words with {n} or other classes' \
                 counts): name words a line can say"
                    .into(),
            );
        }
        Ok(words)
    }

    /// `name = ["word", "{other}…"]` lines of a `classes.toml`; a class defined again (in a
    /// `--lexicon` folder) gains the new words.
    fn add_classes(&mut self, source: &Source, errors: &mut Vec<LexiconError>) {
        let doc: BTreeMap<String, Spanned<Vec<String>>> = match toml::from_str(&source.text) {
            Ok(doc) => doc,
            Err(e) => return errors.push(toml_error(source, &e)),
        };
        for (name, words) in doc {
            let line = line_of(&source.text, words.span().start);
            if !is_class_name(&name) {
                errors.push(LexiconError {
                    file: source.name.clone(),
                    line,
                    message: format!(
                        "class name `{name}`: use lower-case ascii letters, digits and _ (and not `n`, the count)"
                    ),
                });
                continue;
            }
            let words: Vec<String> = words
                .into_inner()
                .iter()
                .map(|w| normalize_class_word(w))
                .filter(|w| !w.is_empty())
                .collect();
            self.class_origins.entry(name.clone()).or_insert(Origin {
                file: source.name.clone(),
                line,
            });
            let into = self.classes.entry(name).or_default();
            for w in words {
                if !into.contains(&w) {
                    into.push(w);
                }
            }
        }
    }

    /// A dictionary file's rules, built with the classes; nothing of the lexicon changes, so
    /// files are built on two threads at start-up ([`Lexicon::add_rule_files`]).
    fn file_rules(&self, source: &Source, memo: &mut crate::pattern::Memo) -> FileRules {
        let mut built = FileRules::default();
        let doc: RuleFileDoc = match toml::from_str(&source.text) {
            Ok(doc) => doc,
            Err(e) => {
                built.errors.push(toml_error(source, &e));
                return built;
            }
        };
        let error = |span: std::ops::Range<usize>, message: String| LexiconError {
            file: source.name.clone(),
            line: line_of(&source.text, span.start),
            message,
        };
        let file_category = match &doc.category {
            None => None,
            Some(c) => match c.get_ref().parse::<Category>() {
                Ok(c) => Some(c),
                Err(e) => {
                    built.errors.push(error(c.span(), e.to_string()));
                    return built;
                }
            },
        };
        let file_severity = match parse_severity(doc.severity.as_ref()) {
            Ok(s) => s,
            Err((span, m)) => {
                built.errors.push(error(span, m));
                return built;
            }
        };
        built.category = file_category.map(|category| {
            (
                category,
                CategoryInfo {
                    severity: file_severity.unwrap_or(Severity::Medium),
                    escalation: doc.escalation.clone().unwrap_or_default(),
                },
            )
        });
        for rule in doc.rule {
            match self.build_rule(rule, file_category, file_severity, source, memo) {
                Ok(rule) => built.rules.push(rule),
                Err(e) => built.errors.push(e),
            }
        }
        for exclude in doc.exclude {
            match Exclusion::from_doc(exclude, source) {
                Ok(exclusion) => built.exclusions.push(exclusion),
                Err(e) => built.errors.push(e),
            }
        }
        built
    }

    /// Add what [`Lexicon::file_rules`] built from one file; files are added in the order
    /// they were given, whatever order they were built in.
    fn add_file_rules(&mut self, built: FileRules, errors: &mut Vec<LexiconError>) {
        if let Some((category, info)) = built.category
            && self.categories[category.index()].is_none()
        {
            self.categories[category.index()] = Some(info);
        }
        for (mut rule, inherits_severity) in built.rules {
            if inherits_severity {
                rule.severity = self.category(rule.category).severity;
            }
            self.rules.push(rule);
        }
        self.exclusions.extend(built.exclusions);
        errors.extend(built.errors);
    }

    /// Build the rule files on up to two threads (each with its own memo; the files are
    /// independent), then add them in order: the same lexicon as one file after another, in
    /// about half the time on two, which is most of start-up.
    fn add_rule_files(&mut self, sources: &[&Source], threads: usize, errors: &mut Vec<LexiconError>) {
        let next = std::sync::atomic::AtomicUsize::new(0);
        // Longest files first, so the two threads end together rather than one waiting for
        // the other's last big file; the rules are added in the order named all the same.
        let mut order: Vec<usize> = (0..sources.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(sources[i].text.len()));
        let build = || {
            let mut memo = crate::pattern::Memo::default();
            let mut built = Vec::new();
            loop {
                let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&i) = order.get(taken) else { break built };
                built.push((i, self.file_rules(sources[i], &mut memo)));
            }
        };
        let mut built: Vec<(usize, FileRules)> = if threads > 1 && sources.len() > 1 {
            std::thread::scope(|scope| {
                let other = std::thread::Builder::new()
                    .name("callrisk-lexicon".into())
                    .spawn_scoped(scope, build);
                let mut built = build();
                match other {
                    // A thread that could not start: its files are built here.
                    Err(_) => built,
                    Ok(other) => match other.join() {
                        Ok(more) => {
                            built.extend(more);
                            built
                        }
                        Err(panic) => std::panic::resume_unwind(panic),
                    },
                }
            })
        } else {
            build()
        };
        built.sort_by_key(|(i, _)| *i);
        for (_, file) in built {
            self.add_file_rules(file, errors);
        }
    }

    fn build_rule(
        &self,
        doc: RuleDoc,
        file_category: Option<Category>,
        file_severity: Option<Severity>,
        source: &Source,
        memo: &mut crate::pattern::Memo,
    ) -> Result<(Rule, bool), LexiconError> {
        let error = |at: usize, message: String| LexiconError {
            file: source.name.clone(),
            line: line_of(&source.text, at),
            message,
        };
        let first = doc.terms.first().or(doc.patterns.first()).map_or(0, |t| t.span().start);
        if doc.terms.is_empty() && doc.patterns.is_empty() {
            return Err(error(
                first,
                "a [[rule]] without `terms` or `patterns`: add terms = [\"…\"]".into(),
            ));
        }
        let category = match &doc.category {
            Some(c) => c
                .get_ref()
                .parse::<Category>()
                .map_err(|e| error(c.span().start, e.to_string()))?,
            None => file_category.ok_or_else(|| {
                error(
                    0,
                    "no category: put `category = \"threat.media\"` (or another id) at the top of the file".into(),
                )
            })?,
        };
        let severity = parse_severity(doc.severity.as_ref()).map_err(|(span, m)| error(span.start, m))?;
        // Neither the rule nor its file says: the category's default, which the files before
        // may set; filled in when the file is added ([`Lexicon::add_file_rules`]).
        let inherits_severity = severity.or(file_severity).is_none();
        let severity = severity.or(file_severity).unwrap_or(Severity::Medium);
        let within = match &doc.within {
            Some(w) if !(1..=60).contains(w.get_ref()) => {
                return Err(error(
                    w.span().start,
                    format!("within = {} is out of range: use 1 to 60 characters", w.get_ref()),
                ));
            }
            Some(w) => *w.get_ref(),
            None => 8,
        };
        let near = self.word_list("near", &doc.near).map_err(|m| error(first, m))?;
        let mut terms = Vec::new();
        for term in &doc.terms {
            let written = term.get_ref().trim();
            for (expanded, count) in expand_count(written).map_err(|m| error(term.span().start, m))? {
                let text = normalize_term(&expanded);
                if text.is_empty() {
                    return Err(error(
                        term.span().start,
                        format!("term `{written}` is empty after normalisation: write the word itself"),
                    ));
                }
                if text.chars().count() == 1 && near.is_empty() {
                    return Err(error(
                        term.span().start,
                        format!(
                            "single-character term `{written}` would match everywhere: give this rule `near = [\"…\"]` words it must appear with"
                        ),
                    ));
                }
                terms.push(Term {
                    text,
                    written: expanded,
                    count,
                    pattern: None,
                });
            }
        }
        let any_order = doc.any_order.unwrap_or(false);
        // A user's patterns are compiled now, so their errors name file and line.
        let compile_now = !doc.patterns.is_empty() && !source.is_builtin();
        for written in &doc.patterns {
            let text = written.get_ref().trim();
            // A pattern without gaps has nothing to put in another order.
            let orders: &[bool] = if any_order && text.contains('~') {
                &[false, true]
            } else {
                &[false]
            };
            for &reversed in orders {
                let pattern = Pattern::compile_with(text, &self.classes, reversed, memo)
                    .map_err(|m| error(written.span().start, m))?;
                if compile_now {
                    pattern.compile_all().map_err(|m| error(written.span().start, m))?;
                }
                // The reversed order is its own term to the automaton and the lints, and
                // reports name the pattern as written.
                let id = if reversed {
                    format!("{text} (reversed)")
                } else {
                    text.to_string()
                };
                terms.push(Term {
                    text: id,
                    written: text.to_string(),
                    count: None,
                    pattern: Some(std::sync::Arc::new(pattern)),
                });
            }
        }
        let id = match &doc.id {
            Some(id) if !id.get_ref().trim().is_empty() => id.get_ref().trim().to_string(),
            _ => {
                let first = doc.terms.first().or(doc.patterns.first());
                format!("{category}:{}", first.map_or("", |t| t.get_ref().trim()))
            }
        };
        let rule = Rule {
            id,
            category,
            severity,
            terms,
            near,
            within,
            unless: self.word_list("unless", &doc.unless).map_err(|m| error(first, m))?,
            unless_near: self
                .word_list("unless_near", &doc.unless_near)
                .map_err(|m| error(first, m))?,
            after_line: self.after_line_words(&doc.after_line).map_err(|m| error(first, m))?,
            word_classes: [&doc.near, &doc.unless, &doc.unless_near, &doc.after_line]
                .into_iter()
                .flatten()
                .flat_map(|w| class_references(w))
                .collect(),
            boundary: doc.boundary.unwrap_or(true),
            examples: doc.examples,
            counterexamples: doc.counterexamples,
            origin: Origin {
                file: source.name.clone(),
                line: line_of(&source.text, first),
            },
        };
        Ok((rule, inherits_severity))
    }
}

/// Two rules with the same id (the same first term in one category, or an `id` given twice)
/// are told apart by `#2`, `#3` … in load order.
fn unique_rule_ids(rules: &mut [Rule]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for rule in rules.iter_mut() {
        let n = seen.entry(rule.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            rule.id = format!("{}#{n}", rule.id);
        }
    }
}

/// A class word, normalised around its `{class}` references (which stay as written).
fn normalize_class_word(word: &str) -> String {
    pieces(word.trim())
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(t) => normalize_term(t),
            Piece::Reference(name) => format!("{{{name}}}"),
            Piece::Unclosed(rest) => rest.to_string(),
        })
        .collect()
}

/// Class names used by the rules, for `lexicon check`'s unused-class lint.
pub fn classes_used(lexicon: &Lexicon) -> std::collections::BTreeSet<String> {
    let mut used = std::collections::BTreeSet::new();
    let mut stack: Vec<String> = lexicon
        .rules
        .iter()
        .flat_map(|r| r.terms.iter())
        .filter(|t| t.pattern.is_some())
        .flat_map(|t| class_references(&t.written))
        .chain(lexicon.rules.iter().flat_map(|r| r.word_classes.iter().cloned()))
        .collect();
    while let Some(name) = stack.pop() {
        if used.insert(name.clone())
            && let Some(words) = lexicon.classes.get(&name)
        {
            stack.extend(words.iter().flat_map(|w| class_references(w)));
        }
    }
    used
}

fn parse_severity(s: Option<&Spanned<String>>) -> Result<Option<Severity>, (std::ops::Range<usize>, String)> {
    match s {
        None => Ok(None),
        Some(s) => s.get_ref().parse::<Severity>().map(Some).map_err(|m| (s.span(), m)),
    }
}

pub(crate) fn normalized_list(words: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|w| normalize_term(w))
        .filter(|w| !w.is_empty())
        .collect()
}

/// `投诉了{n}次` → one term per count word; other terms → themselves.
fn expand_count(term: &str) -> Result<Vec<(String, Option<String>)>, String> {
    if !term.contains('{') && !term.contains('}') {
        return Ok(vec![(term.to_string(), None)]);
    }
    if term.matches("{n}").count() != 1 || term.replace("{n}", "").contains(['{', '}']) {
        return Err(format!(
            "term `{term}`: the only placeholder is a single `{{n}}` (a count, e.g. 投诉了{{n}}次)"
        ));
    }
    let digits = (2..=30).map(|n| (n.to_string(), n.to_string()));
    let words = COUNT_WORDS.iter().map(|(w, v)| (w.to_string(), v.to_string()));
    Ok(digits
        .chain(words)
        .map(|(word, value)| (term.replace("{n}", &word), Some(value)))
        .collect())
}

pub(crate) fn line_of(text: &str, byte: usize) -> usize {
    1 + text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

pub(crate) fn toml_error(source: &Source, e: &toml::de::Error) -> LexiconError {
    let line = e.span().map_or(0, |s| line_of(&source.text, s.start));
    let message = e.message().trim().to_string();
    let hint = if message.contains("unknown field") {
        " (the fields are listed in dictionaries/README.md)"
    } else if message.contains("invalid") || message.contains("expected") {
        " (strings are in double quotes, lists in [ ], see dictionaries/README.md)"
    } else {
        ""
    };
    LexiconError {
        file: source.name.clone(),
        line,
        message: format!("{message}{hint}"),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFileDoc {
    category: Option<Spanned<String>>,
    severity: Option<Spanned<String>>,
    escalation: Option<String>,
    #[serde(default)]
    rule: Vec<RuleDoc>,
    /// Findings QA rejected: `[[exclude]]` tables (see dictionaries/README.md).
    #[serde(default)]
    exclude: Vec<ExcludeDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDoc {
    /// A stable name for the rule (rules.csv); default `category:first term`.
    id: Option<Spanned<String>>,
    #[serde(default)]
    terms: Vec<Spanned<String>>,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
    any_order: Option<bool>,
    category: Option<Spanned<String>>,
    severity: Option<Spanned<String>>,
    #[serde(default)]
    near: Vec<String>,
    within: Option<Spanned<usize>>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    unless_near: Vec<String>,
    #[serde(default)]
    after_line: Vec<String>,
    boundary: Option<bool>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counterexamples: Vec<String>,
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkersDoc {
    negation_window: Option<usize>,
    #[serde(default)]
    negators: Vec<String>,
    #[serde(default)]
    double_negations: Vec<String>,
    #[serde(default)]
    post_negators: Vec<String>,
    #[serde(default)]
    hypothetical: Vec<String>,
    #[serde(default)]
    consequence: Vec<String>,
    #[serde(default)]
    conditional: Vec<String>,
    #[serde(default)]
    contrast: Vec<String>,
    #[serde(default)]
    negation_breakers: Vec<String>,
    #[serde(default)]
    quote_subjects: Vec<String>,
    #[serde(default)]
    quote_verbs: Vec<String>,
    #[serde(default)]
    clause_openers: Vec<String>,
    /// The name of `clause_openers` in callrisk 0.1, still read into it.
    #[serde(default)]
    negation_stoppers: Vec<String>,
    #[serde(default)]
    consequence_openers: Vec<String>,
    #[serde(default)]
    compound_words: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_pattern_compiles_though_a_scan_compiles_them_on_first_use() {
        let lexicon = Lexicon::builtin().unwrap();
        let patterns: Vec<_> = lexicon
            .rules
            .iter()
            .flat_map(|r| &r.terms)
            .filter_map(|t| t.pattern.as_deref())
            .collect();
        assert!(patterns.len() > 50, "the shipped dictionaries have patterns");
        for pattern in patterns {
            pattern.compile_all().unwrap();
        }
        assert!(Source::builtin().iter().all(Source::is_builtin));
        let mut edited = Source::builtin().remove(0);
        edited.text.push('\n');
        assert!(
            !edited.is_builtin(),
            "an edited copy is a user's dictionary, compiled while loading"
        );
    }

    fn load_one(text: &str) -> Result<Lexicon, Vec<LexiconError>> {
        Lexicon::load(&[Source {
            name: "my/threat.toml".into(),
            text: text.into(),
        }])
    }

    #[test]
    fn the_builtin_dictionaries_load_and_cover_every_category() {
        let lexicon = Lexicon::builtin().unwrap_or_else(|e| panic!("{}", e[0]));
        for category in Category::ALL {
            assert!(
                lexicon.rules.iter().any(|r| r.category == category),
                "{category} has no rule"
            );
            assert!(
                !lexicon.category(category).escalation.is_empty(),
                "{category} has no escalation"
            );
        }
        assert!(lexicon.markers.negators.iter().any(|n| n == "不会"));
    }

    /// Rule files are built on two threads, but the lexicon is the one the files give in the
    /// order they were named: rules, first-file category defaults and errors in file order.
    #[test]
    fn rule_files_built_apart_are_added_in_the_order_given() {
        let file = |name: &str, text: &str| Source {
            name: name.into(),
            text: text.into(),
        };
        let sources = [
            file(
                "a/threat.media.toml",
                "category = \"threat.media\"\nseverity = \"high\"\n[[rule]]\nterms = [\"找记者\"]\n",
            ),
            file(
                "b/broken.toml",
                "category = \"threat.medai\"\n[[rule]]\nterms = [\"曝光\"]\n",
            ),
            file(
                "c/threat.media.toml",
                "category = \"threat.media\"\nseverity = \"low\"\n[[rule]]\nterms = [\"上电视\"]\n",
            ),
            file(
                "d/broken.toml",
                "category = \"threat.legal\"\n[[rule]]\nterms = [\"起诉\"]\nnera = [\"法院\"]\n",
            ),
            file(
                "e/threat.legal.toml",
                "category = \"threat.legal\"\n[[rule]]\nterms = [\"律师函\", \"打官司\"]\n",
            ),
        ];
        let errors = Lexicon::load_on(&sources, 2).unwrap_err();
        let files: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(files, ["b/broken.toml", "d/broken.toml"]);

        let good = [&sources[0], &sources[2], &sources[4]].map(Clone::clone);
        let lexicon = Lexicon::load_on(&good, 2).unwrap();
        let terms: Vec<&str> = lexicon.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            terms,
            ["threat.media:找记者", "threat.media:上电视", "threat.legal:律师函"]
        );
        // The first file to name a category gives its default severity, and a later file's
        // rule that states none takes it.
        assert_eq!(lexicon.category(Category::ThreatMedia).severity, Severity::High);
        let inherits = [
            sources[0].clone(),
            file(
                "f/more-media.toml",
                "category = \"threat.media\"\n[[rule]]\nterms = [\"发微博\"]\n",
            ),
        ];
        let lexicon = Lexicon::load_on(&inherits, 2).unwrap();
        let severities: Vec<Severity> = lexicon.rules.iter().map(|r| r.severity).collect();
        assert_eq!(severities, [Severity::High, Severity::High]);
    }

    /// A user's context.toml adds clause openers to the built-in ones, under the list's name
    /// or under its old name `negation_stoppers` (files written for 0.1).
    #[test]
    fn a_users_clause_openers_add_to_the_builtin_ones() {
        let mut sources = Source::builtin();
        sources.push(Source {
            name: "my/context.toml".into(),
            text: "clause_openers = [\"接着\"]\nnegation_stoppers = [\"随后\"]\n".into(),
        });
        let openers = Lexicon::load(&sources).unwrap().markers.clause_openers;
        for opener in ["我要", "然后", "接着", "随后"] {
            assert!(openers.iter().any(|o| o == opener), "{opener} in {openers:?}");
        }
    }

    #[test]
    fn misspelt_category_names_file_line_and_fix() {
        let errors =
            load_one("severity = \"high\"\n\ncategory = \"threat.medai\"\n[[rule]]\nterms = [\"记者\"]\n").unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "my/threat.toml line 3: unknown category `threat.medai` (did you mean threat.media?)"
        );
    }

    /// `after_line` must keep its condition: a word that mixes a class with letters, or
    /// classes that leave no plain word, are errors with the rule's line, never a rule that
    /// counts after any line.
    #[test]
    fn after_line_that_would_lose_its_condition_is_an_error() {
        let rule = |after: &str| {
            load_one(&format!(
                "category = \"threat.online\"\n[[rule]]\nterms = [\"就是我发的\"]\nafter_line = [{after}]\n"
            ))
        };
        let errors = rule("\"{platform}上\"").unwrap_err();
        assert!(errors[0].message.contains("mixes a {class}"), "{}", errors[0]);
        assert_eq!(errors[0].line, 3);
        assert!(rule("\"{platform}\", \"网上\"").is_ok());
        assert!(rule("\"{nosuchclass}\"").is_err());
    }

    /// `near`, `unless` and `unless_near` words may name classes, as patterns do: 把 after
    /// any regulator is one entry, not fifty; a misspelt class or a count is a line error.
    #[test]
    fn word_lists_expand_classes_and_name_mistakes() {
        let rule = |field: &str, words: &str| {
            load_one(&format!(
                "category = \"taboo.incite\"\n[[rule]]\nterms = [\"去投诉\"]\n{field} = [{words}]\n"
            ))
        };
        let lexicon = rule("unless_near", "\"{regulator}把\", \"撤了\"").unwrap();
        let words = &lexicon.rules[0].unless_near;
        for word in ["12315把", "消协把", "市场监管局把", "撤了"] {
            assert!(words.iter().any(|w| w == word), "{word} not in {words:?}");
        }
        assert!(!words.iter().any(|w| w.contains('{')), "{words:?}");
        let near = &rule("near", "\"{regulator}\"").unwrap().rules[0].near;
        assert!(near.iter().any(|w| w == "消委会"), "{near:?}");

        let errors = rule("unless", "\"{regulater}把\"").unwrap_err();
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("unless:"), "{}", errors[0]);
        assert!(errors[0].message.contains("did you mean {regulator}"), "{}", errors[0]);
        let errors = rule("near", "\"{n}次\"").unwrap_err();
        assert!(errors[0].message.contains("count"), "{}", errors[0]);
    }

    #[test]
    fn single_character_term_needs_context() {
        let errors = load_one("category = \"threat.protest\"\n[[rule]]\nterms = [\"记者\",\n  \"闹\"]\n").unwrap_err();
        assert_eq!(errors[0].line, 4);
        assert!(errors[0].message.contains("near = "), "{}", errors[0]);
        assert!(load_one("category = \"threat.protest\"\n[[rule]]\nterms = [\"闹\"]\nnear = [\"门店\"]\n").is_ok());
    }

    #[test]
    fn unknown_field_and_bad_severity_are_line_errors() {
        let errors =
            load_one("category = \"threat.media\"\n[[rule]]\nterms = [\"记者\"]\nnera = [\"找\"]\n").unwrap_err();
        assert_eq!(errors[0].line, 4);
        assert!(errors[0].message.contains("unknown field"), "{}", errors[0]);
        let errors =
            load_one("category = \"threat.media\"\n[[rule]]\nterms = [\"记者\"]\nseverity = \"urgent\"\n").unwrap_err();
        assert_eq!(errors[0].line, 4);
        assert!(errors[0].message.contains("low, medium, high or critical"));
    }

    #[test]
    fn count_placeholder_expands_with_values() {
        let lexicon = load_one("category = \"threat.repeat\"\n[[rule]]\nterms = [\"投诉了{n}次\"]\n").unwrap();
        let terms = &lexicon.rules[0].terms;
        let three = terms.iter().find(|t| t.text == "投诉了三次").unwrap();
        assert_eq!(three.count.as_deref(), Some("3"));
        assert!(terms.iter().any(|t| t.text == "投诉了好几次"));
        assert!(load_one("category = \"threat.repeat\"\n[[rule]]\nterms = [\"第{x}次\"]\n").is_err());
    }

    #[test]
    fn patterns_use_classes_and_name_file_line_and_the_nearest_class_when_wrong() {
        let classes = Source {
            name: "my/classes.toml".into(),
            text: "complain = [\"投诉\", \"反映\"]\nunit = [\"次\", \"回\"]\n".into(),
        };
        let rules = |pattern: &str| Source {
            name: "my/threat.repeat.toml".into(),
            text: format!("category = \"threat.repeat\"\n[[rule]]\n\npatterns = [\"{pattern}\"]\n"),
        };
        let lexicon = Lexicon::load(&[classes.clone(), rules("{complain} ~5 {n}{unit}")]).unwrap();
        let term = &lexicon.rules[0].terms[0];
        assert_eq!(term.written, "{complain} ~5 {n}{unit}");
        assert_eq!(term.pattern.as_ref().unwrap().anchors, ["反映", "投诉"]);
        let errors = Lexicon::load(&[classes, rules("{complian} ~5 {n}{unit}")]).unwrap_err();
        assert_eq!(errors[0].file, "my/threat.repeat.toml");
        assert_eq!(errors[0].line, 4);
        assert!(errors[0].message.contains("did you mean {complain}?"), "{}", errors[0]);
    }

    #[test]
    fn a_user_classes_file_adds_words_to_a_builtin_class() {
        let mut sources = Source::builtin();
        sources.push(Source {
            name: "my/classes.toml".into(),
            text: "unit = [\"轮\"]\n".into(),
        });
        let lexicon = Lexicon::load(&sources).unwrap();
        let unit = &lexicon.classes["unit"];
        assert!(unit.iter().any(|w| w == "轮") && unit.iter().any(|w| w == "次"));
    }

    #[test]
    fn terms_are_normalised_like_the_text() {
        let lexicon =
            load_one("category = \"threat.regulator\"\n[[rule]]\nterms = [\"消委會\", \"１２３１５\"]\n").unwrap();
        let texts: Vec<_> = lexicon.rules[0].terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["消委会", "12315"]);
    }
}
