//! `scorecard.csv`: one row per conversation with its score on the QA sheet, in input order:
//! `score` 0–100, `fatal` (a fatal item occurred: the score is 0) and `deductions`, the items
//! that took points (`script.greeting -5; taboo.impatience -20 (2×)`).

use std::io;
use std::path::Path;

use super::cell::text;
use super::record::{ConversationRecord, ProblemRecord};
use super::{CsvFile, Report, ReportOptions, RunFacts};

pub const FILE: &str = "scorecard.csv";

pub const HEADER: [&str; 6] = ["file", "conversation", "agent", "score", "fatal", "deductions"];

pub struct ScorecardReport(CsvFile);

impl ScorecardReport {
    pub fn create(dir: &Path, options: &ReportOptions) -> io::Result<ScorecardReport> {
        Ok(ScorecardReport(CsvFile::create(dir, FILE, options, HEADER)?))
    }
}

impl Report for ScorecardReport {
    fn conversation(&mut self, c: &ConversationRecord) -> io::Result<()> {
        self.0.row([
            text(&c.file),
            text(&c.id),
            text(&c.agent),
            c.sheet.score.map_or_else(String::new, |s| s.to_string()),
            c.sheet.fatal.to_string(),
            c.sheet.deductions_text(),
        ])
    }

    fn problem(&mut self, _: &ProblemRecord) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>, _: &RunFacts) -> io::Result<()> {
        self.0.finish()
    }
}
