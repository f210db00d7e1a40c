//! Cells that are safe to open in Excel or WPS, and free of personal numbers.
//!
//! Every text cell of every report goes through [`text`]: personal numbers masked, then a
//! cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (also after leading
//! spaces, and in their full-width forms) gets a leading `'`, which spreadsheets show as text
//! and never evaluate, and a cell longer than a spreadsheet cell holds (32,767 characters) is
//! cut with a note. Only numbers and fixed words (ids of categories, severities, `true`) are
//! written without it.

use std::borrow::Cow;

use crate::redact::redact;

/// Neutralise a cell that a spreadsheet would evaluate.
pub fn safe(text: &str) -> Cow<'_, str> {
    let first = text.trim_start_matches(' ').chars().next();
    match first {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => Cow::Owned(format!("'{text}")),
        _ => match text.chars().next() {
            Some('\t' | '\r') => Cow::Owned(format!("'{text}")),
            _ => Cow::Borrowed(text),
        },
    }
}

/// Characters a spreadsheet cell holds (Excel, WPS and LibreOffice).
pub const MAX_CELL_CHARS: usize = 32_767;

/// What a cut cell ends with.
const CUT_NOTE: &str = "…[cut]";

/// Any text cell: personal numbers masked (unless `redact` is off), neutralised, and cut to
/// what a spreadsheet cell holds.
pub fn text(value: &str, redact_numbers: bool) -> String {
    let masked = if redact_numbers {
        redact(value)
    } else {
        Cow::Borrowed(value)
    };
    let safe = safe(&masked).into_owned();
    cut(visible_controls(safe))
}

/// Control characters (ESC, BEL, NUL …, C1, bidi overrides) as visible escapes, so `cat
/// hits.csv` on a terminal never runs a sequence from customer text. Line breaks and tabs stay.
fn visible_controls(value: String) -> String {
    match crate::terminal::printable_keeping_lines(&value) {
        Cow::Borrowed(_) => value,
        Cow::Owned(escaped) => escaped,
    }
}

/// At most [`MAX_CELL_CHARS`] characters, the note included.
fn cut(mut value: String) -> String {
    if value.len() <= MAX_CELL_CHARS {
        return value;
    }
    let keep = MAX_CELL_CHARS - CUT_NOTE.chars().count();
    if let Some((at, _)) = value.char_indices().nth(keep) {
        value.truncate(at);
        value.push_str(CUT_NOTE);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_never_reach_a_spreadsheet() {
        for dangerous in [
            "=HYPERLINK(\"http://x\",\"点我\")",
            "+86 139",
            "-1+1",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "  =1",
            "＝1+1",
        ] {
            assert!(safe(dangerous).starts_with('\''), "{dangerous:?}");
        }
        for plain in ["我要投诉", "12315", "1+1=2", ""] {
            assert_eq!(safe(plain), plain);
        }
    }

    #[test]
    fn every_text_cell_is_masked_neutralised_and_fits_a_spreadsheet() {
        assert_eq!(text("=2+2", true), "'=2+2");
        assert_eq!(text("打12315\x1b[2J\0", true), "打12315\\x1b[2J\\x00");
        assert_eq!(text("第一行\n第二行", true), "第一行\n第二行");
        assert_eq!(text("13912345678_20261122.txt", true), "139****5678_20261122.txt");
        let long = "投诉".repeat(40_000);
        let cell = text(&long, true);
        assert_eq!(cell.chars().count(), MAX_CELL_CHARS);
        assert!(cell.ends_with(CUT_NOTE));
    }
}
