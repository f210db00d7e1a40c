//! The `callrisk` binary: parse arguments, run, turn the result into an exit status.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: many short-lived strings per line; glibc malloc spent a fifth of the scan in
/// malloc/free and returning pages to the kernel (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    callrisk::guard::install_hook();
    let cli = match callrisk::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap returns the write error rather than panicking: a closed pipe is fine.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match callrisk::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(e) => {
            // Line by line: an error that lists problems one per line (every problem of a
            // lexicon) keeps its lines, while each line is still masked and made printable.
            let text = e.to_string();
            let lines: Vec<String> = text
                .lines()
                .map(|line| callrisk::messages::shown(line).into_owned())
                .collect();
            callrisk::messages::error_line(&lines.join("\n"));
            ExitCode::from(2)
        }
    }
}
