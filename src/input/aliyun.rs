//! Alibaba Cloud file transcription: `Result.Sentences` with `Text`, `BeginTime` and `EndTime` (ms),
//! `ChannelId` (one channel per side in stereo call recordings) and `SpeakerId` (diarised).
//! The side comes from `ChannelId` when the call is stereo, else from `SpeakerId`.

use serde_json::Value;

use super::json_doc::{CallBuilder, find_key, number, string};
use super::{Event, ParseContext};

pub fn parse(document: &Value, raw: &str, context: &ParseContext, sink: &mut dyn FnMut(Event)) -> Result<(), String> {
    let sentences = find_key(document, "Sentences")
        .and_then(Value::as_array)
        .ok_or("no `Result.Sentences` in this result")?;
    let stereo = {
        let mut channels: Vec<String> = sentences.iter().filter_map(|s| string(s.get("ChannelId"))).collect();
        channels.sort();
        channels.dedup();
        channels.len() > 1
    };
    let mut call = CallBuilder::new(context.default_id.clone(), raw);
    for sentence in sentences {
        let Some(text) = string(sentence.get("Text")) else {
            continue;
        };
        let who = if stereo {
            sentence.get("ChannelId")
        } else {
            sentence.get("SpeakerId").or(sentence.get("ChannelId"))
        };
        let speaker = call.speaker_of(string(who), context);
        call.sentence(
            text,
            number(sentence.get("BeginTime")),
            number(sentence.get("EndTime")),
            speaker,
        );
    }
    call.finish(sink);
    Ok(())
}
