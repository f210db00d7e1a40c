//! `agents.csv`: per agent, conversations, conversations with a taboo, a count per taboo
//! category and the worst example as `file:line`. Agents appear in order of first appearance.

use std::io;

use super::cell::text;
use super::{ReportOptions, Sink};
use crate::category::{Category, Severity};
use crate::score::ScannedConversation;

#[derive(Default)]
struct AgentRow {
    name: String,
    conversations: usize,
    with_taboo: usize,
    per_category: [usize; Category::ALL.len()],
    worst: Option<(Severity, String)>,
}

/// Running totals, one row per agent (an empty agent is `unknown`), rows in order of first
/// appearance and an index by name (a centre has thousands of agents).
#[derive(Default)]
pub struct AgentTally {
    rows: Vec<AgentRow>,
    index: std::collections::HashMap<String, usize>,
}

impl AgentTally {
    pub fn add(&mut self, file: &str, scanned: &ScannedConversation) {
        let c = &scanned.conversation;
        let name = if c.agent.trim().is_empty() {
            "unknown"
        } else {
            c.agent.trim()
        };
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
        let mut any_taboo = false;
        for lf in &scanned.findings {
            let f = &lf.finding;
            if !f.counts() || f.category.side() != crate::category::Side::Taboo {
                continue;
            }
            any_taboo = true;
            row.per_category[f.category.index()] += 1;
            if row.worst.as_ref().is_none_or(|(s, _)| f.severity > *s) {
                row.worst = Some((f.severity, format!("{file}:{}", c.utterances[lf.utterance].line)));
            }
        }
        row.with_taboo += usize::from(any_taboo);
    }

    pub fn write(&self, sink: &mut Sink, options: ReportOptions) -> io::Result<()> {
        let mut header = vec!["agent", "conversations", "taboo_conversations"];
        header.extend(Category::taboos().map(Category::id));
        header.push("worst_example");
        sink.write_record(&header)?;
        for row in &self.rows {
            let mut record = vec![
                text(&row.name, options.redact),
                row.conversations.to_string(),
                row.with_taboo.to_string(),
            ];
            record.extend(Category::taboos().map(|c| row.per_category[c.index()].to_string()));
            record.push(
                row.worst
                    .as_ref()
                    .map(|(_, at)| text(at, options.redact))
                    .unwrap_or_default(),
            );
            sink.write_record(&record)?;
        }
        Ok(())
    }
}
