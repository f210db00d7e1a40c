//! CSV (and TSV) chat exports with a header row, in English or Chinese:
//!
//! ```text
//! 会话ID,发送时间,发送方角色,内容
//! S1,2026-11-22 10:01:02,客户,不给我退款我就去消协投诉
//! ```
//! Headers map to fields by [`FieldNames`]; `--column text=消息` adds a header for a field. A
//! file without a conversation column is one conversation. Rows that cannot be read are
//! reported with their line; the rest is scanned.
//!
//! Promise: no text is dropped unsaid. Exports are often written by hand-rolled code that
//! does not quote, so rows are read here, line by line, rather than by a strict CSV reader:
//! - a row with more cells than the header, when the text is the last column, is a text
//!   with delimiters in it, and its extra cells are joined back into it; when it is not the
//!   last, the row is reported, since which delimiter belongs to the text cannot be told;
//! - a row without a text cell that holds something is reported;
//! - a quoted cell may run over several lines, but one whose quote is never closed would
//!   swallow the rows after it: when it runs on into lines that read as rows of their own,
//!   is closed by a quote with more text after it, runs past 1 MiB, or runs to the end of
//!   the file, the line where it opens is reported, and its lines are read again with that
//!   quote as a plain character (one that runs to the end in the text column is kept whole).

use std::collections::{HashMap, HashSet, VecDeque};

use crate::category::Speaker;
use crate::transcript::SpeakerLabels;

use super::chat::{Grouper, Message, speaker_of, time_of};
use super::decode::{Line, Lines, MAX_LINE};
use super::{Event, ParseContext};

pub fn parse(lines: Lines, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let mut rows = Rows::new(lines, context.labels);
    // The header is the first line that is not blank; it has more tabs than commas in a TSV.
    let (header_line, header_text) = loop {
        match rows.next_line()? {
            None => return Err("no header row".into()),
            Some((_, Ok(text))) if text.trim().is_empty() => {}
            Some((number, Ok(text))) => break (number, text),
            Some((number, Err(reason))) => return Err(format!("cannot read the header row (line {number}): {reason}")),
        }
    };
    let tabs = header_text.bytes().filter(|&b| b == b'\t').count();
    let commas = header_text.bytes().filter(|&b| b == b',').count();
    let delimiter = if tabs > commas { b'\t' } else { b',' };
    rows.delimiter = delimiter;
    rows.again.push_front((header_line, Ok(header_text)));
    let headers = match rows.next_event()? {
        Some(RowEvent::Row { cells, .. }) => cells,
        Some(RowEvent::Problem { reason, .. }) => return Err(format!("cannot read the header row: {reason}")),
        None => return Err("no header row".into()),
    };
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
            headers.join(", ")
        ));
    };
    let (conversation, role, time, agent, customer, topic) = (
        find(&fields.conversation),
        find(&fields.role),
        find(&fields.time),
        find(&fields.agent),
        find(&fields.customer),
        find(&fields.topic),
    );
    let columns = headers.len();
    let text_header = headers[text_column].trim();
    let delimiter_name = if delimiter == b'\t' { "tab" } else { "comma" };
    rows.shape = Some(Shape {
        columns,
        text: text_column,
        role,
        conversation,
    });
    let mut grouper = Grouper::new(&context.default_id);
    loop {
        let event = match rows.next_event() {
            Ok(Some(event)) => event,
            Ok(None) => break,
            // The stream itself failed (say, bytes that are not valid GB18030): report, stop.
            Err(reason) => {
                sink(Event::Problem {
                    line: Some(rows.last_line + 1),
                    reason: format!("unreadable row: {reason}"),
                });
                break;
            }
        };
        let (line, mut cells) = match event {
            RowEvent::Row { line, cells } => (line, cells),
            RowEvent::Problem { line, reason } => {
                sink(Event::Problem {
                    line: Some(line),
                    reason,
                });
                continue;
            }
        };
        // Empty cells past the header's count are trailing delimiters: nothing in them.
        while cells.len() > columns && cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() > columns {
            if text_column + 1 == columns {
                let text = cells.split_off(text_column).join(&char::from(delimiter).to_string());
                cells.push(text);
            } else {
                sink(Event::Problem {
                    line: Some(line),
                    reason: format!(
                        "{} cells where the header has {columns}, and the text column `{text_header}` is not the \
                         last, so which {delimiter_name} belongs to the text cannot be told (quote the text); row skipped",
                        cells.len()
                    ),
                });
                continue;
            }
        }
        if cells.len() <= text_column {
            sink(Event::Problem {
                line: Some(line),
                reason: format!(
                    "{} cells where the header has {columns}: no `{text_header}` cell; row skipped",
                    cells.len()
                ),
            });
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
        let mut text = get(Some(text_column));
        if text.trim().is_empty() {
            continue;
        }
        // A NUL (past the first 8 KiB, where the binary-file check looks) becomes a space, as
        // in the JSON formats: the normaliser takes U+0000 for its own marker.
        if text.contains('\0') {
            text = text.replace('\0', " ");
        }
        let message = Message {
            line,
            conversation: get(conversation),
            speaker: speaker_of(&get(role), context.labels),
            time: time_of(&get(time), context.fields.epoch_offset),
            text,
            agent: get(agent),
            customer: get(customer),
            topic: get(topic),
        };
        grouper.push(message, sink);
    }
    grouper.finish(sink);
    Ok(())
}

