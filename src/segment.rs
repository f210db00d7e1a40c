//! Word boundaries: exactly the tokens of jieba-rs 0.11's `cut(text, false)` (dictionary DAG,
//! maximum-probability route, HMM off), from jieba's own dictionary compiled at build time.
//!
//! A term counts only as a whole word: 媒体 inside 多媒体, 报警 inside 报警器 and 大爆炸 as
//! one word are not the term. Segmentation runs on the clause around a candidate, never on
//! whole files, so its cost follows the number of candidates, not the size of the input.
//!
//! The dictionary (349,045 words and their frequencies, `vendor/jieba/dict.txt`) is an
//! `fst::Map` that `build.rs` writes and the binary holds: opening it reads a footer, so a run
//! starts without parsing or inserting a word (jieba-rs's `Jieba::new()` was 42% of the
//! instructions of a one-line scan). A table beside it gives the fst's state after each
//! character of the main CJK block, so a walk starts there. Words added at run time (`compound_words` of
//! context.toml and `--lexicon` folders) go into a small overlay with jieba's suggested
//! frequency. tests/segment_jieba.rs holds this module to jieba-rs itself, token for token.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use fst::raw::Output;

/// `TOTAL` of the compiled dictionary, written by build.rs.
mod compiled {
    include!(concat!(env!("OUT_DIR"), "/jieba_dict.rs"));
}

/// jieba's dictionary as an `fst::Map` word → frequency, built by build.rs.
static DICTIONARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba_dict.fst"));

/// The fst's state after each character of the main CJK block, built by build.rs: three
/// little-endian u32 a character (node address or `u32::MAX`, output so far, the character's
/// own frequency plus one or 0).
static FIRST_STEPS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/jieba_first.bin"));

/// The characters `FIRST_STEPS` covers.
const FIRST_STEP_CHARS: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';

/// Where the fst's walk stands after `c`: `None` if `FIRST_STEPS` does not cover it, else the
/// node's address (`None` if no word starts with `c`), the output so far, and `c`'s own
/// frequency if it is a word.
fn first_step(c: char) -> Option<(Option<usize>, u64, Option<u64>)> {
    let index = (c as usize).checked_sub(*FIRST_STEP_CHARS.start() as usize)?;
    let entry = FIRST_STEPS.get(index * 12..index * 12 + 12)?;
    let field = |k: usize| {
        let mut bytes = [0; 4];
        bytes.copy_from_slice(&entry[k * 4..k * 4 + 4]);
        u32::from_le_bytes(bytes)
    };
    let (addr, out, own) = (field(0), field(1), field(2));
    Some((
        (addr != u32::MAX).then_some(addr as usize),
        out as u64,
        own.checked_sub(1).map(u64::from),
    ))
}

/// How often jieba's dictionary says a character of the main CJK block occurs as a word of
/// its own, if it is one.
pub fn char_frequency(c: char) -> Option<u64> {
    first_step(c)?.2
}

/// The shared segmenter: jieba's dictionary plus the words added at run time, read-only once
/// built and lent to every worker.
pub struct Segmenter {
    /// The compiled dictionary; `None` only if build.rs wrote something that is not an fst,
    /// which its own check and this module's tests rule out.
    dictionary: Option<fst::Map<&'static [u8]>>,
    /// Every word added at run time, in or out of the dictionary, and its frequency, which
    /// replaces the dictionary's as `Jieba::add_word` does; sorted by bytes, so the words
    /// with one first character are a run.
    added: Vec<(Box<str>, u64)>,
    /// Each first character of an added word and its run in `added`, sorted.
    added_runs: Vec<(char, Range<usize>)>,
    /// Sum of all frequencies, with the added words' (jieba's `total`).
    total: u64,
    log_total: f64,
    /// Bytes segmented so far: the work of this stage, which tests hold linear.
    segmented: AtomicU64,
}

thread_local! {
    /// Each worker's working space, reused from clause to clause.
    static SCRATCH: RefCell<Block> = RefCell::new(Block::default());
}

impl Segmenter {
    /// jieba's dictionary plus `words` it must keep whole (`compound_words` of context.toml),
    /// added in order as `Jieba::add_word(word, None, None)` would.
    pub fn new(words: &[String]) -> Segmenter {
        let mut segmenter = Segmenter {
            dictionary: fst::Map::new(DICTIONARY).ok(),
            added: Vec::new(),
            added_runs: Vec::new(),
            total: compiled::TOTAL,
            log_total: (compiled::TOTAL as f64).ln(),
            segmented: AtomicU64::new(0),
        };
        for word in words {
            segmenter.add_word(word);
        }
        segmenter
    }

