//! The workbook's parts written as Office Open XML, straight into zip entries: a sheet is
//! streamed row by row into a deflated entry of a hidden archive of its own in the staging
//! folder (so the `findings` sheet can be written while the scan runs and the others at the
//! end), and [`Package::write`] copies the compressed entries, untouched, into `report.xlsx`
//! beside the few small parts a workbook needs (content types, relationships, the workbook,
//! the styles, the document properties).
//!
//! Why not a workbook crate: `rust_xlsxwriter` (which wrote this workbook until issue 11's
//! speed point) spent about 3,700 instructions per cell (a formatted write, a hash of the
//! cell's format, a cell map per row), which made the workbook a fifth of a night's run. Here
//! a cell is a few appends to a buffer; the zip container and deflate are the `zip` crate's.
//!
//! Promises: every text is a string cell — inline, or shared ([`super::strings`]) in the columns
//! whose values repeat and where the workbook gives a [`Cell::Shared`] — never a formula,
//! leading zeros kept; XML
//! special characters, characters XML 1.0 cannot hold and literal `_xHHHH_` sequences (which
//! spreadsheets would decode) are escaped; numbers are numbers, flags booleans; the header row
//! is styled, frozen and filtered; a sheet stops at the rows a spreadsheet holds (1,048,576)
//! or at [`MAX_SHEET_BYTES`] of XML, and then says in its last row how many rows are in the
//! CSVs only. Two runs with the same `created` time write the same bytes.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Write};
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::spill::Cell;
use super::strings::{FinishedStrings, SharedStrings};

/// The XML declaration every part starts with, and its line break.
macro_rules! declaration {
    () => {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    };
}

/// A column: its header, its width (in characters) and what its values are like.
pub struct Column {
    pub name: &'static str,
    pub width: f64,
    pub kind: Kind,
}

/// What a column's texts are like, which decides how they are written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Mostly different on every row (ids, times, context): inline strings (but for a
    /// [`Cell::Shared`] the workbook gives, such as the evidence a conversation's row and its
    /// finding's row share).
    Unique,
    /// Values expected to repeat down the column (file, category, term, escalation): shared
    /// strings, written once in the workbook ([`super::strings`]). A column whose values turn
    /// out mostly new ([`Sharing`]) goes back to inline strings, so it cannot fill the
    /// table the others need.
    Repeated,
    /// A severity: repeated, and coloured by its level.
    Severity,
}

impl Column {
    pub const fn unique(name: &'static str, width: f64) -> Column {
        Column {
            name,
            width,
            kind: Kind::Unique,
        }
    }

    pub const fn repeated(name: &'static str, width: f64) -> Column {
        Column {
            name,
            width,
            kind: Kind::Repeated,
        }
    }

    pub const fn severity(name: &'static str, width: f64) -> Column {
        Column {
            name,
            width,
            kind: Kind::Severity,
        }
    }
}

/// Rows a sheet holds, the header included.
pub const MAX_ROWS: u32 = 1_048_576;

/// XML a sheet may hold before it stops taking rows: under the 4 GiB a zip entry holds
/// without zip64 extensions, which not every spreadsheet reads.
pub const MAX_SHEET_BYTES: u64 = 3 << 30;

/// The cell styles of `styles.xml`, by index.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Header = 1,
    Medium = 2,
    Critical = 3,
    High = 4,
    Low = 5,
}

impl Style {
    fn of_severity(id: &str) -> Option<Style> {
        match id {
            "critical" => Some(Style::Critical),
            "high" => Some(Style::High),
            "medium" => Some(Style::Medium),
            "low" => Some(Style::Low),
            _ => None,
        }
    }
}

/// Entries are deflated at level 1: the sheets compress to about the same size as at the
/// default level, in a fraction of the time. Times are the zip epoch, so the bytes repeat.
fn entry_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o600)
}

fn zip_error(e: zip::result::ZipError) -> io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        other => io::Error::other(other),
    }
}

/// XML gathered before it is handed to the sheet's deflating thread.
pub(super) const CHUNK: usize = 1 << 15;

