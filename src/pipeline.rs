//! The only place that knows the order of the stages and the threads.
//!
//! One reader walks the inputs in order and queues work: a small file (most calls) as a whole,
//! for a worker to read, parse and scan; a large file (a chat export) conversation by
//! conversation, parsed by the reader as it streams — except that a JSON Lines log's records
//! are parsed on the workers, chunk by chunk (the reader lends them as an [`input::Offload`]),
//! and the reader only reads lines and groups messages. Workers on a rayon pool scan (the
//! detectors of [`crate::detect`], then score); the calling thread writes the results strictly
//! in input order. A window keeps the reader at most [`WINDOW_PER_THREAD`] items per thread
//! ahead of the writer, so memory stays flat whether the night is 100,000 small calls or one
//! 200 MB chat export, and two runs give the same bytes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::category::{Category, Severity, Speaker};
use crate::config::{Engine, LedgerSettings, ScanConfig};
use crate::detect::detect;
use crate::detect::finding::dedupe;
use crate::error::Error;
use crate::input::{self, Event, Found, Input, InputProblem};
use crate::ledger::Ledger;
use crate::ledger::night::{self, Facts, Plan};
use crate::ledger::topics::Topics;
use crate::report::Reports;
use crate::report::folder::FolderError;
use crate::report::sidecar::{self, InputDone, Trailer};
use crate::score::{LineFinding, ScannedConversation, assess};
use crate::transcript::Conversation;

/// Problems kept in memory for stderr; the rest are only counted (errors.csv has them all).
const KEPT_PROBLEMS: usize = 1000;

/// Items (files or conversations) the reader may run ahead of the writer, per worker thread.
const WINDOW_PER_THREAD: u64 = 128;

/// Files up to this size are read, parsed and scanned whole by one worker; larger files and
/// stdin are streamed by the reader.
const SMALL_FILE: u64 = 256 * 1024;

/// Small files are handed out in batches, so a night of 3 KB calls does not cost a thread
/// hand-over per call: at most this many files or bytes per batch.
const BATCH_FILES: usize = 64;
const BATCH_BYTES: u64 = 1 << 20;

/// What a run did, for the summary and the exit status.
#[derive(Debug, Default)]
pub struct Outcome {
    pub inputs: usize,
    pub scanned: usize,
    pub failed: usize,
    /// Lines or records that could not be read, in inputs that were otherwise scanned.
    pub line_problems: usize,
    pub skipped: usize,
    /// The skipped files were named on stderr as they were passed over (`--list-skipped`).
    pub skipped_listed: bool,
    pub conversations: usize,
    pub bytes: u64,
    pub counted: [usize; Category::ALL.len()],
    /// Conversations per risk level: none, low, medium, high, critical.
    pub by_risk: [usize; 5],
    pub fail_on_reached: bool,
    pub elapsed: Duration,
    pub reports: Vec<PathBuf>,
    /// The first problems, in input order, for stderr (all are in errors.csv).
    pub problems: Vec<InputProblem>,
    /// Problems past the first thousand, counted only.
    pub problems_not_kept: usize,
    /// Inputs with utterances whose speaker is unknown, and the first of them with counts.
    pub unknown_speaker_inputs: usize,
    pub unknown_speaker_examples: Vec<UnknownSpeakers>,
    /// With `--ledger`: what the night did to the ledger.
    pub ledger: Option<LedgerSummary>,
}

impl Outcome {
    /// The errors.csv the run wrote, if it wrote one (not with `--no-reports`).
    pub fn errors_csv(&self) -> Option<&std::path::Path> {
        self.reports
            .iter()
            .find(|path| path.ends_with("errors.csv"))
            .map(PathBuf::as_path)
    }
}

/// What one night recorded in the ledger, for stderr.
#[derive(Debug, Clone, Default)]
pub struct LedgerSummary {
    pub path: PathBuf,
    pub recorded: usize,
    pub complaints: usize,
    /// Conversations that are a repeat complaint tonight, and customers (per problem) over
    /// the threshold.
    pub repeats: usize,
    pub customers: usize,
    pub no_key: usize,
    pub no_time: usize,
    pub pruned: usize,
}

/// An input in which some utterances have no known speaker (a label callrisk does not know).
#[derive(Debug, Clone)]
pub struct UnknownSpeakers {
    pub file: String,
    pub unknown: usize,
    pub utterances: usize,
}

