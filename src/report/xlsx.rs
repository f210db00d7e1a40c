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
//! Memory and time: each sheet's XML is streamed into a deflated entry of its own in the
//! staging folder ([`super::sheet`]), one row in memory. The `findings` sheet is written as
//! conversations arrive, while the scan runs; the rows the other sheets need at the end
//! (conversations, to sort by rank; agents' taboos; errors) are spilled to hidden files as
//! they come ([`super::spill`]). What stays in memory for the whole run is 8 bytes per
//! conversation and per counted taboo (offsets), two numbers per conversation for the
//! ranking, and the shared strings' look-up table (at most 65,536 texts of up to 256 bytes:
//! the values of the columns that repeat, such as file, category, term and escalation). A
//! conversation's evidence is its finding's context, written once in the shared strings.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use super::cell::plain;
use super::ranking::Ranking;
use super::record::{ConversationRecord, ProblemRecord};
use super::sheet::{Column, Package, Sheet};
use super::spill::{Cell, Spill};
use super::strings::SharedStrings;
use super::{Report, ReportOptions, RunFacts};
use crate::category::Side;

pub const FILE: &str = "report.xlsx";

/// Agents that get a sheet of their own, those with the most counted taboos first (the
/// `findings` sheet filters to any agent).
pub const MAX_AGENT_SHEETS: usize = 100;

/// The sheet of the taboos in conversations whose agent is not known.
const NO_AGENT_SHEET: &str = "(no agent)";

const CONVERSATIONS: [Column; 17] = [
    Column::unique("rank", 6.0),
    Column::severity("risk_level", 10.0),
    Column::unique("score", 7.0),
    Column::unique("conversation", 18.0),
    Column::repeated("agent", 10.0),
    Column::unique("customer", 10.0),
    Column::unique("time", 19.0),
    Column::unique("duration_s", 9.0),
    Column::repeated("escalation", 40.0),
    Column::unique("evidence_line", 8.0),
    Column::unique("evidence", 50.0),
    Column::repeated("categories", 30.0),
    Column::unique("turns", 7.0),
    Column::repeated("file", 30.0),
    Column::unique("qa_score", 8.0),
    Column::unique("qa_fatal", 8.0),
    Column::repeated("qa_deductions", 40.0),
];

/// The `hits.csv` columns with the agent; `review` and `review_note` at the end are empty for
/// QA to fill (`callrisk review import` reads them back from this sheet).
const FINDINGS: [Column; 20] = [
    Column::repeated("file", 30.0),
    Column::unique("conversation", 18.0),
    Column::repeated("agent", 10.0),
    Column::unique("line", 7.0),
    Column::unique("time", 12.0),
    Column::repeated("speaker", 9.0),
    Column::repeated("category", 18.0),
    Column::severity("severity", 9.0),
    Column::repeated("term", 20.0),
    Column::repeated("matched", 20.0),
    Column::unique("context", 50.0),
    Column::unique("counted", 8.0),
    Column::unique("negated", 8.0),
    Column::repeated("reason", 12.0),
    Column::unique("conditional", 8.0),
    Column::unique("count", 7.0),
    Column::repeated("count_said", 9.0),
    Column::unique("hit_id", 18.0),
    Column::unique("review", 8.0),
    Column::unique("review_note", 30.0),
];

const ERRORS: [Column; 3] = [
    Column::unique("file", 40.0),
    Column::unique("line", 8.0),
    Column::unique("reason", 80.0),
];

/// An agent's counted taboos, as offsets of their rows in the taboo spill.
struct AgentTaboos {
    name: String,
    rows: Vec<u64>,
}

pub struct Xlsx {
    dir: PathBuf,
    names: SheetNames,
    /// Reserved when the workbook is created, so no agent's sheet can take them.
    conversations_name: String,
    errors_name: String,
    conversations: Spill,
    conversation_rows: Vec<u64>,
    ranking: Ranking,
    /// The `findings` sheet, written as conversations arrive.
    findings: Sheet,
    /// The texts every sheet shares.
    strings: SharedStrings,
    /// Counted taboos, for the agents' sheets.
    taboos: Spill,
    agents: Vec<AgentTaboos>,
    agent_index: HashMap<String, usize>,
    errors: Spill,
    error_rows: Vec<u64>,
}

