//! `callrisk eval`: precision and recall against a labels file, built in.
//!
//! The inputs are read and judged exactly as `scan` does ([`pipeline::scan_into`], no report
//! folder); each conversation keeps the first counted finding of each category. Those are
//! compared with the labels per (conversation, category): required and found is a true
//! positive, required and not found a miss, found and not labelled at all a false alarm; an
//! optional label neither counts for nor against. Every conversation scanned is labelled: one
//! with no row has nothing to find. Lines are shown, never compared.
//!
//! Promises: the labels file is checked whole before anything is scanned, and every problem in
//! it is named with its line; a label for a conversation that was not scanned is an error, not
//! a silent miss; the same inputs and labels give the same bytes out; text that comes from the
//! inputs or the labels is masked before it is printed.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::category::Category;
use crate::cli::EvalArgs;
use crate::config::ScanConfig;
use crate::input::InputProblem;
use crate::messages::{error_line, out_text, shown};
use crate::pipeline::{self, Destination};
use crate::score::ScannedConversation;
use crate::{Error, Status};

/// Input problems printed on stderr at most (eval writes no errors.csv to hold the rest).
const STDERR_PROBLEMS: usize = 50;

/// Problems of a labels file named at most; the rest are counted.
const LABEL_PROBLEMS: usize = 20;

pub fn run(args: EvalArgs) -> Result<Status, Error> {
    // A typo in row 270 should not cost the minutes of a scan first.
    let mut labels = load_labels(&args.labels)?;
    let config = ScanConfig::for_eval(args.inputs, &args.labels, &args.dictionaries, &args.read)?;
    let mut found = Found::default();
    // The tally is in memory and never fails; the mapping is there for the signature.
    let outcome = pipeline::scan_into(&config, &mut found, |source| Error::Output { source })?;

    for problem in outcome.problems.iter().take(STDERR_PROBLEMS) {
        error_line(&shown(&problem.to_string()));
    }
    let problems = outcome.problems.len() + outcome.problems_not_kept;
    if problems > STDERR_PROBLEMS {
        error_line(&format!("… and {} more problems", problems - STDERR_PROBLEMS));
    }
    super::scan::warn_unknown_speakers(&outcome);
    if outcome.conversations == 0 {
        return Err(Error::Usage(format!(
            "nothing was scanned ({} inputs, {} files passed over): there is nothing to evaluate",
            outcome.inputs, outcome.skipped
        )));
    }
    unmask_ids(&mut labels, &found.conversations);
    check_conversations(&args.labels, &labels, &found.conversations, outcome.failed)?;
    let pooled = found.conversations.values().filter(|&&n| n > 1).count();
    if pooled > 0 {
        error_line(&format!(
            "warning: {pooled} conversation ids are given by more than one conversation; the \
             findings of each id are scored together"
        ));
    }

    let scored = score(&labels, &found.predictions);
    let mut evaluation = Evaluation::new(found.conversations.values().sum(), &labels, &scored);
    if args.figures_only {
        evaluation.misses = None;
        evaluation.false_alarms = None;
    }
    let text = if args.json {
        let mut json = serde_json::to_string_pretty(&evaluation).map_err(|e| Error::Output { source: e.into() })?;
        json.push('\n');
        json
    } else {
        render(&evaluation)
    };
    out_text(&text).map_err(|source| Error::Output { source })?;

    let mut below = Vec::new();
    for (name, figure, minimum) in [
        ("precision", evaluation.overall.precision, args.min_precision),
        ("recall", evaluation.overall.recall, args.min_recall),
    ] {
        // Nothing to measure (no findings, no required labels) is nothing to fail on.
        if let (Some(figure), Some(minimum)) = (figure, minimum)
            && figure < minimum
        {
            below.push(format!("overall {name} {figure:.3} is below --min-{name} {minimum}"));
        }
    }
    for message in &below {
        error_line(message);
    }
    Ok(if outcome.failed > 0 || outcome.line_problems > 0 {
        Status::InputErrors
    } else if !below.is_empty() {
        Status::FailOn
    } else {
        Status::Clean
    })
}