/// A sheet's zip entry, deflated on a thread of its own fed with full buffers: rows are
/// written while the previous buffer is compressed (during the scan, on a core the reader
/// leaves idle; at the end, beside the rendering of the next rows). At most two full buffers
/// wait for it, so memory stays flat.
pub(super) struct Deflater {
    full: Option<crossbeam_channel::Sender<Vec<u8>>>,
    empty: crossbeam_channel::Receiver<Vec<u8>>,
    thread: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl Deflater {
    /// A thread writing one entry, `entry`, into a new archive at `path`.
    pub(super) fn start(path: &Path, entry: &'static str) -> io::Result<Deflater> {
        let file = File::create(path)?;
        let (full, full_rx) = crossbeam_channel::bounded::<Vec<u8>>(2);
        let (empty_tx, empty) = crossbeam_channel::bounded::<Vec<u8>>(4);
        let thread = std::thread::Builder::new()
            .name("callrisk-xlsx".into())
            .spawn(move || -> io::Result<()> {
                // Not dropped on an error: the zip crate's drop would try to finish the
                // archive again and print its own error (the run is failing anyway and says why).
                let mut zip = ManuallyDrop::new(ZipWriter::new(BufWriter::with_capacity(1 << 16, file)));
                zip.start_file(entry, entry_options()).map_err(zip_error)?;
                for mut buf in full_rx {
                    zip.write_all(&buf)?;
                    buf.clear();
                    let _ = empty_tx.try_send(buf);
                }
                ManuallyDrop::into_inner(zip).finish().map_err(zip_error)?.flush()
            })?;
        Ok(Deflater {
            full: Some(full),
            empty,
            thread: Some(thread),
        })
    }

    /// Hand `buf` over to be compressed; `buf` comes back empty.
    pub(super) fn send(&mut self, buf: &mut Vec<u8>) -> io::Result<()> {
        let next = self.empty.try_recv().unwrap_or_else(|_| Vec::with_capacity(2 * CHUNK));
        let full = std::mem::replace(buf, next);
        match &self.full {
            Some(sender) if sender.send(full).is_ok() => Ok(()),
            // The thread stopped early: its error says why.
            _ => Err(self
                .join()
                .err()
                .unwrap_or_else(|| io::Error::other("xlsx: a part's writer stopped"))),
        }
    }

    /// Wait until the entry is complete.
    pub(super) fn join(&mut self) -> io::Result<()> {
        self.full = None;
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("xlsx: a part's writer panicked"))),
            None => Ok(()),
        }
    }
}

impl Drop for Deflater {
    fn drop(&mut self) {
        let _ = self.join();
    }
}

/// Look-ups of a repeated column's texts in the shared strings, and how many were new: past
/// [`Sharing::TRIAL`] look-ups, a column where more than half were new (a file per call in a
/// folder of calls, an agent per call) stops looking up and writes its texts inline.
#[derive(Default, Clone, Copy)]
struct Sharing {
    looked_up: u32,
    new: u32,
    stopped: bool,
}

impl Sharing {
    const TRIAL: u32 = 4_096;

    fn count(&mut self, new: bool) {
        self.looked_up += 1;
        self.new += u32::from(new);
        if self.looked_up >= Sharing::TRIAL && 2 * self.new > self.looked_up {
            self.stopped = true;
        }
    }
}

/// A sheet being written: the header written, frozen, columns sized; rows pushed in order.
pub struct Sheet {
    name: String,
    columns: &'static [Column],
    /// The hidden archive; removed if the sheet is dropped unfinished.
    path: Option<PathBuf>,
    deflater: Deflater,
    buf: Vec<u8>,
    /// Rows written, the header included.
    rows: u32,
    bytes: u64,
    not_written: u64,
    /// Per column.
    sharing: Vec<Sharing>,
}

/// A sheet whose XML is complete, waiting in its hidden archive to be packaged.
pub struct FinishedSheet {
    name: String,
    path: PathBuf,
    /// The filter's range: the last row and the last column (1-based).
    last_row: u32,
    last_column: usize,
}

impl Drop for Sheet {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = fs::remove_file(path);
        }
    }
}

