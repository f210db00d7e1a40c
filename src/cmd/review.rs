//! `callrisk review import FILE… --into DIR`: QA's reviews into a dictionary folder (see
//! [`crate::review::import`]). Warnings and the summary go to stderr, masked and printable.

use crate::cli::ReviewCommand;
use crate::messages::{error_line, shown};
use crate::review::import::{self, EXCLUDE_FILE, REVIEWS_FILE, RULES_FILE};
use crate::{Error, Status, config};

pub fn run(command: ReviewCommand) -> Result<Status, Error> {
    let ReviewCommand::Import(args) = command;
    // The rules the scan had, to name each review's rule: the built-in dictionaries, the
    // other folders, and DIR itself once it holds dictionaries.
    let mut dirs = args.lexicon.clone();
    let has_dictionaries = std::fs::read_dir(&args.into).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "toml"))
    });
    if has_dictionaries {
        dirs.push(args.into.clone());
    }
    let lexicon = config::load_lexicon(&dirs, !args.no_builtin, 1)?;
    let imported = import::import(&args.files, &args.into, &lexicon)?;
    for warning in &imported.warnings {
        error_line(&format!("warning: {}", shown(warning)));
    }
    let dir = shown(&args.into.display().to_string()).into_owned();
    error_line(&format!(
        "{} reviews read ({} tp, {} fp), {} warnings; {dir}/{REVIEWS_FILE} holds {}",
        imported.read.0 + imported.read.1,
        imported.read.0,
        imported.read.1,
        imported.warnings.len(),
        imported.kept
    ));
    error_line(&format!(
        "{} exclusions in {dir}/{EXCLUDE_FILE} (scan with --lexicon {dir}); precision of {} rules in {dir}/{RULES_FILE}",
        imported.exclusions, imported.rules
    ));
    Ok(if imported.warnings.is_empty() {
        Status::Clean
    } else {
        Status::FailOn
    })
}
