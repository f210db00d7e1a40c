//! Every message for people leaves through here: stderr lines and stdout text.
//!
//! Promises: a closed pipe (`callrisk scan … 2>&1 | head -1`, `lexicon check | head`) is a
//! normal end, never a panic; text that came from an input (file names, conversation ids,
//! error reasons that quote a line) is masked like report cells and made printable, so a
//! customer's phone number or a terminal escape sequence in a file name never reaches the
//! screen or the nightly job's mail.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether personal numbers are masked in messages (off only with `--no-redact`).
static REDACT: AtomicBool = AtomicBool::new(true);

/// `--no-redact` turns masking off for messages too.
pub fn set_redact(on: bool) {
    REDACT.store(on, Ordering::Relaxed);
}

/// Text from an input, safe to show: numbers masked (unless `--no-redact`), control
/// characters and escape sequences made visible.
pub fn shown(text: &str) -> Cow<'_, str> {
    let masked = if REDACT.load(Ordering::Relaxed) {
        crate::redact::redact(text)
    } else {
        Cow::Borrowed(text)
    };
    match masked {
        Cow::Borrowed(b) => printable(b),
        Cow::Owned(o) => Cow::Owned(printable(&o).into_owned()),
    }
}

/// Control characters, DEL, C1 controls and bidi overrides as visible escapes.
pub fn printable(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line on stderr, `callrisk: ` first. A closed stderr is ignored.
pub fn error_line(message: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "callrisk: {message}");
}

/// Text on stderr as it is (the summary). A closed stderr is ignored.
pub fn error_text(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Text on stdout; a closed pipe is a normal end (Ok), any other failure an error.
pub fn out_text(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_from_inputs_are_shown_not_obeyed() {
        let cases = [
            ("客户：我要去12315投诉", "客户：我要去12315投诉"),
            ("\x1b]0;pwned\x07name.txt", "\\u{1b}]0;pwned\\u{7}name.txt"),
            ("\x1b[2J\x1b[H清屏", "\\u{1b}[2J\\u{1b}[H清屏"),
            ("\u{9b}31m", "\\u{9b}31m"),
            ("abc\u{202E}txt.exe", "abc\\u{202e}txt.exe"),
            ("line\nbreak\ttab\r", "line\\u{a}break\\u{9}tab\\u{d}"),
        ];
        for (input, want) in cases {
            assert_eq!(printable(input), want, "{input:?}");
        }
        assert!(matches!(printable("plain 中文"), Cow::Borrowed(_)));
    }

    #[test]
    fn numbers_in_names_are_masked() {
        assert_eq!(
            shown("13912345678_20261122.txt line 3: bad"),
            shown("13912345678_20261122.txt line 3: bad")
        );
        assert!(!shown("客户 13912345678 来电").contains("13912345678"));
    }
}
