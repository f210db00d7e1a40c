//! Text made safe to print on a terminal: transcripts, file names and ids are the user's data,
//! and data must not drive the terminal that shows it.
//!
//! ESC starts sequences that set the window title (OSC), clear the screen or move the cursor
//! (CSI); many terminals read U+009B alone as CSI; BEL, backspace and carriage return rewrite
//! what is shown; bidi overrides (U+202A–U+202E, U+2066–U+2069) show a line in another order
//! than it reads. Every C0 control (tab and newline too), DEL, every C1 control and those bidi
//! characters become a visible escape: `\x1b`, `\x7f`, `\t`, `\n`, `\r`, `\u{9b}`, `\u{202e}`.
//! With its ESC shown, the rest of a sequence is plain text.
//!
//! Promise: text with none of them comes back borrowed, unchanged.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control and bidi override shown as a visible escape.
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, needs_escape)
}

/// The same, but line breaks and tabs kept: for CSV cells, which carry them quoted and which
/// `cat hits.csv` must not let drive the terminal either.
pub fn printable_keeping_lines(text: &str) -> Cow<'_, str> {
    escape(text, |c| needs_escape(c) && c != '\n' && c != '\t')
}

fn escape(text: &str, needs_escape: impl Fn(char) -> bool) -> Cow<'_, str> {
    // Every character escaped here is encoded starting with one of these bytes: text holding
    // none of them (most text, every cell of most reports) is passed back without decoding it.
    if !text.bytes().any(|b| LEADS[b as usize]) {
        return Cow::Borrowed(text);
    }
    let Some(first) = text.find(&needs_escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

/// The first bytes of the UTF-8 of every character [`needs_escape`] names: C0 controls and
/// DEL themselves, 0xC2 (C1, U+0080–U+009F) and 0xE2 (U+2000–U+2FFF, the bidi characters).
static LEADS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[0x7F] = true;
    table[0xC2] = true;
    table[0xE2] = true;
    table
};

/// C0, DEL and C1 (Unicode's `Cc`), and the bidi embeddings, overrides and isolates.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte pre-check never lets through a character that needs its escape.
    #[test]
    fn every_escaped_character_starts_with_a_listed_byte() {
        let mut escaped = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if needs_escape(c) {
                let mut utf8 = [0; 4];
                assert!(LEADS[c.encode_utf8(&mut utf8).as_bytes()[0] as usize], "{c:?}");
                escaped += 1;
            }
        }
        assert_eq!(escaped, 65 + 9, "C0, DEL, C1 and nine bidi characters");
    }

    #[test]
    fn control_sequences_become_visible() {
        let cases = [
            // OSC 0: sets the window title, ended by BEL.
            (
                "\x1b]0;系统已被入侵\x07客户说我要投诉",
                "\\x1b]0;系统已被入侵\\x07客户说我要投诉",
            ),
            // CSI: clear the screen and home the cursor.
            ("\x1b[2J\x1b[H坐席：您好", "\\x1b[2J\\x1b[H坐席：您好"),
            // The one-character C1 CSI.
            ("\u{9b}2J客户：我要曝光", "\\u{9b}2J客户：我要曝光"),
            ("行一\n行二\t制表\r回车", "行一\\n行二\\t制表\\r回车"),
            ("删除\x7f退格\x08空\x00", "删除\\x7f退格\\x08空\\x00"),
            ("\u{85}下一行", "\\u{85}下一行"),
            // Trojan Source: shown in the order it reads, overrides visible.
            ("文件\u{202e}txt.exe", "文件\\u{202e}txt.exe"),
            (
                "\u{2066}隔离\u{2069}\u{202a}嵌入\u{202c}",
                "\\u{2066}隔离\\u{2069}\\u{202a}嵌入\\u{202c}",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(printable(input), want, "{input:?}");
        }
    }

    #[test]
    fn plain_text_comes_back_borrowed() {
        for text in [
            "我要去12315投诉，你们看着办！",
            "我要去消委會投訴",
            "/data/call_139****5678.txt",
            r"C:\录音\2026-11-22.wav",
            "表情😀和全角ＡＢＣ，零宽\u{200b}空格",
            "",
        ] {
            assert!(matches!(printable(text), Cow::Borrowed(t) if t == text), "{text:?}");
        }
    }
}
