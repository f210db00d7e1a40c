//! `conversations.csv`: one row per conversation with its risk, in input order.

use std::io;

use super::cell::text;
use super::{ReportOptions, Sink};
use crate::score::ScannedConversation;

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

pub fn write(sink: &mut Sink, file: &str, scanned: &ScannedConversation, options: ReportOptions) -> io::Result<()> {
    let c = &scanned.conversation;
    let a = &scanned.assessment;
    let categories: Vec<&str> = a.categories.iter().map(|c| c.id()).collect();
    sink.write_record([
        &text(file, options.redact),
        &text(&c.id, options.redact),
        &text(&c.agent, options.redact),
        &text(&c.customer, options.redact),
        &c.turns().to_string(),
        a.risk_id(),
        &a.score.to_string(),
        &categories.join(";"),
        &text(&a.escalation.join("; "), options.redact),
    ])?;
    Ok(())
}
