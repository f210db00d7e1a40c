//! `callrisk merge DIR… --out DIR`: the report folders of the N shards of a split run
//! (`scan --shard K/N`) → the reports one run over every input would have written.
//!
//! Each shard's `shard.jsonl` ([`crate::report::sidecar`]) holds the masked records its
//! reports were fed, input by input, each input with its place in the walk of all inputs.
//! Merge first checks that the folders are the N shards of one run (same N, callrisk,
//! dictionaries and options, the same inputs walked; each shard once, none missing, every
//! input taken by exactly one), then reads the shards side by side in walk order, so memory
//! stays flat however large the run, and feeds the records to the same reports a scan feeds.
//! The CSVs come out byte for byte as one run's; the workbook, page and JSON hold the same
//! values. The summary and exit status are one run's too; only the time it took differs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::MergeArgs;
use crate::input::InputProblem;
use crate::pipeline::{Outcome, UnknownSpeakers};
use crate::report::folder::FolderError;
use crate::report::sidecar::{self, InputRecords, Line, ReadError, Reader};
use crate::report::{Reports, RunFacts};
use crate::{Error, Status};

/// Problems kept for stderr (as a scan keeps them); the rest are counted.
const KEPT_PROBLEMS: usize = 1000;

/// Inputs with unknown speakers named on stderr (as a scan names them).
const UNKNOWN_SPEAKER_EXAMPLES: usize = 10;

/// Why folders cannot be merged; each says which folder and what to do.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(
        "{} is not a shard of the same run as {}: its {what} differs; merge the shards of one run \
         (scanned with the same N, callrisk, dictionaries and options)",
        .path.display(), .first.display()
    )]
    Mixed {
        path: PathBuf,
        first: PathBuf,
        what: &'static str,
    },
    #[error(
        "shard {shard}/{of} is given twice: {} and {}; give each shard's report folder once",
        .first.display(), .second.display()
    )]
    Twice {
        shard: u32,
        of: u32,
        first: PathBuf,
        second: PathBuf,
    },
    #[error(
        "shard {} of {of} missing: merge needs the report folder of every shard 1..{of} \
         (run `callrisk scan --shard K/{of}` for each missing K)",
        join(.missing)
    )]
    Missing { missing: Vec<u32>, of: u32 },
    #[error(
        "{file} is in two shards ({} and {}): the shards split different inputs; scan them again \
         from the same folders",
        .first.display(), .second.display()
    )]
    Duplicate {
        file: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error(
        "the shards took {taken} of the {found} inputs and files their walk found: some shard did \
         not see the same inputs; scan them again from the same folders"
    )]
    Coverage { taken: u64, found: u64 },
    #[error(
        "{}: inputs out of order ({file}); the file was changed after the scan: scan that shard again",
        .path.display()
    )]
    Order { path: PathBuf, file: String },
    #[error("{}: {message}; scan that shard again with this callrisk", .path.display())]
    Settings { path: PathBuf, message: String },
}

