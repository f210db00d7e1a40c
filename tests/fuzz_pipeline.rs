//! Fuzzing the whole pipeline: random calls built from what breaks Chinese text handling —
//! numerals 零一二…幺两 read out, separators `-_·~ `, digits, the markers 不/如果/说, real
//! lexicon terms, emoji, combining marks, NUL, control characters, formula starters and phone
//! numbers — written as transcripts and chat logs and scanned end to end, reports and all.
//!
//! Every run must: return (no panic anywhere, and no input failed by an isolated panic),
//! account for every input (scanned + failed = inputs), write a complete report set, and leak
//! nothing: no unmasked phone number and no live formula in any report; the workbook reads
//! back with the CSVs' texts; and every conversation
//! gets a score on the QA sheet within 0–100, 0 when a fatal item occurred. The same calls
//! with a customer and a call time go through `--ledger` twice (a night and its rerun): the
//! run completes, the rerun writes the same bytes, and no phone number is in the ledger in clear.
//!
//! `cargo test --test fuzz_pipeline` runs 48 cases; for a longer run:
//! `PROPTEST_CASES=5000 cargo test --release --test fuzz_pipeline`.

use std::path::{Path, PathBuf};

use callrisk::cli::{Cli, Command};
use callrisk::config::ScanConfig;
use callrisk::pipeline;
use clap::Parser;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "零",
    "一",
    "二",
    "两",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "幺",
    "洞",
    "〇",
    "1",
    "3",
    "5",
    "8",
    "9",
    "0",
    "-",
    "_",
    "·",
    "~",
    " ",
    "　",
    "，",
    "。",
    "不",
    "没",
    "如果",
    "的话",
    "说",
    "就",
    "再不",
    "否则",
    "12315",
    "消协",
    "投诉",
    "曝光",
    "记者",
    "发微博",
    "拉横幅",
    "起诉",
    "律师",
    "领导",
    "爆炸",
    "跳楼",
    "投诉了三次",
    "一定给您解决",
    "质量问题",
    "你听不懂吗",
    "撤销投诉",
    "您可以去12315投诉",
    "不归我们管",
    "13912345678",
    "139 1234 5678",
    "幺三九幺二三四五六七八",
    "110105194912310021",
    "😀",
    "👨‍👩‍👧",
    "\u{301}",
    "e\u{301}",
    "\u{0}",
    "\u{1b}[2J",
    "\u{202e}",
    "=2+2",
    "+86",
    "@SUM(A1)",
    "_x0041_",
    "<b>&amp;",
    "\u{FFFE}",
    "\t",
    "乾隆",
    "著",
    "ＣＣＴＶ",
    "１２３１５",
    "\"",
    "'",
    "\\",
    "{",
    "}",
    ",",
    "\r",
];

fn utterance() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..16).prop_map(|parts| parts.concat())
}

fn call() -> impl Strategy<Value = Vec<(bool, String)>> {
    prop::collection::vec((any::<bool>(), utterance()), 1..8)
}

/// The settings of `callrisk scan` once (dictionaries and jieba are built once), re-aimed
/// at each case's inputs and report folder.
fn base_config() -> ScanConfig {
    let cli = Cli::parse_from(["callrisk", "scan", "-q", "-j", "2", "x"]);
    match cli.command {
        Command::Scan(args) => ScanConfig::from_args(args).expect("built-in dictionaries load"),
        _ => unreachable!(),
    }
}

/// One call as a plain transcript and as a JSON Lines chat log.
fn write_inputs(dir: &Path, calls: &[Vec<(bool, String)>]) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut log = String::new();
    for (i, call) in calls.iter().enumerate() {
        let mut text = format!("# conversation: C{i}-13812345678\n# agent: 0{i}\n");
        for (agent, said) in call {
            let label = if *agent { "客服" } else { "客户" };
            text.push_str(&format!("{label}：{said}\n"));
            let role = if *agent { "agent" } else { "customer" };
            let message = serde_json::json!({"session_id": format!("S{}", i % 3), "role": role, "content": said});
            log.push_str(&message.to_string());
            log.push('\n');
        }
        let path = dir.join(format!("call_{i}_13912345678.txt"));
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let path = dir.join("chat.jsonl");
    std::fs::write(&path, log).unwrap();
    paths.push(path);
    paths
}

