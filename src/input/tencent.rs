//! Tencent Cloud recording recognition: `ResultDetail` sentences with `FinalSentence`,
//! `StartMs`, `EndMs` and `SpeakerId` (found under `Response.Data`, `Data` or at the top).

use serde_json::Value;

use super::json_doc::{CallBuilder, find_key, number, string};
use super::{Event, ParseContext};

pub fn parse(document: &Value, raw: &str, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let details = find_key(document, "ResultDetail")
        .and_then(Value::as_array)
        .ok_or("no `ResultDetail` in this result")?;
    let mut call = CallBuilder::new(context.default_id.clone(), raw);
    for detail in details {
        let Some(text) = string(detail.get("FinalSentence").or(detail.get("SliceSentence"))) else {
            continue;
        };
        let speaker = call.speaker_of(string(detail.get("SpeakerId")), context);
        call.sentence(
            text,
            number(detail.get("StartMs")),
            number(detail.get("EndMs")),
            speaker,
        );
    }
    call.finish(sink);
    Ok(())
}
