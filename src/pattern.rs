//! Patterns: literals and word classes in order, with bounded gaps, verified around an anchor.
//!
//! A pattern such as `{complain} ~8 {n}{unit}` is a sequence of tokens: literal text, a word
//! class `{name}` (defined once in `classes.toml`), the count `{n}`, a group of alternatives
//! `(撤掉|撤了|撤销)` (an empty alternative makes it optional), and gaps `~N`: up to N
//! characters of anything but a sentence end. Tokens written next to each other are adjacent.
//!
//! Matching stays one pass over the text (ripgrep's prefilter-then-verify design): the token
//! whose literals are the rarest (found with `regex-syntax`'s literal extractor) is the
//! pattern's anchor, searched for by the lexicon's one Aho-Corasick automaton with every other
//! term. Around each anchor hit, two small regexes verify the tokens before it (anchored at
//! the hit's start) and after it (anchored at its end), in windows bounded by the tokens'
//! longest possible length, so verifying costs the same on a 10-character line as on a
//! 10-megabyte one.
//!
//! Promise: a pattern that loads matches exactly the language its syntax describes, and a
//! pattern that cannot (unknown class, a gap out of range, no token that can anchor it) is an
//! error that says what to write instead.

use std::collections::BTreeMap;
use std::ops::Range;

use regex_automata::meta;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};

use crate::category::edit_distance;
use crate::normalize::normalize_term;

/// The longest gap a pattern may ask for, in characters.
pub const MAX_GAP: usize = 30;
/// The gap `~` stands for when no number follows it.
pub const DEFAULT_GAP: usize = 8;

/// What a gap may not cross: the ends of sentences (after normalisation).
const SENTENCE_ENDS: [char; 10] = ['。', '.', '!', '?', ';', '…', '\n', '？', '！', '；'];

/// A gap of at most `n` characters: any character where the pattern's words hold no sentence
/// end (`cut`: [`Side::find_within_sentence`] keeps the match within one), else any but a
/// sentence end.
fn gap_regex(n: usize, cut: bool) -> String {
    match cut {
        true => format!(".{{0,{n}}}?"),
        false => format!("[^{}]{{0,{n}}}?", String::from_iter(SENTENCE_ENDS)),
    }
}

/// What `{n}` matches: a count of two or more, in digits or as people say it.
/// 2–999 in digits; 两 二 三 … 十, 十几, 二十多, 三四 (three or four), 几, 好几, 多, 很多, 无数,
/// 数 and 多 (数次, 多次, as a term's `{n}` reads them) …
/// Not 一 or 1: once is not a repeat.
const COUNT_REGEX: &str = r"(?:[1-9][0-9]{1,2}|[2-9]|[两二三四五六七八九十几][一二两三四五六七八九十几]{0,2}多?|好几|好多|很多|无数|数十|数|多|上百|上千|n多|n)";
/// The longest text [`COUNT_REGEX`] can match, in bytes.
const COUNT_MAX_BYTES: usize = 12;

/// Word classes by name: normalised words, each possibly holding `{other}` references.
pub type Classes = BTreeMap<String, Vec<String>>;

/// One token of a parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(String),
    Class(String),
    Count,
    /// Alternatives, each literal text with `{class}` references.
    Group(Vec<String>),
    Gap(usize),
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// As written in the dictionary.
    pub written: String,
    /// The anchor's literals (normalised), for the automaton.
    pub anchors: Vec<String>,
    /// Every other token a match must hold as one of a known set of literals (a literal, or
    /// a class or group of plain words): where none of one token's literals is in reach of an
    /// anchor hit, the hit cannot verify, so the matcher, which sees every literal of the
    /// text in its one pass, does not verify it. What a pattern matches never depends on
    /// these; only how often it is verified.
    pub requires: Vec<Required>,
    /// The tokens before the anchor, matched so that they end where the anchor starts.
    before: Option<Side>,
    /// The tokens after the anchor, matched from where it ends.
    after: Option<Side>,
    /// The anchor is the count itself.
    anchor_is_count: bool,
}

/// A token of a pattern other than its anchor that every match holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    /// Its literals (normalised), sorted.
    pub literals: Vec<String>,
    /// Whether it comes before the anchor (else after).
    pub before: bool,
}

/// A regex for the tokens on one side of the anchor and the longest text it can match.
///
/// The regex is parsed and compiled on the side's first use: most of a lexicon's patterns
/// never meet an anchor in a short run, and compiling all of them was a fifth of the
/// start-up. Built-in dictionaries are compiled whole by the tests and `lexicon check`; a
/// user's are compiled while loading ([`Pattern::compile_all`]), so an error still names its
/// file and line.
#[derive(Debug, Clone)]
struct Side {
    source: String,
    max_bytes: usize,
    /// Gaps are any character: the pattern's words hold no sentence end, so a match within
    /// the sentence is found by cutting the text at the nearest one.
    cut: bool,
    /// Whether the side ends at the anchor (the tokens before it).
    at_end: bool,
    /// The side holds `{n}`, so a match needs its capture.
    has_count: bool,
    compiled: std::sync::OnceLock<Result<Compiled, String>>,
}

#[derive(Debug, Clone)]
struct Compiled {
    regex: meta::Regex,
    /// The characters the side can have next to the anchor (its last for the tokens before,
    /// its first for the tokens after), as sorted ranges; `None` when the side can start
    /// with anything or match nothing there (a gap). A hit whose neighbour is not one of
    /// them fails without running the regex: most anchor hits are rejected this way.
    edge: Option<Vec<(char, char)>>,
}

