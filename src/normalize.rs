//! Normalisation: the text the lexicons are matched against, with a map back to the original.
//!
//! Owns the traditional → simplified table (the `fast2s` crate, which converts one character
//! into exactly one character, using its neighbours for the ambiguous ones). fast2s is asked
//! once per character at start-up and the answers kept in a flat table, so the hot loop does
//! an array lookup per character, and only the 15 characters fast2s reads in context
//! (乾, 著, 畫 …) go back to it with their neighbours. In order:
//! traditional → simplified, full-width → half-width, ASCII lower case, separators dropped
//! (spaces, `_` pauses of ASR output, `-`, `·`, so `1 2 3 1 5` and `曝 光` match), and digits
//! read out in Chinese numerals turned into ASCII digits (幺二三幺五 → 12315).
//!
//! Spaces between two Chinese characters are dropped for matching (曝 光 is 曝光), but ASR
//! output often has no punctuation and marks clause ends with a space alone
//! (我也不知道怎么办 我要去12315投诉): those places are kept as [`Normalized::pauses`], for the
//! context stage to read as clause ends.
//!
//! Promise: every character of [`Normalized::text`] knows the byte range of the original
//! character it came from, so reported spans are always the user's own text; both passes
//! give the same text and the same pauses.

use std::ops::Range;

/// Normalised text and, for each of its characters, where it came from.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    /// One entry per char of `text`, in order; empty when `identity` or not `mapped`.
    origins: Vec<Origin>,
    /// Byte offsets in `text` where whitespace was dropped between two characters that are
    /// not ASCII letters or digits (我也不知道怎么办 我要…): sorted, once each, never 0 or
    /// `text.len()`. Spaces inside numbers and Latin words (`1 2 3 1 5`, `去 12315 投诉`) are
    /// not pauses.
    pauses: Vec<u32>,
    /// The text is the original unchanged (the common case): offsets map to themselves.
    identity: bool,
    /// `origins` were built (or are not needed, `identity`).
    mapped: bool,
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
        debug_assert!(
            self.mapped,
            "normalize_into, not normalize_text_into, before mapping spans back"
        );
        if self.identity {
            return start.min(self.text.len())..end.min(self.text.len());
        }
        if self.origins.is_empty() || start >= end {
            return 0..0;
        }
        let first = self.char_at(start);
        let last = self.char_at(end - 1);
        self.origins[first].start as usize..self.origins[last].end as usize
    }

    /// Where the original had a pause (whitespace between two Chinese characters), as byte
    /// offsets into `text`, ascending: a clause may end there, though a term may span it.
    pub fn pauses(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.pauses.iter().map(|&p| p as usize)
    }

    /// Whether spans can be mapped back (see [`normalize_text_into`]).
    pub fn is_mapped(&self) -> bool {
        self.mapped
    }

    /// Index into `origins` of the char covering byte `at`.
    fn char_at(&self, at: usize) -> usize {
        match self.origins.binary_search_by_key(&(at as u32), |o| o.at) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

/// Characters fast2s converts by their neighbours (its `special.rs`): for these it is asked
/// with the context; every other character comes from the table.
const CONTEXTUAL: &[char] = &[
    '兒', '覆', '夥', '藉', '瞭', '麽', '幺', '於', '乾', '著', '苧', '闔', '鍾', '讎', '畫',
];

/// 參 is 参 (to take part) to fast2s, but also the traditional capital 3 (壹參玖…, a number
/// written out in capitals): read by its neighbours, it is 叁 beside a numeral, else 参.
const NUMERAL_IN_CONTEXT: char = '參';

/// In the table: this character is dropped (a separator).
const DROP: char = '\u{0}';
/// In the table: ask fast2s with this character's neighbours.
const IN_CONTEXT: char = '\u{1}';

/// The CJK blocks `build.rs` asks fast2s about.
#[cfg(test)]
const CJK: [std::ops::Range<u32>; 3] = [0x2E80..0xA000, 0xF900..0xFB00, 0xFE30..0xFE50];

/// fast2s's answer for every character of [`CJK`] it changes, asked once by `build.rs`: pairs
/// of little-endian u32, the character and its simplified form.
static SIMPLIFIED_AT_BUILD: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/simplified.bin"));

/// What every character of the Basic Multilingual Plane becomes: simplified, width-folded,
/// lower-cased, [`DROP`] for separators, [`IN_CONTEXT`] for fast2s's contextual characters.
/// Built once, from fast2s's answers compiled in ([`SIMPLIFIED_AT_BUILD`]).
fn table() -> &'static [char] {
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<char> = (0..0x1_0000u32)
            .map(|c| char::from_u32(c).unwrap_or('\u{FFFD}'))
            .collect();
        for (code, simple) in SIMPLIFIED_AT_BUILD.chunks_exact(8).map(|pair| {
            let word = |at: usize| u32::from_le_bytes([pair[at], pair[at + 1], pair[at + 2], pair[at + 3]]);
            (word(0), word(4))
        }) {
            if let (Some(entry), Some(simple)) = (table.get_mut(code as usize), char::from_u32(simple)) {
                *entry = simple;
            }
        }
        for entry in table.iter_mut() {
            let folded = fold_width_and_case(*entry);
            *entry = if is_separator(folded) { DROP } else { folded };
        }
        for c in CONTEXTUAL.iter().chain([&NUMERAL_IN_CONTEXT]) {
            table[*c as usize] = IN_CONTEXT;
        }
        table
    })
}

