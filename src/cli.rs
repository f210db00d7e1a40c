//! Command-line arguments, as parsed. Nothing here is resolved or loaded: `config` does that.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::category::Severity;

const EXIT_CODES: &str = "\
Exit status:
  0  every input was scanned (findings or not)
  1  --fail-on was given and a counted finding reached that severity
  2  bad usage, a bad lexicon, or an input that could not be scanned (the others are
     still scanned and reported; errors.csv lists each failure with its reason)";

const EVAL_EXIT_CODES: &str = "\
Exit status:
  0  evaluated, and overall precision and recall reach --min-precision and --min-recall
  1  overall precision or recall is below --min-precision or --min-recall
  2  bad usage, a labels file that cannot be read or names an unknown conversation or
     category, or an input that could not be scanned (the figures are still printed)";

#[derive(Debug, Parser)]
#[command(
    name = "callrisk",
    version,
    about = "Find customer threats and agent taboos in Chinese customer-service transcripts.",
    long_about = "Find customer threats that must be escalated and agent taboos that QA must flag in \
                  Chinese customer-service call transcripts and chat logs, and write CSV reports that \
                  open cleanly in Excel or WPS.",
    after_help = EXIT_CODES,
    after_long_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan transcripts and write the reports: hits.csv, conversations.csv, agents.csv, errors.csv,
    /// scorecard.csv, report.xlsx and report.html (`--reports` chooses).
    #[command(after_help = EXIT_CODES, after_long_help = EXIT_CODES)]
    Scan(ScanArgs),
    /// Show a conversation with every finding highlighted and explained.
    ///
    /// Each finding is shown with its category, severity, the dictionary rule that found it,
    /// and whether it counts, and if not why (negated, hypothetical, quoted, other-sense,
    /// reviewed-fp).
    Explain(ExplainArgs),
    /// Measure precision and recall against a labels file: per category, overall, and every
    /// miss and false alarm.
    ///
    /// The inputs are read and judged exactly as `scan` does (no report folder is written);
    /// a category counts as found in a conversation when at least one of its findings counts
    /// (hits.csv `negated=false`). Each (conversation, category) is then compared with the
    /// labels: found and required is a true positive, required and not found a miss (false
    /// negative), found and not labelled a false alarm (false positive); an `optional` label
    /// neither counts for nor against. Lines are shown but not compared. Overall figures are
    /// micro-averaged (summed over categories).
    #[command(after_help = EVAL_EXIT_CODES, after_long_help = EVAL_EXIT_CODES)]
    Eval(EvalArgs),
    /// Merge the report folders of the shards of a split run (`scan --shard K/N`) into the
    /// reports one run over every input would have written.
    ///
    /// Reads shard.jsonl in each folder, checks they are the N shards of one run (same N,
    /// callrisk, dictionaries and options; each shard once, none missing), and writes every
    /// report the shards were asked for into --out, as scan does: the CSVs byte for byte as
    /// one run's, the workbook, page, summary and exit status recomputed. Only the time taken
    /// differs.
    #[command(after_help = EXIT_CODES, after_long_help = EXIT_CODES)]
    Merge(MergeArgs),
    /// Test and lint dictionaries: `lexicon test` runs every rule's examples, `lexicon check` lints.
    Lexicon {
        #[command(subcommand)]
        command: LexiconCommand,
    },
    /// Keep the repeat-complaint ledger that `scan --ledger FILE` writes: stats, prune,
    /// export, forget.
    ///
    /// The ledger holds one row per conversation: the customer as a keyed hash (never the
    /// number), the call time, the conversation id and file (masked), whether the customer
    /// complained, and the problem. Its secret is FILE.key beside it (mode 0600): keep both,
    /// and back them up together.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Teach the dictionaries from QA's reviews: `review import` turns findings marked `fp`
    /// in hits.csv or report.xlsx into exclusions, and writes per-rule precision.
    Review {
        #[command(subcommand)]
        command: ReviewCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Customers, conversations, complaints, the date range, and the customers over the
    /// repeat threshold.
    Stats(LedgerStatsArgs),
    /// Remove conversations whose call is more than DAYS days before today (retention).
    ///
    /// Prints how many were removed. A scan with --ledger also removes, each night, rows
    /// older than --retention days before the newest call in the ledger.
    Prune(LedgerPruneArgs),
    /// Every conversation of the ledger as CSV (customer keys hashed, ids and files masked),
    /// to stdout or --out FILE.
    ///
    /// Columns: key, time, conversation, file, complaint, topic, topic_from; in call-time order.
    Export(LedgerExportArgs),
    /// Erase one customer on request: every conversation of theirs is removed. Prints how many.
    ///
    /// CUSTOMER is the phone number or customer id as any input gives it (+86, spaces and
    /// dashes do not matter); it is hashed with the ledger's secret, never stored or printed.
    Forget(LedgerForgetArgs),
}

