//! `--json`: JSON Lines on stdout for pipelines, like `rg --json`. Each line is one object
//! with a `type` and the schema `version` ([`VERSION`]); in input order, per conversation its
//! `finding` objects then the `conversation` object, an `error` object per problem where it
//! happened, then, once every conversation is in, one `rank` object per conversation in the
//! order to look at them (as conversations.csv's `rank`), and one `summary` object last. Fields are those of the CSV reports, typed:
//! numbers as numbers, flags as booleans, an absent value as `null`. Text is masked like every
//! report's, but not neutralised for spreadsheets (`=1+1` stays `=1+1`).
//!
//! The schema is documented in README.md (*JSON Lines*); a field is only ever added, and a
//! change in meaning raises the version. A closed pipe (`| head`) ends the stream quietly;
//! the scan and the reports go on.

use std::io::{self, BufWriter, Stdout, Write};

use serde::Serialize;

use super::ranking::Ranking;
use super::record::{ConversationRecord, ProblemRecord};
use super::{Report, RunFacts};
use crate::category::Category;

/// The schema version every object carries.
pub const VERSION: u32 = 3;

#[derive(Serialize)]
struct Finding<'a> {
    r#type: &'static str,
    version: u32,
    file: &'a str,
    conversation: &'a str,
    line: usize,
    /// `null` when the input gives no time, as for a conversation.
    time: Option<&'a str>,
    speaker: &'static str,
    category: &'static str,
    severity: &'static str,
    term: &'a str,
    matched: &'a str,
    context: &'a str,
    counted: bool,
    negated: bool,
    reason: Option<&'static str>,
    conditional: bool,
    count: Option<u32>,
    count_said: Option<&'a str>,
    /// Stable id of the finding, as in hits.csv.
    hit_id: &'a str,
}

#[derive(Serialize)]
struct Conversation<'a> {
    r#type: &'static str,
    version: u32,
    file: &'a str,
    conversation: &'a str,
    /// `null` when the input names none (blank in conversations.csv).
    agent: Option<&'a str>,
    customer: Option<&'a str>,
    time: Option<&'a str>,
    turns: usize,
    /// Seconds from the first turn's start to the last turn's end; absent without times.
    duration_s: Option<u64>,
    risk_level: &'static str,
    score: u32,
    categories: Vec<&'static str>,
    escalation: &'a str,
    findings: usize,
    counted_findings: usize,
    /// The QA sheet: 0–100 (`null` where no line is known to be the agent's and nothing fatal
    /// was found), whether a fatal item zeroed it, and the deductions.
    qa_score: Option<u32>,
    qa_fatal: bool,
    qa_deductions: String,
}

/// A conversation's place in the order to look at them: worst risk, highest score, input order.
#[derive(Serialize)]
struct Rank<'a> {
    r#type: &'static str,
    version: u32,
    rank: u32,
    file: &'a str,
    conversation: &'a str,
    risk_level: &'static str,
    score: u32,
}

#[derive(Serialize)]
struct Error<'a> {
    r#type: &'static str,
    version: u32,
    file: &'a str,
    line: Option<usize>,
    reason: &'a str,
}

#[derive(Serialize)]
struct Summary {
    r#type: &'static str,
    version: u32,
    inputs: usize,
    scanned: usize,
    failed: usize,
    skipped: usize,
    conversations: usize,
    bytes: u64,
    errors: usize,
    conversations_by_risk: ByRisk,
    counted_findings: serde_json::Map<String, serde_json::Value>,
}

/// Conversations per risk level, worst first.
#[derive(Serialize)]
struct ByRisk {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    none: usize,
}

pub struct JsonLines {
    out: BufWriter<Stdout>,
    /// The reader went away (a closed pipe): write no more.
    closed: bool,
    by_risk: [usize; 5],
    counted: [usize; Category::ALL.len()],
    errors: usize,
    ranking: Ranking,
    /// Per conversation in input order, what its `rank` object names: file, id, risk level
    /// and score.
    ranked: Vec<(String, String, &'static str, u32)>,
}

/// A write to stdout failed (a full disk behind a redirection, a closed terminal).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StdoutFailed(io::Error);

/// Whether `error` is a failed write of `--json` to stdout rather than of the report folder.
pub fn is_stdout_failure(error: &io::Error) -> bool {
    error.get_ref().is_some_and(|inner| inner.is::<StdoutFailed>())
}

impl JsonLines {
    pub fn new() -> JsonLines {
        JsonLines {
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
            closed: false,
            by_risk: [0; 5],
            counted: [0; Category::ALL.len()],
            errors: 0,
            ranking: Ranking::default(),
            ranked: Vec::new(),
        }
    }

