//! `conversations.csv`: one row per conversation with its risk and its `rank` (1 = look at it
//! first), in input order.
//!
//! A rank is known only when every conversation is in, so rows are written to a hidden file in
//! the staging folder as they come and copied into `conversations.csv` with their rank at the
//! end: memory holds two numbers per conversation, not the rows.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::cell::text;
use super::ranking::Ranking;
use super::record::{ConversationRecord, ProblemRecord};
use super::{CsvFile, Report, ReportOptions, RunFacts};

pub const HEADER: [&str; 12] = [
    "file",
    "conversation",
    "agent",
    "customer",
    "turns",
    "risk_level",
    "score",
    "categories",
    "escalation",
    "time",
    "rank",
    "duration_s",
];

/// Rows waiting for their rank.
const UNRANKED: &str = ".conversations.unranked.csv";

pub struct Conversations {
    dir: PathBuf,
    options: ReportOptions,
    unranked: csv::Writer<BufWriter<File>>,
    ranking: Ranking,
}

impl Conversations {
    pub fn create(dir: &Path, options: &ReportOptions) -> io::Result<Conversations> {
        let unranked = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(BufWriter::new(File::create(dir.join(UNRANKED))?));
        Ok(Conversations {
            dir: dir.to_path_buf(),
            options: options.clone(),
            unranked,
            ranking: Ranking::default(),
        })
    }
}

impl Report for Conversations {
    fn conversation(&mut self, c: &ConversationRecord) -> io::Result<()> {
        let categories: Vec<&str> = c.categories.iter().map(|c| c.id()).collect();
        self.ranking.add(c.risk, c.score);
        self.unranked.write_record([
            &text(&c.file),
            &text(&c.id),
            &text(&c.agent),
            &text(&c.customer),
            &c.turns.to_string(),
            c.risk_id(),
            &c.score.to_string(),
            &categories.join(";"),
            &text(&c.escalation),
            &text(&c.time),
            &c.duration_s(),
        ])?;
        Ok(())
    }

    fn problem(&mut self, _: &ProblemRecord) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>, _: &RunFacts) -> io::Result<()> {
        let Conversations {
            dir,
            options,
            unranked,
            ranking,
        } = *self;
        unranked.into_inner().map_err(|e| e.into_error())?.flush()?;
        let mut csv = CsvFile::create(&dir, "conversations.csv", &options, HEADER)?;
        let path = dir.join(UNRANKED);
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(BufReader::new(File::open(&path)?));
        let mut record = csv::ByteRecord::new();
        for rank in ranking.ranks() {
            if !rows.read_byte_record(&mut record)? {
                return Err(io::Error::other(
                    "conversations.csv: a row went missing before its rank",
                ));
            }
            // `rank` stands before `duration_s`, the column added after it (columns are only
            // ever added at the end).
            let rank = rank.to_string();
            let before_rank = record.len().saturating_sub(1);
            csv.row(
                record
                    .iter()
                    .take(before_rank)
                    .chain([rank.as_bytes()])
                    .chain(record.iter().skip(before_rank)),
            )?;
        }
        fs::remove_file(path)?;
        csv.finish()
    }
}