/// What reading rows gives: a row (its first line and its cells), or a problem with a line.
#[derive(Debug, PartialEq, Eq)]
enum RowEvent {
    Row { line: usize, cells: Vec<String> },
    Problem { line: usize, reason: String },
}

/// What the header says a row looks like, to tell a row from a line of a multi-line cell.
struct Shape {
    columns: usize,
    text: usize,
    role: Option<usize>,
    conversation: Option<usize>,
}

/// The rows of a delimited file, read line by line. A quoted cell may hold delimiters,
/// doubled quotes and line breaks; a quote that is never closed is reported, not followed.
struct Rows<'a> {
    lines: Lines,
    delimiter: u8,
    labels: &'a SpeakerLabels,
    shape: Option<Shape>,
    /// Lines to read before the stream's: those of a row read again.
    again: VecDeque<NumberedLine>,
    /// Quotes, as (line, byte), that are plain characters: each opened a cell never closed.
    plain_quotes: HashSet<(usize, usize)>,
    /// Rows and problems read, to be handed out in order.
    out: VecDeque<RowEvent>,
    /// The last line read from the stream.
    last_line: usize,
    /// Lone carriage returns met so far, each a line end: an old Mac export has no other.
    carriage_returns: usize,
}

/// A line's number, and its text or why it cannot be read.
type NumberedLine = (usize, Result<String, String>);

/// Where a quoted cell opened: line, byte in that line, and which cell of the row.
#[derive(Debug, Clone, Copy)]
struct Opening {
    line: usize,
    byte: usize,
    cell: usize,
}

/// Why a quote is taken as never closed.
enum Unclosed {
    RunsIntoRows,
    ClosedMidCell,
    TooLong,
    RunsToEnd,
}

