//! Fuzzing every parser with proptest: arbitrary bytes and mutations of real samples, in every
//! format, must never panic, and whatever is read must be well-formed (lines within the input,
//! problems with a reason). Run more cases with PROPTEST_CASES=100000.

use callrisk::input::{Event, Format, ParseConfig, read_bytes};
use proptest::prelude::*;

const FORMATS: [Format; 10] = [
    Format::Text,
    Format::Jsonl,
    Format::JsonChat,
    Format::Csv,
    Format::Srt,
    Format::Vtt,
    Format::Funasr,
    Format::Whisper,
    Format::Aliyun,
    Format::Tencent,
];

const SAMPLES: [&str; 10] = [
    "samples/calls/call_0001_broadband.txt",
    "samples/formats/chat_sessions.jsonl",
    "samples/formats/chat_export_gbk.csv",
    "samples/formats/funasr_result.json",
    "samples/formats/funasr_printed.txt",
    "samples/formats/whisper_result.json",
    "samples/formats/aliyun_result.json",
    "samples/formats/tencent_result.json",
    "samples/formats/call_subtitles.srt",
    "samples/formats/call_subtitles.vtt",
];

/// Read `bytes` as `format` (or detected, for `None`) and check what comes out.
fn read_checked(bytes: &[u8], format: Option<Format>) {
    let config = ParseConfig {
        format,
        agent_channel: Some("0".into()),
        ..ParseConfig::default()
    };
    // Lines end at LF, CRLF or a lone CR.
    let lone_cr =
        bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count() + usize::from(bytes.last() == Some(&b'\r'));
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr + 1;
    let mut events = 0;
    let result = read_bytes(bytes, Some("txt"), &config, &mut |event| {
        events += 1;
        match event {
            Event::Conversation(c) => {
                assert!(!c.utterances.is_empty());
                for u in &c.utterances {
                    assert!(u.line >= 1 && u.line <= lines, "line {} of {lines}", u.line);
                }
            }
            Event::Problem { line, reason } => {
                assert!(!reason.is_empty());
                assert!(
                    line.is_none_or(|l| l >= 1 && l <= lines + 1),
                    "problem line {line:?} of {lines}"
                );
            }
        }
    });
    if let Err(reason) = result {
        assert!(!reason.is_empty());
    }
}

fn mutate(bytes: &mut Vec<u8>, edits: &[(usize, u8, u8)]) {
    for &(at, kind, value) in edits {
        if bytes.is_empty() {
            bytes.push(value);
            continue;
        }
        let at = at % bytes.len();
        match kind % 4 {
            0 => bytes[at] = value,
            1 => bytes.insert(at, value),
            2 => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_in_every_format(bytes in proptest::collection::vec(any::<u8>(), 0..600), format in 0..=FORMATS.len()) {
        read_checked(&bytes, FORMATS.get(format).copied());
    }

    #[test]
    fn mutated_samples_in_every_format(
        sample in 0..SAMPLES.len(),
        format in 0..=FORMATS.len(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..12),
    ) {
        let mut bytes = std::fs::read(SAMPLES[sample]).unwrap();
        mutate(&mut bytes, &edits);
        read_checked(&bytes, FORMATS.get(format).copied());
    }

    #[test]
    fn text_that_looks_like_chinese_transcripts(lines in proptest::collection::vec("[\\[\\]0-9:：.客服户坐席用戶# 幺一二三投诉12315媒体不会如果\\{\\}\"',\\-\\->]{0,40}", 0..30)) {
        let text = lines.join("\n");
        for format in FORMATS {
            read_checked(text.as_bytes(), Some(format));
        }
    }
}
