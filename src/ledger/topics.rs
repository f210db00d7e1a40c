//! Topics and complaint words (`dictionaries/topics.toml`): what problem a call is about,
//! when no metadata says, and whether the customer complained in words.
//!
//! Promise: the same customer lines give the same topic: the topic with the most mentions
//! of its terms on customer lines (and lines of unknown speakers), on a tie the one listed
//! first, none → [`OTHER`]. Terms are normalised as dictionary terms are, and so are lines.

use std::path::Path;

use serde::Deserialize;

use crate::category::Speaker;
use crate::normalize::{normalize, normalize_term};
use crate::transcript::Conversation;

/// The file name, in the built-in dictionaries and in a `--lexicon` folder.
pub const FILE: &str = "topics.toml";

/// The topic of a call that mentions none.
pub const OTHER: &str = "其他";

const BUILTIN: &str = include_str!("../../dictionaries/topics.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    complaint: ComplaintWords,
    #[serde(default)]
    topic: Vec<TopicEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComplaintWords {
    terms: Vec<String>,
    #[serde(default)]
    unresolved: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicEntry {
    name: String,
    terms: Vec<String>,
}

/// The loaded topics and complaint words, normalised.
#[derive(Debug, Clone)]
pub struct Topics {
    complaint: Vec<String>,
    unless: Vec<String>,
    topics: Vec<(String, Vec<String>)>,
}

impl Topics {
    /// The built-in `dictionaries/topics.toml`.
    pub fn builtin() -> Topics {
        Topics::parse("dictionaries/topics.toml", BUILTIN).expect("the built-in topics.toml is valid")
    }

    /// `topics.toml` of the last `--lexicon` folder that has one, else the built-in file.
    pub fn for_dirs(dirs: &[std::path::PathBuf]) -> Result<Topics, String> {
        match dirs.iter().rev().map(|d| d.join(FILE)).find(|p| p.is_file()) {
            Some(path) => Topics::load(&path),
            None => Ok(Topics::builtin()),
        }
    }

    pub fn load(path: &Path) -> Result<Topics, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{}: cannot read: {e} (a UTF-8 TOML file, see dictionaries/README.md)",
                path.display()
            )
        })?;
        Topics::parse(&path.display().to_string(), &text)
    }

    fn parse(name: &str, text: &str) -> Result<Topics, String> {
        let file: TopicsFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            format!(
                "{name}{}: {} (format: dictionaries/README.md, \"Topics\")",
                line.map(|l| format!(" line {l}")).unwrap_or_default(),
                e.message()
            )
        })?;
        let terms = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|t| normalize_term(t.trim()))
                .filter(|t| !t.is_empty())
                .collect()
        };
        let mut topics = Vec::new();
        for entry in &file.topic {
            let topic = entry.name.trim();
            if topic.is_empty() {
                return Err(format!("{name}: a [[topic]] has an empty name"));
            }
            topics.push((topic.to_string(), terms(&entry.terms)));
        }
        Ok(Topics {
            complaint: terms(&[file.complaint.terms, file.complaint.unresolved].concat()),
            unless: terms(&file.complaint.unless),
            topics,
        })
    }

    /// What the customer's lines say: the topic, and whether a complaint word stands in them.
    pub fn read(&self, conversation: &Conversation) -> LineFacts {
        let mut mentions = vec![0usize; self.topics.len()];
        let mut complained = false;
        for utterance in &conversation.utterances {
            if utterance.speaker == Speaker::Agent {
                continue;
            }
            let text = normalize(&utterance.text).text;
            for (count, (_, terms)) in mentions.iter_mut().zip(&self.topics) {
                *count += terms.iter().map(|t| text.matches(t.as_str()).count()).sum::<usize>();
            }
            complained = complained || self.complains(&text);
        }
        // max_by_key keeps the last of equals: walk backwards so the first listed wins a tie.
        let topic = mentions
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, n)| **n > 0)
            .max_by_key(|(_, n)| **n)
            .map_or(OTHER, |(i, _)| self.topics[i].0.as_str());
        LineFacts {
            topic: topic.to_string(),
            complained,
        }
    }

    /// The first line (not the agent's) holding a complaint word.
    pub fn first_complaint(&self, conversation: &Conversation) -> Option<usize> {
        conversation
            .utterances
            .iter()
            .position(|u| u.speaker != Speaker::Agent && self.complains(&normalize(&u.text).text))
    }

    /// A complaint word that is not inside one of the `unless` phrases.
    fn complains(&self, text: &str) -> bool {
        self.complaint.iter().any(|term| {
            text.match_indices(term.as_str()).any(|(at, _)| {
                let end = at + term.len();
                !self.unless.iter().any(|phrase| {
                    text.match_indices(phrase.as_str())
                        .any(|(from, p)| from <= at && end <= from + p.len())
                })
            })
        })
    }
}

