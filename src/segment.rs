//! Word boundaries, from jieba-rs segmentation. The only module that touches jieba.
//!
//! A term counts only as a whole word: 媒体 inside 多媒体, 报警 inside 报警器 and 大爆炸 as
//! one word are not the term. Segmentation runs on the clause around a candidate, never on
//! whole files, so its cost follows the number of candidates, not the size of the input.

use jieba_rs::Jieba;

/// The shared segmenter: the dictionary is built once, on first use (most lines never need
/// it, and the run starts meanwhile), and lent to every worker.
pub struct Segmenter {
    jieba: std::sync::OnceLock<Jieba>,
    words: Vec<String>,
    /// Bytes handed to jieba so far: the work of this stage, which tests hold linear.
    segmented: std::sync::atomic::AtomicU64,
}

impl Segmenter {
    /// jieba's dictionary plus `words` it must keep whole (`compound_words` of context.toml).
    pub fn new(words: &[String]) -> Segmenter {
        Segmenter {
            jieba: std::sync::OnceLock::new(),
            words: words.to_vec(),
            segmented: std::sync::atomic::AtomicU64::new(0),
        }
    }

    fn jieba(&self) -> &Jieba {
        self.jieba.get_or_init(|| {
            let mut jieba = Jieba::new();
            for word in &self.words {
                jieba.add_word(word, None, None);
            }
            jieba
        })
    }

    /// Byte offsets (relative to `text`) where a word starts or ends, sorted, including
    /// `0` and `text.len()`. HMM is off: unknown characters stay single, which only ever adds
    /// boundaries, so it can never hide a real term.
    pub fn boundaries(&self, text: &str) -> Vec<usize> {
        self.segmented
            .fetch_add(text.len() as u64, std::sync::atomic::Ordering::Relaxed);
        let mut cuts = vec![0];
        for token in self.jieba().cut(text, false) {
            if cuts.last() != Some(&token.byte_start) {
                cuts.push(token.byte_start);
            }
            cuts.push(token.byte_end);
        }
        cuts.dedup();
        cuts
    }
}

impl Segmenter {
    /// Bytes segmented so far.
    pub fn segmented_bytes(&self) -> u64 {
        self.segmented.load(std::sync::atomic::Ordering::Relaxed)
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
}
