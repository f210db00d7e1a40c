//! Normalisation: the text the lexicons are matched against, with a map back to the original.
//!
//! Owns the traditional → simplified table (the `fast2s` crate, which converts one character
//! into exactly one character, using its neighbours for the ambiguous ones). In order:
//! traditional → simplified, full-width → half-width, ASCII lower case, separators dropped
//! (spaces, `_` pauses of ASR output, `-`, `·`, so `1 2 3 1 5` and `曝 光` match), and digits
//! read out in Chinese numerals turned into ASCII digits (幺二三幺五 → 12315).
//!
//! Promise: every character of [`Normalized::text`] knows the byte range of the original
//! character it came from, so reported spans are always the user's own text.

use std::ops::Range;

/// Normalised text and, for each of its characters, where it came from.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    /// One entry per char of `text`, in order.
    origins: Vec<Origin>,
}

#[derive(Debug, Clone, Copy)]
struct Origin {
    /// Byte offset of this char in `text`.
    at: u32,
    /// Byte range of the char it came from in the original.
    start: u32,
    end: u32,
}

impl Normalized {
    /// The original byte range behind the normalised byte range `start..end`.
    pub fn original_range(&self, start: usize, end: usize) -> Range<usize> {
        if self.origins.is_empty() || start >= end {
            return 0..0;
        }
        let first = self.char_at(start);
        let last = self.char_at(end - 1);
        self.origins[first].start as usize..self.origins[last].end as usize
    }

    /// The original byte offset of the normalised byte offset `at` (its char's start).
    pub fn original_offset(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return self.origins.last().map_or(0, |o| o.end as usize);
        }
        self.origins[self.char_at(at)].start as usize
    }

    /// Index into `origins` of the char covering byte `at`.
    fn char_at(&self, at: usize) -> usize {
        match self.origins.binary_search_by_key(&(at as u32), |o| o.at) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

/// Normalise one utterance.
pub fn normalize(original: &str) -> Normalized {
    let simplified = fast2s::convert(original);
    let mut folded: Vec<(char, u32, u32)> = Vec::with_capacity(original.len() / 2);
    for ((start, raw), simple) in original.char_indices().zip(simplified.chars()) {
        let end = (start + raw.len_utf8()) as u32;
        let c = fold_width_and_case(simple);
        if is_separator(c) {
            continue;
        }
        folded.push((c, start as u32, end));
    }
    spoken_digits_to_ascii(&mut folded);

    let mut out = Normalized {
        text: String::with_capacity(original.len()),
        origins: Vec::with_capacity(folded.len()),
    };
    for (c, start, end) in folded {
        out.origins.push(Origin {
            at: out.text.len() as u32,
            start,
            end,
        });
        out.text.push(c);
    }
    out
}

/// Normalise a lexicon term or marker exactly as utterances are, so both sides meet.
pub fn normalize_term(term: &str) -> String {
    normalize(term).text
}

fn fold_width_and_case(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Characters that ASR output and typists put between the characters of one word.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '_' | '-' | '·' | '•' | '・' | '‧' | '~' | '\u{200B}' | '\u{FEFF}' | '\u{2011}' | '\u{2013}'
        )
}

fn chinese_digit(c: char) -> Option<char> {
    Some(match c {
        '零' | '〇' | '洞' => '0',
        '一' | '幺' => '1',
        '二' | '两' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        _ => return None,
    })
}

/// Rewrite runs of digits read out one by one (幺三八…, 一二三一五) as ASCII digits.
///
/// Only runs that are clearly read-out numbers are touched: at least three characters and
/// either two Chinese numerals, a 幺/洞 (used only when reading digits), or four ASCII digits
/// with the Chinese one inside. That keeps 一定, 第一次, 三番五次 and 100一定 intact.
fn spoken_digits_to_ascii(chars: &mut [(char, u32, u32)]) {
    let mut i = 0;
    while i < chars.len() {
        let is_numeral = |c: char| c.is_ascii_digit() || chinese_digit(c).is_some();
        if !is_numeral(chars[i].0) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_numeral(chars[i].0) {
            i += 1;
        }
        let run = &chars[start..i];
        let chinese = run.iter().filter(|(c, _, _)| !c.is_ascii_digit()).count();
        let ascii = run.len() - chinese;
        let reading_only = run.iter().any(|(c, _, _)| matches!(c, '幺' | '洞'));
        let last_is_word = matches!(run[run.len() - 1].0, '一' | '两');
        let spoken = run.len() >= 3 && chinese > 0 && (chinese >= 2 || reading_only || (ascii >= 4 && !last_is_word));
        if spoken {
            for entry in &mut chars[start..i] {
                if let Some(d) = chinese_digit(entry.0) {
                    entry.0 = d;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_normalisations() {
        let cases = [
            ("我要去消委會投訴", "我要去消委会投诉"),
            ("打１２３１５", "打12315"),
            ("1 2 3 1 5", "12315"),
            ("幺二三幺五", "12315"),
            ("一二三一五", "12315"),
            ("我要曝 光你们", "我要曝光你们"),
            ("CCTV", "cctv"),
            ("一定给您解决", "一定给您解决"),
            ("第一次", "第一次"),
            ("三番五次", "三番五次"),
            ("退100一定到账", "退100一定到账"),
            ("幺三八_一二三四_五六七八", "13812345678"),
            ("号码是一三九，", "号码是139,"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input).text, want, "input {input}");
        }
    }

    #[test]
    fn spans_map_back_to_the_original_characters() {
        let original = "客户说：我要去１２ ３１５投訴";
        let n = normalize(original);
        let at = n.text.find("12315").unwrap();
        let range = n.original_range(at, at + 5);
        assert_eq!(&original[range], "１２ ３１５");
        let at = n.text.find("投诉").unwrap();
        assert_eq!(&original[n.original_range(at, at + "投诉".len())], "投訴");
    }

    #[test]
    fn empty_and_separator_only_text() {
        assert_eq!(normalize("").text, "");
        let n = normalize("   ");
        assert_eq!(n.text, "");
        assert_eq!(n.original_range(0, 0), 0..0);
    }
}
