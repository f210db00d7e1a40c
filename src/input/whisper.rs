//! OpenAI Whisper JSON: `segments` with `start` (seconds) and `text`; whisperX-style
//! `speaker` ids when diarised. Chinese often arrives as `\uXXXX` escapes and in traditional
//! characters; both are handled downstream (JSON parsing, normalisation).

use serde_json::Value;

use super::json_doc::{LineLocator, number, offset, speaker_of_channel, string};
use super::{Event, ParseContext};
use crate::transcript::{Conversation, Utterance};

pub fn parse(document: &Value, raw: &str, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let segments = document
        .get("segments")
        .and_then(Value::as_array)
        .ok_or("no `segments` in this Whisper result")?;
    let mut locate = LineLocator::new(raw);
    let mut conversation = Conversation {
        id: context.default_id.clone(),
        ..Conversation::default()
    };
    for segment in segments {
        let Some(text) = string(segment.get("text")) else {
            continue;
        };
        conversation.utterances.push(Utterance {
            line: locate.line_of(&text),
            time: number(segment.get("start"))
                .map(|s| offset(s * 1000.0))
                .unwrap_or_default(),
            speaker: speaker_of_channel(string(segment.get("speaker")), context),
            text: text.trim().to_string(),
            continued: false,
        });
    }
    sink(Event::Conversation(conversation));
    Ok(())
}