/// Whether the table entry `mapped` changes `raw`. U+0000 and U+0001 are the table's own
/// markers, so they count as rewritten (NUL is dropped as a separator) even though the entry
/// equals the character: both passes must treat them alike.
fn rewritten(raw: char, mapped: char) -> bool {
    mapped != raw || mapped == DROP || mapped == IN_CONTEXT
}

/// Per BMP character: 0 = unchanged and no numeral (most characters), 1 = an unchanged numeral,
/// 2 = rewritten, dropped or contextual. One byte each, so the common case is one lookup.
fn classes() -> &'static [u8] {
    static CLASSES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    CLASSES.get_or_init(|| {
        let table = table();
        (0..0x1_0000u32)
            .map(|code| {
                let raw = char::from_u32(code).unwrap_or('\u{FFFD}');
                let mapped = table[code as usize];
                if rewritten(raw, mapped) {
                    2
                } else if raw.is_ascii_digit() || chinese_digit(raw).is_some() {
                    1
                } else {
                    0
                }
            })
            .collect()
    })
}

/// What the normaliser makes of `c` wherever it stands, for quick tests that must agree with
/// it: `None` when it drops `c` (a separator), otherwise the character it writes. Characters
/// read with their neighbours come back as they are: all are Chinese characters, no neighbour
/// turns one into a Latin letter or a sign, and the one a neighbour may make a numeral (參) is
/// a numeral already to [`may_be_digit`].
fn folded(c: char) -> Option<char> {
    match table().get(c as usize).copied() {
        Some(DROP) => None,
        Some(IN_CONTEXT) | None => Some(c),
        Some(mapped) => Some(mapped),
    }
}

/// Whether the normaliser may write `c` as an ASCII digit: an ASCII or full-width digit, or a
/// Chinese numeral in any script (一, 幺, 壹, 兩 …), which a run read out digit by digit becomes.
fn may_be_digit(c: char) -> bool {
    chinese_digit(c).is_some() || folded(c).is_some_and(|f| f.is_ascii_digit() || chinese_digit(f).is_some())
}

/// What the normaliser may write for `c`, in one look-up for most characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// Perhaps an ASCII digit ([`may_be_digit`]).
    Digit,
    /// Nothing: a separator.
    Dropped,
    /// This character (see [`folded`]).
    As(char),
}

/// [`Written`] for `c`: the normaliser's own per-character classes answer at once for all but
/// the characters it rewrites.
pub fn written(c: char) -> Written {
    let class = if (c as u32) < 0x1_0000 {
        classes()[c as usize]
    } else {
        0
    };
    match class {
        0 => Written::As(c),
        1 => Written::Digit,
        _ if may_be_digit(c) => Written::Digit,
        _ => folded(c).map_or(Written::Dropped, Written::As),
    }
}

/// The simplified form of `c`, without context (for labels and keys).
pub fn simplified(c: char) -> char {
    match table().get(c as usize).copied() {
        Some(DROP) | Some(IN_CONTEXT) | None => fast2s::convert(c.encode_utf8(&mut [0u8; 4]))
            .chars()
            .next()
            .unwrap_or(c),
        Some(t) => t,
    }
}

