//! A split run: `scan --shard K/N` on N "machines", then `merge`, must write what one run over
//! every input writes: the CSVs byte for byte, the workbook cell by cell, the page and the
//! JSON Lines the same, the summary the same but for the time taken. Shards cover every input
//! exactly once, and merge refuses a missing, doubled or foreign shard.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{callrisk, rows, stderr};

const CSVS: [&str; 5] = [
    "hits.csv",
    "conversations.csv",
    "agents.csv",
    "errors.csv",
    "scorecard.csv",
];

const CUSTOMER: [&str; 8] = [
    "我家宽带又断了，这个月已经是第三次了",
    "再不解决我就去12315投诉你们",
    "我要找媒体曝光你们这种做法",
    "行吧，那我等你们消息",
    "你们再拖着不办，我就去法院起诉你们",
    "我的号码是{phone}，有结果打给我",
    "叫你们经理来跟我说",
    "好的，谢谢你",
];

const AGENT: [&str; 8] = [
    "您好，很高兴为您服务，请问有什么可以帮您？",
    "非常抱歉给您带来不便，我马上帮您查一下",
    "你爱投诉就去投诉吧，我也没办法",
    "我保证明天一定给您修好，百分之百没问题",
    "请您稍等，我帮您查询一下工单",
    "这个不归我们管，你自己去找厂家",
    "感谢您的耐心，还有其他可以帮您的吗？",
    "我跟您核对一下，您的手机号是{phone}对吧",
];

/// The customer's number in call `i`, when it says it.
fn phone(i: usize) -> String {
    format!("139{:08}", 10_000_000 + i * 7919 % 90_000_000)
}

/// One invented call: a header, then agent and customer in turn.
fn call(i: usize) -> String {
    let phone = phone(i);
    let mut text = format!(
        "# conversation: C202611{:02}-{i:04}\n# agent: {}\n# customer: 客户{i}\n# time: 2026-11-{:02} {:02}:{:02}:00\n",
        20 + i % 5,
        8800 + i % 9,
        20 + i % 5,
        8 + i % 10,
        i % 60
    );
    for turn in 0..(4 + i % 3) {
        let (who, line) = if turn % 2 == 0 {
            ("坐席", AGENT[(i + turn) % AGENT.len()])
        } else {
            ("客户", CUSTOMER[(i * 3 + turn) % CUSTOMER.len()])
        };
        text.push_str(&format!(
            "[00:{:02}:{:02}] {who}：{}\n",
            turn / 2,
            turn * 7 % 60,
            line.replace("{phone}", &phone)
        ));
    }
    text
}

/// A chat export with a few sessions and one line that is not JSON.
fn chat_log() -> String {
    let mut log = String::new();
    for s in 0..6 {
        log.push_str(&format!(
            "{{\"session_id\": \"S20261122-{s:03}\", \"role\": \"customer\", \"content\": \"{}\"}}\n",
            CUSTOMER[s % CUSTOMER.len()].replace("{phone}", "13912345678")
        ));
        if s == 3 {
            log.push_str("{\"session_id\": \"S20261122-003\", \"role\": \n");
        }
        log.push_str(&format!(
            "{{\"session_id\": \"S20261122-{s:03}\", \"role\": \"agent\", \"agent_id\": \"kf-33{s:02}\", \"content\": \"{}\"}}\n",
            AGENT[(s + 2) % AGENT.len()].replace("{phone}", "13912345678")
        ));
    }
    log
}

/// `count` invented calls in day and agent folders, a chat log with a bad line, a file that
/// fails, and files a walk passes over (audio, hidden).
fn archive(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("archive");
    for i in 0..count {
        let path = root.join(format!(
            "2026-11-{:02}/坐席{}/call_{i:04}.txt",
            20 + i % 5,
            8800 + i % 9
        ));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, call(i)).unwrap();
    }
    for day in ["2026-11-21", "2026-11-22", "2026-11-23"] {
        std::fs::create_dir_all(root.join(day)).unwrap();
    }
    std::fs::write(root.join("2026-11-22/chat_export.jsonl"), chat_log()).unwrap();
    std::fs::write(root.join("2026-11-21/asr_broken.json"), "{ \"segments\": [ 未完").unwrap();
    std::fs::write(root.join("2026-11-21/call_0001.wav"), b"RIFF....WAVEfmt ").unwrap();
    std::fs::write(root.join("2026-11-23/.草稿.txt"), "客户：测试").unwrap();
    dir
}

