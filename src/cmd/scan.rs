//! `callrisk scan`: the nightly job. Builds the settings once, runs the pipeline, prints the
//! first problems and the summary on stderr, and maps the outcome to an exit status.

use crate::cli::ScanArgs;
use crate::config::ScanConfig;
use crate::messages::{error_line, error_text, shown};
use crate::{Error, Status, pipeline, summary};

/// Problems printed on stderr at most; errors.csv has them all.
const STDERR_PROBLEMS: usize = 50;

pub fn run(args: ScanArgs) -> Result<Status, Error> {
    let config = ScanConfig::from_args(args)?;
    crate::messages::set_redact(config.report.redact);
    if let Some(asked) = config.threads_asked {
        error_line(&format!(
            "warning: -j {asked}: using {} threads (at most four per core on this machine)",
            config.threads
        ));
    }
    if !config.report.redact {
        error_line("warning: --no-redact: reports will contain unmasked phone, ID and bank-card numbers");
    }
    let outcome = pipeline::scan(&config)?;
    print_problems(&outcome);
    if let Some(meta) = &config.parse.meta {
        // A --meta file that joins nothing (paths vs stems, another id) looks like success.
        let join = meta.join();
        let nothing = join.joined_rows == 0 && join.rows > 0;
        (nothing || !config.quiet).then(|| {
            error_line(&format!(
                "--meta: {} of {} rows joined a conversation; {} conversations found no row{}",
                join.joined_rows,
                join.rows,
                join.unjoined_conversations,
                if nothing {
                    " (warning: nothing joined: check the file or id column)"
                } else {
                    ""
                }
            ))
        });
    }
    if let Some(ledger) = &outcome.ledger {
        report_ledger(ledger, config.quiet);
    }
    // A shard that took nothing is no empty night: `merge` judges --fail-on-empty for the run.
    let fail_on_empty = config.fail_on_empty && config.shard.is_none();
    let status = conclude(&outcome, config.quiet, fail_on_empty);
    // The engine (lexicon, automaton, compiled patterns: tens of thousands of allocations) is
    // not freed piece by piece: the process ends next and the system takes the memory back
    // whole. It holds no file or connection. A tenth of a one-line run's instructions.
    std::mem::forget(config.engine);
    Ok(status)
}

/// The first problems on stderr, and the inputs with unknown speakers (`scan` and `merge`).
pub(crate) fn print_problems(outcome: &pipeline::Outcome) {
    // Every problem is in errors.csv; stderr gets the first ones, so a log with 100,000 bad
    // lines does not flood a nightly job's mail.
    for problem in outcome.problems.iter().take(STDERR_PROBLEMS) {
        error_line(&shown(&problem.to_string()));
    }
    let total = outcome.problems.len() + outcome.problems_not_kept;
    if total > STDERR_PROBLEMS {
        let more = total - STDERR_PROBLEMS;
        match outcome.errors_csv() {
            Some(errors_csv) => error_line(&format!(
                "… and {more} more problems, all listed in {}",
                shown(&errors_csv.display().to_string())
            )),
            None => error_line(&format!(
                "… and {more} more problems, not named: --no-reports writes no errors.csv (--json streams them all)"
            )),
        }
    }
    warn_unknown_speakers(outcome);
}

/// The summary (unless `quiet`), the warning for an empty run, and the exit status
/// (`scan` and `merge`).
pub(crate) fn conclude(outcome: &pipeline::Outcome, quiet: bool, fail_on_empty: bool) -> Status {
    if !quiet {
        error_text(&summary::render(outcome));
    }
    let empty = outcome.conversations == 0;
    if empty {
        // A failed transcription step upstream looks like a quiet night: say so, always.
        error_line(&format!(
            "warning: nothing was scanned: {} inputs, {} files passed over{}",
            outcome.inputs,
            outcome.skipped,
            if fail_on_empty {
                ""
            } else {
                " (--fail-on-empty makes this exit 2)"
            }
        ));
    }
    if outcome.failed > 0 || outcome.line_problems > 0 || (empty && fail_on_empty) {
        Status::InputErrors
    } else if outcome.fail_on_reached {
        Status::FailOn
    } else {
        Status::Clean
    }
}

/// Unknown speakers are not an error (both sides' findings are reported for them), but a
/// label callrisk does not know silently weakens every speaker rule: say which flag fixes it.
pub(crate) fn warn_unknown_speakers(outcome: &pipeline::Outcome) {
    for example in &outcome.unknown_speaker_examples {
        // The fix depends on the kind of input: a chat log's role field may have another name.
        let extension = std::path::Path::new(&example.file)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let fix = match extension.as_str() {
            "jsonl" | "ndjson" | "csv" | "tsv" => {
                "name the role field with --column role=FIELD, or its values with --agent-label/--customer-label"
            }
            "json" => {
                "for ASR output give --agent-channel ID; for a chat log name the role field with --column role=FIELD \
                 or its values with --agent-label/--customer-label"
            }
            // A .txt may be a transcript with labels or an ASR result printed as text
            // (FunASR's Python output), whose speakers are channel numbers.
            _ => {
                "name the labels with --agent-label/--customer-label (for ASR output saved as text, give --agent-channel ID)"
            }
        };
        error_line(&format!(
            "warning: {}: {} of {} utterances have no known speaker; {fix}",
            shown(&example.file),
            example.unknown,
            example.utterances
        ));
    }
    if outcome.unknown_speaker_inputs > outcome.unknown_speaker_examples.len() {
        error_line(&format!(
            "warning: … {} inputs in all have utterances with no known speaker",
            outcome.unknown_speaker_inputs
        ));
    }
}

/// What the night did to the ledger. Calls it could not count are said always (a night
/// whose calls carry no customer would otherwise look like a night without repeats); the
/// rest only without -q.
fn report_ledger(ledger: &pipeline::LedgerSummary, quiet: bool) {
    let skipped = ledger.no_key + ledger.no_time;
    if skipped > 0 {
        error_line(&format!(
            "warning: --ledger: {skipped} conversations were not counted in the ledger ({} without a customer \
             phone number or id, {} without a call date and time); give them with --meta or in the input \
             (`# customer:` and `# time:`, a chat's customer and time columns)",
            ledger.no_key, ledger.no_time
        ));
    }
    if !quiet {
        error_line(&format!(
            "ledger {}: conversations recorded {}, complaints {}, repeat complaints {}, customers over the \
             threshold {} (repeats.csv){}",
            shown(&ledger.path.display().to_string()),
            ledger.recorded,
            ledger.complaints,
            ledger.repeats,
            ledger.customers,
            match ledger.pruned {
                0 => String::new(),
                n => format!("; {n} old conversations removed (--retention)"),
            }
        ));
    }
}
