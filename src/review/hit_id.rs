//! `hit_id`: the same finding in the same file gets the same id in every run, with any `-j`,
//! and on another machine.
//!
//! The id is `h` and 16 hex digits of a SHA-256 (the `sha2` crate) of, in this order: the
//! input's path relative to the scan root it was found under (the directory named on the
//! command line; a file named directly is its file name; `<stdin>` stays), the conversation
//! id, the line, the category id, the character offset of the match in its line, and the
//! matched words. Path, conversation id and words are hashed *masked* (as reports show them),
//! so an id never depends on, nor lets anyone recover, a personal number. The leading `h` keeps
//! spreadsheets from reading an id as a number (`1234e5`); an id whose hex would hold six
//! digits in a row is hashed again with a salt, so no id ever looks like a phone or card number.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::redact::redact;

/// Hex digits of the hash kept in an id (64 bits: no collision in any night's findings).
const HEX_DIGITS: usize = 16;

/// The digits of the hex, by value.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// Decimal digits in a row that an id never holds.
const DIGIT_RUN: usize = 6;

/// The id of a finding: see the module doc for what goes into it.
pub fn hit_id(file: &str, conversation: &str, line: usize, category: &str, offset: usize, matched: &str) -> String {
    HitIds::new(file, conversation).id(line, category, offset, matched)
}

/// The ids of one conversation's findings: its path and id masked once, not per finding.
pub struct HitIds<'a> {
    file: Cow<'a, str>,
    conversation: Cow<'a, str>,
}

impl<'a> HitIds<'a> {
    pub fn new(file: &'a str, conversation: &'a str) -> HitIds<'a> {
        HitIds {
            file: redact(file),
            conversation: redact(conversation),
        }
    }

    /// The id of a finding of this conversation: the same as [`hit_id`] gives.
    pub fn id(&self, line: usize, category: &str, offset: usize, matched: &str) -> String {
        let mut line_text = itoa::Buffer::new();
        let mut offset_text = itoa::Buffer::new();
        let matched = redact(matched);
        let fields: [&str; 6] = [
            &self.file,
            &self.conversation,
            line_text.format(line),
            category,
            offset_text.format(offset),
            &matched,
        ];
        let mut id = String::with_capacity(1 + HEX_DIGITS);
        for salt in 0u32..256 {
            let mut hasher = Sha256::new();
            hasher.update(b"callrisk hit_id v1");
            hasher.update(salt.to_le_bytes());
            for field in fields {
                // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
                hasher.update((field.len() as u64).to_le_bytes());
                hasher.update(field.as_bytes());
            }
            let digest = hasher.finalize();
            id.clear();
            id.push('h');
            for byte in &digest[..HEX_DIGITS / 2] {
                id.push(HEX[usize::from(byte >> 4)] as char);
                id.push(HEX[usize::from(byte & 0xf)] as char);
            }
            if longest_digit_run(&id) < DIGIT_RUN {
                break;
            }
        }
        id
    }
}

fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// The input's name relative to the scan root it was found under: the longest of `roots`
/// that holds it (`calls/2026/a.txt` under `calls` → `2026/a.txt`), a file named directly
/// as its file name, anything else (`<stdin>`) as it is. Separators are `/` on every system.
pub fn relative_to_roots(name: &str, roots: &[PathBuf]) -> String {
    let path = Path::new(name);
    let best = roots
        .iter()
        .filter(|root| root.as_os_str() != "-" && path.starts_with(root))
        .max_by_key(|root| root.components().count());
    match best {
        // A file named directly: its file name.
        Some(root) if path == root.as_path() => path
            .file_name()
            .map_or_else(|| name.to_string(), |n| n.to_string_lossy().into_owned()),
        // The walk's own key of it.
        Some(root) => String::from_utf8_lossy(&crate::input::relative_key(path, root)).into_owned(),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_finding_gets_the_same_id_and_any_field_changes_it() {
        let id = hit_id("a/call.txt", "C1", 3, "threat.media", 7, "曝光");
        assert_eq!(id, hit_id("a/call.txt", "C1", 3, "threat.media", 7, "曝光"));
        assert!(id.starts_with('h') && id.len() == 17, "{id}");
        for other in [
            hit_id("b/call.txt", "C1", 3, "threat.media", 7, "曝光"),
            hit_id("a/call.txt", "C2", 3, "threat.media", 7, "曝光"),
            hit_id("a/call.txt", "C1", 4, "threat.media", 7, "曝光"),
            hit_id("a/call.txt", "C1", 3, "threat.online", 7, "曝光"),
            hit_id("a/call.txt", "C1", 3, "threat.media", 8, "曝光"),
            hit_id("a/call.txt", "C1", 3, "threat.media", 7, "记者"),
        ] {
            assert_ne!(id, other);
        }
    }

    #[test]
    fn an_id_never_holds_a_number_and_does_not_depend_on_the_clear_number() {
        // The masked form is hashed: two numbers that mask alike give the same id, and the
        // id holds no run of digits that could read as a phone or card number.
        let a = hit_id("13912345678.txt", "13912345678", 2, "taboo.privacy", 5, "13912345678");
        let b = hit_id("13900005678.txt", "13900005678", 2, "taboo.privacy", 5, "13900005678");
        assert_eq!(a, b);
        for n in 0..2000 {
            let id = hit_id("x.txt", &n.to_string(), n, "threat.legal", n, "律师");
            assert!(longest_digit_run(&id) < DIGIT_RUN, "{id}");
        }
    }

    #[test]
    fn paths_are_taken_relative_to_the_root_they_were_found_under() {
        let roots = [
            PathBuf::from("/data/night"),
            PathBuf::from("calls/"),
            PathBuf::from("one.txt"),
        ];
        assert_eq!(relative_to_roots("/data/night/sub/a.txt", &roots), "sub/a.txt");
        assert_eq!(relative_to_roots("calls/b.txt", &roots), "b.txt");
        assert_eq!(relative_to_roots("one.txt", &roots), "one.txt");
        assert_eq!(relative_to_roots("<stdin>", &roots), "<stdin>");
        let moved = [PathBuf::from("/mnt/copy/night")];
        assert_eq!(relative_to_roots("/mnt/copy/night/sub/a.txt", &moved), "sub/a.txt");
    }
}