/// Inputs with unknown speakers named on stderr; the rest are counted.
const UNKNOWN_SPEAKER_EXAMPLES: usize = 10;

/// Work for a worker, numbered in input order.
enum Work {
    /// A conversation the reader parsed out of a large input.
    Conversation { seq: u64, conversation: Conversation },
    /// Consecutive small inputs, to read, parse and scan whole, in order (each with its
    /// place in the walk).
    Files { seq: u64, inputs: Vec<(u64, Input)> },
    /// Parsing work the reader hands over while it streams a large input (JSON Lines records
    /// into messages); its result goes back to the reader, not to the writer.
    Job(input::Job),
}

/// The workers, lent to the reader for parsing a large input: jobs share the queue with the
/// conversations to scan. A job that cannot be queued (the run is stopping) runs at once.
struct Workers {
    work: Sender<Work>,
    count: usize,
}

impl input::Offload for Workers {
    fn run(&self, job: input::Job) {
        if let Err(crossbeam_channel::SendError(Work::Job(job))) = self.work.send(Work::Job(job)) {
            job()
        }
    }

    fn width(&self) -> usize {
        self.count
    }
}

/// What a small file gave, in order.
enum Item {
    Scanned(Box<ScannedConversation>),
    Problem(InputProblem),
}

/// What one small input gave.
struct FileResult {
    at: u64,
    name: String,
    items: Vec<Item>,
    result: Result<u64, InputProblem>,
}

/// What reaches the writer, numbered in input order.
enum Done {
    /// A large input starts: its conversations follow.
    FileStart {
        seq: u64,
        at: u64,
        name: String,
    },
    Scanned {
        seq: u64,
        scanned: Box<ScannedConversation>,
    },
    Problem {
        seq: u64,
        problem: InputProblem,
    },
    /// A conversation of a large input whose scan panicked (a bug): listed, the rest goes on.
    Failed {
        seq: u64,
        line: Option<usize>,
        reason: String,
    },
    FileEnd {
        seq: u64,
        result: Result<u64, InputProblem>,
    },
    Files {
        seq: u64,
        files: Vec<FileResult>,
    },
    /// A path the walk could not use (missing, unreadable, a symlink loop).
    Unusable {
        seq: u64,
        at: u64,
        problem: InputProblem,
    },
    /// A file the walk passed over.
    Skipped {
        seq: u64,
        path: PathBuf,
        why: input::Skip,
    },
    /// The walk is over: what it found in all.
    WalkEnd {
        seq: u64,
        walk: Trailer,
    },
}

