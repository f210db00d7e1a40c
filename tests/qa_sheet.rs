//! The QA score sheet as a supervisor checks it: one call in every timed format with known
//! silences and overtalk (tests/qa/timed, written by tests/qa/generate.py), calls that miss each
//! script item and one that meets them all in unusual words (tests/qa/script), and the reports
//! and checks a QA lead reads (scorecard.csv, agents.csv, --scorecard, lexicon check).

mod common;

use std::path::Path;

use callrisk::category::Speaker;
use callrisk::config::Engine;
use callrisk::detect::finding::{Check, Outcome};
use callrisk::input::{Event, FieldNames, Input, ParseConfig, read};
use callrisk::lexicon::Lexicon;
use callrisk::pipeline::scan_conversation;
use callrisk::score::ScannedConversation;
use callrisk::transcript::SpeakerLabels;
use common::{callrisk, rows, scan, stderr};

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Lexicon::builtin().unwrap()))
}

/// Every conversation of `path`, scanned as `scan` does, with channel 0 the agent.
fn scanned(path: &str) -> Vec<ScannedConversation> {
    let config = ParseConfig {
        labels: SpeakerLabels::default(),
        format: None,
        encoding: None,
        fields: FieldNames::default(),
        agent_channel: Some("0".into()),
        meta: None,
    };
    let mut conversations = Vec::new();
    read(&Input::file(path.into()), &config, &mut |event| {
        if let Event::Conversation(c) = event {
            conversations.push(scan_conversation(c, engine(), callrisk::category::Severity::Low));
        }
    })
    .unwrap_or_else(|e| panic!("{path}: {e:?}"));
    assert!(!conversations.is_empty(), "{path}: no conversation");
    conversations
}

/// A check as a test compares it: outcome, the utterance's text, at_ms, duration_ms.
type Seen<'a> = (Outcome, Option<&'a str>, Option<u64>, Option<u64>);

/// The checks of `id`.
fn checks<'a>(c: &'a ScannedConversation, id: &str) -> Vec<Seen<'a>> {
    c.checks
        .iter()
        .filter(|k| k.id == id)
        .map(|k: &Check| {
            let text = k.utterance.map(|u| c.conversation.utterances[u].text.as_str());
            (k.outcome, text, k.at_ms, k.duration_ms)
        })
        .collect()
}

const TIMED: [&str; 7] = [
    "tests/qa/timed/funasr.json",
    "tests/qa/timed/whisper.json",
    "tests/qa/timed/aliyun.json",
    "tests/qa/timed/tencent.json",
    "tests/qa/timed/call.srt",
    "tests/qa/timed/call.vtt",
    "tests/qa/timed/ranges.txt",
];

#[test]
fn every_timed_format_gives_each_utterance_its_start_and_end() {
    for path in TIMED {
        let call = &scanned(path)[0].conversation;
        let times: Vec<(Speaker, Option<u64>, Option<u64>)> = call
            .utterances
            .iter()
            .map(|u| (u.speaker, u.start_ms, u.end_ms))
            .collect();
        assert_eq!(times.len(), 12, "{path}");
        assert_eq!(times[0], (Speaker::Agent, Some(0), Some(3_000)), "{path}");
        assert_eq!(times[2], (Speaker::Agent, Some(6_500), Some(10_000)), "{path}");
        assert_eq!(times[11], (Speaker::Agent, Some(60_000), Some(62_000)), "{path}");
        assert_eq!(callrisk::detect::timing::duration_ms(call), Some(62_000), "{path}");
    }
}

#[test]
fn the_unannounced_silence_is_found_where_it_is_and_the_announced_one_is_not() {
    for path in TIMED {
        let call = &scanned(path)[0];
        // 15.0 → 27.0 s follows 请稍等，我帮您查一下: announced. 34.0 → 50.0 s is not.
        assert_eq!(
            checks(call, "timing.silence"),
            [(
                Outcome::Missed,
                Some("已经给您派单了，师傅明天上午上门。"),
                Some(34_000),
                Some(16_000)
            )],
            "{path}"
        );
    }
}

