//! `report.html` as a supervisor sees it: self-contained (nothing fetched), customer text
//! escaped and masked, and, rendered by headless Chromium when it is installed (`.ci/run`
//! installs it), showing the figures of the run.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fixture, rows, scan, stderr};

const CRITICAL: &str = "\
# conversation: 00123
# agent: 0012
# time: 2026-11-22 23:41:07
[00:00:01] 坐席：您好，请问有什么可以帮您？
[00:00:12] 坐席：这不归我们管，你自己去找门店
[00:00:20] 客户：再不给我修好，我就打12315投诉你们，回电13912345678<script>alert(1)</script>
";

const HIGH: &str = "\
# conversation: 00124
# agent: 0013
# time: 2026-11-22 08:15:00
[00:00:05] 客户：我家宽带又断了，这个月已经是第四次了
";

const CLEAN: &str = "\
# conversation: 00125
# agent: 0013
[00:00:01] 坐席：您好，请问有什么可以帮您？
[00:00:03] 客户：我想查一下话费
";

fn night() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = fixture(&[
        ("calls/a.txt", CRITICAL.as_bytes()),
        ("calls/b.txt", HIGH.as_bytes()),
        ("calls/c.txt", CLEAN.as_bytes()),
        ("calls/d.json", b"{ not json"),
    ]);
    let out = dir.path().join("report");
    let output = scan(&out, &[dir.path().join("calls").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "d.json fails: {}", stderr(&output));
    (dir, out)
}

#[test]
fn the_page_is_self_contained_escaped_and_masked() {
    let (_dir, out) = night();
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    for fetched in [
        "<script", "src=", "href=", "url(", "@import", "http://", "https://", "<link", "<iframe",
    ] {
        assert!(!page.contains(fetched), "the page must not hold {fetched}");
    }
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "customer text escaped"
    );
    assert!(!page.contains("13912345678"), "numbers masked");
    assert!(page.contains("<html lang=\"zh-CN\">"));
    assert!(page.contains("优先升级的会话"));
    assert!(page.contains("threat.regulator"), "category ids stay visible");
    // The QA sheet of every agent, a taboo or not, as agents.csv has it: the worst offender
    // first, then an agent with no taboo (whose score a supervisor still watches).
    assert!(page.contains("质检平均分"));
    let agents = common::rows(&out.join("agents.csv"));
    assert!(agents.iter().any(|a| a["taboo_conversations"] == "0"));
    let at = |name: &str| {
        page.find(&format!("<tr><td>{name}</td>"))
            .unwrap_or_else(|| panic!("agent {name} not in the table"))
    };
    assert!(at("0012") < at("0013"), "the agent with a taboo first");
    for agent in &agents {
        let cells = format!(
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            agent["mean_score"], agent["worst_score"], agent["fatal_calls"]
        );
        assert!(page.contains(&cells), "{}: {cells}", agent["agent"]);
    }
}

#[test]
fn lang_en_labels_the_page_in_english() {
    let dir = fixture(&[("calls/b.txt", HIGH.as_bytes())]);
    let out = dir.path().join("report");
    let output = scan(&out, &["--lang", "en", dir.path().join("calls").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("Conversations to escalate first"));
    assert!(!page.contains("优先升级的会话"));
    // A level's English name is its id: said once.
    assert!(page.contains("<span>critical</span>") && !page.contains("critical · critical"));
    // Category names are not cut short in the chart.
    assert!(page.contains("threat.online online exposure<"));
}

/// The DOM Chromium builds from the page, or None when Chromium is not installed.
fn rendered(page: &Path) -> Option<String> {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())?;
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8(output.stdout).unwrap())
}

/// The text of the element with `id`, tags removed.
fn text_of(dom: &str, id: &str) -> String {
    let at = dom.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    let start = dom[at..].find('>').unwrap() + at + 1;
    let end = dom[start..].find("</div>").map_or(dom.len(), |e| start + e);
    let mut text = String::new();
    let mut in_tag = false;
    for c in dom[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn chromium_shows_the_figures_of_the_run() {
    let (_dir, out) = night();
    let page = std::fs::canonicalize(out.join("report.html")).unwrap();
    let Some(dom) = rendered(&page) else {
        eprintln!("note: /usr/bin/chromium not found: the page was not rendered (.ci/run installs it)");
        return;
    };
    let conversations = rows(&out.join("conversations.csv"));
    let errors = rows(&out.join("errors.csv"));
    assert_eq!(
        text_of(&dom, "figure-conversations"),
        format!("{}会话", conversations.len())
    );
    assert_eq!(text_of(&dom, "figure-inputs"), "4输入文件");
    assert_eq!(text_of(&dom, "figure-errors"), format!("{}错误", errors.len()));
    assert_eq!(text_of(&dom, "risk-critical"), "1严重 · critical");
    assert_eq!(text_of(&dom, "risk-high"), "1高 · high");
    assert_eq!(text_of(&dom, "risk-none"), "1无风险 · none");
    // The call to escalate first is at the top of its table, with action and evidence.
    let table = &dom[dom.find("id=\"escalate\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let first_row = table.split("<tr>").nth(2).expect("a first row");
    assert!(first_row.contains("00123"), "{first_row}");
    assert!(first_row.contains("升级组长"));
    assert!(first_row.contains("再不给我修好，我就打12315投诉你们"));
    assert!(
        dom.contains("&lt;script&gt;") || !dom.contains("<script>alert"),
        "never run as markup"
    );
    assert!(!dom.contains("13912345678"));
    // The hours known: 08 and 23.
    assert!(dom.contains("id=\"chart-hours\""));
    assert!(dom.contains("d.json"), "the error is listed");
}