/// Phone numbers in clear: eleven digits starting 1[3-9] not inside a longer digit run.
fn unmasked_phone(text: &str) -> Option<String> {
    let digits: Vec<(usize, char)> = text.char_indices().collect();
    let mut run = String::new();
    for (_, c) in digits.iter().chain(std::iter::once(&(text.len(), ' '))) {
        if c.is_ascii_digit() {
            run.push(*c);
            continue;
        }
        if run.len() == 11 && run.starts_with('1') && matches!(run.as_bytes()[1], b'3'..=b'9') {
            return Some(run);
        }
        run.clear();
    }
    None
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn any_calls_scan_end_to_end_without_panic_loss_or_leak(calls in prop::collection::vec(call(), 1..4)) {
        thread_local! {
            static CONFIG: std::cell::RefCell<Option<ScanConfig>> = const { std::cell::RefCell::new(None) };
        }
        let dir = tempfile::tempdir().unwrap();
        let inputs = write_inputs(dir.path(), &calls);
        let out = dir.path().join("report");
        let outcome = CONFIG.with(|cell| {
            let mut cell = cell.borrow_mut();
            let config = cell.get_or_insert_with(base_config);
            config.inputs = inputs.clone();
            config.out_dir = Some(out.clone());
            pipeline::scan(config)
        }).expect("the run completes");
        prop_assert_eq!(outcome.inputs, inputs.len());
        prop_assert_eq!(outcome.scanned + outcome.failed, inputs.len());
        for name in [
            "hits.csv",
            "conversations.csv",
            "agents.csv",
            "errors.csv",
            "scorecard.csv",
        ] {
            let text = std::fs::read_to_string(out.join(name)).unwrap();
            prop_assert!(!text.contains("internal error"), "{}: {}", name, text);
            if let Some(phone) = unmasked_phone(&text) {
                prop_assert!(false, "{} leaks {}: {}", name, phone, text);
            }
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
            for record in reader.records() {
                for cell in record.unwrap().iter() {
                    let first = cell.trim_start_matches(' ').chars().next();
                    prop_assert!(
                        !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                        "{} has a live formula cell {:?}", name, cell
                    );
                    prop_assert!(cell.chars().count() <= 32_767);
                }
            }
        }
        // The workbook reads back as the CSVs say: one findings row per hits.csv row, each text
        // cell the CSV's (without the `'` a CSV puts before a formula), and nothing in clear.
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("report.xlsx")).expect("report.xlsx opens");
        let findings = calamine::Reader::worksheet_range(&mut book, "findings").expect("a findings sheet");
        let mut hits = csv::Reader::from_path(out.join("hits.csv")).unwrap();
        let header = hits.headers().unwrap().clone();
        let hits: Vec<csv::StringRecord> = hits.records().map(Result::unwrap).collect();
        let mut rows = findings.rows();
        let names: Vec<String> = rows.next().expect("a header row").iter().map(|c| c.to_string()).collect();
        let rows: Vec<_> = rows.collect();
        prop_assert_eq!(rows.len(), hits.len(), "one findings row per finding");
        for (row, hit) in rows.iter().zip(&hits) {
            for column in ["file", "conversation", "term", "matched", "context", "hit_id"] {
                let at = names.iter().position(|n| n == column).unwrap();
                let in_sheet = row[at].to_string();
                let in_csv = &hit[header.iter().position(|n| n == column).unwrap()];
                prop_assert!(
                    in_csv == in_sheet || in_csv.strip_prefix('\'') == Some(in_sheet.as_str()),
                    "{}: workbook {:?}, hits.csv {:?}", column, in_sheet, in_csv
                );
            }
        }
        for name in calamine::Reader::sheet_names(&book) {
            let range = calamine::Reader::worksheet_range(&mut book, &name).unwrap();
            for cell in range.used_cells() {
                if let Some(phone) = unmasked_phone(&cell.2.to_string()) {
                    prop_assert!(false, "sheet {} leaks {}", name, phone);
                }
            }
        }
        // Every conversation has a row on the sheet: a score within 0–100, 0 when fatal, or
        // (where no line is known to be the agent's and nothing fatal was found) no score.
        let mut sheet = csv::Reader::from_path(out.join("scorecard.csv")).unwrap();
        let mut scored = 0;
        for record in sheet.records() {
            let record = record.unwrap();
            if record[3].is_empty() {
                prop_assert_eq!(&record[4], "false", "not scored, so not fatal: {:?}", record);
                scored += 1;
                continue;
            }
            let score: u32 = record[3].parse().unwrap();
            prop_assert!(score <= 100, "score {}", score);
            if &record[4] == "true" {
                prop_assert_eq!(score, 0, "a fatal item zeroes the call: {:?}", record);
            }
            scored += 1;
        }
        prop_assert_eq!(scored, outcome.conversations);
    }
}

