//! Which format an input is in: from its extension (the table in `format.rs`), else from
//! its first bytes.

pub use super::format::Format;

/// Keys under which a JSON chat document holds its list of messages.
pub const MESSAGE_LISTS: [&str; 5] = ["messages", "data", "records", "items", "list"];

/// The format of an input with extension `extension` whose decoded text starts with `head`.
pub fn detect(extension: Option<&str>, head: &str) -> Format {
    let extension = extension.map(str::to_ascii_lowercase);
    if let Some(format) = extension.as_deref().and_then(Format::by_extension) {
        return format;
    }
    let text = head.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with("WEBVTT") {
        return Format::Vtt;
    }
    let mut first_lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let (first, second) = (first_lines.next().unwrap_or(""), first_lines.next().unwrap_or(""));
    if first.contains("-->")
        || (first.bytes().all(|b| b.is_ascii_digit()) && !first.is_empty() && second.contains("-->"))
    {
        return Format::Srt;
    }
    let json_like =
        text.starts_with('{') || (text.starts_with('[') && text[1..].trim_start().starts_with(['{', '"', ']']));
    if json_like {
        let has = |key: &str| head.contains(key);
        if has("sentence_info") {
            return Format::Funasr;
        }
        if has("\"segments\"") || has("'segments'") {
            return Format::Whisper;
        }
        if has("ResultDetail") || has("FinalSentence") {
            return Format::Tencent;
        }
        if has("Sentences") && (has("BeginTime") || has("ChannelId")) {
            return Format::Aliyun;
        }
        // One object per line is JSON Lines, unless that object holds the messages itself
        // ({"messages": [...]} saved on one line).
        if let Ok(serde_json::Value::Object(object)) = serde_json::from_str::<serde_json::Value>(first)
            && text.starts_with('{')
        {
            let holds_messages = MESSAGE_LISTS
                .iter()
                .any(|k| object.get(*k).is_some_and(serde_json::Value::is_array));
            return if holds_messages {
                Format::JsonChat
            } else {
                Format::Jsonl
            };
        }
        return Format::JsonChat;
    }
    if extension.as_deref() == Some("json") {
        Format::JsonChat
    } else {
        Format::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension_and_content() {
        let cases = [
            (Some("txt"), "[00:00:01] 坐席：您好", Format::Text),
            (Some("txt"), "客户：[图片]", Format::Text),
            (Some("jsonl"), "", Format::Jsonl),
            (
                Some("log"),
                "{\"session_id\":\"1\",\"content\":\"你好\"}\n{\"session_id\":\"1\"}",
                Format::Jsonl,
            ),
            (
                Some("json"),
                "[{\"role\":\"user\",\"content\":\"你好\"}]",
                Format::JsonChat,
            ),
            (Some("json"), "{\"text\": \"x\", \"segments\": [", Format::Whisper),
            (
                Some("txt"),
                "[{'key': 'a', 'text': 'x', 'sentence_info': [",
                Format::Funasr,
            ),
            (
                None,
                "{\n  \"Result\": {\"Sentences\": [{\"BeginTime\": 0",
                Format::Aliyun,
            ),
            (None, "{\"Response\":{\"Data\":{\"ResultDetail\":[", Format::Tencent),
            (None, "1\n00:00:01,000 --> 00:00:02,000\n客户：喂", Format::Srt),
            (None, "WEBVTT\n\n00:01.000 --> 00:02.000", Format::Vtt),
            (Some("TSV"), "会话ID\t内容", Format::Csv),
        ];
        for (ext, head, want) in cases {
            assert_eq!(detect(ext, head), want, "{ext:?} {head}");
        }
    }
}
