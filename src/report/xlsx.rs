//! `report.xlsx`: the workbook a QA lead opens. Sheets: `conversations` (every conversation,
//! the ones to escalate first at the top: by rank, with the escalation action, the evidence
//! line and the QA sheet's score, fatal flag and deductions), `findings` (every finding, as `hits.csv`, with the agent), one sheet per agent with a
//! counted taboo (that agent's counted taboos; the [`MAX_AGENT_SHEETS`] agents with the most),
//! and `errors`.
//!
//! Promises: every text (ids such as `00123`, agents such as `0012`, phone-like text, times)
//! is a string cell, so leading zeros stay and nothing is ever a formula, even text that
//! starts with `=`; scores, counts, ranks and line numbers are numbers; flags are booleans;
//! headers are frozen, with an autofilter; severities coloured; a cell is cut under the
//! 32,767-character limit.
//!
//! Memory and time: sheets are `rust_xlsxwriter`'s constant memory worksheets (one row in
//! memory, the sheet data in a temporary file in the staging folder). The `findings` sheet is
//! written as conversations arrive, while the scan runs; the rows the other sheets need at
//! the end (conversations, to sort by rank; agents' taboos; errors) are spilled to hidden
//! files as they come ([`super::spill`]). What stays in memory for the whole run is 8 bytes
//! per conversation and per counted taboo (offsets) and two numbers per conversation for the
//! ranking.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use super::cell::plain;
use super::ranking::Ranking;
use super::record::{ConversationRecord, ProblemRecord};
use super::spill::{Cell, Spill};
use super::{Report, ReportOptions, RunFacts};
use crate::category::Side;

pub const FILE: &str = "report.xlsx";

/// Agents that get a sheet of their own, those with the most counted taboos first (the
/// `findings` sheet filters to any agent).
pub const MAX_AGENT_SHEETS: usize = 100;

/// Rows a sheet holds, the header included.
const MAX_ROWS: u32 = 1_048_576;

