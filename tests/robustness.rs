//! Bad input loses nothing and stops nothing: each problem is a row in errors.csv and a line
//! on stderr, the rest is scanned, the summary reconciles, and a killed run leaves the
//! previous complete reports.

mod common;

use common::{callrisk, fixture, rows, scan, stderr};

/// errors.csv's rows as (line, reason).
fn line_and_reason(out: &std::path::Path) -> Vec<(String, String)> {
    rows(&out.join("errors.csv"))
        .into_iter()
        .map(|r| (r["line"].clone(), r["reason"].clone()))
        .collect()
}

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

    let errors = line_and_reason(&out);
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

/// A log big enough that a scan of it takes a while (for kills and locks).
fn big_log(dir: &std::path::Path, lines: usize) -> std::path::PathBuf {
    let big = dir.join("big.jsonl");
    let line = "{\"session_id\":\"S\",\"role\":\"customer\",\"content\":\"我的宽带又断了，我都投诉了三次了，再不修好我就打12315投诉你们\"}\n";
    let mut text = String::with_capacity(line.len() * lines);
    for i in 0..lines {
        text.push_str(&line.replace("\"S\"", &format!("\"S{}\"", i / 20)));
    }
    std::fs::write(&big, text).unwrap();
    big
}

/// The bytes of every report in `out`.
fn report_set(out: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    ["hits.csv", "conversations.csv", "agents.csv", "errors.csv"]
        .iter()
        .map(|name| (name.to_string(), std::fs::read(out.join(name)).unwrap_or_default()))
        .collect()
}

/// Staging folders of runs that are (or were) writing `out`.
fn staging_folders(parent: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".callrisk-new-"))
        .collect()
}

/// Start `scan --out out input` and return once it is writing its staging folder.
fn scan_writing(out: &std::path::Path, input: &std::path::Path, parent: &std::path::Path) -> std::process::Child {
    let child = callrisk()
        .args(["scan", "-q", "--out"])
        .arg(out)
        .arg(input)
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while staging_folders(parent).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child
}

#[test]
fn a_killed_run_leaves_the_previous_complete_reports() {
    let dir = fixture(&[("night1/a.txt", "客户：我要去12315投诉你们\n客服：您好".as_bytes())]);
    let big = big_log(dir.path(), 100_000);
    let out = dir.path().join("r");
    let first = scan(&out, &[dir.path().join("night1").to_str().unwrap()]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let night1 = report_set(&out);
    assert!(night1.iter().all(|(_, bytes)| !bytes.is_empty()));

    // Kill the next night's run at different points while it writes: the folder keeps the
    // first night's complete set every time.
    for delay_ms in [0u64, 40, 150] {
        let mut child = scan_writing(&out, &big, dir.path());
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success(), "the scan was still running when killed");
        assert_eq!(report_set(&out), night1, "killed after {delay_ms} ms");
    }

    // The next run completes, swaps its set in whole, and cleans up after the killed ones.
    let done = scan(&out, &[big.to_str().unwrap()]);
    assert_eq!(done.status.code(), Some(0), "{}", stderr(&done));
    assert_eq!(rows(&out.join("conversations.csv")).len(), 5_000);
    assert!(staging_folders(dir.path()).is_empty());
}

#[test]
fn two_runs_into_one_folder_do_not_mix() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_log(dir.path(), 100_000);
    let out = dir.path().join("r");
    let mut first = scan_writing(&out, &big, dir.path());
    let second = scan(&out, &[big.to_str().unwrap()]);
    let first_status = first.wait().unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert!(stderr(&second).contains("another callrisk run"), "{}", stderr(&second));
    assert!(first_status.success());
    assert_eq!(rows(&out.join("conversations.csv")).len(), 5_000);
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

/// A transcript whose only line is too long to read fails with that line and a reason that
/// says so, not that it held nothing; the next file is scanned.
#[test]
fn a_transcript_of_one_overlong_line_says_why_it_has_no_utterances() {
    let mut huge = "客户：".as_bytes().to_vec();
    huge.extend(std::iter::repeat_n("我要投诉".as_bytes(), 300_000).flatten());
    huge.push(b'\n');
    let dir = fixture(&[
        ("calls/a.txt", &huge),
        ("calls/b.txt", "客户：我要去12315投诉\n".as_bytes()),
    ]);
    let out = dir.path().join("r");
    let calls = dir.path().join("calls");
    let output = scan(&out, &[calls.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let errors = line_and_reason(&out);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, "1");
    assert!(errors[0].1.contains("too long; skipped"), "{errors:?}");
    assert!(
        errors[1].1.contains("every line with text in it could not be read"),
        "{errors:?}"
    );
    assert!(!errors[1].1.contains("only blank"), "{errors:?}");
    assert_eq!(rows(&out.join("hits.csv")).len(), 1, "b.txt is scanned");
}