impl Side {
    fn compiled(&self) -> &Result<Compiled, String> {
        self.compiled.get_or_init(|| {
            let hir = regex_syntax::Parser::new()
                .parse(&self.source)
                .map_err(|e| e.to_string())?;
            // Built from the tree just parsed (not parsed again), with `regex::Regex`'s
            // defaults but no prefilter: a side is anchored at the anchor (`\A…`, `…\z`), so
            // a literal search ahead of it would never run, and building one for a class of
            // a hundred words was a third of what compiling a side cost. No full DFA either,
            // as `regex` builds none: the lazy one is cheaper over a run (measured on the slice).
            let regex = meta::Builder::new()
                .configure(meta::Config::new().auto_prefilter(false).dfa(false))
                .build_from_hir(&hir)
                .map_err(|e| match e.size_limit() {
                    Some(limit) => {
                        format!("compiled, it is over the {limit}-byte limit: use smaller classes or shorter gaps")
                    }
                    None => e.to_string(),
                })?;
            let edge = edge_chars(&hir, self.at_end).filter(|edge| !edge.is_empty());
            Ok(Compiled { regex, edge })
        })
    }

    /// The characters the side can have next to the anchor, if it is a known set.
    #[cfg(test)]
    fn edge(&self) -> Option<&[(char, char)]> {
        self.compiled().as_ref().ok()?.edge.as_deref()
    }

    /// Whether `c`, the character beside the anchor, can be where this side touches it.
    fn admits(&self, c: Option<char>) -> bool {
        let Ok(compiled) = self.compiled() else { return false };
        let Some(edge) = &compiled.edge else { return true };
        let Some(c) = c else { return false };
        let i = edge.partition_point(|&(_, hi)| hi < c);
        edge.get(i).is_some_and(|&(lo, _)| lo <= c)
    }

    /// The match in `window`, where its count is, if `neighbour` (the character beside the
    /// anchor) can be where this side touches it. Most anchor hits do not verify, so the
    /// cheap search runs first and the captures only for a match with a count.
    fn find(&self, neighbour: Option<char>, window: &str) -> Option<(Range<usize>, Option<Range<usize>>)> {
        if !self.admits(neighbour) {
            return None;
        }
        let compiled = self.compiled().as_ref().ok()?;
        let whole = compiled.regex.find(window)?.range();
        if !self.has_count {
            return Some((whole, None));
        }
        let mut caps = compiled.regex.create_captures();
        compiled.regex.captures(window, &mut caps);
        caps.is_match()
            .then(|| (whole, caps.get_group_by_name("n").map(|n| n.range())))
    }

    /// [`Side::find`], the match kept within the anchor's sentence. A side whose gaps are
    /// any character (`cut`) is searched in the whole window first: most searches find
    /// nothing, and then nothing is found within the sentence either. A match that crosses a
    /// sentence end is searched for again in the part of the window on the anchor's side of
    /// the nearest sentence end, which holds exactly the matches that cross none.
    fn find_within_sentence(
        &self,
        neighbour: Option<char>,
        window: &str,
    ) -> Option<(Range<usize>, Option<Range<usize>>)> {
        let found = self.find(neighbour, window)?;
        if !self.cut || !window[found.0.clone()].contains(SENTENCE_ENDS) {
            return Some(found);
        }
        let shift = |(whole, n): (Range<usize>, Option<Range<usize>>), by: usize| {
            (whole.start + by..whole.end + by, n.map(|n| n.start + by..n.end + by))
        };
        if self.at_end {
            let at = window.rfind(SENTENCE_ENDS)?;
            let from = at + window[at..].chars().next().map_or(1, char::len_utf8);
            self.find(neighbour, &window[from..]).map(|found| shift(found, from))
        } else {
            let to = window.find(SENTENCE_ENDS)?;
            self.find(neighbour, &window[..to])
        }
    }
}

/// A verified match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternMatch {
    pub span: Range<usize>,
    /// Where `{n}` matched, if the pattern has one.
    pub count: Option<Range<usize>>,
}

/// What the patterns of one lexicon share, worked out once: the regex of each class (its
/// words normalised and escaped; a class such as `{regulator}` is used by many patterns) and
/// the anchor literals of each token's regex (parsing a class of a hundred words is most of
/// what compiling a pattern costs). Start-up pays for each once, not once per pattern.
#[derive(Debug, Default)]
pub struct Memo {
    class_regexes: std::collections::HashMap<String, String>,
    anchors: std::collections::HashMap<String, Option<Vec<String>>>,
}

impl Pattern {
    /// Compile `written` with `classes`; `reversed` puts the gap-separated parts in the
    /// opposite order (for `any_order`).
    pub fn compile(written: &str, classes: &Classes, reversed: bool) -> Result<Pattern, String> {
        Pattern::compile_with(written, classes, reversed, &mut Memo::default())
    }

