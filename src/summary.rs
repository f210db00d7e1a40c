//! The end-of-run summary on stderr: files, conversations, findings per category, MB/s, and
//! the reconciliation inputs seen = scanned + failed.

use std::fmt::Write;

use crate::category::Category;
use crate::pipeline::Outcome;

pub fn render(outcome: &Outcome) -> String {
    let mut s = String::new();
    let seconds = outcome.elapsed.as_secs_f64().max(1e-6);
    let megabytes = outcome.bytes as f64 / 1_000_000.0;
    let size = if outcome.bytes < 1_000_000 {
        format!("{:.1} KB", outcome.bytes as f64 / 1000.0)
    } else {
        format!("{megabytes:.1} MB")
    };
    let _ = writeln!(
        s,
        "callrisk: {} inputs = {} scanned + {} failed; {} conversations; {size} in {seconds:.2} s ({:.1} MB/s)",
        outcome.inputs,
        outcome.scanned,
        outcome.failed,
        outcome.conversations,
        megabytes / seconds
    );
    if outcome.line_problems > 0 {
        let _ = writeln!(
            s,
            "callrisk: {} lines could not be read in scanned inputs ({})",
            outcome.line_problems,
            if outcome.errors_csv().is_some() {
                "listed in errors.csv with their line"
            } else {
                "the first named above; no errors.csv with --no-reports"
            }
        );
    }
    if outcome.skipped > 0 {
        let _ = writeln!(
            s,
            "callrisk: passed over {} files (hidden, not a transcript extension, or named twice{})",
            outcome.skipped,
            if outcome.skipped_listed {
                ", named above"
            } else {
                "; --list-skipped lists them"
            }
        );
    }
    {
        // What a supervisor reads first: how many conversations need someone, worst first
        // (all none on an empty night, which says so below).
        let levels = ["none", "low", "medium", "high", "critical"];
        let by_risk: Vec<String> = (0..levels.len())
            .rev()
            .map(|level| format!("{} {}", outcome.by_risk[level], levels[level]))
            .collect();
        let _ = writeln!(s, "callrisk: conversations by risk: {}", by_risk.join(", "));
    }
    let counted: Vec<String> = Category::ALL
        .into_iter()
        .filter(|c| outcome.counted[c.index()] > 0)
        .map(|c| format!("{} {}", c.id(), outcome.counted[c.index()]))
        .collect();
    if counted.is_empty() {
        let _ = writeln!(s, "callrisk: no counted findings");
    } else {
        let _ = writeln!(s, "callrisk: counted findings: {}", counted.join(", "));
    }
    if let Some(dir) = outcome.reports.first().and_then(|p| p.parent()) {
        let _ = writeln!(
            s,
            "callrisk: reports in {}",
            crate::messages::shown(&dir.display().to_string())
        );
    }
    s
}
