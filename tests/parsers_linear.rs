//! Parsers at scale and at their edges (issue 9): large JSON documents read whole with every
//! sentence at its line, a `\u0000` that must not stop the scan, FunASR results without
//! `sentence_info`, and CSV rows whose text would otherwise be lost.
//!
//! That locating lines stays linear is checked where the work is counted, beside the code
//! (`input::json_doc`, `whisper`, `jsonl`): a count, unlike a timing, does not depend on
//! the machine. These tests run the real readers and the binary on the same shapes.

mod common;

use callrisk::input::{Event, ParseConfig, read_bytes};
use common::{fixture, rows, scan};

/// (line, reason) of each problem.
type Problems = Vec<(Option<usize>, String)>;

/// (line, text) of every utterance of `bytes` read as a file with `extension`, and the
/// problems.
fn read(bytes: &[u8], extension: &str) -> (Vec<(usize, String)>, Problems) {
    let (mut utterances, mut problems) = (Vec::new(), Vec::new());
    read_bytes(
        bytes,
        Some(extension),
        &ParseConfig::default(),
        &mut |event| match event {
            Event::Conversation(c) => utterances.extend(c.utterances.into_iter().map(|u| (u.line, u.text))),
            Event::Problem { line, reason } => problems.push((line, reason)),
        },
    )
    .unwrap();
    (utterances, problems)
}

#[test]
fn fifty_thousand_whisper_segments_each_at_its_line() {
    let segments: Vec<String> = (0..50_000)
        .map(|i| format!("    {{\"start\": {i}.0, \"text\": \"\\u518d\\u4e0d\\u8655\\u7406\\u6211\\u5c31\\u53bb\\u6295\\u8a34 {i}\"}}"))
        .collect();
    let raw = format!("{{\n  \"segments\": [\n{}\n  ]\n}}\n", segments.join(",\n"));
    let (utterances, problems) = read(raw.as_bytes(), "json");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(utterances.len(), 50_000);
    for (i, (line, text)) in utterances.iter().enumerate() {
        assert_eq!(
            (*line, text.as_str()),
            (i + 3, format!("再不處理我就去投訴 {i}").as_str())
        );
    }
}

#[test]
fn a_four_megabyte_chat_array_each_message_at_its_line() {
    let mut raw = String::from("[\n");
    let mut count = 0;
    while raw.len() < 4 << 20 {
        raw.push_str(&format!(
            "  {{\"session_id\": \"S{}\", \"role\": \"customer\", \"content\": \"不给我退款我就去消协投诉，第{count}次了\"}},\n",
            count / 20
        ));
        count += 1;
    }
    raw.push_str("  {\"session_id\": \"END\", \"role\": \"agent\", \"content\": \"您别着急\"}\n]\n");
    let (utterances, problems) = read(raw.as_bytes(), "json");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(utterances.len(), count + 1);
    let lines: Vec<usize> = utterances.iter().map(|(line, _)| *line).collect();
    assert!(
        lines.iter().enumerate().all(|(i, line)| *line == i + 2),
        "lines out of place"
    );
}

#[test]
fn one_eight_megabyte_segment_at_line_one() {
    let text = "我要投诉你们，".repeat((8 << 20) / 21);
    let raw = format!("{{\"segments\": [{{\"start\": 0, \"text\": \"{text}\"}}]}}");
    let (utterances, _) = read(raw.as_bytes(), "json");
    assert_eq!(utterances.len(), 1);
    assert_eq!(utterances[0].0, 1);
    assert_eq!(utterances[0].1.len(), text.len());
}

/// (conversation, line, category) of every hit.
fn hits(out: &std::path::Path) -> Vec<(String, String, String)> {
    rows(&out.join("hits.csv"))
        .into_iter()
        .map(|r| (r["conversation"].clone(), r["line"].clone(), r["category"].clone()))
        .collect()
}

