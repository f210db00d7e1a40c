//! Precision and recall on real and blind calls, through `callrisk eval`, with floors just below
//! today's figures so that a change that loses findings (or gains false alarms) fails here.
//!
//! * The development set: 1,621 real dialogues (Weibo helpdesk, JD chats, CMCC calls) labelled
//!   in `tests/devset/labels.csv`. The corpus text has no open licence and is not committed;
//!   `tests/devset/convert.py` recreates the files from `../shared/corpus` when it is there,
//!   and the test is skipped (with a note) when it is not.
//! * Round 1 (`tests/blind/round1/`): 178 invented calls, blind until the pattern round was
//!   tuned on its misses; a development set since.
//! * The blind set, round 2 (`tests/blind/round2/`): 190 invented calls that nothing in
//!   callrisk was written with in view; blind until round 8, whose threat families read some
//!   of its misses and false alarms (online, protest, extreme; legal, media, regulator): a
//!   development set since.
//! * The blind set, round 3 (`tests/blind/round3/`): 200 invented calls (66 ASR-style, 20
//!   sectors, other industries' speaker labels), written from the specification alone before
//!   round 3's dictionary work; the same rules.
//! * The blind set, round 4 (`tests/blind/round4/`): 200 more, regional phrasing and more
//!   sectors, written during round 4 by a helper who saw neither the dictionaries nor the
//!   change; the same rules.
//! * The blind set, round 5 (`tests/blind/round5/`): 200 more (100 ASR-style, 34 sectors, 27
//!   speaker pairs), written before round 5's dictionary work by a helper who saw neither the
//!   dictionaries nor the tests; scored once before and once after; the same rules.
//! * The blind set, round 6 (`tests/blind/round6/`): 200 more (102 ASR-style, 33 speaker
//!   pairs), written while round 6's dictionary work was done from the spent round 5 by
//!   someone else; scored once before and once after; the same rules.
//!
//! * The blind set, round 7 (`tests/blind/round7/`): 200 more (118 ASR-style, 44 speaker
//!   pairs), written while round 7's dictionary work was done from the spent round 6 by
//!   someone else; scored once before and once after; the same rules.
//! * The blind set, round 8 (`tests/blind/round8/`): 200 more (85 ASR-style, 116 sectors, 30
//!   speaker pairs), written while round 8's dictionary work was done from the spent round 7
//!   by two others; scored once before and once after; the same rules.
//! * The blind set, round 9 (`tests/blind/round9/`): 200 more (69 ASR-style, 41 speaker pairs
//!   besides 客服/客户), written while round 9's dictionary work was done from the spent round 8
//!   by two others; scored once before and once after; the same rules.
//! * The blind set, round 10 (`tests/blind/round10/`): 200 more (81 ASR-style, 33 speaker pairs
//!   besides 客服/客户), written while round 10's dictionary work was done from the spent round 9
//!   by two others; scored once before and once after; the same rules.
//! * The blind set, round 11 (`tests/blind/round11/`): 200 more (77 ASR-style, 62 calls of 10
//!   lines or more, 61 speaker pairs), written while round 11's dictionary work was done from
//!   the spent round 10 by two others; scored once before and once after; the same rules.
//! * The blind set, round 12 (`tests/blind/round12/`): 200 more (110 ASR-style, 5 to 9 lines,
//!   16 speaker pairs), written while round 12's dictionary work was done from the spent round
//!   11 by two others; scored once before and once after; the same rules.
//! * The blind set, round 13 (`tests/blind/round13/`): 200 more (105 ASR-style, 5 to 9 lines,
//!   112 speaker pairs), written while round 13's dictionary work was done from the real
//!   second development set by someone else; scored once before and once after; the same rules.
//! * The blind set, round 14 (`tests/blind/round14/`): 200 more (106 ASR-style, 5 to 9 lines,
//!   111 speaker pairs), written with no dictionary work under way; scored once, figures only.
//!
//! `cargo test --test devset -- --nocapture` prints the tables.

mod common;

use std::path::Path;

use common::{callrisk, stderr};

