//! Golden files: the reports of `samples/` as reviewed. A change in detection shows up here
//! as a diff to read; after reviewing it, `UPDATE_GOLDEN=1 cargo test --test golden` accepts it.

mod common;

use common::scan;

#[test]
fn samples_match_their_reviewed_reports() {
    let out = tempfile::tempdir().unwrap();
    let output = scan(out.path(), &["samples", "--jobs", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let golden = std::path::Path::new("tests/golden");
    for name in ["hits.csv", "conversations.csv", "agents.csv"] {
        let got = std::fs::read_to_string(out.path().join(name)).unwrap();
        let path = golden.join(name);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            let diff: Vec<String> = want
                .lines()
                .zip(got.lines())
                .filter(|(w, g)| w != g)
                .take(5)
                .map(|(w, g)| format!("- {w}\n+ {g}"))
                .collect();
            panic!(
                "{name} differs from {} ({} vs {} lines):\n{}\nreview, then UPDATE_GOLDEN=1 cargo test --test golden",
                path.display(),
                want.lines().count(),
                got.lines().count(),
                diff.join("\n")
            );
        }
    }
}