fn run(command: &mut Command) -> Output {
    command.output().expect("run callrisk")
}

/// One run over everything, not quiet (the summary is compared), with JSON Lines.
fn single(inputs: &[&Path], out: &Path) -> Output {
    run(callrisk().arg("scan").args(inputs).arg("--json").arg("--out").arg(out))
}

fn shard(inputs: &[&Path], k: u32, n: u32, out: &Path) -> Output {
    let output = run(callrisk()
        .arg("scan")
        .args(inputs)
        .args(["-q", "--shard", &format!("{k}/{n}"), "--out"])
        .arg(out));
    assert!(output.status.code().is_some_and(|c| c <= 2), "{}", stderr(&output));
    output
}

fn merge(dirs: &[PathBuf], out: &Path) -> Output {
    run(callrisk().arg("merge").args(dirs).arg("--json").arg("--out").arg(out))
}

/// The summary with the run-time facts (seconds, MB/s, the report folder) taken out.
fn summary_without_time(output: &Output) -> String {
    stderr(output)
        .lines()
        .map(|line| match line.find(" in ") {
            Some(at) if line.contains(" MB/s)") => line[..at].to_string(),
            _ if line.starts_with("callrisk: reports in ") => "callrisk: reports in …".to_string(),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every cell of every sheet, as calamine reads them.
fn workbook(path: &Path) -> BTreeMap<String, Vec<Vec<Data>>> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            (name, range.rows().map(<[Data]>::to_vec).collect())
        })
        .collect()
}

/// Merged reports are one run's: bytes of the CSVs and the page, cells of the workbook, the
/// JSON Lines, the summary but for the time, the exit status.
fn assert_merge_is_one_run(one: &Path, one_run: &Output, merged: &Path, merge_run: &Output) {
    assert_eq!(
        merge_run.status.code(),
        one_run.status.code(),
        "merge: {}",
        stderr(merge_run)
    );
    for name in CSVS.iter().chain(&["report.html"]) {
        let (a, b) = (
            std::fs::read(one.join(name)).unwrap(),
            std::fs::read(merged.join(name)).unwrap(),
        );
        assert!(
            a == b,
            "{name} differs:\n--- one run\n{}\n--- merged\n{}",
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b)
        );
    }
    assert_eq!(
        workbook(&one.join("report.xlsx")),
        workbook(&merged.join("report.xlsx"))
    );
    assert_eq!(
        String::from_utf8_lossy(&merge_run.stdout),
        String::from_utf8_lossy(&one_run.stdout),
        "JSON Lines differ"
    );
    assert_eq!(summary_without_time(merge_run), summary_without_time(one_run));
    assert!(
        !merged.join("shard.jsonl").exists(),
        "a merged folder is one run's: no sidecar"
    );
}

/// Scan `inputs` once and in `n` shards (spawning the binary), merge, compare.
fn split_and_compare(inputs: &[&Path], n: u32, work: &Path) {
    let one = work.join("one");
    let one_run = single(inputs, &one);
    let dirs: Vec<PathBuf> = (1..=n).map(|k| work.join(format!("shard-{k}"))).collect();
    for (k, dir) in (1..=n).zip(&dirs) {
        shard(inputs, k, n, dir);
    }
    let merged = work.join("merged");
    // In any order: merge sorts by each input's place in the walk.
    let mut given = dirs.clone();
    given.reverse();
    let merge_run = merge(&given, &merged);
    assert_merge_is_one_run(&one, &one_run, &merged, &merge_run);
}

#[test]
fn four_shards_of_the_samples_merge_into_one_run() {
    let work = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    split_and_compare(&[&samples], 4, work.path());
}

#[test]
fn four_shards_of_a_night_with_failures_merge_into_one_run() {
    let archive = archive(240);
    let root = archive.path().join("archive");
    // A second argument, a file named on its own: its key is its file name.
    let extra = archive.path().join("加急.txt");
    std::fs::write(&extra, call(9999)).unwrap();
    split_and_compare(&[&root, &extra], 4, archive.path());
    let errors = rows(&archive.path().join("merged/errors.csv"));
    assert!(
        errors.iter().any(|r| r["file"].ends_with("asr_broken.json")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|r| r["file"].ends_with("chat_export.jsonl")),
        "{errors:?}"
    );
    let conversations = rows(&archive.path().join("merged/conversations.csv"));
    assert_eq!(conversations.len(), 240 + 6 + 1);
}