/// Labels keyed by a conversation id as the reports show it, a personal number masked
/// (`139****5678_1122` for a recording named after the caller), are keyed by the one scanned
/// conversation that shows as that id. An id that names a conversation itself, or that
/// several show as, is left for [`check_conversations`] to judge.
fn unmask_ids(labels: &mut [Label], scanned: &HashMap<String, usize>) {
    if !labels
        .iter()
        .any(|l| l.conversation.contains('*') && !scanned.contains_key(&l.conversation))
    {
        return;
    }
    let mut shown: HashMap<String, Vec<&str>> = HashMap::new();
    for id in scanned.keys() {
        let masked = crate::redact::redact(id);
        if masked != id.as_str() {
            shown.entry(masked.into_owned()).or_default().push(id);
        }
    }
    for label in labels.iter_mut() {
        if scanned.contains_key(&label.conversation) {
            continue;
        }
        if let Some([only]) = shown.get(&label.conversation).map(Vec::as_slice) {
            label.conversation = (*only).to_string();
        }
    }
}

/// Whether a reviewer would certainly mark a label, or might not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelKind {
    Required,
    Optional,
}

impl LabelKind {
    fn id(self) -> &'static str {
        match self {
            LabelKind::Required => "required",
            LabelKind::Optional => "optional",
        }
    }
}

/// One row of the labels file.
#[derive(Debug, Clone)]
pub struct Label {
    pub conversation: String,
    pub category: Category,
    /// The input line of the first utterance that carries the category.
    pub line: usize,
    pub kind: LabelKind,
    pub note: String,
    /// The line of the labels file, for messages.
    pub row: u64,
}

/// A category found in a conversation: its first counted finding.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub conversation: String,
    pub category: Category,
    pub line: usize,
    /// The dictionary term (or the personal-number detector) that matched.
    pub term: String,
    /// The text it matched, as the input says it (a personal number masked).
    pub matched: String,
}

/// Read and check a labels file whole: every problem, with its line, in one error.
pub fn load_labels(path: &Path) -> Result<Vec<Label>, Error> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::Usage(format!("cannot read labels {name}: {e}")))?;
    parse_labels(&bytes).map_err(|problems| {
        let mut message = format!("the labels file {name} has errors, nothing was scanned:");
        for problem in problems.iter().take(LABEL_PROBLEMS) {
            let _ = write!(message, "\n  {name} {problem}");
        }
        if problems.len() > LABEL_PROBLEMS {
            let _ = write!(message, "\n  … and {} more", problems.len() - LABEL_PROBLEMS);
        }
        message.push_str("\n(the format is in `callrisk eval --help` and tests/devset/GUIDELINES.md)");
        Error::Usage(message)
    })
}

/// The rows of a labels file, or every problem as `line N: what`.
pub fn parse_labels(bytes: &[u8]) -> Result<Vec<Label>, Vec<String>> {
    let text = std::str::from_utf8(bytes).map_err(|e| vec![format!("is not UTF-8 ({e})")])?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| vec![format!("line 1: {e}")])?.clone();
    let column = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (conversation, category, line, kind, note) = match (
        column("conversation"),
        column("category"),
        column("line"),
        column("kind"),
        column("note"),
    ) {
        (Some(c), Some(g), Some(l), Some(k), note) => (c, g, l, k, note),
        _ => {
            return Err(vec![format!(
                "line 1: the header is `{}`, not `conversation,category,line,kind,note`",
                header.iter().collect::<Vec<_>>().join(",")
            )]);
        }
    };
    let mut labels = Vec::new();
    let mut problems = Vec::new();
    let mut first_row: HashMap<(String, Category), u64> = HashMap::new();
    let mut lines = LineCounter::default();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let at = e.position().map_or(String::new(), |p| format!("line {}: ", p.line()));
                problems.push(format!("{at}{e}"));
                continue;
            }
        };
        let row = record.position().map_or(0, |p| lines.line_at(text, p.byte() as usize));
        let field = |i: usize| record.get(i).unwrap_or("");
        let mut wrong = |what: String| problems.push(format!("line {row}: {what}"));
        let id = field(conversation);
        if id.is_empty() {
            wrong("no conversation id".to_string());
            continue;
        }
        let category = match field(category).parse::<Category>() {
            Ok(category) => category,
            Err(e) => {
                wrong(e.to_string());
                continue;
            }
        };
        let line = match field(line).parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => {
                wrong(format!("line `{}` is not a line number (1, 2, …)", field(line)));
                continue;
            }
        };
        let kind = match field(kind) {
            "required" => LabelKind::Required,
            "optional" => LabelKind::Optional,
            other => {
                wrong(format!("kind `{other}` is neither `required` nor `optional`"));
                continue;
            }
        };
        if let Some(first) = first_row.insert((id.to_string(), category), row) {
            wrong(format!(
                "a second row for conversation `{id}` and {category} (the first is line {first}); \
                 there is one row per category per conversation"
            ));
            continue;
        }
        labels.push(Label {
            conversation: id.to_string(),
            category,
            line,
            kind,
            note: note.map_or("", field).to_string(),
            row,
        });
    }
    if problems.is_empty() { Ok(labels) } else { Err(problems) }
}