/// A column: its header, its width (in characters) and whether it holds a severity.
struct Column(&'static str, f64, bool);

const CONVERSATIONS: [Column; 17] = [
    Column("rank", 6.0, false),
    Column("risk_level", 10.0, true),
    Column("score", 7.0, false),
    Column("conversation", 18.0, false),
    Column("agent", 10.0, false),
    Column("customer", 10.0, false),
    Column("time", 19.0, false),
    Column("duration_s", 9.0, false),
    Column("escalation", 40.0, false),
    Column("evidence_line", 8.0, false),
    Column("evidence", 50.0, false),
    Column("categories", 30.0, false),
    Column("turns", 7.0, false),
    Column("file", 30.0, false),
    Column("qa_score", 8.0, false),
    Column("qa_fatal", 8.0, false),
    Column("qa_deductions", 40.0, false),
];

/// The `hits.csv` columns with the agent; `review` and `review_note` at the end are empty for
/// QA to fill (`callrisk review import` reads them back from this sheet).
const FINDINGS: [Column; 20] = [
    Column("file", 30.0, false),
    Column("conversation", 18.0, false),
    Column("agent", 10.0, false),
    Column("line", 7.0, false),
    Column("time", 12.0, false),
    Column("speaker", 9.0, false),
    Column("category", 18.0, false),
    Column("severity", 9.0, true),
    Column("term", 20.0, false),
    Column("matched", 20.0, false),
    Column("context", 50.0, false),
    Column("counted", 8.0, false),
    Column("negated", 8.0, false),
    Column("reason", 12.0, false),
    Column("conditional", 8.0, false),
    Column("count", 7.0, false),
    Column("count_said", 9.0, false),
    Column("hit_id", 18.0, false),
    Column("review", 8.0, false),
    Column("review_note", 30.0, false),
];

const ERRORS: [Column; 3] = [
    Column("file", 40.0, false),
    Column("line", 8.0, false),
    Column("reason", 80.0, false),
];

/// An agent's counted taboos, as offsets of their rows in the taboo spill.
struct AgentTaboos {
    name: String,
    rows: Vec<u64>,
}

pub struct Xlsx {
    dir: PathBuf,
    book: Workbook,
    formats: Formats,
    names: SheetNames,
    /// Reserved when the workbook is created, so no agent's sheet can take them.
    conversations_name: String,
    errors_name: String,
    conversations: Spill,
    conversation_rows: Vec<u64>,
    ranking: Ranking,
    /// The `findings` sheet, written as conversations arrive.
    findings: SheetWriter,
    /// Counted taboos, for the agents' sheets.
    taboos: Spill,
    agents: Vec<AgentTaboos>,
    agent_index: HashMap<String, usize>,
    errors: Spill,
    error_rows: Vec<u64>,
}

fn xlsx_error(e: XlsxError) -> io::Error {
    match e {
        XlsxError::IoError(e) => e,
        other => io::Error::other(other),
    }
}

impl Xlsx {
    pub fn create(dir: &Path, _: &ReportOptions) -> io::Result<Xlsx> {
        let formats = Formats::new();
        let mut book = Workbook::new();
        book.set_tempdir(dir).map_err(xlsx_error)?;
        // Level 1: the sheets compress to about the same size, in a fraction of the time.
        book.set_zip_compression_level(1);
        if let Some(created) = source_date_epoch() {
            book.set_properties(&DocProperties::new().set_creation_datetime(&created));
        }
        let mut names = SheetNames::default();
        // The tab order is conversations, findings, agents, errors: reserve the names in it.
        let conversations_name = names.take("conversations");
        let findings = SheetWriter::new(&mut book, names.take("findings"), &FINDINGS, &formats).map_err(xlsx_error)?;
        let errors_name = names.take("errors");
        Ok(Xlsx {
            dir: dir.to_path_buf(),
            book,
            formats,
            names,
            conversations_name,
            errors_name,
            conversations: Spill::create(dir, ".report.xlsx.conversations")?,
            conversation_rows: Vec::new(),
            ranking: Ranking::default(),
            findings,
            taboos: Spill::create(dir, ".report.xlsx.taboos")?,
            agents: Vec::new(),
            agent_index: HashMap::new(),
            errors: Spill::create(dir, ".report.xlsx.errors")?,
            error_rows: Vec::new(),
        })
    }
}

/// The workbook's creation time from `SOURCE_DATE_EPOCH` (seconds since 1970, the
/// reproducible-builds convention), so that two runs over the same inputs write the same
/// bytes; without it the workbook says when it was written, as spreadsheets expect. A value
/// that is not such a number is passed over.
fn source_date_epoch() -> Option<ExcelDateTime> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
    ExcelDateTime::from_timestamp(seconds).ok()
}

fn text(value: &str) -> Cell {
    Cell::Text(plain(value).into_owned())
}

impl Report for Xlsx {
    fn conversation(&mut self, c: &ConversationRecord) -> io::Result<()> {
        let agent = match c.agent.trim() {
            "" => "unknown",
            name => name,
        };
        // The evidence: the first of the most severe counted findings.
        let evidence = c.findings.iter().filter(|f| f.counted).rev().max_by_key(|f| f.severity);
        let categories: Vec<&str> = c.categories.iter().map(|c| c.id()).collect();
        self.ranking.add(c.risk, c.score);
        let row = [
            Cell::Text(c.risk_id().to_string()),
            Cell::Number(c.score.into()),
            text(&c.id),
            text(agent),
            text(&c.customer),
            text(&c.time),
            c.duration_ms
                .map_or(Cell::Empty, |ms| Cell::Number(((ms + 500) / 1000) as f64)),
            text(&c.escalation),
            evidence.map_or(Cell::Empty, |f| Cell::Number(f.line as f64)),
            evidence.map_or(Cell::Empty, |f| text(&f.context)),
            Cell::Text(categories.join(";")),
            Cell::Number(c.turns as f64),
            text(&c.file),
            Cell::Number(c.sheet.score.into()),
            Cell::Bool(c.sheet.fatal),
            text(&c.sheet.deductions_text()),
        ];
        self.conversation_rows.push(self.conversations.push(&row)?);
        for f in &c.findings {
            let row = [
                text(&c.file),
                text(&c.id),
                text(agent),
                Cell::Number(f.line as f64),
                text(&f.time),
                Cell::Text(f.speaker.id().into()),
                Cell::Text(f.category.id().into()),
                Cell::Text(f.severity.id().into()),
                text(&f.term),
                text(&f.matched),
                text(&f.context),
                Cell::Bool(f.counted),
                Cell::Bool(!f.counted),
                Cell::Text(f.reason.into()),
                Cell::Bool(f.conditional),
                f.count.map_or(Cell::Empty, |n| Cell::Number(n.into())),
                text(&f.count_said),
                Cell::Text(f.hit_id.clone()),
                Cell::Empty,
                Cell::Empty,
            ];
            self.findings.push(&row, &self.formats).map_err(xlsx_error)?;
            if f.counted && f.category.side() == Side::Taboo {
                let at = self.taboos.push(&row)?;
                let index = match self.agent_index.get(agent) {
                    Some(&i) => i,
                    None => {
                        self.agents.push(AgentTaboos {
                            name: agent.to_string(),
                            rows: Vec::new(),
                        });
                        self.agent_index.insert(agent.to_string(), self.agents.len() - 1);
                        self.agents.len() - 1
                    }
                };
                self.agents[index].rows.push(at);
            }
        }
        Ok(())
    }