/// `callrisk eval --json --figures-only` on `inputs`: the JSON it prints. The figures only:
/// the misses of a blind or held-out set are not for reading (`callrisk eval` without the
/// flag lists those of a development set).
fn eval(labels: &Path, inputs: &Path) -> serde_json::Value {
    let output = callrisk()
        .args(["eval", "--json", "--figures-only", "--labels"])
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

/// The real dialogues of one selection of `tests/devset/convert.py`, scored against `labels`
/// (under `tests/devset/`): `None` when `../shared/corpus` is not here.
fn real_set(selection: &str, labels: &str, title: &str) -> Option<serde_json::Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus");
    if !corpus.is_dir() {
        println!("note: {} is not here; {title} is skipped", corpus.display());
        return None;
    }
    let calls = tempfile::tempdir().unwrap();
    let converted = std::process::Command::new("python3")
        .arg(root.join("tests/devset/convert.py"))
        .arg(&corpus)
        .arg(calls.path())
        .arg(selection)
        .output()
        .expect("run python3 tests/devset/convert.py");
    assert!(
        converted.status.success(),
        "convert.py: {}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let json = eval(&root.join("tests/devset").join(labels), calls.path());
    println!("{}", table(title, &json));
    Some(json)
}

/// Score one real set ([`real_set`]) and hold it to its floors.
fn score_real(selection: &str, labels: &str, title: &str, conversations: u64, floors: (f64, f64)) {
    let Some(json) = real_set(selection, labels, title) else {
        return;
    };
    assert_eq!(
        json["conversations"], conversations,
        "convert.py wrote the {conversations} dialogues of {title}"
    );
    let (precision, recall) = overall(&json);
    assert!(
        precision >= floors.0,
        "{title}: precision {precision:.3} < {}",
        floors.0
    );
    assert!(recall >= floors.1, "{title}: recall {recall:.3} < {}", floors.1);
}

#[test]
fn development_set_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-23 with 0.1's dictionaries: precision 0.795, recall 0.295 (66 of
    // the 74 misses threat.repeat). With the pattern families: precision 0.798 (75 tp, 19 fp),
    // recall 0.714 (75 of 105 required). After a second labeller (10 pairs now optional), full-
    // width clause ends and round 3's families: 0.827 (81 tp, 17 fp), recall 0.802 (81 of 101).
    // Round 6 (families tuned on the spent rounds 1-5): unchanged, 0.827 / 0.802. Round 7
    // (families of round 6, after_line): unchanged, 0.827 (81 tp, 17 fp) / 0.802. Round 8 (a
    // promise that came to nothing, told as a story, among threat.repeat's families): 0.835
    // (86 tp, 17 fp) / 0.851. Round 9 (repeat told in more shapes; asking again within the
    // call, the company calling back, a settled complaint not counted): 0.856 (89 tp, 15 fp) /
    // 0.881. Round 13 (real complaints of the second development set, and this set's repeat
    // misses read with them): 0.870 (94 tp, 14 fp) / 0.931.
    score_real("dev", "labels.csv", "development set", 1621, (0.86, 0.93));
}

#[test]
fn second_development_set_precision_and_recall_stay_above_their_floors() {
    // 1,233 more Weibo helpdesk dialogues (`convert.py … weibo2`), labelled on 2026-11-24 by
    // four labellers who read only RISK_CATEGORIES.md, GUIDELINES.md and the dialogues: real
    // complaints for the dictionaries to be tuned on. Before any tuning (039cd54): precision
    // 0.743 (110 tp, 38 fp), recall 0.466 (110 of 236 required; 108 of the 126 misses
    // threat.repeat). Round 13 (tuned on it: the company's line or place counted or reached
    // again, an earlier contact that got nowhere, a week or more with the inaction named, the
    // same answer every time, repairs that did not hold; a report that ends where the customer
    // tells the outcome): 0.878 (208 tp, 29 fp), recall 0.881 (208 of 236; threat.repeat 165
    // tp, 18 fp, 18 fn, from 75, 25, 108).
    score_real(
        "weibo2",
        "weibo2.csv",
        "second development set (Weibo)",
        1233,
        (0.87, 0.88),
    );
}

#[test]
fn real_held_out_set_precision_and_recall_stay_above_their_floors() {
    // 617 more Weibo helpdesk dialogues (`convert.py … heldout`), labelled on 2026-11-24 by two
    // labellers who read only RISK_CATEGORIES.md, GUIDELINES.md and the dialogues; never read
    // for tuning (the figures only are printed). Measured before any change made with it in
    // view (039cd54): precision 0.803 (57 tp, 14 fp), recall 0.496 (57 of 115 required; 46 of
    // the 58 misses threat.repeat). The invented rounds' 0.86-0.98 recall does not carry over
    // to real complaints: this set is the honest figure. After round 13 (the repeat families
    // tuned on the second development set took its recall from 0.466 to 0.881; the taboo
    // families tuned on round 12): 0.813 (61 tp, 14 fp) / 0.530. Tuned gains barely reach
    // held-out text of the same corpus.
    score_real(
        "heldout",
        "heldout.csv",
        "real held-out set (never tuned on)",
        617,
        (0.80, 0.52),
    );
}