    fn line(&mut self, object: &impl Serialize) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let written = serde_json::to_writer(&mut self.out, object)
            .map_err(io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"));
        self.quiet_on_closed_pipe(written)
    }

    fn quiet_on_closed_pipe(&mut self, result: io::Result<()>) -> io::Result<()> {
        match result {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            // Marked as stdout's, so the run says "cannot write to stdout", not that the
            // report folder failed.
            Err(e) => Err(io::Error::new(e.kind(), StdoutFailed(e))),
            Ok(()) => Ok(()),
        }
    }
}

impl Report for JsonLines {
    fn conversation(&mut self, c: &ConversationRecord) -> io::Result<()> {
        let mut counted = 0;
        for f in &c.findings {
            counted += usize::from(f.counted);
            if f.counted {
                self.counted[f.category.index()] += 1;
            }
            self.line(&Finding {
                r#type: "finding",
                version: VERSION,
                file: &c.file,
                conversation: &c.id,
                line: f.line,
                time: Some(&*f.time).filter(|t| !t.is_empty()),
                speaker: f.speaker.id(),
                category: f.category.id(),
                severity: f.severity.id(),
                term: &f.term,
                matched: &f.matched,
                context: &f.context,
                counted: f.counted,
                negated: !f.counted,
                reason: Some(f.reason).filter(|r| !r.is_empty()),
                conditional: f.conditional,
                count: f.count,
                count_said: Some(f.count_said.as_ref()).filter(|s| !s.is_empty()),
                hit_id: &f.hit_id,
            })?;
        }
        self.by_risk[c.risk.map_or(0, |s| s as usize + 1)] += 1;
        self.ranking.add(c.risk, c.score);
        self.ranked
            .push((c.file.to_string(), c.id.to_string(), c.risk_id(), c.score));
        self.line(&Conversation {
            r#type: "conversation",
            version: VERSION,
            file: &c.file,
            conversation: &c.id,
            agent: Some(&*c.agent).filter(|a| !a.is_empty()),
            customer: Some(&*c.customer).filter(|a| !a.is_empty()),
            time: Some(c.time.as_ref()).filter(|t| !t.is_empty()),
            turns: c.turns,
            duration_s: c.duration_ms.map(|ms| (ms + 500) / 1000),
            risk_level: c.risk_id(),
            score: c.score,
            categories: c.categories.iter().map(|c| c.id()).collect(),
            escalation: &c.escalation,
            findings: c.findings.len(),
            counted_findings: counted,
            qa_score: c.sheet.score,
            qa_fatal: c.sheet.fatal,
            qa_deductions: c.sheet.deductions_text(),
        })
    }

    fn problem(&mut self, p: &ProblemRecord) -> io::Result<()> {
        self.errors += 1;
        self.line(&Error {
            r#type: "error",
            version: VERSION,
            file: &p.file,
            line: p.line,
            reason: &p.reason,
        })
    }

    fn finish(mut self: Box<Self>, run: &RunFacts) -> io::Result<()> {
        let order = self.ranking.order();
        let ranked = std::mem::take(&mut self.ranked);
        for (place, &conversation) in order.iter().enumerate() {
            let (file, id, risk_level, score) = &ranked[conversation as usize];
            self.line(&Rank {
                r#type: "rank",
                version: VERSION,
                rank: place as u32 + 1,
                file,
                conversation: id,
                risk_level,
                score: *score,
            })?;
        }
        let [none, low, medium, high, critical] = self.by_risk;
        let by_risk = ByRisk {
            critical,
            high,
            medium,
            low,
            none,
        };
        let counted = Category::ALL
            .iter()
            .map(|c| (c.id().to_string(), self.counted[c.index()].into()))
            .collect();
        let summary = Summary {
            r#type: "summary",
            version: VERSION,
            inputs: run.inputs,
            scanned: run.scanned,
            failed: run.failed,
            skipped: run.skipped,
            conversations: run.conversations,
            bytes: run.bytes,
            errors: self.errors,
            conversations_by_risk: by_risk,
            counted_findings: counted,
        };
        self.line(&summary)?;
        let flushed = self.out.flush();
        self.quiet_on_closed_pipe(flushed)
    }
}
