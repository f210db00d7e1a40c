//! The review loop end to end, on invented calls with true and false findings: scan, QA marks
//! findings in hits.csv (re-saved as GBK, as Excel does) and in report.xlsx, `review import`,
//! rescan with `--lexicon DIR`: what QA rejected no longer counts, everything else is as it
//! was, and `rules.csv` says how precise each rule was.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{callrisk, fixture, rows, scan, stderr};

type Row = BTreeMap<String, String>;

/// Eight calls: threats and taboos that are right, and three false alarms (电视台 said of a
/// lucky draw, 律师 of the office next door, 不是我们的业务 that QA judged a fair answer).
const CALLS: &[(&str, &str)] = &[
    (
        "night/call_01.txt",
        "# conversation: R001\n# agent: 7001\n坐席：您好，很高兴为您服务，请问有什么可以帮您？\n客户：我的宽带断了三天了，你们再不给我修好，我就打12315投诉你们\n坐席：非常抱歉给您带来不便，我马上帮您加急处理\n",
    ),
    (
        "night/call_02.txt",
        "# conversation: R002\n# agent: 7002\n坐席：您好，请问有什么可以帮您？\n客户：我儿子在电视台上班，他说你们这个流量套餐挺划算，我想办一个\n坐席：好的，我帮您看一下\n",
    ),
    (
        "night/call_03.txt",
        "# conversation: R003\n# agent: 7003\n坐席：您好，请问有什么可以帮您？\n客户：你们这个手机拍照的曝光怎么调啊，晚上拍出来全是黑的\n坐席：您可以在相机设置里面调一下\n",
    ),
    (
        "night/call_04.txt",
        "# conversation: R004\n# agent: 7004\n坐席：您好，请问有什么可以帮您？\n客户：我这个月的话费扣了两百多，你们要是不给个说法，我就找电视台曝光你们\n坐席：您别着急，我这边帮您核实一下\n客户：我已经咨询过律师了，这个事你们必须给我解决\n",
    ),
    (
        "night/call_05.txt",
        "# conversation: R005\n# agent: 7005\n坐席：您好，请问有什么可以帮您？\n客户：号码13912345678在电视台登记过，就是那个抽奖活动\n坐席：这个我们查不到的，你爱找谁找谁\n",
    ),
    (
        "night/call_06.txt",
        "# conversation: R006\n# agent: 7006\n坐席：您好，请问有什么可以帮您？\n客户：我想问下你们营业厅旁边那个律师事务所几点开门\n坐席：这个不是我们的业务，您可以去问一下\n客户：好的，那我到时候投诉一下我们小区物业\n",
    ),
    (
        "night/call_07.txt",
        "# conversation: R007\n# agent: 7007\n坐席：您好，请问有什么可以帮您？\n客户：我在抖音上看到你们的广告，说新用户送一百块话费\n坐席：这个活动肯定能给您办，百分之百没问题\n",
    ),
    (
        "night/call_08.txt",
        "# conversation: R008\n# agent: 7008\n坐席：您好，请问有什么可以帮您？\n客户：我已经打了五次电话了，每次都说在处理，再这样我就找记者\n坐席：这个是系统问题，不归我们管\n",
    ),
];

fn calls() -> tempfile::TempDir {
    let files: Vec<(&str, &[u8])> = CALLS.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    fixture(&files)
}

/// Scan `night/` under `root` into `out` with extra arguments.
fn scan_night(root: &Path, out: &Path, extra: &[&str]) -> Vec<Row> {
    let night = root.join("night");
    let mut args = vec![night.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = scan(out, &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    rows(&out.join("hits.csv"))
}

/// The row of `file`'s finding of `category` on `line`.
fn find<'a>(hits: &'a [Row], file: &str, line: &str, category: &str) -> &'a Row {
    hits.iter()
        .find(|r| r["file"].ends_with(file) && r["line"] == line && r["category"] == category)
        .unwrap_or_else(|| panic!("no {category} finding at {file}:{line} in {hits:#?}"))
}

fn import(files: &[&Path], into: &Path) -> std::process::Output {
    callrisk()
        .args(["review", "import"])
        .args(files)
        .arg("--into")
        .arg(into)
        .output()
        .unwrap()
}

