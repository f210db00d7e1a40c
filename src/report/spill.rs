//! Rows kept on disk instead of in memory, for reports that can only be written at the end
//! (sorted by risk, grouped by agent): each row is appended to a hidden file in the staging
//! folder and read back by its offset, so a night of a million conversations costs eight
//! bytes per row in memory. The file is removed when the spill is dropped.
//!
//! A row is a list of cells, each a text, a number, a flag or a shared string's number, as
//! the workbook writes them.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Bytes read from the file at a time: rows read back in file order (the long tail of a
/// night's conversations with the same rank) come many to a read; a row elsewhere costs one.
const WINDOW: usize = 1 << 16;

/// One cell of a spilled row: a text borrowed while the row is built, and borrowed from the
/// spill's read window once read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Number(f64),
    Bool(bool),
    /// No value (a finding with no count): an empty cell, not a zero.
    Empty,
    /// A text of the workbook's shared strings, by its number ([`super::strings`]).
    Shared(u32),
}

pub struct Spill {
    path: PathBuf,
    writer: Option<BufWriter<File>>,
    reader: Option<File>,
    len: u64,
    /// The bytes of the file from `window_at` on, as last read.
    window: Vec<u8>,
    window_at: u64,
}

impl Spill {
    /// A new, empty spill file `name` in `dir`.
    pub fn create(dir: &Path, name: &str) -> io::Result<Spill> {
        let path = dir.join(name);
        let writer = BufWriter::new(File::create(&path)?);
        Ok(Spill {
            path,
            writer: Some(writer),
            reader: None,
            len: 0,
            window: Vec::new(),
            window_at: 0,
        })
    }

    /// Append a row; its offset, to read it back with [`Spill::read`].
    pub fn push(&mut self, row: &[Cell]) -> io::Result<u64> {
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| io::Error::other("spill: written after reading began"))?;
        let at = self.len;
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&(row.len() as u32).to_le_bytes());
        for cell in row {
            match cell {
                Cell::Text(text) => {
                    bytes.push(0);
                    bytes.extend_from_slice(&(text.len() as u32).to_le_bytes());
                    bytes.extend_from_slice(text.as_bytes());
                }
                Cell::Number(n) => {
                    bytes.push(1);
                    bytes.extend_from_slice(&n.to_le_bytes());
                }
                Cell::Bool(b) => bytes.extend_from_slice(&[3, u8::from(*b)]),
                Cell::Empty => bytes.push(2),
                Cell::Shared(index) => {
                    bytes.push(4);
                    bytes.extend_from_slice(&index.to_le_bytes());
                }
            }
        }
        writer.write_all(&bytes)?;
        self.len += bytes.len() as u64;
        Ok(at)
    }

    /// The row at `offset`, its texts borrowed from the spill's read window.
    pub fn read(&mut self, offset: u64) -> io::Result<Vec<Cell<'_>>> {
        if let Some(mut writer) = self.writer.take() {
            writer.flush()?;
            self.reader = Some(File::open(&self.path)?);
            self.window.clear();
        }
        let file = self
            .reader
            .as_ref()
            .ok_or_else(|| io::Error::other("spill: no reader"))?;
        let mut want = WINDOW;
        let from = loop {
            let end = self.window_at + self.window.len() as u64;
            if offset >= self.window_at && offset < end {
                let from = (offset - self.window_at) as usize;
                if row_is_whole(&self.window[from..]) {
                    break from;
                }
                // The row runs past what was read: read from it on, more at once.
                if end >= self.len {
                    return Err(io::Error::other("spill: a row runs past the end of the file"));
                }
                want = want.max(2 * (end - offset) as usize);
            }
            let size = want.min(self.len.saturating_sub(offset) as usize);
            if size == 0 {
                return Err(io::Error::other("spill: no row at this offset"));
            }
            self.window.resize(size, 0);
            file.read_exact_at(&mut self.window, offset)?;
            self.window_at = offset;
        };
        parse_row(&self.window[from..])?.ok_or_else(|| io::Error::other("spill: a row runs past the window"))
    }
}

/// Whether `bytes` holds the whole row that starts it.
fn row_is_whole(bytes: &[u8]) -> bool {
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let Some(count) = u32_at(0) else { return false };
    let mut at: usize = 4;
    for _ in 0..count {
        at = at.saturating_add(match bytes.get(at) {
            None => return false,
            Some(0) => match u32_at(at + 1) {
                Some(len) => len.saturating_add(5),
                None => return false,
            },
            Some(1) => 9,
            Some(3) => 2,
            Some(4) => 5,
            Some(_) => 1,
        });
    }
    at <= bytes.len()
}