#[test]
fn gnu_parallel_runs_the_shards_and_merge_gives_one_run() {
    if Command::new("parallel").arg("--version").output().is_err() {
        // Straight to stderr, not eprintln!: the test harness would swallow it for a passing test.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED gnu_parallel_runs_the_shards_and_merge_gives_one_run: GNU parallel is not installed \
             (`apt-get install parallel`; .ci/run installs it); the same 4 shards are still compared by \
             four_shards_of_a_night_with_failures_merge_into_one_run"
        );
        return;
    }
    let archive = archive(120);
    let root = archive.path().join("archive");
    let work = archive.path();
    let one_run = single(&[&root], &work.join("one"));
    // The README's recipe, on one host: four jobs, each its own shard and report folder.
    let output = run(Command::new("parallel")
        .args(["--will-cite", "--halt", "never", "-j", "2"])
        .arg(env!("CARGO_BIN_EXE_callrisk"))
        .args(["scan", "-q", "--shard", "{}/4", "--out"])
        .arg(work.join("shard-{}"))
        .arg(&root)
        .args([":::", "1", "2", "3", "4"])
        .stdin(std::process::Stdio::null()));
    // Shards with the failing file exit 2 (as one run does); parallel reports how many failed.
    assert!(output.status.code().is_some_and(|c| c <= 4), "{}", stderr(&output));
    let dirs: Vec<PathBuf> = (1..=4).map(|k| work.join(format!("shard-{k}"))).collect();
    let merge_run = merge(&dirs, &work.join("merged"));
    assert_merge_is_one_run(&work.join("one"), &one_run, &work.join("merged"), &merge_run);
}

#[test]
fn every_input_is_in_exactly_one_shard_for_one_to_seven_shards() {
    let archive = archive(40);
    let root = archive.path().join("archive");
    let one = archive.path().join("one");
    let _ = single(&[&root], &one);
    let files = |dir: &Path| -> Vec<String> {
        let mut files: Vec<String> = rows(&dir.join("conversations.csv"))
            .into_iter()
            .map(|r| r["file"].clone())
            .chain(
                rows(&dir.join("errors.csv"))
                    .into_iter()
                    .filter(|r| r["line"].is_empty())
                    .map(|r| r["file"].clone()),
            )
            .collect();
        files.sort();
        files.dedup();
        files
    };
    let everything = files(&one);
    assert_eq!(everything.len(), 40 + 1 + 1, "40 calls, the chat log, the broken file");
    for n in 1..=7u32 {
        let mut seen: Vec<String> = Vec::new();
        let mut sizes = Vec::new();
        for k in 1..=n {
            let dir = archive.path().join(format!("n{n}-k{k}"));
            shard(&[&root], k, n, &dir);
            let mine = files(&dir);
            sizes.push(mine.len());
            seen.extend(mine);
        }
        seen.sort();
        let unique = {
            let mut u = seen.clone();
            u.dedup();
            u
        };
        assert_eq!(seen, unique, "an input in two shards of {n}: {sizes:?}");
        assert_eq!(seen, everything, "shards of {n} do not cover the inputs: {sizes:?}");
        if n > 1 {
            assert!(
                sizes.iter().filter(|&&s| s > 0).count() > 1,
                "one shard of {n} took all: {sizes:?}"
            );
        }
    }
}