impl Done {
    fn seq(&self) -> u64 {
        match self {
            Done::FileStart { seq, .. }
            | Done::Scanned { seq, .. }
            | Done::Problem { seq, .. }
            | Done::Failed { seq, .. }
            | Done::FileEnd { seq, .. }
            | Done::Files { seq, .. }
            | Done::Unusable { seq, .. }
            | Done::Skipped { seq, .. }
            | Done::WalkEnd { seq, .. } => *seq,
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

/// Where the writer puts each result, in input order: the report folder for `scan`, a tally
/// in memory for `eval`.
pub trait Destination {
    fn conversation(&mut self, file: &str, scanned: &ScannedConversation) -> std::io::Result<()>;
    fn problem(&mut self, problem: &InputProblem) -> std::io::Result<()>;
    /// An input is done: its conversations and problems came before.
    fn input_done(&mut self, _done: &InputDone) -> std::io::Result<()> {
        Ok(())
    }
    /// The walk is over (after every input).
    fn walk_done(&mut self, _walk: Trailer) {}
}

impl Destination for Reports {
    fn conversation(&mut self, file: &str, scanned: &ScannedConversation) -> std::io::Result<()> {
        Reports::conversation(self, file, scanned)
    }

    fn problem(&mut self, problem: &InputProblem) -> std::io::Result<()> {
        Reports::problem(self, problem)
    }

    fn input_done(&mut self, done: &InputDone) -> std::io::Result<()> {
        Reports::input_done(self, done)
    }

    fn walk_done(&mut self, walk: Trailer) {
        Reports::walk_done(self, walk)
    }
}

/// Scan every input and write the reports into `config.out_dir`, as one set.
///
/// On Linux this also turns transparent huge pages off for the rest of the process (see
/// `no_huge_pages_from_here`): a program embedding the library keeps that setting.
pub fn scan(config: &ScanConfig) -> Result<Outcome, Error> {
    let started = Instant::now();
    no_huge_pages_from_here();
    let out_dir = config
        .out_dir
        .as_ref()
        .ok_or_else(|| Error::Usage("no report folder to write into".to_string()))?;
    let report_error = |source| Error::writing(out_dir, source);
    // The ledger first: a second run on it is told at once, before any work.
    let ledger = match &config.ledger {
        Some(settings) => Some(Ledger::open_for_writing(&settings.path)?),
        None => None,
    };
    let mut reports = Reports::create(out_dir, &config.inputs, config.report.clone()).map_err(|e| match e {
        FolderError::Unusable(message) => Error::Usage(message),
        FolderError::Io(source) => report_error(source),
    })?;
    if let Some(shard) = &config.shard {
        let header = sidecar::Header {
            format: sidecar::FORMAT.to_string(),
            version: sidecar::VERSION,
            callrisk: env!("CARGO_PKG_VERSION").to_string(),
            shard: shard.spec.index,
            of: shard.spec.count,
            settings: shard.settings.clone(),
        };
        if !reports.keep_for_merge(&header).map_err(report_error)? {
            return Err(Error::Usage(
                "--shard keeps its records in the report folder for `callrisk merge`: drop --no-reports".into(),
            ));
        }
    }
    // With the ledger, the night is counted (a first reading) before any report is written,
    // so the repeat findings are in every report, in call-time order whatever the input order.
    let plan = match (&ledger, &config.ledger) {
        (Some(ledger), Some(settings)) => Some(count_night(config, ledger, settings)?),
        _ => None,
    };
    let mut outcome = scan_into_with(config, plan.as_ref(), &mut reports, report_error)?;
    if let (Some(plan), Some(settings)) = (&plan, &config.ledger) {
        reports.repeats(&plan.rows).map_err(report_error)?;
        outcome.ledger = Some(LedgerSummary {
            path: settings.path.clone(),
            recorded: plan.recorded,
            complaints: plan.complaints,
            repeats: plan.repeats(),
            customers: plan.rows.len(),
            no_key: plan.no_key,
            no_time: plan.no_time,
            pruned: plan.pruned,
        });
    }
    let facts = crate::report::RunFacts::of(&outcome);
    outcome.reports = reports.finish(&facts).map_err(report_error)?;
    // Committed only now that the reports are in place: a run that dies before leaves the
    // ledger as it was, and its rerun counts the night once.
    if let Some(ledger) = ledger {
        ledger.commit()?;
    }
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

/// The first reading of a `--ledger` run: every conversation's facts, recorded in the
/// ledger's open transaction, then the rule.
fn count_night(config: &ScanConfig, ledger: &Ledger, settings: &LedgerSettings) -> Result<Plan, Error> {
    struct Collect<'a> {
        facts: Vec<Facts>,
        topics: &'a Topics,
        ledger: &'a Ledger,
    }
    impl Destination for Collect<'_> {
        fn conversation(&mut self, file: &str, scanned: &ScannedConversation) -> std::io::Result<()> {
            self.facts.push(Facts::read(file, scanned, self.topics, self.ledger));
            Ok(())
        }
        fn problem(&mut self, _: &InputProblem) -> std::io::Result<()> {
            // The second reading reports every problem.
            Ok(())
        }
    }
    let mut collect = Collect {
        facts: Vec::new(),
        topics: &settings.topics,
        ledger,
    };
    scan_into(config, &mut collect, |source| Error::Output { source })?;
    if let Some(meta) = &config.parse.meta {
        meta.reset_counts();
    }
    Ok(night::count(ledger, collect.facts, settings.rule)?)
}

/// Scan every input exactly as [`scan`] does and hand each result to `destination`, in input
/// order; `failed` says what a failure of the destination means for the run.
pub fn scan_into(
    config: &ScanConfig,
    destination: &mut dyn Destination,
    failed: impl Fn(std::io::Error) -> Error,
) -> Result<Outcome, Error> {
    scan_into_with(config, None, destination, failed)
}

/// [`scan_into`], with the ledger's repeat findings added to their conversations.
fn scan_into_with(
    config: &ScanConfig,
    plan: Option<&Plan>,
    destination: &mut dyn Destination,
    failed: impl Fn(std::io::Error) -> Error,
) -> Result<Outcome, Error> {
    let started = Instant::now();
    let mut outcome = Outcome::default();

    let workers = config.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers + 1)
        .thread_name(|i| format!("callrisk-{i}"))
        .build()
        .map_err(|e| Error::Threads {
            threads: workers + 1,
            message: e.to_string(),
        })?;
    let progress = progress_bar(config.quiet);
    let window = Window {
        written: Mutex::new(0),
        moved: Condvar::new(),
        size: WINDOW_PER_THREAD * workers as u64,
        cancelled: AtomicBool::new(false),
    };
    let (work_tx, work_rx) = crossbeam_channel::bounded::<Work>(workers * 4);
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<Done>();

    let sizes = Sizes::default();
    let written = std::thread::scope(|threads| {
        let window = &window;
        let sizes = &sizes;
        threads.spawn(move || {
            pool.scope(move |scope| {
                let reader_done = done_tx.clone();
                scope.spawn(move |_| read_inputs(config, work_tx, reader_done, window, sizes));
                for _ in 0..workers {
                    let (work_rx, done_tx) = (work_rx.clone(), done_tx.clone());
                    scope.spawn(move |_| scan_work(work_rx, done_tx, config));
                }
            })
        });
        let result = write_in_order(
            done_rx,
            config,
            plan,
            destination,
            &mut outcome,
            window,
            &progress,
            sizes,
        );
        if result.is_err() {
            window.cancel();
        }
        result
    });
    progress.finish_and_clear();
    written.map_err(failed)?;
    outcome.inputs = outcome.scanned + outcome.failed;
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

/// The reader: walks the inputs in order; small ones go to the workers in batches, large ones
/// are parsed here and their conversations streamed.
fn read_inputs(config: &ScanConfig, work: Sender<Work>, done: Sender<Done>, window: &Window, sizes: &Sizes) {
    let mut exclude: Vec<PathBuf> = config.out_dir.iter().cloned().collect();
    exclude.extend(config.not_inputs.iter().cloned());
    let mut reader = Reader {
        config,
        work,
        done,
        window,
        seq: 0,
        at: 0,
        batch: Vec::new(),
        batch_bytes: 0,
    };
    // With --shard every shard walks every argument, so each find has the same place in the
    // walk on every machine, and takes the finds whose key is its own.
    let mut digest = crate::shard::WalkDigest::default();
    let mut taken = 0;
    let mut go_on = true;
    input::walk_keyed(&config.inputs, &exclude, &mut |key, found| {
        let at = reader.at;
        reader.at += 1;
        if let Some(shard) = &config.shard {
            digest.add(key.arg, &key.relative);
            if !shard.spec.owns(&key.relative) {
                return true;
            }
            taken += 1;
        }
        if let Found::Input(input) = &found {
            match input.size {
                Some(n) => {
                    sizes.total.fetch_add(n, Ordering::Relaxed);
                }
                None => sizes.open_ended.store(true, Ordering::Relaxed),
            }
        }
        go_on = reader.found(at, found);
        go_on
    });
    let walk = Trailer {
        found: reader.at,
        walk: digest.hex(),
        taken,
        skipped: 0,
    };
    let _ = go_on && reader.flush() && reader.send_done(|seq| Done::WalkEnd { seq, walk });
}

/// The reader's state: the next sequence number and the batch of small files being filled.
struct Reader<'a> {
    config: &'a ScanConfig,
    work: Sender<Work>,
    done: Sender<Done>,
    window: &'a Window,
    seq: u64,
    /// The place in the walk of the next find.
    at: u64,
    batch: Vec<(u64, Input)>,
    batch_bytes: u64,
}

impl Reader<'_> {
    /// Take one find of the walk; false stops the walk (the run was cancelled).
    fn found(&mut self, at: u64, found: Found) -> bool {
        match found {
            Found::Skipped { path, why } => self.flush() && self.send_done(|seq| Done::Skipped { seq, path, why }),
            Found::Problem(problem) => self.flush() && self.send_done(|seq| Done::Unusable { seq, at, problem }),
            Found::Input(input) => match input.size.filter(|&n| n <= SMALL_FILE) {
                Some(size) => {
                    self.batch_bytes += size;
                    self.batch.push((at, input));
                    if self.batch.len() >= BATCH_FILES || self.batch_bytes >= BATCH_BYTES {
                        return self.flush();
                    }
                    true
                }
                None => self.flush() && self.stream(at, &input),
            },
        }
    }

