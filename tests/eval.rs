//! `callrisk eval`: figures, misses and false alarms against a labels file, the exit status
//! for thresholds, and errors that name the labels file's line.

mod common;

use std::path::Path;
use std::process::Output;

use common::{callrisk, fixture, stderr};

/// Six calls: what each gives is in the labels below.
const CALLS: [(&str, &str); 6] = [
    (
        "calls/a.txt",
        "客户：再不给我退款，我就打12315投诉你们\n客服：我向您保证，明天一定给您换新机\n",
    ),
    (
        "calls/b.txt",
        "客户：你放心，我不会去找媒体的\n客户：这个问题我已经投诉了好几次，一直没人处理\n",
    ),
    (
        "calls/c.txt",
        "客户：我家的热水器昨天晚上漏电了，孩子差点触电\n客服：非常抱歉，我马上为您登记\n",
    ),
    (
        "calls/d.txt",
        "客户：我想查一下这个月的话费\n客服：好的，您这个月的话费是五十八元\n",
    ),
    (
        "calls/e.txt",
        "客户：我邻居的快递被你们送到我家了\n客服：他的电话是13912345678，您自己联系吧\n",
    ),
    // Named for the caller's number, as some recorders do: the id must show masked.
    (
        "calls/13912345678_1122.txt",
        "客户：再不给我退款，我就打12315投诉你们\n",
    ),
];

/// a: regulator found (tp), the promise optional (neither); b: the media threat is negated, so
/// labelling it required is against the guidelines on purpose, a miss callrisk must keep
/// missing; repeat found (tp); c: safety (tp); d: nothing; e: a third party's phone (tp); the
/// last call has no row, so its regulator threat is a false alarm.
const LABELS: &str = "\
conversation,category,line,kind,note
a,threat.regulator,1,required,12315
a,taboo.overpromise,2,optional,保证
b,threat.media,1,required,negated on purpose
b,threat.repeat,2,required,投诉了好几次
c,threat.safety,1,required,漏电
e,taboo.privacy,2,required,third party's phone
";

fn eval(dir: &Path, labels: &str, extra: &[&str]) -> Output {
    std::fs::write(dir.join("labels.csv"), labels).unwrap();
    callrisk()
        .arg("eval")
        .arg("--labels")
        .arg(dir.join("labels.csv"))
        .arg(dir.join("calls"))
        .args(extra)
        .output()
        .expect("run callrisk")
}

fn calls() -> tempfile::TempDir {
    let files: Vec<(&str, &[u8])> = CALLS.iter().map(|(name, text)| (*name, text.as_bytes())).collect();
    fixture(&files)
}