#[test]
fn merge_refuses_a_missing_doubled_or_foreign_shard() {
    let archive = archive(30);
    let root = archive.path().join("archive");
    let dir = |name: &str| archive.path().join(name);
    for k in 1..=3 {
        shard(&[&root], k, 3, &dir(&format!("s{k}")));
    }
    let out = dir("merged");
    let missing = merge(&[dir("s1"), dir("s3")], &out);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("shard 2 of 3 missing"),
        "{}",
        stderr(&missing)
    );
    assert!(!out.exists(), "nothing is written when the shards are not complete");

    let twice = merge(&[dir("s1"), dir("s2"), dir("s2"), dir("s3")], &out);
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        stderr(&twice).contains("shard 2/3 is given twice"),
        "{}",
        stderr(&twice)
    );

    shard(&[&root], 2, 4, &dir("other-n"));
    let mixed = merge(&[dir("s1"), dir("other-n"), dir("s3")], &out);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(stderr(&mixed).contains("number of shards N"), "{}", stderr(&mixed));

    // A shard of other settings: a different --min-severity finds other things.
    let other = run(callrisk()
        .arg("scan")
        .arg(&root)
        .args(["-q", "--shard", "2/3", "--min-severity", "high", "--out"])
        .arg(dir("other-settings")));
    assert!(other.status.code().is_some_and(|c| c <= 2));
    let foreign = merge(&[dir("s1"), dir("other-settings"), dir("s3")], &out);
    assert_eq!(foreign.status.code(), Some(2));
    assert!(stderr(&foreign).contains("--min-severity"), "{}", stderr(&foreign));
    // Or epoch times shown at another offset: the same instant would read two ways.
    let shifted = run(callrisk()
        .arg("scan")
        .arg(&root)
        .args(["-q", "--shard", "2/3", "--utc-offset", "+08:00", "--out"])
        .arg(dir("other-offset")));
    assert!(shifted.status.code().is_some_and(|c| c <= 2));
    let foreign = merge(&[dir("s1"), dir("other-offset"), dir("s3")], &out);
    assert_eq!(foreign.status.code(), Some(2), "{}", stderr(&foreign));

    // A shard of another set of inputs.
    std::fs::write(root.join("2026-11-20/迟到的录音.txt"), call(777)).unwrap();
    shard(&[&root], 2, 3, &dir("other-inputs"));
    let moved = merge(&[dir("s1"), dir("other-inputs"), dir("s3")], &out);
    assert_eq!(moved.status.code(), Some(2));
    assert!(stderr(&moved).contains("set of inputs"), "{}", stderr(&moved));

    let not_a_shard = merge(&[dir("s1"), archive.path().join("archive")], &out);
    assert_eq!(not_a_shard.status.code(), Some(2));
    assert!(
        stderr(&not_a_shard).contains("no shard.jsonl"),
        "{}",
        stderr(&not_a_shard)
    );
    assert!(!out.exists());
}

#[test]
fn bad_shard_values_are_refused_with_status_2() {
    let archive = archive(2);
    let root = archive.path().join("archive");
    for bad in ["0/4", "5/4", "4/0", "x", "2", "1/四"] {
        let output = run(callrisk()
            .arg("scan")
            .arg(&root)
            .args(["--shard", bad, "--out"])
            .arg(archive.path().join("out")));
        assert_eq!(output.status.code(), Some(2), "--shard {bad}");
        let text = stderr(&output);
        assert!(text.contains("K/N") && text.contains(bad), "--shard {bad}: {text}");
    }
    assert!(!archive.path().join("out").exists());
}

#[test]
fn shard_keeps_masked_records_and_refuses_clear_numbers() {
    let archive = archive(12);
    let root = archive.path().join("archive");
    let refused = run(callrisk()
        .arg("scan")
        .arg(&root)
        .args(["--shard", "1/1", "--no-redact", "--out"])
        .arg(archive.path().join("clear")));
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("--no-redact"), "{}", stderr(&refused));

    shard(&[&root], 1, 1, &archive.path().join("s"));
    let sidecar = std::fs::read_to_string(archive.path().join("s/shard.jsonl")).unwrap();
    assert!(
        sidecar.contains("****"),
        "the numbers agents read out are findings, masked: {sidecar}"
    );
    let reports = std::fs::read_to_string(archive.path().join("s/hits.csv")).unwrap();
    for i in 0..12 {
        let phone = phone(i);
        assert!(!sidecar.contains(&phone), "{phone} in clear in shard.jsonl");
        let masked = format!("{}****{}", &phone[..3], &phone[7..]);
        assert_eq!(sidecar.contains(&masked), reports.contains(&masked), "{masked}");
    }
    assert!(!sidecar.contains("13912345678"));
}

#[test]
fn standard_input_belongs_to_shard_one() {
    let input = call(5);
    let mut counts = Vec::new();
    for k in 1..=2 {
        let out = tempfile::tempdir().unwrap();
        let mut child = callrisk()
            .args(["scan", "-", "-q", "--shard", &format!("{k}/2"), "--out"])
            .arg(out.path().join("r"))
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        // Shard 2 may not read it: a closed pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        assert!(child.wait().unwrap().code().is_some_and(|c| c <= 2));
        counts.push(rows(&out.path().join("r/conversations.csv")).len());
    }
    assert_eq!(counts, [1, 0]);
}
