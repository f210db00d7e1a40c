//! A bug must cost one input, never the night: work on one input runs under [`isolate`], and
//! a panic inside it becomes that input's problem (listed in errors.csv, exit status 2) while
//! the batch goes on.
//!
//! The panic hook ([`install_hook`], called by `main`) keeps the message and place of a panic
//! for the thread that raised it instead of printing a backtrace over the progress bar; the
//! problem row carries them, so the bug can be reported with the file that caused it.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keep each panic's message for [`isolate`] instead of printing it. Installed once by `main`;
/// without it (in tests) the default hook prints and [`isolate`] still catches.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = match (
            info.payload().downcast_ref::<&str>(),
            info.payload().downcast_ref::<String>(),
        ) {
            (Some(s), _) => (*s).to_string(),
            (_, Some(s)) => s.clone(),
            _ => "unknown panic".to_string(),
        };
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(format!("{message}{place}")));
    }));
}

/// Run `work`; a panic becomes `Err` with a reason for errors.csv.
pub fn isolate<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let message = LAST_PANIC.with(|last| last.borrow_mut().take()).unwrap_or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string())
        });
        // The message may quote the text being scanned: it is masked and made printable
        // where problems leave the program, like every other reason.
        format!("internal error, this input was not scanned (please report it with the file): {message}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_reason_and_the_caller_goes_on() {
        let result: Result<(), String> = isolate(|| panic!("index out of bounds"));
        let reason = result.unwrap_err();
        assert!(reason.starts_with("internal error"), "{reason}");
        assert!(reason.contains("index out of bounds"), "{reason}");
        assert_eq!(isolate(|| 2 + 2), Ok(4));
    }
}