/// (line, reason) of every row of errors.csv.
fn errors(out: &std::path::Path) -> Vec<(String, String)> {
    rows(&out.join("errors.csv"))
        .into_iter()
        .map(|r| (r["line"].clone(), r["reason"].clone()))
        .collect()
}

#[test]
fn a_nul_in_json_text_does_not_stop_the_scan() {
    // A NUL after a full-width letter once put a hit's span inside a character: a panic
    // that ended the whole run without a report.
    let whisper = "{\"segments\": [{\"start\": 0, \"text\": \"ｆ\\u0000我要曝光给媒体\"}]}";
    let log = "{\"session_id\":\"S1\",\"role\":\"customer\",\"content\":\"ｆ\\u0000我要去消协投诉\"}\n";
    let dir = fixture(&[("call.json", whisper.as_bytes()), ("chat.jsonl", log.as_bytes())]);
    let out = dir.path().join("r");
    let output = scan(&out, &[dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    assert_eq!(
        hits(&out),
        [
            ("call".into(), "1".into(), "threat.media".into()),
            ("S1".into(), "1".into(), "threat.regulator".into())
        ]
    );
    let report = std::fs::read(out.join("hits.csv")).unwrap();
    assert!(!report.contains(&0), "a NUL byte in hits.csv");
}

#[test]
fn a_funasr_result_without_sentence_info_is_scanned_from_its_text() {
    let results = concat!(
        "[{\"key\": \"rec_01\", \"text\": \"您好，售后服务中心。\", \"sentence_info\": [\n",
        "   {\"text\": \"您好，售后服务中心。\", \"start\": 300, \"end\": 1500, \"spk\": 0}]},\n",
        " {\"key\": \"rec_02\", \"text\": \"你们再不退款我就去消协投诉\"}]\n",
    );
    let dir = fixture(&[("batch.json", results.as_bytes())]);
    let out = dir.path().join("r");
    scan(&out, &[dir.path().join("batch.json").to_str().unwrap()]);
    let hits = hits(&out);
    assert!(
        hits.iter()
            .all(|(id, line, _)| (id.as_str(), line.as_str()) == ("rec_02", "3")),
        "{hits:?}"
    );
    assert!(
        hits.contains(&("rec_02".into(), "3".into(), "threat.regulator".into())),
        "{hits:?}"
    );
    assert!(errors(&out).is_empty());
}

#[test]
fn a_csv_text_with_a_comma_is_read_whole() {
    let export = "会话ID,角色,内容\nA1,客户,我要投诉,你们不处理我就打12315\n";
    let dir = fixture(&[("export.csv", export.as_bytes())]);
    let out = dir.path().join("r");
    let output = scan(&out, &[dir.path().join("export.csv").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(hits(&out), [("A1".into(), "2".into(), "threat.regulator".into())]);
}

#[test]
fn a_csv_quote_never_closed_is_reported_and_the_rows_after_it_scanned() {
    let export = concat!(
        "会话ID,角色,内容\n",
        "A1,客户,\"我家热水器漏电，\n",
        "A1,坐席,您好，请问有什么可以帮您\n",
        "A1,客户,再不处理我就去法院起诉你们\n",
        "A2,客户,\"我要找记者曝光\n",
        "你们等着\"\n",
    );
    let dir = fixture(&[("export.csv", export.as_bytes())]);
    let out = dir.path().join("r");
    let output = scan(&out, &[dir.path().join("export.csv").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let errors = errors(&out);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "2");
    assert!(
        errors[0].1.starts_with("a quote opened here is never closed"),
        "{errors:?}"
    );
    // The row with the open quote, the rows after it and a properly quoted two-line text
    // are all scanned.
    assert_eq!(
        hits(&out),
        [
            ("A1".into(), "2".into(), "threat.safety".into()),
            ("A1".into(), "4".into(), "threat.legal".into()),
            ("A2".into(), "5".into(), "threat.media".into())
        ]
    );
}
