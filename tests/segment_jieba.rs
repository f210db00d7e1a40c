//! The segmenter draws exactly jieba-rs 0.11's word boundaries (`cut(text, false)` after the
//! same `add_word(word, None, None)` calls): on random clauses of Chinese, letters, digits,
//! punctuation and spaces with random added words (proptest), on hand-picked edge cases, and,
//! when `../shared/corpus/` is here, on every line of a sample of real customer-service text
//! (nothing of which is committed). jieba-rs is a dev-dependency for this test only.

use std::path::Path;
use std::sync::OnceLock;

use callrisk::segment::Segmenter;
use jieba_rs::Jieba;
use proptest::prelude::*;

/// `compound_words` of the shipped context.toml, the words every scan adds.
fn shipped_words() -> Vec<String> {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            let lexicon = callrisk::lexicon::Lexicon::builtin().expect("the shipped dictionaries load");
            assert!(
                lexicon.markers.compound_words.len() > 50,
                "the compound words are there"
            );
            lexicon.markers.compound_words
        })
        .clone()
}

/// jieba-rs with `words` added in order, as the segmenter had it before. jieba's dictionary
/// is loaded once and copied: loading it is what the segmenter no longer does, and costs.
fn jieba_with(words: &[String]) -> Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    let mut jieba = JIEBA.get_or_init(Jieba::new).clone();
    for word in words {
        jieba.add_word(word, None, None);
    }
    jieba
}

/// Boundaries from jieba-rs's tokens, as segment.rs computed them before.
fn jieba_boundaries(jieba: &Jieba, text: &str) -> Vec<usize> {
    let mut cuts = vec![0];
    for token in jieba.cut(text, false) {
        if cuts.last() != Some(&token.byte_start) {
            cuts.push(token.byte_start);
        }
        cuts.push(token.byte_end);
    }
    cuts.dedup();
    cuts
}

/// The tokens between boundaries, for a readable failure.
fn words(text: &str, cuts: &[usize]) -> Vec<String> {
    cuts.windows(2).map(|w| text[w[0]..w[1]].to_string()).collect()
}

fn assert_same(segmenter: &Segmenter, jieba: &Jieba, text: &str) {
    let ours = segmenter.boundaries(text);
    let theirs = jieba_boundaries(jieba, text);
    assert_eq!(words(text, &ours), words(text, &theirs), "{text:?}");
    assert_eq!(ours, theirs, "{text:?}");
}

#[test]
fn hand_picked_clauses_cut_as_jieba_cuts_them() {
    let words = shipped_words();
    let segmenter = Segmenter::new(&words);
    let jieba = jieba_with(&words);
    let clauses = [
        "",
        "我要去12315投诉你们",
        "你们这个服务太不负责任了，我对你们很不满意！",
        "订单号JD20261124-0089已经三天没有物流信息了",
        "客服：您好，请问有什么可以帮您？\r\n客户：我的宽带又断网了",
        "C++和C#的课程退款，AT&T的合约机",
        "50%的违约金？不合理吧 ",
        "第3.5代的路由器，型号WR-841N_v2",
        "喂喂喂\r\r\n你听得到吗\n\n",
        "𠀀𠀁中文扩展字符和（全角括号）还有😡表情",
        "  \t多个空格  之间",
        "ＡＢＣ全角字母１２３全角数字",
        "能不能快点处理，是不是要我去消协投诉才行",
        "不靠谱不靠谱不靠谱",
    ];
    for text in clauses {
        assert_same(&segmenter, &jieba, text);
    }
}

#[test]
fn words_added_twice_or_already_known_cut_as_jieba_cuts_them() {
    // 不靠谱 is twice in context.toml; 投诉 is in jieba's dictionary; the empty word is skipped.
    let words: Vec<String> = ["不靠谱", "投诉", "", "不靠谱", "太坑爹", "坑爹", "12315热线", "退 订"]
        .iter()
        .map(|w| w.to_string())
        .collect();
    let segmenter = Segmenter::new(&words);
    let jieba = jieba_with(&words);
    for text in [
        "这家公司真不靠谱，我要打12315热线投诉",
        "太坑爹了吧坑爹的套餐",
        "我要退 订这个业务",
        "投诉投诉投诉",
    ] {
        assert_same(&segmenter, &jieba, text);
    }
}

/// Characters the random clauses are made of: the characters of common words of complaint
/// calls (so dictionary words and added words turn up), letters, digits, jieba's joining
/// punctuation, Chinese punctuation, spaces and line ends, and a few rarer characters.
const POOL: &str = "我你他们的了是不要去投诉客服经理电话号码退款订单宽带网络信号手机套餐业务费用扣钱\
                    满意靠谱负责任处理消协工信部媒体曝光报警律师起诉法院赔偿违约金多少怎么为什么\
                    能会可以没有好行对清楚明白意思良心道理素质完了反应人管理中国移动联通电信京东快递\
                    aAbBcCxyzJDWR0123456789+#&._%-，。！？、；：“”（）《》…—～ \t\r\n\
                    ＡＢ１２𠀀𠀁😡é";

fn pool() -> Vec<char> {
    POOL.chars().collect()
}

fn text_from(pool: &[char], picks: &[usize]) -> String {
    picks.iter().map(|&i| pool[i % pool.len()]).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_clauses_cut_as_jieba_cuts_them(
        clauses in prop::collection::vec(prop::collection::vec(0usize..10_000, 0..40), 1..8),
        added in prop::collection::vec(prop::collection::vec(0usize..10_000, 1..5), 0..6),
    ) {
        let pool = pool();
        // The shipped words first, as a scan adds them, then the random ones.
        let mut words = shipped_words();
        words.extend(added.iter().map(|picks| text_from(&pool, picks)));
        let segmenter = Segmenter::new(&words);
        let jieba = jieba_with(&words);
        for picks in &clauses {
            let text = text_from(&pool, picks);
            prop_assert_eq!(segmenter.boundaries(&text), jieba_boundaries(&jieba, &text), "{:?}", text);
        }
    }
}

/// How much of the corpus to compare: everything in a release build (about 20 MB, a few
/// seconds), a slice in a debug build, where both segmenters run many times slower.
const CORPUS_BYTES: usize = if cfg!(debug_assertions) { 2 << 20 } else { 64 << 20 };

#[test]
fn real_customer_service_lines_cut_as_jieba_cuts_them() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        println!(
            "note: {} is not here; the corpus comparison is skipped",
            corpus.display()
        );
        return;
    }
    let words = shipped_words();
    let segmenter = Segmenter::new(&words);
    let jieba = jieba_with(&words);
    let files = [
        "jddc2019_sample/chat_0.1per.txt",
        "mobilecs_example/example.json",
        "stc3_weibo_helpdesk/train_data_cn.json",
    ];
    let mut lines = 0;
    for file in files {
        let path = corpus.join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("note: {} is not readable; skipped", path.display());
            continue;
        };
        // Each file gets its share of the budget, from its start.
        let mut budget = CORPUS_BYTES / files.len();
        for (number, line) in text.split_inclusive('\n').enumerate() {
            if budget < line.len() {
                break;
            }
            budget -= line.len();
            lines += 1;
            let ours = segmenter.boundaries(line);
            let theirs = jieba_boundaries(&jieba, line);
            // Only positions in the failure message: the corpus text is not to be copied.
            assert!(
                ours == theirs,
                "{file}: line {} cut differently from jieba-rs (first difference at byte {:?})",
                number + 1,
                ours.iter().zip(&theirs).position(|(a, b)| a != b)
            );
        }
    }
    println!("{lines} corpus lines cut as jieba-rs cuts them");
}
