//! Every input format, scanned as a user would: the findings with their line, time and speaker.

mod common;

use common::{fixture, rows, scan, stderr};

type Row = (String, String, String, String, String);

/// (conversation, line, time, speaker, category) of counted findings in `hits.csv`.
fn counted(out: &std::path::Path) -> Vec<Row> {
    rows(&out.join("hits.csv"))
        .into_iter()
        .filter(|r| r["negated"] == "false")
        .map(|r| {
            (
                r["conversation"].clone(),
                r["line"].clone(),
                r["time"].clone(),
                r["speaker"].clone(),
                r["category"].clone(),
            )
        })
        .collect()
}

fn row(c: &str, l: &str, t: &str, s: &str, k: &str) -> Row {
    (c.into(), l.into(), t.into(), s.into(), k.into())
}

fn scan_sample(name: &str, extra: &[&str]) -> Vec<Row> {
    let out = tempfile::tempdir().unwrap();
    let path = format!("samples/formats/{name}");
    let mut args = vec![path.as_str()];
    args.extend_from_slice(extra);
    let output = scan(out.path(), &args);
    assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
    counted(out.path())
}

#[test]
fn jsonl_chat_log_grouped_by_session() {
    let got = scan_sample("chat_sessions.jsonl", &[]);
    assert_eq!(
        got,
        [
            row(
                "S20261122-001",
                "4",
                "2026-11-22 10:02:15",
                "customer",
                "threat.regulator"
            ),
            row(
                "S20261122-001",
                "6",
                "2026-11-22 10:03:05",
                "agent",
                "taboo.overpromise"
            ),
            row("S20261122-002", "5", "2026-11-22 10:02:40", "agent", "taboo.deflect"),
        ]
    );
}

#[test]
fn gbk_csv_export_with_chinese_headers() {
    let got = scan_sample("chat_export_gbk.csv", &[]);
    assert_eq!(
        got,
        [
            row("C-7781", "2", "2026-11-22 11:20:03", "customer", "threat.safety"),
            row("C-7781", "3", "2026-11-22 11:20:40", "agent", "taboo.admit_defect"),
            row("C-7781", "4", "2026-11-22 11:21:15", "customer", "threat.online"),
        ]
    );
    let out = tempfile::tempdir().unwrap();
    scan(out.path(), &["samples/formats/chat_export_gbk.csv"]);
    let agents = rows(&out.path().join("agents.csv"));
    assert_eq!(agents[0]["agent"], "2207");
}

#[test]
fn funasr_json_and_printed_python_repr() {
    let got = scan_sample("funasr_result.json", &["--agent-channel", "0"]);
    assert_eq!(
        got,
        [
            row("rec_20261122_0931", "8", "00:00:04.800", "customer", "threat.repeat"),
            row("rec_20261122_0931", "9", "00:00:07.300", "customer", "threat.regulator"),
        ]
    );
    let got = scan_sample("funasr_printed.txt", &["--agent-channel", "0"]);
    assert_eq!(
        got,
        [
            row("rec_20261122_1045", "1", "00:00:01.800", "customer", "threat.media"),
            row("rec_20261122_1045", "1", "00:00:06.500", "agent", "taboo.deflect"),
        ]
    );
}

#[test]
fn whisper_with_escaped_traditional_chinese() {
    assert!(
        std::fs::read_to_string("samples/formats/whisper_result.json")
            .unwrap()
            .contains("\\u")
    );
    let got = scan_sample("whisper_result.json", &["--agent-channel", "0"]);
    assert_eq!(
        got,
        [
            row("whisper_result", "16", "00:00:03.100", "customer", "threat.safety"),
            row("whisper_result", "23", "00:00:07.900", "customer", "threat.legal"),
        ]
    );
}

#[test]
fn cloud_asr_results_with_channels() {
    let got = scan_sample("aliyun_result.json", &["--agent-channel", "0"]);
    assert_eq!(
        got,
        [
            row("aliyun_result", "16", "00:00:02.600", "customer", "threat.protest"),
            row("aliyun_result", "23", "00:00:07.100", "agent", "taboo.impatience"),
        ]
    );
    let got = scan_sample("tencent_result.json", &["--agent-channel", "0"]);
    assert_eq!(
        got,
        [
            row("tencent_result", "22", "00:00:06.500", "agent", "taboo.privacy"),
            row("tencent_result", "28", "00:00:10.600", "customer", "threat.regulator"),
        ]
    );
}

#[test]
fn without_a_channel_mapping_speakers_are_unknown_and_findings_still_reported() {
    let got = scan_sample("tencent_result.json", &[]);
    assert!(got.iter().all(|r| r.3 == "unknown"), "{got:?}");
    assert!(got.iter().any(|r| r.4 == "threat.regulator") && got.iter().any(|r| r.4 == "taboo.privacy"));
}

