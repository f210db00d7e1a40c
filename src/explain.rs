//! `callrisk explain FILE`: a conversation as QA reads it, with every finding highlighted and
//! explained: its category, rule, whether it counts and why not. With `--verbose`, candidates
//! that were dropped (other speaker, part of a longer word, missing context) are shown too.
//!
//! After the lines, the call's QA sheet: each script and timing item met, missed or not
//! applicable and where, the lines of each taboo on the sheet, and the points taken.
//!
//! Colour only when stdout is a terminal (or `--color always`), never with NO_COLOR set.
//! Personal numbers are masked as in reports. A closed pipe (`| head`) is a normal end.

use std::io::{self, Write};

use crate::category::Severity;
use crate::config::Engine;
use crate::detect::finding::{Finding, Outcome, Verdict};
use crate::detect::judge_conversation;
use crate::input::{self, Event, Input, ParseConfig};
use crate::messages::{printable, shown};
use crate::pipeline::scan_conversation;
use crate::redact::redact;
use crate::score::ScannedConversation;

/// Colours of the three verdicts, and the reset.
struct Palette {
    counted: &'static str,
    not_counted: &'static str,
    dropped: &'static str,
    reset: &'static str,
}

const COLOR: Palette = Palette {
    counted: "\x1b[1;31m",
    not_counted: "\x1b[33m",
    dropped: "\x1b[2m",
    reset: "\x1b[0m",
};
const PLAIN: Palette = Palette {
    counted: "",
    not_counted: "",
    dropped: "",
    reset: "",
};

pub struct ExplainOptions {
    pub color: bool,
    pub verbose: bool,
    pub redact: bool,
    /// Only the conversation holding this line of the input (`FILE:LINE`, as agents.csv writes).
    pub line: Option<usize>,
    /// Only conversations with this id (`--conversation`).
    pub conversation: Option<String>,
}

/// Explain one input; returns whether it could be read.
pub fn explain(input: &Input, engine: &Engine, parse: &ParseConfig, options: &ExplainOptions) -> io::Result<bool> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = write_explanation(&mut out, input, engine, parse, options).and_then(|ok| out.flush().map(|_| ok));
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(true),
        other => other,
    }
}