/// The ledger file, for every `ledger` subcommand.
#[derive(Debug, Args)]
pub struct LedgerFile {
    /// The ledger a scan wrote with --ledger FILE (its key file FILE.key beside it).
    #[arg(long, value_name = "FILE", required = true)]
    pub ledger: PathBuf,
}

#[derive(Debug, Args)]
pub struct LedgerStatsArgs {
    #[command(flatten)]
    pub file: LedgerFile,
    #[command(flatten)]
    pub rule: RepeatRuleArgs,
}

#[derive(Debug, Args)]
pub struct LedgerPruneArgs {
    #[command(flatten)]
    pub file: LedgerFile,
    /// Remove conversations whose call is more than DAYS days before today.
    #[arg(long, value_name = "DAYS", required = true)]
    pub older_than: u32,
}

#[derive(Debug, Args)]
pub struct LedgerExportArgs {
    #[command(flatten)]
    pub file: LedgerFile,
    /// Write the CSV to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Start with a UTF-8 byte-order mark, so Excel shows Chinese on double-click.
    #[arg(long)]
    pub excel: bool,
}

#[derive(Debug, Args)]
pub struct LedgerForgetArgs {
    #[command(flatten)]
    pub file: LedgerFile,
    /// The customer's phone number or customer id.
    #[arg(value_name = "CUSTOMER")]
    pub customer: String,
}

