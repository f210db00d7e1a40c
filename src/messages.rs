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

/// Text made safe for a terminal (see [`crate::terminal::printable`]).
pub fn printable(text: &str) -> Cow<'_, str> {
    crate::terminal::printable(text)
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
    fn numbers_in_names_are_masked() {
        assert_eq!(
            shown("13912345678_20261122.txt line 3: bad"),
            shown("13912345678_20261122.txt line 3: bad")
        );
        assert!(!shown("客户 13912345678 来电").contains("13912345678"));
    }
}
