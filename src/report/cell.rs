//! Cells that are safe to open in Excel or WPS, and free of personal numbers.
//!
//! A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (also after leading
//! spaces, and in their full-width forms) would be evaluated as a formula: it gets a leading
//! `'`, which spreadsheets show as text and never evaluate.

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

/// Customer or agent text: personal numbers masked (unless `redact` is off), then neutralised.
pub fn text(value: &str, redact_numbers: bool) -> String {
    if redact_numbers {
        safe(&redact(value)).into_owned()
    } else {
        safe(value).into_owned()
    }
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
}