/// What [`Topics::read`] found in a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    pub topic: String,
    pub complained: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Utterance;

    fn call(lines: &[(Speaker, &str)]) -> Conversation {
        Conversation {
            id: "t".into(),
            utterances: lines
                .iter()
                .enumerate()
                .map(|(i, (speaker, text))| Utterance {
                    line: i + 1,
                    time: String::new(),
                    start_ms: None,
                    end_ms: None,
                    speaker: *speaker,
                    text: text.to_string(),
                    continued: false,
                })
                .collect(),
            ..Conversation::default()
        }
    }

    #[test]
    fn the_topic_is_the_most_mentioned_on_customer_lines() {
        use Speaker::*;
        let topics = Topics::builtin();
        type Case<'a> = (&'a [(Speaker, &'a str)], &'a str, bool);
        let cases: &[Case] = &[
            (
                &[(Customer, "我的快递三天了还没发货，物流一直不动")],
                "物流/快递",
                false,
            ),
            (&[(Customer, "退款到现在还没到账，我要投诉")], "退款", true),
            // A tie: 退款 is listed before 物流/快递.
            (&[(Customer, "快递退回去了，退款呢")], "退款", false),
            // The agent's words do not choose the topic.
            (
                &[(Agent, "您的宽带信号我帮您查一下"), (Customer, "话费又被乱扣费了")],
                "扣费/话费",
                false,
            ),
            (&[(Customer, "你好，我想问一下营业时间")], OTHER, false),
            // Traditional characters are read as simplified.
            (&[(Customer, "寬帶又斷網了，我要舉報你們")], "信号/网络", true),
        ];
        for (lines, topic, complained) in cases {
            let facts = topics.read(&call(lines));
            assert_eq!(facts.topic, *topic, "{lines:?}");
            assert_eq!(facts.complained, *complained, "{lines:?}");
        }
    }

    #[test]
    fn a_complaint_word_inside_an_unless_phrase_is_no_complaint() {
        use Speaker::*;
        let topics = Topics::builtin();
        assert!(!topics.read(&call(&[(Customer, "我不是要投诉，就是问问")])).complained);
        assert!(!topics.read(&call(&[(Customer, "我想撤销投诉")])).complained);
        assert!(
            topics
                .read(&call(&[(Customer, "我不想投诉的，但是这次必须投诉")]))
                .complained
        );
        // The agent saying 投诉 is no complaint of the customer's.
        assert!(!topics.read(&call(&[(Agent, "您是要投诉吗")])).complained);
        assert!(topics.read(&call(&[(Customer, "你们这个服务我很不满意")])).complained);
        // Coming back politely about a problem still not solved is a complaint too.
        assert!(
            topics
                .read(&call(&[(Customer, "您好，麻烦帮我查一下，退款还没到账")]))
                .complained
        );
        assert!(!topics.read(&call(&[(Customer, "您好，我想开通一个流量包")])).complained);
    }

    #[test]
    fn a_bad_topics_file_names_the_file_and_line() {
        let err = Topics::parse(
            "my/topics.toml",
            "[complaint]\nterms = [\"投诉\"]\n[[topic]]\nnam = \"退款\"\n",
        )
        .unwrap_err();
        assert!(err.contains("my/topics.toml line"), "{err}");
    }
}
