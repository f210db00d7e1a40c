//! `report.xlsx` read back as spreadsheets read it (calamine; LibreOffice where installed): the sheets, the cell types,
//! leading zeros, no formula anywhere, Chinese text, masked numbers, on calls whose every
//! field looks like a formula.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{fixture, scan, stderr};

const ZEROS_CALL: &str = "\
# conversation: 00123
# agent: 0012
# customer: =1+2
# time: 2026-11-22 23:41:07
[00:00:01] 坐席：您好，请问有什么可以帮您？
[00:00:05] 客户：=SUM(A1)我的宽带又断了，我打13912345678没人接
[00:00:12] 坐席：这不归我们管，你自己去找门店
[00:00:20] 客户：再不给我修好，我就打12315投诉你们
";

const FORMULA_CALL: &str = "\
# conversation: =HYPERLINK(\"http://x\",\"点我\")
# agent: =A1*2
# customer: +86 139 1234 5678
# time: @NOW()
[00:00:05] 客户：-1+1 这个月已经是第四次了
[00:00:09] 坐席：=1+1 你自己去找门店，不归我们管
";

type Sheet = Vec<BTreeMap<String, Data>>;

/// A sheet as rows of header → cell.
fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Sheet {
    let range = book.worksheet_range(name).unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    rows.map(|row| header.iter().cloned().zip(row.iter().cloned()).collect())
        .collect()
}

fn text(cell: &Data) -> &str {
    match cell {
        Data::String(s) => s,
        other => panic!("expected a text cell, got {other:?}"),
    }
}

/// The two calls scanned into `report/` of a new folder: the folder and the report folder.
fn scanned_calls() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = fixture(&[
        ("calls/00123.txt", ZEROS_CALL.as_bytes()),
        ("calls/=cmd|'calc'!A1.txt", FORMULA_CALL.as_bytes()),
    ]);
    let out = dir.path().join("report");
    let output = scan(&out, &[dir.path().join("calls").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    (dir, out)
}

#[test]
fn the_workbook_opens_with_types_leading_zeros_and_no_formula() {
    let (_dir, out) = scanned_calls();
    let path = out.join("report.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();

    assert_eq!(
        book.sheet_names(),
        ["conversations", "findings", "0012", "=A1_2", "errors"]
    );

    // No cell of any sheet is a formula, whatever the text starts with.
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name} has a formula"
        );
    }

    let conversations = sheet(&mut book, "conversations");
    assert_eq!(conversations.len(), 2);
    let first = &conversations[0];
    // The one to escalate first is at the top, with its action and its evidence.
    assert_eq!(first["rank"], Data::Float(1.0));
    assert_eq!(text(&first["conversation"]), "00123");
    assert_eq!(text(&first["agent"]), "0012");
    assert_eq!(text(&first["risk_level"]), "critical");
    assert_eq!(text(&first["time"]), "2026-11-22 23:41:07");
    assert_eq!(text(&first["customer"]), "=1+2");
    assert_eq!(first["evidence_line"], Data::Float(8.0));
    assert_eq!(text(&first["evidence"]), "再不给我修好，我就打12315投诉你们");
    assert!(text(&first["escalation"]).contains("升级组长"));
    assert!(matches!(first["score"], Data::Float(s) if s > 10.0));
    // The QA sheet as scorecard.csv has it: a number, a boolean and the deductions.
    let sheet_rows = common::rows(&out.join("scorecard.csv"));
    let scored = sheet_rows.iter().find(|r| r["conversation"] == "00123").unwrap();
    assert_eq!(first["qa_score"], Data::Float(scored["score"].parse().unwrap()));
    assert_eq!(first["qa_fatal"], Data::Bool(false));
    assert_eq!(text(&first["qa_deductions"]), scored["deductions"]);
    assert!(text(&first["qa_deductions"]).contains("taboo.deflect -10"));
    let second = &conversations[1];
    assert_eq!(text(&second["conversation"]), "=HYPERLINK(\"http://x\",\"点我\")");
    assert_eq!(text(&second["agent"]), "=A1*2");
    assert_eq!(text(&second["time"]), "@NOW()");
    assert!(
        text(&second["file"]).ends_with("=cmd|'calc'!A1.txt"),
        "{:?}",
        second["file"]
    );
    let customer = text(&second["customer"]);
    // The country code stays readable; the number is masked; the cell is text, not a formula.
    assert_eq!(customer, "+86 139****5678", "masked, and still text");

    let findings = sheet(&mut book, "findings");
    let csv_rows = common::rows(&out.join("hits.csv"));
    assert_eq!(findings.len(), csv_rows.len(), "one row per finding, as hits.csv");
    for (row, csv) in findings.iter().zip(&csv_rows) {
        assert_eq!(row["line"], Data::Float(csv["line"].parse().unwrap()));
        assert_eq!(row["counted"], Data::Bool(csv["counted"] == "true"));
        assert_eq!(row["conditional"], Data::Bool(csv["conditional"] == "true"));
        assert!(matches!(row["conversation"], Data::String(_)));
        assert!(
            matches!(row["time"], Data::String(_)),
            "a time is text: {:?}",
            row["time"]
        );
        // The CSV neutralises a formula with a leading ', the workbook needs none.
        assert_eq!(csv["context"].trim_start_matches('\''), text(&row["context"]));
    }
    let repeat = findings
        .iter()
        .find(|r| text(&r["category"]) == "threat.repeat")
        .unwrap();
    assert_eq!(text(&repeat["context"]), "-1+1 这个月已经是第四次了");
    assert_eq!(repeat["count"], Data::Float(4.0));

    // Each agent's sheet holds that agent's counted taboos.
    let agent = sheet(&mut book, "0012");
    assert_eq!(agent.len(), 1);
    assert_eq!(text(&agent[0]["category"]), "taboo.deflect");
    assert_eq!(text(&agent[0]["agent"]), "0012");

    // Nothing unmasked anywhere.
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for (_, _, cell) in range.used_cells() {
            assert!(!cell.to_string().contains("13912345678"), "{name}: {cell}");
        }
    }
    assert_no_staging_leftovers(&out);
}

