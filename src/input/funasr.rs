//! FunASR / Paraformer results: `sentence_info` sentences with `text`, `start`/`end` in
//! milliseconds and `spk`, as JSON or as the Python repr that `print(res)` writes. A list of
//! results is one conversation per result (its `key` is the id).

use serde_json::Value;

use super::json_doc::{CallBuilder, LineLocator, number, speaker_of_channel, string};
use super::{Event, ParseContext};

pub fn parse(document: &Value, raw: &str, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let results: Vec<&Value> = match document {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut any = false;
    // One locator over the whole document: results come in order, lines go on.
    let mut locate = LineLocator::new(raw);
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
        let mut call = CallBuilder::continuing(id, locate);
        for sentence in sentences {
            let Some(text) = string(sentence.get("text")) else {
                continue;
            };
            call.sentence(
                text,
                number(sentence.get("start")),
                speaker_of_channel(string(sentence.get("spk")), context),
            );
        }
        any = true;
        locate = call.finish(sink);
    }
    if any {
        Ok(())
    } else {
        Err("no `sentence_info` in this FunASR result".into())
    }
}
