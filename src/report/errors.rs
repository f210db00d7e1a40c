//! `errors.csv`: every input, or line of an input, that could not be scanned, and why.

use std::io;

use super::Sink;
use super::cell::safe;
use crate::input::InputProblem;

pub const HEADER: [&str; 3] = ["file", "line", "reason"];

pub fn write(sink: &mut Sink, problem: &InputProblem) -> io::Result<()> {
    let line = problem.line.map(|l| l.to_string()).unwrap_or_default();
    sink.write_record([safe(&problem.file).as_ref(), &line, safe(&problem.reason).as_ref()])?;
    Ok(())
}