    fn problem(&mut self, p: &ProblemRecord) -> io::Result<()> {
        let row = [
            text(&p.file),
            p.line.map_or(Cell::Empty, |l| Cell::Number(l as f64)),
            text(&p.reason),
        ];
        self.error_rows.push(self.errors.push(&row)?);
        Ok(())
    }

    fn finish(self: Box<Self>, _: &RunFacts) -> io::Result<()> {
        self.write().map_err(xlsx_error)
    }
}

impl Xlsx {
    fn write(self) -> Result<(), XlsxError> {
        let Xlsx {
            dir,
            mut book,
            formats,
            mut names,
            conversations_name,
            errors_name,
            mut conversations,
            conversation_rows,
            ranking,
            findings,
            mut taboos,
            mut agents,
            errors: mut error_spill,
            error_rows,
            ..
        } = self;
        let order = ranking.order();
        let mut sheet = SheetWriter::new(&mut book, conversations_name, &CONVERSATIONS, &formats)?;
        for (place, &i) in order.iter().enumerate() {
            let mut row = conversations.read(conversation_rows[i as usize])?;
            row.insert(0, Cell::Number(place as f64 + 1.0));
            sheet.push(&row, &formats)?;
        }
        book.push_worksheet(sheet.finish()?);
        drop(conversations);
        book.push_worksheet(findings.finish()?);

        // Agents with the most counted taboos first; ties in order of first appearance.
        agents.sort_by_key(|a| std::cmp::Reverse(a.rows.len()));
        for agent in agents.iter().take(MAX_AGENT_SHEETS) {
            let name = names.take(&agent.name);
            let mut sheet = SheetWriter::new(&mut book, name, &FINDINGS, &formats)?;
            for &at in &agent.rows {
                sheet.push(&taboos.read(at)?, &formats)?;
            }
            book.push_worksheet(sheet.finish()?);
        }

        let mut sheet = SheetWriter::new(&mut book, errors_name, &ERRORS, &formats)?;
        for &at in &error_rows {
            sheet.push(&error_spill.read(at)?, &formats)?;
        }
        book.push_worksheet(sheet.finish()?);
        book.save(dir.join(FILE))?;
        // The set is swapped in only once every byte is on disk.
        std::fs::File::open(dir.join(FILE))?.sync_all()?;
        Ok(())
    }
}

/// A constant-memory sheet being written: the header written, frozen, columns sized; rows
/// pushed in order. Past the rows a sheet holds, a last row says how many more there are (the
/// CSVs have them all).
struct SheetWriter {
    sheet: Worksheet,
    columns: &'static [Column],
    row_number: u32,
    not_written: u64,
}