/// The line a record starts on, counted from its byte offset: csv's own count is one short
/// after a CRLF header (a file saved by Excel), and messages must name the line an editor shows.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    newlines: u64,
}

impl LineCounter {
    /// Offsets must not go backwards (records come in order).
    fn line_at(&mut self, text: &str, byte: usize) -> u64 {
        // The offset may sit on the end of the previous line (the `\n` of a CRLF).
        let rest = text.get(byte..).unwrap_or("");
        let start = rest.find(|c| c != '\r' && c != '\n').map_or(text.len(), |i| byte + i);
        let start = start.max(self.byte);
        self.newlines += text.as_bytes()[self.byte..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.byte = start;
        self.newlines + 1
    }
}

/// Every label must name a conversation that was scanned; otherwise its figures would lie.
fn check_conversations(
    path: &Path,
    labels: &[Label],
    scanned: &HashMap<String, usize>,
    failed_inputs: usize,
) -> Result<(), Error> {
    let unknown: Vec<&Label> = labels
        .iter()
        .filter(|label| !scanned.contains_key(&label.conversation))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let name = path.display().to_string();
    let mut message = format!(
        "{} labels name conversations that were not among the scanned inputs:",
        unknown.len()
    );
    for label in unknown.iter().take(LABEL_PROBLEMS) {
        let _ = write!(
            message,
            "\n  {name} line {}: conversation `{}`",
            label.row, label.conversation
        );
    }
    if unknown.len() > LABEL_PROBLEMS {
        let _ = write!(message, "\n  … and {} more", unknown.len() - LABEL_PROBLEMS);
    }
    message.push_str("\n(conversation ids are what scan reports: the file name without its extension by default");
    if failed_inputs > 0 {
        let _ = write!(message, "; {failed_inputs} inputs could not be scanned, see above");
    }
    message.push(')');
    Err(Error::Usage(message))
}

/// What the scan gave: how many conversations carry each id, and the first counted finding of
/// each category in each conversation, in input order.
#[derive(Default)]
struct Found {
    conversations: HashMap<String, usize>,
    predictions: Vec<Prediction>,
    seen: HashSet<(String, Category)>,
}

impl Destination for Found {
    fn conversation(&mut self, _file: &str, scanned: &ScannedConversation) -> std::io::Result<()> {
        let conversation = &scanned.conversation;
        *self.conversations.entry(conversation.id.clone()).or_default() += 1;
        for line_finding in scanned.findings.iter().filter(|lf| lf.finding.counts()) {
            let finding = &line_finding.finding;
            if !self.seen.insert((conversation.id.clone(), finding.category)) {
                continue;
            }
            let utterance = &conversation.utterances[line_finding.utterance];
            self.predictions.push(Prediction {
                conversation: conversation.id.clone(),
                category: finding.category,
                line: utterance.line,
                term: finding.term.clone(),
                matched: finding
                    .masked
                    .clone()
                    .unwrap_or_else(|| utterance.text[finding.span.clone()].to_string()),
            });
        }
        Ok(())
    }

