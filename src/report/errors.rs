//! `errors.csv`: every input, or line of an input, that could not be scanned, and why.

use std::io;
use std::path::Path;

use super::cell::text;
use super::record::{ConversationRecord, ProblemRecord};
use super::{CsvFile, Report, ReportOptions, RunFacts};

pub const HEADER: [&str; 3] = ["file", "line", "reason"];

pub struct Errors(CsvFile);

impl Errors {
    pub fn create(dir: &Path, options: &ReportOptions) -> io::Result<Errors> {
        Ok(Errors(CsvFile::create(dir, "errors.csv", options, HEADER)?))
    }
}

impl Report for Errors {
    fn conversation(&mut self, _: &ConversationRecord) -> io::Result<()> {
        Ok(())
    }

    fn problem(&mut self, problem: &ProblemRecord) -> io::Result<()> {
        let line = problem.line.map(|l| l.to_string()).unwrap_or_default();
        self.0.row([text(&problem.file), line, text(&problem.reason)])
    }

    fn finish(self: Box<Self>, _: &RunFacts) -> io::Result<()> {
        self.0.finish()
    }
}
