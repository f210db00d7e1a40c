//! The only place that knows the order of the stages and the threads.
//!
//! One reader walks the inputs in order and streams their conversations into a bounded queue;
//! workers on a rayon pool scan them (normalise → match → confirm → score); the calling
//! thread writes the results strictly in input order. A window keeps the reader at most
//! [`WINDOW_PER_THREAD`] conversations per thread ahead of the writer, so memory stays flat
//! whether the night is 100,000 small calls or one 200 MB chat export, and two runs give the
//! same bytes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::category::{Category, Severity};
use crate::config::{Engine, ScanConfig};
use crate::context::{Context, Finding, dedupe};
use crate::error::Error;
use crate::input::{self, Event, Input, InputProblem};
use crate::normalize::{Normalized, normalize};
use crate::privacy;
use crate::report::Reports;
use crate::score::{LineFinding, ScannedConversation, assess};
use crate::transcript::Conversation;

/// Conversations the reader may run ahead of the writer, per worker thread.
const WINDOW_PER_THREAD: u64 = 256;

/// What a run did, for the summary and the exit status.
#[derive(Debug, Default)]
pub struct Outcome {
    pub inputs: usize,
    pub scanned: usize,
    pub failed: usize,
    /// Lines or records that could not be read, in inputs that were otherwise scanned.
    pub line_problems: usize,
    pub skipped: usize,
    pub conversations: usize,
    pub bytes: u64,
    pub counted: [usize; Category::ALL.len()],
    pub fail_on_reached: bool,
    pub elapsed: Duration,
    pub reports: Vec<PathBuf>,
    /// Problems, in input order, for stderr.
    pub problems: Vec<InputProblem>,
}

/// A conversation to scan, numbered in input order.
struct Work {
    seq: u64,
    conversation: Conversation,
}

/// What reaches the writer, numbered in input order.
enum Done {
    Scanned {
        seq: u64,
        scanned: Box<ScannedConversation>,
    },
    Problem {
        seq: u64,
        problem: InputProblem,
    },
    FileEnd {
        seq: u64,
        file: usize,
        result: Result<u64, InputProblem>,
    },
}

impl Done {
    fn seq(&self) -> u64 {
        match self {
            Done::Scanned { seq, .. } | Done::Problem { seq, .. } | Done::FileEnd { seq, .. } => *seq,
        }
    }
}

/// How far the writer has got, so the reader can wait for it.
struct Window {
    written: Mutex<u64>,
    moved: Condvar,
    size: u64,
    cancelled: AtomicBool,
}