#[test]
fn figures_per_category_and_overall() {
    let dir = calls();
    let output = eval(dir.path(), LABELS, &["--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["conversations"], 6);
    assert_eq!(json["labels"]["required"], 5);
    assert_eq!(json["labels"]["optional"], 1);
    let category = |id: &str| {
        let c = json["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["category"] == id)
            .unwrap_or_else(|| panic!("{id} in {json}"));
        (
            c["tp"].as_u64().unwrap(),
            c["fp"].as_u64().unwrap(),
            c["fn"].as_u64().unwrap(),
        )
    };
    let table = [
        ("threat.regulator", (1, 1, 0)),
        ("threat.media", (0, 0, 1)),
        ("threat.repeat", (1, 0, 0)),
        ("threat.safety", (1, 0, 0)),
        ("taboo.privacy", (1, 0, 0)),
        ("taboo.overpromise", (0, 0, 0)),
        ("taboo.deflect", (0, 0, 0)),
    ];
    for (id, expected) in table {
        assert_eq!(category(id), expected, "{id}");
    }
    assert_eq!(json["categories"].as_array().unwrap().len(), 16);
    let overall = &json["overall"];
    assert_eq!(
        (&overall["tp"], &overall["fp"], &overall["fn"]),
        (&4.into(), &1.into(), &1.into())
    );
    assert_eq!(overall["precision"], 0.8);
    assert_eq!(overall["recall"], 0.8);
    assert_eq!(
        json["categories"][3]["precision"],
        serde_json::Value::Null,
        "nothing to measure"
    );

    assert_eq!(json["misses"].as_array().unwrap().len(), 1);
    let miss = &json["misses"][0];
    assert_eq!(
        (&miss["conversation"], &miss["category"], &miss["line"], &miss["kind"]),
        (&"b".into(), &"threat.media".into(), &1.into(), &"required".into())
    );
    assert_eq!(json["false_alarms"].as_array().unwrap().len(), 1);
    let alarm = &json["false_alarms"][0];
    assert_eq!(alarm["category"], "threat.regulator");
    assert_eq!(alarm["line"], 1);
    // The longest finding of the line: the regulator pattern's whole match.
    assert_eq!(alarm["matched"], "打12315投诉");
    let id = alarm["conversation"].as_str().unwrap();
    assert!(id.ends_with("_1122") && !id.contains("13912345678"), "masked: {id}");
}

#[test]
fn tables_for_people_with_misses_and_false_alarms_masked() {
    let dir = calls();
    let output = eval(dir.path(), LABELS, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("6 conversations; labels: 5 required, 1 optional"),
        "{text}"
    );
    let row = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
            .unwrap_or_else(|| panic!("{name}: {text}"))
    };
    assert_eq!(row("threat.regulator"), "1 1 0 0.500 1.000 0.667");
    assert_eq!(row("threat.media"), "0 0 1 - 0.000 0.000");
    assert_eq!(row("threat.protest"), "0 0 0 - - -");
    assert_eq!(row("overall (micro)"), "(micro) 4 1 1 0.800 0.800 0.800");
    assert!(
        text.contains("\n  b  threat.media  line 1  required  (negated on purpose)\n"),
        "{text}"
    );
    assert!(
        text.contains("threat.regulator  line 1  «打12315投诉» (term "),
        "{text}"
    );
    assert!(!text.contains("13912345678"), "{text}");
}

/// A held-out set keeps its misses unread: the same counts, no list, in text and in JSON.
#[test]
fn figures_only_keeps_the_counts_and_lists_nothing() {
    let dir = calls();
    let full = eval(dir.path(), LABELS, &[]);
    let output = eval(dir.path(), LABELS, &["--figures-only"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let full = String::from_utf8(full.stdout).unwrap();
    let rows = |t: &str| {
        t.lines()
            .filter(|l| l.starts_with("threat.") || l.starts_with("taboo.") || l.starts_with("overall"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&text), rows(&full), "the same figures");
    assert_eq!(rows(&text).len(), 17);
    assert!(!text.contains("misses (required"), "{text}");
    assert!(!text.contains("negated on purpose") && !text.contains("«"), "{text}");
    assert!(text.contains("--figures-only"), "says why nothing is listed: {text}");

    let json = eval(dir.path(), LABELS, &["--figures-only", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["overall"]["tp"], 4);
    assert_eq!(json["overall"]["fn"], 1);
    assert!(
        json.get("misses").is_none() && json.get("false_alarms").is_none(),
        "{json}"
    );
}

/// Labels keyed by the id the reports show (the caller's number masked) score that call.
#[test]
fn a_label_keyed_by_the_masked_id_scores_its_call() {
    let dir = calls();
    let labels = format!("{LABELS}139****5678_1122,threat.regulator,1,required,masked id\n");
    let output = eval(dir.path(), &labels, &["--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let regulator = &json["categories"][0];
    assert_eq!(regulator["category"], "threat.regulator");
    assert_eq!(
        (regulator["tp"].as_u64(), regulator["fp"].as_u64()),
        (Some(2), Some(0)),
        "{json}"
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("13912345678"));
}

#[test]
fn thresholds_set_the_exit_status() {
    let dir = calls();
    let cases: [(&[&str], i32); 5] = [
        (&["--min-precision", "0.8", "--min-recall", "0.8"], 0),
        (&["--min-precision", "0.81"], 1),
        (&["--min-recall", "0.9"], 1),
        (&["--min-recall", "1.5"], 2),
        (&["--min-precision", "high"], 2),
    ];
    for (args, status) in cases {
        let output = eval(dir.path(), LABELS, args);
        assert_eq!(output.status.code(), Some(status), "{args:?}: {}", stderr(&output));
    }
    let output = eval(dir.path(), LABELS, &["--min-recall", "0.9"]);
    assert!(
        stderr(&output).contains("overall recall 0.800 is below --min-recall 0.9"),
        "{}",
        stderr(&output)
    );
    assert!(!output.stdout.is_empty(), "the figures are printed all the same");
}

#[test]
fn a_bad_label_names_the_labels_files_line() {
    let dir = calls();
    let cases = [
        (
            "conversation,category,line,kind,note\na,threat.regulator,1,required,\nzz,threat.media,3,required,\n",
            "labels.csv line 3: conversation `zz`",
        ),
        (
            "conversation,category,line,kind,note\na,threat.regulator,1,required,\na,threat.medai,3,required,\n",
            "labels.csv line 3: unknown category `threat.medai` (did you mean threat.media?)",
        ),
        (
            "conversation,category,line,kind,note\r\na,threat.regulator,1,must,\r\n",
            "labels.csv line 2: kind `must` is neither `required` nor `optional`",
        ),
    ];
    for (labels, expected) in cases {
        let output = eval(dir.path(), labels, &[]);
        assert_eq!(output.status.code(), Some(2), "{labels}");
        let err = stderr(&output);
        assert!(err.contains(expected), "{labels}: {err}");
        assert!(err.lines().any(|l| l.starts_with("  ")), "one problem a line: {err}");
        assert!(
            output.stdout.is_empty(),
            "no figures from labels that do not fit: {labels}"
        );
    }
    let output = callrisk()
        .args(["eval", "--labels"])
        .arg(dir.path().join("missing.csv"))
        .arg(dir.path().join("calls"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read labels"), "{}", stderr(&output));
}

#[test]
fn an_input_that_cannot_be_read_is_status_2_and_the_labels_file_is_no_input() {
    let dir = calls();
    // A labels file inside the folder scanned is not read as a chat export.
    std::fs::write(dir.path().join("calls/labels.csv"), LABELS).unwrap();
    let output = callrisk()
        .args(["eval", "--json", "--labels"])
        .arg(dir.path().join("calls/labels.csv"))
        .arg(dir.path().join("calls"))
        .arg(dir.path().join("gone.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("gone.txt"), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["conversations"], 6, "the others are evaluated");
}
