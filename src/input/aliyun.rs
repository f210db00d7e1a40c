//! Alibaba Cloud file transcription: `Result.Sentences` with `Text`, `BeginTime` (ms),
//! `ChannelId` (one channel per side in stereo call recordings) and `SpeakerId` (diarised).
//! The side comes from `ChannelId` when the call is stereo, else from `SpeakerId`.

use serde_json::Value;

use super::json_doc::{LineLocator, find_key, number, offset, speaker_of_channel, string};
use super::{Event, ParseContext};
use crate::transcript::{Conversation, Utterance};

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
    let mut locate = LineLocator::new(raw);
    let mut conversation = Conversation {
        id: context.default_id.clone(),
        ..Conversation::default()
    };
    for sentence in sentences {
        let Some(text) = string(sentence.get("Text")) else {
            continue;
        };
        let who = if stereo {
            sentence.get("ChannelId")
        } else {
            sentence.get("SpeakerId").or(sentence.get("ChannelId"))
        };
        conversation.utterances.push(Utterance {
            line: locate.line_of(&text),
            time: number(sentence.get("BeginTime")).map(offset).unwrap_or_default(),
            speaker: speaker_of_channel(string(who), context),
            text,
            continued: false,
        });
    }
    sink(Event::Conversation(conversation));
    Ok(())
}