fn simplified_in_context(prev: char, c: char, next: char) -> char {
    if c == NUMERAL_IN_CONTEXT {
        let numeral = |n: char| n.is_ascii_digit() || ('０'..='９').contains(&n) || chinese_digit(n).is_some();
        if numeral(prev) || numeral(next) {
            return '叁';
        }
    }
    let window: String = [prev, c, next].iter().collect();
    fold_width_and_case(fast2s::convert(&window).chars().nth(1).unwrap_or(c))
}

/// Normalise one utterance.
pub fn normalize(original: &str) -> Normalized {
    let mut out = Normalized::default();
    normalize_into(original, &mut out);
    out
}

/// The normalised text alone, without the map back, for the matcher: most lines have no
/// candidate and never need the map. Unchanged runs are copied whole. Gives the same text as
/// [`normalize_into`], which a line with a candidate then gets.
pub fn normalize_text_into(original: &str, out: &mut Normalized) {
    out.text.clear();
    out.origins.clear();
    out.pauses.clear();
    out.identity = false;
    out.mapped = false;
    let (table, classes) = (table(), classes());
    let mut run_start = 0;
    let mut numerals_in_a_row = 0usize;
    let mut chinese_in_run = false;
    let mut prev = '\0';
    let mut chars = original.char_indices().peekable();
    while let Some((at, raw)) = chars.next() {
        let class = if (raw as u32) < 0x1_0000 {
            classes[raw as usize]
        } else {
            0
        };
        if class == 0 {
            numerals_in_a_row = 0;
            chinese_in_run = false;
            prev = raw;
            continue;
        }
        let mapped = table[raw as usize];
        if mapped == DROP {
            out.text.push_str(&original[run_start..at]);
            if raw.is_whitespace() {
                out.pauses.push(out.text.len() as u32);
            }
            run_start = at + raw.len_utf8();
            prev = raw;
            continue;
        }
        let chinese_numeral = chinese_digit(raw).is_some() || chinese_digit(mapped).is_some();
        if raw.is_ascii_digit() || mapped.is_ascii_digit() || chinese_numeral {
            numerals_in_a_row += 1;
            chinese_in_run |= chinese_numeral && !mapped.is_ascii_digit();
            if numerals_in_a_row >= 3 && chinese_in_run {
                // Perhaps a number read out (一12315 as well as 123一五): the rare full path
                // rewrites it. Any run of three numerals with a Chinese one goes there, so both
                // passes always give the same text.
                return normalize_into(original, out);
            }
        } else {
            numerals_in_a_row = 0;
            chinese_in_run = false;
        }
        if class == 2 {
            out.text.push_str(&original[run_start..at]);
            let c = if mapped == IN_CONTEXT {
                simplified_in_context(prev, raw, chars.peek().map_or('\0', |(_, n)| *n))
            } else {
                mapped
            };
            out.text.push(c);
            run_start = at + raw.len_utf8();
        }
        prev = raw;
    }
    if run_start == 0 {
        out.text.push_str(original);
        out.identity = true;
        out.mapped = true;
    } else {
        out.text.push_str(&original[run_start..]);
        keep_pauses_between_words(out);
    }
}

