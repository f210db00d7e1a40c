//! `report.html`: the night at a glance, for a supervisor, in one self-contained file (inline
//! CSS, hand-made inline SVG charts, no script, no network, no link to anywhere): inputs,
//! conversations, errors and conversations per risk level; counted findings per category and
//! taboos per agent; conversations per hour where times are known; the conversations to
//! escalate first with their evidence (masked) and escalation action; a table of every agent
//! (most taboos, then lowest mean QA score first) with their taboos, mean and worst QA score and
//! calls a fatal item zeroed; the errors. Labels in Chinese (`--lang zh`, the default) or
//! English; category ids stay visible.
//!
//! Every text from an input is HTML-escaped; it arrives masked ([`super::record`]). Memory is
//! bounded: totals, the [`TOP`] worst conversations, the first [`ERRORS_SHOWN`] errors and one
//! row per agent. The same input gives the same bytes (no date, no timing).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::agents::AgentTally;
use super::record::{ConversationRecord, ProblemRecord};
use super::{Report, ReportOptions, RunFacts};
use crate::category::{Category, Side};

pub const FILE: &str = "report.html";

/// Conversations listed to escalate first.
pub const TOP: usize = 20;
/// Errors listed (all are in errors.csv).
pub const ERRORS_SHOWN: usize = 100;
/// Agents in the chart and the table, those with the most counted taboos first.
const AGENTS_SHOWN: usize = 30;

/// The page's language (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// 中文
    #[default]
    Zh,
    /// English
    En,
}

/// A conversation among the worst so far.
struct Top {
    key: (u8, u32),
    id: String,
    agent: String,
    file: String,
    time: String,
    risk: &'static str,
    score: u32,
    categories: Vec<Category>,
    escalation: String,
    evidence: Option<(usize, String)>,
}

pub struct Html {
    dir: PathBuf,
    lang: Lang,
    by_risk: [usize; 5],
    per_category: [usize; Category::ALL.len()],
    per_hour: [usize; 24],
    timed: usize,
    agents: AgentTally,
    top: Vec<Top>,
    errors: Vec<(String, Option<usize>, String)>,
    error_count: usize,
}

impl Html {
    pub fn create(dir: &Path, options: &ReportOptions) -> Html {
        Html {
            dir: dir.to_path_buf(),
            lang: options.lang,
            by_risk: [0; 5],
            per_category: [0; Category::ALL.len()],
            per_hour: [0; 24],
            timed: 0,
            agents: AgentTally::default(),
            top: Vec::new(),
            errors: Vec::new(),
            error_count: 0,
        }
    }
}

impl Report for Html {
    fn conversation(&mut self, c: &ConversationRecord) -> io::Result<()> {
        let level = c.risk.map_or(0, |s| s as usize + 1);
        self.by_risk[level] += 1;
        for f in c.findings.iter().filter(|f| f.counted) {
            self.per_category[f.category.index()] += 1;
        }
        if let Some(hour) = hour_of(&c.time) {
            self.per_hour[hour] += 1;
            self.timed += 1;
        }
        self.agents.add(c);
        let key = (level as u8, c.score);
        let worse_than_last = self.top.len() < TOP || self.top.last().is_some_and(|t| key > t.key);
        if level > 0 && worse_than_last {
            let evidence = c.findings.iter().filter(|f| f.counted).rev().max_by_key(|f| f.severity);
            let entry = Top {
                key,
                id: c.id.to_string(),
                agent: c.agent.to_string(),
                file: c.file.to_string(),
                time: c.time.to_string(),
                risk: c.risk_id(),
                score: c.score,
                categories: c.categories.to_vec(),
                escalation: c.escalation.clone(),
                evidence: evidence.map(|f| (f.line, f.context.clone())),
            };
            // Worst first; equal keys in input order.
            let at = self.top.partition_point(|t| t.key >= key);
            self.top.insert(at, entry);
            self.top.truncate(TOP);
        }
        Ok(())
    }

    fn problem(&mut self, p: &ProblemRecord) -> io::Result<()> {
        self.error_count += 1;
        if self.errors.len() < ERRORS_SHOWN {
            self.errors.push((p.file.to_string(), p.line, p.reason.to_string()));
        }
        Ok(())
    }