fn join(shards: &[u32]) -> String {
    shards.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

pub fn run(args: MergeArgs) -> Result<Status, Error> {
    let started = Instant::now();
    crate::messages::set_redact(true);
    let mut readers = args
        .dirs
        .iter()
        .map(|dir| Reader::open(dir))
        .collect::<Result<Vec<_>, _>>()
        .map_err(MergeError::from)?;
    check(&readers)?;
    let settings = readers[0].header.settings.clone();
    let options = settings
        .report_options(args.json)
        .map_err(|message| MergeError::Settings {
            path: readers[0].path().to_path_buf(),
            message,
        })?;
    let report_error = |source| Error::writing(&args.out, source);
    let mut reports = Reports::create(&args.out, &args.dirs, options).map_err(|e| match e {
        FolderError::Unusable(message) => Error::Usage(message),
        FolderError::Io(source) => report_error(source),
    })?;
    let mut outcome = Outcome::default();
    let mut heads = readers
        .iter_mut()
        .map(Reader::next_input)
        .collect::<Result<Vec<_>, _>>()
        .map_err(MergeError::from)?;
    let mut last: Vec<Option<u64>> = vec![None; readers.len()];
    // The shards side by side, the input with the first place in the walk next.
    while let Some(next) = (0..heads.len())
        .filter(|&i| heads[i].is_some())
        .min_by_key(|&i| heads[i].as_ref().map(|h| h.done.at))
    {
        let Some(input) = heads[next].take() else { break };
        if let Some(other) = (0..heads.len()).find(|&i| heads[i].as_ref().is_some_and(|h| h.done.at == input.done.at)) {
            return Err(MergeError::Duplicate {
                file: input.done.file,
                first: readers[next].path().to_path_buf(),
                second: readers[other].path().to_path_buf(),
            }
            .into());
        }
        if last[next].is_some_and(|at| at >= input.done.at) {
            return Err(MergeError::Order {
                path: readers[next].path().to_path_buf(),
                file: input.done.file,
            }
            .into());
        }
        last[next] = Some(input.done.at);
        feed(input, &mut reports, &mut outcome, &settings).map_err(report_error)?;
        heads[next] = readers[next].next_input().map_err(MergeError::from)?;
    }
    outcome.skipped = readers.iter().map(|r| r.trailer.skipped).sum();
    outcome.inputs = outcome.scanned + outcome.failed;
    let facts = RunFacts::of(&outcome);
    outcome.reports = reports.finish(&facts).map_err(report_error)?;
    outcome.elapsed = started.elapsed();
    super::scan::print_problems(&outcome);
    Ok(super::scan::conclude(&outcome, args.quiet, settings.fail_on_empty))
}

/// The folders are the N shards of one run, each once, and together took every input.
fn check(readers: &[Reader]) -> Result<(), MergeError> {
    let Some(first) = readers.first() else {
        return Ok(());
    };
    let (h, t) = (&first.header, &first.trailer);
    if h.callrisk != env!("CARGO_PKG_VERSION") {
        return Err(MergeError::Settings {
            path: first.path().to_path_buf(),
            message: format!(
                "written by callrisk {}, this is callrisk {}",
                h.callrisk,
                env!("CARGO_PKG_VERSION")
            ),
        });
    }
    let mut seen: Vec<Option<&Path>> = vec![None; h.of as usize];
    for reader in readers {
        let mixed = |what| MergeError::Mixed {
            path: reader.path().to_path_buf(),
            first: first.path().to_path_buf(),
            what,
        };
        let (rh, rt) = (&reader.header, &reader.trailer);
        if rh.callrisk != h.callrisk {
            return Err(mixed("callrisk version"));
        }
        if rh.of != h.of {
            return Err(mixed("number of shards N"));
        }
        if rh.settings.fingerprint != h.settings.fingerprint {
            return Err(mixed("dictionaries, score sheet, reading options or --min-severity"));
        }
        if rh.settings != h.settings {
            return Err(mixed("--reports, --excel, --lang, --fail-on or --fail-on-empty"));
        }
        if (rt.found, &rt.walk) != (t.found, &t.walk) {
            return Err(mixed("set of inputs (the walk found other files)"));
        }
        let slot = rh
            .shard
            .checked_sub(1)
            .and_then(|i| seen.get_mut(i as usize))
            .ok_or_else(|| mixed("shard number"))?;
        if let Some(earlier) = slot {
            return Err(MergeError::Twice {
                shard: rh.shard,
                of: rh.of,
                first: earlier.to_path_buf(),
                second: reader.path().to_path_buf(),
            });
        }
        *slot = Some(reader.path());
    }
    let missing: Vec<u32> = (1..=h.of).filter(|k| seen[*k as usize - 1].is_none()).collect();
    if !missing.is_empty() {
        return Err(MergeError::Missing { missing, of: h.of });
    }
    let taken = readers.iter().map(|r| r.trailer.taken).sum();
    if taken != t.found {
        return Err(MergeError::Coverage { taken, found: t.found });
    }
    Ok(())
}

/// One input's records to the reports, and to the tallies a scan keeps of them.
fn feed(
    input: InputRecords,
    reports: &mut Reports,
    outcome: &mut Outcome,
    settings: &sidecar::Settings,
) -> std::io::Result<()> {
    let mut problems = 0;
    for line in input.lines {
        match line {
            Line::Conversation(record) => {
                outcome.conversations += 1;
                outcome.by_risk[record.risk.map_or(0, |s| s as usize + 1)] += 1;
                for finding in record.findings.iter().filter(|f| f.counted) {
                    outcome.counted[finding.category.index()] += 1;
                    outcome.fail_on_reached |= settings.fail_on.is_some_and(|level| finding.severity >= level);
                }
                reports.conversation_record(&record)?;
            }
            Line::Problem(record) => {
                problems += 1;
                reports.problem_record(&record)?;
                let problem = InputProblem {
                    file: record.file.into_owned(),
                    line: record.line,
                    reason: record.reason.into_owned(),
                };
                if outcome.problems.len() < KEPT_PROBLEMS {
                    outcome.problems.push(problem);
                } else {
                    outcome.problems_not_kept += 1;
                }
            }
            Line::Shard(_) | Line::Input(_) | Line::End(_) => {}
        }
    }
    let done = input.done;
    if done.unknown_speakers > 0 {
        outcome.unknown_speaker_inputs += 1;
        if outcome.unknown_speaker_examples.len() < UNKNOWN_SPEAKER_EXAMPLES {
            outcome.unknown_speaker_examples.push(UnknownSpeakers {
                file: done.file.clone(),
                unknown: done.unknown_speakers,
                utterances: done.utterances,
            });
        }
    }
    match done.bytes {
        Some(bytes) => {
            outcome.scanned += 1;
            outcome.bytes += bytes;
            outcome.line_problems += problems;
        }
        None => {
            outcome.failed += 1;
            // The last problem is the input's own failure; any before it are line problems.
            outcome.line_problems += problems.saturating_sub(1);
        }
    }
    reports.input_done(&done)
}