/// Normalise into `out`, reusing its buffers, with the map back to the original.
pub fn normalize_into(original: &str, out: &mut Normalized) {
    out.text.clear();
    out.origins.clear();
    out.pauses.clear();
    out.identity = false;
    out.mapped = true;
    let table = table();
    // Most lines are already normal (simplified, no full-width letters, no separators, no
    // spoken digits): find the first character that is not, and copy the rest as it is.
    let mut numerals_in_a_row = 0usize;
    let mut chinese_in_run = false;
    let mut first_change = None;
    for (at, raw) in original.char_indices() {
        let unchanged = (raw as u32) >= 0x1_0000 || !rewritten(raw, table[raw as usize]);
        if !unchanged {
            first_change = Some(at);
            break;
        }
        if raw.is_ascii_digit() || chinese_digit(raw).is_some() {
            numerals_in_a_row += 1;
            chinese_in_run |= !raw.is_ascii_digit();
            if numerals_in_a_row >= 3 && chinese_in_run {
                first_change = Some(0);
                break;
            }
        } else {
            numerals_in_a_row = 0;
            chinese_in_run = false;
        }
    }
    let Some(from) = first_change else {
        out.text.push_str(original);
        out.identity = true;
        return;
    };
    let mut numerals_in_a_row = 0usize;
    let mut spoken_run = false;
    for (at, raw) in original[..from].char_indices() {
        out.origins.push(Origin {
            at: at as u32,
            start: at as u32,
            end: (at + raw.len_utf8()) as u32,
        });
        if raw.is_ascii_digit() || chinese_digit(raw).is_some() {
            numerals_in_a_row += 1;
        } else {
            numerals_in_a_row = 0;
        }
    }
    out.text.push_str(&original[..from]);
    let mut prev = original[..from].chars().next_back().unwrap_or('\0');
    let mut chars = original[from..].char_indices().map(|(i, c)| (i + from, c)).peekable();
    while let Some((start, raw)) = chars.next() {
        let c = if (raw as u32) < 0x1_0000 {
            table[raw as usize]
        } else {
            raw
        };
        let c = match c {
            DROP => {
                if raw.is_whitespace() {
                    out.pauses.push(out.text.len() as u32);
                }
                prev = raw;
                continue;
            }
            IN_CONTEXT => simplified_in_context(prev, raw, chars.peek().map_or('\0', |(_, n)| *n)),
            c => c,
        };
        prev = raw;
        if c.is_ascii_digit() || chinese_digit(c).is_some() {
            numerals_in_a_row += 1;
            spoken_run |= numerals_in_a_row >= 3;
        } else {
            numerals_in_a_row = 0;
        }
        out.origins.push(Origin {
            at: out.text.len() as u32,
            start: start as u32,
            end: (start + raw.len_utf8()) as u32,
        });
        out.text.push(c);
    }
    if spoken_run
        && out
            .text
            .chars()
            .any(|c| !c.is_ascii_digit() && chinese_digit(c).is_some())
    {
        rewrite_spoken_digits(out);
    }
    keep_pauses_between_words(out);
}

/// Of the places whitespace was dropped (pushed in order, one per whitespace character), keep
/// each once, and only where the final text has a character on both sides and neither is an
/// ASCII letter or digit: `1 2 3 1 5` and `去 12315 投诉` have no pause. Cheap: lines without
/// dropped whitespace (most) do nothing.
fn keep_pauses_between_words(out: &mut Normalized) {
    if out.pauses.is_empty() {
        return;
    }
    let text = &out.text;
    let not_alphanumeric = |c: Option<char>| c.is_some_and(|c| !c.is_ascii_alphanumeric());
    out.pauses.dedup();
    out.pauses.retain(|&p| {
        let p = p as usize;
        not_alphanumeric(text[..p].chars().next_back()) && not_alphanumeric(text[p..].chars().next())
    });
}

/// Normalise a lexicon term or marker exactly as utterances are, so both sides meet.
pub fn normalize_term(term: &str) -> String {
    normalize(term).text
}

/// Rebuild `out` with spoken digits as ASCII digits (rare: only runs of three numerals).
fn rewrite_spoken_digits(out: &mut Normalized) {
    // Digits shrink from three bytes to one: keep each pause before the same character.
    let pause_chars: Vec<usize> = out
        .pauses
        .iter()
        .map(|&p| out.origins.partition_point(|o| o.at < p))
        .collect();
    let mut chars: Vec<(char, u32, u32)> = out
        .text
        .chars()
        .zip(&out.origins)
        .map(|(c, o)| (c, o.start, o.end))
        .collect();
    spoken_digits_to_ascii(&mut chars);
    out.text.clear();
    out.origins.clear();
    for (c, start, end) in chars {
        out.origins.push(Origin {
            at: out.text.len() as u32,
            start,
            end,
        });
        out.text.push(c);
    }
    let len = out.text.len() as u32;
    out.pauses.clear();
    out.pauses
        .extend(pause_chars.iter().map(|&i| out.origins.get(i).map_or(len, |o| o.at)));
}

