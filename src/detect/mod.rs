//! Detection: every kind of finding comes from a [`Detector`], and the detectors run in one
//! pass over a conversation's lines, in the order [`judge_conversation`] lists them.
//!
//! Each line is first normalised cheaply (no map back to the original) and matched once by
//! the one automaton (lexicon terms and script triggers), and every detector *looks* at what
//! it found: the terms detector at the terms, the script detector at its triggers, the
//! personal-number detector runs its number scanners. Only a line where some detector found something is normalised again
//! with its map, and then every detector *judges* what it found, on the mapped text, into
//! [`finding::Finding`]s of that line. Most lines of a night have nothing: they cost one cheap
//! normalisation and the looks.
//!
//! What is particular to a kind of finding lives with its detector: the repeat count's
//! severity with [`terms`], numbers read out over two lines with [`personal`]. The findings of
//! one line are then weighed together, whatever found them ([`finding::shadow_nested`]).
//!
//! One finding is not found line by line: [`repeat`], the ledger's repeat complaint, which
//! the pipeline adds to a conversation once the ledger has counted the night.
//!
//! Promise: the same findings, in the same order, whatever the number of detectors that
//! found nothing on a line; spans in the original text.

pub mod finding;
pub mod personal;
pub mod repeat;
pub mod script;
pub mod terms;
pub mod timing;

use crate::category::Speaker;
use crate::config::Engine;
use crate::matcher::{Candidate, Matcher};
use crate::normalize::{Normalized, normalize_into, normalize_text_into};
use crate::transcript::{Conversation, Utterance};
use finding::{Check, Finding, shadow_nested};

/// One kind of finding, found line by line.
pub trait Detector {
    /// Look at the current line's cheap text ([`Lines::text`]) and keep what there is to
    /// judge; true when there is something (the line is then normalised with its map).
    fn look(&mut self, lines: &Lines<'_>) -> bool;

    /// Judge what [`Detector::look`] kept, into `out`: findings of the current line, or of an
    /// earlier one (a number that started there).
    fn judge(&mut self, lines: &mut Lines<'_>, out: &mut Judged);

    /// After the last line: findings about the conversation as a whole (a script item never
    /// said, a silence), as [`Check`]s.
    fn finish(&mut self, _conversation: &Conversation, _out: &mut Judged) {}
}

/// The line being judged and the line before it, each normalised cheaply and, on demand, with
/// its map. Two buffers, swapped each line and reused, so a call costs no allocation per line.
pub struct Lines<'c> {
    conversation: &'c Conversation,
    matcher: &'c Matcher,
    index: usize,
    current: Normalized,
    previous: Normalized,
    /// What the one automaton found in the current line: lexicon terms and script triggers.
    found: Vec<Candidate>,
}

impl<'c> Lines<'c> {
    fn new(conversation: &'c Conversation, matcher: &'c Matcher) -> Lines<'c> {
        Lines {
            conversation,
            matcher,
            index: 0,
            current: Normalized::default(),
            previous: Normalized::default(),
            found: Vec::new(),
        }
    }

    /// Move on to line `index`: the current line becomes the previous one; its cheap text is
    /// matched once, for every detector.
    fn advance(&mut self, index: usize) {
        std::mem::swap(&mut self.current, &mut self.previous);
        self.index = index;
        normalize_text_into(&self.conversation.utterances[index].text, &mut self.current);
        self.found.clear();
        self.matcher.candidates_all(&self.current.text, &mut self.found);
    }

    /// What the automaton found in the current line ([`Matcher::candidates_all`]).
    pub fn found(&self) -> &[Candidate] {
        &self.found
    }

    /// Normalise the current line with its map; true when the text came out different from
    /// the cheap pass's, so what was found in it must be looked for again.
    fn map_current(&mut self) -> bool {
        if self.current.is_mapped() {
            return false;
        }
        let cheap = std::mem::take(&mut self.current.text);
        normalize_into(&self.conversation.utterances[self.index].text, &mut self.current);
        // The two passes are built to agree (a property test holds them to it); if they ever
        // do not, look again rather than judge spans of another text.
        debug_assert_eq!(self.current.text, cheap, "normalisation passes disagree");
        let changed = self.current.text != cheap;
        if changed {
            self.found.clear();
            self.matcher.candidates_all(&self.current.text, &mut self.found);
        }
        changed
    }

    /// Index of the current line in the conversation's utterances.
    pub fn index(&self) -> usize {
        self.index
    }