    fn problem(&mut self, _problem: &InputProblem) -> std::io::Result<()> {
        // Problems reach stderr from the run's outcome.
        Ok(())
    }
}

/// True positives, false positives and false negatives of one category (or all).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

/// The comparison of labels and predictions.
#[derive(Debug)]
pub struct Score<'a> {
    /// Per category, in [`Category::ALL`] order.
    pub counts: [Counts; Category::ALL.len()],
    /// Required labels not found, by category, then conversation and line.
    pub misses: Vec<&'a Label>,
    /// Predictions with no label, by category, then conversation and line.
    pub false_alarms: Vec<&'a Prediction>,
}

/// Compare per (conversation, category); a second prediction of the same pair is ignored.
pub fn score<'a>(labels: &'a [Label], predictions: &'a [Prediction]) -> Score<'a> {
    let labelled: HashMap<(&str, Category), LabelKind> = labels
        .iter()
        .map(|l| ((l.conversation.as_str(), l.category), l.kind))
        .collect();
    let mut predicted: HashSet<(&str, Category)> = HashSet::new();
    let mut counts = [Counts::default(); Category::ALL.len()];
    let mut false_alarms = Vec::new();
    for prediction in predictions {
        let key = (prediction.conversation.as_str(), prediction.category);
        if !predicted.insert(key) {
            continue;
        }
        let counts = &mut counts[prediction.category.index()];
        match labelled.get(&key) {
            Some(LabelKind::Required) => counts.true_positives += 1,
            Some(LabelKind::Optional) => {}
            None => {
                counts.false_positives += 1;
                false_alarms.push(prediction);
            }
        }
    }
    let mut misses = Vec::new();
    for label in labels.iter().filter(|l| l.kind == LabelKind::Required) {
        if !predicted.contains(&(label.conversation.as_str(), label.category)) {
            counts[label.category.index()].false_negatives += 1;
            misses.push(label);
        }
    }
    misses.sort_by(|a, b| (a.category, &a.conversation, a.line).cmp(&(b.category, &b.conversation, b.line)));
    false_alarms.sort_by(|a, b| (a.category, &a.conversation, a.line).cmp(&(b.category, &b.conversation, b.line)));
    Score {
        counts,
        misses,
        false_alarms,
    }
}

/// Precision, recall and F1 of some counts; `None` where there is nothing to measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

impl From<Counts> for Figures {
    fn from(c: Counts) -> Figures {
        let (tp, fp, fn_) = (c.true_positives, c.false_positives, c.false_negatives);
        let ratio = |part: usize, whole: usize| (whole > 0).then(|| part as f64 / whole as f64);
        Figures {
            tp,
            fp,
            fn_,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
            f1: ratio(2 * tp, 2 * tp + fp + fn_),
        }
    }
}

#[derive(Debug, Serialize)]
struct CategoryFigures {
    category: &'static str,
    #[serde(flatten)]
    figures: Figures,
}

#[derive(Debug, Serialize)]
struct LabelTotals {
    required: usize,
    optional: usize,
}

#[derive(Debug, Serialize)]
struct Miss {
    conversation: String,
    category: &'static str,
    line: usize,
    kind: LabelKind,
    note: String,
}

#[derive(Debug, Serialize)]
struct FalseAlarm {
    conversation: String,
    category: &'static str,
    line: usize,
    term: String,
    matched: String,
}

/// What is printed, as text or JSON; every string from the inputs or the labels is masked.
#[derive(Debug, Serialize)]
struct Evaluation {
    conversations: usize,
    labels: LabelTotals,
    categories: Vec<CategoryFigures>,
    /// Micro-averaged: the counts of every category summed.
    overall: Figures,
    /// `None` with `--figures-only`: a held-out set's misses are not for reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    misses: Option<Vec<Miss>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    false_alarms: Option<Vec<FalseAlarm>>,
}

