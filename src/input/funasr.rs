//! FunASR / Paraformer results: `sentence_info` sentences with `text`, `start`/`end` in
//! milliseconds and `spk`, as JSON or as the Python repr that `print(res)` writes. A list of
//! results is one conversation per result (its `key` is the id).

use serde_json::Value;

use super::json_doc::{LineLocator, number, offset, speaker_of_channel, string};
use super::{Event, ParseContext};
use crate::transcript::{Conversation, Utterance};

pub fn parse(document: &Value, raw: &str, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let results: Vec<&Value> = match document {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut locate = LineLocator::new(raw);
    let mut any = false;
    for (index, result) in results.into_iter().enumerate() {
        let Some(sentences) = result.get("sentence_info").and_then(Value::as_array) else {
            continue;
        };
        let id = string(result.get("key")).unwrap_or_else(|| {
            if index == 0 {
                context.default_id.clone()
            } else {
                format!("{}#{}", context.default_id, index + 1)
            }
        });
        let mut conversation = Conversation {
            id,
            ..Conversation::default()
        };
        for sentence in sentences {
            let Some(text) = string(sentence.get("text")) else {
                continue;
            };
            conversation.utterances.push(Utterance {
                line: locate.line_of(&text),
                time: number(sentence.get("start")).map(offset).unwrap_or_default(),
                speaker: speaker_of_channel(string(sentence.get("spk")), context),
                text,
                continued: false,
            });
        }
        any = true;
        sink(Event::Conversation(conversation));
    }
    if any {
        Ok(())
    } else {
        Err("no `sentence_info` in this FunASR result".into())
    }
}
