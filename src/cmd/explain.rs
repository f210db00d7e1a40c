//! `callrisk explain`: one conversation as QA reads it (the rendering is `explain.rs`).

use std::path::{Path, PathBuf};

use crate::cli::ExplainArgs;
use crate::{Error, Status, config, explain, input};

pub fn run(args: ExplainArgs) -> Result<Status, Error> {
    let dictionaries = &args.dictionaries;
    let engine = config::load_engine(dictionaries, 1)?;
    let parse = config::parse_config(&args.read)?;
    crate::messages::set_redact(!args.no_redact);
    let mut all_read = true;
    for path in &args.files {
        let (path, line) = file_and_line(path);
        let options = explain::ExplainOptions {
            color: args.color.enabled(),
            verbose: args.verbose,
            redact: !args.no_redact,
            line,
            conversation: args.conversation.clone(),
        };
        let input = if path.as_os_str() == "-" {
            input::Input::stdin()
        } else {
            input::Input::file(path)
        };
        all_read &= explain::explain(&input, &engine, &parse, &options).map_err(|source| Error::Output { source })?;
    }
    Ok(if all_read { Status::Clean } else { Status::InputErrors })
}

/// `calls/a.txt:12` → (`calls/a.txt`, 12), when `calls/a.txt:12` is not itself a file.
fn file_and_line(arg: &Path) -> (PathBuf, Option<usize>) {
    if arg.exists() {
        return (arg.to_path_buf(), None);
    }
    let text = arg.to_string_lossy();
    if let Some((file, line)) = text.rsplit_once(':')
        && let Ok(line) = line.parse::<usize>()
        && Path::new(file).exists()
    {
        return (PathBuf::from(file), Some(line));
    }
    (arg.to_path_buf(), None)
}
