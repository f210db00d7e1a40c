//! `hits.csv`: one row per finding, counted or not, in input order.
//!
//! `counted` says whether a finding counts towards the risk; `negated` (kept for the
//! pipelines that read it) is its opposite: "does not count", for whatever `reason`
//! (negated, hypothetical, quoted, other sense).

use std::io;
use std::path::Path;

use super::cell::text;
use super::record::{ConversationRecord, ProblemRecord};
use super::{CsvFile, Report, ReportOptions, RunFacts};

/// `hit_id` names the finding for QA's reviews; `review` and `review_note` are empty, for QA
/// to fill (`tp`/`fp`) and `callrisk review import` to read. Columns are only ever added at
/// the end: pipelines read them by name.
pub const HEADER: [&str; 19] = [
    "file",
    "conversation",
    "line",
    "time",
    "speaker",
    "category",
    "severity",
    "term",
    "matched",
    "context",
    "negated",
    "reason",
    "conditional",
    "count",
    "count_said",
    "counted",
    "hit_id",
    "review",
    "review_note",
];

pub struct Hits(CsvFile);

impl Hits {
    pub fn create(dir: &Path, options: &ReportOptions) -> io::Result<Hits> {
        Ok(Hits(CsvFile::create(dir, "hits.csv", options, HEADER)?))
    }
}

impl Report for Hits {
    fn conversation(&mut self, c: &ConversationRecord) -> io::Result<()> {
        if c.findings.is_empty() {
            return Ok(());
        }
        let (file, id) = (text(&c.file), text(&c.id));
        let flag = |on: bool| if on { "true" } else { "false" };
        for f in &c.findings {
            // `count` is a number (投诉了三次 → 3); words that are no number (好几, 多) stand in
            // `count_said`, so a spreadsheet can sort and sum the first.
            self.0.row([
                file.as_str(),
                &id,
                &f.line.to_string(),
                &text(&f.time),
                f.speaker.id(),
                f.category.id(),
                f.severity.id(),
                &text(&f.term),
                &text(&f.matched),
                &text(&f.context),
                flag(!f.counted),
                f.reason,
                flag(f.conditional),
                &f.count.map(|n| n.to_string()).unwrap_or_default(),
                &text(&f.count_said),
                flag(f.counted),
                &f.hit_id,
                "",
                "",
            ])?;
        }
        Ok(())
    }

    fn problem(&mut self, _: &ProblemRecord) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>, _: &RunFacts) -> io::Result<()> {
        self.0.finish()
    }
}