    /// [`Pattern::compile`], sharing with the other patterns of one lexicon what they have in
    /// common (`memo` must only ever see these `classes`).
    pub fn compile_with(written: &str, classes: &Classes, reversed: bool, memo: &mut Memo) -> Result<Pattern, String> {
        let mut tokens = parse(written)?;
        if reversed {
            tokens = reverse_parts(tokens);
        }
        if tokens.iter().filter(|t| **t == Token::Count).count() > 1 {
            return Err(format!("pattern `{written}`: only one `{{n}}` count per pattern"));
        }
        if tokens.iter().all(|t| matches!(t, Token::Gap(_))) {
            return Err(format!(
                "pattern `{written}` has no words: write literals or {{classes}}"
            ));
        }
        if matches!(tokens.first(), Some(Token::Gap(_))) || matches!(tokens.last(), Some(Token::Gap(_))) {
            return Err(format!(
                "pattern `{written}` starts or ends with a gap: a gap `~N` goes between two words"
            ));
        }
        let mut pieces: Vec<(String, usize)> = tokens
            .iter()
            .map(|t| Ok((token_regex(t, classes, written, memo)?, token_max_bytes(t, classes))))
            .collect::<Result<_, String>>()?;
        // Where no word of the pattern can hold a sentence end, a match crosses one only
        // through a gap: then a gap is any character (a much smaller automaton than
        // "anything but these ten", to build and to run) and a match that crosses a sentence
        // end is searched for again within the sentence (`Side::find_within_sentence`).
        // Otherwise the gap itself keeps to a sentence.
        let cut = tokens
            .iter()
            .zip(&pieces)
            .all(|(t, (regex, _))| matches!(t, Token::Gap(_)) || !may_hold_sentence_end(regex));
        if cut {
            for (token, piece) in tokens.iter().zip(pieces.iter_mut()) {
                if let Token::Gap(n) = token {
                    piece.0 = gap_regex(*n, true);
                }
            }
        }
        // Each token's literals, worked out once: the anchor is chosen among them, and the
        // other tokens that have them are what a match requires besides the anchor.
        let mut literals: Vec<Option<Vec<String>>> = tokens
            .iter()
            .zip(&pieces)
            .map(|(token, (regex, _))| token_literals(token, regex, classes, memo))
            .collect();
        let index = choose_anchor(&literals).ok_or_else(|| {
            format!(
                "pattern `{written}`: no word in it can anchor the search (every token can match \
                 nothing or a single digit): add a literal word or a class of words"
            )
        })?;
        let anchors = literals[index].take().expect("the anchor has literals");
        let requires = literals
            .into_iter()
            .enumerate()
            .filter_map(|(i, texts)| {
                Some(Required {
                    literals: texts?,
                    before: i < index,
                })
            })
            .collect();
        let side = |range: Range<usize>, at_end: bool| -> Option<Side> {
            if range.is_empty() {
                return None;
            }
            let body: String = pieces[range.clone()].iter().map(|(r, _)| r.as_str()).collect();
            let source = if at_end {
                format!(r"(?s)(?:{body})\z")
            } else {
                format!(r"(?s)\A(?:{body})")
            };
            Some(Side {
                source,
                max_bytes: pieces[range.clone()].iter().map(|(_, m)| m).sum(),
                cut,
                at_end,
                has_count: tokens[range].contains(&Token::Count),
                compiled: std::sync::OnceLock::new(),
            })
        };
        Ok(Pattern {
            written: written.to_string(),
            anchors,
            requires,
            before: side(0..index, true),
            after: side(index + 1..tokens.len(), false),
            anchor_is_count: tokens[index] == Token::Count,
        })
    }

    /// Compile both sides now: a user's dictionary is compiled while it loads and `lexicon
    /// check` compiles every pattern, so an error cannot wait for a scan.
    pub fn compile_all(&self) -> Result<(), String> {
        for side in [&self.before, &self.after].into_iter().flatten() {
            if let Err(error) = side.compiled() {
                return Err(format!("pattern `{}`: {error}", self.written));
            }
        }
        Ok(())
    }

    /// How far a match can reach before an anchor hit's start and after its end, in bytes
    /// (give or take a character): every token before the anchor lies within the first,
    /// every token after it within the second.
    pub fn reach(&self) -> (usize, usize) {
        let reach = |side: &Option<Side>| side.as_ref().map_or(0, |s| s.max_bytes + 4);
        (reach(&self.before), reach(&self.after))
    }

    /// The whole match around an anchor found at `start..end` of `text`, if the pattern's
    /// other tokens are there.
    pub fn verify(&self, text: &str, start: usize, end: usize) -> Option<PatternMatch> {
        let mut span = start..end;
        let mut count = self.anchor_is_count.then_some(start..end);
        if let Some(before) = &self.before {
            let from = text.floor_char_boundary(start.saturating_sub(before.max_bytes));
            let (whole, n) = before.find_within_sentence(text[..start].chars().next_back(), &text[from..start])?;
            span.start = from + whole.start;
            if let Some(n) = n {
                count = Some(from + n.start..from + n.end);
            }
        }
        if let Some(after) = &self.after {
            let to = text.ceil_char_boundary((end + after.max_bytes).min(text.len()));
            let (whole, n) = after.find_within_sentence(text[end..].chars().next(), &text[end..to])?;
            span.end = end + whole.end;
            if let Some(n) = n {
                count = Some(end + n.start..end + n.end);
            }
        }
        // A count in digits glued to other digits (112次 read as 12次) is some other number; a
        // count in words after a number is still a count (打10010三次).
        if let Some(n) = &count {
            let said = &text[n.clone()];
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
            let glued = (digit(said.chars().next()) && digit(text[..n.start].chars().next_back()))
                || (digit(said.chars().next_back()) && digit(text[n.end..].chars().next()));
            if glued {
                return None;
            }
        }
        Some(PatternMatch { span, count })
    }
}

/// The value a spoken count stands for, as reported in `hits.csv`: digits for an exact
/// number (三 → 3, 十二 → 12, 二十 → 20), the words themselves otherwise (十几, 好几, 多).
pub fn count_value(said: &str) -> String {
    let said = said.trim();
    if let Ok(n) = said.parse::<u32>() {
        return n.to_string();
    }
    chinese_number(said).map_or_else(|| said.to_string(), |n| n.to_string())
}

/// The least a count says: 4 for 4, 11 for 十几, 20 for 几十; none for 几, 好几, 多.
pub fn count_at_least(value: &str) -> Option<u32> {
    if let Ok(n) = value.parse::<u32>() {
        return Some(n);
    }
    if let Some(n) = chinese_number(value) {
        return Some(n);
    }
    match value {
        "十几" => Some(11),
        "几十" | "数十" => Some(20),
        "上百" | "几百" => Some(100),
        "上千" => Some(1000),
        "无数" | "n多" | "n" => Some(10),
        _ => {
            // 二十多, 三十几: at least the tens; 三四: at least the first.
            let digits: String = value
                .chars()
                .take_while(|c| digit(*c).is_some() || *c == '十')
                .collect();
            if digits.is_empty() {
                None
            } else {
                chinese_number(&digits).or_else(|| digits.chars().next().and_then(digit))
            }
        }
    }
}

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// 三 → 3, 十 → 10, 十二 → 12, 二十 → 20, 三十五 → 35; anything else → none.
fn chinese_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [d] => digit(*d).or((*d == '十').then_some(10)),
        ['十', d] => Some(10 + digit(*d)?),
        [d, '十'] => Some(10 * digit(*d)?),
        [a, '十', b] => Some(10 * digit(*a)? + digit(*b)?),
        _ => None,
    }
}

