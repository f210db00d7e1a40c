//! The `scan` command as a user runs it: fixtures in a temp dir, the built binary, the reports.

mod common;

use common::{callrisk, fixture, rows, scan, stderr};

const CALL: &str = "\
# conversation: C-1
# agent: 8823
[00:00:01] 坐席：您好，请问有什么可以帮您？
[00:00:05] 客户：我的宽带又断了，我都投诉了三次了，一直没人处理
[00:00:12] 坐席：这不归我们管，你自己去找门店
[00:00:20] 客户：再不给我修好，我就打12315投诉你们
[00:00:28] 客户：我家住高层，信号本来就差，我也不想去找媒体
";

#[test]
fn one_call_gives_rows_a_user_can_check() {
    let dir = fixture(&[("calls/c1.txt", CALL.as_bytes())]);
    let out = dir.path().join("report");
    let output = scan(&out, &[dir.path().join("calls").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let hits = rows(&out.join("hits.csv"));
    let got: Vec<(String, String, String, String, String)> = hits
        .iter()
        .map(|r| {
            (
                r["line"].clone(),
                r["speaker"].clone(),
                r["category"].clone(),
                r["negated"].clone(),
                r["time"].clone(),
            )
        })
        .collect();
    let want = [
        ("4", "customer", "threat.repeat", "false", "00:00:05"),
        ("5", "agent", "taboo.deflect", "false", "00:00:12"),
        ("6", "customer", "threat.regulator", "false", "00:00:20"),
        ("7", "customer", "threat.media", "true", "00:00:28"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(a, b, c, d, e)| {
            (
                a.to_string(),
                b.to_string(),
                c.to_string(),
                d.to_string(),
                e.to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(hits[0]["count"], "3");
    assert_eq!(hits[2]["conditional"], "true");
    assert_eq!(
        hits[2]["severity"], "critical",
        "a conditional high threat is raised to critical"
    );
    assert_eq!(hits[3]["reason"], "negated");
    assert_eq!(hits[2]["matched"], "打12315投诉", "the whole phrase, as evidence");
    assert_eq!(hits[2]["context"], "再不给我修好，我就打12315投诉你们");

    let conversations = rows(&out.join("conversations.csv"));
    assert_eq!(conversations.len(), 1);
    let c = &conversations[0];
    assert_eq!(
        (c["conversation"].as_str(), c["agent"].as_str(), c["turns"].as_str()),
        ("C-1", "8823", "5")
    );
    assert_eq!(c["risk_level"], "critical");
    assert_eq!(c["categories"], "threat.regulator;threat.repeat;taboo.deflect");
    assert!(c["escalation"].contains("升级组长"));

    let agents = rows(&out.join("agents.csv"));
    assert_eq!(agents[0]["agent"], "8823");
    assert_eq!(agents[0]["taboo.deflect"], "1");
    assert!(
        agents[0]["worst_example"].ends_with("c1.txt:5"),
        "{}",
        agents[0]["worst_example"]
    );
    assert!(rows(&out.join("errors.csv")).is_empty());
}

/// `-j 60000` (a typo, or "as many as possible") must not start sixty thousand threads: the
/// run uses at most four per core, says so on stderr, and writes what `-j 1` writes.
#[test]
fn a_huge_thread_count_is_lowered_and_said() {
    let out1 = tempfile::tempdir().unwrap();
    let out2 = tempfile::tempdir().unwrap();
    assert_eq!(scan(out1.path(), &["samples", "--jobs", "1"]).status.code(), Some(0));
    let output = common::callrisk()
        .args(["scan", "samples", "-j", "60000", "--out"])
        .arg(out2.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!(
        stderr.contains(&format!("warning: -j 60000: using {} threads", cores * 4)),
        "{stderr}"
    );
    for name in ["hits.csv", "conversations.csv", "agents.csv", "errors.csv"] {
        let a = std::fs::read(out1.path().join(name)).unwrap();
        let b = std::fs::read(out2.path().join(name)).unwrap();
        assert!(a == b, "{name} differs between -j 1 and -j 60000");
    }
}

#[test]
fn same_input_same_bytes_whatever_the_thread_count() {
    let out1 = tempfile::tempdir().unwrap();
    let out2 = tempfile::tempdir().unwrap();
    assert_eq!(scan(out1.path(), &["samples", "--jobs", "1"]).status.code(), Some(0));
    assert_eq!(scan(out2.path(), &["samples", "--jobs", "2"]).status.code(), Some(0));
    for name in ["hits.csv", "conversations.csv", "agents.csv", "errors.csv"] {
        let a = std::fs::read(out1.path().join(name)).unwrap();
        let b = std::fs::read(out2.path().join(name)).unwrap();
        assert!(a == b, "{name} differs between runs");
    }
}

#[test]
fn bad_inputs_are_listed_and_the_rest_is_scanned() {
    let latin1 = b"caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise"; // neither UTF-8 nor Chinese
    let dir = fixture(&[
        ("calls/a_good.txt", CALL.as_bytes()),
        ("calls/b_empty.txt", b""),
        ("calls/c_binary.txt", b"RIFF\0\0\0\0WAVEfmt \0\0"),
        ("calls/d_latin1.txt", latin1),
        ("calls/e_only_metadata.txt", "# agent: 1\n\n".as_bytes()),
        ("calls/recording.wav", b"RIFF"),
    ]);
    let out = dir.path().join("report");
    let missing = dir.path().join("no-such-file.txt");
    let output = scan(
        &out,
        &[dir.path().join("calls").to_str().unwrap(), missing.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));

    let errors = rows(&out.join("errors.csv"));
    let reasons: Vec<(String, String)> = errors
        .iter()
        .map(|r| (r["file"].rsplit('/').next().unwrap().to_string(), r["reason"].clone()))
        .collect();
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    let reason_of = |name: &str| {
        reasons
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    };
    assert_eq!(reason_of("b_empty.txt"), "empty file");
    assert!(reason_of("c_binary.txt").contains("binary"));
    assert!(
        reason_of("d_latin1.txt").contains("not valid UTF-8 at byte 3"),
        "{reasons:?}"
    );
    assert!(reason_of("e_only_metadata.txt").contains("no utterances"));
    assert!(reason_of("no-such-file.txt").starts_with("cannot open"));

    let scanned = rows(&out.join("conversations.csv"));
    assert_eq!(scanned.len(), 1, "the good file is still scanned");
    let err = stderr(&output);
    assert!(err.contains("d_latin1.txt: not valid UTF-8"), "{err}");
}

#[test]
fn summary_reconciles_inputs() {
    let dir = fixture(&[("a.txt", CALL.as_bytes()), ("b.txt", b"")]);
    let out = dir.path().join("report");
    let output = callrisk()
        .args(["scan", "--out"])
        .arg(&out)
        .arg(dir.path())
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(
        err.contains("2 inputs = 1 scanned + 1 failed; 1 conversations"),
        "{err}"
    );
    assert!(err.contains("threat.regulator 1"), "{err}");
}

#[test]
fn fail_on_sets_status_one_and_errors_win() {
    let dir = fixture(&[("a.txt", CALL.as_bytes())]);
    let out = dir.path().join("report");
    let input = dir.path().join("a.txt");
    let input = input.to_str().unwrap();
    assert_eq!(scan(&out, &[input, "--fail-on", "critical"]).status.code(), Some(1));
    let calm = fixture(&[("calm.txt", "坐席：您好\n客户：我想查一下话费\n".as_bytes())]);
    let calm_input = calm.path().join("calm.txt");
    assert_eq!(
        scan(&out, &[calm_input.to_str().unwrap(), "--fail-on", "low"])
            .status
            .code(),
        Some(0)
    );
    let missing = dir.path().join("missing.txt");
    assert_eq!(
        scan(&out, &[input, missing.to_str().unwrap(), "--fail-on", "low"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn min_severity_leaves_low_findings_out() {
    let dir = fixture(&[("a.txt", CALL.as_bytes())]);
    let out = dir.path().join("report");
    let input = dir.path().join("a.txt");
    scan(&out, &[input.to_str().unwrap(), "--min-severity", "high"]);
    let categories: Vec<String> = rows(&out.join("hits.csv"))
        .into_iter()
        .map(|r| r["category"].clone())
        .collect();
    assert_eq!(categories, ["threat.regulator", "threat.media"]);
}

#[test]
fn stdin_is_an_input() {
    use std::io::Write;
    let out = tempfile::tempdir().unwrap();
    let mut child = callrisk()
        .args(["scan", "-", "-q", "--out"])
        .arg(out.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("客户：不给我退款我就去消协投诉\n".as_bytes())
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let hits = rows(&out.path().join("hits.csv"));
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0]["file"].as_str(), hits[0]["conversation"].as_str()),
        ("<stdin>", "stdin")
    );
    assert_eq!(hits[0]["category"], "threat.regulator");
}

#[test]
fn customer_text_never_becomes_a_formula() {
    let call = "客户：=HYPERLINK(\"http://evil\",\"12315\")我要去12315投诉\n客户：-1+1 我要找记者曝光\n客户：@SUM(1) 我要起诉\n";
    let dir = fixture(&[("=evil.txt", call.as_bytes())]);
    let out = dir.path().join("report");
    scan(&out, &[dir.path().join("=evil.txt").to_str().unwrap()]);
    let text = std::fs::read_to_string(out.join("hits.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut cells = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            cells += 1;
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "dangerous cell {cell:?}"
            );
        }
    }
    assert!(cells > 20);
    assert!(text.contains("'=HYPERLINK"), "the text is kept, neutralised");
}

#[test]
fn excel_flag_writes_a_bom_and_plain_files_do_not() {
    let dir = fixture(&[("a.txt", CALL.as_bytes())]);
    let input = dir.path().join("a.txt");
    let out = dir.path().join("plain");
    scan(&out, &[input.to_str().unwrap()]);
    assert!(std::fs::read(out.join("hits.csv")).unwrap().starts_with(b"file,"));
    let out = dir.path().join("excel");
    scan(&out, &[input.to_str().unwrap(), "--excel"]);
    for name in ["hits.csv", "conversations.csv", "agents.csv", "errors.csv"] {
        assert!(
            std::fs::read(out.join(name))
                .unwrap()
                .starts_with("\u{FEFF}file".as_bytes())
                || name == "agents.csv"
        );
    }
    assert!(
        std::fs::read(out.join("agents.csv"))
            .unwrap()
            .starts_with("\u{FEFF}agent".as_bytes())
    );
}

#[test]
fn reports_hold_no_unmasked_personal_numbers_unless_asked() {
    let call = "\
# customer: 13912345678
客户：我的号码是13912345678，身份证11010519491231002X
坐席：好的，寄件人的电话是一三八一二三四五六七八，您记一下
坐席：您的卡号6212345678901232已经绑定
";
    let dir = fixture(&[("p.txt", call.as_bytes())]);
    let input = dir.path().join("p.txt");
    let out = dir.path().join("masked");
    let output = scan(&out, &[input.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let hits = rows(&out.join("hits.csv"));
    let privacy: Vec<_> = hits.iter().filter(|r| r["category"] == "taboo.privacy").collect();
    assert_eq!(privacy.len(), 2, "{hits:?}");
    assert_eq!(privacy[1]["matched"], "6212********1232");
    for name in ["hits.csv", "conversations.csv", "agents.csv"] {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        for secret in [
            "13912345678",
            "11010519491231002X",
            "13812345678",
            "6212345678901232",
            "一三八一二三四五六七八",
        ] {
            assert!(!text.contains(secret), "{name} leaks {secret}:\n{text}");
        }
    }
    let out = dir.path().join("raw");
    let output = callrisk()
        .args(["scan", "--no-redact", "--out"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert!(stderr(&output).contains("warning: --no-redact"));
    assert!(
        std::fs::read_to_string(out.join("hits.csv"))
            .unwrap()
            .contains("6212345678901232")
    );
}

#[test]
fn stale_reports_are_replaced_and_partial_files_never_remain() {
    let dir = fixture(&[("a.txt", CALL.as_bytes()), ("report/hits.csv", b"old,report\n")]);
    let out = dir.path().join("report");
    scan(&out, &[dir.path().join("a.txt").to_str().unwrap()]);
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".partial")), "{names:?}");
    assert!(
        std::fs::read_to_string(out.join("hits.csv"))
            .unwrap()
            .starts_with("file,conversation")
    );
}

#[test]
fn unwritable_report_folder_is_a_clear_error() {
    let dir = fixture(&[("a.txt", CALL.as_bytes()), ("taken", b"a file, not a folder")]);
    let output = scan(&dir.path().join("taken"), &[dir.path().join("a.txt").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("callrisk: --out") && stderr(&output).contains("is a file, not a folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read(dir.path().join("taken")).unwrap(),
        b"a file, not a folder"
    );
}

#[test]
fn out_that_holds_the_inputs_is_refused_not_scanned_as_empty() {
    let dir = fixture(&[("calls/a.txt", CALL.as_bytes())]);
    let calls = dir.path().join("calls");
    for out in [calls.clone(), dir.path().to_path_buf()] {
        let output = scan(&out, &[calls.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stderr(&output).contains("holds the input"), "{}", stderr(&output));
    }
    assert_eq!(std::fs::read(calls.join("a.txt")).unwrap(), CALL.as_bytes());
    let dash = callrisk().args(["scan", "-q", "-o", "-"]).arg(&calls).output().unwrap();
    assert_eq!(dash.status.code(), Some(2));
    assert!(!std::path::Path::new("-").exists());
}

#[test]
fn agent_and_customer_labels_can_be_added() {
    let call = "说话人1：您好\n说话人2：你们再不处理我就去法院起诉\n说话人1：你去告吧\n";
    let dir = fixture(&[("d.txt", call.as_bytes())]);
    let input = dir.path().join("d.txt");
    let out = dir.path().join("unmapped");
    scan(&out, &[input.to_str().unwrap()]);
    let speakers: Vec<String> = rows(&out.join("hits.csv"))
        .into_iter()
        .map(|r| r["speaker"].clone())
        .collect();
    assert!(speakers.iter().all(|s| s == "unknown") && !speakers.is_empty());
    let out = dir.path().join("mapped");
    scan(
        &out,
        &[
            input.to_str().unwrap(),
            "--agent-label",
            "说话人1",
            "--customer-label",
            "说话人2",
        ],
    );
    let got: Vec<(String, String)> = rows(&out.join("hits.csv"))
        .into_iter()
        .map(|r| (r["speaker"].clone(), r["category"].clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("customer".into(), "threat.legal".into()),
            ("agent".into(), "taboo.incite".into())
        ]
    );
}

#[test]
fn gbk_and_utf16_transcripts_are_read_as_chinese() {
    let text = "客服：您好\n客户：再不给我修好，我就打12315投诉你们\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(text);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = fixture(&[("gbk.txt", &gbk), ("utf16.txt", &utf16)]);
    let out = dir.path().join("report");
    let output = scan(&out, &[dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let hits = rows(&out.join("hits.csv"));
    let got: Vec<(String, String)> = hits
        .iter()
        .map(|r| (r["category"].clone(), r["context"].clone()))
        .collect();
    let want = (
        "threat.regulator".to_string(),
        "再不给我修好，我就打12315投诉你们".to_string(),
    );
    assert_eq!(got, [want.clone(), want]);
}

const CRITICAL_CALL: &str = "\
# conversation: 00123
# agent: 0012
# time: 2026-11-22 23:41:07
[00:00:01] 坐席：您好，请问有什么可以帮您？
[00:00:20] 客户：再不给我修好，我就打12315投诉你们
[00:00:28] 客户：我也不想去找媒体
";

const HIGH_CALL: &str = "\
# conversation: 00124
# agent: 0012
[00:00:05] 客户：我家宽带又断了，这个月已经是第四次了
";

const CLEAN_CALL: &str = "\
# conversation: 00125
# agent: 0013
[00:00:01] 坐席：您好，请问有什么可以帮您？
[00:00:03] 客户：我想查一下话费
";

/// The night as a supervisor reads it: which calls first, when they were, and how many need
/// someone; and `counted` is said plainly, beside the old `negated`.
#[test]
fn conversations_are_ranked_by_risk_with_their_time_and_the_summary_counts_them_per_level() {
    let dir = fixture(&[
        ("calls/a_clean.txt", CLEAN_CALL.as_bytes()),
        ("calls/b_high.txt", HIGH_CALL.as_bytes()),
        ("calls/c_critical.txt", CRITICAL_CALL.as_bytes()),
    ]);
    let out = dir.path().join("report");
    let output = callrisk()
        .args(["scan", "--reports", "csv", "--out"])
        .arg(&out)
        .arg(dir.path().join("calls"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("conversations by risk: 1 critical, 1 high, 0 medium, 0 low, 1 none"),
        "{}",
        stderr(&output)
    );

    let conversations = rows(&out.join("conversations.csv"));
    let got: Vec<(&str, &str, &str, &str)> = conversations
        .iter()
        .map(|r| {
            (
                r["conversation"].as_str(),
                r["risk_level"].as_str(),
                r["time"].as_str(),
                r["rank"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("00125", "none", "", "3"),
            ("00124", "high", "", "2"),
            ("00123", "critical", "2026-11-22 23:41:07", "1"),
        ]
    );

    let hits = rows(&out.join("hits.csv"));
    let counted: Vec<(&str, &str, &str, &str)> = hits
        .iter()
        .map(|r| {
            (
                r["category"].as_str(),
                r["counted"].as_str(),
                r["negated"].as_str(),
                r["reason"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        counted,
        [
            ("threat.repeat", "true", "false", ""),
            ("threat.regulator", "true", "false", ""),
            ("threat.media", "false", "true", "negated"),
        ]
    );
    // Only the chosen reports, and no file left over from ranking.
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ".callrisk-reports",
            "agents.csv",
            "conversations.csv",
            "errors.csv",
            "hits.csv",
            "scorecard.csv"
        ]
    );
}

#[test]
fn an_unknown_report_kind_is_a_usage_error_that_names_the_kinds() {
    let dir = fixture(&[("calls/a.txt", CLEAN_CALL.as_bytes())]);
    let output = callrisk()
        .args(["scan", "--reports", "csv,pdf", "--out"])
        .arg(dir.path().join("report"))
        .arg(dir.path().join("calls"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("csv"), "{}", stderr(&output));
    assert!(!dir.path().join("report").exists());
}

/// A folder and a file inside it both named (a glob that overlaps a folder): each call is
/// read once, so the night's counts are not inflated, and the repeat is listed.
#[test]
fn a_file_named_twice_is_read_once() {
    let dir = fixture(&[
        (
            "calls/a.txt",
            "客户：再不处理我就去12315投诉你们\n坐席：您别着急\n".as_bytes(),
        ),
        ("calls/b.txt", "客户：我要找你们领导\n坐席：好的\n".as_bytes()),
    ]);
    let calls = dir.path().join("calls");
    let out = dir.path().join("out");
    let output = callrisk()
        .args(["scan", "--list-skipped", "--out"])
        .arg(&out)
        .arg(&calls)
        .arg(calls.join("a.txt"))
        .arg(dir.path().join("calls/../calls"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let conversations = rows(&out.join("conversations.csv"));
    assert_eq!(conversations.len(), 2, "{conversations:?}");
    let regulator = rows(&out.join("hits.csv"))
        .iter()
        .filter(|r| r["category"] == "threat.regulator")
        .count();
    assert_eq!(regulator, 1);
    let err = stderr(&output);
    assert_eq!(
        err.matches("reached by another path among the inputs").count(),
        3,
        "{err}"
    );
    // Listed: the summary does not tell the user to ask for the list they have.
    assert!(
        err.contains("named twice, named above)") && !err.contains("--list-skipped lists them"),
        "{err}"
    );
}

/// A nightly check that only wants the exit status: `--no-reports` without `--json` writes no
/// file, says on stderr what it found, and `--fail-on` still decides the exit status.
#[test]
fn no_reports_without_json_is_a_check_that_writes_nothing() {
    let dir = fixture(&[(
        "calls/a.txt",
        "客户：再不处理我就去12315投诉你们\n坐席：您别着急\n".as_bytes(),
    )]);
    let out = dir.path().join("out");
    let output = callrisk()
        .args(["scan", "--no-reports", "--fail-on", "high", "--out"])
        .arg(&out)
        .arg(dir.path().join("calls"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!out.exists(), "no report folder");
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).contains("conversations by risk: 1 critical"),
        "{}",
        stderr(&output)
    );

    // A log with a line that cannot be read: named on stderr, and no file is promised.
    let log = "{\"session_id\":\"S1\",\"role\":\"customer\",\"content\":\"我要去12315投诉\"}\n{broken\n";
    let dir = fixture(&[("chat.jsonl", log.as_bytes())]);
    let output = callrisk()
        .args(["scan", "--no-reports"])
        .arg(dir.path().join("chat.jsonl"))
        .output()
        .unwrap();
    let err = stderr(&output);
    // A line lost is a problem: status 2, as with the reports.
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains("chat.jsonl line 2") && err.contains("no errors.csv with --no-reports"),
        "{err}"
    );
    assert!(!err.contains("listed in errors.csv"), "{err}");
}

/// A night with nothing to scan (a transcription step that failed upstream) looks like a quiet
/// night unless someone says so: a warning always, the summary's by-risk line all zero, and
/// status 2 with --fail-on-empty.
#[test]
fn an_empty_night_is_said_to_be_empty() {
    let dir = fixture(&[("calls/recording.wav", b"RIFF\0\0\0\0WAVE".as_slice())]);
    let calls = dir.path().join("calls");
    let run = |extra: &[&str]| {
        callrisk()
            .arg("scan")
            .args(extra)
            .arg("--out")
            .arg(dir.path().join("out"))
            .arg(&calls)
            .output()
            .unwrap()
    };
    let output = run(&[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(err.contains("warning: nothing was scanned"), "{err}");
    assert!(
        err.contains("conversations by risk: 0 critical, 0 high, 0 medium, 0 low, 0 none"),
        "{err}"
    );
    assert_eq!(run(&["--fail-on-empty"]).status.code(), Some(2));
}
