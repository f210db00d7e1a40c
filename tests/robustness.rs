//! Bad input loses nothing and stops nothing: each problem is a row in errors.csv and a line
//! on stderr, the rest is scanned, the summary reconciles, and a killed run leaves no report
//! that looks complete.

mod common;

use common::{callrisk, fixture, rows, scan, stderr};

#[test]
fn a_jsonl_log_with_broken_lines_keeps_every_good_line() {
    let mut log = Vec::new();
    log.extend_from_slice("{\"session_id\":\"A\",\"role\":\"customer\",\"content\":\"我要去消协投诉\"}\n".as_bytes());
    log.extend_from_slice(b"{\"session_id\":\"A\",\"role\":\"agent\",\"content\":\"\xe6\x82\xa8\xe5\n"); // cut mid-character
    log.extend_from_slice(b"[1, 2, 3]\n");
    log.extend_from_slice(b"{\"session_id\":\"B\",\"role\":\"customer\",\"content\":\"trunc");
    log.push(b'\n');
    log.extend_from_slice(b"{\"session_id\":\"B\",\"role\":\"customer\",\"content\":\"");
    log.extend(std::iter::repeat_n(b'x', 2 << 20));
    log.extend_from_slice(b"\"}\n");
    log.extend_from_slice("{\"session_id\":\"B\",\"role\":\"customer\",\"content\":\"再不退款我就报警\"}\n".as_bytes());
    let dir = fixture(&[("chat.jsonl", &log)]);
    let out = dir.path().join("r");
    let output = callrisk()
        .args(["scan", "--out"])
        .arg(&out)
        .arg(dir.path().join("chat.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));

    let errors: Vec<(String, String)> = rows(&out.join("errors.csv"))
        .into_iter()
        .map(|r| (r["line"].clone(), r["reason"].clone()))
        .collect();
    let lines: Vec<&str> = errors.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(lines, ["2", "3", "4", "5"], "{errors:?}");
    assert!(errors[0].1.contains("not valid UTF-8"), "{errors:?}");
    assert_eq!(errors[1].1, "not a JSON object");
    assert!(errors[2].1.starts_with("invalid JSON"));
    assert!(errors[3].1.contains("too long; skipped"));

    let hits: Vec<(String, String, String)> = rows(&out.join("hits.csv"))
        .into_iter()
        .map(|r| (r["conversation"].clone(), r["line"].clone(), r["category"].clone()))
        .collect();
    assert_eq!(
        hits,
        [
            ("A".into(), "1".into(), "threat.regulator".into()),
            ("B".into(), "6".into(), "threat.legal".into())
        ]
    );
    let err = stderr(&output);
    assert!(err.contains("chat.jsonl line 4: invalid JSON"), "{err}");
    assert!(
        err.contains("1 inputs = 1 scanned + 0 failed; 2 conversations"),
        "{err}"
    );
    assert!(err.contains("4 lines could not be read"), "{err}");
}

#[test]
fn truncated_json_documents_and_links_that_lead_nowhere() {
    let funasr = "[{\"key\": \"r1\", \"sentence_info\": [{\"text\": \"我要投诉\", \"start\": 0, \"spk\": 1}";
    let dir = fixture(&[
        ("in/a.json", funasr.as_bytes()),
        ("in/b.txt", "客户：我要去法院起诉你们".as_bytes()),
    ]);
    std::os::unix::fs::symlink(dir.path().join("in"), dir.path().join("in/loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere.txt"), dir.path().join("dangling.txt")).unwrap();
    let out = dir.path().join("r");
    let output = scan(
        &out,
        &[
            dir.path().join("in").to_str().unwrap(),
            dir.path().join("dangling.txt").to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let errors = rows(&out.join("errors.csv"));
    let reasons: Vec<String> = errors
        .iter()
        .map(|r| format!("{}: {}", r["file"].rsplit('/').next().unwrap(), r["reason"]))
        .collect();
    assert!(
        reasons.iter().any(|r| r.starts_with("a.json: funasr: invalid JSON")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("symlink loop")), "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.starts_with("dangling.txt: cannot open")),
        "{reasons:?}"
    );
    assert_eq!(rows(&out.join("conversations.csv")).len(), 1, "b.txt is still scanned");
}

#[test]
fn thousands_of_files_all_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("calls");
    for day in 0..3 {
        let folder = calls.join(format!("2026-11-2{day}"));
        std::fs::create_dir_all(&folder).unwrap();
        for n in 0..1000 {
            let text = if n % 100 == 0 {
                "客户：我要去12315投诉\n"
            } else {
                "坐席：您好\n客户：我想查话费\n"
            };
            std::fs::write(folder.join(format!("call_{n:04}.txt")), text).unwrap();
        }
    }
    std::fs::write(calls.join("2026-11-20/broken.txt"), b"").unwrap();
    let out = dir.path().join("r");
    let output = callrisk()
        .args(["scan", "--out"])
        .arg(&out)
        .arg(&calls)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("3001 inputs = 3000 scanned + 1 failed; 3000 conversations"),
        "{}",
        stderr(&output)
    );
    assert_eq!(rows(&out.join("conversations.csv")).len(), 3000);
    assert_eq!(rows(&out.join("hits.csv")).len(), 30);
}

#[test]
fn a_killed_run_leaves_no_report_that_looks_complete() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.jsonl");
    let line = "{\"session_id\":\"S\",\"role\":\"customer\",\"content\":\"我的宽带又断了，我都投诉了三次了，再不修好我就打12315投诉你们\"}\n";
    let mut text = String::with_capacity(line.len() * 200_000);
    for i in 0..200_000 {
        text.push_str(&line.replace("\"S\"", &format!("\"S{}\"", i / 20)));
    }
    std::fs::write(&big, text).unwrap();
    let out = dir.path().join("r");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("hits.csv"), "file,conversation\nold,run\n").unwrap();
    let mut child = callrisk()
        .args(["scan", "-q", "--out"])
        .arg(&out)
        .arg(&big)
        .spawn()
        .unwrap();
    // Kill it once it is writing: its partial report exists.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !out.join(".hits.csv.partial").exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::thread::sleep(std::time::Duration::from_millis(50));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the scan was still running when killed");
    for name in ["hits.csv", "conversations.csv", "agents.csv", "errors.csv"] {
        assert!(!out.join(name).exists(), "{name} exists after an interrupted run");
    }
    assert!(
        out.join(".hits.csv.partial").exists(),
        "the partial report is there, named as partial"
    );
}

#[test]
fn thousands_of_bad_lines_do_not_flood_stderr_but_all_reach_errors_csv() {
    let mut log = String::from("{\"content\":\"我要去消协投诉\",\"role\":\"customer\"}\n");
    for _ in 0..3000 {
        log.push_str("{broken\n");
    }
    let dir = fixture(&[("bad.jsonl", log.as_bytes())]);
    let out = dir.path().join("r");
    let output = callrisk()
        .args(["scan", "--out"])
        .arg(&out)
        .arg(dir.path().join("bad.jsonl"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.lines().count() < 60, "{} lines on stderr", err.lines().count());
    assert!(err.contains("… and 2950 more problems, all listed in"), "{err}");
    assert_eq!(rows(&out.join("errors.csv")).len(), 3000);
    assert_eq!(rows(&out.join("hits.csv")).len(), 1, "the good line is still scanned");
}