    /// Hand the batch of small files to the workers.
    fn flush(&mut self) -> bool {
        if self.batch.is_empty() {
            return true;
        }
        let inputs = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        if !self.window.admit(self.seq) || self.work.send(Work::Files { seq: self.seq, inputs }).is_err() {
            return false;
        }
        self.seq += 1;
        true
    }

    fn send_done(&mut self, item: impl FnOnce(u64) -> Done) -> bool {
        if !self.window.admit(self.seq) || self.done.send(item(self.seq)).is_err() {
            return false;
        }
        self.seq += 1;
        true
    }

    /// Parse a large input here, conversation by conversation.
    fn stream(&mut self, at: u64, input: &Input) -> bool {
        if !self.send_done(|seq| Done::FileStart {
            seq,
            at,
            name: input.name.clone(),
        }) {
            return false;
        }
        let mut stopped = false;
        let config = self.config;
        let workers = Workers {
            work: self.work.clone(),
            count: config.threads.max(1),
        };
        let result = crate::guard::isolate(|| {
            input::read_with(input, &config.parse, &workers, &mut |event| {
                if stopped || !self.window.admit(self.seq) {
                    stopped = true;
                    return;
                }
                let sent = match event {
                    Event::Conversation(conversation) => self
                        .work
                        .send(Work::Conversation {
                            seq: self.seq,
                            conversation,
                        })
                        .is_ok(),
                    Event::Problem { line, reason } => {
                        let problem = InputProblem {
                            file: input.name.clone(),
                            line,
                            reason,
                        };
                        self.done.send(Done::Problem { seq: self.seq, problem }).is_ok()
                    }
                };
                stopped = !sent;
                self.seq += 1;
            })
        })
        .unwrap_or_else(|reason| {
            Err(InputProblem {
                file: input.name.clone(),
                line: None,
                reason: input::InputError::Internal(reason).to_string(),
            })
        });
        !stopped && self.send_done(|seq| Done::FileEnd { seq, result })
    }
}

