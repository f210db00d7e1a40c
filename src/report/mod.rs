//! Reports: each a type behind [`Report`], one file per report in this folder, all written
//! into `--out DIR`.
//!
//! [`Reports`] holds the reports the options chose, as a list. For each conversation (in
//! input order, from one writer) it builds one [`record::ConversationRecord`], with personal
//! numbers masked, and hands it to every report; likewise each problem; at the end each report
//! finishes (totals, sorting, flushing). Adding a report is one new file here and one line in
//! [`Reports::create`].
//!
//! The reports of a run are written as one set into a staging folder and swapped in whole
//! when the run is complete ([`folder`]), so an interrupted run (Ctrl-C, a kill, a panic, a
//! full disk) leaves the previous complete set, and a completed one the new complete set.
//! Rows arrive in input order from one writer, so the same input gives the same bytes.

mod agents;
pub mod cell;
mod conversations;
mod errors;
pub mod folder;
mod hits;
pub mod html;
mod json;
mod ranking;
pub mod record;
pub mod repeats;
mod scorecard;
mod sheet;
pub mod sidecar;
mod spill;
mod strings;
mod xlsx;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::input::InputProblem;
use crate::score::ScannedConversation;
pub use json::is_stdout_failure;
use record::{ConversationRecord, ProblemRecord};

/// Every file a report may write: a folder holding only these (and the marker) is a report
/// set a run may replace, whichever `--reports` wrote it (or `--shard`, its sidecar).
pub const FILES: [&str; 9] = [
    "hits.csv",
    "conversations.csv",
    "agents.csv",
    "errors.csv",
    scorecard::FILE,
    xlsx::FILE,
    html::FILE,
    sidecar::FILE,
    repeats::FILE,
];

const CSV_FILES: [&str; 5] = [
    "hits.csv",
    "conversations.csv",
    "agents.csv",
    "errors.csv",
    scorecard::FILE,
];

/// What `--reports` chooses among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportKind {
    /// hits.csv, conversations.csv, agents.csv, errors.csv, scorecard.csv: the stable contract
    /// for pipelines.
    Csv,
    /// report.xlsx: conversations by rank, findings, a sheet per agent, errors; typed cells.
    Xlsx,
    /// report.html: the night at a glance, charts, the conversations to escalate first.
    Html,
}

impl ReportKind {
    /// Every kind: the default.
    pub const ALL: [ReportKind; 3] = [ReportKind::Csv, ReportKind::Xlsx, ReportKind::Html];

    /// The files this kind writes.
    pub fn files(self) -> &'static [&'static str] {
        match self {
            ReportKind::Csv => &CSV_FILES,
            ReportKind::Xlsx => &[xlsx::FILE],
            ReportKind::Html => &[html::FILE],
        }
    }
}

/// How reports are written.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Which reports (`--reports`).
    pub kinds: Vec<ReportKind>,
    /// A UTF-8 BOM so Excel shows Chinese when the file is double-clicked.
    pub excel_bom: bool,
    /// Mask personal numbers in every text cell.
    pub redact: bool,
    /// JSON Lines on stdout (`--json`).
    pub json: bool,
    /// The language of the page (`--lang`).
    pub lang: html::Lang,
}

/// A report: sees every conversation and every problem of the run, in input order, already
/// masked, and writes its file(s) into the staging folder. Each finishes on a thread of its
/// own, hence `Send`.
pub trait Report: Send {
    fn conversation(&mut self, conversation: &ConversationRecord) -> io::Result<()>;
    fn problem(&mut self, problem: &ProblemRecord) -> io::Result<()>;
    /// Write what is written at the end (totals, sorted rows), then flush and sync.
    fn finish(self: Box<Self>, run: &RunFacts) -> io::Result<()>;
}

/// What the whole run did, for reports that state it (the JSON summary, the page).
#[derive(Debug, Clone, Default)]
pub struct RunFacts {
    pub inputs: usize,
    pub scanned: usize,
    pub failed: usize,
    pub skipped: usize,
    pub conversations: usize,
    pub bytes: u64,
}