impl Xlsx {
    pub fn create(dir: &Path, _: &ReportOptions) -> io::Result<Xlsx> {
        let mut names = SheetNames::default();
        // The tab order is conversations, findings, agents, errors: reserve the names in it.
        let conversations_name = names.take("conversations");
        let findings = Sheet::create(
            dir,
            ".report.xlsx.findings",
            names.take("findings"),
            &FINDINGS,
            false,
            None,
        )?;
        let errors_name = names.take("errors");
        let strings = SharedStrings::create(dir, ".report.xlsx.strings")?;
        Ok(Xlsx {
            dir: dir.to_path_buf(),
            names,
            conversations_name,
            errors_name,
            conversations: Spill::create(dir, ".report.xlsx.conversations")?,
            conversation_rows: Vec::new(),
            ranking: Ranking::default(),
            findings,
            strings,
            taboos: Spill::create(dir, ".report.xlsx.taboos")?,
            agents: Vec::new(),
            agent_index: HashMap::new(),
            errors: Spill::create(dir, ".report.xlsx.errors")?,
            error_rows: Vec::new(),
        })
    }
}

/// The workbook's creation time: `SOURCE_DATE_EPOCH` (seconds since 1970, the
/// reproducible-builds convention), so that two runs over the same inputs write the same
/// bytes; without it (or when it is not such a number) the time it is written, as
/// spreadsheets expect.
fn created() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        // Years 1970 to 9999, what the document's date format holds.
        .filter(|s| (0..=253_402_300_799).contains(s))
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        })
}

fn text(value: &str) -> Cell<'_> {
    Cell::Text(plain(value))
}

impl Report for Xlsx {
    fn conversation(&mut self, c: &ConversationRecord) -> io::Result<()> {
        // Blank where the agent is not known, as in the CSVs; that agent's sheet is named
        // [`NO_AGENT_SHEET`].
        let agent = c.agent.trim();
        // The evidence: the first of the most severe counted findings.
        let evidence = c.findings.iter().filter(|f| f.counted).rev().max_by_key(|f| f.severity);
        // Its context is written once, shared by the conversation's row and the finding's.
        let evidence_text = evidence
            .filter(|f| !f.context.is_empty())
            .and_then(|f| self.strings.add(&plain(&f.context)))
            .map(Cell::Shared);
        let categories: Vec<&str> = c.categories.iter().map(|c| c.id()).collect();
        self.ranking.add(c.risk, c.score);
        let row = [
            Cell::Text(c.risk_id().into()),
            Cell::Number(c.score.into()),
            text(&c.id),
            text(agent),
            text(&c.customer),
            text(&c.time),
            c.duration_ms
                .map_or(Cell::Empty, |ms| Cell::Number(((ms + 500) / 1000) as f64)),
            text(&c.escalation),
            evidence.map_or(Cell::Empty, |f| Cell::Number(f.line as f64)),
            match (&evidence_text, evidence) {
                (Some(shared), _) => shared.clone(),
                (None, Some(f)) => text(&f.context),
                (None, None) => Cell::Empty,
            },
            Cell::Text(categories.join(";").into()),
            Cell::Number(c.turns as f64),
            text(&c.file),
            c.sheet.score.map_or(Cell::Empty, |s| Cell::Number(s.into())),
            Cell::Bool(c.sheet.fatal),
            Cell::Text(plain(&c.sheet.deductions_text()).into_owned().into()),
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
                match (&evidence_text, evidence) {
                    (Some(shared), Some(e)) if std::ptr::eq(e, f) => shared.clone(),
                    _ => text(&f.context),
                },
                Cell::Bool(f.counted),
                Cell::Bool(!f.counted),
                Cell::Text(f.reason.into()),
                Cell::Bool(f.conditional),
                f.count.map_or(Cell::Empty, |n| Cell::Number(n.into())),
                text(&f.count_said),
                Cell::Text(f.hit_id.as_str().into()),
                Cell::Empty,
                Cell::Empty,
            ];
            self.findings.push(&row, &mut self.strings)?;
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
        self.strings.flush_if_full()
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
        self.write()
    }
}

