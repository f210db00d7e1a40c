//! `--meta FILE.csv`: agent, customer and call time joined from the call-centre system's
//! export, by conversation id or file name, where the input does not say them itself.
//!
//! ```text
//! 录音文件,坐席工号,客户号码,通话时间
//! call_0001.txt,8823,13912345678,2026-11-22 09:14:05
//! ```

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::decode::{Lines, SNIFF_BYTES, sniff, utf8_reader};
use crate::transcript::Conversation;

const KEY_COLUMNS: &[&str] = &[
    "file",
    "filename",
    "file_name",
    "path",
    "conversation",
    "conversation_id",
    "call_id",
    "session_id",
    "id",
    "文件名",
    "录音文件",
    "会话id",
    "通话id",
    "会话编号",
    "录音编号",
];
const AGENT_COLUMNS: &[&str] = &["agent", "agent_id", "坐席", "坐席工号", "客服工号", "工号", "客服"];
const CUSTOMER_COLUMNS: &[&str] = &[
    "customer",
    "customer_id",
    "caller",
    "客户",
    "客户号码",
    "主叫号码",
    "客户id",
    "用户id",
    "phone",
    "客户电话",
    "phone_number",
    "mobile",
    "手机号",
    "手机号码",
    "来电号码",
    "联系电话",
];
const TIME_COLUMNS: &[&str] = &[
    "time",
    "call_time",
    "start_time",
    "datetime",
    "通话时间",
    "开始时间",
    "时间",
    "日期",
    "来电时间",
    "呼入时间",
    "通话开始时间",
];

const TOPIC_COLUMNS: &[&str] = &["topic", "业务类型", "问题类型", "问题分类"];

#[derive(Debug, Clone, Default)]
struct MetaRow {
    agent: String,
    customer: String,
    time: String,
    topic: String,
}

/// The joined table, keyed by every key column's value, and by the file name and stem of
/// a value that is a path (`/rec/2026/call_0001.wav` joins `calls/call_0001.txt`).
#[derive(Debug, Default)]
pub struct MetaTable {
    rows: Vec<MetaRow>,
    keys: HashMap<String, usize>,
    /// Per row: whether it joined a conversation (for the summary).
    joined: Vec<AtomicBool>,
    /// Conversations that found no row.
    unjoined: AtomicUsize,
}

impl Clone for MetaTable {
    fn clone(&self) -> Self {
        MetaTable {
            rows: self.rows.clone(),
            keys: self.keys.clone(),
            joined: self.rows.iter().map(|_| AtomicBool::new(false)).collect(),
            unjoined: AtomicUsize::new(0),
        }
    }
}

/// How the join went: rows that joined a conversation, rows in all, conversations without a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetaJoin {
    pub joined_rows: usize,
    pub rows: usize,
    pub unjoined_conversations: usize,
}