impl<'a> Rows<'a> {
    fn new(lines: Lines, labels: &'a SpeakerLabels) -> Rows<'a> {
        Rows {
            lines,
            delimiter: b',',
            labels,
            shape: None,
            again: VecDeque::new(),
            plain_quotes: HashSet::new(),
            out: VecDeque::new(),
            last_line: 0,
            carriage_returns: 0,
        }
    }

    /// The next row or problem; `Err` when the stream itself fails.
    fn next_event(&mut self) -> Result<Option<RowEvent>, String> {
        loop {
            if let Some(event) = self.out.pop_front() {
                return Ok(Some(event));
            }
            if !self.read_row()? {
                return Ok(None);
            }
        }
    }

    /// The next line, from the lines to read again first. A carriage return left inside a
    /// line ends a line too, as in exports saved as "CSV (Macintosh)"; the lines after it are
    /// numbered on from there, as an editor shows them.
    fn next_line(&mut self) -> Result<Option<NumberedLine>, String> {
        if let Some(line) = self.again.pop_front() {
            return Ok(Some(line));
        }
        let Some((number, line)) = self.lines.next_line().map_err(|e| e.to_string())? else {
            return Ok(None);
        };
        let number = number + self.carriage_returns;
        self.last_line = number;
        let text = match line {
            Line::Text(text) => text,
            Line::TooLong(bytes) => {
                return Ok(Some((
                    number,
                    Err(format!("line of {bytes} bytes is too long; skipped")),
                )));
            }
            Line::Invalid(reason) => return Ok(Some((number, Err(reason)))),
        };
        let mut pieces = text.split('\r');
        let first = pieces.next().unwrap_or_default().to_string();
        // Only read from the stream once the lines to read again are used up: in order.
        for piece in pieces {
            self.carriage_returns += 1;
            self.last_line += 1;
            self.again.push_back((self.last_line, Ok(piece.to_string())));
        }
        Ok(Some((number, Ok(first))))
    }

    /// Read one row into `out`, with any problems before it; false at the end of the file.
    fn read_row(&mut self) -> Result<bool, String> {
        let mut row = Row::default();
        // The lines of this row so far, to read again if its quote turns out never closed.
        let mut taken: Vec<(usize, String)> = Vec::new();
        let mut taken_bytes = 0usize;
        loop {
            let Some((number, line)) = self.next_line()? else {
                let Some(opening) = row.open_quote() else {
                    return Ok(false);
                };
                // The end of the file inside quotes: a text that runs to the end is kept.
                let in_text = self.shape.as_ref().is_some_and(|s| s.text == opening.cell);
                if in_text {
                    self.out.push_back(RowEvent::Problem {
                        line: opening.line,
                        reason: "a quote opened here is never closed; the text runs to the end of the file \
                                 and is read as one cell"
                            .into(),
                    });
                    self.out.push_back(row.finish());
                } else {
                    self.read_again(opening, Unclosed::RunsToEnd, taken, None);
                }
                return Ok(true);
            };
            let text = match line {
                Ok(text) => text,
                Err(reason) => {
                    // A row that goes on past an unreadable line goes on without it.
                    self.out.push_back(RowEvent::Problem { line: number, reason });
                    if taken.is_empty() {
                        return Ok(true);
                    }
                    continue;
                }
            };
            if let Some(opening) = row.open_quote() {
                if self.reads_as_row(&text, &row) {
                    self.read_again(opening, Unclosed::RunsIntoRows, taken, Some((number, text)));
                    return Ok(true);
                }
                if taken_bytes + text.len() + 1 > MAX_LINE {
                    self.read_again(opening, Unclosed::TooLong, taken, Some((number, text)));
                    return Ok(true);
                }
            }
            if taken.is_empty() {
                row.line = number;
            }
            let ended = row.feed(&text, number, self.delimiter, &self.plain_quotes);
            taken_bytes += text.len() + 1;
            taken.push((number, text));
            if let Some(opening) = row.closed_mid_cell {
                self.read_again(opening, Unclosed::ClosedMidCell, taken, None);
                return Ok(true);
            }
            if ended {
                self.out.push_back(row.finish());
                return Ok(true);
            }
        }
    }

    /// Report the quote at `opening` as never closed, and read the lines of its row again
    /// (and `next`, the line that showed it) with that quote as a plain character.
    fn read_again(
        &mut self,
        opening: Opening,
        why: Unclosed,
        taken: Vec<(usize, String)>,
        next: Option<(usize, String)>,
    ) {
        // The line that showed it: the one met, or the last one read.
        let shown = next.as_ref().or(taken.last()).map_or(opening.line, |(line, _)| *line);
        let reason = match why {
            Unclosed::RunsIntoRows => format!("its cell runs on into line {shown}, which reads as a row"),
            Unclosed::ClosedMidCell => format!("its cell runs on to a quote in the middle of line {shown}"),
            Unclosed::TooLong => format!("its cell runs on past {} MiB, to line {shown}", MAX_LINE >> 20),
            Unclosed::RunsToEnd => "its cell runs to the end of the file".into(),
        };
        self.out.push_back(RowEvent::Problem {
            line: opening.line,
            reason: format!(
                "a quote opened here is never closed: {reason}; its lines are read again with that quote as a plain character"
            ),
        });
        self.plain_quotes.insert((opening.line, opening.byte));
        for (number, text) in next.into_iter().chain(taken.into_iter().rev()) {
            self.again.push_front((number, Ok(text)));
        }
    }

    /// Whether `text`, a line met inside a quoted cell, reads as a row of its own: as many
    /// cells as the header (or more, when the text is the last column), and a role the labels
    /// know or the conversation id of the row it would be part of.
    fn reads_as_row(&self, text: &str, row: &Row) -> bool {
        let Some(shape) = &self.shape else {
            return false;
        };
        let mut alone = Row::default();
        if !alone.feed(text, 0, self.delimiter, &HashSet::new()) {
            return false;
        }
        let cells = alone.cells;
        let count_fits =
            cells.len() == shape.columns || (cells.len() > shape.columns && shape.text + 1 == shape.columns);
        if !count_fits {
            return false;
        }
        let role_known = shape
            .role
            .is_some_and(|i| speaker_of(&cells[i], self.labels) != Speaker::Unknown);
        let same_conversation = shape
            .conversation
            .is_some_and(|i| !cells[i].trim().is_empty() && row.cells.get(i) == Some(&cells[i]));
        role_known || same_conversation || (shape.role.is_none() && shape.conversation.is_none())
    }
}

/// A row being read.
#[derive(Default)]
struct Row {
    /// Its first line.
    line: usize,
    cells: Vec<String>,
    cell: String,
    state: CellState,
    /// Where the quote of the cell being read opened, while it is quoted.
    opening: Option<Opening>,
    /// The cell being read has run over a line end inside its quotes.
    cell_spans_lines: bool,
    /// A quoted cell that ran over a line end was closed by a quote with more text after
    /// it: most likely the quote that opens a later cell.
    closed_mid_cell: Option<Opening>,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum CellState {
    /// Nothing of the cell read yet.
    #[default]
    Start,
    Unquoted,
    Quoted,
    /// Just after the closing quote.
    Closed,
}

impl Row {
    /// The quote of the cell being read, when the row ends inside it so far.
    fn open_quote(&self) -> Option<Opening> {
        self.opening.filter(|_| self.state == CellState::Quoted)
    }