impl Evaluation {
    fn new(conversations: usize, labels: &[Label], score: &Score) -> Evaluation {
        let mut overall = Counts::default();
        for counts in &score.counts {
            overall.add(*counts);
        }
        let required = labels.iter().filter(|l| l.kind == LabelKind::Required).count();
        Evaluation {
            conversations,
            labels: LabelTotals {
                required,
                optional: labels.len() - required,
            },
            categories: Category::ALL
                .iter()
                .map(|c| CategoryFigures {
                    category: c.id(),
                    figures: score.counts[c.index()].into(),
                })
                .collect(),
            overall: overall.into(),
            misses: Some(
                score
                    .misses
                    .iter()
                    .map(|l| Miss {
                        conversation: shown(&l.conversation).into_owned(),
                        category: l.category.id(),
                        line: l.line,
                        kind: l.kind,
                        note: shown(&l.note).into_owned(),
                    })
                    .collect(),
            ),
            false_alarms: Some(
                score
                    .false_alarms
                    .iter()
                    .map(|p| FalseAlarm {
                        conversation: shown(&p.conversation).into_owned(),
                        category: p.category.id(),
                        line: p.line,
                        term: shown(&p.term).into_owned(),
                        matched: shown(&p.matched).into_owned(),
                    })
                    .collect(),
            ),
        }
    }
}

