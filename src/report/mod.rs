//! Reports: one file per report, each written by its own module, all in `--out DIR`.
//!
//! The reports of a run are written as one set into a staging folder and swapped in whole
//! when the run is complete ([`folder`]), so an interrupted run (Ctrl-C, a kill, a panic, a
//! full disk) leaves the previous complete set, and a completed one the new complete set.
//! Rows arrive in input order from one writer, so the same input gives the same bytes.

mod agents;
pub mod cell;
mod conversations;
mod errors;
pub mod folder;
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
    folder: folder::Folder,
    options: ReportOptions,
    hits: Sink,
    conversations: Sink,
    errors: Sink,
    agents: agents::AgentTally,
}

impl Reports {
    /// Take `dir` for this run (see [`folder::Folder::prepare`]), open the reports in its
    /// staging folder and write their headers.
    pub fn create(dir: &Path, inputs: &[PathBuf], options: ReportOptions) -> Result<Reports, folder::FolderError> {
        let folder = folder::Folder::prepare(dir, inputs, &FILES)?;
        let staging = folder.staging().to_path_buf();
        let open = |name: &str, header: &[&str]| -> io::Result<Sink> {
            let mut sink = open_report(&staging, name, options)?;
            sink.write_record(header)?;
            Ok(sink)
        };
        Ok(Reports {
            hits: open(FILES[0], &hits::HEADER)?,
            conversations: open(FILES[1], &conversations::HEADER)?,
            errors: open(FILES[3], &errors::HEADER)?,
            agents: agents::AgentTally::default(),
            folder,
            options,
        })
    }

    pub fn conversation(&mut self, file: &str, scanned: &ScannedConversation) -> io::Result<()> {
        hits::write(&mut self.hits, file, scanned, self.options)?;
        conversations::write(&mut self.conversations, file, scanned, self.options)?;
        self.agents.add(file, scanned);
        Ok(())
    }

    pub fn problem(&mut self, problem: &InputProblem) -> io::Result<()> {
        errors::write(&mut self.errors, problem, self.options)
    }

    /// Write `agents.csv`, flush and sync everything, and swap the set into place.
    pub fn finish(mut self) -> io::Result<Vec<PathBuf>> {
        // agents.csv is written whole at the end: its rows are totals.
        let mut agents = open_report(self.folder.staging(), FILES[2], self.options)?;
        self.agents.write(&mut agents, self.options)?;
        for sink in [&mut self.hits, &mut self.conversations, &mut self.errors, &mut agents] {
            sink.flush()?;
            sink.get_ref().get_ref().sync_all()?;
        }
        drop((self.hits, self.conversations, self.errors, agents));
        let out = self.folder.out().to_path_buf();
        self.folder.commit()?;
        Ok(FILES.iter().map(|name| out.join(name)).collect())
    }
}

/// A report in the staging folder, with the BOM if asked for.
fn open_report(dir: &Path, name: &str, options: ReportOptions) -> io::Result<Sink> {
    let mut file = BufWriter::new(File::create(dir.join(name))?);
    if options.excel_bom {
        file.write_all("\u{FEFF}".as_bytes())?;
    }
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(file))
}