impl SheetWriter {
    fn new(
        book: &mut Workbook,
        name: String,
        columns: &'static [Column],
        formats: &Formats,
    ) -> Result<SheetWriter, XlsxError> {
        let mut sheet = book.new_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        for (col, Column(header, width, _)) in columns.iter().enumerate() {
            sheet.set_column_width(col as u16, *width)?;
            sheet.write_string_with_format(0, col as u16, *header, &formats.header)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(SheetWriter {
            sheet,
            columns,
            row_number: 1,
            not_written: 0,
        })
    }

    fn push(&mut self, row: &[Cell], formats: &Formats) -> Result<(), XlsxError> {
        if self.row_number >= MAX_ROWS - 1 {
            self.not_written += 1;
            return Ok(());
        }
        let (sheet, row_number) = (&mut self.sheet, self.row_number);
        for (col, cell) in row.iter().enumerate() {
            let col_u16 = col as u16;
            match cell {
                Cell::Text(value) if value.is_empty() => {}
                Cell::Text(value) => match self
                    .columns
                    .get(col)
                    .filter(|c| c.2)
                    .and_then(|_| formats.severity(value))
                {
                    Some(format) => {
                        sheet.write_string_with_format(row_number, col_u16, value, format)?;
                    }
                    None => {
                        sheet.write_string(row_number, col_u16, value)?;
                    }
                },
                Cell::Number(n) => {
                    sheet.write_number(row_number, col_u16, *n)?;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(row_number, col_u16, *b)?;
                }
                Cell::Empty => {}
            }
        }
        self.row_number += 1;
        Ok(())
    }

    /// The overflow note and the autofilter; the sheet, ready to be pushed.
    fn finish(mut self) -> Result<Worksheet, XlsxError> {
        if self.not_written > 0 {
            self.sheet.write_string(
                self.row_number,
                0,
                format!(
                    "… {} more rows than a sheet holds: see the CSV reports",
                    self.not_written
                ),
            )?;
        }
        let last = self.row_number.saturating_sub(1).max(1);
        self.sheet.autofilter(0, 0, last, self.columns.len() as u16 - 1)?;
        Ok(self.sheet)
    }
}

struct Formats {
    header: Format,
    critical: Format,
    high: Format,
    medium: Format,
    low: Format,
}

impl Formats {
    fn new() -> Formats {
        let fill = |rgb: u32| Format::new().set_background_color(Color::RGB(rgb));
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            critical: fill(0xC00000).set_font_color(Color::White).set_bold(),
            high: fill(0xF4B084),
            medium: fill(0xFFE699),
            low: fill(0xDDEBF7),
        }
    }

    fn severity(&self, id: &str) -> Option<&Format> {
        match id {
            "critical" => Some(&self.critical),
            "high" => Some(&self.high),
            "medium" => Some(&self.medium),
            "low" => Some(&self.low),
            _ => None,
        }
    }
}

/// Sheet names as Excel takes them: at most 31 characters, none of `[]:*?/\`, not starting
/// or ending with `'`, not `History`, and unique ignoring case.
#[derive(Default)]
struct SheetNames {
    taken: std::collections::HashSet<String>,
}

impl SheetNames {
    fn take(&mut self, wanted: &str) -> String {
        let mut base: String = wanted
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect();
        base = base.trim_matches('\'').trim().to_string();
        if base.is_empty() || base.eq_ignore_ascii_case("history") {
            base = format!("agent {base}").trim().to_string();
        }
        let base: String = base.chars().take(31).collect();
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            let keep = 31 - suffix.chars().count();
            name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
            n += 1;
        }
        self.taken.insert(name.to_lowercase());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_what_excel_accepts_and_unique() {
        let mut names = SheetNames::default();
        assert_eq!(names.take("conversations"), "conversations");
        assert_eq!(names.take("Conversations"), "Conversations (2)");
        assert_eq!(names.take("客服[工号:0012]/夜班?"), "客服_工号_0012__夜班_");
        assert_eq!(names.take("'0012'"), "0012");
        assert_eq!(names.take("0012"), "0012 (2)");
        assert_eq!(names.take("History"), "agent History");
        assert_eq!(names.take(""), "agent");
        let long = "很长的坐席名字".repeat(10);
        let first = names.take(&long);
        let second = names.take(&long);
        assert_eq!(first.chars().count(), 31);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with(" (2)"));
    }
}