/// Split a pattern into tokens; literals are normalised like the text.
fn parse(written: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut literal = String::new();
    let mut chars = written.chars().peekable();
    let flush = |literal: &mut String, tokens: &mut Vec<Token>| {
        if !literal.is_empty() {
            let text = normalize_term(literal);
            if !text.is_empty() {
                tokens.push(Token::Literal(text));
            }
            literal.clear();
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                flush(&mut literal, &mut tokens);
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                tokens.push(if name == "n" {
                    Token::Count
                } else {
                    check_name(&name, written)?;
                    Token::Class(name)
                });
            }
            '(' => {
                flush(&mut literal, &mut tokens);
                let mut body = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ')' {
                        closed = true;
                        break;
                    }
                    body.push(c);
                }
                if !closed {
                    return Err(format!("pattern `{written}`: a `(` without its `)`"));
                }
                let alternatives: Vec<String> = body.split('|').map(|a| a.trim().to_string()).collect();
                for a in &alternatives {
                    if a.contains(['(', '~']) {
                        return Err(format!(
                            "pattern `{written}`: inside ( | ) only words and {{classes}}, no groups or gaps"
                        ));
                    }
                }
                tokens.push(Token::Group(alternatives));
            }
            '~' => {
                flush(&mut literal, &mut tokens);
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n = if digits.is_empty() {
                    DEFAULT_GAP
                } else {
                    digits.parse::<usize>().unwrap_or(usize::MAX)
                };
                if !(1..=MAX_GAP).contains(&n) {
                    return Err(format!(
                        "pattern `{written}`: gap `~{digits}` is out of range: use ~1 to ~{MAX_GAP} characters"
                    ));
                }
                tokens.push(Token::Gap(n));
            }
            '}' | ')' | '|' => {
                return Err(format!(
                    "pattern `{written}`: a stray `{c}` (classes are {{name}}, alternatives (a|b))"
                ));
            }
            c if c.is_whitespace() => flush(&mut literal, &mut tokens),
            c => literal.push(c),
        }
    }
    flush(&mut literal, &mut tokens);
    // Two gaps in a row are one gap of their sum (bounded).
    let mut merged: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens {
        match (merged.last_mut(), &t) {
            (Some(Token::Gap(a)), Token::Gap(b)) => *a = (*a + b).min(MAX_GAP),
            _ => merged.push(t),
        }
    }
    Ok(merged)
}

fn check_name(name: &str, written: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "pattern `{written}`: `{{{name}}}` is no class name: classes are lower-case ascii names such as {{complain}}, and {{n}} is a count"
        ))
    }
}

/// The gap-separated parts in the opposite order, each part's own tokens kept in order:
/// `{complain} ~8 {n}次` → `{n}次 ~8 {complain}`.
fn reverse_parts(tokens: Vec<Token>) -> Vec<Token> {
    let mut parts: Vec<Vec<Token>> = vec![Vec::new()];
    let mut gaps = Vec::new();
    for t in tokens {
        match t {
            Token::Gap(n) => {
                gaps.push(n);
                parts.push(Vec::new());
            }
            t => parts.last_mut().expect("one part at least").push(t),
        }
    }
    parts.reverse();
    gaps.reverse();
    let mut out = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push(Token::Gap(gaps[i - 1]));
        }
        out.extend(part);
    }
    out
}

/// A piece of text that may hold `{name}` references: literal text, or a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// `{name}`; `{n}` is the count.
    Reference(&'a str),
    /// A `{` without its `}`: the rest of the text.
    Unclosed(&'a str),
}

/// `投诉{n}次{unit}` → Text(投诉), Reference(n), Text(次), Reference(unit). Empty text pieces
/// are left out.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push(Piece::Unclosed(&rest[open..]));
            return out;
        };
        out.push(Piece::Reference(&after[..close]));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Every class name a pattern or class word refers to, for lints and errors.
pub fn class_references(written: &str) -> Vec<String> {
    pieces(written)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Reference(name) if name != "n" => Some(name.to_string()),
            _ => None,
        })
        .collect()
}

