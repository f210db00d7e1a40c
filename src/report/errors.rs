//! `errors.csv`: every input, or line of an input, that could not be scanned, and why.

use std::io;

use super::cell::text;
use super::{ReportOptions, Sink};
use crate::input::InputProblem;

pub const HEADER: [&str; 3] = ["file", "line", "reason"];

pub fn write(sink: &mut Sink, problem: &InputProblem, options: ReportOptions) -> io::Result<()> {
    let line = problem.line.map(|l| l.to_string()).unwrap_or_default();
    // A reason may quote the line it could not read: masked like every other cell.
    sink.write_record([
        text(&problem.file, options.redact),
        line,
        text(&problem.reason, options.redact),
    ])?;
    Ok(())
}
