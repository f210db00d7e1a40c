//! SRT and WebVTT subtitles, as ASR engines export them: one cue per utterance.
//!
//! ```text
//! 1
//! 00:00:03,120 --> 00:00:05,400
//! 客户：再不处理我就打12315
//! ```
//! The cue's start is its time (and its end the utterance's end); the speaker is a VTT voice tag (`<v 客服>`) or a label in the
//! text (`客服：`, `[SPEAKER_01]:`); the line is that of the cue's first text line.

use super::decode::{Line, Lines};
use super::text::{clock_time, split_label};
use super::{Event, ParseContext};
use crate::category::Speaker;
use crate::transcript::{Conversation, Utterance, clock_ms};

/// A cue being read: its start and end times and its text lines (line number, text).
type Cue = (String, Option<String>, Vec<(usize, String)>);

pub fn parse(lines: &mut Lines, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let mut conversation = Conversation {
        id: context.default_id.clone(),
        ..Conversation::default()
    };
    let mut cue: Option<Cue> = None;
    let mut in_note = false;
    let flush = |cue: &mut Option<Cue>, conversation: &mut Conversation| {
        if let Some((time, end, text)) = cue.take()
            && let Some(&(line, _)) = text.first()
        {
            let joined = text.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" ");
            let (speaker, body) = speaker_and_text(&joined, context);
            conversation.utterances.push(Utterance {
                line,
                start_ms: clock_ms(&time),
                end_ms: end.as_deref().and_then(clock_ms),
                time,
                speaker,
                text: body,
                continued: false,
            });
        }
    };
    while let Some((number, line)) = lines.next_line().map_err(|e| e.to_string())? {
        let line = match line {
            Line::Text(t) => t,
            Line::TooLong(n) => {
                sink(Event::Problem {
                    line: Some(number),
                    reason: format!("line of {n} bytes is too long; skipped"),
                });
                continue;
            }
            Line::Invalid(reason) => {
                sink(Event::Problem {
                    line: Some(number),
                    reason,
                });
                continue;
            }
        };
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            flush(&mut cue, &mut conversation);
            in_note = false;
            continue;
        }
        if in_note || line.starts_with("WEBVTT") || line.starts_with("NOTE") || line.starts_with("STYLE") {
            in_note = !line.starts_with("WEBVTT");
            continue;
        }
        if let Some((start, end)) = line.split_once("-->") {
            flush(&mut cue, &mut conversation);
            // A VTT end may carry cue settings after it (00:00:05.400 align:start).
            let end = end.split_whitespace().next().and_then(clock_time);
            cue = Some((clock_time(start.trim()).unwrap_or_default(), end, Vec::new()));
            continue;
        }
        // Before a time line, a line is the cue's number or identifier.
        if let Some((_, _, text)) = &mut cue {
            text.push((number, line.to_string()));
        }
    }
    flush(&mut cue, &mut conversation);
    if conversation.utterances.is_empty() {
        return Err("no subtitle cues (a line with `-->` and text under it)".into());
    }
    sink(Event::Conversation(conversation));
    Ok(())
}

/// `<v 客服>您好</v>` or `客服：您好` → (speaker, text without tags or label).
fn speaker_and_text(text: &str, context: &ParseContext) -> (Speaker, String) {
    let mut voice = None;
    if let Some(rest) = text.strip_prefix("<v")
        && let Some((tag, _)) = rest.split_once('>')
    {
        let name = tag
            .trim_start_matches(|c: char| c == '.' || c.is_ascii_alphanumeric())
            .trim();
        let name = if name.is_empty() { tag.trim() } else { name };
        voice = Some(name.to_string());
    }
    let plain = strip_tags(text);
    if let Some(name) = voice {
        let speaker = context.labels.recognise(&name).map_or(Speaker::Unknown, |l| l.speaker);
        return (speaker, plain);
    }
    if let Some((label, rest)) = split_label(&plain)
        && let Some(found) = context.labels.recognise(label)
    {
        return (found.speaker, rest.trim().to_string());
    }
    (Speaker::Unknown, plain)
}

/// Text without `<…>` tags, with the common entities decoded.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .trim()
        .to_string()
}
