//! OpenAI Whisper JSON: `segments` with `start` and `end` (seconds) and `text`; whisperX-style
//! `speaker` ids when diarised. Chinese often arrives as `\uXXXX` escapes and in traditional
//! characters; both are handled downstream (JSON parsing, normalisation).

use serde_json::Value;

use super::json_doc::{CallBuilder, number, string};
use super::{Event, ParseContext};

pub fn parse(document: &Value, raw: &str, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let segments = document
        .get("segments")
        .and_then(Value::as_array)
        .ok_or("no `segments` in this Whisper result")?;
    let mut call = CallBuilder::new(context.default_id.clone(), raw);
    for segment in segments {
        let Some(text) = string(segment.get("text")) else {
            continue;
        };
        let start = number(segment.get("start")).map(|seconds| seconds * 1000.0);
        let end = number(segment.get("end")).map(|seconds| seconds * 1000.0);
        let speaker = call.speaker_of(string(segment.get("speaker")), context);
        call.sentence(text, start, end, speaker);
    }
    call.finish(sink);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::chat::FieldNames;
    use crate::input::json_doc::{parse_document, work};
    use crate::transcript::{Conversation, SpeakerLabels};

    /// The conversations of a Whisper result, and the work spent locating their lines.
    fn parse_counted(raw: &str) -> (Vec<Conversation>, u64) {
        let (labels, fields) = (SpeakerLabels::default(), FieldNames::default());
        let context = ParseContext {
            default_id: "call".into(),
            labels: &labels,
            fields: &fields,
            agent_channel: &None,
            offload: &crate::input::Inline,
        };
        let document = parse_document(raw).unwrap();
        let mut calls = Vec::new();
        work::take();
        parse(&document, raw, &context, &mut |event| {
            if let Event::Conversation(c) = event {
                calls.push(c)
            }
        })
        .unwrap();
        (calls, work::take())
    }

    /// `n` segments as Whisper writes them with `indent=2`: seven lines each, after two.
    fn whisper_result(n: usize) -> String {
        let segments: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "    {{\n      \"id\": {i},\n      \"start\": {i}.5,\n      \"text\": \"\\u518d\\u4e0d\\u8655\\u7406\\u6211\\u5c31\\u53bb\\u6295\\u8a34 {i}\",\n      \"speaker\": \"SPEAKER_0{}\"\n    }}",
                    i % 2
                )
            })
            .collect();
        format!("{{\n  \"segments\": [\n{}\n  ]\n}}\n", segments.join(",\n"))
    }

    #[test]
    fn lines_of_fifty_thousand_segments_in_linear_work() {
        work::assert_linear("Whisper segments", 12_500, |n| {
            let (calls, work) = parse_counted(&whisper_result(n));
            let utterances = &calls[0].utterances;
            assert_eq!(utterances.len(), n);
            let last = &utterances[n - 1];
            assert_eq!(last.text, format!("再不處理我就去投訴 {}", n - 1));
            assert_eq!(last.line, 3 + 6 * (n - 1) + 3);
            work
        });
    }

    #[test]
    fn one_eight_megabyte_segment_in_linear_work() {
        work::assert_linear("one long segment", 2 << 20, |bytes| {
            let text = "我要投诉你们，".repeat(bytes / 21);
            let raw = format!("{{\"segments\": [{{\"start\": 0, \"text\": \"{text}\"}}]}}");
            let (calls, work) = parse_counted(&raw);
            assert_eq!(calls[0].utterances[0].text.len(), text.trim().len());
            assert_eq!(calls[0].utterances[0].line, 1);
            work
        });
    }
}