fn write_explanation(
    out: &mut impl Write,
    input: &Input,
    engine: &Engine,
    parse: &ParseConfig,
    options: &ExplainOptions,
) -> io::Result<bool> {
    let palette = if options.color { &COLOR } else { &PLAIN };
    let mut conversations = Vec::new();
    let mut problems = Vec::new();
    let read = input::read(input, parse, &mut |event| match event {
        Event::Conversation(c) => conversations.push(c),
        Event::Problem { line, reason } => problems.push((line, reason)),
    });
    for (line, reason) in &problems {
        let at = line.map(|l| format!(" line {l}")).unwrap_or_default();
        crate::messages::error_line(&crate::messages::shown(&format!("{}{at}: {reason}", input.name)));
    }
    if let Err(problem) = read {
        crate::messages::error_line(&crate::messages::shown(&problem.to_string()));
        return Ok(false);
    }
    let wanted = |c: &crate::transcript::Conversation| {
        options
            .line
            .is_none_or(|line| c.utterances.iter().any(|u| u.line == line))
            && options.conversation.as_deref().is_none_or(|id| c.id == id)
    };
    let total = conversations.len();
    // The first ids, for a message that says what to ask for instead.
    let known: Vec<String> = conversations.iter().take(5).map(|c| format!("`{}`", c.id)).collect();
    let conversations: Vec<_> = conversations.into_iter().filter(wanted).collect();
    if conversations.is_empty() && total > 0 {
        let what = match (&options.line, &options.conversation) {
            (Some(line), _) => format!("no utterance at line {line}"),
            (_, Some(id)) => format!(
                "no conversation `{id}` among its {total} conversations ({}{})",
                known.join(", "),
                if total > known.len() { ", …" } else { "" }
            ),
            _ => String::new(),
        };
        crate::messages::error_line(&shown(&format!("{}: {what}", input.name)));
        return Ok(false);
    }
    for conversation in conversations {
        // What reports keep, as scan computes it; with --verbose every verdict, dropped ones too.
        let every_verdict = options.verbose.then(|| judge_conversation(&conversation, engine));
        let scanned = scan_conversation(conversation, engine, Severity::Low);
        let (conversation, assessment) = (&scanned.conversation, &scanned.assessment);
        let categories: Vec<&str> = assessment.categories.iter().map(|c| c.id()).collect();
        writeln!(
            out,
            "== {} · conversation {} · agent {} · risk {} (score {}){}",
            shown(&input.name),
            shown(&conversation.id),
            if conversation.agent.is_empty() {
                "unknown".into()
            } else {
                shown(&conversation.agent)
            },
            assessment.risk_id(),
            assessment.score,
            if categories.is_empty() {
                String::new()
            } else {
                format!(" · {}", categories.join(", "))
            }
        )?;
        for (index, utterance) in conversation.utterances.iter().enumerate() {
            let findings: Vec<&Finding> = match &every_verdict {
                Some(all) => all.iter().filter(|(i, _)| *i == index).flat_map(|(_, fs)| fs).collect(),
                None => scanned
                    .findings
                    .iter()
                    .filter(|lf| lf.utterance == index)
                    .map(|lf| &lf.finding)
                    .collect(),
            };
            let text = highlight(&utterance.text, &findings, palette, options.redact);
            let time = if utterance.time.is_empty() {
                String::new()
            } else {
                format!("[{}] ", shown(&utterance.time))
            };
            let pointer = if options.line == Some(utterance.line) { ">" } else { " " };
            writeln!(
                out,
                "{pointer}{:>4}  {time}{}: {text}",
                utterance.line,
                utterance.speaker.id()
            )?;
            for f in findings {
                writeln!(out, "       {}", describe(f, engine, palette, options.redact))?;
            }
        }
        if !assessment.escalation.is_empty() {
            writeln!(
                out,
                "       escalation: {}",
                printable(&assessment.escalation.join("; "))
            )?;
        }
        write_sheet(out, &scanned, engine, options.redact)?;
        writeln!(out)?;
    }
    Ok(problems.is_empty())
}

/// The score sheet of a conversation: each structural item met, missed or not applicable,
/// where, and the points each item of the sheet took.
fn write_sheet(out: &mut impl Write, scanned: &ScannedConversation, engine: &Engine, redact: bool) -> io::Result<()> {
    let sheet = &scanned.sheet;
    let utterances = &scanned.conversation.utterances;
    let duration = crate::detect::timing::duration_ms(&scanned.conversation)
        .map(|ms| format!(" · call of {:.1} s", ms as f64 / 1000.0))
        .unwrap_or_default();
    writeln!(
        out,
        "       QA sheet «{}»: {}{}{duration}",
        printable(&engine.scorecard.name),
        sheet
            .score
            .map_or_else(|| "not scored".to_string(), |s| format!("score {s}/100")),
        if sheet.fatal {
            ", fatal item: the call is zeroed"
        } else {
            ""
        }
    )?;
    let agent_spoke = scanned.conversation.agent_spoke();
    if !agent_spoke {
        writeln!(
            out,
            "         no line is known to be the agent's (a chat nobody answered, or speakers not known: \
             name them with --agent-label or --agent-channel): the script is not judged"
        )?;
    }
    for check in scanned.checks.iter().filter(|_| agent_spoke) {
        let at = match check.utterance.map(|u| &utterances[u]) {
            Some(u) if u.time.is_empty() => format!("line {}: ", u.line),
            Some(u) => format!("line {} [{}]: ", u.line, shown(&u.time)),
            None => String::new(),
        };
        let points = match (check.outcome, engine.scorecard.item_for(&check.id)) {
            (Outcome::Missed, Some(item)) if item.fatal => " (fatal)".to_string(),
            (Outcome::Missed, Some(item)) => format!(" (-{} each, at most {})", item.points, item.cap),
            (Outcome::Missed, None) => " (not on the sheet)".to_string(),
            _ => String::new(),
        };
        writeln!(
            out,
            "         {:<15} {:<20} {at}{}{points}",
            check.outcome.id(),
            check.id,
            mask(&check.detail, redact)
        )?;
    }
    for d in sheet
        .deductions
        .iter()
        .filter(|d| d.item.starts_with("taboo") || d.item.starts_with("threat"))
    {
        let lines: Vec<String> = scanned
            .findings
            .iter()
            .filter(|lf| {
                lf.finding.counts()
                    && engine
                        .scorecard
                        .item_for(lf.finding.category.id())
                        .is_some_and(|i| i.id == d.item)
            })
            .map(|lf| utterances[lf.utterance].line.to_string())
            .collect();
        writeln!(
            out,
            "         {:<15} {:<20} lines {}",
            "found",
            d.item,
            lines.join(", ")
        )?;
    }
    let deductions = sheet.deductions_text();
    writeln!(
        out,
        "         deducted        {}",
        if deductions.is_empty() { "nothing" } else { &deductions }
    )
}