/// The repeat rule: the Nth complaint about one problem within a window of days.
#[derive(Debug, Args)]
pub struct RepeatRuleArgs {
    /// The customer's Nth complaint about the same problem within --repeat-window days is a
    /// repeat (threat.repeat, escalated as a suspected crisis).
    ///
    /// The default is the escalation rule of the service training: three complaints within a
    /// rolling year, escalated on the fourth.
    #[arg(long, value_name = "N", default_value_t = crate::ledger::DEFAULT_REPEAT_AFTER,
          value_parser = clap::value_parser!(u32).range(1..), requires = "ledger")]
    pub repeat_after: u32,

    /// The rolling window of the repeat rule, in days before the call.
    #[arg(long, value_name = "DAYS", default_value_t = crate::ledger::DEFAULT_REPEAT_WINDOW,
          value_parser = clap::value_parser!(u32).range(1..), requires = "ledger")]
    pub repeat_window: u32,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        match self {
            ColorChoice::Always => !no_color,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        }
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Transcript files to explain, or - for stdin. `FILE:LINE` (as agents.csv and hits.csv
    /// give it) shows only the conversation holding that line, with the line marked `>`.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Only the conversation with this id (a chat log holds many).
    #[arg(long, value_name = "ID")]
    pub conversation: Option<String>,

    /// Also show candidates that are not findings, and why (other speaker, part of a longer
    /// word, none of the rule's `near` words).
    #[arg(short, long)]
    pub verbose: bool,

    /// Colour the findings: counted in red, not counted in yellow, dropped dimmed.
    #[arg(long, value_name = "WHEN", value_enum, default_value = "auto")]
    pub color: ColorChoice,

    #[command(flatten)]
    pub dictionaries: DictionaryArgs,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Do not mask phone, ID and bank-card numbers.
    #[arg(long)]
    pub no_redact: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Transcript files or directories, as for `scan`. Every conversation read is taken as
    /// labelled: one with no row in the labels file has nothing to find.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// The labels: a CSV file with the header `conversation,category,line,kind,note`.
    ///
    /// One row per category per conversation. `conversation` is the conversation id as scan
    /// reports it (the file name without its extension, unless the input names its
    /// conversations); `category` one of the 16 ids; `line` the input line of the first
    /// utterance that carries it; `kind` `required` (a reviewer would certainly mark it) or
    /// `optional` (a reasonable reviewer might not); `note` a few words. A row naming a
    /// conversation that was not scanned, an unknown category or a second row for the same
    /// conversation and category is an error (status 2). A labels file inside a folder being
    /// evaluated is not read as a transcript. How to label: tests/devset/GUIDELINES.md.
    #[arg(long, value_name = "LABELS.csv")]
    pub labels: PathBuf,

    #[command(flatten)]
    pub dictionaries: DictionaryArgs,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Print the figures, misses and false alarms as one JSON object instead of tables.
    ///
    /// Keys: `conversations`, `labels` (`required`, `optional`), `categories` (16 objects:
    /// `category`, `tp`, `fp`, `fn`, `precision`, `recall`, `f1`), `overall` (the same,
    /// micro-averaged), `misses` (`conversation`, `category`, `line`, `kind`, `note`) and
    /// `false_alarms` (`conversation`, `category`, `line`, `term`, `matched`). A figure with
    /// nothing to measure (no findings, or no required labels) is `null`.
    #[arg(long)]
    pub json: bool,

    /// Exit with status 1 when overall precision is below P (0 to 1) [default: no minimum].
    ///
    /// With no findings at all, precision has nothing to measure and does not fail.
    #[arg(long, value_name = "P", value_parser = parse_fraction)]
    pub min_precision: Option<f64>,

    /// Exit with status 1 when overall recall is below R (0 to 1) [default: no minimum].
    ///
    /// With no required labels at all, recall has nothing to measure and does not fail.
    #[arg(long, value_name = "R", value_parser = parse_fraction)]
    pub min_recall: Option<f64>,

    /// Print the figures only, not which conversations were missed or falsely found.
    ///
    /// For a held-out set: a set whose misses have been read is tuned on the next time a
    /// dictionary is edited, and its figures stop measuring text the rules were not written
    /// for. The tables keep their counts; with --json the `misses` and `false_alarms` keys are
    /// left out.
    #[arg(long)]
    pub figures_only: bool,
}