impl RunFacts {
    /// The counts of a finished scan or merge.
    pub fn of(outcome: &crate::pipeline::Outcome) -> RunFacts {
        RunFacts {
            inputs: outcome.inputs,
            scanned: outcome.scanned,
            failed: outcome.failed,
            skipped: outcome.skipped,
            conversations: outcome.conversations,
            bytes: outcome.bytes,
        }
    }
}

/// The open reports of one run.
pub struct Reports {
    /// `None` when no file is written (`--json --no-reports`).
    folder: Option<folder::Folder>,
    options: ReportOptions,
    reports: Vec<Box<dyn Report>>,
    files: Vec<&'static str>,
    /// `shard.jsonl`, for a shard of a split run (`--shard`).
    sidecar: Option<sidecar::Writer>,
    /// The inputs as given: the roots `hit_id` paths are relative to.
    roots: Vec<PathBuf>,
}

impl Reports {
    /// Take `dir` for this run (see [`folder::Folder::prepare`]) and open the reports in its
    /// staging folder; with no kind of report chosen, the folder is left alone.
    pub fn create(dir: &Path, inputs: &[PathBuf], options: ReportOptions) -> Result<Reports, folder::FolderError> {
        let mut reports: Vec<Box<dyn Report>> = Vec::new();
        if options.json {
            reports.push(Box::new(json::JsonLines::new()));
        }
        let folder = match options.kinds.is_empty() {
            true => None,
            false => Some(folder::Folder::prepare(dir, inputs, &FILES)?),
        };
        let mut files = Vec::new();
        let Some(staging) = folder.as_ref().map(|f| f.staging()) else {
            return Ok(Reports {
                folder,
                options,
                reports,
                files,
                sidecar: None,
                roots: inputs.to_vec(),
            });
        };
        for kind in ReportKind::ALL.into_iter().filter(|k| options.kinds.contains(k)) {
            match kind {
                ReportKind::Csv => {
                    reports.push(Box::new(hits::Hits::create(staging, &options)?));
                    reports.push(Box::new(conversations::Conversations::create(staging, &options)?));
                    reports.push(Box::new(agents::Agents::create(staging, &options)));
                    reports.push(Box::new(errors::Errors::create(staging, &options)?));
                    reports.push(Box::new(scorecard::ScorecardReport::create(staging, &options)?));
                }
                ReportKind::Xlsx => reports.push(Box::new(xlsx::Xlsx::create(staging, &options)?)),
                ReportKind::Html => reports.push(Box::new(html::Html::create(staging, &options))),
            }
            files.extend_from_slice(kind.files());
        }
        Ok(Reports {
            files,
            folder,
            options,
            reports,
            sidecar: None,
            roots: inputs.to_vec(),
        })
    }

    /// Also keep every record in `shard.jsonl` for `callrisk merge`; false when this run
    /// writes no report folder to keep it in.
    pub fn keep_for_merge(&mut self, header: &sidecar::Header) -> io::Result<bool> {
        let Some(staging) = self.folder.as_ref().map(|f| f.staging()) else {
            return Ok(false);
        };
        self.sidecar = Some(sidecar::Writer::create(staging, header)?);
        self.files.push(sidecar::FILE);
        Ok(true)
    }

    pub fn conversation(&mut self, file: &str, scanned: &ScannedConversation) -> io::Result<()> {
        let id_path = crate::review::hit_id::relative_to_roots(file, &self.roots);
        self.conversation_record(&ConversationRecord::new(file, &id_path, scanned, self.options.redact))
    }

    pub fn problem(&mut self, problem: &InputProblem) -> io::Result<()> {
        self.problem_record(&ProblemRecord::new(problem, self.options.redact))
    }

    /// Hand a record, already masked, to every report (`merge` feeds the records of its shards).
    pub fn conversation_record(&mut self, record: &ConversationRecord) -> io::Result<()> {
        for report in &mut self.reports {
            report.conversation(record)?;
        }
        match &mut self.sidecar {
            Some(sidecar) => sidecar.conversation(record),
            None => Ok(()),
        }
    }

    pub fn problem_record(&mut self, record: &ProblemRecord) -> io::Result<()> {
        for report in &mut self.reports {
            report.problem(record)?;
        }
        match &mut self.sidecar {
            Some(sidecar) => sidecar.problem(record),
            None => Ok(()),
        }
    }