/// `callrisk scan --ledger`, built once; the ledger's path is set per case.
fn ledger_config() -> ScanConfig {
    let cli = Cli::parse_from(["callrisk", "scan", "-q", "-j", "2", "--ledger", "ledger.db", "x"]);
    match cli.command {
        Command::Scan(args) => ScanConfig::from_args(args).expect("built-in dictionaries load"),
        _ => unreachable!(),
    }
}

/// The calls as transcripts of one customer (written two ways), on one night, in call-time order.
fn write_keyed_calls(dir: &Path, calls: &[Vec<(bool, String)>]) -> Vec<PathBuf> {
    calls
        .iter()
        .enumerate()
        .map(|(i, call)| {
            let customer = if i % 2 == 0 { "139 1234 5670" } else { "+86 13912345670" };
            let mut text = format!("# conversation: K{i}\n# customer: {customer}\n# time: 2026-11-1{i} 10:0{i}:00\n");
            for (agent, said) in call {
                text.push_str(&format!("{}：{said}\n", if *agent { "客服" } else { "客户" }));
            }
            let path = dir.join(format!("keyed_{i}.txt"));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 4 + 1, ..ProptestConfig::default() })]

    #[test]
    fn any_calls_through_the_ledger_twice_complete_identically_and_leak_nothing(calls in prop::collection::vec(call(), 1..7)) {
        thread_local! {
            static CONFIG: std::cell::RefCell<Option<ScanConfig>> = const { std::cell::RefCell::new(None) };
        }
        let dir = tempfile::tempdir().unwrap();
        let calls_dir = dir.path().join("night");
        std::fs::create_dir(&calls_dir).unwrap();
        write_keyed_calls(&calls_dir, &calls);
        let ledger = dir.path().join("ledger.db");
        let mut reports = Vec::new();
        for run in ["first", "again"] {
            let out = dir.path().join(run);
            let outcome = CONFIG.with(|cell| {
                let mut cell = cell.borrow_mut();
                let config = cell.get_or_insert_with(ledger_config);
                config.inputs = vec![calls_dir.clone()];
                config.out_dir = Some(out.clone());
                config.ledger.as_mut().expect("--ledger").path = ledger.clone();
                pipeline::scan(config)
            }).expect("the run completes");
            prop_assert_eq!(outcome.scanned + outcome.failed, calls.len());
            let mut set = Vec::new();
            for name in ["hits.csv", "conversations.csv", "repeats.csv"] {
                set.push(std::fs::read(out.join(name)).unwrap());
            }
            reports.push(set);
        }
        prop_assert_eq!(&reports[0], &reports[1], "a rerun writes the same bytes");
        for file in ["ledger.db", "ledger.db-wal", "ledger.db.key"] {
            let bytes = std::fs::read(dir.path().join(file)).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            prop_assert!(!text.contains("13912345670") && !text.contains("139 1234"), "{} holds the phone", file);
        }
    }
}