impl MetaTable {
    pub fn load(path: &Path) -> Result<MetaTable, String> {
        let name = path.display();
        let file = std::fs::File::open(path).map_err(|e| format!("--meta {name}: cannot open: {e}"))?;
        let mut raw: Box<dyn BufRead + Send> = Box::new(std::io::BufReader::with_capacity(SNIFF_BYTES, file));
        let sample = raw.fill_buf().map_err(|e| format!("--meta {name}: {e}"))?.to_vec();
        let (encoding, bom) = sniff(&sample, sample.len() < SNIFF_BYTES).map_err(|e| format!("--meta {name}: {e}"))?;
        raw.consume(bom);
        let reader = Lines::new(utf8_reader(raw, encoding)).into_reader();
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let headers: Vec<String> = csv
            .headers()
            .map_err(|e| format!("--meta {name}: cannot read the header row: {e}"))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let columns = |names: &[&str]| -> Vec<usize> {
            headers
                .iter()
                .enumerate()
                .filter(|(_, h)| names.contains(&h.as_str()))
                .map(|(i, _)| i)
                .collect()
        };
        let keys = columns(KEY_COLUMNS);
        if keys.is_empty() {
            return Err(format!(
                "--meta {name}: no column names the call (file, conversation_id, call_id, 录音文件, 会话ID …); headers are {}",
                headers.join(", ")
            ));
        }
        let (agent, customer, time, topic) = (
            columns(AGENT_COLUMNS),
            columns(CUSTOMER_COLUMNS),
            columns(TIME_COLUMNS),
            columns(TOPIC_COLUMNS),
        );
        let mut table = MetaTable::default();
        for (index, record) in csv.records().enumerate() {
            let record = record.map_err(|e| format!("--meta {name} line {}: {e}", index + 2))?;
            let get = |cols: &[usize]| {
                cols.first()
                    .and_then(|&i| record.get(i))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let row = MetaRow {
                agent: get(&agent),
                customer: get(&customer),
                time: get(&time),
                topic: get(&topic),
            };
            let index = table.rows.len();
            table.rows.push(row);
            table.joined.push(AtomicBool::new(false));
            for &k in &keys {
                if let Some(key) = record.get(k).map(str::trim).filter(|k| !k.is_empty()) {
                    for key in key_forms(key) {
                        table.keys.entry(key).or_insert(index);
                    }
                }
            }
        }
        Ok(table)
    }

    /// Fill what the conversation does not say from the row for its id or its file.
    pub fn apply(&self, conversation: &mut Conversation, file: &str) {
        let path = Path::new(file);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(file);
        let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or(file);
        let Some(index) = [conversation.id.as_str(), file, name, stem]
            .into_iter()
            .find_map(|k| self.keys.get(k).or_else(|| self.keys.get(&k.to_lowercase())).copied())
        else {
            self.unjoined.fetch_add(1, Ordering::Relaxed);
            return;
        };
        self.joined[index].store(true, Ordering::Relaxed);
        let row = &self.rows[index];
        for (value, from) in [
            (&mut conversation.agent, &row.agent),
            (&mut conversation.customer, &row.customer),
            (&mut conversation.time, &row.time),
            (&mut conversation.topic, &row.topic),
        ] {
            if value.is_empty() {
                value.clone_from(from);
            }
        }
    }
}

/// A key as written, and, when it is a path (POSIX or Windows, `D:\\rec\\call.mp3`), its file
/// name and stem, the last two also lower-cased (`CALL003.WAV` joins `call003.txt`).
fn key_forms(key: &str) -> Vec<String> {
    let name = key.rsplit(['/', '\\']).next().unwrap_or(key);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let mut forms = vec![key.to_string(), name.to_string(), stem.to_string()];
    forms.push(name.to_lowercase());
    forms.push(stem.to_lowercase());
    forms.dedup();
    forms
}

impl MetaTable {
    /// Forget how the join went, for a second reading of the same inputs (`--ledger` reads
    /// them twice): the summary counts one reading.
    pub fn reset_counts(&self) {
        for joined in &self.joined {
            joined.store(false, Ordering::Relaxed);
        }
        self.unjoined.store(0, Ordering::Relaxed);
    }

    /// How many rows joined, of how many, and conversations that found none.
    pub fn join(&self) -> MetaJoin {
        MetaJoin {
            joined_rows: self.joined.iter().filter(|j| j.load(Ordering::Relaxed)).count(),
            rows: self.rows.len(),
            unjoined_conversations: self.unjoined.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_by_file_or_conversation_from_a_gbk_export() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("meta.csv");
        let text = "录音文件,坐席工号,客户号码,通话时间\ncall_0001.txt,8823,13912345678,2026-11-22 09:14\nC-2,1024,,\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        std::fs::write(&path, &gbk).unwrap();
        let table = MetaTable::load(&path).unwrap();
        let mut by_file = Conversation {
            id: "x".into(),
            ..Conversation::default()
        };
        table.apply(&mut by_file, "calls/call_0001.txt");
        assert_eq!(
            (by_file.agent.as_str(), by_file.customer.as_str()),
            ("8823", "13912345678")
        );
        let mut by_id = Conversation {
            id: "C-2".into(),
            agent: "own".into(),
            ..Conversation::default()
        };
        table.apply(&mut by_id, "other.jsonl");
        assert_eq!(by_id.agent, "own", "the input's own value wins");
        // A path with another extension joins on its stem.
        std::fs::write(&path, "file,agent\n/rec/2026/call_0001.wav,8823\n/rec/x.wav,1\n").unwrap();
        let table = MetaTable::load(&path).unwrap();
        let mut by_stem = Conversation::default();
        table.apply(&mut by_stem, "calls/call_0001.txt");
        assert_eq!(by_stem.agent, "8823");
        table.apply(&mut Conversation::default(), "calls/other.txt");
        assert_eq!(
            table.join(),
            MetaJoin {
                joined_rows: 1,
                rows: 2,
                unjoined_conversations: 1
            }
        );
        std::fs::write(&path, "file,agent\nD:\\rec\\CALL002.MP3,A200\n").unwrap();
        let table = MetaTable::load(&path).unwrap();
        let mut windows = Conversation::default();
        table.apply(&mut windows, "calls/call002.txt");
        assert_eq!(windows.agent, "A200");
        std::fs::write(&path, "a,b\n1,2\n").unwrap();
        assert!(MetaTable::load(&path).unwrap_err().contains("no column names the call"));
    }
}