/// A class name: lower-case ascii letters, digits and `_`, starting with a letter; `n` is the
/// count, not a class.
pub fn is_class_name(name: &str) -> bool {
    name != "n"
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The regex of one token.
fn token_regex(token: &Token, classes: &Classes, written: &str, memo: &mut Memo) -> Result<String, String> {
    Ok(match token {
        Token::Literal(text) => regex::escape(text),
        Token::Count => format!("(?P<n>{COUNT_REGEX})"),
        Token::Gap(n) => gap_regex(*n, false),
        Token::Class(name) => class_regex(name, classes, written, 0, memo)?,
        Token::Group(alternatives) => {
            let mut alts: Vec<String> = alternatives
                .iter()
                .map(|a| words_regex(a, classes, written, 0, memo))
                .collect::<Result<_, _>>()?;
            // Longer alternatives first, so the longest word wins where one holds another.
            alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
            format!("(?:{})", alts.join("|"))
        }
    })
}

/// How deep classes may refer to classes.
const MAX_CLASS_DEPTH: usize = 4;

fn class_regex(name: &str, classes: &Classes, written: &str, depth: usize, memo: &mut Memo) -> Result<String, String> {
    if depth > MAX_CLASS_DEPTH {
        return Err(format!(
            "class `{{{name}}}` refers to classes more than {MAX_CLASS_DEPTH} deep (a class that refers to itself?)"
        ));
    }
    // Kept for a class named by a pattern itself (depth 0), where how deep its references
    // may go is the same every time; failures are not kept.
    if depth == 0
        && let Some(regex) = memo.class_regexes.get(name)
    {
        return Ok(regex.clone());
    }
    let words = classes
        .get(name)
        .ok_or_else(|| unknown_class(name, classes, &format!("pattern `{written}`")))?;
    let mut alts: Vec<String> = words
        .iter()
        .map(|w| words_regex(w, classes, written, depth + 1, memo))
        .collect::<Result<_, _>>()?;
    alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
    alts.dedup();
    let regex = format!("(?:{})", alts.join("|"));
    if depth == 0 {
        memo.class_regexes.insert(name.to_string(), regex.clone());
    }
    Ok(regex)
}

/// Literal text with `{class}` references, as a regex.
fn words_regex(text: &str, classes: &Classes, written: &str, depth: usize, memo: &mut Memo) -> Result<String, String> {
    let mut out = String::new();
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => out.push_str(&regex::escape(&normalize_term(t))),
            Piece::Reference("n") => out.push_str(&format!("(?:{COUNT_REGEX})")),
            Piece::Reference(name) => {
                check_name(name, written)?;
                out.push_str(&class_regex(name, classes, written, depth, memo)?);
            }
            Piece::Unclosed(_) => return Err(format!("pattern `{written}`: a `{{` without its `}}`")),
        }
    }
    Ok(out)
}

/// The error for an unknown class in `what` (a pattern or a rule's word, as written), naming
/// the nearest known class if there is one.
fn unknown_class(name: &str, classes: &Classes, what: &str) -> String {
    let near = classes
        .keys()
        .min_by_key(|k| edit_distance(k, name))
        .filter(|k| edit_distance(k, name) <= 2);
    match near {
        Some(k) => format!("{what}: unknown class `{{{name}}}` (did you mean {{{k}}}?)"),
        None => {
            format!("{what}: unknown class `{{{name}}}`: define it in classes.toml (`{name} = [\"…\"]`)")
        }
    }
}

/// The longest text a token can match, in bytes.
fn token_max_bytes(token: &Token, classes: &Classes) -> usize {
    fn words_max(text: &str, classes: &Classes, depth: usize) -> usize {
        pieces(text)
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(t) | Piece::Unclosed(t) => t.len(),
                Piece::Reference("n") => COUNT_MAX_BYTES,
                Piece::Reference(name) if depth < MAX_CLASS_DEPTH => classes.get(name).map_or(0, |ws| {
                    ws.iter().map(|w| words_max(w, classes, depth + 1)).max().unwrap_or(0)
                }),
                Piece::Reference(_) => 0,
            })
            .sum()
    }
    match token {
        Token::Literal(t) => t.len(),
        Token::Count => COUNT_MAX_BYTES,
        Token::Gap(n) => n * 4,
        Token::Class(name) => words_max(&format!("{{{name}}}"), classes, 0),
        Token::Group(alts) => alts.iter().map(|a| words_max(a, classes, 0)).max().unwrap_or(0),
    }
}