/// A worker: scan conversations, and read and scan small files, until the queue closes.
fn scan_work(work: Receiver<Work>, done: Sender<Done>, config: &ScanConfig) {
    let (engine, min_severity) = (&config.engine, config.min_severity);
    for job in work {
        let result = match job {
            Work::Job(job) => {
                // The job reports to the reader, and catches its own panics; this is a backstop.
                let _ = crate::guard::isolate(job);
                continue;
            }
            Work::Conversation { seq, conversation } => {
                let line = conversation.utterances.first().map(|u| u.line);
                match crate::guard::isolate(|| scan_conversation(conversation, engine, min_severity)) {
                    Ok(scanned) => Done::Scanned {
                        seq,
                        scanned: Box::new(scanned),
                    },
                    Err(reason) => Done::Failed { seq, line, reason },
                }
            }
            Work::Files { seq, inputs } => {
                let files = inputs
                    .into_iter()
                    .map(|(at, input)| {
                        // A panic while reading or scanning this file fails this file alone.
                        crate::guard::isolate(|| {
                            let mut items = Vec::new();
                            let result = input::read(&input, &config.parse, &mut |event| match event {
                                Event::Conversation(c) => {
                                    items.push(Item::Scanned(Box::new(scan_conversation(c, engine, min_severity))))
                                }
                                Event::Problem { line, reason } => items.push(Item::Problem(InputProblem {
                                    file: input.name.clone(),
                                    line,
                                    reason,
                                })),
                            });
                            (items, result)
                        })
                        .map_or_else(
                            |reason| FileResult {
                                at,
                                name: input.name.clone(),
                                items: Vec::new(),
                                result: Err(InputProblem {
                                    file: input.name.clone(),
                                    line: None,
                                    reason: input::InputError::Internal(reason).to_string(),
                                }),
                            },
                            |(items, result)| FileResult {
                                at,
                                name: input.name.clone(),
                                items,
                                result,
                            },
                        )
                    })
                    .collect();
                Done::Files { seq, files }
            }
        };
        if done.send(result).is_err() {
            return;
        }
    }
}

