//! Helpers for the integration tests: run the built binary, read its CSV reports.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn callrisk() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callrisk"));
    cmd.env_remove("NO_COLOR").stdin(Stdio::null());
    cmd
}

/// Run `callrisk scan ARGS --out OUT -q`, returning the output.
pub fn scan(out: &Path, args: &[&str]) -> Output {
    callrisk()
        .arg("scan")
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .output()
        .expect("run callrisk")
}

/// A report as rows of column → value.
pub fn rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .zip(r.unwrap().iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Write `files` (name, contents) under a fresh temp dir and return it.
pub fn fixture(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path: PathBuf = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
