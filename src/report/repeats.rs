//! `repeats.csv` (with `--ledger`): every customer who is over the repeat threshold tonight,
//! one row per customer and problem: the customer (masked as in conversations.csv), the first
//! 16 hex digits of their ledger key (the same across nights, never the number), the problem,
//! how many complaints within the window, the first and last dates, and the conversations
//! (date and masked id, oldest first, `; `-joined). Sorted by last date, then key: the same
//! night and ledger give the same bytes.

use std::io;
use std::path::Path;

use super::cell::text;
use super::{CsvFile, ReportOptions};
use crate::ledger::night::RepeatRow;
use crate::redact::redact;

pub const FILE: &str = "repeats.csv";

pub const HEADER: [&str; 7] = ["customer", "key", "topic", "count", "first", "last", "conversations"];

/// Write `repeats.csv` into the staging folder `dir`.
pub fn write(dir: &Path, options: &ReportOptions, rows: &[RepeatRow]) -> io::Result<()> {
    let mut csv = CsvFile::create(dir, FILE, options, HEADER)?;
    for row in rows {
        // The customer and ids are masked whatever --no-redact says: the ledger never holds
        // a number in clear, and this report is made from it.
        csv.row([
            text(&redact(&row.customer)),
            row.key.clone(),
            text(&row.topic),
            row.count.to_string(),
            row.first.clone(),
            row.last.clone(),
            // Each id was masked when the ledger recorded it; masking the joined list again
            // would read dates and ids run together as one number.
            text(&row.conversations.join("; ")),
        ])?;
    }
    csv.finish()
}