#[test]
fn second_real_held_out_set_precision_and_recall_stay_above_their_floors() {
    // The last 1,233 Weibo helpdesk dialogues (`convert.py … heldout2`), labelled on 2026-11-25
    // by four labellers who read only RISK_CATEGORIES.md, GUIDELINES.md and the dialogues, after
    // round 13 was merged; never read for tuning (figures only). First measured at b1f8da2:
    // precision 0.685 (115 tp, 53 fp), recall 0.502 (115 of 229 required; 101 of the 114
    // misses and 30 of the false alarms threat.repeat). With the first held-out set, the honest
    // figure for real complaints: about seven findings in ten right, half of what a reviewer
    // marks found.
    score_real(
        "heldout2",
        "heldout2.csv",
        "second real held-out set (never tuned on)",
        1233,
        (0.67, 0.49),
    );
}

/// Score one set of invented calls in `tests/blind/<round>` and hold it to its floors.
fn score_round(round: &str, title: &str, conversations: u64, floors: (f64, f64)) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/blind").join(round);
    let json = eval(&dir.join("labels.csv"), &dir.join("calls"));
    // The figures only: the misses of a blind set are not for reading.
    println!("{}", table(title, &json));
    assert_eq!(json["conversations"], conversations);
    let (precision, recall) = overall(&json);
    assert!(precision >= floors.0, "{round} precision {precision:.3} < {}", floors.0);
    assert!(recall >= floors.1, "{round} recall {recall:.3} < {}", floors.1);
}

#[test]
fn round_1_precision_and_recall_stay_above_their_floors() {
    // Blind, with 0.1's dictionaries: precision 0.850, recall 0.630. The pattern round was
    // tuned on its misses, so it is a development set now: 0.865 / 0.988. Round 6: 0.874 / 0.988
    // → 0.899 (160 tp, 18 fp) / 0.988. Round 8: 0.925 (160 tp, 13 fp) / 0.988.
    score_round(
        "round1",
        "round 1 (blind before the pattern round, tuned on since)",
        178,
        (0.94, 0.99),
    );
}

#[test]
fn blind_set_round_2_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-23, written before the pattern round and never read: with 0.1's
    // dictionaries precision 0.779, recall 0.391; after the round 0.797 (126 tp, 32 fp),
    // recall 0.609 (126 of 207 required). Round 3's work (its speaker labels came partly from
    // this set's unknown-speaker warnings, so it is no longer fully blind): 0.801 / 0.700.
    // Loose floors: this set measures, it does not steer. Round 6 (its misses not read): 0.812 /
    // 0.710 → 0.833 (155 tp, 31 fp) / 0.749. Round 7 (tuned on round 6; this set's misses not
    // read): 0.841 (164 tp, 31 fp) / 0.792. Round 8's threat families read some of its misses
    // and false alarms, so it is a development set since: 0.886 (187 tp, 24 fp) / 0.903.
    score_round("round2", "round 2 (blind until round 8)", 190, (0.92, 0.98));
}

#[test]
fn blind_set_round_3_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-23, written before round 3's dictionary work and never read: with
    // 0.1's dictionaries precision 0.842, recall 0.353; before round 3 (562d1ee) 0.849 / 0.559;
    // after it 0.842 (170 tp, 32 fp), recall 0.625 (170 of 272 required). Spent since; round 6
    // (tuned on its misses too): 0.873 / 0.654 → 0.917 (211 tp, 19 fp) / 0.776. Round 7
    // (tuned on round 6): 0.924 (218 tp, 18 fp) / 0.801. Round 8: 0.954 (247 tp, 12 fp) / 0.908.
    score_round("round3", "blind set, round 3", 200, (0.97, 0.96));
}