    fn finish(self: Box<Self>, run: &RunFacts) -> io::Result<()> {
        let page = self.render(run);
        let path = self.dir.join(FILE);
        let mut file = io::BufWriter::new(std::fs::File::create(&path)?);
        file.write_all(page.as_bytes())?;
        file.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}

/// The hour of a call time such as `2026-11-22 23:41:07`, `2026/11/22 9:05` or `23:41`.
fn hour_of(time: &str) -> Option<usize> {
    let bytes = time.as_bytes();
    let colon = time.find(':')?;
    let digits_before = bytes[..colon].iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=2).contains(&digits_before) || !bytes.get(colon + 1..colon + 3)?.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let hour: usize = time[colon - digits_before..colon].parse().ok()?;
    (hour < 24).then_some(hour)
}

/// Text for an HTML element or attribute.
fn esc(text: &str) -> String {
    // Controls and bidi overrides shown as the terminal and the CSVs show them (`\x1b`,
    // `\u{202e}`): one notation in every report, and no line that reads in another order
    // than it is written.
    let text = crate::terminal::printable_keeping_lines(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An agent's name as the page shows it: the blank name of conversations whose agent is not
/// known as the words for that.
fn agent_label<'a>(name: &'a str, w: &Words) -> &'a str {
    match name {
        "" => w.no_agent,
        name => name,
    }
}

