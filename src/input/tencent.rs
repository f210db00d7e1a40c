//! Tencent Cloud recording recognition: `ResultDetail` sentences with `FinalSentence`,
//! `StartMs` and `SpeakerId` (found under `Response.Data`, `Data` or at the top).

use serde_json::Value;

use super::json_doc::{LineLocator, find_key, number, offset, speaker_of_channel, string};
use super::{Event, ParseContext};
use crate::transcript::{Conversation, Utterance};

pub fn parse(document: &Value, raw: &str, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let details = find_key(document, "ResultDetail")
        .and_then(Value::as_array)
        .ok_or("no `ResultDetail` in this result")?;
    let mut locate = LineLocator::new(raw);
    let mut conversation = Conversation {
        id: context.default_id.clone(),
        ..Conversation::default()
    };
    for detail in details {
        let Some(text) = string(detail.get("FinalSentence").or(detail.get("SliceSentence"))) else {
            continue;
        };
        conversation.utterances.push(Utterance {
            line: locate.line_of(&text),
            time: number(detail.get("StartMs")).map(offset).unwrap_or_default(),
            speaker: speaker_of_channel(string(detail.get("SpeakerId")), context),
            text,
            continued: false,
        });
    }
    sink(Event::Conversation(conversation));
    Ok(())
}
