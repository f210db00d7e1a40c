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
    if !config.report.redact {
        error_line("warning: --no-redact: reports will contain unmasked phone, ID and bank-card numbers");
    }
    let outcome = pipeline::scan(&config)?;
    // Every problem is in errors.csv; stderr gets the first ones, so a log with 100,000 bad
    // lines does not flood a nightly job's mail.
    for problem in outcome.problems.iter().take(STDERR_PROBLEMS) {
        error_line(&shown(&problem.to_string()));
    }
    let total = outcome.problems.len() + outcome.problems_not_kept;
    if total > STDERR_PROBLEMS {
        error_line(&format!(
            "… and {} more problems, all listed in {}",
            total - STDERR_PROBLEMS,
            shown(&config.out_dir.join("errors.csv").display().to_string())
        ));
    }
    if !config.quiet {
        error_text(&summary::render(&outcome));
    }
    let empty = outcome.conversations == 0;
    if empty {
        // A failed transcription step upstream looks like a quiet night: say so, always.
        error_line(&format!(
            "warning: nothing was scanned: {} inputs, {} files passed over{}",
            outcome.inputs,
            outcome.skipped,
            if config.fail_on_empty {
                ""
            } else {
                " (--fail-on-empty makes this exit 2)"
            }
        ));
    }
    Ok(
        if outcome.failed > 0 || outcome.line_problems > 0 || (empty && config.fail_on_empty) {
            Status::InputErrors
        } else if outcome.fail_on_reached {
            Status::FailOn
        } else {
            Status::Clean
        },
    )
}
