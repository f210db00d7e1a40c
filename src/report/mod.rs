//! Reports: one file per report, each written by its own module, all in `--out DIR`.
//!
//! Every report is written to a hidden `.name.partial` file and renamed into place only when
//! the whole run is done, and stale reports of an earlier run are removed first, so an
//! interrupted run (Ctrl-C, a kill, a full disk) never leaves a report that looks complete.
//! Rows arrive in input order from one writer, so the same input gives the same bytes.

mod agents;
pub mod cell;
mod conversations;
mod errors;
mod hits;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::input::InputProblem;
use crate::score::ScannedConversation;

pub const FILES: [&str; 4] = ["hits.csv", "conversations.csv", "agents.csv", "errors.csv"];

/// How reports are written.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    /// A UTF-8 BOM so Excel shows Chinese when the file is double-clicked.
    pub excel_bom: bool,
    /// Mask personal numbers in every text cell.
    pub redact: bool,
}

type Sink = csv::Writer<BufWriter<File>>;

/// The open reports of one run.
pub struct Reports {
    dir: PathBuf,
    options: ReportOptions,
    hits: Sink,
    conversations: Sink,
    errors: Sink,
    agents: agents::AgentTally,
}

impl Reports {
    /// Create `dir`, remove stale reports, open the partial files and write headers.
    pub fn create(dir: &Path, options: ReportOptions) -> io::Result<Reports> {
        std::fs::create_dir_all(dir)?;
        for name in FILES {
            match std::fs::remove_file(dir.join(name)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        let open = |name: &str, header: &[&str]| -> io::Result<Sink> {
            let mut sink = open_partial(dir, name, options)?;
            sink.write_record(header)?;
            Ok(sink)
        };
        Ok(Reports {
            dir: dir.to_path_buf(),
            options,
            hits: open(FILES[0], &hits::HEADER)?,
            conversations: open(FILES[1], &conversations::HEADER)?,
            errors: open(FILES[3], &errors::HEADER)?,
            agents: agents::AgentTally::default(),
        })
    }

    pub fn conversation(&mut self, file: &str, scanned: &ScannedConversation) -> io::Result<()> {
        hits::write(&mut self.hits, file, scanned, self.options)?;
        conversations::write(&mut self.conversations, file, scanned, self.options)?;
        self.agents.add(file, scanned);
        Ok(())
    }

    pub fn problem(&mut self, problem: &InputProblem) -> io::Result<()> {
        errors::write(&mut self.errors, problem)
    }

    /// Write `agents.csv`, flush everything, and rename all reports into place.
    pub fn finish(mut self) -> io::Result<Vec<PathBuf>> {
        // agents.csv is written whole at the end: its rows are totals.
        let mut agents = open_partial(&self.dir, FILES[2], self.options)?;
        self.agents.write(&mut agents, self.options)?;
        for sink in [&mut self.hits, &mut self.conversations, &mut self.errors, &mut agents] {
            sink.flush()?;
            sink.get_ref().get_ref().sync_all()?;
        }
        drop((self.hits, self.conversations, self.errors, agents));
        let mut written = Vec::new();
        for name in FILES {
            let path = self.dir.join(name);
            std::fs::rename(partial_path(&self.dir, name), &path)?;
            written.push(path);
        }
        Ok(written)
    }
}

/// A report's hidden partial file, with the BOM if asked for.
fn open_partial(dir: &Path, name: &str, options: ReportOptions) -> io::Result<Sink> {
    let mut file = BufWriter::new(File::create(partial_path(dir, name))?);
    if options.excel_bom {
        file.write_all("\u{FEFF}".as_bytes())?;
    }
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(file))
}

fn partial_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.partial"))
}