#[test]
fn overtalk_is_counted_at_the_agents_line_with_its_length() {
    for path in TIMED {
        let call = &scanned(path)[0];
        let found = checks(call, "timing.overtalk");
        assert_eq!(
            found,
            [
                (
                    Outcome::Missed,
                    Some("这事儿确实让您受累了，先跟您核对一下身份，您贵姓？"),
                    Some(6_500),
                    Some(1_500)
                ),
                (
                    Outcome::Missed,
                    Some("您看还有别的需要帮忙的吗？"),
                    Some(54_800),
                    Some(1_200)
                ),
            ],
            "{path}"
        );
        let longest = call.checks.iter().find(|c| c.id == "timing.overtalk").unwrap();
        assert!(
            longest.detail.contains("2 in the call, longest 1.5 s"),
            "{}",
            longest.detail
        );
    }
}

#[test]
fn the_timed_call_scores_as_the_sheet_says() {
    for path in TIMED {
        let call = &scanned(path)[0];
        // One silence (-5) and two overtalks (-3 each); the script is met throughout.
        assert_eq!(call.sheet.score, Some(89), "{path}: {}", call.sheet.deductions_text());
        assert_eq!(
            call.sheet.deductions_text(),
            "timing.silence -5; timing.overtalk -6 (2×)",
            "{path}"
        );
        assert!(!call.sheet.fatal);
        assert_eq!(checks(call, "timing.speech_rate")[0].0, Outcome::Met, "{path}");
    }
}

#[test]
fn without_end_times_timing_is_not_applicable_never_guessed() {
    // Start times only: a transcript as most call centres export it.
    for call in scanned("samples/calls/call_0001_broadband.txt") {
        for id in ["timing.silence", "timing.overtalk", "timing.speech_rate"] {
            let found = checks(&call, id);
            assert_eq!(found.len(), 1, "{id}");
            assert_eq!(found[0].0, Outcome::NotApplicable, "{id}");
        }
    }
    // A chat: times are the clock, not offsets into a call.
    for call in scanned("samples/formats/chat_sessions.jsonl") {
        assert!(call.conversation.utterances.iter().all(|u| u.start_ms.is_none()));
        assert_eq!(checks(&call, "timing.silence")[0].0, Outcome::NotApplicable);
    }
}

/// (script item, its outcome) for each script item of a call.
fn script_outcomes(call: &ScannedConversation) -> Vec<(String, Outcome, Option<usize>)> {
    call.checks
        .iter()
        .filter(|c| c.id.starts_with("script."))
        .map(|c| {
            let line = c.utterance.map(|u| call.conversation.utterances[u].line);
            (c.id.clone(), c.outcome, line)
        })
        .collect()
}

#[test]
fn a_call_that_misses_one_item_is_missed_there_and_only_there() {
    use Outcome::{Met, Missed, NotApplicable};
    // (file, the item missed, its line, what the other items are)
    type Case<'a> = (&'a str, &'a str, usize, [(&'a str, Outcome); 4]);
    let cases: [Case; 5] = [
        (
            "missed_greeting",
            "script.greeting",
            2,
            [
                ("script.verification", NotApplicable),
                ("script.apology", NotApplicable),
                ("script.further_help", Met),
                ("script.closing", Met),
            ],
        ),
        (
            "missed_verification",
            "script.verification",
            4,
            [
                ("script.greeting", Met),
                ("script.apology", NotApplicable),
                ("script.further_help", Met),
                ("script.closing", Met),
            ],
        ),
        (
            "missed_apology",
            "script.apology",
            3,
            [
                ("script.greeting", Met),
                ("script.verification", NotApplicable),
                ("script.further_help", Met),
                ("script.closing", Met),
            ],
        ),
        (
            "missed_further_help",
            "script.further_help",
            8,
            [
                ("script.greeting", Met),
                ("script.verification", NotApplicable),
                ("script.apology", NotApplicable),
                ("script.closing", Met),
            ],
        ),
        (
            "missed_closing",
            "script.closing",
            8,
            [
                ("script.greeting", Met),
                ("script.verification", NotApplicable),
                ("script.apology", NotApplicable),
                ("script.further_help", Met),
            ],
        ),
    ];
    let sheet = &engine().scorecard;
    for (file, missed, line, others) in cases {
        let call = &scanned(&format!("tests/qa/script/{file}.txt"))[0];
        let outcomes = script_outcomes(call);
        let missed_here: Vec<_> = outcomes.iter().filter(|(_, o, _)| *o == Missed).collect();
        assert_eq!(
            missed_here,
            [&(missed.to_string(), Missed, Some(line))],
            "{file}: {outcomes:?}"
        );
        for (id, want) in others {
            let got = outcomes.iter().find(|(i, _, _)| i == id).map(|(_, o, _)| *o);
            assert_eq!(got, Some(want), "{file}: {id}");
        }
        let points = sheet.item_for(missed).unwrap().points;
        assert_eq!(
            call.sheet.score,
            Some(100 - points),
            "{file}: {}",
            call.sheet.deductions_text()
        );
    }
}