impl Window {
    /// Wait until `seq` is within the window; false if the run was cancelled.
    fn admit(&self, seq: u64) -> bool {
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        while seq >= *written + self.size {
            if self.cancelled.load(Ordering::Relaxed) {
                return false;
            }
            written = self
                .moved
                .wait_timeout(written, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        !self.cancelled.load(Ordering::Relaxed)
    }

    fn advance(&self, to: u64) {
        *self.written.lock().unwrap_or_else(|e| e.into_inner()) = to;
        self.moved.notify_all();
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
        self.moved.notify_all();
    }
}

pub fn scan(config: &ScanConfig) -> Result<Outcome, Error> {
    let started = Instant::now();
    let report_error = |source| Error::Report {
        dir: config.out_dir.clone(),
        source,
    };
    let mut exclude = vec![config.out_dir.clone()];
    exclude.extend(config.meta_path.clone());
    let discovery = input::discover(&config.inputs, &exclude);
    let mut reports = Reports::create(&config.out_dir, config.report).map_err(report_error)?;
    let mut outcome = Outcome {
        skipped: discovery.skipped,
        ..Outcome::default()
    };
    for problem in &discovery.problems {
        reports.problem(problem).map_err(report_error)?;
        outcome.failed += 1;
        outcome.problems.push(problem.clone());
    }
    outcome.inputs = discovery.inputs.len() + discovery.problems.len();

    let workers = config.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers + 1)
        .thread_name(|i| format!("callrisk-{i}"))
        .build()
        .map_err(|e| Error::Threads {
            threads: workers + 1,
            message: e.to_string(),
        })?;
    let progress = progress_bar(discovery.inputs.len() as u64, config.quiet);
    let window = Window {
        written: Mutex::new(0),
        moved: Condvar::new(),
        size: WINDOW_PER_THREAD * workers as u64,
        cancelled: AtomicBool::new(false),
    };
    let (work_tx, work_rx) = crossbeam_channel::bounded::<Work>(workers * 16);
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<Done>();
    let inputs = &discovery.inputs;

    let written = std::thread::scope(|threads| {
        let window = &window;
        threads.spawn(move || {
            pool.scope(move |scope| {
                let reader_done = done_tx.clone();
                scope.spawn(move |_| read_inputs(inputs, config, work_tx, reader_done, window));
                for _ in 0..workers {
                    let (work_rx, done_tx) = (work_rx.clone(), done_tx.clone());
                    scope.spawn(move |_| scan_work(work_rx, done_tx, &config.engine, config.min_severity));
                }
            })
        });
        let result = write_in_order(done_rx, inputs, config, &mut reports, &mut outcome, window, &progress);
        if result.is_err() {
            window.cancel();
        }
        result
    });
    progress.finish_and_clear();
    written.map_err(report_error)?;
    outcome.reports = reports.finish().map_err(report_error)?;
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

/// The reader: every input in order, its conversations to the workers, the rest straight on.
fn read_inputs(inputs: &[Input], config: &ScanConfig, work: Sender<Work>, done: Sender<Done>, window: &Window) {
    let mut seq = 0u64;
    // `seq` numbers every event, several per input, not the inputs.
    #[allow(clippy::explicit_counter_loop)]
    for (file, input) in inputs.iter().enumerate() {
        let mut stopped = false;
        let mut emit = |event: Event| {
            if stopped || !window.admit(seq) {
                stopped = true;
                return;
            }
            let sent = match event {
                Event::Conversation(conversation) => work.send(Work { seq, conversation }).is_ok(),
                Event::Problem { line, reason } => {
                    let problem = InputProblem {
                        file: input.name.clone(),
                        line,
                        reason,
                    };
                    done.send(Done::Problem { seq, problem }).is_ok()
                }
            };
            stopped = !sent;
            seq += 1;
        };
        let result = input::read(input, &config.parse, &mut emit);
        if stopped || !window.admit(seq) || done.send(Done::FileEnd { seq, file, result }).is_err() {
            return;
        }
        seq += 1;
    }
}

/// A worker: scan conversations until the queue closes.
fn scan_work(work: Receiver<Work>, done: Sender<Done>, engine: &Engine, min_severity: Severity) {
    for Work { seq, conversation } in work {
        let scanned = Box::new(scan_conversation(conversation, engine, min_severity));
        if done.send(Done::Scanned { seq, scanned }).is_err() {
            return;
        }
    }
}

/// The writer: results back into input order, then into the reports.
fn write_in_order(
    done: Receiver<Done>,
    inputs: &[Input],
    config: &ScanConfig,
    reports: &mut Reports,
    outcome: &mut Outcome,
    window: &Window,
    progress: &ProgressBar,
) -> std::io::Result<()> {
    let mut pending = std::collections::BTreeMap::new();
    let mut next = 0u64;
    let mut file = 0usize;
    for item in done {
        pending.insert(item.seq(), item);
        while let Some(item) = pending.remove(&next) {
            match item {
                Done::Scanned { scanned, .. } => {
                    outcome.conversations += 1;
                    for lf in scanned.findings.iter().filter(|lf| lf.finding.counts()) {
                        outcome.counted[lf.finding.category.index()] += 1;
                        outcome.fail_on_reached |= config.fail_on.is_some_and(|level| lf.finding.severity >= level);
                    }
                    reports.conversation(&inputs[file].name, &scanned)?;
                    if outcome.conversations.is_multiple_of(1000) {
                        progress.set_message(format!("{} conversations", outcome.conversations));
                    }
                }
                Done::Problem { problem, .. } => {
                    reports.problem(&problem)?;
                    outcome.line_problems += 1;
                    outcome.problems.push(problem);
                }
                Done::FileEnd {
                    file: ended, result, ..
                } => {
                    match result {
                        Ok(bytes) => {
                            outcome.scanned += 1;
                            outcome.bytes += bytes;
                        }
                        Err(problem) => {
                            reports.problem(&problem)?;
                            outcome.failed += 1;
                            outcome.problems.push(problem);
                        }
                    }
                    file = ended + 1;
                    progress.inc(1);
                }
            }
            next += 1;
            window.advance(next);
        }
    }
    Ok(())
}

/// normalise → match → confirm, for every utterance: all verdicts, dropped ones included
/// (what `explain --verbose` shows), as (utterance index, findings of that line).
pub fn judge_conversation(conversation: &Conversation, engine: &Engine) -> Vec<(usize, Vec<Finding>)> {
    let context = Context::new(&engine.lexicon, &engine.segmenter);
    let mut judged: Vec<(usize, Vec<Finding>)> = Vec::new();
    let mut candidates = Vec::new();
    let mut previous: Option<(usize, Normalized)> = None;
    for (index, utterance) in conversation.utterances.iter().enumerate() {
        let normalized = normalize(&utterance.text);
        candidates.clear();
        engine.matcher.candidates(&normalized.text, &mut candidates);
        let personal = privacy::find(&normalized.text);
        if !candidates.is_empty() || !personal.is_empty() {
            judged.push((
                index,
                context.judge(utterance.speaker, &normalized, &candidates, &personal),
            ));
        }
        if let Some((before, first)) = &previous
            && conversation.utterances[*before].speaker == utterance.speaker
            && let Some(split) = context.judge_split(utterance.speaker, first, &normalized)
        {
            match judged.iter_mut().find(|(i, _)| i == before) {
                Some((_, findings)) => findings.push(split),
                None => judged.push((*before, vec![split])),
            }
            judged.sort_by_key(|(i, _)| *i);
        }
        previous = Some((index, normalized));
    }
    judged
}

/// judge → keep one finding per category and line → score, for one conversation.
pub fn scan_conversation(conversation: Conversation, engine: &Engine, min_severity: Severity) -> ScannedConversation {
    let findings: Vec<LineFinding> = judge_conversation(&conversation, engine)
        .into_iter()
        .flat_map(|(index, judged)| {
            dedupe(judged)
                .into_iter()
                .filter(|f| f.severity >= min_severity)
                .map(move |finding| LineFinding {
                    utterance: index,
                    finding,
                })
        })
        .collect();
    let assessment = assess(&findings, &engine.lexicon);
    ScannedConversation {
        conversation,
        findings,
        assessment,
    }
}

fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files, {msg} ({per_sec}, eta {eta})";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