/// The writer: results back into input order, then to the destination.
#[allow(clippy::too_many_arguments)]
fn write_in_order(
    done: Receiver<Done>,
    config: &ScanConfig,
    plan: Option<&Plan>,
    destination: &mut dyn Destination,
    outcome: &mut Outcome,
    window: &Window,
    progress: &ProgressBar,
    sizes: &Sizes,
) -> std::io::Result<()> {
    let mut pending = std::collections::BTreeMap::new();
    let mut next = 0u64;
    let mut writer = Writer {
        config,
        plan,
        destination,
        outcome,
        progress,
        sizes,
        file: String::new(),
        at: 0,
        unknown: (0, 0),
    };
    for item in done {
        pending.insert(item.seq(), item);
        while let Some(item) = pending.remove(&next) {
            match item {
                Done::FileStart { name, at, .. } => (writer.file, writer.at) = (name, at),
                Done::Scanned { scanned, .. } => writer.scanned(&scanned)?,
                Done::Problem { problem, .. } => writer.problem(problem)?,
                Done::Failed { line, reason, .. } => {
                    let file = writer.file.clone();
                    writer.problem(InputProblem { file, line, reason })?
                }
                Done::FileEnd { result, .. } => writer.end_file(result)?,
                Done::Files { files, .. } => {
                    for FileResult {
                        at,
                        name,
                        items,
                        result,
                    } in files
                    {
                        (writer.file, writer.at) = (name, at);
                        for item in items {
                            match item {
                                Item::Scanned(scanned) => writer.scanned(&scanned)?,
                                Item::Problem(problem) => writer.problem(problem)?,
                            }
                        }
                        writer.end_file(result)?;
                    }
                }
                Done::Unusable { problem, at, .. } => {
                    (writer.file, writer.at) = (problem.file.clone(), at);
                    writer.end_file(Err(problem))?
                }
                Done::WalkEnd { walk, .. } => writer.destination.walk_done(walk),
                Done::Skipped { path, why, .. } => {
                    writer.outcome.skipped += 1;
                    writer.outcome.skipped_listed = config.list_skipped;
                    if config.list_skipped {
                        let path = path.display().to_string();
                        crate::messages::error_line(&format!(
                            "passed over {}: {}",
                            crate::messages::shown(&path),
                            why.describe()
                        ));
                    }
                }
            }
            next += 1;
            window.advance(next);
        }
    }
    Ok(())
}

/// Writes one item of the ordered stream to the destination and the tallies.
struct Writer<'a> {
    config: &'a ScanConfig,
    /// The ledger's repeat findings (`--ledger`), added before anything is tallied.
    plan: Option<&'a Plan>,
    destination: &'a mut dyn Destination,
    outcome: &'a mut Outcome,
    progress: &'a ProgressBar,
    sizes: &'a Sizes,
    /// The name of the input the items being written come from, and its place in the walk.
    file: String,
    at: u64,
    /// Utterances of this input with an unknown speaker, and all its utterances.
    unknown: (usize, usize),
}

impl Writer<'_> {
    fn scanned(&mut self, scanned: &ScannedConversation) -> std::io::Result<()> {
        let with_repeat = self
            .plan
            .and_then(|plan| plan.repeat(&self.file, &scanned.conversation.id))
            .and_then(|repeat| repeat.apply(scanned, &self.config.engine, self.config.min_severity));
        let scanned = with_repeat.as_ref().unwrap_or(scanned);
        self.outcome.conversations += 1;
        self.outcome.by_risk[scanned.assessment.risk_level.map_or(0, |s| s as usize + 1)] += 1;
        let utterances = &scanned.conversation.utterances;
        self.unknown.0 += utterances.iter().filter(|u| u.speaker == Speaker::Unknown).count();
        self.unknown.1 += utterances.len();
        for lf in scanned.findings.iter().filter(|lf| lf.finding.counts()) {
            self.outcome.counted[lf.finding.category.index()] += 1;
            self.outcome.fail_on_reached |= self.config.fail_on.is_some_and(|level| lf.finding.severity >= level);
        }
        if self.outcome.conversations.is_multiple_of(256) {
            update_progress(self.progress, self.sizes, self.outcome);
        }
        self.destination.conversation(&self.file, scanned)
    }

    fn problem(&mut self, problem: InputProblem) -> std::io::Result<()> {
        self.destination.problem(&problem)?;
        self.outcome.line_problems += 1;
        self.keep(problem);
        Ok(())
    }

    /// Keep a problem for stderr; past a thousand, only count them (errors.csv has them all).
    fn keep(&mut self, problem: InputProblem) {
        if self.outcome.problems.len() < KEPT_PROBLEMS {
            self.outcome.problems.push(problem);
        } else {
            self.outcome.problems_not_kept += 1;
        }
    }

    /// An input is done: scanned (with its bytes) or failed.
    fn end_file(&mut self, result: Result<u64, InputProblem>) -> std::io::Result<()> {
        let (unknown, utterances) = std::mem::take(&mut self.unknown);
        if unknown > 0 {
            self.outcome.unknown_speaker_inputs += 1;
            if self.outcome.unknown_speaker_examples.len() < UNKNOWN_SPEAKER_EXAMPLES {
                self.outcome.unknown_speaker_examples.push(UnknownSpeakers {
                    file: self.file.clone(),
                    unknown,
                    utterances,
                });
            }
        }
        let bytes = match result {
            Ok(bytes) => {
                self.outcome.scanned += 1;
                self.outcome.bytes += bytes;
                Some(bytes)
            }
            Err(problem) => {
                self.destination.problem(&problem)?;
                self.outcome.failed += 1;
                self.keep(problem);
                None
            }
        };
        self.destination.input_done(&InputDone {
            at: self.at,
            file: crate::redact::redact(&self.file).into_owned(),
            bytes,
            unknown_speakers: unknown,
            utterances,
        })?;
        update_progress(self.progress, self.sizes, self.outcome);
        Ok(())
    }
}