#[test]
fn asr_lines_without_punctuation_are_judged_like_a_transcript() {
    // FunASR, spaces for pauses: 您好 … 这边是…客服中心, 不好意思 after 怎么搞的, 还有别的需要吗,
    // and no goodbye.
    let call = &scanned("tests/qa/script/asr_missed_closing.json")[0];
    let outcomes = script_outcomes(call);
    assert_eq!(
        outcomes,
        [
            ("script.greeting".to_string(), Outcome::Met, Some(3)),
            ("script.verification".to_string(), Outcome::NotApplicable, None),
            ("script.apology".to_string(), Outcome::Met, Some(5)),
            ("script.further_help".to_string(), Outcome::Met, Some(7)),
            ("script.closing".to_string(), Outcome::Missed, Some(9)),
        ]
    );
    assert_eq!(call.sheet.deductions_text(), "script.closing -5");
}

#[test]
fn apology_words_after_a_negator_are_not_an_apology() {
    // 我不会跟您道歉的 answers the complaint with a refusal: the apology is missed there.
    let refused = &scanned("tests/qa/negation/refused_apology.txt")[0];
    let apology = script_outcomes(refused)
        .into_iter()
        .find(|(id, ..)| id == "script.apology");
    assert_eq!(apology, Some(("script.apology".to_string(), Outcome::Missed, Some(3))));
    // 我们也没办法真的很抱歉, unpunctuated: 没办法 belongs to the clause before; the apology is met.
    let far = &scanned("tests/qa/negation/apology_after_a_negator_far_off.txt")[0];
    let apology = script_outcomes(far).into_iter().find(|(id, ..)| id == "script.apology");
    assert_eq!(apology, Some(("script.apology".to_string(), Outcome::Met, Some(4))));
}

#[test]
fn account_details_said_in_words_need_verification_first() {
    // 您的账户上个月扣了两百元 after 身份证后四位: verified first, met there.
    let verified = &scanned("tests/qa/verification/account_in_words_verified.txt")[0];
    let outcome = script_outcomes(verified)
        .into_iter()
        .find(|(id, ..)| id == "script.verification");
    assert_eq!(
        outcome,
        Some(("script.verification".to_string(), Outcome::Met, Some(3)))
    );
    // 您名下这张卡上个月扣了 with no check before it: missed where the detail was read out.
    let unverified = &scanned("tests/qa/verification/account_in_words_unverified.txt")[0];
    let outcome = script_outcomes(unverified)
        .into_iter()
        .find(|(id, ..)| id == "script.verification");
    assert_eq!(
        outcome,
        Some(("script.verification".to_string(), Outcome::Missed, Some(3)))
    );
}

#[test]
fn items_said_in_unusual_words_are_met() {
    let call = &scanned("tests/qa/script/met_in_unusual_words.txt")[0];
    let outcomes = script_outcomes(call);
    // 早上好…客服中心 / 报一下身份证后四位 / 是我们没做好 / 还有没有别的业务 / 周末愉快
    let want = [
        ("script.greeting", 2),
        ("script.verification", 5),
        ("script.apology", 4),
        ("script.further_help", 9),
        ("script.closing", 11),
    ];
    for (id, line) in want {
        assert!(
            outcomes.contains(&(id.to_string(), Outcome::Met, Some(line))),
            "{id} at line {line}: {outcomes:?}"
        );
    }
    assert_eq!(call.sheet.score, Some(100), "{}", call.sheet.deductions_text());
}