fn parse_fraction(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{s}` is not a fraction from 0 to 1 (e.g. 0.9)")),
    }
}

#[derive(Debug, Subcommand)]
pub enum LexiconCommand {
    /// Scan every rule's `examples` (must count) and `counterexamples` (must not).
    ///
    /// Exit status 0 when all pass, 1 when any fails, 2 when a dictionary does not load.
    Test(LexiconArgs),
    /// Lint: duplicate terms, terms their own `unless` rules out, `unless` phrases that never
    /// apply, unconditional terms shared by two categories of the same speaker.
    ///
    /// Exit status 0 when clean, 1 when there are problems, 2 when a dictionary does not load.
    Check(LexiconArgs),
    /// Print every term, normalised and with each count placeholder expanded (投诉了三次,
    /// 投诉了好几次 …), one per line (for other tools,
    /// e.g. `rg -F -f`).
    Terms(LexiconArgs),
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Read QA's `review` column (tp/fp) from hits.csv or report.xlsx files into a folder.
    ///
    /// Reviews are kept in DIR/reviews.csv, merged by hit_id (the latest wins); each `fp`
    /// becomes an `[[exclude]]` in DIR/review.exclude.toml (the matched words with a few
    /// characters either side, digits masked), which `scan --lexicon DIR` then reports as not
    /// counted, reason `reviewed-fp`; a `tp` never excludes, and removes an earlier `fp`'s
    /// exclusion of the same hit. DIR/rules.csv gives per rule the findings reviewed,
    /// confirmed, rejected and the precision. Accepted reviews: tp, 对, 是, 正确 (the finding
    /// is right) and fp, 错, 否, 误报 (a false alarm), any case; an empty cell is no review;
    /// anything else is reported with its row and ignored. Importing the same files again
    /// changes nothing.
    ///
    /// Exit status 0 when every review was read, 1 when some were reported and ignored, 2
    /// when a file cannot be read or DIR cannot be written.
    Import(ReviewImportArgs),
}

#[derive(Debug, Args)]
pub struct ReviewImportArgs {
    /// hits.csv (UTF-8 with or without BOM, GBK/GB18030, UTF-16; as Excel or WPS re-save it)
    /// or report.xlsx (its `findings` sheet) files with QA's `review` column filled.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<std::path::PathBuf>,

    /// The dictionary folder that learns: reviews.csv, review.exclude.toml and rules.csv are
    /// written here (created if missing). Scan with `--lexicon DIR` to apply.
    #[arg(long, value_name = "DIR")]
    pub into: std::path::PathBuf,

    /// Other dictionary folders the scan used, so rules.csv can name their rules.
    #[arg(long, value_name = "DIR")]
    pub lexicon: Vec<std::path::PathBuf>,

    /// The scan used only `--lexicon` folders, not the built-in dictionaries.
    #[arg(long)]
    pub no_builtin: bool,
}

#[derive(Debug, Args)]
pub struct LexiconArgs {
    /// Dictionary folders, added to the built-in dictionaries (as `scan --lexicon` does).
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Only the named folders, not the built-in dictionaries.
    #[arg(long, requires = "dirs")]
    pub no_builtin: bool,
}

/// `--format`'s long help, from the format table.
fn format_help() -> String {
    let formats: Vec<String> = crate::input::Format::ALL
        .iter()
        .map(|f| format!("{}: {}", f.name(), f.spec().help))
        .collect();
    format!(
        "Input format, instead of detecting it from the extension and content.\n\n{}.",
        formats.join("; ")
    )
}

/// `--format`: a name of the format table.
fn parse_format(s: &str) -> Result<crate::input::Format, String> {
    s.parse()
}

fn parse_encoding(s: &str) -> Result<crate::input::Encoding, String> {
    s.parse()
}

fn parse_column(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((field, name)) if !field.trim().is_empty() && !name.trim().is_empty() => {
            Ok((field.trim().to_lowercase(), name.trim().to_string()))
        }
        _ => Err(format!("`{s}` is not FIELD=NAME (e.g. text=消息)")),
    }
}

/// A severity as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Transcript files, directories (walked recursively, in sorted order), or - for stdin.
    ///
    /// A directory walk reads *.txt, *.text, *.log, *.asr, *.trn, *.jsonl, *.ndjson, *.json,
    /// *.csv, *.tsv, *.srt and *.vtt files and passes over
    /// hidden files, other extensions (audio next to its transcript, say) and the report
    /// folder itself; the summary counts what it passed over. A file named here is always read.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    #[command(flatten)]
    pub dictionaries: DictionaryArgs,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Folder that receives the reports.
    ///
    /// Created if missing. The reports of a run are written aside and swapped in as one set
    /// when the run is complete, so after a kill, a crash or a full disk the folder holds the
    /// previous complete set or the new one, never a mix. The folder is callrisk's own: one
    /// that holds the inputs or files callrisk did not write is refused (status 2), and two
    /// runs into the same folder at once are refused (the second exits with status 2).
    #[arg(short, long, value_name = "DIR", default_value = "callrisk-report")]
    pub out: PathBuf,

    /// Worker threads [default: all cores; at most four per core].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Leave findings below this severity out of every report.
    #[arg(long, value_name = "LEVEL", value_enum, default_value = "low")]
    pub min_severity: SeverityArg,

    /// Exit with status 1 when a counted finding is at least this severe.
    ///
    /// For nightly jobs: `callrisk scan --fail-on high calls/ || notify-qa`. Status 2 (an
    /// input that could not be scanned) takes precedence.
    #[arg(long, value_name = "LEVEL", value_enum)]
    pub fail_on: Option<SeverityArg>,

    /// Which reports to write, comma-separated [default: all].
    ///
    /// csv: hits.csv, conversations.csv, agents.csv and errors.csv, the stable contract for
    /// pipelines. xlsx: report.xlsx, for people: conversations by rank (escalate first), every
    /// finding, a sheet per agent with taboos, errors; ids and times as text, numbers as
    /// numbers, never a formula. html: report.html, one self-contained page (no network):
    /// the night at a glance, charts, the conversations to escalate first, taboos per agent.
    #[arg(
        long,
        value_name = "KINDS",
        value_enum,
        value_delimiter = ',',
        default_values_t = crate::report::ReportKind::ALL,
        hide_default_value = true
    )]
    pub reports: Vec<crate::report::ReportKind>,

    /// The language of report.html: zh (中文) or en. Category ids are shown either way.
    #[arg(long, value_name = "LANG", value_enum, default_value = "zh")]
    pub lang: crate::report::html::Lang,

    /// JSON Lines on stdout for pipelines: one object per finding, per conversation and per
    /// error, then a summary.
    ///
    /// Every object has `type` (`finding`, `conversation`, `error`, `summary`) and the schema
    /// `version` (2); fields are those of hits.csv and conversations.csv, typed (numbers,
    /// booleans, null when absent), with `counted` explicit. Reports are still written unless
    /// --no-reports; with -q, stdout holds nothing but the JSON. Schema: README.md, "JSON Lines".
    #[arg(long)]
    pub json: bool,

    /// Write no report files: with --json the stream is the only output; without it, the
    /// summary on stderr and the exit status (with --fail-on) are.
    #[arg(long, conflicts_with_all = ["reports", "excel"])]
    pub no_reports: bool,

    /// Start each CSV with a UTF-8 byte-order mark, so Excel shows Chinese on double-click.
    #[arg(long)]
    pub excel: bool,

    /// Do not mask phone, ID and bank-card numbers in reports (prints a warning).
    #[arg(long)]
    pub no_redact: bool,

    /// No progress bar and no summary on stderr; errors are still printed.
    #[arg(short, long)]
    pub quiet: bool,

    /// Exit with status 2 when nothing was scanned (no inputs found, or only files passed
    /// over), so a failed transcription step is not reported as "all clear".
    ///
    /// Without it, an empty run prints a warning and exits 0.
    #[arg(long)]
    pub fail_on_empty: bool,

    /// List on stderr every file the walk passed over, and why (hidden, not a transcript
    /// extension, the --meta file). The summary counts them either way.
    #[arg(long)]
    pub list_skipped: bool,

    /// Take shard K of N of the inputs (1 <= K <= N) and keep its records for `callrisk merge`.
    ///
    /// Each input belongs to one shard, by a fixed hash (FNV-1a) of its path relative to the
    /// argument it was found under, so every machine splits a folder the same way; standard
    /// input is shard 1's. The report folder also holds shard.jsonl (masked records); merge the
    /// N folders with `callrisk merge DIR… --out DIR`. Refuses --no-redact, --no-reports and
    /// --ledger (a ledger is one machine's memory: run it on the merged night instead).
    #[arg(long, value_name = "K/N", conflicts_with = "ledger")]
    pub shard: Option<crate::shard::ShardSpec>,

    /// The repeat-complaint ledger: remember every customer's complaints across nights, and
    /// flag a call that is their Nth complaint about the same problem within the window
    /// (threat.repeat, reason `ledger`), even when the customer stays polite.
    ///
    /// An SQLite file, created with its secret FILE.key (mode 0600) on first use; customers
    /// are kept as keyed hashes, never in clear. The customer and call time come from the
    /// input (`# customer:`, a chat's customer column) or --meta; calls without them are not
    /// counted (stderr says how many). The run is committed to the ledger only once its reports
    /// are complete; a rerun of the same inputs counts once. The inputs are read twice (the
    /// night is counted before any report is written), so stdin cannot be one. Also writes
    /// repeats.csv. See `callrisk ledger --help`.
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,

    #[command(flatten)]
    pub repeat_rule: RepeatRuleArgs,

    /// With --ledger: remove, each night, conversations more than DAYS days older than the
    /// newest call in the ledger (0 keeps everything). At least --repeat-window.
    #[arg(long, value_name = "DAYS", default_value_t = crate::ledger::DEFAULT_RETENTION, requires = "ledger")]
    pub retention: u32,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The report folders of the shards, one per shard, in any order.
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,

    /// Folder that receives the merged reports (the same rules as `scan --out`).
    #[arg(short, long, value_name = "DIR", default_value = "callrisk-report")]
    pub out: PathBuf,

    /// JSON Lines on stdout, as `scan --json` prints them for one run.
    #[arg(long)]
    pub json: bool,

    /// No summary on stderr; errors are still printed.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Which dictionaries: the built-in ones, plus or instead of `--lexicon` folders.
#[derive(Debug, Args)]
pub struct DictionaryArgs {
    /// Extra dictionaries, ADDED to the built-in ones (repeatable).
    ///
    /// Every *.toml in DIR is loaded (format: dictionaries/README.md). With --no-builtin they
    /// are used IN PLACE of the built-in dictionaries. Its `[[exclude]]` tables (written by
    /// `callrisk review import --into DIR`) make the findings QA rejected not count: they are
    /// reported with reason `reviewed-fp`.
    #[arg(long, value_name = "DIR")]
    pub lexicon: Vec<PathBuf>,

    /// Use only the --lexicon dictionaries, not the built-in ones.
    #[arg(long, requires = "lexicon")]
    pub no_builtin: bool,

    /// The QA score sheet [default: scorecard.toml of the last --lexicon DIR with one, else
    /// the built-in dictionaries/scorecard.toml].
    ///
    /// Items keyed by finding id (taboo.privacy, script.greeting, timing.silence) or group
    /// (taboo, script, timing), points per occurrence, a cap, fatal items that zero the call
    /// (format: dictionaries/README.md). The scores go to scorecard.csv, agents.csv, the
    /// workbook and the page.
    #[arg(long, value_name = "FILE")]
    pub scorecard: Option<PathBuf>,
}

/// How inputs are read: speaker labels, format, encoding, field names, metadata.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// A speaker label that means the agent, e.g. "说话人1" or "Rep" (repeatable).
    #[arg(long, value_name = "LABEL", long_help = labels_help("the agent", "说话人1", crate::transcript::AGENT_LABELS))]
    pub agent_label: Vec<String>,

    /// A speaker label that means the customer, e.g. "说话人2" (repeatable).
    #[arg(long, value_name = "LABEL", long_help = labels_help("the customer", "说话人2", crate::transcript::CUSTOMER_LABELS))]
    pub customer_label: Vec<String>,

    /// Input format, instead of detecting it from the extension and content.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format, long_help = format_help())]
    pub format: Option<crate::input::Format>,

    /// Input encoding, instead of detecting it: utf-8, utf-16le, utf-16be, gb18030 (or gbk).
    ///
    /// Detection reads a byte-order mark, else UTF-8, else GB18030 if the text decodes
    /// cleanly and reads as Chinese. A file that is not valid in the encoding is an error.
    #[arg(long, value_name = "ENCODING", value_parser = parse_encoding)]
    pub encoding: Option<crate::input::Encoding>,

    /// For chat exports: which field or CSV header holds what, e.g. `--column text=消息`
    /// (repeatable). Fields: conversation, role, text, time, agent, customer, topic.
    #[arg(long, value_name = "FIELD=NAME", value_parser = parse_column)]
    pub column: Vec<(String, String)>,

    /// For ASR output: the channel or speaker id that is the agent (every other id is then the
    /// customer), e.g. `--agent-channel 0` for stereo recordings with the agent on channel 0.
    ///
    /// Without it, speakers of ASR output are `unknown` unless their id is a known label.
    #[arg(long, value_name = "ID")]
    pub agent_channel: Option<String>,

    /// A CSV from the call-centre system giving agent, customer and call time per call, joined
    /// by file name or conversation id (columns such as file/录音文件, agent/坐席工号,
    /// customer/客户号码, time/通话时间). The input's own values win.
    #[arg(long, value_name = "FILE.csv")]
    pub meta: Option<PathBuf>,

    /// For chat exports whose times are epoch numbers: the offset from UTC they are shown at,
    /// e.g. `--utc-offset +08:00` for Beijing time (default `+00:00`: UTC). Times written as
    /// text are shown as written.
    #[arg(long, value_name = "±HH:MM", value_parser = parse_utc_offset, allow_hyphen_values = true)]
    pub utc_offset: Option<i32>,
}