/// The tables and lists, for people.
fn render(evaluation: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} conversations; labels: {} required, {} optional\n",
        evaluation.conversations, evaluation.labels.required, evaluation.labels.optional
    );
    let _ = writeln!(
        out,
        "{:<20}{:>5}{:>5}{:>5}{:>11}{:>8}{:>7}",
        "category", "tp", "fp", "fn", "precision", "recall", "F1"
    );
    let row = |out: &mut String, name: &str, f: &Figures| {
        let figure = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.3}"));
        let _ = writeln!(
            out,
            "{name:<20}{:>5}{:>5}{:>5}{:>11}{:>8}{:>7}",
            f.tp,
            f.fp,
            f.fn_,
            figure(f.precision),
            figure(f.recall),
            figure(f.f1)
        );
    };
    for c in &evaluation.categories {
        row(&mut out, c.category, &c.figures);
    }
    row(&mut out, "overall (micro)", &evaluation.overall);
    let (Some(misses), Some(false_alarms)) = (&evaluation.misses, &evaluation.false_alarms) else {
        out.push_str("\n(--figures-only: the misses and false alarms are not listed)\n");
        return out;
    };
    let _ = writeln!(out, "\nmisses (required, not found): {}", misses.len());
    for m in misses {
        let note = if m.note.is_empty() {
            String::new()
        } else {
            format!("  ({})", m.note)
        };
        let _ = writeln!(
            out,
            "  {}  {}  line {}  {}{note}",
            m.conversation,
            m.category,
            m.line,
            m.kind.id()
        );
    }
    let _ = writeln!(out, "\nfalse alarms (found, not labelled): {}", false_alarms.len());
    for a in false_alarms {
        let _ = writeln!(
            out,
            "  {}  {}  line {}  «{}» (term {})",
            a.conversation, a.category, a.line, a.matched, a.term
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(csv: &str) -> Vec<Label> {
        parse_labels(csv.as_bytes()).unwrap_or_else(|problems| panic!("{problems:?}"))
    }

    fn predictions(rows: &[(&str, &str, usize, &str)]) -> Vec<Prediction> {
        rows.iter()
            .map(|(conversation, category, line, matched)| Prediction {
                conversation: conversation.to_string(),
                category: category.parse().unwrap(),
                line: *line,
                term: matched.to_string(),
                matched: matched.to_string(),
            })
            .collect()
    }

    fn counts(score: &Score, category: &str) -> (usize, usize, usize) {
        let c = score.counts[category.parse::<Category>().unwrap().index()];
        (c.true_positives, c.false_positives, c.false_negatives)
    }

    const LABELS: &str = "\
conversation,category,line,kind,note
a,threat.regulator,3,required,要打12315
a,taboo.overpromise,5,optional,保证 as a fact?
b,threat.legal,2,required,起诉
c,threat.repeat,1,required,第三次打电话
d,threat.media,4,optional,@了记者
";

    #[test]
    fn scoring_per_conversation_and_category() {
        let labels = labels(LABELS);
        // (category, found, expected tp/fp/fn, why)
        let found = predictions(&[
            ("a", "threat.regulator", 7, "12315"),  // required, found on another line: tp
            ("a", "taboo.overpromise", 5, "保证"),  // optional and found: neither
            ("b", "threat.regulator", 2, "消协"),   // not labelled: false alarm
            ("c", "threat.repeat", 1, "第三次"),    // required and found: tp
            ("c", "threat.repeat", 6, "又打了"),    // the same pair again: ignored
            ("e", "taboo.impatience", 3, "听不懂"), // a conversation with no row: false alarm
        ]);
        let score = score(&labels, &found);
        let table = [
            ("threat.regulator", (1, 1, 0)),
            ("threat.legal", (0, 0, 1)), // required, not found: miss
            ("threat.repeat", (1, 0, 0)),
            ("threat.media", (0, 0, 0)), // optional, not found: neither
            ("taboo.overpromise", (0, 0, 0)),
            ("taboo.impatience", (0, 1, 0)),
            ("taboo.deflect", (0, 0, 0)),
        ];
        for (category, expected) in table {
            assert_eq!(counts(&score, category), expected, "{category}");
        }
        let missed: Vec<_> = score.misses.iter().map(|l| (l.conversation.as_str(), l.line)).collect();
        assert_eq!(missed, [("b", 2)]);
        let alarms: Vec<_> = score
            .false_alarms
            .iter()
            .map(|p| (p.conversation.as_str(), p.category.id()))
            .collect();
        assert_eq!(alarms, [("b", "threat.regulator"), ("e", "taboo.impatience")]);

        let evaluation = Evaluation::new(5, &labels, &score);
        let overall = evaluation.overall;
        assert_eq!((overall.tp, overall.fp, overall.fn_), (2, 2, 1));
        assert_eq!(overall.precision, Some(0.5));
        assert_eq!(overall.recall, Some(2.0 / 3.0));
        assert_eq!(overall.f1, Some(4.0 / 7.0));
        assert_eq!((evaluation.labels.required, evaluation.labels.optional), (3, 2));
    }

    #[test]
    fn nothing_to_measure_is_no_figure() {
        let empty = Figures::from(Counts::default());
        assert_eq!((empty.precision, empty.recall, empty.f1), (None, None, None));
        let only_misses = Figures::from(Counts {
            false_negatives: 2,
            ..Counts::default()
        });
        assert_eq!(
            (only_misses.precision, only_misses.recall, only_misses.f1),
            (None, Some(0.0), Some(0.0))
        );
    }

    #[test]
    fn every_problem_of_a_labels_file_names_its_line() {
        let table: [(&str, &str); 6] = [
            (
                "a,threat.medai,3,required,",
                "line 2: unknown category `threat.medai` (did you mean threat.media?)",
            ),
            (
                "a,threat.media,3,maybe,",
                "line 2: kind `maybe` is neither `required` nor `optional`",
            ),
            ("a,threat.media,0,required,", "line 2: line `0` is not a line number"),
            ("a,threat.media,,required,", "line 2: line `` is not a line number"),
            (",threat.media,3,required,", "line 2: no conversation id"),
            (
                "a,threat.media,3,required,\na,threat.media,5,optional,",
                "line 3: a second row for conversation `a` and threat.media (the first is line 2)",
            ),
        ];
        for (rows, expected) in table {
            let csv = format!("conversation,category,line,kind,note\n{rows}\n");
            let problems = parse_labels(csv.as_bytes()).expect_err(rows);
            assert!(problems.iter().any(|p| p.starts_with(expected)), "{rows}: {problems:?}");
        }
        let problems = parse_labels("file,label\na,threat.media\n".as_bytes()).unwrap_err();
        assert!(
            problems[0].starts_with("line 1: the header is `file,label`"),
            "{problems:?}"
        );
        assert!(parse_labels(b"\xff\xfe").is_err());
    }

    #[test]
    fn a_labels_file_saved_by_excel_reads_the_same() {
        let with_bom = format!("\u{FEFF}{LABELS}").replace('\n', "\r\n");
        let read = labels(&with_bom);
        assert_eq!(read.len(), 5);
        assert_eq!(read[0].conversation, "a");
        let rows: Vec<u64> = read.iter().map(|l| l.row).collect();
        assert_eq!(rows, [2, 3, 4, 5, 6], "the lines of the file, CRLF or not");
        assert_eq!(read[4].kind, LabelKind::Optional);
        assert_eq!(read[4].note, "@了记者");
    }
}
