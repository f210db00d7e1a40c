//! Text cells that are safe to open in a spreadsheet (Excel, WPS, LibreOffice): a concern of
//! the spreadsheet-facing reports only (the CSVs, the workbook). The text arrives masked
//! ([`super::record`]); this module only decides how it is shown in a cell.
//!
//! A cell starting with `=`, `+`, `-`, `@`, a tab, a carriage return or a line break (also
//! after leading white space of any kind, and in their full-width forms), or whose leading
//! white space holds a tab or a line break, gets a leading `'`
//! in a CSV, which spreadsheets show
//! as text and never evaluate; control characters become visible escapes; a cell longer than a
//! spreadsheet cell holds (32,767 characters) is cut with a note. Only numbers and fixed words
//! (ids of categories, severities, `true`) are written without it.

use std::borrow::Cow;

/// Neutralise a cell that a spreadsheet would evaluate.
pub fn safe(text: &str) -> Cow<'_, str> {
    // Any leading white space (spaces, line breaks, the full-width space): spreadsheets skip
    // it on import and evaluate what follows.
    let rest = text.trim_start_matches(char::is_whitespace);
    let lead = &text[..text.len() - rest.len()];
    match rest.chars().next() {
        Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠') => Cow::Owned(format!("'{text}")),
        // A tab or a line break anywhere in the leading white space (` \tＣＣＴＶ`, found by the
        // pipeline fuzzer in a chat message): some importers take it as the cell's start.
        _ if lead.contains(['\t', '\r', '\n']) => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Characters a spreadsheet cell holds (Excel, WPS and LibreOffice).
pub const MAX_CELL_CHARS: usize = 32_767;

/// What a cut cell ends with.
const CUT_NOTE: &str = "…[cut]";

/// A CSV text cell: neutralised, control characters visible, and cut to what a spreadsheet
/// cell holds.
pub fn text(value: &str) -> String {
    let safe = safe(value).into_owned();
    cut(visible_controls(safe))
}

/// A workbook text cell: written as a string cell, so it is never a formula and needs no
/// `'`; control characters visible (XML cannot hold most of them) and cut to fit.
pub fn plain(value: &str) -> Cow<'_, str> {
    let shown = crate::terminal::printable_keeping_lines(value);
    if shown.len() <= MAX_CELL_CHARS {
        return shown;
    }
    Cow::Owned(cut(shown.into_owned()))
}

/// Control characters (ESC, BEL, NUL …, C1, bidi overrides) as visible escapes, so `cat
/// hits.csv` on a terminal never runs a sequence from customer text. Line breaks and tabs stay.
fn visible_controls(value: String) -> String {
    match crate::terminal::printable_keeping_lines(&value) {
        Cow::Borrowed(_) => value,
        Cow::Owned(escaped) => escaped,
    }
}

/// At most [`MAX_CELL_CHARS`] characters as spreadsheets count them (UTF-16 units: an emoji
/// is two), the note included.
fn cut(mut value: String) -> String {
    if value.len() <= MAX_CELL_CHARS {
        return value;
    }
    let keep = MAX_CELL_CHARS - CUT_NOTE.chars().count();
    let mut units = 0;
    let at = value.char_indices().find_map(|(at, c)| {
        units += c.len_utf16();
        (units > keep).then_some(at)
    });
    if let Some(at) = at {
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
            // Found by a new user: a line break (a chat export's CR read as one) or a
            // full-width space before the formula.
            "\n=2+2亲，您好",
            "\r\n=2+2",
            "\u{3000}=1+1",
            "\u{3000}＠cmd",
            // Found by the pipeline fuzzer: a tab after a space, before plain text.
            " \tＣＣＴＶ",
            "\u{3000}\r\n记者",
        ] {
            assert!(safe(dangerous).starts_with('\''), "{dangerous:?}");
        }
        for plain in ["我要投诉", "12315", "1+1=2", ""] {
            assert_eq!(safe(plain), plain);
        }
    }

    #[test]
    fn every_csv_text_cell_is_neutralised_and_fits_a_spreadsheet() {
        assert_eq!(text("=2+2"), "'=2+2");
        assert_eq!(text("打12315\x1b[2J\0"), "打12315\\x1b[2J\\x00");
        assert_eq!(text("第一行\n第二行"), "第一行\n第二行");
        let long = "投诉".repeat(40_000);
        let cell = text(&long);
        assert_eq!(cell.chars().count(), MAX_CELL_CHARS);
        assert!(cell.ends_with(CUT_NOTE));
    }

    #[test]
    fn workbook_cells_keep_formula_like_text_as_it_is_and_fit_a_cell() {
        assert_eq!(plain("=HYPERLINK(\"http://x\")"), "=HYPERLINK(\"http://x\")");
        assert_eq!(plain("投诉\x07"), "投诉\\x07");
        assert_eq!(plain(&"投".repeat(40_000)).chars().count(), MAX_CELL_CHARS);
        let emoji = plain(&"😡".repeat(20_000)).into_owned();
        assert!(emoji.encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(emoji.ends_with(CUT_NOTE));
    }
}