    /// Byte offsets (relative to `text`) where a word starts or ends, sorted, including
    /// `0` and `text.len()`. HMM is off: unknown characters stay single, which only ever adds
    /// boundaries, so it can never hide a real term.
    pub fn boundaries(&self, text: &str) -> Vec<usize> {
        self.segmented.fetch_add(text.len() as u64, Ordering::Relaxed);
        let mut cuts = vec![0];
        self.cut(text, &mut cuts);
        cuts
    }

    /// Bytes segmented so far.
    pub fn segmented_bytes(&self) -> u64 {
        self.segmented.load(Ordering::Relaxed)
    }

    /// Words the compiled dictionary holds (349,045 for jieba-rs 0.11's).
    pub fn dictionary_words(&self) -> usize {
        self.dictionary.as_ref().map_or(0, |map| map.len())
    }

    /// `Jieba::add_word(word, None, None)`: the word gets jieba's suggested frequency, which
    /// replaces any it had, and the total follows.
    fn add_word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        let freq = self.suggest_freq(word);
        let old = match self.added.binary_search_by(|(w, _)| w.as_bytes().cmp(word.as_bytes())) {
            Ok(i) => Some(std::mem::replace(&mut self.added[i].1, freq)),
            Err(i) => {
                self.added.insert(i, (word.into(), freq));
                self.dictionary.as_ref().and_then(|map| map.get(word))
            }
        };
        // jieba-rs: `total += freq; total -= old_freq` (wrapping here rather than panicking).
        self.total = self.total.wrapping_add(freq).wrapping_sub(old.unwrap_or(0));
        self.log_total = (self.total as f64).ln();
        self.added_runs.clear();
        for (i, (word, _)) in self.added.iter().enumerate() {
            let Some(first) = word.chars().next() else { continue };
            match self.added_runs.last_mut() {
                Some((c, run)) if *c == first => run.end = i + 1,
                _ => self.added_runs.push((first, i..i + 1)),
            }
        }
    }

    /// `Jieba::suggest_freq`: a frequency high enough that the route keeps `word` whole.
    fn suggest_freq(&self, word: &str) -> u64 {
        let log_total = self.log_total;
        let mut cuts = vec![0];
        self.cut(word, &mut cuts);
        let log_freq = cuts.windows(2).fold(0f64, |freq, token| {
            freq + (self.word_freq(&word[token[0]..token[1]]).unwrap_or(1) as f64).ln() - log_total
        });
        ((log_freq + log_total).exp() as u64)
            .saturating_add(1)
            .max(self.word_freq(word).unwrap_or(1))
    }

    /// The frequency of `word`, added or in the dictionary.
    fn word_freq(&self, word: &str) -> Option<u64> {
        match self.added.binary_search_by(|(w, _)| w.as_bytes().cmp(word.as_bytes())) {
            Ok(i) => Some(self.added[i].1),
            Err(_) => self.dictionary.as_ref().and_then(|map| map.get(word)),
        }
    }

    /// Push the byte offset where each token of `text` ends, in order: runs of jieba's han
    /// class (CJK, ASCII letters and digits, `+#&._%-`) segmented on the dictionary, every
    /// other character a token of its own (`\r\n` one token).
    fn cut(&self, text: &str, ends: &mut Vec<usize>) {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut block) => {
                self.cut_in(text, &mut block, ends);
                block.release_if_huge();
            }
            // Only if segmenting ever nested; a fresh space is then correct, just slower.
            Err(_) => self.cut_in(text, &mut Block::default(), ends),
        })
    }

    fn cut_in(&self, text: &str, block: &mut Block, ends: &mut Vec<usize>) {
        let mut pos = 0;
        while let Some(first) = text[pos..].chars().next() {
            let han = is_han_default(first);
            block.chars.clear();
            let mut end = pos;
            for (i, c) in text[pos..].char_indices() {
                if is_han_default(c) != han {
                    break;
                }
                block.chars.push((pos + i, c));
                end = pos + i + c.len_utf8();
            }
            block.end = end;
            if han {
                self.cut_block(text, block, ends);
            } else {
                let mut i = 0;
                while let Some(&(offset, c)) = block.chars.get(i) {
                    let pair = c == '\r' && matches!(block.chars.get(i + 1), Some((_, '\n')));
                    ends.push(offset + if pair { 2 } else { c.len_utf8() });
                    i += if pair { 2 } else { 1 };
                }
            }
            pos = end;
        }
    }

    /// jieba-rs's `cut_route::<false>`: the best route through the block's dictionary words,
    /// a run of single ASCII letters and digits on it joined into one token.
    fn cut_block(&self, text: &str, block: &mut Block, ends: &mut Vec<usize>) {
        self.dag(text, block);
        self.calc(block);
        let n = block.chars.len();
        let mut x = 0;
        let mut left = false;
        while x < n {
            let y = block.route[x].1;
            if y - x == 1 && block.chars[x].1.is_ascii_alphanumeric() {
                left = true;
            } else {
                if std::mem::take(&mut left) {
                    ends.push(block.byte_at(x));
                }
                ends.push(block.byte_at(y));
            }
            x = y;
        }
        if left {
            ends.push(block.byte_at(n));
        }
    }

    /// Every dictionary word starting at every character of the block, shortest first: the
    /// compiled ones by walking the fst's bytes, then the added ones, whose frequency wins.
    fn dag(&self, text: &str, block: &mut Block) {
        block.edges.clear();
        block.starts.clear();
        let n = block.chars.len();
        let bytes = text.as_bytes();
        for i in 0..n {
            let first = block.edges.len();
            block.starts.push(first);
            if let Some(map) = &self.dictionary {
                let fst = map.as_fst();
                // The first character's step is read from the table where it covers it.
                let (mut node, mut out, from) = match first_step(block.chars[i].1) {
                    Some((None, _, _)) => (fst.root(), Output::zero(), n),
                    Some((Some(addr), out, own)) => {
                        if let Some(freq) = own {
                            block.edges.push((i + 1, freq));
                        }
                        (fst.node(addr), Output::new(out), i + 1)
                    }
                    None => (fst.root(), Output::zero(), i),
                };
                'walk: for j in from..n {
                    for &b in &bytes[block.chars[j].0..block.byte_at(j + 1)] {
                        let Some(t) = node.find_input(b) else { break 'walk };
                        let transition = node.transition(t);
                        out = out.cat(transition.out);
                        node = fst.node(transition.addr);
                    }
                    if node.is_final() {
                        block.edges.push((j + 1, out.cat(node.final_output()).value()));
                    }
                }
            }
            let (start, c) = block.chars[i];
            if let Ok(run) = self.added_runs.binary_search_by(|(first, _)| first.cmp(&c)) {
                let rest = &text[start..block.end];
                for (word, freq) in &self.added[self.added_runs[run].1.clone()] {
                    if !rest.starts_with(&**word) {
                        continue;
                    }
                    let end = i + word.chars().count();
                    let at = first + block.edges[first..].partition_point(|&(e, _)| e < end);
                    match block.edges.get_mut(at) {
                        // The same start and end: the same word, in the dictionary too.
                        Some(edge) if edge.0 == end => edge.1 = *freq,
                        _ => block.edges.insert(at, (end, *freq)),
                    }
                }
            }
        }
        block.starts.push(block.edges.len());
    }

    /// jieba-rs's `calc`: from the last character back, the route of highest log probability,
    /// the longer word on a tie; a character that starts no word is a word of frequency 1.
    fn calc(&self, block: &mut Block) {
        let n = block.chars.len();
        let log_total = self.log_total;
        let log1 = 0.0f64 - log_total;
        block.route.clear();
        block.route.resize(n + 1, (0.0, n));
        for idx in (0..n).rev() {
            let mut best: Option<(f64, usize)> = None;
            for &(end, freq) in &block.edges[block.starts[idx]..block.starts[idx + 1]] {
                let prob = (freq as f64).ln() - log_total + block.route[end].0;
                match best {
                    Some((p, e)) if !(prob > p || (prob == p && end > e)) => {}
                    _ => best = Some((prob, end)),
                }
            }
            block.route[idx] = best.unwrap_or((log1 + block.route[idx + 1].0, idx + 1));
        }
    }
}

