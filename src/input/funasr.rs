//! FunASR / Paraformer results: `sentence_info` sentences with `text`, `start`/`end` in
//! milliseconds and `spk`, as JSON or as the Python repr that `print(res)` writes. A list of
//! results is one conversation per result (its `key` is the id).
//!
//! A result without sentences (FunASR writes `sentence_info` only with a speaker model or
//! `sentence_timestamp`) is its `text`: one utterance, with no time and an unknown speaker.
//! A result with neither is reported with the line it reached; no text is dropped unsaid.

use serde_json::Value;

use crate::category::Speaker;

use super::json_doc::{CallBuilder, LineLocator, number, string};
use super::{Event, ParseContext};

pub fn parse(document: &Value, raw: &str, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let results: Vec<&Value> = match document {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    // Recognised, even if nothing was said: a `sentence_info` list or a `text` string.
    let recognised = |result: &Value| {
        result.get("sentence_info").is_some_and(Value::is_array) || result.get("text").is_some_and(Value::is_string)
    };
    if !results.iter().any(|result| recognised(result)) {
        return Err("no `sentence_info` or `text` in this FunASR result".into());
    }
    // One locator over the whole document: results come in order, lines go on.
    let mut locate = LineLocator::new(raw);
    for (index, result) in results.into_iter().enumerate() {
        let sentences = result
            .get("sentence_info")
            .and_then(Value::as_array)
            .filter(|sentences| sentences.iter().any(|s| string(s.get("text")).is_some()));
        // The whole text stands in for the sentences only when there are none.
        let text = string(result.get("text")).filter(|text| sentences.is_none() && !text.trim().is_empty());
        if sentences.is_none() && text.is_none() {
            if !recognised(result) {
                sink(Event::Problem {
                    line: Some(locate.current()),
                    reason: format!("result {} has neither `sentence_info` nor `text`", index + 1),
                });
            }
            continue;
        }
        let id = string(result.get("key")).unwrap_or_else(|| {
            if index == 0 {
                context.default_id.clone()
            } else {
                format!("{}#{}", context.default_id, index + 1)
            }
        });
        let mut call = CallBuilder::continuing(id, locate);
        for sentence in sentences.into_iter().flatten() {
            let Some(text) = string(sentence.get("text")) else {
                continue;
            };
            let speaker = call.speaker_of(string(sentence.get("spk")), context);
            call.sentence(
                text,
                number(sentence.get("start")),
                number(sentence.get("end")),
                speaker,
            );
        }
        if let Some(text) = text {
            call.sentence(text, None, None, Speaker::Unknown);
        }
        locate = call.finish(sink);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::chat::FieldNames;
    use crate::input::json_doc::parse_document;
    use crate::transcript::SpeakerLabels;

    /// (id, line, time, speaker, text) of each utterance, and (line, reason) of each problem.
    type Read = (Vec<(String, usize, String, Speaker, String)>, Vec<(usize, String)>);

    fn read(raw: &str) -> Result<Read, String> {
        let (labels, fields) = (SpeakerLabels::default(), FieldNames::default());
        let agent = Some("0".to_string());
        let context = ParseContext {
            default_id: "rec".into(),
            labels: &labels,
            fields: &fields,
            agent_channel: &agent,
            offload: &crate::input::Inline,
        };
        let (mut utterances, mut problems) = (Vec::new(), Vec::new());
        parse(&parse_document(raw)?, raw, &context, &mut |event| match event {
            Event::Conversation(c) => utterances.extend(
                c.utterances
                    .into_iter()
                    .map(|u| (c.id.clone(), u.line, u.time, u.speaker, u.text)),
            ),
            Event::Problem { line, reason } => problems.push((line.unwrap_or(0), reason)),
        })?;
        Ok((utterances, problems))
    }

    #[test]
    fn a_result_without_sentence_info_is_its_text() {
        let raw = concat!(
            "[{'key': 'rec_01', 'text': '你们再不退款我就去消协投诉', 'timestamp': [[0, 300]]},\n",
            " {'key': 'rec_02', 'text': '您好售后服务中心', 'sentence_info': [\n",
            "   {'text': '您好，售后服务中心。', 'start': 300, 'end': 1500, 'spk': 0}]},\n",
            " {'key': 'rec_03', 'text': '', 'sentence_info': []},\n",
            " {'key': 'rec_04', 'text': '我要找记者曝光', 'sentence_info': []}]",
        );
        let (utterances, problems) = read(raw).unwrap();
        let want = [
            ("rec_01", 1, "", Speaker::Unknown, "你们再不退款我就去消协投诉"),
            ("rec_02", 3, "00:00:00.300", Speaker::Agent, "您好，售后服务中心。"),
            ("rec_04", 5, "", Speaker::Unknown, "我要找记者曝光"),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(id, line, time, speaker, text)| {
                (id.to_string(), *line, time.to_string(), *speaker, text.to_string())
            })
            .collect();
        assert_eq!(utterances, want);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_result_with_neither_sentences_nor_text_is_reported() {
        let raw = "[{\"key\": \"rec_01\", \"text\": \"我要投诉\"},\n {\"key\": \"rec_02\", \"result\": \"我要曝光\"}]";
        let (utterances, problems) = read(raw).unwrap();
        assert_eq!(utterances.len(), 1);
        assert_eq!(
            problems,
            [(1, "result 2 has neither `sentence_info` nor `text`".to_string())]
        );
        let error = read("{\"key\": \"rec_01\", \"result\": \"我要曝光\"}").unwrap_err();
        assert_eq!(error, "no `sentence_info` or `text` in this FunASR result");
    }
}