impl Drop for FinishedSheet {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

impl Sheet {
    /// A new sheet named `name` (a name [`super::xlsx`] made valid and unique) in a hidden
    /// archive `file` of `dir`; `selected` marks the tab that opens first; `rows`, when known
    /// before the first row is pushed, is how many will be (the sheet then states its size,
    /// which some readers use).
    pub fn create(
        dir: &Path,
        file: &str,
        name: String,
        columns: &'static [Column],
        selected: bool,
        rows: Option<usize>,
    ) -> io::Result<Sheet> {
        let path = dir.join(file);
        let deflater = Deflater::start(&path, "sheet.xml")?;
        let mut sheet = Sheet {
            name,
            columns,
            path: Some(path),
            deflater,
            buf: Vec::with_capacity(2 * CHUNK),
            rows: 0,
            bytes: 0,
            not_written: 0,
            sharing: vec![Sharing::default(); columns.len()],
        };
        let b = &mut sheet.buf;
        b.extend_from_slice(
            concat!(
                declaration!(),
                r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
                r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            )
            .as_bytes(),
        );
        if let Some(rows) = rows {
            // The header, the rows a sheet holds, and the note on the rest.
            let last = if rows <= MAX_ROWS as usize - 2 {
                rows as u32 + 1
            } else {
                MAX_ROWS
            };
            b.extend_from_slice(
                format!(r#"<dimension ref="A1:{}{last}"/>"#, column_name(columns.len() - 1)).as_bytes(),
            );
        }
        b.extend_from_slice(b"<sheetViews><sheetView");
        if selected {
            b.extend_from_slice(br#" tabSelected="1""#);
        }
        b.extend_from_slice(
            concat!(
                r#" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#,
                r#"<selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>"#
            )
            .as_bytes(),
        );
        for (i, Column { width, .. }) in columns.iter().enumerate() {
            let n = i + 1;
            b.extend_from_slice(
                format!(
                    r#"<col min="{n}" max="{n}" width="{}" customWidth="1"/>"#,
                    excel_width(*width)
                )
                .as_bytes(),
            );
        }
        b.extend_from_slice(b"</cols><sheetData>");
        let header: Vec<Cell> = columns.iter().map(|c| Cell::Text(c.name.into())).collect();
        sheet.write_row(&header, Some(Style::Header), None);
        sheet.flush_if_full(0)?;
        Ok(sheet)
    }

    /// Add a row, the texts of [`Kind::Repeated`] columns shared through `strings`; past the
    /// rows or the bytes a sheet holds it is only counted.
    pub fn push(&mut self, row: &[Cell], strings: &mut SharedStrings) -> io::Result<()> {
        if self.rows >= MAX_ROWS - 1 || self.bytes >= MAX_SHEET_BYTES {
            self.not_written += 1;
            return Ok(());
        }
        self.write_row(row, None, Some(strings));
        self.flush_if_full(CHUNK)
    }

    /// The overflow note, the end of the XML and the autofilter.
    pub fn finish(mut self) -> io::Result<FinishedSheet> {
        if self.not_written > 0 {
            let note = format!(
                "… {} more rows than a sheet holds: see the CSV reports",
                self.not_written
            );
            self.write_row(&[Cell::Text(note.into())], None, None);
        }
        let last_row = self.rows.saturating_sub(u32::from(self.not_written > 0)).max(2);
        let last_column = self.columns.len();
        let range = format!("A1:{}{last_row}", column_name(last_column - 1));
        self.buf.extend_from_slice(
            format!(
                concat!(
                    r#"</sheetData><autoFilter ref="{}"/>"#,
                    r#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
                ),
                range
            )
            .as_bytes(),
        );
        self.flush_if_full(0)?;
        self.deflater.join()?;
        Ok(FinishedSheet {
            name: std::mem::take(&mut self.name),
            path: self.path.take().unwrap_or_default(),
            last_row,
            last_column,
        })
    }

    fn flush_if_full(&mut self, limit: usize) -> io::Result<()> {
        if self.buf.len() > limit {
            self.bytes += self.buf.len() as u64;
            self.deflater.send(&mut self.buf)?;
        }
        Ok(())
    }

    /// One `<row>`: cells with their references, empty cells left out. Texts are inline
    /// strings, or shared ones where `strings` is given and the column's values repeat (and
    /// the table has room). `style` applies to every cell (the header); otherwise a severity
    /// column's known severities are coloured.
    fn write_row(&mut self, row: &[Cell], style: Option<Style>, mut strings: Option<&mut SharedStrings>) {
        self.rows += 1;
        let r = self.rows;
        let b = &mut self.buf;
        let mut row_text = itoa::Buffer::new();
        let r_text = row_text.format(r);
        let mut number = itoa::Buffer::new();
        b.extend_from_slice(b"<row r=\"");
        b.extend_from_slice(r_text.as_bytes());
        b.extend_from_slice(b"\">");
        for (col, cell) in row.iter().enumerate() {
            let kind = self.columns.get(col).map_or(Kind::Unique, |c| c.kind);
            let open = |b: &mut Vec<u8>, style: Option<Style>| {
                b.extend_from_slice(b"<c r=\"");
                push_column_name(b, col);
                b.extend_from_slice(r_text.as_bytes());
                b.push(b'"');
                if let Some(s) = style {
                    b.extend_from_slice(b" s=\"");
                    b.push(b'0' + s as u8);
                    b.push(b'"');
                }
            };
            match cell {
                Cell::Text(value) if value.is_empty() => {}
                Cell::Text(value) => {
                    let style = style.or_else(|| (kind == Kind::Severity).then(|| Style::of_severity(value)).flatten());
                    open(b, style);
                    let sharing = self.sharing.get_mut(col).filter(|s| !s.stopped);
                    let index = match (&mut strings, kind, sharing) {
                        (Some(strings), Kind::Repeated | Kind::Severity, Some(sharing)) => {
                            strings.index(value).map(|(index, new)| {
                                sharing.count(new);
                                index
                            })
                        }
                        _ => None,
                    };
                    match index {
                        Some(index) => push_shared(b, index),
                        None => {
                            b.extend_from_slice(b" t=\"inlineStr\"><is>");
                            push_text_element(b, value);
                            b.extend_from_slice(b"</is></c>");
                        }
                    }
                }
                Cell::Shared(index) => {
                    open(b, style);
                    push_shared(b, *index);
                }
                Cell::Number(n) if n.is_finite() => {
                    open(b, style);
                    b.extend_from_slice(b"><v>");
                    if n.fract() == 0.0 && n.abs() < 9.0e15 {
                        b.extend_from_slice(number.format(*n as i64).as_bytes());
                    } else {
                        b.extend_from_slice(n.to_string().as_bytes());
                    }
                    b.extend_from_slice(b"</v></c>");
                }
                Cell::Number(_) => {}
                Cell::Bool(flag) => {
                    open(b, style);
                    b.extend_from_slice(if *flag {
                        b" t=\"b\"><v>1</v></c>"
                    } else {
                        b" t=\"b\"><v>0</v></c>"
                    });
                }
                Cell::Empty => {}
            }
        }
        b.extend_from_slice(b"</row>");
    }
}

/// The rest of a cell holding shared string `index`.
fn push_shared(b: &mut Vec<u8>, index: u32) {
    b.extend_from_slice(b" t=\"s\"><v>");
    b.extend_from_slice(itoa::Buffer::new().format(index).as_bytes());
    b.extend_from_slice(b"</v></c>");
}

/// A text as a `<t>` element, its white space kept at either end.
pub(super) fn push_text_element(b: &mut Vec<u8>, value: &str) {
    b.extend_from_slice(b"<t");
    if value.starts_with([' ', '\t', '\n']) || value.ends_with([' ', '\t', '\n']) {
        b.extend_from_slice(b" xml:space=\"preserve\"");
    }
    b.push(b'>');
    escape_text(b, value);
    b.extend_from_slice(b"</t>");
}

/// Column `A`, `B` … `Z`, `AA` … of a 0-based index.
fn column_name(index: usize) -> String {
    let mut b = Vec::new();
    push_column_name(&mut b, index);
    String::from_utf8(b).unwrap_or_default()
}

fn push_column_name(b: &mut Vec<u8>, index: usize) {
    if index >= 26 {
        push_column_name(b, index / 26 - 1);
    }
    b.push(b'A' + (index % 26) as u8);
}

/// A width in characters as spreadsheets store it (the default font's padding added, as
/// Excel writes it).
fn excel_width(chars: f64) -> f64 {
    if chars < 1.0 {
        return chars;
    }
    ((chars * 7.0 + 5.0) / 7.0 * 256.0).trunc() / 256.0
}

/// Text as XML character data in a cell: `&`, `<`, `>` escaped; characters XML 1.0 cannot
/// hold (control characters but tab and line break, U+FFFE, U+FFFF) and a literal `_xHHHH_`
/// written as spreadsheets escape them (`_x0001_`, `_x005F_xHHHH_`).
fn escape_text(b: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    loop {
        // Runs of ordinary bytes are copied at once: a byte-table look-up each.
        while i < bytes.len() && !SPECIAL[bytes[i] as usize] {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let byte = bytes[i];
        let (replacement, len): (&[u8], usize) = match byte {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'_' if is_escape_like(&bytes[i..]) => (b"_x005F_", 1),
            0xEF if bytes.get(i + 1) == Some(&0xBF) && bytes.get(i + 2) == Some(&0xBE) => (b"_xFFFE_", 3),
            0xEF if bytes.get(i + 1) == Some(&0xBF) && bytes.get(i + 2) == Some(&0xBF) => (b"_xFFFF_", 3),
            0..0x20 => (CONTROLS[byte as usize].as_bytes(), 1),
            _ => {
                i += 1;
                continue;
            }
        };
        b.extend_from_slice(&bytes[start..i]);
        b.extend_from_slice(replacement);
        i += len;
        start = i;
    }
    b.extend_from_slice(&bytes[start..]);
}

/// Bytes that may need escaping: XML's specials, control bytes but tab and line break, `_`
/// (a literal `_xHHHH_`) and the lead byte of U+FFFE and U+FFFF.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = byte != b'\t' as usize && byte != b'\n' as usize;
        byte += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'_' as usize] = true;
    table[0xEF] = true;
    table
};

/// Control characters as spreadsheets escape them.
const CONTROLS: [&str; 32] = [
    "_x0000_", "_x0001_", "_x0002_", "_x0003_", "_x0004_", "_x0005_", "_x0006_", "_x0007_", "_x0008_", "\t", "\n",
    "_x000B_", "_x000C_", "_x000D_", "_x000E_", "_x000F_", "_x0010_", "_x0011_", "_x0012_", "_x0013_", "_x0014_",
    "_x0015_", "_x0016_", "_x0017_", "_x0018_", "_x0019_", "_x001A_", "_x001B_", "_x001C_", "_x001D_", "_x001E_",
    "_x001F_",
];

/// `_xHHHH_` at the start of `bytes`.
fn is_escape_like(bytes: &[u8]) -> bool {
    bytes.len() >= 7 && bytes[1] == b'x' && bytes[2..6].iter().all(u8::is_ascii_hexdigit) && bytes[6] == b'_'
}

/// `report.xlsx` assembled from finished sheets, in tab order, and their shared strings.
pub struct Package {
    pub sheets: Vec<FinishedSheet>,
    pub strings: FinishedStrings,
    /// Seconds since 1970 (UTC) the document says it was created.
    pub created: i64,
}

impl Package {
    /// Write the workbook to `path` and make it durable.
    pub fn write(self, path: &Path) -> io::Result<()> {
        // Not dropped on an error (see `Deflater::start`).
        let mut zip = ManuallyDrop::new(ZipWriter::new(BufWriter::with_capacity(1 << 16, File::create(path)?)));
        let options = entry_options();
        let part = |zip: &mut ZipWriter<BufWriter<File>>, name: &str, xml: &str| -> io::Result<()> {
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(xml.as_bytes())
        };
        part(&mut zip, "[Content_Types].xml", &self.content_types())?;
        part(&mut zip, "_rels/.rels", RELS)?;
        part(&mut zip, "docProps/app.xml", &self.app())?;
        part(&mut zip, "docProps/core.xml", &core(self.created))?;
        part(&mut zip, "xl/workbook.xml", &self.workbook())?;
        part(&mut zip, "xl/_rels/workbook.xml.rels", &self.workbook_rels())?;
        part(&mut zip, "xl/styles.xml", STYLES)?;
        let copy = |zip: &mut ZipWriter<BufWriter<File>>, from: &Path, name: String| -> io::Result<()> {
            let mut archive =
                ZipArchive::new(BufReader::with_capacity(1 << 16, File::open(from)?)).map_err(zip_error)?;
            let entry = archive.by_index_raw(0).map_err(zip_error)?;
            zip.raw_copy_file_rename(entry, name).map_err(zip_error)
        };
        if self.strings.count > 0 {
            copy(&mut zip, &self.strings.path, "xl/sharedStrings.xml".into())?;
        }
        for (i, sheet) in self.sheets.iter().enumerate() {
            copy(&mut zip, &sheet.path, format!("xl/worksheets/sheet{}.xml", i + 1))?;
        }
        let mut out = ManuallyDrop::into_inner(zip).finish().map_err(zip_error)?;
        out.flush()?;
        out.get_ref().sync_all()
    }

