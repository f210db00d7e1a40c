//! CSV (and TSV) chat exports with a header row, in English or Chinese:
//!
//! ```text
//! 会话ID,发送时间,发送方角色,内容
//! S1,2026-11-22 10:01:02,客户,不给我退款我就去消协投诉
//! ```
//! Headers map to fields by [`FieldNames`]; `--column text=消息` adds a header for a field. A
//! file without a conversation column is one conversation. Rows that cannot be read are
//! reported with their line; the rest is scanned.

use std::collections::HashMap;

use super::chat::{Grouper, Message, speaker_of, time_of};
use super::decode::Lines;
use super::{Event, ParseContext};

pub fn parse(lines: Lines, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let mut reader = lines.into_reader();
    let head = reader.fill_buf().map_err(|e| e.to_string())?;
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let tabs = first_line.iter().filter(|&&b| b == b'\t').count();
    let commas = first_line.iter().filter(|&&b| b == b',').count();
    let delimiter = if tabs > commas { b'\t' } else { b',' };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .clone();
    let column: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_lowercase(), i))
        .collect();
    let find = |names: &[String]| names.iter().find_map(|n| column.get(n).copied());
    let fields = &context.fields;
    let Some(text_column) = find(&fields.text) else {
        return Err(format!(
            "no text column among the headers ({}); name it with --column text=HEADER",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    };
    let (conversation, role, time, agent, customer) = (
        find(&fields.conversation),
        find(&fields.role),
        find(&fields.time),
        find(&fields.agent),
        find(&fields.customer),
    );
    let mut grouper = Grouper::new(&context.default_id);
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line() as usize;
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                sink(Event::Problem {
                    line: Some(line),
                    reason: format!("unreadable row: {e}"),
                });
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let get = |c: Option<usize>| c.and_then(|i| record.get(i)).unwrap_or("").to_string();
        let text = get(Some(text_column));
        if text.trim().is_empty() {
            continue;
        }
        let message = Message {
            line,
            conversation: get(conversation),
            speaker: speaker_of(&get(role), context.labels),
            time: time_of(&get(time)),
            text,
            agent: get(agent),
            customer: get(customer),
        };
        grouper.push(message, sink);
    }
    grouper.finish(sink);
    Ok(())
}
