//! `callrisk ledger`: keep the repeat-complaint ledger a `scan --ledger FILE` writes.
//!
//! `stats` (what it holds), `prune --older-than DAYS` (retention), `export` (CSV, keys hashed
//! and ids masked, cells safe for a spreadsheet), `forget CUSTOMER` (erasure on request).
//! Nothing here prints a customer's number: a customer is only ever a keyed hash.

use std::collections::BTreeMap;
use std::io::Write;

use crate::cli::{LedgerCommand, LedgerExportArgs};
use crate::ledger::{Ledger, LedgerError, Row, date, date_time};
use crate::messages::shown;
use crate::report::cell::text;
use crate::{Error, Status};

pub fn run(command: LedgerCommand) -> Result<Status, Error> {
    match command {
        LedgerCommand::Stats(args) => {
            let ledger = Ledger::open_existing(&args.file.ledger, false)?;
            let rows = ledger.rows()?;
            let (after, window) = (args.rule.repeat_after, args.rule.repeat_window);
            let customers: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.customer.as_str()).collect();
            let complaints = rows.iter().filter(|r| r.complaint).count();
            let range = match (rows.first(), rows.last()) {
                (Some(first), Some(last)) => format!("{} to {}", date(first.time), date(last.time)),
                _ => "none".to_string(),
            };
            let text = format!(
                "ledger: {}\ncustomers: {}\nconversations: {}\ncomplaints: {}\ncalls: {}\n\
                 customers over the threshold (complaint no. {} about one problem within {} days): {}\n",
                shown(&args.file.ledger.display().to_string()),
                customers.len(),
                rows.len(),
                complaints,
                range,
                after,
                window,
                over_threshold(&rows, after, window)
            );
            out(&text)?;
            Ok(Status::Clean)
        }
        LedgerCommand::Prune(args) => {
            let ledger = Ledger::open_existing(&args.file.ledger, true)?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            let before = now - i64::from(args.older_than) * 86_400;
            let removed = ledger.prune_before(before)?;
            ledger.commit()?;
            out(&format!(
                "removed {removed} conversations with calls before {} ({} days ago)\n",
                date(before),
                args.older_than
            ))?;
            Ok(Status::Clean)
        }
        LedgerCommand::Export(args) => export(&args),
        LedgerCommand::Forget(args) => {
            let ledger = Ledger::open_existing(&args.file.ledger, true)?;
            let Some(removed) = ledger.forget(&args.customer)? else {
                return Err(Error::Usage(
                    "ledger forget: CUSTOMER is no phone number or customer id (a name cannot identify one \
                     customer); give the number or id as the call-centre system has it"
                        .into(),
                ));
            };
            ledger.commit()?;
            out(&format!("forgot {removed} conversations of this customer\n"))?;
            Ok(Status::Clean)
        }
    }
}

/// Customers with, for some problem, a complaint that was the `after`th within `window`
/// days: what a scan of their calls would have flagged.
fn over_threshold(rows: &[Row], after: u32, window: u32) -> usize {
    let mut groups: BTreeMap<(&str, &str), Vec<i64>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.complaint) {
        groups.entry((&row.customer, &row.topic)).or_default().push(row.time);
    }
    let window = i64::from(window) * 86_400;
    let mut over = std::collections::BTreeSet::new();
    for ((customer, _), times) in groups {
        // Rows come in call-time order; a window of `after` complaints ending at each one.
        let after = after.max(1) as usize;
        if times.windows(after).any(|w| w[after - 1] - w[0] < window) {
            over.insert(customer);
        }
    }
    over.len()
}

fn export(args: &LedgerExportArgs) -> Result<Status, Error> {
    let ledger = Ledger::open_existing(&args.file.ledger, false)?;
    let rows = ledger.rows()?;
    let mut bytes = Vec::new();
    if args.excel {
        bytes.extend_from_slice("\u{FEFF}".as_bytes());
    }
    {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut bytes);
        let written = (|| -> csv::Result<()> {
            csv.write_record([
                "key",
                "time",
                "conversation",
                "file",
                "complaint",
                "topic",
                "topic_from",
            ])?;
            for row in &rows {
                csv.write_record([
                    &row.customer[..16.min(row.customer.len())],
                    &date_time(row.time),
                    &text(&row.conversation),
                    &text(&row.file),
                    if row.complaint { "true" } else { "false" },
                    &text(&row.topic),
                    &text(&row.topic_from),
                ])?;
            }
            csv.flush()?;
            Ok(())
        })();
        written.map_err(|e| Error::Output {
            source: std::io::Error::other(e.to_string()),
        })?;
    }
    match &args.out {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| {
            Error::Ledger(LedgerError::Io {
                path: path.clone(),
                message: format!("cannot write the export: {e}"),
            })
        })?,
        None => write_stdout(&bytes)?,
    }
    Ok(Status::Clean)
}

fn out(text: &str) -> Result<(), Error> {
    write_stdout(text.as_bytes())
}

/// Write to stdout; a closed pipe (`| head`) is a normal end.
fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Output { source: e }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complaint(customer: &str, topic: &str, day: i64) -> Row {
        Row {
            call: format!("{customer}{day}"),
            customer: customer.into(),
            time: day * 86_400,
            conversation: String::new(),
            file: String::new(),
            complaint: true,
            topic: topic.into(),
            topic_from: "lexicon".into(),
        }
    }

    #[test]
    fn over_the_threshold_is_n_complaints_about_one_problem_within_the_window() {
        let within = [0, 100, 200, 300].map(|d| complaint("a", "退款", d));
        let spread = [0, 130, 260, 400].map(|d| complaint("b", "退款", d));
        let mixed = [0, 10, 20].map(|d| complaint("c", "退款", d));
        let mut rows: Vec<Row> = within.into_iter().chain(spread).chain(mixed).collect();
        rows.push(complaint("c", "物流/快递", 30));
        rows.sort_by_key(|r| r.time);
        assert_eq!(over_threshold(&rows, 4, 365), 1);
        assert_eq!(over_threshold(&rows, 3, 365), 3);
    }
}
