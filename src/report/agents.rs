//! `agents.csv`: per agent, conversations, conversations with a taboo, a count per taboo
//! category, the worst example as `file:line`, and the QA sheet: mean and worst score and the
//! calls a fatal item zeroed. Agents appear in order of first appearance; conversations with
//! no known agent are one row whose `agent` is empty, as in `conversations.csv`.
//! Written whole at the end: its rows are totals.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use super::cell::text;
use super::record::{ConversationRecord, ProblemRecord};
use super::{CsvFile, Report, ReportOptions, RunFacts};
use crate::category::{Category, Severity, Side};

#[derive(Default)]
pub struct AgentRow {
    pub name: String,
    pub conversations: usize,
    pub with_taboo: usize,
    pub per_category: [usize; Category::ALL.len()],
    /// The worst counted taboo, as its severity and `file:line`.
    pub worst: Option<(Severity, String)>,
    /// Conversations the sheet scored (not those where no agent spoke) and the sum of their
    /// scores, for the mean.
    pub scored: usize,
    pub score_sum: u64,
    /// The lowest score on the sheet.
    pub worst_score: Option<u32>,
    /// Conversations a fatal item zeroed.
    pub fatal: usize,
}

impl AgentRow {
    /// The mean score on the sheet, to one decimal (as text, for CSV and the page).
    pub fn mean_score(&self) -> String {
        match self.scored {
            0 => String::new(),
            n => format!("{:.1}", self.score_sum as f64 / n as f64),
        }
    }
}

/// Running totals, one row per agent, rows in order of first appearance and an index by name
/// (a centre has thousands of agents). Conversations whose agent is not known share one row
/// with an empty name: never merged with an agent whose id happens to be `unknown`.
#[derive(Default)]
pub struct AgentTally {
    pub rows: Vec<AgentRow>,
    index: HashMap<String, usize>,
}

impl AgentTally {
    pub fn add(&mut self, c: &ConversationRecord) {
        let name = c.agent.trim();
        let index = match self.index.get(name) {
            Some(&i) => i,
            None => {
                self.rows.push(AgentRow {
                    name: name.to_string(),
                    ..AgentRow::default()
                });
                self.index.insert(name.to_string(), self.rows.len() - 1);
                self.rows.len() - 1
            }
        };
        let row = &mut self.rows[index];
        row.conversations += 1;
        if let Some(score) = c.sheet.score {
            row.scored += 1;
            row.score_sum += u64::from(score);
            row.worst_score = Some(row.worst_score.map_or(score, |w| w.min(score)));
        }
        row.fatal += usize::from(c.sheet.fatal);
        let mut any_taboo = false;
        for f in &c.findings {
            if !f.counted || f.category.side() != Side::Taboo {
                continue;
            }
            any_taboo = true;
            row.per_category[f.category.index()] += 1;
            if row.worst.as_ref().is_none_or(|(s, _)| f.severity > *s) {
                row.worst = Some((f.severity, format!("{}:{}", c.file, f.line)));
            }
        }
        row.with_taboo += usize::from(any_taboo);
    }
}

pub struct Agents {
    dir: PathBuf,
    options: ReportOptions,
    tally: AgentTally,
}

impl Agents {
    pub fn create(dir: &Path, options: &ReportOptions) -> Agents {
        Agents {
            dir: dir.to_path_buf(),
            options: options.clone(),
            tally: AgentTally::default(),
        }
    }
}

impl Report for Agents {
    fn conversation(&mut self, c: &ConversationRecord) -> io::Result<()> {
        self.tally.add(c);
        Ok(())
    }

    fn problem(&mut self, _: &ProblemRecord) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>, _: &RunFacts) -> io::Result<()> {
        let mut header = vec!["agent", "conversations", "taboo_conversations"];
        header.extend(Category::taboos().map(Category::id));
        header.extend([
            "worst_example",
            "mean_score",
            "worst_score",
            "fatal_calls",
            "scored_calls",
        ]);
        let mut csv = CsvFile::create(&self.dir, "agents.csv", &self.options, &header)?;
        for row in &self.tally.rows {
            let mut record = vec![
                text(&row.name),
                row.conversations.to_string(),
                row.with_taboo.to_string(),
            ];
            record.extend(Category::taboos().map(|c| row.per_category[c.index()].to_string()));
            record.push(row.worst.as_ref().map(|(_, at)| text(at)).unwrap_or_default());
            record.push(row.mean_score());
            record.push(row.worst_score.map(|s| s.to_string()).unwrap_or_default());
            record.push(row.fatal.to_string());
            record.push(row.scored.to_string());
            csv.row(&record)?;
        }
        csv.finish()
    }
}
