//! `conversations.csv`: one row per conversation with its risk, in input order.

use std::io;
use std::path::Path;

use super::cell::text;
use super::record::{ConversationRecord, ProblemRecord};
use super::{CsvFile, Report, ReportOptions};

pub const HEADER: [&str; 9] = [
    "file",
    "conversation",
    "agent",
    "customer",
    "turns",
    "risk_level",
    "score",
    "categories",
    "escalation",
];

pub struct Conversations(CsvFile);

impl Conversations {
    pub fn create(dir: &Path, options: ReportOptions) -> io::Result<Conversations> {
        let mut csv = CsvFile::create(dir, "conversations.csv", options)?;
        csv.row(HEADER)?;
        Ok(Conversations(csv))
    }
}

impl Report for Conversations {
    fn conversation(&mut self, c: &ConversationRecord) -> io::Result<()> {
        let categories: Vec<&str> = c.categories.iter().map(|c| c.id()).collect();
        self.0.row([
            &text(&c.file),
            &text(&c.id),
            &text(&c.agent),
            &text(&c.customer),
            &c.turns.to_string(),
            c.risk_id(),
            &c.score.to_string(),
            &categories.join(";"),
            &text(&c.escalation),
        ])
    }

    fn problem(&mut self, _: &ProblemRecord) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        self.0.finish()
    }
}