/// The row at the start of `bytes`, or `None` when `bytes` ends inside it.
fn parse_row(bytes: &[u8]) -> io::Result<Option<Vec<Cell<'_>>>> {
    let mut at = 0;
    let mut take = |n: usize| -> Option<&[u8]> {
        let taken = bytes.get(at..at + n)?;
        at += n;
        Some(taken)
    };
    let u32_at = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let Some(count) = take(4).map(u32_at) else {
        return Ok(None);
    };
    // One more: the workbook puts the rank before a conversation's row.
    let mut row = Vec::with_capacity(count as usize + 1);
    for _ in 0..count {
        let Some(tag) = take(1) else { return Ok(None) };
        row.push(match tag[0] {
            0 => {
                let Some(len) = take(4).map(u32_at) else {
                    return Ok(None);
                };
                let Some(text) = take(len as usize) else {
                    return Ok(None);
                };
                Cell::Text(Cow::Borrowed(std::str::from_utf8(text).map_err(io::Error::other)?))
            }
            1 => {
                let Some(n) = take(8) else { return Ok(None) };
                let mut le = [0u8; 8];
                le.copy_from_slice(n);
                Cell::Number(f64::from_le_bytes(le))
            }
            3 => {
                let Some(b) = take(1) else { return Ok(None) };
                Cell::Bool(b[0] != 0)
            }
            4 => {
                let Some(n) = take(4).map(u32_at) else {
                    return Ok(None);
                };
                Cell::Shared(n)
            }
            _ => Cell::Empty,
        });
    }
    Ok(Some(row))
}

impl Drop for Spill {
    fn drop(&mut self) {
        self.writer = None;
        self.reader = None;
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check that a row is whole in the window and the parser agree on every cut of a
    /// written row, and a corrupt header (a huge count or length) is a row not whole, never a
    /// panic or a huge allocation.
    #[test]
    fn a_row_cut_anywhere_is_not_whole_and_a_corrupt_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = Spill::create(dir.path(), ".spill").unwrap();
        let row = [
            Cell::Text("客户：我要投诉".into()),
            Cell::Number(3.0),
            Cell::Bool(true),
            Cell::Empty,
            Cell::Shared(70_000),
            Cell::Text("".into()),
        ];
        spill.push(&row).unwrap();
        assert_eq!(
            spill.read(0).unwrap(),
            row.to_vec(),
            "read back whole (and the file flushed)"
        );
        let bytes = std::fs::read(dir.path().join(".spill")).unwrap();
        for cut in 0..=bytes.len() {
            let prefix = &bytes[..cut];
            assert_eq!(row_is_whole(prefix), cut == bytes.len(), "cut at {cut}");
            assert_eq!(parse_row(prefix).unwrap().is_some(), cut == bytes.len(), "cut at {cut}");
        }
        assert_eq!(parse_row(&bytes).unwrap().unwrap(), row.to_vec());
        let mut huge_count = bytes.clone();
        huge_count[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(!row_is_whole(&huge_count));
        let mut huge_text = bytes.clone();
        huge_text[5..9].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(!row_is_whole(&huge_text));
        assert!(parse_row(&huge_text).unwrap().is_none());
    }

    #[test]
    fn rows_come_back_as_they_were_written_in_any_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = Spill::create(dir.path(), ".rows").unwrap();
        let first = vec![
            Cell::Text("00123".into()),
            Cell::Number(22.0),
            Cell::Empty,
            Cell::Bool(true),
        ];
        let second = vec![Cell::Text("我就打12315投诉你们".into()), Cell::Text("".into())];
        let a = spill.push(&first).unwrap();
        let b = spill.push(&second).unwrap();
        assert_eq!(spill.read(b).unwrap(), second);
        assert_eq!(spill.read(a).unwrap(), first);
        drop(spill);
        assert!(!dir.path().join(".rows").exists());
    }

    /// Rows longer than a read, and thousands read back in order, backwards and scattered.
    #[test]
    fn long_rows_and_many_rows_come_back_in_any_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = Spill::create(dir.path(), ".rows").unwrap();
        let row = |i: usize| {
            let text = if i.is_multiple_of(997) {
                "投诉".repeat(30_000 + i)
            } else {
                format!("第{i}行")
            };
            vec![
                Cell::Number(i as f64),
                Cell::Text(text.into()),
                Cell::Bool(i.is_multiple_of(2)),
            ]
        };
        let offsets: Vec<u64> = (0..5_000).map(|i| spill.push(&row(i)).unwrap()).collect();
        let mut order: Vec<usize> = (0..5_000).collect();
        order.extend((0..5_000).rev());
        order.extend((0..5_000).map(|i| i * 7919 % 5_000));
        for i in order {
            assert_eq!(spill.read(offsets[i]).unwrap(), row(i), "row {i}");
        }
    }
}
