//! The workbook's shared strings (`xl/sharedStrings.xml`): a text written once and referred to
//! by its number from every cell that shows it. Two uses, both to cut the XML a night's
//! workbook has to build and deflate: the values that repeat down a column (a file, a
//! category, a term, an escalation action), looked up as they come; and the evidence line a
//! conversation's row shares with its finding's row, added once and referred to from both.
//!
//! Promises: memory stays bounded — only texts up to [`MAX_LOOKED_UP_BYTES`] are looked up,
//! and at most [`MAX_LOOKED_UP`] of them are remembered; past either, a text is written inline
//! by its sheet as before. The table itself is streamed into a deflated entry as it grows,
//! like a sheet ([`super::sheet`]). Numbers are given in order of first use, so two runs over
//! the same inputs write the same bytes.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use fnv::FnvHashMap;

use super::sheet::{CHUNK, Deflater, push_text_element};

/// Texts remembered for look-up.
pub const MAX_LOOKED_UP: usize = 1 << 16;

/// XML the table may hold before it takes no more texts (a cell then holds its text inline):
/// with the sheets, under the 4 GiB a zip entry holds without zip64 extensions.
pub const MAX_TABLE_BYTES: u64 = 1 << 30;

/// The longest text looked up: the repeated columns' values are short; a longer one is
/// almost always unique to its row.
pub const MAX_LOOKED_UP_BYTES: usize = 256;

pub struct SharedStrings {
    /// The hidden archive; removed if the table is dropped unfinished.
    path: Option<PathBuf>,
    deflater: Deflater,
    buf: Vec<u8>,
    known: FnvHashMap<Box<str>, u32>,
    /// Strings in the table.
    count: u32,
    /// XML handed to the deflater so far.
    bytes: u64,
}

/// The table complete, waiting in its hidden archive to be packaged.
pub struct FinishedStrings {
    pub path: PathBuf,
    /// Texts in it: a workbook with none leaves the part out.
    pub count: u32,
}

impl Drop for SharedStrings {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = fs::remove_file(path);
        }
    }
}

impl Drop for FinishedStrings {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

impl SharedStrings {
    /// An empty table in a hidden archive `file` of `dir`.
    pub fn create(dir: &Path, file: &str) -> io::Result<SharedStrings> {
        let path = dir.join(file);
        let deflater = Deflater::start(&path, "sharedStrings.xml")?;
        let mut buf = Vec::with_capacity(2 * CHUNK);
        buf.extend_from_slice(
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
                r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            )
            .as_bytes(),
        );
        Ok(SharedStrings {
            path: Some(path),
            deflater,
            buf,
            known: FnvHashMap::default(),
            count: 0,
            bytes: 0,
        })
    }

    /// The number of `text` in the table and whether it was added now; `None` when it is too
    /// long to look up, the table remembers all it may or is full (the cell is then written
    /// inline).
    pub fn index(&mut self, text: &str) -> Option<(u32, bool)> {
        if text.len() > MAX_LOOKED_UP_BYTES {
            return None;
        }
        if let Some(&index) = self.known.get(text) {
            return Some((index, false));
        }
        if self.known.len() >= MAX_LOOKED_UP {
            return None;
        }
        let index = self.add(text)?;
        self.known.insert(text.into(), index);
        Some((index, true))
    }

    /// Add `text` without remembering it (a text only the caller will refer to again);
    /// `None` when the table is full.
    pub fn add(&mut self, text: &str) -> Option<u32> {
        if self.bytes + self.buf.len() as u64 >= MAX_TABLE_BYTES {
            return None;
        }
        self.buf.extend_from_slice(b"<si>");
        push_text_element(&mut self.buf, text);
        self.buf.extend_from_slice(b"</si>");
        self.count += 1;
        Some(self.count - 1)
    }

    /// Hand the table's XML so far to its deflating thread once there is a chunk of it.
    pub fn flush_if_full(&mut self) -> io::Result<()> {
        if self.buf.len() > CHUNK {
            self.bytes += self.buf.len() as u64;
            self.deflater.send(&mut self.buf)?;
        }
        Ok(())
    }

    /// The end of the XML; the entry complete.
    pub fn finish(mut self) -> io::Result<FinishedStrings> {
        self.buf.extend_from_slice(b"</sst>");
        self.deflater.send(&mut self.buf)?;
        self.deflater.join()?;
        Ok(FinishedStrings {
            path: self.path.take().unwrap_or_default(),
            count: self.count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_text_has_one_number_and_long_or_surplus_texts_none() {
        let dir = tempfile::tempdir().unwrap();
        let mut strings = SharedStrings::create(dir.path(), ".strings").unwrap();
        assert_eq!(strings.index("threat.repeat"), Some((0, true)));
        assert_eq!(strings.index("升级组长"), Some((1, true)));
        assert_eq!(strings.index("threat.repeat"), Some((0, false)));
        assert_eq!(strings.add("我已经打了三次电话"), Some(2), "added, not remembered");
        assert_eq!(strings.index("我已经打了三次电话"), Some((3, true)));
        assert_eq!(strings.index(&"投".repeat(100)), None, "300 bytes: too long to look up");
        for i in strings.known.len()..MAX_LOOKED_UP {
            strings.index(&format!("工号{i}"));
        }
        assert_eq!(strings.index("新的一个"), None, "the table remembers no more");
        assert_eq!(
            strings.index("升级组长"),
            Some((1, false)),
            "what it knows it still finds"
        );
        strings.flush_if_full().unwrap();
        // Full: no text more, looked up or added; the ones it has are still found.
        strings.bytes = MAX_TABLE_BYTES;
        assert_eq!(strings.add("我已经打了四次电话"), None);
        assert_eq!(strings.index("升级组长"), Some((1, false)));
        let finished = strings.finish().unwrap();
        assert!(finished.path.exists());
        let path = finished.path.clone();
        drop(finished);
        assert!(!path.exists(), "the hidden archive goes with the table");
    }
}
