//! `callrisk explain`: what QA reads to understand a verdict.

mod common;

use common::{callrisk, fixture};

const CALL: &str = "\
# conversation: C-9
[00:00:02] 客户：你放心，我不会去找媒体的
[00:00:09] 客户：再不给我退款，我就打12315投诉你们
[00:00:15] 坐席：他的电话是13912345678，您自己联系吧
[00:00:20] 坐席：您可以在手机里看多媒体文件
";

#[test]
fn every_finding_is_shown_with_its_rule_and_verdict() {
    let dir = fixture(&[("c.txt", CALL.as_bytes())]);
    let output = callrisk()
        .args(["explain", "--color", "never"])
        .arg(dir.path().join("c.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("conversation C-9"), "{text}");
    assert!(text.contains("customer: 你放心，我不会去[找媒体]的"), "{text}");
    assert!(
        text.contains("threat.media high «找媒体» does not count: negated — dictionaries/threat.media.toml:"),
        "{text}"
    );
    // The longest finding of the line wins: a regulator pattern, shown as written, with its
    // whole match marked in the line.
    assert!(text.contains("我就[打12315投诉]你们"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("threat.regulator critical «") && l.contains("» counts, conditional")),
        "{text}"
    );
    assert!(text.contains("139****5678"), "numbers are masked: {text}");
    assert!(!text.contains("13912345678"), "{text}");
    assert!(!text.contains("\x1b["), "no colour when asked for none");
    assert!(
        !text.contains("not a finding"),
        "dropped candidates only with --verbose: {text}"
    );
}

#[test]
fn verbose_shows_dropped_candidates_and_colour_respects_no_color() {
    let dir = fixture(&[("c.txt", CALL.as_bytes())]);
    let output = callrisk()
        .args(["explain", "-v", "--color", "always"])
        .arg(dir.path().join("c.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("not a finding: part of a longer word"), "{text}");
    assert!(text.contains("\x1b[1;31m"), "colour when asked");
    let output = callrisk()
        .args(["explain", "--color", "always"])
        .env("NO_COLOR", "1")
        .arg(dir.path().join("c.txt"))
        .output()
        .unwrap();
    assert!(
        !String::from_utf8(output.stdout).unwrap().contains("\x1b["),
        "NO_COLOR wins"
    );
}

#[test]
fn an_unreadable_file_is_exit_two_with_a_message() {
    let output = callrisk().args(["explain", "/no/such/call.txt"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("callrisk: /no/such/call.txt: cannot open"));
}

/// The README's example picks a conversation of the sample chat log by its id; a wrong id is
/// told with the ids the file does hold.
#[test]
fn one_conversation_of_a_chat_log_by_id_and_a_wrong_id_lists_the_right_ones() {
    let output = callrisk()
        .args(["explain", "--color", "never", "--conversation", "S20261122-001"])
        .arg("samples/formats/chat_sessions.jsonl")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("conversation S20261122-001"), "{text}");
    assert!(!text.contains("S20261122-002"), "{text}");
    let output = callrisk()
        .args(["explain", "--conversation", "S1", "samples/formats/chat_sessions.jsonl"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no conversation `S1` among its 2 conversations (`S20261122-001`, `S20261122-002`)"),
        "{stderr}"
    );
}

/// A path copied from a report names a recording after the caller's number masked: explain
/// finds the one file that shows as that name, and says so when two do.
#[test]
fn a_path_as_the_reports_show_it_finds_its_file() {
    let dir = fixture(&[("calls/13912345678_1122.txt", CALL.as_bytes())]);
    let shown = dir.path().join("calls/139****5678_1122.txt");
    let output = callrisk()
        .args(["explain", "--color", "never"])
        .arg(format!("{}:3", shown.display()))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("conversation C-9"), "{text}");
    assert!(
        text.contains(">   3  [00:00:09] customer:"),
        "the line asked for is marked: {text}"
    );
    assert!(!text.contains("13912345678"), "{text}");

    std::fs::write(dir.path().join("calls/13900005678_1122.txt"), CALL).unwrap();
    let output = callrisk().args(["explain"]).arg(&shown).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("2 files in") && stderr.contains("give the file's own name"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("13912345678") && !stderr.contains("13900005678"),
        "{stderr}"
    );

    // A folder named after a customer's number is masked in that message too.
    let folder = dir.path().join("客户13811112222");
    std::fs::create_dir(&folder).unwrap();
    for name in ["13912345678_1122.txt", "13900005678_1122.txt"] {
        std::fs::write(folder.join(name), CALL).unwrap();
    }
    let output = callrisk()
        .args(["explain"])
        .arg(folder.join("139****5678_1122.txt"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("2 files in"), "{stderr}");
    assert!(!stderr.contains("13811112222"), "{stderr}");
}