/// detect → keep one finding per category and line → risk and the sheet's score, for one
/// conversation.
pub fn scan_conversation(conversation: Conversation, engine: &Engine, min_severity: Severity) -> ScannedConversation {
    let detected = detect(&conversation, engine);
    let mut findings: Vec<LineFinding> = detected
        .lines
        .into_iter()
        .flat_map(|(index, judged)| {
            dedupe(judged).into_iter().map(move |finding| LineFinding {
                utterance: index,
                finding,
            })
        })
        .collect();
    // What QA rejected counts nowhere: not in the risk, not on the QA sheet.
    crate::review::exclusion::apply(&engine.lexicon.exclusions, &conversation, &mut findings);
    // The sheet scores every counted finding, whatever --min-severity leaves in the reports.
    let sheet = engine
        .scorecard
        .score(&findings, &detected.checks, conversation.agent_spoke());
    findings.retain(|f| f.finding.severity >= min_severity);
    let assessment = assess(&findings, &engine.lexicon);
    ScannedConversation {
        conversation,
        findings,
        assessment,
        checks: detected.checks,
        sheet,
    }
}

/// The lexicon is built (its few large allocations stay for the run, where transparent huge
/// pages serve start-up well); from here, conversations, buffers and sheets come and go, and
/// each new 2 MiB huge page the allocator's arenas touch is zeroed whole by the kernel: on a
/// 200 MB log that was up to 15% of the run's CPU, varying from run to run, and it raised the peak
/// memory by a third. Ask Linux for ordinary pages from now on (`PR_SET_THP_DISABLE`); elsewhere, or
/// where the kernel refuses, nothing changes but the speed.
fn no_huge_pages_from_here() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// What the progress bar shows, shared by the reader (sizes found) and the writer.
#[derive(Default)]
struct Sizes {
    /// Bytes of the inputs found so far (files whose size the walk knows).
    total: AtomicU64,
    /// An input of unknown size (stdin, a FIFO) was found: no total, no ETA.
    open_ended: AtomicBool,
}

/// The progress bar: bytes read (of the total and with an ETA once the walk is over and every
/// size is known), inputs and conversations. Drawn only on a terminal, never with `-q`.
fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bytes} read · {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Move the bar: bytes read so far, and the total with an ETA when it is known.
fn update_progress(bar: &ProgressBar, sizes: &Sizes, outcome: &Outcome) {
    if bar.is_hidden() {
        return;
    }
    bar.set_position(input::bytes_read());
    // The total grows while the walk goes on (it streams), so the ETA is a little short until
    // the walk is over; stdin and FIFOs have no size, and then there is no total at all.
    let total = sizes.total.load(Ordering::Relaxed);
    if !sizes.open_ended.load(Ordering::Relaxed) && total > 0 {
        if bar.length().is_none() {
            let template = "{spinner} [{elapsed_precise}] {bytes}/{total_bytes} ({eta} left) · {msg}";
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
        }
        bar.set_length(total.max(bar.position()));
    }
    bar.set_message(format!(
        "{} inputs, {} conversations",
        outcome.scanned + outcome.failed,
        outcome.conversations
    ));
}