    fn content_types(&self) -> String {
        let mut xml = String::from(concat!(
            declaration!(),
            r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
            r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
            r#"<Default Extension="xml" ContentType="application/xml"/>"#,
            r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
            r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
            r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
            r#"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        ));
        if self.strings.count > 0 {
            xml.push_str(concat!(
                r#"<Override PartName="/xl/sharedStrings.xml" "#,
                r#"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
            ));
        }
        for i in 1..=self.sheets.len() {
            xml.push_str(&format!(
                r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
            ));
        }
        xml.push_str("</Types>");
        xml
    }

    fn app(&self) -> String {
        let mut xml = format!(
            concat!(
                declaration!(),
                r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#,
                r#"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
                "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>",
                r#"<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>"#,
                r#"<vt:variant><vt:i4>{n}</vt:i4></vt:variant></vt:vector></HeadingPairs>"#,
                r#"<TitlesOfParts><vt:vector size="{n}" baseType="lpstr">"#
            ),
            n = self.sheets.len()
        );
        for sheet in &self.sheets {
            xml.push_str(&format!("<vt:lpstr>{}</vt:lpstr>", attribute(&sheet.name)));
        }
        xml.push_str(concat!(
            "</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate>",
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>"
        ));
        xml
    }

    fn workbook(&self) -> String {
        let mut xml = String::from(concat!(
            declaration!(),
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
            r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
            r#"<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/>"#,
            r#"<workbookPr defaultThemeVersion="124226"/><bookViews>"#,
            r#"<workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets>"#
        ));
        for (i, sheet) in self.sheets.iter().enumerate() {
            xml.push_str(&format!(
                r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
                attribute(&sheet.name),
                n = i + 1
            ));
        }
        xml.push_str("</sheets><definedNames>");
        for (i, sheet) in self.sheets.iter().enumerate() {
            let quoted = format!("'{}'", sheet.name.replace('\'', "''"));
            xml.push_str(&format!(
                r#"<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">{}!$A$1:${}${}</definedName>"#,
                attribute(&quoted),
                column_name(sheet.last_column - 1),
                sheet.last_row
            ));
        }
        xml.push_str(r#"</definedNames><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#);
        xml
    }

    fn workbook_rels(&self) -> String {
        let mut xml = String::from(concat!(
            declaration!(),
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        ));
        for i in 1..=self.sheets.len() {
            xml.push_str(&format!(
                r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#
            ));
        }
        xml.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
            self.sheets.len() + 1
        ));
        if self.strings.count > 0 {
            xml.push_str(&format!(
                r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
                self.sheets.len() + 2
            ));
        }
        xml.push_str("</Relationships>");
        xml
    }
}

/// A sheet name in an attribute or element of the package's small parts. A sheet's name and
/// the defined name that refers to it are both escaped strings in the format (`_xHHHH_` is
/// read as a character in either), so both are escaped the same way as a cell's text; sheet
/// names hold no control character and no U+FFFE/U+FFFF ([`super::xlsx`] sees to it).
fn attribute(text: &str) -> String {
    let mut b = Vec::with_capacity(text.len());
    escape_text(&mut b, text);
    String::from_utf8(b).unwrap_or_default().replace('"', "&quot;")
}

/// The document properties: created and modified at `created` (UTC).
fn core(created: i64) -> String {
    // `2026-11-22 09:14:05` as W3CDTF: `2026-11-22T09:14:05Z`.
    let when = format!("{}Z", crate::transcript::date_time_of(created).replacen(' ', "T", 1));
    format!(
        concat!(
            declaration!(),
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
            r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy>",
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>"#,
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>"#
        ),
        when = when
    )
}

const RELS: &str = concat!(
    declaration!(),
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
    "</Relationships>"
);

/// Fonts: regular, bold, bold white. Fills: none, gray125 (both required), the header's blue,
/// then medium, critical, high, low. Cell formats ([`Style`]): 0 default, 1 header (bold, blue,
/// thin bottom border), 2 medium, 3 critical (white bold on red), 4 high, 5 low.
const STYLES: &str = concat!(
    declaration!(),
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="3">"#,
    r#"<font><sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/></font>"#,
    r#"<font><b/><sz val="11"/><color rgb="FF000000"/><name val="Calibri"/><family val="2"/></font>"#,
    r#"<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/></font></fonts>"#,
    r#"<fills count="7"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#,
    r#"<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill>"#,
    r#"<fill><patternFill patternType="solid"><fgColor rgb="FFFFE699"/><bgColor indexed="64"/></patternFill></fill>"#,
    r#"<fill><patternFill patternType="solid"><fgColor rgb="FFC00000"/><bgColor indexed="64"/></patternFill></fill>"#,
    r#"<fill><patternFill patternType="solid"><fgColor rgb="FFF4B084"/><bgColor indexed="64"/></patternFill></fill>"#,
    r#"<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>"#,
    r#"<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>"#,
    r#"<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6">"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>"#,
    r#"<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/>"#,
    r#"<xf numFmtId="0" fontId="2" fillId="4" borderId="0" xfId="0" applyFont="1" applyFill="1"/>"#,
    r#"<xf numFmtId="0" fontId="0" fillId="5" borderId="0" xfId="0" applyFill="1"/>"#,
    r#"<xf numFmtId="0" fontId="0" fillId="6" borderId="0" xfId="0" applyFill="1"/></cellXfs>"#,
    r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>"#,
    r#"<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>"#
);

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut b = Vec::new();
        escape_text(&mut b, text);
        String::from_utf8(b).unwrap()
    }

