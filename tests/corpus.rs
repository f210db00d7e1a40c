//! The labelled evaluation corpus (tests/corpus/): 211 calls written for this project, with a
//! positive and a hard negative for every category and trap of RISK_CATEGORIES.md.
//! Precision and recall are computed per category on (file, line, category) of counted
//! findings; the run fails if overall precision or recall is below 0.95, or any category's
//! below 0.85. `cargo test --test corpus -- --nocapture` prints the table.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{rows, scan};

type Key = (String, String, String);

#[test]
fn precision_and_recall_on_the_labelled_corpus() {
    let out = tempfile::tempdir().unwrap();
    let output = scan(out.path(), &["tests/corpus/calls"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let name = |file: &str| file.rsplit('/').next().unwrap().to_string();
    let found: BTreeSet<Key> = rows(&out.path().join("hits.csv"))
        .into_iter()
        .filter(|r| r["negated"] == "false")
        .map(|r| (name(&r["file"]), r["line"].clone(), r["category"].clone()))
        .collect();
    let labelled: BTreeSet<Key> = rows(std::path::Path::new("tests/corpus/labels.csv"))
        .into_iter()
        .map(|r| (r["file"].clone(), r["line"].clone(), r["category"].clone()))
        .collect();
    assert!(labelled.len() > 150, "the labels are there");

    let mut per_category: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new(); // tp, fp, fn
    for key in found.union(&labelled) {
        let entry = per_category.entry(key.2.as_str()).or_default();
        match (found.contains(key), labelled.contains(key)) {
            (true, true) => entry.0 += 1,
            (true, false) => entry.1 += 1,
            (false, true) => entry.2 += 1,
            (false, false) => unreachable!(),
        }
    }
    let ratio = |a: usize, b: usize| if a + b == 0 { 1.0 } else { a as f64 / (a + b) as f64 };
    let mut table = String::from("category              precision  recall  tp  fp  fn\n");
    let mut failures = Vec::new();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for (category, (t, f, n)) in &per_category {
        let (p, r) = (ratio(*t, *f), ratio(*t, *n));
        table.push_str(&format!("{category:<22}{p:>9.3}{r:>8.3}{t:>4}{f:>4}{n:>4}\n"));
        if p < 0.85 || r < 0.85 {
            failures.push(format!("{category}: precision {p:.3}, recall {r:.3}"));
        }
        (tp, fp, fn_) = (tp + t, fp + f, fn_ + n);
    }
    let (p, r) = (ratio(tp, fp), ratio(tp, fn_));
    table.push_str(&format!("{:<22}{p:>9.3}{r:>8.3}{tp:>4}{fp:>4}{fn_:>4}\n", "overall"));
    println!("{table}");
    let errors: Vec<String> = found
        .symmetric_difference(&labelled)
        .map(|k| {
            format!(
                "{} {}:{} {}",
                if found.contains(k) { "FP" } else { "FN" },
                k.0,
                k.1,
                k.2
            )
        })
        .collect();
    println!("{}", errors.join("\n"));
    if p < 0.95 || r < 0.95 {
        failures.push(format!("overall: precision {p:.3}, recall {r:.3}"));
    }
    assert!(
        failures.is_empty(),
        "below target:\n{}\n\n{table}\n{}",
        failures.join("\n"),
        errors.join("\n")
    );
}