/// hits.csv with `review`/`review_note` filled for the rows `marks` names by hit_id, saved
/// the way Excel on a Chinese Windows saves a CSV: GBK (GB18030), CRLF.
fn mark_csv(hits: &Path, marks: &[(&str, &str, &str)], to: &Path) {
    let mut reader = csv::Reader::from_path(hits).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for record in reader.records() {
        let mut cells: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        if let Some((_, review, note)) = marks.iter().find(|(id, _, _)| *id == cells[at("hit_id")]) {
            cells[at("review")] = review.to_string();
            cells[at("review_note")] = note.to_string();
        }
        writer.write_record(&cells).unwrap();
    }
    let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    let (gbk, _, lossy) = encoding_rs::GB18030.encode(&text);
    assert!(!lossy);
    assert!(std::str::from_utf8(&gbk).is_err(), "the test file must really be GBK");
    std::fs::write(to, gbk).unwrap();
}

/// report.xlsx's findings sheet read back and written again (as a reviewer's save would) with
/// `review`/`review_note` filled for the rows `marks` names.
fn mark_workbook(report: &Path, marks: &[(&str, &str, &str)], to: &Path) {
    let mut book: Xlsx<_> = open_workbook(report).unwrap();
    let range = book.worksheet_range("findings").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let sheet = out.add_worksheet();
    sheet.set_name("findings").unwrap();
    for (c, name) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, name).unwrap();
    }
    for (r, row) in rows.enumerate() {
        let r = r as u32 + 1;
        let id = row[at("hit_id")].to_string();
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Data::Float(f) => sheet.write_number(r, c as u16, *f).map(|_| ()),
                Data::Bool(b) => sheet.write_boolean(r, c as u16, *b).map(|_| ()),
                Data::Empty => Ok(()),
                other => sheet.write_string(r, c as u16, other.to_string()).map(|_| ()),
            }
            .unwrap();
        }
        if let Some((_, review, note)) = marks.iter().find(|(m, _, _)| *m == id) {
            sheet.write_string(r, at("review") as u16, *review).unwrap();
            sheet.write_string(r, at("review_note") as u16, *note).unwrap();
        }
    }
    out.save(to).unwrap();
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_review_round_trip_stops_counting_what_qa_rejected_and_nothing_else() {
    let root = calls();
    let first = tempfile::tempdir().unwrap();
    let hits = scan_night(root.path(), first.path(), &["-j", "1"]);

    // Stable ids: the same in a second run with another -j, and with the folder moved.
    let again = tempfile::tempdir().unwrap();
    assert_eq!(scan_night(root.path(), again.path(), &["-j", "2"]), hits);
    let moved = tempfile::tempdir().unwrap();
    std::fs::rename(root.path().join("night"), moved.path().join("night")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let moved_hits = scan_night(moved.path(), elsewhere.path(), &[]);
    let ids = |rows: &[Row]| rows.iter().map(|r| r["hit_id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&moved_hits), ids(&hits));
    let mut unique = ids(&hits);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), hits.len(), "every finding has its own id");
    assert!(
        hits.iter()
            .all(|r| r["review"].is_empty() && r["review_note"].is_empty())
    );

    // QA's verdicts: three false alarms, four confirmed, one typo.
    let media_draw = &find(&hits, "call_05.txt", "4", "threat.media")["hit_id"];
    let lawyer_office = &find(&hits, "call_06.txt", "4", "threat.legal")["hit_id"];
    let fair_answer = &find(&hits, "call_06.txt", "5", "taboo.deflect")["hit_id"];
    let media_threat = &find(&hits, "call_04.txt", "4", "threat.media")["hit_id"];
    let lawyer_threat = &find(&hits, "call_04.txt", "6", "threat.legal")["hit_id"];
    let regulator = &find(&hits, "call_01.txt", "4", "threat.regulator")["hit_id"];
    let promise = &find(&hits, "call_07.txt", "5", "taboo.overpromise")["hit_id"];
    let repeat = &find(&hits, "call_08.txt", "4", "threat.repeat")["hit_id"];
    let reviews = tempfile::tempdir().unwrap();
    let csv = reviews.path().join("hits-reviewed.csv");
    mark_csv(
        &first.path().join("hits.csv"),
        &[
            (media_draw, "fp", "抽奖登记，不是投诉媒体"),
            (lawyer_office, "FP", ""),
            (media_threat, "tp", ""),
            (regulator, "对", ""),
            (lawyer_threat, "是", ""),
            (repeat, "maybe", ""),
        ],
        &csv,
    );
    let xlsx = reviews.path().join("report-reviewed.xlsx");
    mark_workbook(
        &first.path().join("report.xlsx"),
        &[(fair_answer, "错", "确实不是我们的业务"), (promise, "对", "")],
        &xlsx,
    );

    let dir = reviews.path().join("qa-dicts");
    let output = import(&[&csv, &xlsx], &dir);
    let err = stderr(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a review that is no review: exit 1\n{err}"
    );
    // Named by the row a spreadsheet shows it on (the header is row 1).
    let typo_row = hits.iter().position(|r| &r["hit_id"] == repeat).unwrap() + 2;
    assert!(
        err.contains(&format!(
            "hits-reviewed.csv row {typo_row}: review `maybe` is not tp/fp"
        )),
        "{err}"
    );
    assert!(err.contains("7 reviews read (4 tp, 3 fp)"), "{err}");
    let produced = ["reviews.csv", "review.exclude.toml", "rules.csv"].map(|n| read(&dir.join(n)));

    // Nothing personal is kept: the number on call 5's line is masked, digits as *.
    for bytes in &produced {
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains("13912345678"), "{text}");
    }
    let exclusions = String::from_utf8(produced[1].clone()).unwrap();
    assert!(!exclusions.contains("5678"), "{exclusions}");
    assert!(
        exclusions.contains("context = \"****在电视台登记过，就\""),
        "{exclusions}"
    );
    assert_eq!(
        exclusions.lines().filter(|l| *l == "[[exclude]]").count(),
        3,
        "{exclusions}"
    );

    // Importing the same files again changes nothing.
    let output = import(&[&csv, &xlsx], &dir);
    assert_eq!(output.status.code(), Some(1));
    for (name, bytes) in ["reviews.csv", "review.exclude.toml", "rules.csv"]
        .iter()
        .zip(&produced)
    {
        assert_eq!(&read(&dir.join(name)), bytes, "{name} changed on a second import");
    }

    // rules.csv: per rule, reviewed, confirmed, rejected and the precision.
    let rules = rows(&dir.join("rules.csv"));
    // One rule of each category was reviewed here.
    let rule = |category: &str, term: &str| {
        let found: Vec<&Row> = rules.iter().filter(|r| r["category"] == category).collect();
        assert_eq!(found.len(), 1, "{category} {term}: {rules:#?}");
        found[0]
    };
    let figures = |r: &Row| {
        (
            r["reviewed"].clone(),
            r["confirmed"].clone(),
            r["rejected"].clone(),
            r["precision"].clone(),
        )
    };
    let f = |a: &str, b: &str, c: &str, d: &str| (a.to_string(), b.to_string(), c.to_string(), d.to_string());
    assert_eq!(figures(rule("threat.media", "电视台")), f("2", "1", "1", "0.500"));
    assert_eq!(figures(rule("threat.legal", "律师")), f("2", "1", "1", "0.500"));
    assert_eq!(figures(rule("taboo.deflect", "业务")), f("1", "0", "1", "0.000"));
    assert_eq!(figures(rule("taboo.overpromise", "肯定")), f("1", "1", "0", "1.000"));
    assert_eq!(figures(rule("threat.regulator", "12315")), f("1", "1", "0", "1.000"));
    assert_eq!(rules.len(), 5, "the typo is no review: {rules:#?}");
    assert!(rule("threat.media", "电视台")["dictionary"].starts_with("dictionaries/threat.media.toml:"));

    // The rescan: the three rejected findings are reported, not counted, reason reviewed-fp;
    // every other finding is byte for byte what it was.
    let out = tempfile::tempdir().unwrap();
    let rescanned = scan_night(moved.path(), out.path(), &["--lexicon", dir.to_str().unwrap()]);
    assert_eq!(ids(&rescanned), ids(&hits));
    let rejected = [media_draw, lawyer_office, fair_answer];
    for (before, after) in moved_hits.iter().zip(&rescanned) {
        if rejected.contains(&&before["hit_id"]) {
            assert_eq!(before["counted"], "true");
            assert_eq!(
                (
                    after["counted"].as_str(),
                    after["negated"].as_str(),
                    after["reason"].as_str()
                ),
                ("false", "true", "reviewed-fp"),
                "{after:?}"
            );
        } else {
            assert_eq!(after, before);
        }
    }
    // The risk follows: call 6 had only false alarms, call 4 keeps its 电视台 and 律师.
    let conversations = rows(&out.path().join("conversations.csv"));
    let risk = |id: &str| conversations.iter().find(|c| c["conversation"] == id).unwrap()["risk_level"].clone();
    assert_eq!(risk("R006"), "none");
    assert_eq!(risk("R004"), "critical");
    assert_eq!(risk("R005"), "medium", "the agent's 你爱找谁找谁 still counts");
    // And the QA sheet: no apology is due after a threat QA rejected.
    let sheet = |dir: &Path| {
        rows(&dir.join("scorecard.csv"))
            .into_iter()
            .find(|c| c["conversation"] == "R005")
            .unwrap()["deductions"]
            .clone()
    };
    assert!(sheet(elsewhere.path()).contains("script.apology -10"));
    assert_eq!(
        sheet(out.path()),
        "taboo.impatience -10; script.further_help -5; script.closing -5"
    );

    // The exclusions all still match: lexicon check is clean.
    let check = callrisk().args(["lexicon", "check"]).arg(&dir).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // A later tp for the same hit takes its exclusion back: 律师 in call 6 counts again.
    let later = reviews.path().join("later.csv");
    mark_csv(
        &first.path().join("hits.csv"),
        &[(lawyer_office, "tp", "复核：算法律威胁")],
        &later,
    );
    let output = import(&[&later], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let exclusions = std::fs::read_to_string(dir.join("review.exclude.toml")).unwrap();
    assert_eq!(
        exclusions.lines().filter(|l| *l == "[[exclude]]").count(),
        2,
        "{exclusions}"
    );
    assert!(!exclusions.contains(lawyer_office.as_str()), "{exclusions}");
    let legal = rows(&dir.join("rules.csv"))
        .into_iter()
        .find(|r| r["category"] == "threat.legal")
        .unwrap();
    assert_eq!(figures(&legal), f("2", "2", "0", "1.000"));
    let out = tempfile::tempdir().unwrap();
    let rescanned = scan_night(moved.path(), out.path(), &["--lexicon", dir.to_str().unwrap()]);
    assert_eq!(find(&rescanned, "call_06.txt", "4", "threat.legal")["counted"], "true");
    assert_eq!(
        find(&rescanned, "call_05.txt", "4", "threat.media")["reason"],
        "reviewed-fp"
    );
}

#[test]
fn hit_ids_are_in_json_and_the_workbook_and_do_not_change_with_no_redact() {
    let root = calls();
    let out = tempfile::tempdir().unwrap();
    let hits = scan_night(root.path(), out.path(), &[]);
    let plain = tempfile::tempdir().unwrap();
    let clear = scan_night(root.path(), plain.path(), &["--no-redact"]);
    let ids = |rows: &[Row]| rows.iter().map(|r| r["hit_id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(&clear), ids(&hits));
    assert!(ids(&hits).iter().all(|id| id.len() == 17 && id.starts_with('h')));

    let night = root.path().join("night");
    let json = callrisk()
        .args(["scan", "--json", "-q", "--no-reports"])
        .arg(&night)
        .output()
        .unwrap();
    let from_json: Vec<String> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "finding")
        .map(|v| v["hit_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(from_json, ids(&hits));

    let mut book: Xlsx<_> = open_workbook(out.path().join("report.xlsx")).unwrap();
    let range = book.worksheet_range("findings").unwrap();
    let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(&header[header.len() - 3..], ["hit_id", "review", "review_note"]);
    let from_sheet: Vec<String> = range.rows().skip(1).map(|r| r[header.len() - 3].to_string()).collect();
    assert_eq!(from_sheet, ids(&hits));
}

#[test]
fn lexicon_check_names_an_exclusion_that_matches_nothing_any_more() {
    let dir = fixture(&[(
        "mine.toml",
        "# hand-written\n[[exclude]]\ncategory = \"threat.media\"\nphrase = \"天气\"\ncontext = \"今天天气很好\"\n"
            .as_bytes(),
    )]);
    let check = callrisk().args(["lexicon", "check"]).arg(dir.path()).output().unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{out}");
    assert!(
        out.contains("mine.toml:3") && out.contains("no longer matches"),
        "{out}"
    );
    assert!(out.contains("Delete this [[exclude]]"), "{out}");
}

#[test]
fn an_exclusion_holding_a_number_in_clear_is_refused_with_its_line() {
    let dir = fixture(&[(
        "mine.toml",
        "[[exclude]]\ncategory = \"threat.media\"\nphrase = \"电视台\"\ncontext = \"13912345678在电视台\"\n".as_bytes(),
    )]);
    let night = fixture(&[("a.txt", "客户：我要找电视台\n".as_bytes())]);
    let out = tempfile::tempdir().unwrap();
    let output = scan(
        out.path(),
        &[
            night.path().to_str().unwrap(),
            "--lexicon",
            dir.path().to_str().unwrap(),
        ],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("mine.toml line 4") && err.contains("139****5678"), "{err}");
    assert!(!err.contains("13912345678"), "{err}");
}

#[test]
fn a_personal_number_marked_fp_is_matched_masked_to_masked() {
    // The agent repeats back the number the customer asked to be called on: QA judges it
    // fine. The exclusion keeps the number masked and still matches the line on a rescan;
    // the same agent reading out another customer's number elsewhere still counts.
    let root = fixture(&[
        (
            "night/a.txt",
            "坐席：您好，请问有什么可以帮您？\n客户：你们回电打我另一个号\n坐席：好的，回电号码13912345678对吧，我记下了\n"
                .as_bytes(),
        ),
        (
            "night/b.txt",
            "坐席：您好\n客户：我想查一下我老婆的号\n坐席：她的号码是13698765432，我念给您\n".as_bytes(),
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let hits = scan_night(root.path(), out.path(), &[]);
    let privacy = find(&hits, "a.txt", "3", "taboo.privacy");
    assert_eq!(privacy["counted"], "true", "{hits:#?}");
    let other = find(&hits, "b.txt", "3", "taboo.privacy");
    assert_eq!(other["counted"], "true");
    let reviews = tempfile::tempdir().unwrap();
    let marked = reviews.path().join("hits.csv");
    mark_csv(
        &out.path().join("hits.csv"),
        &[(&privacy["hit_id"], "fp", "客户自己要求回电")],
        &marked,
    );
    let dir = reviews.path().join("dicts");
    let output = import(&[&marked], &dir);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let exclusions = std::fs::read_to_string(dir.join("review.exclude.toml")).unwrap();
    assert!(!exclusions.contains("13912345678"), "{exclusions}");
    assert!(exclusions.contains("phrase = \"139****5678\""), "{exclusions}");

    let again = tempfile::tempdir().unwrap();
    let rescanned = scan_night(root.path(), again.path(), &["--lexicon", dir.to_str().unwrap()]);
    assert_eq!(find(&rescanned, "a.txt", "3", "taboo.privacy")["reason"], "reviewed-fp");
    assert_eq!(find(&rescanned, "b.txt", "3", "taboo.privacy")["counted"], "true");
}

/// Two recordings named by the caller's number, differing only in masked digits, show as one
/// name, and their findings share a hit_id. QA marking one tp and the other fp in one file
/// cannot be decided: neither review is kept, no exclusion is written, and it is said.
#[test]
fn one_hit_marked_both_tp_and_fp_keeps_neither_and_says_so() {
    let call = "坐席：您好\n客户：再不处理我就去12315投诉\n";
    let root = fixture(&[
        ("night/call_13912345678.txt", call.as_bytes()),
        ("night/call_13900005678.txt", call.as_bytes()),
    ]);
    let out = root.path().join("out");
    let hits = scan_night(root.path(), &out, &[]);
    let regulator: Vec<&Row> = hits.iter().filter(|r| r["category"] == "threat.regulator").collect();
    assert_eq!(regulator.len(), 2);
    assert_eq!(regulator[0]["hit_id"], regulator[1]["hit_id"], "masked names, one id");
    // The reviewer's file: the first row tp, the second fp.
    let mut reader = csv::Reader::from_path(out.join("hits.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    let mut marks = ["tp", "fp"].into_iter();
    for record in reader.records() {
        let mut cells: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
        if cells[at("category")] == "threat.regulator" {
            cells[at("review")] = marks.next().unwrap().to_string();
        }
        writer.write_record(&cells).unwrap();
    }
    let reviewed = root.path().join("reviewed.csv");
    std::fs::write(&reviewed, writer.into_inner().unwrap()).unwrap();
    let qa = root.path().join("qa");
    // An earlier night's import marked the hit fp: the conflict now must not leave that
    // exclusion in place either.
    let earlier = root.path().join("earlier.csv");
    let text = std::fs::read_to_string(&reviewed).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let fp_row = lines.find(|l| l.contains(",fp,") || l.contains(",fp")).unwrap();
    std::fs::write(&earlier, format!("{header}\n{fp_row}\n")).unwrap();
    assert_eq!(import(&[&earlier], &qa).status.code(), Some(0));
    let exclusions = std::fs::read_to_string(qa.join("review.exclude.toml")).unwrap();
    assert!(exclusions.lines().any(|l| l.starts_with("[[exclude]]")), "{exclusions}");
    let output = import(&[&reviewed], &qa);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is marked both tp and fp"),
        "{}",
        stderr(&output)
    );
    let exclusions = std::fs::read_to_string(qa.join("review.exclude.toml")).unwrap();
    assert!(
        !exclusions.lines().any(|l| l.starts_with("[[exclude]]")),
        "{exclusions}"
    );
}
