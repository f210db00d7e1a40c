//! Rows kept on disk instead of in memory, for reports that can only be written at the end
//! (sorted by risk, grouped by agent): each row is appended to a hidden file in the staging
//! folder and read back by its offset, so a night of a million conversations costs eight
//! bytes per row in memory. The file is removed when the spill is dropped.
//!
//! A row is a list of cells, each a text or a number, as the workbook writes them.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// One cell of a spilled row: a text borrowed while the row is built, owned once read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Number(f64),
    Bool(bool),
    /// No value (a finding with no count): an empty cell, not a zero.
    Empty,
}

pub struct Spill {
    path: PathBuf,
    writer: Option<BufWriter<File>>,
    reader: Option<BufReader<File>>,
    len: u64,
    /// Where the reader stands: a row read right after the last one needs no seek (a seek
    /// throws the read buffer away).
    position: u64,
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
            position: 0,
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
            }
        }
        writer.write_all(&bytes)?;
        self.len += bytes.len() as u64;
        Ok(at)
    }

    /// The row at `offset`.
    pub fn read(&mut self, offset: u64) -> io::Result<Vec<Cell<'static>>> {
        if let Some(mut writer) = self.writer.take() {
            writer.flush()?;
            // Small buffer: rows are read back out of order (by rank) as often as in order.
            self.reader = Some(BufReader::with_capacity(2048, File::open(&self.path)?));
            self.position = 0;
        }
        let reader = self
            .reader
            .as_mut()
            .ok_or_else(|| io::Error::other("spill: no reader"))?;
        if offset != self.position {
            reader.seek(SeekFrom::Start(offset))?;
        }
        let mut reader = Counted { inner: reader, read: 0 };
        let reader = &mut reader;
        let count = read_u32(reader)?;
        let mut row = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let mut tag = [0u8];
            reader.read_exact(&mut tag)?;
            row.push(match tag[0] {
                0 => {
                    let len = read_u32(reader)? as usize;
                    let mut text = vec![0; len];
                    reader.read_exact(&mut text)?;
                    Cell::Text(Cow::Owned(String::from_utf8(text).map_err(io::Error::other)?))
                }
                1 => {
                    let mut n = [0u8; 8];
                    reader.read_exact(&mut n)?;
                    Cell::Number(f64::from_le_bytes(n))
                }
                3 => {
                    let mut b = [0u8];
                    reader.read_exact(&mut b)?;
                    Cell::Bool(b[0] != 0)
                }
                _ => Cell::Empty,
            });
        }
        self.position = offset + reader.read;
        Ok(row)
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        self.writer = None;
        self.reader = None;
        let _ = fs::remove_file(&self.path);
    }
}

/// A reader that counts the bytes read through it.
struct Counted<'a, R> {
    inner: &'a mut R,
    read: u64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

fn read_u32(reader: &mut impl Read) -> io::Result<u32> {
    let mut n = [0u8; 4];
    reader.read_exact(&mut n)?;
    Ok(u32::from_le_bytes(n))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
