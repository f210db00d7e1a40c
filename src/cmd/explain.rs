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

/// `calls/a.txt:12` → (`calls/a.txt`, 12), when `calls/a.txt:12` is not itself a file. A
/// path as the reports show it, a personal number in its name masked
/// (`calls/139****5678_1122.txt:3`), is the one file of its folder that shows as that name.
fn file_and_line(arg: &Path) -> (PathBuf, Option<usize>) {
    if arg.exists() {
        return (arg.to_path_buf(), None);
    }
    let text = arg.to_string_lossy();
    if let Some((file, line)) = text.rsplit_once(':')
        && let Ok(line) = line.parse::<usize>()
    {
        if Path::new(file).exists() {
            return (PathBuf::from(file), Some(line));
        }
        if let Some(found) = unmasked(Path::new(file)) {
            return (found, Some(line));
        }
    }
    (unmasked(arg).unwrap_or_else(|| arg.to_path_buf()), None)
}

/// The one file in `shown`'s folder whose name, masked as reports mask it, is `shown`'s name:
/// reports never print a personal number, so a path copied from them may name no file.
/// `None` when the name holds no mask, or no file or several files show as it (then the
/// input error names the path as given).
fn unmasked(shown: &Path) -> Option<PathBuf> {
    let name = shown.file_name()?.to_str()?;
    if !name.contains('*') {
        return None;
    }
    let folder = match shown.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut found = std::fs::read_dir(&folder).ok()?.filter_map(Result::ok).filter(|entry| {
        entry
            .file_name()
            .to_str()
            .is_some_and(|n| crate::redact::redact(n) == name)
    });
    let first = found.next()?;
    let others = found.count();
    if others > 0 {
        crate::messages::error_line(&format!(
            "{}: {} files in {} show as this name with their personal numbers masked; give the file's own name",
            crate::messages::shown(&shown.display().to_string()),
            others + 1,
            crate::messages::shown(&folder.display().to_string())
        ));
        return None;
    }
    Some(folder.join(first.file_name()))
}