/// Words of the page in its language.
struct Words {
    title: &'static str,
    subtitle: &'static str,
    inputs: &'static str,
    scanned_failed: &'static str,
    conversations: &'static str,
    errors: &'static str,
    levels: [&'static str; 5],
    per_category: &'static str,
    per_agent: &'static str,
    per_hour: &'static str,
    no_times: &'static str,
    none_yet: &'static str,
    /// The agent of conversations whose agent is not known.
    no_agent: &'static str,
    escalate: &'static str,
    agents_table: &'static str,
    errors_table: &'static str,
    more_errors: &'static str,
    more_agents: &'static str,
    rank: &'static str,
    risk: &'static str,
    score: &'static str,
    conversation: &'static str,
    agent: &'static str,
    time: &'static str,
    action: &'static str,
    evidence: &'static str,
    file: &'static str,
    line: &'static str,
    reason: &'static str,
    taboo_conversations: &'static str,
    worst: &'static str,
    mean_score: &'static str,
    worst_score: &'static str,
    fatal_calls: &'static str,
    footer: &'static str,
}

const ZH: Words = Words {
    title: "callrisk 风险报告",
    subtitle: "客户威胁与坐席禁忌：今晚先看这些",
    inputs: "输入文件",
    scanned_failed: "已扫描 / 失败",
    conversations: "会话",
    errors: "错误",
    levels: ["无风险", "低", "中", "高", "严重"],
    per_category: "各类别计入的发现",
    per_agent: "各坐席计入的禁忌",
    per_hour: "各小时的会话（已知时间的会话）",
    no_times: "输入中没有通话时间：无法按小时统计。",
    none_yet: "无",
    no_agent: "（未标坐席）",
    escalate: "优先升级的会话",
    agents_table: "坐席禁忌与质检分",
    errors_table: "未能扫描的输入",
    more_errors: "更多错误见 errors.csv，共",
    more_agents: "其余坐席见 agents.csv，共",
    rank: "序",
    risk: "风险",
    score: "分数",
    conversation: "会话",
    agent: "坐席",
    time: "时间",
    action: "升级动作",
    evidence: "证据（行）",
    file: "文件",
    line: "行",
    reason: "原因",
    taboo_conversations: "有禁忌的会话",
    worst: "最严重一例",
    mean_score: "质检平均分",
    worst_score: "质检最低分",
    fatal_calls: "致命项通话",
    footer: "个人号码已脱敏。完整数据：hits.csv、conversations.csv、agents.csv、errors.csv、report.xlsx。",
};

const EN: Words = Words {
    title: "callrisk report",
    subtitle: "Customer threats and agent taboos: what to look at first",
    inputs: "Inputs",
    scanned_failed: "scanned / failed",
    conversations: "Conversations",
    errors: "Errors",
    levels: ["none", "low", "medium", "high", "critical"],
    per_category: "Counted findings per category",
    per_agent: "Counted taboos per agent",
    per_hour: "Conversations per hour (where the time is known)",
    no_times: "The inputs give no call times: no count per hour.",
    none_yet: "none",
    no_agent: "(no agent)",
    escalate: "Conversations to escalate first",
    agents_table: "Taboos and QA scores per agent",
    errors_table: "Inputs that could not be scanned",
    more_errors: "more errors are in errors.csv; in all",
    more_agents: "the other agents are in agents.csv; agents in all",
    rank: "#",
    risk: "risk",
    score: "score",
    conversation: "conversation",
    agent: "agent",
    time: "time",
    action: "escalation",
    evidence: "evidence (line)",
    file: "file",
    line: "line",
    reason: "reason",
    taboo_conversations: "with a taboo",
    worst: "worst example",
    mean_score: "mean QA score",
    worst_score: "worst QA score",
    fatal_calls: "calls with a fatal item",
    footer: "Personal numbers are masked. Full data: hits.csv, conversations.csv, agents.csv, errors.csv, report.xlsx.",
};

/// A category's name for people, beside its id.
fn category_name(category: Category, lang: Lang) -> &'static str {
    let zh = lang == Lang::Zh;
    match category {
        Category::ThreatRegulator => {
            if zh {
                "投诉监管"
            } else {
                "regulator"
            }
        }
        Category::ThreatMedia => {
            if zh {
                "找媒体"
            } else {
                "media"
            }
        }
        Category::ThreatOnline => {
            if zh {
                "网上曝光"
            } else {
                "online exposure"
            }
        }
        Category::ThreatProtest => {
            if zh {
                "聚集维权"
            } else {
                "protest"
            }
        }
        Category::ThreatLegal => {
            if zh {
                "法律诉讼"
            } else {
                "legal action"
            }
        }
        Category::ThreatManagement => {
            if zh {
                "找领导"
            } else {
                "management"
            }
        }
        Category::ThreatSafety => {
            if zh {
                "安全事件"
            } else {
                "safety"
            }
        }
        Category::ThreatRepeat => {
            if zh {
                "重复投诉"
            } else {
                "repeat complaint"
            }
        }
        Category::ThreatExtreme => {
            if zh {
                "极端言行"
            } else {
                "extreme"
            }
        }
        Category::TabooOverpromise => {
            if zh {
                "过度承诺"
            } else {
                "overpromise"
            }
        }
        Category::TabooAdmitDefect => {
            if zh {
                "承认质量问题"
            } else {
                "admits a defect"
            }
        }
        Category::TabooPrivacy => {
            if zh {
                "泄露个人信息"
            } else {
                "privacy"
            }
        }
        Category::TabooImpatience => {
            if zh {
                "服务态度"
            } else {
                "impatience"
            }
        }
        Category::TabooWithdraw => {
            if zh {
                "要求撤诉"
            } else {
                "asks to withdraw"
            }
        }
        Category::TabooIncite => {
            if zh {
                "引导投诉"
            } else {
                "incites"
            }
        }
        Category::TabooDeflect => {
            if zh {
                "推诿责任"
            } else {
                "deflects"
            }
        }
    }
}

const LEVEL_COLOURS: [&str; 5] = ["#9aa5b1", "#5b9bd5", "#e0b000", "#ed7d31", "#c00000"];
const LEVEL_IDS: [&str; 5] = ["none", "low", "medium", "high", "critical"];