fn colour_of(f: &Finding, palette: &Palette) -> &'static str {
    match f.verdict {
        Verdict::Counted => palette.counted,
        Verdict::NotCounted(_) => palette.not_counted,
        Verdict::Dropped(_) => palette.dropped,
    }
}

/// The utterance with each reported span wrapped in its verdict's colour (or `[…]` without colour).
fn highlight(text: &str, findings: &[&Finding], palette: &Palette, redact_numbers: bool) -> String {
    let mut spans: Vec<&Finding> = findings.iter().copied().filter(|f| f.reported()).collect();
    spans.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
    let mut out = String::new();
    let mut at = 0;
    for f in spans {
        if f.span.start < at {
            continue;
        }
        out.push_str(&mask(&text[at..f.span.start], redact_numbers));
        let inner = mask(&text[f.span.clone()], redact_numbers || f.personal.is_some());
        if palette.reset.is_empty() {
            out.push_str(&format!("[{inner}]"));
        } else {
            out.push_str(&format!("{}{inner}{}", colour_of(f, palette), palette.reset));
        }
        at = f.span.end;
    }
    out.push_str(&mask(&text[at..], redact_numbers));
    out
}

/// Text of an input for the terminal: numbers masked (unless `--no-redact`), control
/// characters and escape sequences shown, never obeyed.
fn mask(text: &str, redact_numbers: bool) -> String {
    if redact_numbers {
        printable(&redact(text)).into_owned()
    } else {
        printable(text).into_owned()
    }
}

fn describe(f: &Finding, engine: &Engine, palette: &Palette, redact_numbers: bool) -> String {
    let verdict = match f.verdict {
        Verdict::Counted if f.conditional => "counts, conditional (raised one level)".to_string(),
        Verdict::Counted => "counts".to_string(),
        Verdict::NotCounted(reason) => format!("does not count: {}", reason.id()),
        Verdict::Dropped(why) => format!("not a finding: {}", why.describe()),
    };
    let rule = match f.rule {
        Some(r) => engine.lexicon.rules[r].origin.to_string(),
        None => "personal-number detector".to_string(),
    };
    let count = f.count.as_deref().map(|c| format!(", count {c}")).unwrap_or_default();
    let term = mask(&f.term, redact_numbers && f.personal.is_none());
    format!(
        "{}{} {} «{term}» {verdict}{count}{} — {rule}",
        colour_of(f, palette),
        f.category,
        f.severity,
        palette.reset
    )
}