    /// Read one line of the row (numbered `number`; a quote at a byte in `plain_quotes` is
    /// a plain character); true when the row ends with it.
    fn feed(&mut self, text: &str, number: usize, delimiter: u8, plain_quotes: &HashSet<(usize, usize)>) -> bool {
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            match self.state {
                CellState::Start => {
                    if bytes[at] == b'"' && !plain_quotes.contains(&(number, at)) {
                        self.opening = Some(Opening {
                            line: number,
                            byte: at,
                            cell: self.cells.len(),
                        });
                        self.state = CellState::Quoted;
                        at += 1;
                    } else {
                        self.state = CellState::Unquoted;
                    }
                }
                CellState::Unquoted => match memchr::memchr(delimiter, &bytes[at..]) {
                    Some(found) => {
                        self.cell.push_str(&text[at..at + found]);
                        self.end_cell();
                        at += found + 1;
                    }
                    None => {
                        self.cell.push_str(&text[at..]);
                        at = bytes.len();
                    }
                },
                CellState::Quoted => match memchr::memchr(b'"', &bytes[at..]) {
                    Some(found) => {
                        self.cell.push_str(&text[at..at + found]);
                        if bytes.get(at + found + 1) == Some(&b'"') {
                            self.cell.push('"');
                            at += found + 2;
                        } else {
                            self.state = CellState::Closed;
                            at += found + 1;
                        }
                    }
                    None => {
                        self.cell.push_str(&text[at..]);
                        at = bytes.len();
                    }
                },
                CellState::Closed => {
                    if bytes[at] == delimiter {
                        self.end_cell();
                        at += 1;
                    } else {
                        // Text after a closing quote is kept, as lenient CSV readers do.
                        if self.cell_spans_lines && self.closed_mid_cell.is_none() {
                            self.closed_mid_cell = self.opening;
                        }
                        self.state = CellState::Unquoted;
                    }
                }
            }
        }
        if self.state == CellState::Quoted {
            self.cell.push('\n');
            self.cell_spans_lines = true;
            return false;
        }
        self.end_cell();
        true
    }

