//! Precision and recall on real and blind calls, through `callrisk eval`, with floors just below
//! today's figures so that a change that loses findings (or gains false alarms) fails here.
//!
//! * The development set: 1,621 real dialogues (Weibo helpdesk, JD chats, CMCC calls) labelled
//!   in `tests/devset/labels.csv`. The corpus text has no open licence and is not committed;
//!   `tests/devset/convert.py` recreates the files from `../shared/corpus` when it is there,
//!   and the test is skipped (with a note) when it is not.
//! * The blind set, round 1 (`tests/blind/round1/`): 178 invented calls that nothing in
//!   callrisk was written with in view. It is for measuring: read the figures, never the
//!   misses, and do not tune anything to it (its README says why).
//!
//! `cargo test --test devset -- --nocapture` prints the tables.

mod common;

use std::path::Path;

use common::{callrisk, stderr};

/// `callrisk eval --json` on `inputs`: the JSON it prints.
fn eval(labels: &Path, inputs: &Path) -> serde_json::Value {
    let output = callrisk()
        .args(["eval", "--json", "--labels"])
        .arg(labels)
        .arg(inputs)
        .output()
        .expect("run callrisk");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("eval --json prints JSON")
}

/// The per-category table and the overall row, for --nocapture.
fn table(title: &str, json: &serde_json::Value) -> String {
    let figure = |x: &serde_json::Value| x.as_f64().map_or("-".to_string(), |x| format!("{x:.3}"));
    // Value's Display ignores widths: numbers are formatted as numbers.
    let count = |x: &serde_json::Value| x.as_u64().unwrap_or_default();
    let mut text = format!(
        "{title}: {} conversations, {} required and {} optional labels\n{:<20}{:>5}{:>5}{:>5}{:>11}{:>8}{:>7}\n",
        json["conversations"],
        json["labels"]["required"],
        json["labels"]["optional"],
        "category",
        "tp",
        "fp",
        "fn",
        "precision",
        "recall",
        "F1"
    );
    let overall = json["overall"].clone();
    let rows = json["categories"].as_array().unwrap().iter().chain([&overall]);
    for row in rows {
        text.push_str(&format!(
            "{:<20}{:>5}{:>5}{:>5}{:>11}{:>8}{:>7}\n",
            row["category"].as_str().unwrap_or("overall (micro)"),
            count(&row["tp"]),
            count(&row["fp"]),
            count(&row["fn"]),
            figure(&row["precision"]),
            figure(&row["recall"]),
            figure(&row["f1"])
        ));
    }
    text
}

/// Overall precision and recall.
fn overall(json: &serde_json::Value) -> (f64, f64) {
    let figure = |name: &str| {
        json["overall"][name]
            .as_f64()
            .unwrap_or_else(|| panic!("overall {name}"))
    };
    (figure("precision"), figure("recall"))
}

#[test]
fn development_set_precision_and_recall_stay_above_their_floors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus");
    if !corpus.is_dir() {
        println!("note: {} is not here; the development set is skipped", corpus.display());
        return;
    }
    let calls = tempfile::tempdir().unwrap();
    let converted = std::process::Command::new("python3")
        .arg(root.join("tests/devset/convert.py"))
        .arg(&corpus)
        .arg(calls.path())
        .output()
        .expect("run python3 tests/devset/convert.py");
    assert!(
        converted.status.success(),
        "convert.py: {}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let json = eval(&root.join("tests/devset/labels.csv"), calls.path());
    println!("{}", table("development set", &json));
    assert_eq!(
        json["conversations"], 1621,
        "convert.py wrote the 1,621 labelled dialogues"
    );

    // Measured on 2026-11-23: precision 0.795 (31 tp, 8 fp), recall 0.295 (31 of 105
    // required; 74 misses, 66 of them threat.repeat).
    let (precision, recall) = overall(&json);
    assert!(precision >= 0.78, "development set precision {precision:.3} < 0.78");
    assert!(recall >= 0.28, "development set recall {recall:.3} < 0.28");
}

#[test]
fn blind_set_round_1_precision_and_recall_stay_above_their_floors() {
    let round = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/blind/round1");
    let json = eval(&round.join("labels.csv"), &round.join("calls"));
    // The figures only: the misses of a blind set are not for reading.
    println!("{}", table("blind set, round 1", &json));
    assert_eq!(json["conversations"], 178);

    // Measured on 2026-11-23: precision 0.850 (102 tp, 18 fp), recall 0.630 (102 of 162
    // required); with pauses and clause openers, 0.851 (103 tp, 18 fp) and 0.636. Loose
    // floors: this set measures, it does not steer.
    let (precision, recall) = overall(&json);
    assert!(precision >= 0.82, "blind set precision {precision:.3} < 0.82");
    assert!(recall >= 0.60, "blind set recall {recall:.3} < 0.60");
}