/// The characters that can begin (`last` false) or end (`last` true) a match of `hir`, as
/// sorted, merged ranges; `None` when a match can be empty there or when that is unknown.
fn edge_chars(hir: &Hir, last: bool) -> Option<Vec<(char, char)>> {
    /// The set and whether the expression can match the empty string.
    fn walk(hir: &Hir, last: bool) -> Option<(Vec<(char, char)>, bool)> {
        Some(match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => (Vec::new(), true),
            HirKind::Literal(lit) => {
                let text = std::str::from_utf8(&lit.0).ok()?;
                let c = if last {
                    text.chars().next_back()
                } else {
                    text.chars().next()
                }?;
                (vec![(c, c)], false)
            }
            HirKind::Class(Class::Unicode(class)) => {
                (class.ranges().iter().map(|r| (r.start(), r.end())).collect(), false)
            }
            HirKind::Class(Class::Bytes(_)) => return None,
            HirKind::Repetition(rep) => {
                let (set, empty) = walk(&rep.sub, last)?;
                (set, empty || rep.min == 0)
            }
            HirKind::Capture(cap) => walk(&cap.sub, last)?,
            HirKind::Concat(parts) => {
                let mut set = Vec::new();
                let ordered: Box<dyn Iterator<Item = &Hir>> = if last {
                    Box::new(parts.iter().rev())
                } else {
                    Box::new(parts.iter())
                };
                for part in ordered {
                    let (more, empty) = walk(part, last)?;
                    set.extend(more);
                    if !empty {
                        return Some((set, false));
                    }
                }
                (set, true)
            }
            HirKind::Alternation(alts) => {
                let mut set = Vec::new();
                let mut any_empty = false;
                for alt in alts {
                    let (more, empty) = walk(alt, last)?;
                    set.extend(more);
                    any_empty |= empty;
                }
                (set, any_empty)
            }
        })
    }
    let (mut set, empty) = walk(hir, last)?;
    if empty {
        return None;
    }
    set.sort_unstable();
    let mut merged: Vec<(char, char)> = Vec::with_capacity(set.len());
    for (lo, hi) in set {
        match merged.last_mut() {
            Some(prev) if (prev.1 as u32).saturating_add(1) >= lo as u32 => prev.1 = prev.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    Some(merged)
}

/// The token to search for, given each token's literals ([`token_literals`]): of the tokens
/// whose every match is one of a finite set of literals (none empty), the one expected to hit
/// the text least often. A literal's weight falls steeply with its length (one character hits
/// about fifty times as often as two), so a group of three one-character words (去|到|上) loses
/// to a class with a single one (店) and many longer words. Which token anchors never changes
/// what a pattern matches, only how often it is verified.
fn choose_anchor(literals: &[Option<Vec<String>>]) -> Option<usize> {
    /// Expected hits per character of text, roughly, for a literal of `chars` characters.
    fn weight(chars: usize) -> f64 {
        match chars {
            0 => f64::INFINITY,
            1 => 1.0,
            2 => 0.02,
            3 => 0.000_4,
            _ => 0.000_01,
        }
    }
    let mut best: Option<(usize, f64)> = None;
    for (i, texts) in literals.iter().enumerate() {
        let Some(texts) = texts else { continue };
        let expected: f64 = texts.iter().map(|t| weight(t.chars().count())).sum();
        if best.is_none_or(|(_, e)| expected < e) {
            best = Some((i, expected));
        }
    }
    best.map(|(i, _)| i)
}

/// Every text a token (not a gap or the count) can match, when that is a list of non-empty
/// literals the automaton can search for: a literal is its own (up to the extractor's
/// 100-byte limit); a class or a group of plain words its words, expanded from the classes
/// (what the extractor would give, without parsing a regex); otherwise what the extractor
/// finds exact in the token's `regex`.
fn token_literals(token: &Token, regex: &str, classes: &Classes, memo: &mut Memo) -> Option<Vec<String>> {
    match token {
        Token::Gap(_) | Token::Count => None,
        Token::Literal(text) if !text.is_empty() && text.len() <= 100 => Some(vec![text.clone()]),
        // Sorted and without duplicates once, here: patterns share a class's literals.
        _ => memo
            .anchors
            .entry(regex.to_string())
            .or_insert_with(|| {
                let mut texts = expand_token(token, classes).or_else(|| exact_literals(regex))?;
                texts.sort();
                texts.dedup();
                Some(texts)
            })
            .clone(),
    }
}

/// Whether a token's regex (escaped words, classes, the count) can match a sentence end: a
/// literal one, raw or escaped. Erring towards yes only keeps the slower gap.
fn may_hold_sentence_end(regex: &str) -> bool {
    SENTENCE_ENDS
        .iter()
        .any(|end| regex.contains(regex::escape(end.encode_utf8(&mut [0; 4])).as_str()))
}

/// The most texts an anchor may stand for, and the longest one in bytes: the limits of the
/// extractor in [`exact_literals`].
const EXPAND_LIMIT: usize = 10_000;
const EXPAND_MAX_BYTES: usize = 100;

/// Every text a class or a group token matches, expanded from the classes' words (normalised
/// as [`words_regex`] does): `None` where a word holds the count `{n}` or an unclosed brace,
/// where there would be more than [`EXPAND_LIMIT`] texts, an empty one, one longer than
/// [`EXPAND_MAX_BYTES`] or more than ten of one character; those are left to
/// [`exact_literals`], which gives the same set of words wherever this gives one (a test
/// checks every built-in pattern). Sorted, without duplicates.
fn expand_token(token: &Token, classes: &Classes) -> Option<Vec<String>> {
    let words = match token {
        Token::Class(name) => expand_class(name, classes, 0)?,
        Token::Group(alternatives) => {
            let mut out = Vec::new();
            for alternative in alternatives {
                out.extend(expand_words(alternative, classes, 0)?);
                if out.len() > EXPAND_LIMIT {
                    return None;
                }
            }
            out
        }
        _ => return None,
    };
    let fits = |w: &String| !w.is_empty() && w.len() <= EXPAND_MAX_BYTES;
    if words.is_empty() || !words.iter().all(fits) {
        return None;
    }
    // The extractor reads more than ten one-character words as a class too wide to search
    // for: so does this.
    let mut words = words;
    words.sort();
    words.dedup();
    if words.iter().filter(|w| w.chars().count() == 1).count() > 10 {
        return None;
    }
    Some(words)
}

fn expand_class(name: &str, classes: &Classes, depth: usize) -> Option<Vec<String>> {
    if depth > MAX_CLASS_DEPTH {
        return None;
    }
    let mut out = Vec::new();
    for word in classes.get(name)? {
        out.extend(expand_words(word, classes, depth + 1)?);
        if out.len() > EXPAND_LIMIT {
            return None;
        }
    }
    // A class of no words is the regex `(?:)`, which matches the empty text:
    // no list of words stands for it (a word holding it would lose its other texts).
    (!out.is_empty()).then_some(out)
}

/// Every text of a rule's word list entry (`near`, `unless`, `unless_near`) with `{class}`
/// references (`{regulator}把`), normalised: the entry itself when it names no class. An
/// unknown class, the count `{n}` or more than [`EXPAND_LIMIT`] texts is an error that says
/// what to write.
pub fn expand_word_list_entry(written: &str, classes: &Classes) -> Result<Vec<String>, String> {
    if !written.contains('{') && !written.contains('}') {
        return Ok(vec![normalize_term(written)]);
    }
    for name in class_references(written) {
        if !classes.contains_key(&name) {
            return Err(unknown_class(&name, classes, &format!("word `{written}`")));
        }
    }
    expand_words(written, classes, 0).ok_or_else(|| {
        format!(
            "word `{written}`: its classes hold a count `{{n}}`, an unclosed brace or a class of no words, or it \
             stands for more than {EXPAND_LIMIT} words: name a class of plain words"
        )
    })
}

fn expand_words(text: &str, classes: &Classes, depth: usize) -> Option<Vec<String>> {
    let mut texts = vec![String::new()];
    for piece in pieces(text) {
        match piece {
            Piece::Text(t) => {
                let t = normalize_term(t);
                texts.iter_mut().for_each(|text| text.push_str(&t));
            }
            Piece::Reference("n") | Piece::Unclosed(_) => return None,
            Piece::Reference(name) => {
                let words = expand_class(name, classes, depth)?;
                if texts.len() * words.len() > EXPAND_LIMIT {
                    return None;
                }
                texts = texts
                    .iter()
                    .flat_map(|text| words.iter().map(move |w| format!("{text}{w}")))
                    .collect();
            }
        }
    }
    Some(texts)
}

/// Every text `regex` can match, when that is a short list of non-empty literals (what the
/// automaton can search for in its place).
fn exact_literals(regex: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(regex).ok()?;
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix).limit_total(10_000).limit_class(10);
    let seq = extractor.extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| !l.is_exact() || l.as_bytes().is_empty()) {
        return None;
    }
    let texts: Vec<String> = literals
        .iter()
        .filter_map(|l| String::from_utf8(l.as_bytes().to_vec()).ok())
        .collect();
    (texts.len() == literals.len()).then_some(texts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo only saves work: every built-in pattern compiled with the lexicon's shared
    /// memo has the anchors and side regexes it has when compiled on its own.
    #[test]
    fn patterns_sharing_a_memo_compile_as_they_do_alone() {
        let lexicon = crate::lexicon::Lexicon::builtin().unwrap();
        let mut seen = 0;
        for term in lexicon.rules.iter().flat_map(|r| r.terms.iter()) {
            let Some(shared) = &term.pattern else { continue };
            let (written, reversed) = match term.text.strip_suffix(" (reversed)") {
                Some(written) => (written, true),
                None => (term.text.as_str(), false),
            };
            let alone = Pattern::compile(written, &lexicon.classes, reversed).unwrap();
            let sources = |p: &Pattern| [&p.before, &p.after].map(|s| s.as_ref().map(|s| s.source.clone()));
            assert_eq!(shared.anchors, alone.anchors, "{written}");
            assert_eq!(sources(shared), sources(&alone), "{written}");
            seen += 1;
        }
        assert!(seen > 200, "only {seen} patterns");
        // A class or group's words, expanded from the classes, are what extracting their
        // regex gives, for every class and group token of every built-in pattern.
        let mut compared = 0;
        for term in lexicon.rules.iter().flat_map(|r| r.terms.iter()) {
            if term.pattern.is_none() {
                continue;
            }
            let written = term.text.strip_suffix(" (reversed)").unwrap_or(&term.text);
            for token in parse(written).unwrap() {
                if !matches!(token, Token::Class(_) | Token::Group(_)) {
                    continue;
                }
                let regex = token_regex(&token, &lexicon.classes, written, &mut Memo::default()).unwrap();
                let sorted = |words: Option<Vec<String>>| {
                    words.map(|mut w| {
                        w.sort();
                        w.dedup();
                        w
                    })
                };
                let expanded = sorted(expand_token(&token, &lexicon.classes));
                if expanded.is_some() {
                    assert_eq!(expanded, sorted(exact_literals(&regex)), "{written}: {token:?}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 200, "only {compared} tokens expanded");
        // A literal token's anchor is taken as is: what extracting it gives.
        for literal in ["投诉", "12315", "a.b*c", "找你们领导"] {
            assert_eq!(exact_literals(&regex::escape(literal)), Some(vec![literal.to_string()]));
        }
    }

    fn classes() -> Classes {
        let mut c = Classes::new();
        c.insert(
            "complain".into(),
            vec!["投诉".into(), "反映".into(), "打电话".into(), "催".into()],
        );
        c.insert("unit".into(), vec!["次".into(), "回".into(), "遍".into(), "趟".into()]);
        c.insert("contact".into(), vec!["{complain}".into(), "联系".into()]);
        c
    }

    /// Every match of `pattern` in `text`, found the way the matcher finds them.
    fn find(pattern: &str, text: &str) -> Vec<(String, Option<String>)> {
        find_in_order(pattern, text, false)
    }

    fn find_in_order(pattern: &str, text: &str, reversed: bool) -> Vec<(String, Option<String>)> {
        let p = Pattern::compile(pattern, &classes(), reversed).unwrap();
        let mut found = Vec::new();
        for anchor in &p.anchors {
            for (at, _) in text.match_indices(anchor.as_str()) {
                if let Some(m) = p.verify(text, at, at + anchor.len()) {
                    let count = m.count.map(|c| text[c].to_string());
                    let hit = (text[m.span].to_string(), count);
                    if !found.contains(&hit) {
                        found.push(hit);
                    }
                }
            }
        }
        found
    }

    #[test]
    fn a_count_and_a_unit_after_a_complaint_verb_within_the_gap() {
        assert_eq!(
            find("{complain} ~8 {n}{unit}", "这个问题我打电话都打了好几回了"),
            [("打电话都打了好几回".to_string(), Some("好几".to_string()))]
        );
        assert_eq!(
            find("{complain} ~8 {n}{unit}", "我投诉了十二次"),
            [("投诉了十二次".to_string(), Some("十二".to_string()))]
        );
        // Once is no repeat; a count glued to other digits is another number.
        assert!(find("{complain} ~8 {n}{unit}", "我投诉了一次").is_empty());
        assert!(find("{complain} ~8 {n}{unit}", "我投诉的订单号是11112次").is_empty());
        // A count in words right after a number is a count: 打10010三次.
        assert_eq!(
            find("{complain}10010{n}{unit}", "我打电话10010三次"),
            [("打电话10010三次".to_string(), Some("三".to_string()))]
        );
        // 数次 is a count in a pattern as in a term (投诉了{n}次 reads 投诉了数次).
        assert_eq!(
            find("{complain} ~8 {n}{unit}", "五号到八号连续投诉数次"),
            [("投诉数次".to_string(), Some("数".to_string()))]
        );
    }

    #[test]
    fn a_gap_stops_at_its_length_and_at_a_sentence_end() {
        assert!(find("{complain} ~4 {n}{unit}", "我投诉这个宽带的问题三次").is_empty());
        assert!(find("{complain} ~8 {n}{unit}", "我要投诉。三次了").is_empty());
        assert_eq!(find("{complain} ~8 {n}{unit}", "我要投诉，三次了").len(), 1);
        // (pattern, text, the match within one sentence, or none). Before the anchor, the first
        // match a search of the whole window meets may cross a sentence end while a shorter
        // one lies within the sentence: that one is found. After it, gaps are lazy, so the
        // first match is the shortest: one that crosses leaves none within the sentence.
        let rows: [(&str, &str, Option<&str>); 8] = [
            ("{complain} ~8 {n}{unit}", "投诉。又催三次", Some("催三次")),
            ("{complain} ~8 三次", "投诉。又催三次", Some("催三次")),
            ("{complain} ~8 三次", "打电话！没人接三次", None),
            ("{complain} ~8 {n}{unit}", "投诉\n三次", None),
            ("三次 ~8 {complain}", "三次。又投诉", None),
            ("三次 ~8 {complain}", "三次了还要投诉。又投诉", Some("三次了还要投诉")),
            ("说过 ~6 (不管|没用)", "说过。不管", None),
            // A word that holds a sentence end keeps the gap that stops at one.
            ("等等… ~4 投诉", "等等…我投诉", Some("等等…我投诉")),
        ];
        for (pattern, text, expected) in rows {
            let found: Vec<String> = find(pattern, text).into_iter().map(|(m, _)| m).collect();
            assert_eq!(found.first().map(String::as_str), expected, "{pattern} in {text}");
        }
    }

    #[test]
    fn any_order_reverses_the_parts() {
        let found = find_in_order("{complain} ~6 {n}{unit}", "三回打电话都没人接", true);
        assert_eq!(found, [("三回打电话".to_string(), Some("三".to_string()))]);
        assert!(find("{complain} ~6 {n}{unit}", "三回打电话都没人接").is_empty());
    }

    #[test]
    fn groups_are_alternatives_and_an_empty_one_is_optional() {
        let found = find("(先别|别)(往上|)(报|投诉)", "您先别往上报");
        assert!(found.iter().any(|(m, _)| m == "先别往上报"), "{found:?}");
        let found = find("(先别|别)(往上|)(报|投诉)", "您别投诉了");
        assert!(found.iter().any(|(m, _)| m == "别投诉"), "{found:?}");
        assert!(find("(先别|别)(往上|)(报|投诉)", "您别着急").is_empty());
    }

    #[test]
    fn the_neighbour_of_an_anchor_rejects_a_hit_before_any_regex_runs() {
        // Anchored on the unit: the tokens before must end in a count.
        let p = Pattern::compile("{n}{unit}", &classes(), false).unwrap();
        let before = p.before.as_ref().unwrap();
        assert!(before.edge().is_some());
        assert!(before.admits(Some('3')) && before.admits(Some('几')) && before.admits(Some('多')));
        assert!(!before.admits(Some('这')) && !before.admits(None));
        // The verdicts are the regex's: 这次 fails at once, 三次 verifies.
        assert_eq!(find("{n}{unit}", "这次也没用，下回再说"), vec![]);
        assert_eq!(
            find("{n}{unit}", "我投诉了三次"),
            vec![("三次".to_string(), Some("三".to_string()))]
        );
        // A side that opens with a gap or an optional word can touch the anchor with anything.
        let gap = Pattern::compile("{complain} ~3 (回复|答复)", &classes(), false).unwrap();
        assert!(gap.after.as_ref().is_none_or(|side| side.edge().is_none()));
        let optional = Pattern::compile("(先|)别往上报", &classes(), false).unwrap();
        assert!(optional.before.as_ref().is_none_or(|side| side.edge().is_none()));
    }

    #[test]
    fn classes_can_use_classes_and_the_anchor_is_the_rarest_token() {
        let p = Pattern::compile("{contact} ~3 {n}{unit}", &classes(), false).unwrap();
        // 催 is one character: the class has a one-character word, so is the unit class; the
        // count cannot anchor. Either is valid, but the anchor must be a class's literals.
        assert!(p.anchors.iter().all(|a| !a.is_empty()));
        let p = Pattern::compile("第{n}次 ~6 投诉", &classes(), false).unwrap();
        assert_eq!(p.anchors, ["投诉"]);
    }

    #[test]
    fn mistakes_are_errors_that_say_what_to_write() {
        let e = Pattern::compile("{complian} ~8 {n}次", &classes(), false).unwrap_err();
        assert!(e.contains("did you mean {complain}"), "{e}");
        let e = Pattern::compile("{complain} ~99 {n}次", &classes(), false).unwrap_err();
        assert!(e.contains("~1 to ~30"), "{e}");
        let e = Pattern::compile("~3 投诉", &classes(), false).unwrap_err();
        assert!(e.contains("between two words"), "{e}");
        let e = Pattern::compile("{n} ~3 {n}", &classes(), false).unwrap_err();
        assert!(e.contains("only one"), "{e}");
        let e = Pattern::compile("(投诉|反映", &classes(), false).unwrap_err();
        assert!(e.contains("without its `)`"), "{e}");
    }

    #[test]
    fn counts_are_reported_as_numbers_where_they_are_numbers() {
        assert_eq!(count_value("三"), "3");
        assert_eq!(count_value("十二"), "12");
        assert_eq!(count_value("二十"), "20");
        assert_eq!(count_value("好几"), "好几");
        assert_eq!(count_at_least("十几"), Some(11));
        assert_eq!(count_at_least("二十多"), Some(20));
        assert_eq!(count_at_least("三四"), Some(3));
        assert_eq!(count_at_least("好几"), None);
    }
}