    fn end_cell(&mut self) {
        self.cells.push(std::mem::take(&mut self.cell));
        self.state = CellState::Start;
        self.opening = None;
        self.cell_spans_lines = false;
    }

    /// The row as read so far, the cell being read included.
    fn finish(mut self) -> RowEvent {
        if self.state == CellState::Quoted {
            // Read to the end of the file: the line break added after its last line goes.
            self.cell.pop();
            self.end_cell();
        }
        RowEvent::Row {
            line: self.line,
            cells: self.cells,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::chat::FieldNames;

    /// Each message as `line conversation speaker text`, each problem as `problem line: reason`.
    fn read(csv: &str) -> Vec<String> {
        let (labels, fields) = (SpeakerLabels::default(), FieldNames::default());
        let context = ParseContext {
            default_id: "export".into(),
            labels: &labels,
            fields: &fields,
            agent_channel: &None,
            offload: &crate::input::Inline,
        };
        let mut events = Vec::new();
        parse(Lines::from_text(csv.to_string()), &context, &mut |event| match event {
            Event::Conversation(c) => events.extend(
                c.utterances
                    .iter()
                    .map(|u| format!("{} {} {:?} {}", u.line, c.id, u.speaker, u.text)),
            ),
            Event::Problem { line, reason } => events.push(format!("problem {}: {reason}", line.unwrap_or(0))),
        })
        .unwrap();
        events
    }

    /// Messages come out by conversation, problems as they are met: compare them apart.
    fn check(name: &str, csv: &str, want: &[&str]) {
        let got = read(csv);
        let (got_problems, got_messages): (Vec<&String>, Vec<&String>) =
            got.iter().partition(|e| e.starts_with("problem"));
        let (want_problems, want_messages): (Vec<&&str>, Vec<&&str>) =
            want.iter().partition(|e| e.starts_with("problem"));
        assert_eq!(got_messages, want_messages, "{name}: messages");
        assert_eq!(
            got_problems.len(),
            want_problems.len(),
            "{name}: problems {got_problems:?}"
        );
        for (got, want) in got_problems.iter().zip(want_problems) {
            assert!(got.starts_with(*want), "{name}: {got} does not start with {want}");
        }
    }

    #[test]
    fn a_text_with_commas_in_the_last_column_is_joined_back() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "unquoted comma in the text",
                "会话ID,角色,内容\nA1,客户,我要投诉,你们不处理我就打12315\n",
                &["2 A1 Customer 我要投诉,你们不处理我就打12315"],
            ),
            (
                "trailing delimiters",
                "会话ID,角色,内容\r\nA1,客户,我要投诉,,\r\nA1,坐席,您好,\r\n",
                &["2 A1 Customer 我要投诉", "3 A1 Agent 您好"],
            ),
            (
                "a tab-separated export keeps its commas",
                "会话ID\t角色\t内容\nA1\t客户\t我要投诉,马上处理\t你们不处理我就打12315\n",
                &["2 A1 Customer 我要投诉,马上处理\t你们不处理我就打12315"],
            ),
            (
                "the text is not the last column",
                "会话ID,内容,角色\nA1,我要投诉,你们不处理我就打12315,客户\nA1,您好,坐席\n",
                &[
                    "problem 2: 4 cells where the header has 3, and the text column `内容` is not the last, so which comma",
                    "3 A1 Agent 您好",
                ],
            ),
            (
                "a line without the text cell",
                "会话ID,角色,内容\nA1,客户,我要投诉\n你们不处理我就打12315\n\nA1,坐席,您好\n",
                &[
                    "2 A1 Customer 我要投诉",
                    "problem 3: 1 cells where the header has 3: no `内容` cell",
                    "5 A1 Agent 您好",
                ],
            ),
        ];
        for (name, csv, want) in cases {
            check(name, csv, want);
        }
    }