#[test]
fn scorecard_csv_and_agents_csv_carry_the_scores() {
    let out = tempfile::tempdir().unwrap();
    // The six transcripts of tests/qa/script (the ASR call there needs --agent-channel).
    let mut inputs: Vec<String> = std::fs::read_dir("tests/qa/script")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".txt"))
        .collect();
    inputs.sort();
    assert_eq!(inputs.len(), 6);
    inputs.push("samples/calls/call_0005_privacy.txt".into());
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let output = scan(out.path(), &inputs);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let sheet = rows(&out.path().join("scorecard.csv"));
    let header: Vec<&str> = sheet[0].keys().map(String::as_str).collect();
    let mut want = vec!["agent", "conversation", "deductions", "fatal", "file", "score"];
    want.sort();
    assert_eq!(header, want);
    let row = |conversation: &str| {
        sheet
            .iter()
            .find(|r| r["conversation"] == conversation)
            .unwrap_or_else(|| panic!("no row for {conversation}"))
    };
    assert_eq!(row("missed-verification")["score"], "85");
    assert_eq!(row("missed-verification")["deductions"], "script.verification -15");
    assert_eq!(row("unusual-words")["deductions"], "");
    // A number read out is fatal: the call is zeroed whatever else it did.
    let privacy = row("C20261122-0005");
    assert_eq!((privacy["score"].as_str(), privacy["fatal"].as_str()), ("0", "true"));
    assert!(
        privacy["deductions"].starts_with("taboo.privacy fatal (3×)"),
        "{privacy:?}"
    );

    let agents = rows(&out.path().join("agents.csv"));
    let agent = agents.iter().find(|r| r["agent"] == "5512").unwrap();
    assert_eq!(
        (
            agent["mean_score"].as_str(),
            agent["worst_score"].as_str(),
            agent["fatal_calls"].as_str()
        ),
        ("0.0", "0", "1")
    );
    let unknown = agents.iter().find(|r| r["agent"].is_empty()).unwrap();
    assert_eq!(unknown["conversations"], "6");
    // 100, 95, 85, 90, 95, 95 (unusual words, greeting, verification, apology, help, closing).
    assert_eq!(unknown["mean_score"], "93.3");
    assert_eq!(unknown["worst_score"], "85");
    assert_eq!(unknown["fatal_calls"], "0");
}