/// Full-width letters, digits and the signs inside numbers and addresses (＠ ． － ％) become
/// ASCII; full-width clause punctuation (，？！：；) stays as it is, since the context stage
/// reads both forms and most Chinese lines then need no rewriting at all.
fn fold_width_and_case(c: char) -> char {
    let c = match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '＠' | '．' | '－' | '％' | '＿' | '～' | '＋' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Characters that ASR output and typists put between the characters of one word.
fn is_separator(c: char) -> bool {
    c == DROP
        || c.is_whitespace()
        || matches!(
            c,
            '_' | '-' | '·' | '•' | '・' | '‧' | '~' | '\u{200B}' | '\u{FEFF}' | '\u{2011}' | '\u{2013}'
        )
}

fn chinese_digit(c: char) -> Option<char> {
    Some(match c {
        '零' | '〇' | '洞' => '0',
        '一' | '幺' | '壹' => '1',
        '二' | '两' | '贰' | '貳' => '2',
        '三' | '叁' | '參' => '3',
        '四' | '肆' => '4',
        '五' | '伍' => '5',
        '六' | '陆' | '陸' => '6',
        '七' | '柒' => '7',
        '八' | '捌' => '8',
        '九' | '玖' => '9',
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
    fn the_table_built_from_the_compiled_list_is_what_fast2s_says() {
        let table = table();
        let mut changed = 0;
        for code in CJK.into_iter().flatten() {
            let Some(c) = char::from_u32(code) else { continue };
            if CONTEXTUAL.contains(&c) || c == NUMERAL_IN_CONTEXT {
                continue;
            }
            let Some(simple) = fast2s::convert(c.encode_utf8(&mut [0u8; 4])).chars().next() else {
                continue;
            };
            let folded = fold_width_and_case(simple);
            let expected = if is_separator(folded) { DROP } else { folded };
            assert_eq!(table[code as usize], expected, "U+{code:04X} {c}");
            changed += usize::from(simple != c);
        }
        assert!(changed > 2000, "only {changed} characters simplified");
    }

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
            ("号码是一三九，", "号码是139，"),
            ("ＣＣＴＶ１２３１５＠ｑｑ．ｃｏｍ", "cctv12315@qq.com"),
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
    fn the_table_agrees_with_fast2s() {
        let texts = [
            "我要去消委會投訴，你們這個熱水器漏電",
            "乾隆年間的乾貨，看著計畫和企畫，藉口與憑藉",
            "鍾書校讎，闔家歡樂，兒寬甚夥，答覆回覆",
            "請問有什麼可以幫您？這個問題我已經反映過三次了",
            "想到自己一緊張就口吃，我就沒胃口吃飯",
        ];
        for text in texts {
            let ours: String = normalize(text).text;
            let theirs: String = fast2s::convert(text)
                .chars()
                .map(fold_width_and_case)
                .filter(|c| !is_separator(*c))
                .collect();
            assert_eq!(ours, theirs, "{text}");
        }
    }

    #[test]
    fn the_text_only_pass_gives_the_same_text() {
        let texts = [
            "我要去12315投诉，你们看着办！",
            "我要去 12315 投訴，ＣＣＴＶ也要知道",
            "号码是幺三八 一二三四 五六七八",
            "乾隆年間的乾貨，看著計畫",
            "退100一定到账，第一次，三番五次",
            "12 3一五",
            "我已经打了幺二三幺五",
            "幺幺零",
            "",
            "   ",
            // Regressions: a separator, then a Chinese numeral before ASCII digits, made the
            // two passes disagree and the context stage slice past the end of the line.
            "投诉-一12315",
            "地址是3-二12315",
            "_九12345",
            "·二12315",
            "一12315",
        ];
        for text in texts {
            let mut fast = Normalized::default();
            normalize_text_into(text, &mut fast);
            assert_eq!(fast.text, normalize(text).text, "{text:?}");
        }
    }

    proptest::proptest! {
        /// The text-only pass (what the matcher sees) and the mapped pass (what the context
        /// stage slices) must agree on every input, or spans point past the line.
        #[test]
        fn both_passes_agree_on_any_text(parts in proptest::collection::vec(proptest::sample::select(vec![
            "零", "一", "二", "两", "三", "幺", "洞", "九", "1", "2", "5", "-", "_", "·", "~", " ", "　",
            "不", "如果", "说", "投诉", "12315", "曝光", "乾", "著", "１", "Ａ", "😀", "\u{301}", "\u{0}", "，",
            "\t", "  ", "a", "我要",
        ]), 0..24)) {
            let text: String = parts.concat();
            let mut fast = Normalized::default();
            normalize_text_into(&text, &mut fast);
            let full = normalize(&text);
            proptest::prop_assert_eq!(&fast.text, &full.text);
            let (fast_pauses, full_pauses): (Vec<usize>, Vec<usize>) = (fast.pauses().collect(), full.pauses().collect());
            proptest::prop_assert_eq!(&fast_pauses, &full_pauses);
            for pair in full_pauses.windows(2) {
                proptest::prop_assert!(pair[0] < pair[1]);
            }
            for &p in &full_pauses {
                proptest::prop_assert!(0 < p && p < full.text.len() && full.text.is_char_boundary(p));
            }
            // Every span maps back inside the original, on character boundaries.
            for (at, c) in full.text.char_indices() {
                let r = full.original_range(at, at + c.len_utf8());
                proptest::prop_assert!(r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            }
        }
    }

    /// Pauses are where a space stood between two Chinese characters, as offsets into the
    /// normalised text; the text itself is the same with or without them.
    #[test]
    fn pauses_are_spaces_between_chinese_characters() {
        let at = |text: &str, before: &str| normalize(text).text.find(before).unwrap();
        let cases: [(&str, &str, Vec<usize>); 10] = [
            (
                "clause ends marked by a space alone",
                "我也不知道怎么办 我要去12315投诉",
                vec![at("我也不知道怎么办 我要去12315投诉", "我要")],
            ),
            (
                "a space inside a word is still a pause (the match ignores it)",
                "曝 光",
                vec![3],
            ),
            (
                "full-width space and a run of spaces count once",
                "不好意思啊　  我们会去曝光的",
                vec![15],
            ),
            ("a tab", "好的\t我要投诉", vec![6]),
            ("spaces around digits are not pauses", "我要去 12315 投诉", vec![]),
            ("digits read out one by one", "一 二 三 一 五", vec![]),
            ("a space after a Latin word is not a pause", "cctv 也要 知道", vec![10]),
            ("leading and trailing spaces", "  我要投诉  ", vec![]),
            ("separators that are not whitespace", "幺三八_一二三四-我·要", vec![]),
            (
                "digits read out shrink, the pause stays before its character",
                "幺三八好的 我要投诉",
                vec![9],
            ),
        ];
        for (name, text, want) in cases {
            let n = normalize(text);
            assert_eq!(n.pauses().collect::<Vec<_>>(), want, "{name}: {text:?} → {:?}", n.text);
            let mut fast = Normalized::default();
            normalize_text_into(text, &mut fast);
            assert_eq!(fast.pauses().collect::<Vec<_>>(), want, "{name}, text-only pass");
        }
        let mut reused = Normalized::default();
        normalize_text_into("我不知道 我要投诉", &mut reused);
        normalize_text_into("我要投诉", &mut reused);
        assert_eq!(reused.pauses().count(), 0, "pauses of the previous line are cleared");
    }

    #[test]
    fn unchanged_lines_map_to_themselves() {
        let original = "我要去12315投诉，你们看着办！";
        let n = normalize(original);
        assert_eq!(n.text, original);
        let at = original.find("投诉").unwrap();
        assert_eq!(n.original_range(at, at + 6), at..at + 6);
        let changed = normalize("我要去 12315 投訴");
        assert_eq!(changed.text, "我要去12315投诉");
        assert_eq!(changed.original_range(9, 14), 10..15);
    }

    #[test]
    fn buffers_are_reused_without_leftovers() {
        let mut n = Normalized::default();
        normalize_into("幺二三幺五 很长的一句话", &mut n);
        normalize_into("短", &mut n);
        assert_eq!(n.text, "短");
        assert_eq!(n.original_range(0, 3), 0..3);
    }

    #[test]
    fn written_agrees_with_what_normalising_one_character_gives() {
        // The shortcut through the classes table says what the full look-ups say, everywhere.
        for code in (0..0x1_0000u32).chain([0x1_F600, 0x2_0000]) {
            let Some(c) = char::from_u32(code) else { continue };
            let full = if may_be_digit(c) {
                Written::Digit
            } else {
                folded(c).map_or(Written::Dropped, Written::As)
            };
            assert_eq!(written(c), full, "U+{code:04X}");
        }
        // And the look-ups say what normalising the character alone does, for the signs and
        // digits the quick tests rely on.
        for c in [
            '@', '＠', '5', '５', ' ', '_', '-', '\u{3000}', '.', '．', 'Ａ', '兩', '貳',
        ] {
            let alone = normalize(&format!("幺三八{c}")).text;
            let want = match written(c) {
                Written::Digit => alone.ends_with(|d: char| d.is_ascii_digit()),
                Written::Dropped => alone == "138",
                Written::As(f) => alone.ends_with(f),
            };
            assert!(want, "{c} became {alone}");
        }
    }

    #[test]
    fn empty_and_separator_only_text() {
        assert_eq!(normalize("").text, "");
        let n = normalize("   ");
        assert_eq!(n.text, "");
        assert_eq!(n.original_range(0, 0), 0..0);
    }
}