/// One run of the han class being segmented, and the working space for it.
#[derive(Default)]
struct Block {
    /// Byte offset in the text and value of each character.
    chars: Vec<(usize, char)>,
    /// Byte offset in the text where the run ends.
    end: usize,
    /// `(end character, frequency)` of each word, grouped by start character.
    edges: Vec<(usize, u64)>,
    /// Where each character's edges start in `edges`; one more entry than characters.
    starts: Vec<usize>,
    /// `(log probability of the rest, end of the chosen word)` from each character.
    route: Vec<(f64, usize)>,
}

impl Block {
    /// Drop buffers a huge text grew, so a worker does not keep that memory for good.
    fn release_if_huge(&mut self) {
        const KEEP: usize = 1 << 16;
        if self.chars.capacity() > KEEP || self.edges.capacity() > KEEP || self.route.capacity() > KEEP {
            *self = Block::default();
        }
    }

    /// Byte offset in the text of character `i`, the run's end for `i == chars.len()`.
    fn byte_at(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.end, |&(offset, _)| offset)
    }
}

/// The CJK Unified Ideographs outside the main block (jieba-rs's `is_cjk_extension`).
fn is_cjk_extension(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2B73F}'
        | '\u{2B740}'..='\u{2B81F}'
        | '\u{2B820}'..='\u{2CEAF}'
        | '\u{2CEB0}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
    )
}