fn assert_no_staging_leftovers(out: &Path) {
    let hidden: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".callrisk-reports")
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn reports_csv_writes_no_workbook() {
    let dir = fixture(&[("calls/00123.txt", ZEROS_CALL.as_bytes())]);
    let out = dir.path().join("report");
    let output = scan(&out, &["--reports", "csv", dir.path().join("calls").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(out.join("hits.csv").exists());
    assert!(!out.join("report.xlsx").exists());
    // And a later run writing the workbook may replace that set.
    let output = scan(&out, &["--reports", "xlsx", dir.path().join("calls").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(out.join("report.xlsx").exists());
    assert!(!out.join("hits.csv").exists());
}

/// A nightly job that compares report files by checksum: with `SOURCE_DATE_EPOCH` set, two
/// runs over the same calls write the same workbook, byte for byte (without it, the workbook
/// says when it was written, so the bytes differ by its creation time only).
#[test]
fn with_source_date_epoch_two_runs_write_the_same_workbook() {
    let dir = fixture(&[
        ("calls/00123.txt", ZEROS_CALL.as_bytes()),
        ("calls/formula.txt", FORMULA_CALL.as_bytes()),
    ]);
    let calls = dir.path().join("calls");
    let run = |out: &Path| {
        let output = common::callrisk()
            .env("SOURCE_DATE_EPOCH", "1795392000")
            .args(["scan", "-q", "-o", out.to_str().unwrap(), calls.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        std::fs::read(out.join("report.xlsx")).unwrap()
    };
    let first = run(&dir.path().join("first"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = run(&dir.path().join("second"));
    assert!(first == second, "the two workbooks differ");
    let mut book: Xlsx<_> = open_workbook(dir.path().join("first/report.xlsx")).unwrap();
    assert!(!sheet(&mut book, "conversations").is_empty());
}

/// LibreOffice, where installed (`.ci/run` installs `libreoffice-calc-nogui`).
fn soffice() -> Option<&'static str> {
    ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// A second spreadsheet program opens the workbook without a dialog and reads what the CSVs
/// hold: every sheet exported by LibreOffice, the conversation `00123` still `00123`, the
/// customer `=1+2` shown as written (not 3), and the findings sheet's texts those of hits.csv.
#[test]
fn libreoffice_opens_the_workbook_and_reads_the_csvs_texts() {
    let Some(soffice) = soffice() else {
        eprintln!("note: LibreOffice not found: the workbook was read by calamine only (.ci/run installs it)");
        return;
    };
    let (dir, out) = scanned_calls();
    let exported = dir.path().join("exported");
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("profile").display());
    // UTF-8 (76), every sheet (-1), formulas as their text.
    let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
    let status = std::process::Command::new(soffice)
        .args([profile.as_str(), "--headless", "--convert-to", filter, "--outdir"])
        .arg(&exported)
        .arg(out.join("report.xlsx"))
        .output()
        .expect("run LibreOffice");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));

    let conversations = common::rows(&exported.join("report-conversations.csv"));
    assert_eq!(conversations.len(), 2);
    assert_eq!(conversations[0]["rank"], "1");
    assert_eq!(conversations[0]["conversation"], "00123");
    assert_eq!(conversations[0]["agent"], "0012");
    assert_eq!(conversations[0]["customer"], "=1+2", "text, never evaluated");
    assert_eq!(conversations[0]["risk_level"], "critical");
    assert_eq!(conversations[0]["evidence"], "再不给我修好，我就打12315投诉你们");
    assert_eq!(conversations[1]["agent"], "=A1*2");

    let findings = common::rows(&exported.join("report-findings.csv"));
    let hits = common::rows(&out.join("hits.csv"));
    assert_eq!(findings.len(), hits.len());
    for (row, hit) in findings.iter().zip(&hits) {
        for column in [
            "file",
            "conversation",
            "line",
            "category",
            "severity",
            "matched",
            "context",
            "hit_id",
        ] {
            let csv = hit[column].as_str();
            let shown = row[column].as_str();
            assert!(
                csv == shown || csv.strip_prefix('\'') == Some(shown),
                "{column}: LibreOffice shows {shown:?}, hits.csv has {csv:?}"
            );
        }
    }
    let agent = common::rows(&exported.join("report-0012.csv"));
    assert_eq!(agent.len(), 1, "the agent's sheet: one counted taboo");
    assert_eq!(agent[0]["category"], "taboo.deflect");
    let all: String = std::fs::read_dir(&exported)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(!all.contains("13912345678"), "no number in clear in any sheet");
}

/// A call whose agent is not known and an agent whose id is `unknown` are two agents: in
/// `agents.csv` (blank, as in `conversations.csv`), in the workbook (a blank cell; the sheet
/// `(no agent)` beside the sheet `unknown`) and on the page.
#[test]
fn calls_without_an_agent_are_not_charged_to_an_agent_named_unknown() {
    let named = "# agent: unknown\n客户：我的快递丢了\n坐席：这不归我们管，你自己去找快递公司\n";
    let nameless = "客户：退款什么时候到\n坐席：你烦不烦啊，说了等着\n";
    let dir = fixture(&[("calls/a.txt", named.as_bytes()), ("calls/b.txt", nameless.as_bytes())]);
    let out = dir.path().join("report");
    let output = scan(&out, &[dir.path().join("calls").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let agents = common::rows(&out.join("agents.csv"));
    let names: Vec<&str> = agents.iter().map(|r| r["agent"].as_str()).collect();
    assert_eq!(names, ["unknown", ""], "{agents:?}");
    assert!(
        agents
            .iter()
            .all(|r| r["conversations"] == "1" && r["taboo_conversations"] == "1")
    );

    let mut book: Xlsx<_> = open_workbook(out.join("report.xlsx")).unwrap();
    let sheets = book.sheet_names();
    assert!(
        sheets.contains(&"unknown".to_string()) && sheets.contains(&"(no agent)".to_string()),
        "{sheets:?}"
    );
    let conversations = sheet(&mut book, "conversations");
    let mut agent_cells: Vec<String> = conversations.iter().map(|r| r["agent"].to_string()).collect();
    agent_cells.sort();
    assert_eq!(agent_cells, ["", "unknown"]);

    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        page.contains("（未标坐席）"),
        "the page names the calls without an agent"
    );
}
