//! `hits.csv`: one row per finding, counted or not, in input order.

use std::io;

use super::cell::text;
use super::{ReportOptions, Sink};
use crate::context::Verdict;
use crate::score::ScannedConversation;

pub const HEADER: [&str; 15] = [
    "file",
    "conversation",
    "line",
    "time",
    "speaker",
    "category",
    "severity",
    "term",
    "matched",
    "context",
    "negated",
    "reason",
    "conditional",
    "count",
    "count_said",
];

/// Characters of context shown around a match in a long utterance.
const CONTEXT_CHARS: usize = 60;

pub fn write(sink: &mut Sink, file: &str, scanned: &ScannedConversation, options: ReportOptions) -> io::Result<()> {
    let conversation = &scanned.conversation;
    for line_finding in &scanned.findings {
        let utterance = &conversation.utterances[line_finding.utterance];
        let f = &line_finding.finding;
        // A personal number shows masked even where redaction could not see it whole
        // (a number split over two lines).
        let (matched, context_text) = match &f.masked {
            Some(masked) if options.redact => {
                let mut shown = utterance.text.clone();
                shown.replace_range(f.span.clone(), masked);
                let span = f.span.start..f.span.start + masked.len();
                (masked.clone(), context_window(&shown, span))
            }
            _ => (
                utterance.text[f.span.clone()].to_string(),
                context_window(&utterance.text, f.span.clone()),
            ),
        };
        let reason = match f.verdict {
            Verdict::NotCounted(reason) => reason.id(),
            _ => "",
        };
        // `count` is a number (投诉了三次 → 3); words that are no number (好几, 多) stand in
        // `count_said`, so a spreadsheet can sort and sum the first.
        let said = f.count.as_deref().unwrap_or("");
        let (count, count_said) = match said.parse::<u32>() {
            Ok(n) => (n.to_string(), String::new()),
            Err(_) => (String::new(), text(said, options.redact)),
        };
        let flag = |on: bool| if on { "true" } else { "false" };
        sink.write_record([
            text(file, options.redact).as_str(),
            &text(&conversation.id, options.redact),
            &utterance.line.to_string(),
            &text(&utterance.time, options.redact),
            utterance.speaker.id(),
            f.category.id(),
            f.severity.id(),
            &text(&f.term, options.redact),
            &text(&matched, options.redact),
            &text(&context_text, options.redact),
            flag(!f.counts()),
            reason,
            flag(f.conditional),
            &count,
            &count_said,
        ])?;
    }
    Ok(())
}

/// The whole utterance if short; else `…` and `CONTEXT_CHARS` characters either side, widened
/// so a number is never cut in two (its halves would escape redaction).
fn context_window(utterance: &str, span: std::ops::Range<usize>) -> String {
    if utterance.chars().count() <= 2 * CONTEXT_CHARS + 40 {
        return utterance.to_string();
    }
    let numeric = |c: char| {
        c.is_ascii_digit() || c.is_whitespace() || "０１２３４５６７８９零〇洞幺一二两三四五六七八九-xX*@.".contains(c)
    };
    let mut from = utterance[..span.start]
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    while let Some(c) = utterance[..from].chars().next_back().filter(|c| numeric(*c)) {
        from -= c.len_utf8();
    }
    let mut to = utterance[span.end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(utterance.len(), |(i, _)| span.end + i);
    while let Some(c) = utterance[to..].chars().next().filter(|c| numeric(*c)) {
        to += c.len_utf8();
    }
    let mut window = String::new();
    if from > 0 {
        window.push('…');
    }
    window.push_str(&utterance[from..to]);
    if to < utterance.len() {
        window.push('…');
    }
    window
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_utterances_are_cut_around_the_match_but_not_inside_a_number() {
        let long = format!("{}他的电话是13912345678{}", "啊".repeat(200), "嗯".repeat(200));
        let at = long.find("他的电话是").unwrap();
        let window = context_window(&long, at..at + "他的电话是".len());
        assert!(window.starts_with('…') && window.ends_with('…'));
        assert!(window.contains("13912345678"));
        assert!(window.chars().count() < 160);
        assert_eq!(context_window("我要投诉", 3..9), "我要投诉");
    }
}
