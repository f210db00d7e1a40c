//! `callrisk lexicon test|check|terms`: the dictionaries' own checks, for QA teams who edit
//! them and for CI. Output goes to stdout; a closed pipe (`| head`) is a normal end.

use std::fmt::Write as _;

use crate::cli::LexiconCommand;
use crate::messages::out_text;
use crate::{Error, Status, config, lexicon_check};

pub fn run(command: LexiconCommand) -> Result<Status, Error> {
    let (dirs, builtin) = match &command {
        LexiconCommand::Test(a) | LexiconCommand::Check(a) | LexiconCommand::Terms(a) => {
            (a.dirs.clone(), !a.no_builtin)
        }
    };
    // A folder's scorecard.toml is loaded, and so checked, with its dictionaries.
    let engine = config::load_engine_from(&dirs, builtin, None, 1)?;
    let output = |text: &str| out_text(text).map_err(|source| Error::Output { source });
    let problems = match command {
        LexiconCommand::Test(_) => {
            let report = lexicon_check::test_examples(&engine);
            output(&report.render())?;
            report.failures.len()
        }
        LexiconCommand::Terms(_) => {
            let mut text = String::new();
            for term in engine.lexicon.terms() {
                let _ = writeln!(text, "{term}");
            }
            output(&text)?;
            0
        }
        LexiconCommand::Check(_) => {
            let lints = lexicon_check::check(&engine);
            let mut text = String::new();
            for lint in &lints {
                let _ = writeln!(text, "{}: {}", lint.at, lint.message);
            }
            let _ = writeln!(
                text,
                "lexicon check: {} rules, {} problems",
                engine.lexicon.rules.len(),
                lints.len()
            );
            output(&text)?;
            lints.len()
        }
    };
    Ok(if problems == 0 { Status::Clean } else { Status::FailOn })
}