    pub fn utterance(&self) -> &'c Utterance {
        &self.conversation.utterances[self.index]
    }

    pub fn speaker(&self) -> Speaker {
        self.utterance().speaker
    }

    /// The current line's normalised text.
    pub fn text(&self) -> &str {
        &self.current.text
    }

    /// The current line normalised with its map (spans can be taken back to the original).
    pub fn mapped(&mut self) -> &Normalized {
        self.map_current();
        &self.current
    }

    /// [`Lines::mapped`], with the line before's normalised text beside it ("" on the first
    /// line), for rules that read it (`after_line`).
    pub fn mapped_after(&mut self) -> (&Normalized, &str) {
        self.map_current();
        (&self.current, &self.previous.text)
    }

    /// The line before, if there is one: its index and utterance.
    pub fn previous(&self) -> Option<(usize, &'c Utterance)> {
        let before = self.index.checked_sub(1)?;
        Some((before, &self.conversation.utterances[before]))
    }

    /// The line before's normalised text ("" on the first line).
    pub fn previous_text(&self) -> &str {
        &self.previous.text
    }

    /// The line before, with its map, and the current line's text.
    pub fn previous_mapped(&mut self) -> (&Normalized, &str) {
        if let Some((before, _)) = self.previous()
            && !self.previous.is_mapped()
        {
            normalize_into(&self.conversation.utterances[before].text, &mut self.previous);
        }
        (&self.previous, &self.current.text)
    }
}

/// Findings by line, as the detectors give them: (utterance index, findings of that line),
/// ascending, each line's findings sorted by position.
#[derive(Default)]
pub struct Judged {
    lines: Vec<(usize, Vec<Finding>)>,
    /// Findings of the current line, until it is done.
    current: Vec<Finding>,
    checks: Vec<Check>,
}

impl Judged {
    /// A finding of the current line.
    pub fn push(&mut self, finding: Finding) {
        self.current.push(finding);
    }

    /// A finding about the conversation's structure.
    pub fn check(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// Findings of the current line, at once.
    pub fn current(&mut self) -> &mut Vec<Finding> {
        &mut self.current
    }

    /// A finding of an earlier line, already done: added after that line's findings.
    pub fn push_earlier(&mut self, line: usize, finding: Finding) {
        match self.lines.iter_mut().find(|(i, _)| *i == line) {
            Some((_, findings)) => findings.push(finding),
            None => {
                self.lines.push((line, vec![finding]));
                self.lines.sort_by_key(|(i, _)| *i);
            }
        }
    }

    /// The current line is done: its findings in order of position, nested ones shadowed.
    fn end_line(&mut self, line: usize) {
        let mut findings = std::mem::take(&mut self.current);
        findings.sort_by_key(|f| (f.normalized.start, std::cmp::Reverse(f.normalized.end)));
        shadow_nested(&mut findings);
        self.lines.push((line, findings));
    }
}

/// The detectors, in the order they run: the script detector reads the findings of the
/// terms and personal-number detectors on the same line (a complaint, a number read out).
fn detectors(engine: &Engine) -> [Box<dyn Detector + '_>; 4] {
    [
        Box::new(terms::Terms::new(engine)),
        Box::new(personal::PersonalNumbers::new(&engine.lexicon)),
        Box::new(script::Script::new(
            &engine.lexicon.script,
            &engine.script_matcher,
            engine.matcher.primary(),
            &engine.lexicon.markers.negators,
        )),
        Box::new(timing::Timing::new(&engine.lexicon.script.timing)),
    ]
}

/// What the detectors found in one conversation.
#[derive(Debug, Clone, Default)]
pub struct Detected {
    /// Every verdict on every line, dropped ones included (what `explain --verbose` shows),
    /// as (utterance index, findings of that line), ascending.
    pub lines: Vec<(usize, Vec<Finding>)>,
    /// Script items met or missed, silences, overtalk, speech rate: in detector order.
    pub checks: Vec<Check>,
}

/// Every verdict on every line, dropped ones included (what `explain --verbose` shows), as
/// (utterance index, findings of that line).
pub fn judge_conversation(conversation: &Conversation, engine: &Engine) -> Vec<(usize, Vec<Finding>)> {
    detect(conversation, engine).lines
}

/// Run every detector over `conversation`, line by line, then on the whole.
pub fn detect(conversation: &Conversation, engine: &Engine) -> Detected {
    let mut detectors = detectors(engine);
    let mut lines = Lines::new(conversation, &engine.matcher);
    let mut judged = Judged::default();
    for index in 0..conversation.utterances.len() {
        lines.advance(index);
        let mut wanted = false;
        for detector in detectors.iter_mut() {
            wanted |= detector.look(&lines);
        }
        if wanted && lines.map_current() {
            for detector in detectors.iter_mut() {
                detector.look(&lines);
            }
        }
        for detector in detectors.iter_mut() {
            detector.judge(&mut lines, &mut judged);
            // What QA rejected weighs on nothing the next detectors read.
            let text = &lines.utterance().text;
            crate::review::exclusion::apply_line(&engine.lexicon.exclusions, text, judged.current());
        }
        if wanted {
            judged.end_line(index);
        }
    }
    for detector in detectors.iter_mut() {
        detector.finish(conversation, &mut judged);
    }
    Detected {
        lines: judged.lines,
        checks: judged.checks,
    }
}
