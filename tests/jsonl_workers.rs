//! A JSON Lines chat log large enough to be streamed in several chunks, parsed on the scan
//! workers: the reports are the same bytes whatever the number of threads, from a file or from
//! stdin, and every bad line is in errors.csv under its own line number.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{callrisk, fixture, rows, scan, stderr};

/// About 2.5 MB: 60 sessions interleaved, a bad line every 997 lines.
fn chat_log() -> (String, Vec<usize>) {
    let mut log = String::new();
    let mut bad = Vec::new();
    for i in 0..12_000 {
        let number = i + 1;
        if i % 997 == 500 {
            log.push_str("{\"session_id\": \"S0007\", \"content\": 我要投诉\n");
            bad.push(number);
            continue;
        }
        let (role, content) = if i % 3 == 0 {
            ("customer", "你们再不给我退款，我就去消协投诉，还要找媒体曝光")
        } else {
            ("agent", "您好，很抱歉给您带来不便，我马上帮您查询订单")
        };
        log.push_str(&format!(
            "{{\"session_id\": \"S{:04}\", \"role\": \"{role}\", \"agent_id\": \"A{:02}\", \"time\": \"2026-11-22 09:{:02}:{:02}\", \"content\": \"{content}（第{number}条）\"}}\n",
            i % 60,
            i % 7,
            i / 60 % 60,
            i % 60
        ));
    }
    (log, bad)
}

#[test]
fn a_streamed_chat_log_gives_the_same_reports_on_one_thread_or_three() {
    let (log, bad) = chat_log();
    assert!(log.len() > 2 << 20, "several chunks: {}", log.len());
    let dir = fixture(&[("chat.jsonl", log.as_bytes())]);
    let input = dir.path().join("chat.jsonl");
    let input = input.to_str().unwrap();
    let mut outs = Vec::new();
    for threads in ["1", "3"] {
        let out = dir.path().join(format!("j{threads}"));
        let output = scan(&out, &[input, "--reports", "csv", "-j", threads]);
        assert_eq!(output.status.code(), Some(2), "bad lines: exit 2; {}", stderr(&output));
        outs.push(out);
    }
    for report in [
        "hits.csv",
        "conversations.csv",
        "agents.csv",
        "errors.csv",
        "scorecard.csv",
    ] {
        let one = std::fs::read(outs[0].join(report)).unwrap();
        let three = std::fs::read(outs[1].join(report)).unwrap();
        assert!(one == three, "{report} differs between -j1 and -j3");
    }
    let conversations = rows(&outs[0].join("conversations.csv"));
    assert_eq!(conversations.len(), 60);
    let errors: Vec<String> = rows(&outs[0].join("errors.csv"))
        .into_iter()
        .map(|row| row.get("line").cloned().unwrap_or_default())
        .collect();
    let want: Vec<String> = bad.iter().map(|n| n.to_string()).collect();
    assert_eq!(errors, want);
    assert!(
        !rows(&outs[0].join("hits.csv")).is_empty(),
        "the customers threaten 消协投诉"
    );

    // The same log on stdin, three threads: the same findings.
    let out = dir.path().join("stdin");
    let mut child = callrisk()
        .args(["scan", "-", "--reports", "csv", "-q", "-j", "3", "--out"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(log.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let strip_file = |path: &std::path::Path| -> Vec<Vec<(String, String)>> {
        rows(path)
            .into_iter()
            .map(|row| row.into_iter().filter(|(k, _)| k != "file" && k != "hit_id").collect())
            .collect()
    };
    assert_eq!(strip_file(&out.join("hits.csv")), strip_file(&outs[0].join("hits.csv")));
}