const STYLE: &str = "
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif;margin:0;background:#f4f6f9;color:#1f2933}
main{max-width:1200px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-left:4px solid #2f5597;padding-left:8px}
.sub{color:#52606d;margin:0 0 18px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{flex:1 1 0;background:#fff;border-radius:8px;padding:12px 14px;min-width:90px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card b{display:block;font-size:28px;line-height:1.2}.card span{color:#52606d;font-size:13px}
.level{border-top:5px solid}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.panel{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 3px rgba(0,0,0,.12);overflow:hidden}
.panel h2{margin-top:4px}
svg text{font-size:12px;fill:#1f2933}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border-bottom:1px solid #e4e7eb;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#d9e1f2;white-space:nowrap}
td.num,th.num{text-align:right}
.risk{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px;white-space:nowrap}
.ids{color:#52606d;font-size:12px}td.ids,td .ids{overflow-wrap:anywhere}
#agents th{white-space:normal}#agents td:first-child{white-space:nowrap}
.card b{white-space:nowrap}
.note{color:#52606d;font-size:13px}
footer{margin-top:28px;color:#52606d;font-size:12px}
";

impl Html {
    fn render(&self, run: &RunFacts) -> String {
        let w = if self.lang == Lang::Zh { &ZH } else { &EN };
        let mut p = String::with_capacity(64 * 1024);
        let lang = if self.lang == Lang::Zh { "zh-CN" } else { "en" };
        let _ = write!(
            p,
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
            esc(w.title),
            esc(w.title),
            esc(w.subtitle)
        );

        // The night at a glance.
        p.push_str("<section class=\"cards\" id=\"glance\">\n");
        let card = |p: &mut String, id: &str, value: String, label: &str, style: &str| {
            let _ = writeln!(
                p,
                "<div class=\"card{}\" id=\"{id}\"{style}><b>{value}</b><span>{}</span></div>",
                if style.is_empty() { "" } else { " level" },
                esc(label)
            );
        };
        card(&mut p, "figure-inputs", run.inputs.to_string(), w.inputs, "");
        card(
            &mut p,
            "figure-scanned",
            format!("{} / {}", run.scanned, run.failed),
            w.scanned_failed,
            "",
        );
        card(
            &mut p,
            "figure-conversations",
            run.conversations.to_string(),
            w.conversations,
            "",
        );
        card(&mut p, "figure-errors", self.error_count.to_string(), w.errors, "");
        for level in (0..5).rev() {
            card(
                &mut p,
                &format!("risk-{}", LEVEL_IDS[level]),
                self.by_risk[level].to_string(),
                &match w.levels[level] {
                    // English names are the ids: once is enough.
                    word if word == LEVEL_IDS[level] => word.to_string(),
                    word => format!("{word} · {}", LEVEL_IDS[level]),
                },
                &format!(" style=\"border-top-color:{}\"", LEVEL_COLOURS[level]),
            );
        }
        p.push_str("</section>\n");

        // Charts.
        p.push_str("<div class=\"grid\">\n");
        let categories: Vec<(String, usize, &str)> = Category::ALL
            .iter()
            .map(|c| {
                let colour = if c.side() == Side::Threat { "#c0504d" } else { "#2f5597" };
                (
                    format!("{} {}", c.id(), category_name(*c, self.lang)),
                    self.per_category[c.index()],
                    colour,
                )
            })
            .collect();
        let _ = writeln!(
            p,
            "<section class=\"panel\" id=\"chart-categories\"><h2>{}</h2>{}</section>",
            esc(w.per_category),
            bar_chart(&categories)
        );
        // Every agent, most counted taboos first, then the lowest mean QA score (a supervisor
        // looks for a falling score even where no taboo was said), then first appearance.
        let mut agents: Vec<_> = self
            .agents
            .rows
            .iter()
            .map(|r| (r, Category::taboos().map(|c| r.per_category[c.index()]).sum::<usize>()))
            .collect();
        agents.sort_by_key(|(r, n)| {
            (
                std::cmp::Reverse(*n),
                // An agent none of whose calls could be scored comes after those scored.
                match r.scored {
                    0 => u64::MAX,
                    n => r.score_sum * 1000 / n as u64,
                },
            )
        });
        let agent_bars: Vec<(String, usize, &str)> = agents
            .iter()
            .filter(|(_, n)| *n > 0)
            .take(15)
            .map(|(r, n)| (agent_label(&r.name, w).to_string(), *n, "#2f5597"))
            .collect();
        let agent_chart = if agent_bars.is_empty() {
            format!("<p class=\"note\">{}</p>", esc(w.none_yet))
        } else {
            bar_chart(&agent_bars)
        };
        let _ = write!(
            p,
            "<section class=\"panel\" id=\"chart-agents\"><h2>{}</h2>{agent_chart}</section>\n</div>\n",
            esc(w.per_agent)
        );
        let hours = if self.timed == 0 {
            format!("<p class=\"note\">{}</p>", esc(w.no_times))
        } else {
            hour_chart(&self.per_hour)
        };
        let _ = writeln!(
            p,
            "<section class=\"panel\" id=\"chart-hours\" style=\"margin-top:16px\"><h2>{}</h2>{hours}</section>",
            esc(w.per_hour)
        );

        // The conversations to escalate first.
        let _ = write!(
            p,
            "<h2>{}</h2>\n<table id=\"escalate\">\n<tr><th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
            esc(w.escalate),
            esc(w.rank),
            esc(w.risk),
            esc(w.score),
            esc(w.conversation),
            esc(w.agent),
            esc(w.time),
            esc(w.action),
            esc(w.evidence)
        );
        if self.top.is_empty() {
            let _ = writeln!(p, "<tr><td colspan=\"8\">{}</td></tr>", esc(w.none_yet));
        }
        for (place, t) in self.top.iter().enumerate() {
            let ids: Vec<&str> = t.categories.iter().map(|c| c.id()).collect();
            let evidence = t
                .evidence
                .as_ref()
                .map(|(line, text)| format!("{}<br><span class=\"ids\">{}:{line}</span>", esc(text), esc(&t.file)))
                .unwrap_or_default();
            let _ = writeln!(
                p,
                "<tr><td class=\"num\">{}</td><td><span class=\"risk\" style=\"background:{}\">{}</span></td><td class=\"num\">{}</td><td>{}<br><span class=\"ids\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{evidence}</td></tr>",
                place + 1,
                LEVEL_COLOURS[t.key.0 as usize],
                esc(t.risk),
                t.score,
                esc(&t.id),
                esc(&ids.join(" ")),
                esc(&t.agent),
                esc(&t.time),
                esc(&t.escalation),
            );
        }
        p.push_str("</table>\n");

        // Taboos per agent.
        let _ = write!(
            p,
            "<h2>{}</h2>\n<table id=\"agents\">\n<tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>",
            esc(w.agents_table),
            esc(w.agent),
            esc(w.conversations),
            esc(w.taboo_conversations)
        );
        for c in Category::taboos() {
            let _ = write!(
                p,
                "<th class=\"num\">{}<br><span class=\"ids\">{}</span></th>",
                esc(category_name(c, self.lang)),
                // A line may break after `taboo.`, not inside a word.
                c.id().replacen('.', ".<wbr>", 1)
            );
        }
        let _ = writeln!(
            p,
            "<th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
            esc(w.worst),
            esc(w.mean_score),
            esc(w.worst_score),
            esc(w.fatal_calls)
        );
        if agents.is_empty() {
            let _ = writeln!(p, "<tr><td colspan=\"14\">{}</td></tr>", esc(w.none_yet));
        }
        for (row, _) in agents.iter().take(AGENTS_SHOWN) {
            let _ = write!(
                p,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                esc(agent_label(&row.name, w)),
                row.conversations,
                row.with_taboo
            );
            for c in Category::taboos() {
                let n = row.per_category[c.index()];
                let shown = if n == 0 { String::new() } else { n.to_string() };
                let _ = write!(p, "<td class=\"num\">{shown}</td>");
            }
            let worst = row.worst.as_ref().map(|(_, at)| esc(at)).unwrap_or_default();
            let _ = writeln!(
                p,
                "<td class=\"ids\">{worst}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                row.mean_score(),
                row.worst_score.map(|s| s.to_string()).unwrap_or_default(),
                row.fatal
            );
        }
        p.push_str("</table>\n");
        if agents.len() > AGENTS_SHOWN {
            let _ = writeln!(p, "<p class=\"note\">{} {}</p>", esc(w.more_agents), agents.len());
        }

        // Errors.
        let _ = write!(
            p,
            "<h2>{}</h2>\n<table id=\"errors\">\n<tr><th>{}</th><th class=\"num\">{}</th><th>{}</th></tr>\n",
            esc(w.errors_table),
            esc(w.file),
            esc(w.line),
            esc(w.reason)
        );
        if self.errors.is_empty() {
            let _ = writeln!(p, "<tr><td colspan=\"3\">{}</td></tr>", esc(w.none_yet));
        }
        for (file, line, reason) in &self.errors {
            let line = line.map(|l| l.to_string()).unwrap_or_default();
            let _ = writeln!(
                p,
                "<tr><td>{}</td><td class=\"num\">{line}</td><td>{}</td></tr>",
                esc(file),
                esc(reason)
            );
        }
        p.push_str("</table>\n");
        if self.error_count > self.errors.len() {
            let _ = writeln!(p, "<p class=\"note\">{} {}</p>", esc(w.more_errors), self.error_count);
        }
        let _ = write!(p, "<footer>{}</footer>\n</main>\n</body>\n</html>\n", esc(w.footer));
        p
    }
}

/// Horizontal bars, one per (label, value, colour), scaled to the largest value.
fn bar_chart(bars: &[(String, usize, &str)]) -> String {
    let (label_width, bar_width, row) = (260.0, 280.0, 22.0);
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let height = row * bars.len() as f64 + 4.0;
    let mut svg = format!(
        "<svg role=\"img\" viewBox=\"0 0 {} {height}\" width=\"100%\">",
        label_width + bar_width + 50.0
    );
    for (i, (label, value, colour)) in bars.iter().enumerate() {
        let y = i as f64 * row;
        let width = (*value as f64 / max * bar_width).max(if *value > 0 { 2.0 } else { 0.0 });
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_width}\" y=\"{}\" width=\"{width:.1}\" height=\"{}\" fill=\"{colour}\" rx=\"2\"></rect>\
             <text x=\"{:.1}\" y=\"{}\" class=\"value\">{value}</text>",
            label_width - 8.0,
            y + 15.0,
            esc(&shorten(label, 36)),
            y + 4.0,
            row - 8.0,
            label_width + width + 6.0,
            y + 15.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Vertical bars for the 24 hours of the day.
fn hour_chart(hours: &[usize; 24]) -> String {
    let (left, column, plot) = (10.0, 44.0, 140.0);
    let max = hours.iter().copied().max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg role=\"img\" viewBox=\"0 0 {} {}\" width=\"100%\">",
        left * 2.0 + column * 24.0,
        plot + 40.0
    );
    for (hour, &n) in hours.iter().enumerate() {
        let x = left + hour as f64 * column;
        let height = n as f64 / max * plot;
        let top = 16.0 + plot - height;
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{height:.1}\" fill=\"#2f5597\" rx=\"2\"></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{hour:02}</text>",
            x + 4.0,
            column - 8.0,
            x + column / 2.0,
            top - 3.0,
            if n > 0 { n.to_string() } else { String::new() },
            x + column / 2.0,
            plot + 34.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// At most `chars` characters, with `…` if cut.
fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(chars - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_times_give_their_hour() {
        assert_eq!(hour_of("2026-11-22 23:41:07"), Some(23));
        assert_eq!(hour_of("2026/11/22 9:05"), Some(9));
        assert_eq!(hour_of("2026-11-22T08:00:00+08:00"), Some(8));
        assert_eq!(hour_of("07:30"), Some(7));
        assert_eq!(hour_of(""), None);
        assert_eq!(hour_of("2026-11-22"), None);
        assert_eq!(hour_of("99:00"), None);
        assert_eq!(hour_of("@NOW()"), None);
        assert_eq!(hour_of(":12"), None);
    }

    #[test]
    fn customer_text_is_escaped_never_markup() {
        assert_eq!(
            esc("<script>alert('x')</script>&\"投诉\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;投诉&quot;"
        );
        assert_eq!(esc("打12315\x1b[2J"), "打12315\\x1b[2J");
        assert_eq!(
            esc("退款\u{202e}诉投"),
            "退款\\u{202e}诉投",
            "a bidi override is shown, not obeyed"
        );
    }
}