#[test]
fn blind_set_round_4_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written (from the specification alone) while round 4's
    // dictionary work was done and never read: with 0.1's dictionaries precision 0.793, recall
    // 0.493; before round 4 (113a5e9) 0.779 / 0.674; after it 0.783 (195 tp, 54 fp), recall
    // 0.677 (195 of 288 required). Spent since; round 6 (tuned on its misses too): 0.840 / 0.854
    // → 0.862 (257 tp, 41 fp) / 0.892. Round 7 (tuned on round 6): 0.863 (259 tp, 41 fp) / 0.899.
    // Round 8: 0.902 (276 tp, 30 fp) / 0.958.
    score_round("round4", "blind set, round 4", 200, (0.92, 0.98));
}

#[test]
fn blind_set_round_5_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written from the specification alone before round 5's work and
    // never read: with 0.1's dictionaries precision 0.851, recall 0.445; before round 5
    // (912074f) 0.834 / 0.686; after it 0.835
    // (273 tp, 54 fp), recall 0.732 (273 of 373 required). Spent; round 6 was tuned on its misses
    // (so these figures no longer measure generalisation): 0.920 (355 tp, 31 fp) / 0.952.
    // Round 7 (a rider who calls in is the customer): 0.920 (358 tp, 31 fp) / 0.960. Round 8:
    // 0.955 (363 tp, 17 fp) / 0.973.
    score_round("round5", "blind set, round 5", 200, (0.97, 0.98));
}

#[test]
fn blind_set_round_6_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written from the specification alone (RISK_CATEGORIES.md and
    // GUIDELINES.md) while round 6's dictionary work was being done by someone who never saw
    // it, and never read since (figures only): with 0.1's dictionaries precision 0.825, recall
    // 0.423; before round 6 (7f49b39, same output as the speed work after it) 0.847 (254 tp,
    // 46 fp) / 0.711 (254 of 357 required); after round 6 0.871 (263 tp, 39 fp) / 0.737.
    // Spent since; round 7 was tuned on its misses and false alarms (so these figures no longer
    // measure generalisation): 0.934 (353 tp, 25 fp) / 0.989. Round 8: 0.951 (353 tp, 18 fp) /
    // 0.989.
    score_round("round6", "blind set, round 6", 200, (0.96, 0.99));
}

#[test]
fn blind_set_round_7_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written from the specification alone (RISK_CATEGORIES.md and
    // GUIDELINES.md) while round 7's dictionary work was being done from the spent round 6 by
    // someone who never saw it; scored once before and once after, figures only: with 0.1's
    // dictionaries precision 0.805, recall 0.376; before round 7 (90de019) 0.856 (250 tp, 42
    // fp) / 0.712 (250 of 351 required); after round 7 0.861 (261 tp, 42 fp) / 0.744.
    // Spent since; round 8 was tuned on its misses and false alarms (so these figures no longer
    // measure generalisation): 0.967 (326 tp, 11 fp) / 0.929.
    score_round("round7", "blind set, round 7", 200, (0.98, 0.97));
}

#[test]
fn blind_set_round_8_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written from the specification alone (RISK_CATEGORIES.md and
    // GUIDELINES.md) while round 8's dictionary work was being done from the spent round 7 by
    // two others who never saw it; scored once before and once after, figures only: with 0.1's
    // dictionaries precision 0.828, recall 0.429; before round 8 (ea3978c) 0.899 (304 tp, 34
    // fp) / 0.796 (304 of 382 required); after round 8 0.912 (321 tp, 31 fp) / 0.840.
    // Spent since; round 9 was tuned on its misses and false alarms (so these figures no longer
    // measure generalisation): 0.969 (377 tp, 12 fp) / 0.987.
    score_round("round8", "blind set, round 8", 200, (0.97, 0.98));
}

#[test]
fn blind_set_round_9_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written from the specification alone (RISK_CATEGORIES.md and
    // GUIDELINES.md) while round 9's dictionary work was being done from the spent round 8 by
    // two others who never saw it; scored once before and once after, figures only: with 0.1's
    // dictionaries precision 0.822, recall 0.430; before round 8 (ea3978c) 0.852 / 0.786;
    // before round 9 (24fa54f's dictionaries) 0.865 (300 tp, 47 fp) / 0.822 (300 of 365
    // required); after round 9 0.873 (310 tp, 45 fp) / 0.849.
    // Spent since; round 10 was tuned on its misses and false alarms (so these figures no
    // longer measure generalisation): 0.953 (363 tp, 18 fp) / 0.995.
    score_round("round9", "blind set, round 9", 200, (0.95, 0.99));
}

