//! The only place that knows the order of the stages and the threads.
//!
//! Inputs are scanned in parallel chunks on a rayon pool; each worker returns its results and
//! one writer emits them in input order, so memory holds one chunk, not the whole night, and
//! two runs give the same bytes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::category::Category;
use crate::category::Severity;
use crate::config::{Engine, ScanConfig};
use crate::context::{Context, Finding, dedupe};
use crate::error::Error;
use crate::input::{self, Input, InputProblem};
use crate::normalize::{Normalized, normalize};
use crate::privacy;
use crate::report::Reports;
use crate::score::{LineFinding, ScannedConversation, assess};
use crate::transcript::Conversation;

/// Inputs handed to the pool at once, per thread: enough to keep workers busy, few enough
/// that a chunk's results are small.
const CHUNK_PER_THREAD: usize = 16;

/// What a run did, for the summary and the exit status.
#[derive(Debug, Default)]
pub struct Outcome {
    pub inputs: usize,
    pub scanned: usize,
    pub failed: usize,
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

/// One input after scanning.
struct Scanned {
    conversations: Vec<ScannedConversation>,
    bytes: u64,
    problem: Option<InputProblem>,
}

pub fn scan(config: &ScanConfig) -> Result<Outcome, Error> {
    let started = Instant::now();
    let report_error = |source| Error::Report {
        dir: config.out_dir.clone(),
        source,
    };
    let discovery = input::discover(&config.inputs, Some(&config.out_dir));
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

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| Error::Threads {
            threads: config.threads,
            message: e.to_string(),
        })?;
    let progress = progress_bar(discovery.inputs.len() as u64, config.quiet);

    for chunk in discovery.inputs.chunks(config.threads * CHUNK_PER_THREAD) {
        let results: Vec<Scanned> = pool.install(|| {
            chunk
                .par_iter()
                .map(|input| {
                    let scanned = scan_input(input, config);
                    progress.inc(1);
                    scanned
                })
                .collect()
        });
        for (input, scanned) in chunk.iter().zip(results) {
            outcome.bytes += scanned.bytes;
            if let Some(problem) = scanned.problem {
                reports.problem(&problem).map_err(report_error)?;
                outcome.failed += 1;
                outcome.problems.push(problem);
                continue;
            }
            outcome.scanned += 1;
            for conversation in &scanned.conversations {
                outcome.conversations += 1;
                for lf in conversation.findings.iter().filter(|lf| lf.finding.counts()) {
                    outcome.counted[lf.finding.category.index()] += 1;
                    if config.fail_on.is_some_and(|level| lf.finding.severity >= level) {
                        outcome.fail_on_reached = true;
                    }
                }
                reports.conversation(&input.name, conversation).map_err(report_error)?;
            }
        }
    }
    progress.finish_and_clear();
    outcome.reports = reports.finish().map_err(report_error)?;
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

fn scan_input(input: &Input, config: &ScanConfig) -> Scanned {
    match input::load(input, &config.parse) {
        Err(problem) => Scanned {
            conversations: Vec::new(),
            bytes: 0,
            problem: Some(problem),
        },
        Ok(loaded) => Scanned {
            conversations: loaded
                .conversations
                .into_iter()
                .map(|c| scan_conversation(c, &config.engine, config.min_severity))
                .collect(),
            bytes: loaded.bytes,
            problem: None,
        },
    }
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
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} files ({per_sec}, eta {eta})",
    ) {
        bar.set_style(style);
    }
    bar
}
