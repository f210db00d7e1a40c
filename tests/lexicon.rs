//! Dictionaries a user edits: errors that name file, line and the fix; `lexicon test/check`.

mod common;

use common::{callrisk, fixture, rows, scan, stderr};

#[test]
fn a_bad_lexicon_line_names_file_line_and_fix_and_scans_nothing() {
    let dir = fixture(&[
        (
            "dicts/mine.toml",
            "category = \"threat.medai\"\n[[rule]]\nterms = [\"记者\"]\n".as_bytes(),
        ),
        ("a.txt", "客户：我要找记者".as_bytes()),
    ]);
    let out = dir.path().join("report");
    let output = scan(
        &out,
        &[
            dir.path().join("a.txt").to_str().unwrap(),
            "--lexicon",
            dir.path().join("dicts").to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("mine.toml line 1: unknown category `threat.medai` (did you mean threat.media?)"),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|line| line.starts_with("  ") && line.contains("mine.toml line 1")),
        "one problem a line, not an escaped `\\n`: {err}"
    );
    assert!(!out.join("hits.csv").exists());
}

#[test]
fn user_dictionary_adds_to_or_replaces_the_builtin_one() {
    let dir = fixture(&[
        (
            "dicts/extra.toml",
            "category = \"threat.media\"\n[[rule]]\nterms = [\"新闻联播\"]\n".as_bytes(),
        ),
        ("a.txt", "客户：我要上新闻联播\n客户：我要去12315投诉\n".as_bytes()),
    ]);
    let input = dir.path().join("a.txt");
    let dicts = dir.path().join("dicts");
    let out = dir.path().join("added");
    scan(&out, &[input.to_str().unwrap(), "--lexicon", dicts.to_str().unwrap()]);
    let categories: Vec<String> = rows(&out.join("hits.csv"))
        .into_iter()
        .map(|r| r["category"].clone())
        .collect();
    assert_eq!(categories, ["threat.media", "threat.regulator"]);
    let out = dir.path().join("replaced");
    scan(
        &out,
        &[
            input.to_str().unwrap(),
            "--lexicon",
            dicts.to_str().unwrap(),
            "--no-builtin",
        ],
    );
    let categories: Vec<String> = rows(&out.join("hits.csv"))
        .into_iter()
        .map(|r| r["category"].clone())
        .collect();
    assert_eq!(categories, ["threat.media"]);
}

#[test]
fn lexicon_test_reports_the_failing_rule_and_sentence() {
    let dir = fixture(&[(
        "dicts/t.toml",
        "category = \"threat.media\"\n[[rule]]\nterms = [\"记者\"]\nexamples = [\"我要找记者\", \"我要上电视台\"]\n"
            .as_bytes(),
    )]);
    let output = callrisk()
        .args(["lexicon", "test", "--no-builtin"])
        .arg(dir.path().join("dicts"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("t.toml:3 (threat.media): example not found: 我要上电视台"),
        "{text}"
    );
    assert!(text.ends_with("1 passed, 1 failed\n"), "{text}");
}

#[test]
fn shipped_dictionaries_pass_test_and_check() {
    let output = callrisk().args(["lexicon", "test"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let output = callrisk().args(["lexicon", "check"]).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