/// jieba's `RE_HAN_DEFAULT` class: CJK, ASCII letters and digits, and `+#&._%-`.
fn is_han_default(c: char) -> bool {
    if matches!(c, '\u{4E00}'..='\u{9FFF}') {
        true
    } else if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-')
    } else {
        is_cjk_extension(c)
    }
}

/// Whether `start..end` starts and ends on word boundaries.
pub fn is_whole_word(boundaries: &[usize], start: usize, end: usize) -> bool {
    boundaries.binary_search(&start).is_ok() && boundaries.binary_search(&end).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(segmenter: &Segmenter, text: &str, term: &str) -> bool {
        let start = text.find(term).unwrap();
        is_whole_word(&segmenter.boundaries(text), start, start + term.len())
    }

    #[test]
    fn other_words_containing_a_term() {
        let s = Segmenter::new(&["不满意".to_string()]);
        let cases = [
            ("手机里的多媒体文件打不开", "媒体", false),
            ("我要去找媒体曝光你们", "媒体", true),
            ("家里的报警器一直响", "报警", false),
            ("你们再不处理我就报警", "报警", true),
            ("我的号码是13812315678", "12315", false),
            ("我要打12315投诉", "12315", true),
            ("我对你们很不满意", "不", false),
        ];
        for (text, term, want) in cases {
            assert_eq!(whole(&s, text, term), want, "{term} in {text}");
        }
    }

    #[test]
    fn the_compiled_dictionary_is_all_there() {
        let s = Segmenter::new(&[]);
        assert_eq!(s.dictionary_words(), 349_045);
        assert_eq!(s.word_freq("投诉"), Some(2_719));
        assert_eq!(s.word_freq("订单号"), Some(3));
        assert_eq!(s.word_freq("不满意"), None);
    }

    #[test]
    fn a_word_added_at_run_time_is_kept_whole() {
        let text = "这个套餐太坑爹了我要退订";
        let start = text.find("坑爹").unwrap();
        let inside = |s: &Segmenter| s.boundaries(text).contains(&(start + "坑".len()));
        assert!(inside(&Segmenter::new(&[])), "坑爹 is not in jieba's dictionary");
        let added = Segmenter::new(&["坑爹".to_string()]);
        assert!(!inside(&added));
        assert!(whole(&added, text, "坑爹"));
    }

    #[test]
    fn punctuation_spaces_and_line_ends_are_tokens_of_their_own() {
        let s = Segmenter::new(&[]);
        let text = "喂，你好 \r\n投诉";
        let want: Vec<usize> = ["", "喂", "，", "你好", " ", "\r\n", "投诉"]
            .iter()
            .scan(0, |at, token| {
                *at += token.len();
                Some(*at)
            })
            .collect();
        assert_eq!(s.boundaries(text), want);
    }

    #[test]
    fn letters_and_digits_left_single_are_joined() {
        let s = Segmenter::new(&[]);
        let text = "订单号abc123已取消";
        let cuts = s.boundaries(text);
        let start = text.find("abc123").unwrap();
        assert!(is_whole_word(&cuts, start, start + "abc123".len()), "{cuts:?}");
        assert!(!cuts.contains(&(start + 3)), "{cuts:?}");
    }
}