impl Xlsx {
    fn write(self) -> io::Result<()> {
        let Xlsx {
            dir,
            mut names,
            conversations_name,
            errors_name,
            mut conversations,
            conversation_rows,
            ranking,
            findings,
            mut strings,
            mut taboos,
            mut agents,
            errors: mut error_spill,
            error_rows,
            ..
        } = self;
        let order = ranking.order();
        let mut sheet = Sheet::create(
            &dir,
            ".report.xlsx.conversations.xml",
            conversations_name,
            &CONVERSATIONS,
            true,
            Some(order.len()),
        )?;
        for (place, &i) in order.iter().enumerate() {
            let mut row = conversations.read(conversation_rows[i as usize])?;
            row.insert(0, Cell::Number(place as f64 + 1.0));
            sheet.push(&row, &mut strings)?;
            strings.flush_if_full()?;
        }
        let mut sheets = vec![sheet.finish()?];
        drop(conversations);
        sheets.push(findings.finish()?);

        // Agents with the most counted taboos first; ties in order of first appearance.
        agents.sort_by_key(|a| std::cmp::Reverse(a.rows.len()));
        for (i, agent) in agents.iter().take(MAX_AGENT_SHEETS).enumerate() {
            let name = match agent.name.as_str() {
                "" => names.take(NO_AGENT_SHEET),
                name => names.take(name),
            };
            let mut sheet = Sheet::create(
                &dir,
                &format!(".report.xlsx.agent{i}"),
                name,
                &FINDINGS,
                false,
                Some(agent.rows.len()),
            )?;
            for &at in &agent.rows {
                sheet.push(&taboos.read(at)?, &mut strings)?;
                strings.flush_if_full()?;
            }
            sheets.push(sheet.finish()?);
        }

        let mut sheet = Sheet::create(
            &dir,
            ".report.xlsx.errors.xml",
            errors_name,
            &ERRORS,
            false,
            Some(error_rows.len()),
        )?;
        for &at in &error_rows {
            sheet.push(&error_spill.read(at)?, &mut strings)?;
        }
        sheets.push(sheet.finish()?);
        // The package is fsynced: the set is swapped in only once every byte is on disk.
        Package {
            sheets,
            strings: strings.finish()?,
            created: created(),
        }
        .write(&dir.join(FILE))
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
        let base: String = wanted
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\u{FFFE}' | '\u{FFFF}' => '_',
                c if c.is_control() => '_',
                c => c,
            })
            .collect();
        let mut base = tidy(&base).to_string();
        if base.is_empty() || base.eq_ignore_ascii_case("history") {
            base = format!("agent {base}").trim().to_string();
        }
        let base = tidy(cut(&base, 31)).to_string();
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            name = format!("{}{suffix}", tidy(cut(&base, 31 - suffix.len())));
            n += 1;
        }
        self.taken.insert(name.to_lowercase());
        name
    }
}

/// No `'` or white space at either end (Excel refuses a sheet name that starts or ends with `'`).
fn tidy(name: &str) -> &str {
    name.trim_matches(|c: char| c == '\'' || c.is_whitespace())
}

/// At most `units` UTF-16 code units, as Excel counts a name's length.
fn cut(name: &str, units: usize) -> &str {
    let mut used = 0;
    for (at, c) in name.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &name[..at];
        }
    }
    name
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
        // Never a `'` at either end, also after a cut; length in UTF-16 units.
        assert_eq!(names.take("'a' '"), "a");
        let quoted_at_31 = format!("{}'尾巴", "坐".repeat(30));
        assert_eq!(names.take(&quoted_at_31), "坐".repeat(30));
        let emoji = names.take(&"😀".repeat(20));
        assert_eq!(emoji.encode_utf16().count(), 30, "15 emoji, 2 units each");
        assert_eq!(names.take("坐席\u{FFFE}"), "坐席_");
    }
}