/// A chat nobody answered, and a recognised call whose speakers the recogniser did not name:
/// no line is known to be the agent's, so the script is not judged and neither is scored (no
/// 100 for a supervisor to read as a good call, no misses charged to nobody), and neither pulls
/// an agent's mean up. A number read out on a line of an unknown speaker still zeroes its call.
#[test]
fn a_conversation_where_no_agent_spoke_is_not_scored() {
    let dir = tempfile::tempdir().unwrap();
    let unanswered = dir.path().join("unanswered.txt");
    std::fs::write(
        &unanswered,
        "客户：你好，我的快递三天没动了，能帮忙查一下吗\n客户：在吗？怎么一直没人回复\n客户：再不回我就打12315投诉你们\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let unanswered = unanswered.display().to_string();
    let inputs = [
        unanswered.as_str(),
        "samples/formats/funasr_result.json",
        "samples/formats/tencent_result.json",
        "tests/qa/script/missed_verification.txt",
    ];
    let output = scan(out.path(), &inputs);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let sheet = rows(&out.path().join("scorecard.csv"));
    let score = |conversation: &str| {
        let row = sheet.iter().find(|r| r["conversation"] == conversation).unwrap();
        (row["score"].clone(), row["fatal"].clone(), row["deductions"].clone())
    };
    let blank = (String::new(), "false".to_string(), String::new());
    assert_eq!(score("unanswered"), blank);
    assert_eq!(score("rec_20261122_0931"), blank, "funasr without speakers");
    let leak = ("0".to_string(), "true".to_string(), "taboo.privacy fatal".to_string());
    assert_eq!(score("tencent_result"), leak, "no script misses, the red line kept");
    assert_eq!(score("missed-verification").0, "85");
    // The four share the blank agent: the mean and the worst are the two scored calls'.
    let agents = rows(&out.path().join("agents.csv"));
    let unknown = agents.iter().find(|r| r["agent"].is_empty()).unwrap();
    assert_eq!(unknown["conversations"], "4");
    assert_eq!(unknown["scored_calls"], "2", "the mean is over these");
    assert_eq!(
        (
            unknown["mean_score"].as_str(),
            unknown["worst_score"].as_str(),
            unknown["fatal_calls"].as_str()
        ),
        ("42.5", "0", "1")
    );
    // The threat in the unanswered chat is still found and ranked.
    let conversations = rows(&out.path().join("conversations.csv"));
    let chat = conversations
        .iter()
        .find(|r| r["conversation"] == "unanswered")
        .unwrap();
    assert!(chat["categories"].contains("threat.regulator"), "{chat:?}");
    // In JSON Lines the score is null, not 100.
    let json = callrisk()
        .args(["scan", "--json", "-q", "--no-reports"])
        .args(inputs)
        .output()
        .unwrap();
    let objects: Vec<serde_json::Value> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let qa_score = |conversation: &str| {
        objects
            .iter()
            .find(|o| o["type"] == "conversation" && o["conversation"] == conversation)
            .map(|o| o["qa_score"].clone())
            .unwrap()
    };
    assert_eq!(qa_score("unanswered"), serde_json::Value::Null);
    assert_eq!(qa_score("missed-verification"), serde_json::json!(85));
}

#[test]
fn a_teams_own_sheet_replaces_the_shipped_one() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("strict.toml");
    std::fs::write(
        &sheet,
        "name = \"严格\"\n[[item]]\nid = \"script\"\npoints = 30\n[[item]]\nid = \"script.closing\"\nfatal = true\n",
    )
    .unwrap();
    let out = dir.path().join("r");
    let output = scan(
        &out,
        &[
            "tests/qa/script/missed_greeting.txt",
            "tests/qa/script/missed_closing.txt",
            "--scorecard",
            sheet.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows = rows(&out.join("scorecard.csv"));
    let scores: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["score"].as_str(), r["fatal"].as_str()))
        .collect();
    // The group `script` takes 30 for the greeting; the closing is fatal on this sheet.
    assert_eq!(scores, [("70", "false"), ("0", "true")]);
}

#[test]
fn lexicon_check_names_an_unknown_item_and_points_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("scorecard.toml"),
        "[[item]]\nid = \"script.greting\"\npoints = 5\n\n[[item]]\nid = \"taboo.impatience\"\npoints = 500\n",
    )
    .unwrap();
    let output = callrisk().args(["lexicon", "check"]).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "a sheet that does not load is status 2");
    let text = stderr(&output);
    assert!(
        text.contains("scorecard.toml line 2: unknown item `script.greting` (did you mean script.greeting?)"),
        "{text}"
    );
    assert!(
        text.contains("scorecard.toml line 6: item `taboo.impatience`: points = 500"),
        "{text}"
    );
}

#[test]
fn explain_shows_the_sheet_of_a_call() {
    let output = callrisk()
        .args(["explain", "--color", "never", "tests/qa/script/missed_apology.txt"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("QA sheet «默认质检评分表»: score 90/100"), "{text}");
    assert!(
        text.contains(
            "missed          script.apology       line 3: not said within 2 turns after «太过分» (-10 each, at most 20)"
        ),
        "{text}"
    );
    assert!(
        text.contains("met             script.closing       line 10: said «再见»"),
        "{text}"
    );
    assert!(text.contains("deducted        script.apology -10"), "{text}");
}

#[test]
fn the_shipped_sheet_loads_and_scores_every_item_the_detectors_find() {
    let engine = engine();
    let ids: Vec<&str> = engine.scorecard.items.iter().map(|i| i.id.as_str()).collect();
    for id in engine.lexicon.script.ids().chain(callrisk::script::TIMING_IDS) {
        assert!(engine.scorecard.item_for(id).is_some(), "{id} is on no item of {ids:?}");
    }
    for fatal in ["taboo.privacy", "taboo.incite"] {
        assert!(engine.scorecard.item_for(fatal).unwrap().fatal, "{fatal}");
    }
    assert!(Path::new("dictionaries/scorecard.toml").is_file());
}
