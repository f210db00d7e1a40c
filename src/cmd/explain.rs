//! `callrisk explain`: one conversation as QA reads it (the rendering is `explain.rs`).

use crate::cli::ExplainArgs;
use crate::{Error, Status, config, explain, input};

pub fn run(args: ExplainArgs) -> Result<Status, Error> {
    let dictionaries = &args.dictionaries;
    let engine = config::Engine::new(config::load_lexicon(&dictionaries.lexicon, !dictionaries.no_builtin)?);
    let parse = config::parse_config(&args.read)?;
    crate::messages::set_redact(!args.no_redact);
    let options = explain::ExplainOptions {
        color: args.color.enabled(),
        verbose: args.verbose,
        redact: !args.no_redact,
    };
    let mut all_read = true;
    for path in &args.files {
        let input = if path.as_os_str() == "-" {
            input::Input::stdin()
        } else {
            input::Input::file(path.clone())
        };
        all_read &= explain::explain(&input, &engine, &parse, &options).map_err(|source| Error::Output { source })?;
    }
    Ok(if all_read { Status::Clean } else { Status::InputErrors })
}