    /// A folder of calls gives every finding's row a new file name: past the trial, that
    /// column goes inline and leaves the table to the columns whose values do repeat.
    #[test]
    fn a_column_of_mostly_new_texts_stops_filling_the_shared_strings() {
        const COLUMNS: [Column; 2] = [Column::repeated("file", 30.0), Column::severity("severity", 9.0)];
        let dir = tempfile::tempdir().unwrap();
        let mut strings = SharedStrings::create(dir.path(), ".strings").unwrap();
        let mut sheet = Sheet::create(dir.path(), ".sheet", "findings".into(), &COLUMNS, true, None).unwrap();
        let rows = 6_000;
        for i in 0..rows {
            let file = format!("calls/2026-11-22/{i:05}.txt");
            let severity = ["critical", "high", "medium"][i % 3];
            sheet
                .push(&[Cell::Text(file.into()), Cell::Text(severity.into())], &mut strings)
                .unwrap();
            strings.flush_if_full().unwrap();
        }
        let finished = sheet.finish().unwrap();
        let strings = strings.finish().unwrap();
        let mut xml = String::new();
        let mut archive = ZipArchive::new(File::open(&finished.path).unwrap()).unwrap();
        std::io::Read::read_to_string(&mut archive.by_index(0).unwrap(), &mut xml).unwrap();
        let inline_files = xml.matches(r#" t="inlineStr"><is><t>calls/"#).count();
        assert_eq!(
            inline_files,
            rows - Sharing::TRIAL as usize,
            "the files after the trial, inline"
        );
        assert_eq!(
            xml.matches(r#" s="3" t="s"><v>"#).count(),
            rows / 3,
            "every critical shared and coloured"
        );
        assert_eq!(
            strings.count,
            Sharing::TRIAL + 3,
            "the trial's files and the three severities"
        );
    }

    #[test]
    fn cell_text_is_escaped_as_spreadsheets_read_it() {
        assert_eq!(escaped("我就打12315投诉你们"), "我就打12315投诉你们");
        assert_eq!(escaped("<b>&客服</b>"), "&lt;b&gt;&amp;客服&lt;/b&gt;");
        assert_eq!(escaped("第一行\n\t第二行"), "第一行\n\t第二行");
        assert_eq!(escaped("响铃\u{7}了\r"), "响铃_x0007_了_x000D_");
        assert_eq!(escaped("字段_x0041_原样"), "字段_x005F_x0041_原样");
        assert_eq!(escaped("a_x12_b_"), "a_x12_b_");
        assert_eq!(escaped("\u{FFFE}\u{FFFF}\u{FFFD}"), "_xFFFE__xFFFF_\u{FFFD}");
    }

    #[test]
    fn columns_and_widths_are_named_as_excel_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(19), "T");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(excel_width(30.0), 30.7109375);
        assert_eq!(excel_width(8.0), 8.7109375);
    }

    #[test]
    fn the_document_says_when_it_was_created_in_utc() {
        assert!(core(1_795_430_747).contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-23T10:45:47Z"));
        assert!(core(0).contains(">1970-01-01T00:00:00Z<"));
    }
}