    /// An input is done (its records came before): kept for merge by a shard.
    pub fn input_done(&mut self, done: &sidecar::InputDone) -> io::Result<()> {
        match &mut self.sidecar {
            Some(sidecar) => sidecar.input_done(done),
            None => Ok(()),
        }
    }

    /// The walk is over: what it found, kept for merge by a shard.
    pub fn walk_done(&mut self, walk: sidecar::Trailer) {
        if let Some(sidecar) = &mut self.sidecar {
            sidecar.walk_done(walk);
        }
    }

    /// With `--ledger`: write `repeats.csv` beside the CSV reports (when they are chosen).
    pub fn repeats(&mut self, rows: &[crate::ledger::night::RepeatRow]) -> io::Result<()> {
        let Some(staging) = self.folder.as_ref().map(|f| f.staging()) else {
            return Ok(());
        };
        if !self.options.kinds.contains(&ReportKind::Csv) {
            return Ok(());
        }
        repeats::write(staging, &self.options, rows)?;
        self.files.push(repeats::FILE);
        Ok(())
    }

    /// Finish every report and swap the set into place; the paths of the files written.
    pub fn finish(self, run: &RunFacts) -> io::Result<Vec<PathBuf>> {
        // Each report ends on a thread of its own (the workbook's sheets and the sorted CSV
        // need not wait for one another); the first report's error in their order is the one
        // given. A report sits in a slot its thread takes it from: where no thread can be
        // had, the report is still there and ends here, in turn.
        let slots: Vec<Mutex<Option<Box<dyn Report>>>> = self
            .reports
            .into_iter()
            .map(|report| Mutex::new(Some(report)))
            .collect();
        let end = |slot: &Mutex<Option<Box<dyn Report>>>| {
            let report = slot.lock().ok().and_then(|mut r| r.take());
            report.map_or(Ok(()), |r| r.finish(run))
        };
        let ended: Vec<io::Result<()>> = std::thread::scope(|scope| {
            let running: Vec<Ending> = slots
                .iter()
                .map(|slot| {
                    match std::thread::Builder::new()
                        .name("callrisk-report".into())
                        .spawn_scoped(scope, move || end(slot))
                    {
                        Ok(thread) => Ending::Running(thread),
                        Err(_) => Ending::Done(end(slot)),
                    }
                })
                .collect();
            running
                .into_iter()
                .map(|ending| match ending {
                    Ending::Done(result) => result,
                    Ending::Running(thread) => thread.join().unwrap_or_else(|payload| {
                        let why = payload
                            .downcast_ref::<&str>()
                            .map(|s| s.to_string())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        Err(io::Error::other(format!(
                            "a report's writer stopped on an internal error: {why}"
                        )))
                    }),
                })
                .collect()
        });
        ended.into_iter().collect::<io::Result<()>>()?;
        if let Some(sidecar) = self.sidecar {
            sidecar.finish(run)?;
        }
        let Some(folder) = self.folder else {
            return Ok(Vec::new());
        };
        let out = folder.out().to_path_buf();
        folder.commit()?;
        Ok(self.files.iter().map(|name| out.join(name)).collect())
    }
}

/// A report ending on a thread of its own, or already ended.
enum Ending<'scope> {
    Running(std::thread::ScopedJoinHandle<'scope, io::Result<()>>),
    Done(io::Result<()>),
}

/// A CSV report file: UTF-8 (with a BOM if asked for), CRLF line ends, buffered.
pub(crate) struct CsvFile(csv::Writer<BufWriter<File>>);

impl CsvFile {
    /// Create `name` in the staging folder `dir`, its header the first row.
    fn create<I, T>(dir: &Path, name: &str, options: &ReportOptions, header: I) -> io::Result<CsvFile>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut file = BufWriter::new(File::create(dir.join(name))?);
        if options.excel_bom {
            file.write_all("\u{FEFF}".as_bytes())?;
        }
        let mut csv = CsvFile(
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(file),
        );
        csv.row(header)?;
        Ok(csv)
    }

    fn row<I, T>(&mut self, record: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        Ok(self.0.write_record(record)?)
    }

    /// Flush and sync: the set is swapped in only once every byte is on disk.
    fn finish(mut self) -> io::Result<()> {
        self.0.flush()?;
        self.0.get_ref().get_ref().sync_all()
    }
}
