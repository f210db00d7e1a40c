//! The ledger, end to end through the binary: a year of nights (transcripts with a --meta
//! export, and chat logs with a customer column), the fourth complaint within 365 days
//! escalated and the fourth spread over 400 days not, reruns and killed runs changing
//! nothing, no number in clear in any byte the ledger writes, and `ledger` stats, export,
//! forget and prune.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{callrisk, rows, stderr};

const PHONE_A: &str = "13912345678";
const PHONE_B: &str = "13800138000";
const PHONE_C: &str = "13700137000";
const ID_D: &str = "11010519491231002X";

/// A call of one customer line (the agent greets and answers around it).
fn call(customer_line: &str) -> String {
    format!(
        "坐席：您好，很高兴为您服务，请问有什么可以帮您？\n客户：{customer_line}\n坐席：好的，我这边马上帮您登记处理。\n"
    )
}

const REFUND_COMPLAINT: &str = "我申请的退款一个月了都没到账，我要投诉你们";
const REFUND_POLITE: &str = "您好，麻烦再帮我查一下，那笔退款还是没到账";
const PARCEL_COMPLAINT: &str = "快递十天了还没收到，物流一直不更新，我要投诉";
const FILLER: &str = "我想查一下这个月的话费套餐，顺便问下营业厅几点关门";

/// A call of a night: file, customer as the call centre writes it (`None`: no row), time of
/// day, the customer's line.
type Call<'a> = (&'a str, Option<&'a str>, &'a str, &'a str);

/// One night of transcripts: `calls` are (file, customer as the call centre writes it or
/// `None` for a call it has no row for, time, the customer's line). The call-centre export
/// goes to `meta.csv` beside the night's folder.
struct Night {
    dir: PathBuf,
    meta: PathBuf,
}