#[test]
fn subtitles_srt_and_vtt() {
    let got = scan_sample("call_subtitles.srt", &[]);
    assert_eq!(
        got,
        [
            row("call_subtitles", "7", "00:00:04.000", "customer", "threat.safety"),
            row("call_subtitles", "11", "00:00:08.500", "customer", "threat.online"),
            row("call_subtitles", "15", "00:00:11.300", "agent", "taboo.overpromise"),
        ]
    );
    let got = scan_sample("call_subtitles.vtt", &[]);
    assert_eq!(
        got,
        [
            row("call_subtitles", "9", "00:00:03.200", "customer", "threat.repeat"),
            row("call_subtitles", "9", "00:00:03.200", "customer", "threat.management"),
            row("call_subtitles", "12", "00:00:08.000", "agent", "taboo.incite"),
        ]
    );
}

#[test]
fn numeric_roles_map_by_label_and_columns_by_flag() {
    let csv = "sid,who,words\nA1,0,再不处理我就报警\nA1,1,你去告吧\n";
    let dir = fixture(&[("export.csv", csv.as_bytes())]);
    let out = dir.path().join("r");
    let input = dir.path().join("export.csv");
    let output = scan(
        &out,
        &[
            input.to_str().unwrap(),
            "--column",
            "text=words",
            "--column",
            "role=who",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(counted(&out).iter().all(|r| r.3 == "unknown"));
    scan(
        &out,
        &[
            input.to_str().unwrap(),
            "--column",
            "text=words",
            "--column",
            "role=who",
            "--agent-label",
            "1",
            "--customer-label",
            "0",
        ],
    );
    let got: Vec<(String, String)> = counted(&out).into_iter().map(|r| (r.3, r.4)).collect();
    assert_eq!(
        got,
        [
            ("customer".into(), "threat.legal".into()),
            ("agent".into(), "taboo.incite".into())
        ]
    );
    let output = scan(&out, &[input.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("no text column among the headers (sid, who, words); name it with --column text=HEADER")
    );
}

#[test]
fn meta_file_joins_agent_customer_and_time() {
    let meta = "录音文件,坐席工号,客户号码,通话时间\nc1.txt,8823,13912345678,2026-11-22 09:14\n";
    let dir = fixture(&[
        ("calls/c1.txt", "客户：我要去消协投诉\n坐席：你去投诉吧".as_bytes()),
        ("calls/meta.csv", meta.as_bytes()),
    ]);
    let out = dir.path().join("r");
    let calls = dir.path().join("calls");
    let output = scan(
        &out,
        &[
            calls.to_str().unwrap(),
            "--meta",
            calls.join("meta.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "the meta file is not read as a transcript: {}",
        stderr(&output)
    );
    let c = &rows(&out.join("conversations.csv"))[0];
    assert_eq!((c["agent"].as_str(), c["customer"].as_str()), ("8823", "139****5678"));
    assert_eq!(rows(&out.join("agents.csv"))[0]["agent"], "8823");
}

#[test]
fn format_and_encoding_can_be_forced() {
    let (gbk, _, _) = encoding_rs::GB18030.encode("客户：我要去消协投诉");
    let dir = fixture(&[
        ("call.dat", &gbk),
        (
            "chat.log",
            "{\"content\": \"我要起诉你们\", \"role\": \"customer\"}\n".as_bytes(),
        ),
    ]);
    let out = dir.path().join("r");
    let output = scan(
        &out,
        &[dir.path().join("call.dat").to_str().unwrap(), "--encoding", "utf-8"],
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "forced UTF-8 on a GBK file is an error, not garbage"
    );
    assert!(stderr(&output).contains("not valid UTF-8"), "{}", stderr(&output));
    let output = scan(
        &out,
        &[dir.path().join("call.dat").to_str().unwrap(), "--encoding", "gbk"],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(counted(&out)[0].4, "threat.regulator");
    scan(
        &out,
        &[dir.path().join("chat.log").to_str().unwrap(), "--format", "jsonl"],
    );
    assert_eq!(counted(&out)[0].4, "threat.legal");
}

#[test]
fn json_chat_documents_as_arrays_or_under_messages() {
    let array = "[\n  {\"session_id\": \"S1\", \"role\": \"customer\",\n   \"content\": \"我要去消协投诉\"},\n  \"not a message\",\n  {\"session_id\": \"S1\", \"Role\": \"agent\", \"agent_id\": 1024, \"text\": {\"text\": \"你去告吧\"}},\n  {\"session_id\": \"S2\", \"sender\": \"user\", \"时间\": 1763802845, \"内容\": \"再不退款我就报警\"}\n]\n";
    let wrapped = "{\"messages\": [{\"role\": \"customer\", \"content\": \"我要找记者曝光你们\"}]}";
    let dir = fixture(&[("chat.json", array.as_bytes()), ("wrapped.json", wrapped.as_bytes())]);
    let out = dir.path().join("r");
    let output = scan(&out, &[dir.path().join("chat.json").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "the string item is a problem");
    assert_eq!(
        counted(&out),
        [
            row("S1", "3", "", "customer", "threat.regulator"),
            row("S1", "5", "", "agent", "taboo.incite"),
            row("S2", "6", "2025-11-22 09:14:05", "customer", "threat.legal"),
        ]
    );
    let errors = rows(&out.join("errors.csv"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["reason"], "item 2 is not a message with a text field");
    assert_eq!(rows(&out.join("agents.csv"))[0]["agent"], "1024");

    let output = scan(&out, &[dir.path().join("wrapped.json").to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "a one-line {{\"messages\": …}} is a JSON document: {}",
        stderr(&output)
    );
    assert_eq!(counted(&out), [row("wrapped", "1", "", "customer", "threat.media")]);
}

/// `--agent-channel` naming no speaker of an ASR result (a typo, another vendor's ids) used
/// to read every line as the customer's in silence: the agent's taboos vanished. Now the
/// call is listed in errors.csv with the ids it does have, and the status says so.
#[test]
fn an_agent_channel_that_names_no_speaker_is_listed() {
    for sample in [
        "whisper_result.json",
        "funasr_result.json",
        "aliyun_result.json",
        "tencent_result.json",
    ] {
        let out = tempfile::tempdir().unwrap();
        let path = format!("samples/formats/{sample}");
        let output = scan(out.path(), &[path.as_str(), "--agent-channel", "7"]);
        assert_eq!(output.status.code(), Some(2), "{sample}: {}", stderr(&output));
        let errors = rows(&out.path().join("errors.csv"));
        assert_eq!(errors.len(), 1, "{sample}: {errors:?}");
        assert!(
            errors[0]["reason"].contains("--agent-channel 7 names none of the speakers"),
            "{sample}: {errors:?}"
        );
        // The right channel: no such row.
        let out = tempfile::tempdir().unwrap();
        let output = scan(out.path(), &[path.as_str(), "--agent-channel", "0"]);
        assert_eq!(output.status.code(), Some(0), "{sample}: {}", stderr(&output));
        assert!(rows(&out.path().join("errors.csv")).is_empty(), "{sample}");
    }
}

/// A chat log whose times are epoch seconds: shown in UTC unless `--utc-offset` says where the
/// centre is (Beijing: +08:00, which moves 16:30 UTC past midnight); a time written as text
/// stays as written; an offset that is not one is a usage error.
#[test]
fn epoch_times_are_shown_at_the_utc_offset_given() {
    let log = concat!(
        "{\"session_id\":\"S1\",\"role\":\"customer\",\"time\":1763829000,\"content\":\"再不退款我就去12315投诉你们\"}\n",
        "{\"session_id\":\"S2\",\"role\":\"customer\",\"time\":\"2026-11-22 09:14:05\",\"content\":\"我要找你们领导\"}\n",
    );
    let dir = fixture(&[("chat.jsonl", log.as_bytes())]);
    let input = dir.path().join("chat.jsonl");
    let times = |extra: &[&str]| {
        let out = dir.path().join(format!("out{}", extra.len()));
        let mut args = vec![input.to_str().unwrap()];
        args.extend_from_slice(extra);
        let output = scan(&out, &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        counted(&out).into_iter().map(|r| r.2).collect::<Vec<_>>()
    };
    assert_eq!(times(&[]), ["2025-11-22 16:30:00", "2026-11-22 09:14:05"]);
    assert_eq!(
        times(&["--utc-offset", "+08:00"]),
        ["2025-11-23 00:30:00", "2026-11-22 09:14:05"]
    );
    // A CSV chat export reads its times the same way.
    let csv = "session_id,role,content,time\nS3,customer,我要去法院起诉你们,1763829000\n";
    let dir_csv = fixture(&[("chat.csv", csv.as_bytes())]);
    let out = dir_csv.path().join("out");
    let output = scan(
        &out,
        &[
            dir_csv.path().join("chat.csv").to_str().unwrap(),
            "--utc-offset",
            "+08:00",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        counted(&out).into_iter().map(|r| r.2).collect::<Vec<_>>(),
        ["2025-11-23 00:30:00"]
    );
    let output = scan(
        &dir.path().join("bad"),
        &[input.to_str().unwrap(), "--utc-offset", "beijing"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("+08:00"), "{}", stderr(&output));
}