#[test]
fn blind_set_round_10_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written from the specification alone (RISK_CATEGORIES.md and
    // GUIDELINES.md) while round 10's dictionary work was being done from the spent round 9 by
    // two others who never saw it; scored once before and once after, figures only: with 0.1's
    // dictionaries precision 0.799, recall 0.387; before round 8 (ea3978c) 0.852 / 0.708;
    // before round 10 (c72d331) 0.874 (270 tp, 39 fp) / 0.752 (270 of 359 required); after
    // round 10 0.885 (276 tp, 36 fp) / 0.769. Round 11 (blind 11, also unseen by round 10)
    // confirmed it: 0.873 / 0.805 before round 10, 0.879 / 0.827 after. Spent since; round 11
    // was tuned on its misses and false alarms (so these figures no longer measure
    // generalisation): 0.910 (342 tp, 34 fp) / 0.953.
    score_round("round10", "blind set, round 10", 200, (0.91, 0.95));
}

#[test]
fn blind_set_round_11_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written from the specification alone (RISK_CATEGORIES.md and
    // GUIDELINES.md) while round 11's dictionary work was being done from the spent round 10 by
    // two others who never saw it; scored once before and once after, figures only: with 0.1's
    // dictionaries precision 0.817, recall 0.431; before round 8 (ea3978c) 0.857 / 0.774;
    // before round 10 (c72d331) 0.873 / 0.805; before round 11 (052e77e) 0.879 (326 tp, 45
    // fp) / 0.827 (326 of 394 required); after round 11 0.878 (332 tp, 46 fp) / 0.843.
    // Spent since: round 12's dictionary work was tuned on its misses and false alarms (so these
    // figures no longer measure generalisation): 0.903 (363 tp, 39 fp) / 0.921.
    score_round("round11", "blind set, round 11", 200, (0.90, 0.92));
}

#[test]
fn blind_set_round_12_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written from the specification alone (RISK_CATEGORIES.md and
    // GUIDELINES.md) while round 12's dictionary work was being done from the spent round 11 by
    // two others who never saw it; scored once before and once after, figures only: with 0.1's
    // dictionaries precision 0.805, recall 0.449; before round 8 (ea3978c) 0.854 / 0.804;
    // before round 10 (c72d331) 0.857 / 0.842; after round 10 (052e77e) 0.869 / 0.853; before
    // round 12 (6ddabff) 0.870 (294 tp, 44 fp) / 0.862 (294 of 341 required); after round 12
    // 0.877 (293 tp, 41 fp) / 0.859. Spent on 2026-11-24: its misses and false alarms were read
    // (a trial of a learned judge, and the next round may tune on it). Round 13's taboo families were
    // tuned on its misses and false alarms (so these figures no longer measure generalisation):
    // 0.877 (293 tp, 41 fp) / 0.859 → 0.886 (319 tp, 41 fp) / 0.935 (impatience R 0.667 → 1.000,
    // deflect 0.720 → 1.000, incite 0.750 → 0.958, admit_defect 0.833 → 0.958).
    score_round("round12", "blind set, round 12 (spent since)", 200, (0.88, 0.93));
}

#[test]
fn blind_set_round_13_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-24, written from the specification alone (RISK_CATEGORIES.md and
    // GUIDELINES.md) by a helper who read nothing else, while round 13's dictionary work was
    // being done by someone else from the real second development set; scored once before and
    // once after, figures only: before round 13 (039cd54 detection) 0.901 (265 tp, 29 fp) /
    // 0.786 (265 of 337 required); after (its taboo families tuned on round 12, whose recall
    // they took from 0.859 to 0.935; repeat families tuned on the second development set)
    // 0.902 (266 tp, 29 fp) / 0.789.
    score_round("round13", "blind set, round 13", 200, (0.89, 0.78));
}

#[test]
fn blind_set_round_14_precision_and_recall_stay_above_their_floors() {
    // Measured on 2026-11-25, written from the specification alone (RISK_CATEGORIES.md and
    // GUIDELINES.md) by a helper who read nothing else; no dictionary changed since round 13,
    // so this is a fresh measurement, not a before/after: 0.901 (247 tp, 27 fp) / 0.746 (247
    // of 331 required). Figures only.
    score_round("round14", "blind set, round 14", 200, (0.89, 0.73));
}
