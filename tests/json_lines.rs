//! `--json` as a pipeline reads it: every stdout line a JSON object with `type` and
//! `version`, the findings equal to hits.csv row for row (typed), a conversation object per
//! row of conversations.csv, a rank object per conversation as conversations.csv ranks it, and
//! a summary last.

mod common;

use common::{callrisk, fixture, rows, stderr};
use serde_json::Value;

const CALL: &str = "\
# conversation: 00123
# agent: 0012
# time: 2026-11-22 23:41:07
[00:00:01] 坐席：您好，请问有什么可以帮您？
[00:00:05] 客户：=SUM(A1) 我都投诉了三次了，一直没人处理，我打13912345678没人接
[00:00:12] 坐席：这不归我们管，你自己去找门店
[00:00:20] 客户：再不给我修好，我就打12315投诉你们
[00:00:28] 客户：我也不想去找媒体
";

const SECOND: &str = "\
# conversation: =HYPERLINK(\"http://x\")
# agent: 0013
[00:00:05] 客户：@我投诉了好几次了，你们处理一下
[00:00:09] 坐席：-你自己去找门店
";

/// A hits.csv text cell holds the JSON text, with a leading `'` where a spreadsheet would
/// have read a formula.
fn same_text(csv: &str, json: &Value, field: &str) {
    if json[field].is_null() {
        assert_eq!(csv, "", "{field}: null in JSON is blank in the CSV");
        return;
    }
    let json = json[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is not a string: {json}"));
    let neutralised = json.starts_with(['=', '+', '-', '@']);
    let want = if neutralised {
        format!("'{json}")
    } else {
        json.to_string()
    };
    assert_eq!(csv, want, "{field}");
}

#[test]
fn json_lines_match_hits_csv_row_for_row_typed() {
    let dir = fixture(&[("calls/a.txt", CALL.as_bytes()), ("calls/b.txt", SECOND.as_bytes())]);
    let out = dir.path().join("report");
    let output = callrisk()
        .args(["scan", "--json", "-q", "--reports", "csv", "--out"])
        .arg(&out)
        .arg(dir.path().join("calls"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "-q: nothing but the JSON");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("13912345678"), "masked as in the reports");
    let objects: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    for object in &objects {
        assert_eq!(object["version"], 3, "{object}");
    }
    let of_type = |t: &str| -> Vec<&Value> { objects.iter().filter(|o| o["type"] == t).collect() };

    let findings = of_type("finding");
    let hits = rows(&out.join("hits.csv"));
    assert_eq!(findings.len(), hits.len());
    assert!(
        hits.len() >= 5,
        "the fixture has findings of both calls: {}",
        hits.len()
    );
    for (json, csv) in findings.iter().zip(&hits) {
        for field in [
            "file",
            "conversation",
            "speaker",
            "category",
            "severity",
            "term",
            "matched",
            "context",
        ] {
            same_text(&csv[field], json, field);
        }
        assert_eq!(json["line"], csv["line"].parse::<u64>().unwrap());
        // No time is null, as for a conversation, not an empty text.
        match csv["time"].as_str() {
            "" => assert!(json["time"].is_null(), "{json}"),
            _ => same_text(&csv["time"], json, "time"),
        }
        for flag in ["negated", "counted", "conditional"] {
            assert_eq!(json[flag], csv[flag] == "true", "{flag}");
        }
        assert_eq!(json["counted"], !json["negated"].as_bool().unwrap());
        match csv["reason"].as_str() {
            "" => assert!(json["reason"].is_null()),
            reason => assert_eq!(json["reason"], reason),
        }
        match csv["count"].as_str() {
            "" => assert!(json["count"].is_null()),
            count => assert_eq!(json["count"], count.parse::<u64>().unwrap()),
        }
        match csv["count_said"].as_str() {
            "" => assert!(json["count_said"].is_null()),
            said => assert_eq!(json["count_said"], said),
        }
    }
    // The count said in words stays words; the negated media threat does not count.
    assert!(findings.iter().any(|f| f["count_said"] == "好几"));
    assert!(
        findings
            .iter()
            .any(|f| f["category"] == "threat.media" && f["counted"] == false && f["reason"] == "negated")
    );

    let conversations = of_type("conversation");
    let csv_conversations = rows(&out.join("conversations.csv"));
    assert_eq!(conversations.len(), csv_conversations.len());
    for (json, csv) in conversations.iter().zip(&csv_conversations) {
        same_text(&csv["conversation"], json, "conversation");
        same_text(&csv["agent"], json, "agent");
        assert_eq!(json["risk_level"], csv["risk_level"].as_str());
        assert_eq!(json["score"], csv["score"].parse::<u64>().unwrap());
        assert_eq!(json["turns"], csv["turns"].parse::<u64>().unwrap());
        assert_eq!(json["duration_s"], csv["duration_s"].parse::<u64>().unwrap());
        let categories: Vec<&str> = json["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(categories.join(";"), csv["categories"]);
    }
    // The QA sheet, typed, as scorecard.csv has it.
    let sheet = rows(&out.join("scorecard.csv"));
    assert_eq!(conversations.len(), sheet.len());
    for (json, csv) in conversations.iter().zip(&sheet) {
        match csv["score"].as_str() {
            "" => assert!(json["qa_score"].is_null(), "not scored: {json}"),
            score => assert_eq!(json["qa_score"], score.parse::<u64>().unwrap()),
        }
        assert_eq!(json["qa_fatal"], csv["fatal"] == "true");
        assert_eq!(json["qa_deductions"], csv["deductions"].as_str());
    }
    // From the first turn's start to the last one's: [00:00:01] … [00:00:28].
    assert_eq!(conversations[0]["duration_s"], 27);
    assert_eq!(conversations[0]["agent"], "0012", "ids stay text");
    assert_eq!(conversations[0]["time"], "2026-11-22 23:41:07");
    assert!(conversations[1]["time"].is_null());

    // Once every conversation is in: one rank object each, most urgent first, the rank
    // conversations.csv gives the same conversation; after the last conversation object.
    let ranks = of_type("rank");
    assert_eq!(ranks.len(), csv_conversations.len());
    for (place, json) in ranks.iter().enumerate() {
        assert_eq!(json["rank"], place as u64 + 1);
        let csv = csv_conversations
            .iter()
            .find(|c| {
                c["file"] == json["file"].as_str().unwrap()
                    && json["conversation"] == c["conversation"].trim_start_matches('\'')
            })
            .unwrap_or_else(|| panic!("no conversations.csv row for {json}"));
        assert_eq!(json["rank"], csv["rank"].parse::<u64>().unwrap(), "{json}");
        assert_eq!(json["risk_level"], csv["risk_level"].as_str());
    }
    assert_eq!(ranks[0]["risk_level"], "critical", "the worst call first");
    let first_rank = objects.iter().position(|o| o["type"] == "rank").unwrap();
    let last_conversation = objects.iter().rposition(|o| o["type"] == "conversation").unwrap();
    assert!(first_rank > last_conversation);

    let last = objects.last().unwrap();
    assert_eq!(last["type"], "summary");
    assert_eq!(last["conversations"], 2);
    assert_eq!(last["inputs"], 2);
    assert_eq!(last["conversations_by_risk"]["critical"], 1);
    let counted = hits
        .iter()
        .filter(|h| h["counted"] == "true" && h["category"] == "threat.regulator");
    assert_eq!(last["counted_findings"]["threat.regulator"], counted.count());
}

#[test]
fn no_reports_writes_only_the_stream() {
    let dir = fixture(&[("calls/a.txt", CALL.as_bytes())]);
    let out = dir.path().join("report");
    let output = callrisk()
        .args(["scan", "--json", "--no-reports", "-q", "--out"])
        .arg(&out)
        .arg(dir.path().join("calls"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!out.exists(), "no report folder");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let last: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["type"], "summary");
}

/// A nightly job whose stdout is a full disk: the run fails with status 2 and says it is
/// stdout that cannot be written, not the report folder (which it never touched).
#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_named_as_stdout() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let output = common::callrisk()
        .args(["scan", "--json", "-q", "--no-reports", "samples"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
    assert!(!stderr.contains("cannot write reports"), "{stderr}");
}

/// A call that names no agent or customer: `null` in the JSON, as the schema says of an absent
/// value, where conversations.csv has a blank cell.
#[test]
fn an_absent_agent_or_customer_is_null() {
    let dir = fixture(&[(
        "calls/c.txt",
        "客户：我要去12315投诉你们\n坐席：您先别着急\n".as_bytes(),
    )]);
    let output = callrisk()
        .args(["scan", "--json", "-q", "--no-reports"])
        .arg(dir.path().join("calls"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let conversation: Value = stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["type"] == "conversation")
        .unwrap();
    assert!(
        conversation["agent"].is_null() && conversation["customer"].is_null(),
        "{conversation}"
    );
}
