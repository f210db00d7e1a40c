//! OpenAI Whisper JSON: `segments` with `start` (seconds) and `text`; whisperX-style
//! `speaker` ids when diarised. Chinese often arrives as `\uXXXX` escapes and in traditional
//! characters; both are handled downstream (JSON parsing, normalisation).

use serde_json::Value;

use super::json_doc::{CallBuilder, number, speaker_of_channel, string};
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
        call.sentence(text, start, speaker_of_channel(string(segment.get("speaker")), context));
    }
    call.finish(sink);
    Ok(())
}