fn night(root: &Path, date: &str, calls: &[Call]) -> Night {
    let dir = root.join(format!("calls-{date}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut meta = String::from("录音文件,坐席工号,客户号码,通话时间\n");
    for (file, customer, time, line) in calls {
        std::fs::write(dir.join(file), call(line)).unwrap();
        if let Some(customer) = customer {
            meta.push_str(&format!("/rec/{date}/{file},8823,{customer},{date} {time}\n"));
        }
    }
    let meta_path = root.join(format!("meta-{date}.csv"));
    std::fs::write(&meta_path, meta).unwrap();
    Night { dir, meta: meta_path }
}

/// `callrisk scan --ledger LEDGER --meta META -o OUT -q DIR` plus `extra`.
fn scan_night(ledger: &Path, night: &Night, out: &Path, extra: &[&str]) -> Output {
    let output = try_night(ledger, night, out, extra);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    output
}

/// A ledger that has seen one night: A's refund complaint of 2025-01-05 (scanned into `r0`).
fn one_night_in_a_ledger() -> (tempfile::TempDir, PathBuf, Night) {
    let root = tempfile::tempdir().unwrap();
    let ledger = root.path().join("ledger.db");
    let first = night(
        root.path(),
        "2025-01-05",
        &[("a.txt", Some(PHONE_A), "09:00:00", REFUND_COMPLAINT)],
    );
    scan_night(&ledger, &first, &root.path().join("r0"), &[]);
    (root, ledger, first)
}

/// `scan --ledger` of one night, whatever its exit status.
fn try_night(ledger: &Path, night: &Night, out: &Path, extra: &[&str]) -> Output {
    callrisk()
        .arg("scan")
        .arg("--ledger")
        .arg(ledger)
        .arg("--meta")
        .arg(&night.meta)
        .arg("-o")
        .arg(out)
        .arg("-q")
        .args(extra)
        .arg(&night.dir)
        .output()
        .unwrap()
}

/// The ledger's repeat findings of a report folder: conversation → (count, severity, context).
fn repeats(out: &Path) -> BTreeMap<String, (String, String, String)> {
    rows(&out.join("hits.csv"))
        .into_iter()
        .filter(|r| r["reason"] == "ledger")
        .map(|r| {
            assert_eq!(r["category"], "threat.repeat");
            assert_eq!(r["counted"], "true");
            assert_eq!(r["negated"], "false");
            (
                r["conversation"].clone(),
                (r["count"].clone(), r["severity"].clone(), r["context"].clone()),
            )
        })
        .collect()
}

fn ledger_cmd(ledger: &Path, args: &[&str]) -> Output {
    let output = callrisk()
        .arg("ledger")
        .args(args)
        .arg("--ledger")
        .arg(ledger)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A year of nights: customer A complains about a refund three times, then calls politely a
/// fourth time within the year; B complains about a parcel four times over 400 days; C
/// complains four times about two problems; D (keyed by an ID card number) once; every night
/// has calls of others, and one night a call the export has no row for.
fn a_year(root: &Path) -> Vec<(&'static str, Night)> {
    let plan: Vec<(&str, Vec<Call>)> = vec![
        (
            "2025-01-10",
            vec![("a1.txt", Some("+86 139-1234-5678"), "09:12:00", REFUND_COMPLAINT)],
        ),
        (
            "2025-01-15",
            vec![("b1.txt", Some(PHONE_B), "10:00:00", PARCEL_COMPLAINT)],
        ),
        (
            "2025-02-01",
            vec![("c1.txt", Some(PHONE_C), "11:30:00", REFUND_COMPLAINT)],
        ),
        (
            "2025-03-12",
            vec![("a2.txt", Some("0086 139 1234 5678"), "14:05:00", REFUND_COMPLAINT)],
        ),
        (
            "2025-04-01",
            vec![("c2.txt", Some(PHONE_C), "16:00:00", REFUND_COMPLAINT)],
        ),
        (
            "2025-05-20",
            vec![("b2.txt", Some("138-0013-8000"), "08:45:00", PARCEL_COMPLAINT)],
        ),
        (
            "2025-06-03",
            vec![("a3.txt", Some("１３９１２３４５６７８"), "19:20:00", REFUND_COMPLAINT)],
        ),
        (
            "2025-07-01",
            vec![("c3.txt", Some(PHONE_C), "09:00:00", PARCEL_COMPLAINT)],
        ),
        (
            "2025-08-01",
            vec![
                ("c4.txt", Some(PHONE_C), "09:00:00", PARCEL_COMPLAINT),
                ("d1.txt", Some(ID_D), "10:00:00", REFUND_COMPLAINT),
            ],
        ),
        // The fourth refund call of A, polite: no threat, no complaint word.
        (
            "2025-09-20",
            vec![("13912345678_0920.txt", Some(PHONE_A), "10:30:00", REFUND_POLITE)],
        ),
        (
            "2025-10-01",
            vec![("b3.txt", Some(PHONE_B), "13:00:00", PARCEL_COMPLAINT)],
        ),
        (
            "2025-12-01",
            vec![
                ("x1.txt", None, "09:00:00", REFUND_COMPLAINT),
                ("x2.txt", None, "09:30:00", PARCEL_COMPLAINT),
            ],
        ),
        // B's fourth parcel complaint: 400 days after the first, 3 within the year.
        (
            "2026-02-19",
            vec![("b4.txt", Some(PHONE_B), "15:00:00", PARCEL_COMPLAINT)],
        ),
    ];
    plan.into_iter()
        .enumerate()
        .map(|(i, (date, mut calls))| {
            // Someone else calls every night, about nothing to complain of.
            let (file, phone) = (format!("f{i}.txt"), format!("1510000{i:04}"));
            calls.push((&file, Some(&phone), "12:00:00", FILLER));
            (date, night(root, date, &calls))
        })
        .collect()
}

#[test]
fn a_year_of_nights_escalates_the_fourth_complaint_within_365_days_and_not_one_spread_over_400() {
    let root = tempfile::tempdir().unwrap();
    let ledger = root.path().join("ledger.db");
    let nights = a_year(root.path());
    let mut flagged = BTreeMap::new();
    for (date, night) in &nights {
        let out = root.path().join(format!("report-{date}"));
        // Kept whole for the stats below (the default retention would drop January 2025 once
        // February 2026 is in: see the retention test).
        let output = scan_night(&ledger, night, &out, &["--retention", "800"]);
        let warning = stderr(&output);
        if *date == "2025-12-01" {
            // Two calls without a customer, said once, not per call.
            assert_eq!(warning.matches("not counted in the ledger").count(), 1, "{warning}");
            assert!(warning.contains("2 conversations were not counted"), "{warning}");
        } else {
            assert!(!warning.contains("not counted"), "{date}: {warning}");
        }
        for (conversation, found) in repeats(&out) {
            flagged.insert((date.to_string(), conversation), found);
        }
        let repeat_rows = rows(&out.join("repeats.csv"));
        if *date == "2025-09-20" {
            assert_eq!(repeat_rows.len(), 1, "{repeat_rows:?}");
            let row = &repeat_rows[0];
            assert_eq!(row["customer"], "139****5678");
            assert_eq!(row["topic"], "退款");
            assert_eq!(
                (row["count"].as_str(), row["first"].as_str(), row["last"].as_str()),
                ("4", "2025-01-10", "2025-09-20")
            );
            assert_eq!(
                row["conversations"].matches("; ").count(),
                3,
                "{}",
                row["conversations"]
            );
            let conversations = rows(&out.join("conversations.csv"));
            let a4 = conversations
                .iter()
                .find(|c| c["conversation"] == "139****5678_0920")
                .unwrap();
            assert_eq!(a4["risk_level"], "high");
            assert!(a4["categories"].contains("threat.repeat"));
            assert!(a4["escalation"].contains("疑似危机"), "{}", a4["escalation"]);
        } else {
            assert!(repeat_rows.is_empty(), "{date}: {repeat_rows:?}");
        }
    }
    // Only A's fourth call: not B's (spread over 400 days), not C's (two problems).
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    let ((date, conversation), (count, severity, context)) = flagged.into_iter().next().unwrap();
    assert_eq!(
        (date.as_str(), conversation.as_str()),
        ("2025-09-20", "139****5678_0920")
    );
    assert_eq!((count.as_str(), severity.as_str()), ("4", "high"));
    for earlier in ["2025-01-10 a1", "2025-03-12 a2", "2025-06-03 a3"] {
        assert!(context.contains(earlier), "{context}");
    }
    assert!(context.contains("退款") && context.contains("365"), "{context}");

    let stats = stdout(&ledger_cmd(&ledger, &["stats"]));
    assert!(stats.contains("customers: 17\n"), "{stats}");
    assert!(stats.contains("conversations: 26\n"), "{stats}");
    assert!(stats.contains("calls: 2025-01-10 to 2026-02-19\n"), "{stats}");
    assert!(
        stats.contains("over the threshold (complaint no. 4 about one problem within 365 days): 1\n"),
        "{stats}"
    );
    // With a window of 420 days, B's fourth would have counted too.
    let wider = stdout(&ledger_cmd(&ledger, &["stats", "--repeat-window", "420"]));
    assert!(wider.contains("within 420 days): 2\n"), "{wider}");

    // No number in clear in any byte the ledger or its reports hold.
    let export = root.path().join("export.csv");
    ledger_cmd(&ledger, &["export", "--out", export.to_str().unwrap()]);
    let mut files = vec![ledger.clone(), ledger.with_extension("db.key"), export];
    files.extend(["-wal", "-shm"].map(|s| PathBuf::from(format!("{}{s}", ledger.display()))));
    files.extend(
        nights
            .iter()
            .map(|(date, _)| root.path().join(format!("report-{date}/repeats.csv"))),
    );
    for file in files.iter().filter(|f| f.exists()) {
        let bytes = std::fs::read(file).unwrap();
        for number in [PHONE_A, PHONE_B, PHONE_C, "1391234", "12345678", ID_D, "110105194912"] {
            assert!(
                !bytes.windows(number.len()).any(|w| w == number.as_bytes()),
                "{} holds {number}",
                file.display()
            );
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&ledger.with_extension("db.key")), 0o600);
        assert_eq!(mode(&ledger), 0o600);
    }
}

#[test]
fn the_repeat_is_in_the_json_lines_and_the_workbook_like_any_finding() {
    let root = tempfile::tempdir().unwrap();
    let ledger = root.path().join("ledger.db");
    let calls = [
        ("2025-01-05", "a.txt"),
        ("2025-02-05", "b.txt"),
        ("2025-03-05", "c.txt"),
    ];
    for (date, file) in calls {
        let n = night(
            root.path(),
            date,
            &[(file, Some(PHONE_A), "09:00:00", REFUND_COMPLAINT)],
        );
        scan_night(&ledger, &n, &root.path().join(format!("r-{date}")), &[]);
    }
    let fourth = night(
        root.path(),
        "2025-04-05",
        &[("d.txt", Some(PHONE_A), "09:00:00", REFUND_POLITE)],
    );
    let output = scan_night(&ledger, &fourth, &root.path().join("r4"), &["--json"]);
    let finding = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["type"] == "finding" && v["category"] == "threat.repeat")
        .expect("a threat.repeat finding in the JSON Lines");
    assert_eq!(finding["reason"], "ledger");
    assert_eq!(finding["counted"], true);
    assert_eq!(finding["count"], 4);
    use calamine::{Reader, Xlsx, open_workbook};
    let mut workbook: Xlsx<_> = open_workbook(root.path().join("r4/report.xlsx")).unwrap();
    let found = workbook.worksheets().into_iter().any(|(_, sheet)| {
        sheet.rows().any(|row| {
            let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            cells.iter().any(|c| c == "threat.repeat") && cells.iter().any(|c| c == "ledger")
        })
    });
    assert!(found, "report.xlsx has no threat.repeat row with reason ledger");
}

/// A chat export's night: (session, customer, time, the customer's message).
fn chat_night(root: &Path, date: &str, sessions: &[(&str, &str, &str, &str)]) -> PathBuf {
    let mut csv = String::from("会话ID,发送时间,发送方角色,内容,客户ID\n");
    for (session, customer, time, message) in sessions {
        csv.push_str(&format!("{session},{date} {time},客服,您好，请问有什么可以帮您,\n"));
        csv.push_str(&format!("{session},{date} {time},客户,{message},{customer}\n"));
    }
    let path = root.join(format!("chat-{date}.csv"));
    std::fs::write(&path, csv).unwrap();
    path
}

fn scan_chat(ledger: &Path, log: &Path, out: &Path) -> Output {
    let output = callrisk()
        .args(["scan", "-q", "--ledger"])
        .arg(ledger)
        .arg("-o")
        .arg(out)
        .arg(log)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    output
}

#[test]
fn a_chat_log_keys_customers_by_its_customer_column_and_counts_one_night_in_call_time_order() {
    let root = tempfile::tempdir().unwrap();
    let ledger = root.path().join("ledger.db");
    let first = chat_night(
        root.path(),
        "2025-03-01",
        &[("S1", "+8613912345678", "10:00:00", REFUND_COMPLAINT)],
    );
    let second = chat_night(
        root.path(),
        "2025-04-01",
        &[("S2", PHONE_A, "10:00:00", REFUND_COMPLAINT)],
    );
    // The third and fourth complaints on one night, the later call first in the log.
    let third = chat_night(
        root.path(),
        "2025-05-01",
        &[
            ("S4", "139 1234 5678", "15:00:00", REFUND_POLITE),
            ("S3", PHONE_A, "09:00:00", REFUND_COMPLAINT),
            ("S5", PHONE_B, "09:30:00", FILLER),
        ],
    );
    for (i, log) in [first, second].iter().enumerate() {
        scan_chat(&ledger, log, &root.path().join(format!("r{i}")));
        assert!(repeats(&root.path().join(format!("r{i}"))).is_empty());
    }
    let out = root.path().join("r-night");
    scan_chat(&ledger, &third, &out);
    let found = repeats(&out);
    assert_eq!(found.keys().collect::<Vec<_>>(), ["S4"], "{found:?}");
    let (count, _, context) = &found["S4"];
    assert_eq!(count, "4");
    assert!(context.contains("2025-05-01 S3"), "{context}");
}

#[test]
fn reruns_count_once_and_give_the_same_bytes() {
    let root = tempfile::tempdir().unwrap();
    let ledger = root.path().join("ledger.db");
    let dates = ["2025-01-05", "2025-02-05", "2025-03-05", "2025-04-05"];
    let nights: Vec<Night> = dates
        .iter()
        .enumerate()
        .map(|(i, date)| {
            let line = if i == 3 { REFUND_POLITE } else { REFUND_COMPLAINT };
            night(
                root.path(),
                date,
                &[(&format!("a{i}.txt"), Some(PHONE_A), "09:00:00", line)],
            )
        })
        .collect();
    // The second night twice, before the others go on.
    scan_night(&ledger, &nights[0], &root.path().join("r0"), &[]);
    scan_night(&ledger, &nights[1], &root.path().join("r1"), &[]);
    scan_night(&ledger, &nights[1], &root.path().join("r1-again"), &[]);
    // And once more from the folder above, the night named by a relative path: the same
    // conversations, however their path is spelled.
    let relative = Night {
        dir: nights[1].dir.strip_prefix(root.path()).unwrap().to_path_buf(),
        meta: nights[1].meta.clone(),
    };
    let output = callrisk()
        .current_dir(root.path())
        .arg("scan")
        .arg("--ledger")
        .arg(&ledger)
        .arg("--meta")
        .arg(&relative.meta)
        .arg("-o")
        .arg(root.path().join("r1-relative"))
        .arg("-q")
        .arg(&relative.dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    scan_night(&ledger, &nights[2], &root.path().join("r2"), &[]);
    assert!(repeats(&root.path().join("r2")).is_empty(), "a rerun counted twice");
    let export = |ledger: &Path| stdout(&ledger_cmd(ledger, &["export"]));
    scan_night(&ledger, &nights[3], &root.path().join("first"), &[]);
    let after_first = export(&ledger);
    assert_eq!(after_first.lines().count(), 5, "{after_first}");
    scan_night(&ledger, &nights[3], &root.path().join("again"), &[]);
    assert_eq!(export(&ledger), after_first, "a rerun changed the ledger");
    for report in ["hits.csv", "conversations.csv", "repeats.csv"] {
        let first = std::fs::read(root.path().join("first").join(report)).unwrap();
        let again = std::fs::read(root.path().join("again").join(report)).unwrap();
        assert_eq!(first, again, "{report} differs on a rerun");
    }
    let found = repeats(&root.path().join("again"));
    assert_eq!(found["a3"].0, "4", "{found:?}");
}

#[test]
fn a_run_killed_midway_leaves_the_ledger_as_it_was() {
    let (root, ledger, _) = one_night_in_a_ledger();
    let before = stdout(&ledger_cmd(&ledger, &["export"]));
    // A big chat log: thousands of customers, each complaining; the run is killed once its
    // second reading is writing reports, when every row is in the ledger but not committed.
    let mut log = String::from("会话ID,发送时间,发送方角色,内容,客户ID\n");
    let mut n = 0u64;
    while log.len() < 4 << 20 {
        let session = format!("K{n}");
        let customer = format!("1860000{:04}", n % 10_000);
        log.push_str(&format!(
            "{session},2025-02-01 10:00:00,客服,您好，请问有什么可以帮您,\n"
        ));
        log.push_str(&format!(
            "{session},2025-02-01 10:00:00,客户,{REFUND_COMPLAINT},{customer}\n"
        ));
        n += 1;
    }
    let big = root.path().join("big.csv");
    std::fs::write(&big, log).unwrap();
    let out = root.path().join("killed");
    let mut child = callrisk()
        .args(["scan", "-q", "-j", "1", "--ledger"])
        .arg(&ledger)
        .arg("-o")
        .arg(&out)
        .arg(&big)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let hits = root
        .path()
        .join(format!(".killed.callrisk-new-{}/hits.csv", child.id()));
    // Wait (not for a time: for the file) until the second reading has written rows.
    while std::fs::metadata(&hits).map_or(true, |m| m.len() == 0) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        std::thread::yield_now();
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it could be killed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!out.exists(), "a killed run swapped its reports in");
    // What the killed run left in the journal holds no number either.
    for journal in ["-wal", "-shm"].map(|s| PathBuf::from(format!("{}{s}", ledger.display()))) {
        if let Ok(bytes) = std::fs::read(&journal) {
            assert!(
                !bytes.windows(7).any(|w| w == b"1860000"),
                "{} holds a phone",
                journal.display()
            );
        }
    }
    assert_eq!(
        stdout(&ledger_cmd(&ledger, &["export"])),
        before,
        "a killed run changed the ledger"
    );
    // And the ledger is usable: the next run takes it.
    let second = night(
        root.path(),
        "2025-02-05",
        &[("b.txt", Some(PHONE_A), "09:00:00", REFUND_COMPLAINT)],
    );
    scan_night(&ledger, &second, &root.path().join("r1"), &[]);
    assert_eq!(stdout(&ledger_cmd(&ledger, &["export"])).lines().count(), 3);
}

#[test]
fn a_failed_run_leaves_the_ledger_as_it_was() {
    let (root, ledger, _) = one_night_in_a_ledger();
    let before = stdout(&ledger_cmd(&ledger, &["export"]));
    // --out names a folder of someone else's files: refused after the ledger was opened.
    let taken = root.path().join("taken");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("notes.txt"), "mine").unwrap();
    let second = night(
        root.path(),
        "2025-02-05",
        &[("b.txt", Some(PHONE_A), "09:00:00", REFUND_COMPLAINT)],
    );
    let output = try_night(&ledger, &second, &taken, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(stdout(&ledger_cmd(&ledger, &["export"])), before);
}

#[test]
fn forget_removes_a_customer_given_as_any_form_of_their_number_and_prune_removes_old_rows() {
    let root = tempfile::tempdir().unwrap();
    let ledger = root.path().join("ledger.db");
    // 2020 is always long ago; 2099 is not yet.
    let old = night(
        root.path(),
        "2020-03-01",
        &[
            ("a.txt", Some(PHONE_A), "09:00:00", REFUND_COMPLAINT),
            ("b.txt", Some(PHONE_B), "10:00:00", FILLER),
        ],
    );
    let recent = night(
        root.path(),
        "2099-03-01",
        &[
            ("c.txt", Some(PHONE_A), "09:00:00", REFUND_COMPLAINT),
            ("d.txt", Some(PHONE_C), "10:00:00", FILLER),
        ],
    );
    // Retention off: the 2020 rows would otherwise go as soon as the 2099 night is in.
    scan_night(&ledger, &old, &root.path().join("r0"), &["--retention", "0"]);
    scan_night(&ledger, &recent, &root.path().join("r1"), &["--retention", "0"]);
    let forgot = ledger_cmd(&ledger, &["forget", "+86 139-1234-5678"]);
    assert_eq!(stdout(&forgot), "forgot 2 conversations of this customer\n");
    assert!(!stdout(&forgot).contains("1391234") && !stderr(&forgot).contains("1391234"));
    let export = stdout(&ledger_cmd(&ledger, &["export"]));
    assert_eq!(export.lines().count(), 3, "{export}");
    assert!(!export.contains("a.txt") && !export.contains("c.txt"), "{export}");
    assert_eq!(
        stdout(&ledger_cmd(&ledger, &["forget", PHONE_A])),
        "forgot 0 conversations of this customer\n"
    );

    let pruned = stdout(&ledger_cmd(&ledger, &["prune", "--older-than", "400"]));
    assert!(pruned.starts_with("removed 1 conversations"), "{pruned}");
    let export = stdout(&ledger_cmd(&ledger, &["export"]));
    assert_eq!(export.lines().count(), 2, "{export}");
    assert!(export.contains("d.txt") && !export.contains("b.txt"), "{export}");
}

#[test]
fn each_night_removes_rows_older_than_the_retention_before_the_newest_call() {
    let root = tempfile::tempdir().unwrap();
    let ledger = root.path().join("ledger.db");
    let old = night(
        root.path(),
        "2024-01-01",
        &[("a.txt", Some(PHONE_A), "09:00:00", REFUND_COMPLAINT)],
    );
    let new = night(
        root.path(),
        "2025-03-01",
        &[("b.txt", Some(PHONE_B), "09:00:00", REFUND_COMPLAINT)],
    );
    scan_night(&ledger, &old, &root.path().join("r0"), &[]);
    scan_night(&ledger, &new, &root.path().join("r1"), &[]);
    // 425 days apart: past the default retention of 400.
    let export = stdout(&ledger_cmd(&ledger, &["export"]));
    assert_eq!(export.lines().count(), 2, "{export}");
    assert!(export.contains("b.txt"));
}

#[test]
fn a_ledger_without_its_key_file_is_refused_and_no_new_key_is_made() {
    let (root, ledger, first) = one_night_in_a_ledger();
    let key = root.path().join("ledger.db.key");
    std::fs::remove_file(&key).unwrap();
    let output = try_night(&ledger, &first, &root.path().join("r1"), &[]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("key file") && message.contains("missing"), "{message}");
    assert!(!key.exists(), "a new key would split every customer's history");
}

#[test]
fn a_ledger_with_another_key_file_is_refused() {
    let (root, ledger, first) = one_night_in_a_ledger();
    let key = root.path().join("ledger.db.key");
    let own = std::fs::read(&key).unwrap();
    // A well-formed key, not this ledger's (a backup of another ledger restored by mistake).
    std::fs::write(&key, "ab".repeat(32)).unwrap();
    let output = try_night(&ledger, &first, &root.path().join("r1"), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not the one this ledger was created with"),
        "{}",
        stderr(&output)
    );
    for command in [&["stats"][..], &["forget", PHONE_A]] {
        let output = callrisk()
            .arg("ledger")
            .args(command)
            .arg("--ledger")
            .arg(&ledger)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{command:?}: {}", stderr(&output));
    }
    // Its own key back: the ledger works again, its history whole.
    std::fs::write(&key, own).unwrap();
    ledger_cmd(&ledger, &["stats"]);
}

#[test]
fn a_second_run_on_a_ledger_in_use_is_told_so() {
    let (root, ledger, first) = one_night_in_a_ledger();
    // Another writer holds the ledger, as a run in progress does.
    let holder = rusqlite::Connection::open(&ledger).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let output = try_night(&ledger, &first, &root.path().join("r1"), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("ledger is in use") || stderr(&output).contains("is in use"),
        "{}",
        stderr(&output)
    );
    assert!(!root.path().join("r1").exists());
    holder.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn stdin_cannot_be_read_twice_so_the_ledger_refuses_it() {
    let root = tempfile::tempdir().unwrap();
    let output = callrisk()
        .args(["scan", "-q", "--ledger"])
        .arg(root.path().join("ledger.db"))
        .arg("-o")
        .arg(root.path().join("r"))
        .arg("-")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("save it to a file"), "{}", stderr(&output));
    assert!(!root.path().join("ledger.db").exists());
}

#[test]
fn transcripts_carry_their_own_customer_time_and_topic_and_one_run_may_hold_a_year() {
    let root = tempfile::tempdir().unwrap();
    let ledger = root.path().join("ledger.db");
    let header = |customer: &str, time: &str| {
        format!(
            "# customer: {customer}\n# time: {time}\n# 业务类型: 宽带报修\n{}",
            call("宽带又断了，还是没人处理")
        )
    };
    // Four calls in one folder, the files in no order of time; a fifth about something else.
    let calls = root.path().join("calls");
    std::fs::create_dir_all(&calls).unwrap();
    for (file, customer, time) in [
        ("a.txt", "13912345678", "2025年9月1日 10:00"),
        ("b.txt", "+86 13912345678", "2025-01-05 10:00"),
        ("c.txt", "139-1234-5678", "2025-06-01 10:00"),
        ("d.txt", "0086 13912345678", "2025-03-01 10:00"),
    ] {
        std::fs::write(calls.join(file), header(customer, time)).unwrap();
    }
    let out = root.path().join("r");
    let output = callrisk()
        .args(["scan", "-q", "--ledger"])
        .arg(&ledger)
        .arg("-o")
        .arg(&out)
        .arg(&calls)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The fourth by call time is a.txt (September), whatever the order of the files.
    let found = repeats(&out);
    assert_eq!(found.keys().collect::<Vec<_>>(), ["a"], "{found:?}");
    assert!(found["a"].2.contains("宽带报修"), "{:?}", found["a"]);
    let export = stdout(&ledger_cmd(&ledger, &["export"]));
    assert_eq!(export.matches(",宽带报修,metadata").count(), 4, "{export}");
}