    #[test]
    fn an_unclosed_quote_is_reported_and_the_rows_after_it_still_read() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "runs into rows",
                "会话ID,角色,内容\nA1,客户,\"我要投诉，你们不处理\nA1,坐席,您好，请问有什么可以帮您\nA1,客户,我要去消协投诉\n",
                &[
                    "problem 2: a quote opened here is never closed: its cell runs on into line 3, which reads as a row",
                    "2 A1 Customer \"我要投诉，你们不处理",
                    "3 A1 Agent 您好，请问有什么可以帮您",
                    "4 A1 Customer 我要去消协投诉",
                ],
            ),
            (
                "closed by the quote of another cell",
                "会话ID,角色,内容\nA1,张三,\"我要投诉\nB2,李四,\"不处理我就曝光\"\n",
                &[
                    "problem 2: a quote opened here is never closed: its cell runs on to a quote in the middle of line 3",
                    "2 A1 Unknown \"我要投诉",
                    "3 B2 Unknown 不处理我就曝光",
                ],
            ),
            (
                "runs to the end in the text column",
                "会话ID,角色,内容\nA1,坐席,您好\nA1,客户,\"我要投诉\n你们不处理我就打12315\n",
                &[
                    "problem 3: a quote opened here is never closed; the text runs to the end of the file",
                    "2 A1 Agent 您好",
                    "3 A1 Customer 我要投诉\n你们不处理我就打12315",
                ],
            ),
            (
                "runs to the end from another column",
                "会话ID,角色,内容\nA1,\"客户,我要投诉\n你们不处理我就打12315\n",
                &[
                    "problem 2: a quote opened here is never closed: its cell runs to the end of the file",
                    "2 A1 Unknown 我要投诉",
                    "problem 3: 1 cells where the header has 3: no `内容` cell",
                ],
            ),
            (
                "a quoted cell over several lines is one text",
                "会话ID,角色,内容\nA1,客户,\"我要投诉,\n你们不处理我就打12315，\"\"说到做到\"\"\"\nA1,坐席,好的\n",
                &[
                    "2 A1 Customer 我要投诉,\n你们不处理我就打12315，\"说到做到\"",
                    "4 A1 Agent 好的",
                ],
            ),
        ];
        for (name, csv, want) in cases {
            check(name, csv, want);
        }
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        check(
            "CSV (Macintosh)",
            "会话ID,角色,内容\rA1,客户,我要投诉\rA1,坐席,\"您好，\r请稍等\"\rA1,客户,再不处理我就去消协投诉\n",
            &[
                "2 A1 Customer 我要投诉",
                "3 A1 Agent 您好，\n请稍等",
                "5 A1 Customer 再不处理我就去消协投诉",
            ],
        );
    }

    #[test]
    fn a_nul_in_a_text_becomes_a_space() {
        check(
            "NUL",
            "会话ID,角色,内容\nA1,客户,ｆ\0我要曝光给媒体\n",
            &["2 A1 Customer ｆ 我要曝光给媒体"],
        );
    }

    #[test]
    fn a_quoted_cell_past_a_mebibyte_is_reported() {
        let mut csv = String::from("会话ID,角色,内容\nA1,客户,\"我要投诉\n");
        while csv.len() <= MAX_LINE + 1000 {
            csv.push_str("你们不处理我就打12315\n");
        }
        let events = read(&csv);
        assert!(
            events[0].starts_with("problem 2: a quote opened here is never closed: its cell runs on past 1 MiB"),
            "{}",
            events[0]
        );
        // Every line is still read: the first as a row, the others reported without a text cell.
        assert_eq!(events.len(), csv.lines().count());
    }
}