/// `+08:00`, `+8`, `-05:30`, `+0530`, `Z` → seconds east of UTC (at most ±14 hours).
fn parse_utc_offset(s: &str) -> Result<i32, String> {
    let t = s.trim();
    let bad = || format!("`{s}` is no offset from UTC: write it as +08:00, -05:30 or +8");
    if t.eq_ignore_ascii_case("z") {
        return Ok(0);
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let (hours, minutes) = match rest.split_once(':') {
        Some((_, m)) if m.len() != 2 => return Err(bad()),
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let digits = |d: &str| {
        (!d.is_empty() && d.len() <= 2 && d.bytes().all(|b| b.is_ascii_digit()))
            .then(|| d.parse::<i32>().ok())
            .flatten()
    };
    let (Some(h), Some(m)) = (digits(hours), digits(minutes)) else {
        return Err(bad());
    };
    if m >= 60 || h * 60 + m > 14 * 60 {
        return Err(bad());
    }
    Ok(sign * (h * 3600 + m * 60))
}

/// The long help of `--agent-label`/`--customer-label`: the built-in labels, from the list the
/// reader uses, so the help cannot fall behind it.
fn labels_help(side: &str, example: &str, builtin: &[&str]) -> String {
    format!(
        "A speaker label that means {side}, e.g. \"{example}\" (repeatable); it matches a line's \
         label whole.\n\nBuilt in (these also match a label that starts with them: 客服 matches \
         客服小王): {}.",
        builtin.join(", ")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_offsets_read_as_people_write_them() {
        let table: [(&str, Result<i32, ()>); 10] = [
            ("+08:00", Ok(8 * 3600)),
            ("+8", Ok(8 * 3600)),
            ("-05:30", Ok(-(5 * 3600 + 1800))),
            ("+0530", Ok(5 * 3600 + 1800)),
            ("Z", Ok(0)),
            ("+14:00", Ok(14 * 3600)),
            ("+15:00", Err(())),
            ("8", Err(())),
            ("+08:60", Err(())),
            ("+8:5", Err(())),
        ];
        for (written, want) in table {
            assert_eq!(parse_utc_offset(written).map_err(|_| ()), want, "{written}");
        }
    }

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    /// `--format`'s help names every format of the table.
    #[test]
    fn format_help_names_every_format() {
        use clap::CommandFactory;
        let help = Cli::command()
            .find_subcommand("scan")
            .unwrap()
            .get_arguments()
            .find(|a| a.get_id() == "format")
            .and_then(|a| a.get_long_help().map(ToString::to_string))
            .unwrap();
        for format in crate::input::Format::ALL {
            assert!(
                help.contains(&format!("{}:", format.name())),
                "{format} missing from: {help}"
            );
        }
    }

    /// clap reads `{n}` in help text as a line break: no help may hold one.
    #[test]
    fn help_text_never_breaks_inside_a_placeholder() {
        use clap::CommandFactory;
        fn walk(command: &clap::Command) {
            let texts = [command.get_about(), command.get_long_about()]
                .into_iter()
                .flatten()
                .map(ToString::to_string)
                .chain(command.get_arguments().flat_map(|a| {
                    [a.get_help(), a.get_long_help()]
                        .into_iter()
                        .flatten()
                        .map(ToString::to_string)
                }));
            for text in texts {
                assert!(!text.contains("{n}"), "{}: {text}", command.get_name());
            }
            for sub in command.get_subcommands() {
                walk(sub);
            }
        }
        walk(&Cli::command());
    }
}
