//! Resolved settings for a scan, built once from the parsed arguments: loaded lexicons, the
//! built automaton and segmenter, speaker labels and the thread count. Stages borrow it.

use std::path::{Path, PathBuf};

use crate::category::Severity;
use crate::cli::{DictionaryArgs, ReadArgs, ScanArgs};
use crate::error::Error;
use crate::input::{FieldNames, MetaTable, ParseConfig};
use crate::lexicon::{Lexicon, Source};
use crate::matcher::Matcher;
use crate::report::ReportOptions;
use crate::scorecard::Scorecard;
use crate::segment::Segmenter;
use crate::transcript::SpeakerLabels;

/// The engines built once and shared read-only: dictionaries, automata, segmenter, and the
/// score sheet.
pub struct Engine {
    pub lexicon: Lexicon,
    pub matcher: Matcher,
    /// The script rules' words and triggers ([`crate::detect::script`]).
    pub script_matcher: Matcher,
    pub segmenter: Segmenter,
    pub scorecard: Scorecard,
}

impl Engine {
    /// The engines for `lexicon`, with the built-in score sheet.
    pub fn new(lexicon: Lexicon) -> Engine {
        let matcher = Matcher::new(&lexicon);
        let script_matcher = crate::detect::script::matcher(&lexicon.script);
        let segmenter = Segmenter::new(&lexicon.markers.compound_words);
        let scorecard = Scorecard::builtin(&lexicon);
        Engine {
            lexicon,
            matcher,
            script_matcher,
            segmenter,
            scorecard,
        }
    }
}

pub struct ScanConfig {
    pub inputs: Vec<PathBuf>,
    /// The report folder; `None` for `eval`, which keeps what it needs in memory.
    pub out_dir: Option<PathBuf>,
    pub threads: usize,
    pub engine: Engine,
    pub parse: ParseConfig,
    /// Files a directory walk must not read as transcripts: the `--meta` file, eval's labels.
    pub not_inputs: Vec<PathBuf>,
    pub min_severity: Severity,
    pub fail_on: Option<Severity>,
    pub report: ReportOptions,
    pub quiet: bool,
    pub fail_on_empty: bool,
    pub list_skipped: bool,
    /// `--ledger`: the repeat-complaint ledger and its rule; `None` without it.
    pub ledger: Option<LedgerSettings>,
}

/// What `--ledger` and the repeat rule resolve to.
pub struct LedgerSettings {
    pub path: PathBuf,
    pub rule: crate::ledger::night::Rule,
    /// The topics and complaint words (`topics.toml`).
    pub topics: crate::ledger::topics::Topics,
}

impl ScanConfig {
    pub fn from_args(args: ScanArgs) -> Result<ScanConfig, Error> {
        let ledger = ledger_settings(&args)?;
        let engine = load_engine(&args.dictionaries)?;
        let threads = args
            .jobs
            .map(usize::from)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        Ok(ScanConfig {
            inputs: args.inputs,
            out_dir: Some(args.out),
            threads,
            engine,
            parse: parse_config(&args.read)?,
            not_inputs: args.read.meta.iter().cloned().collect(),
            min_severity: args.min_severity.into(),
            fail_on: args.fail_on.map(Into::into),
            report: ReportOptions {
                kinds: if args.no_reports { Vec::new() } else { args.reports },
                excel_bom: args.excel,
                redact: !args.no_redact,
                json: args.json,
                lang: args.lang,
            },
            quiet: args.quiet,
            fail_on_empty: args.fail_on_empty,
            list_skipped: args.list_skipped,
            ledger,
        })
    }
}

/// `--ledger` and its rule, checked: the inputs must be files or folders (they are read
/// twice), and the retention must outlast the window.
fn ledger_settings(args: &ScanArgs) -> Result<Option<LedgerSettings>, Error> {
    let Some(path) = &args.ledger else {
        return Ok(None);
    };
    let rule = crate::ledger::night::Rule {
        after: args.repeat_rule.repeat_after,
        window_days: args.repeat_rule.repeat_window,
        retention_days: args.retention,
    };
    if rule.retention_days != 0 && rule.retention_days < rule.window_days {
        return Err(Error::Usage(format!(
            "--retention {} is shorter than --repeat-window {}: complaints would be removed while they still count; \
             give --retention {} or more (0 keeps everything)",
            rule.retention_days, rule.window_days, rule.window_days
        )));
    }
    for input in &args.inputs {
        let streamed = input.as_os_str() == "-" || std::fs::metadata(input).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if streamed {
            return Err(Error::Usage(format!(
                "--ledger reads the inputs twice (the night is counted before any report is written), \
                 and {} is a stream that can be read once; save it to a file and scan the file",
                input.display()
            )));
        }
    }
    let topics = crate::ledger::topics::Topics::for_dirs(&args.dictionaries.lexicon).map_err(Error::Usage)?;
    Ok(Some(LedgerSettings {
        path: path.clone(),
        rule,
        topics,
    }))
}

impl ScanConfig {
    /// `eval`: the inputs read and judged as `scan` does, with every finding kept (no
    /// `--min-severity`), on all cores, and no report folder; the labels file is not an input.
    pub fn for_eval(
        inputs: Vec<PathBuf>,
        labels: &Path,
        dictionaries: &DictionaryArgs,
        read: &ReadArgs,
    ) -> Result<ScanConfig, Error> {
        let engine = load_engine(dictionaries)?;
        Ok(ScanConfig {
            inputs,
            out_dir: None,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            engine,
            parse: parse_config(read)?,
            not_inputs: read.meta.iter().cloned().chain([labels.to_path_buf()]).collect(),
            min_severity: Severity::Low,
            fail_on: None,
            report: ReportOptions {
                kinds: Vec::new(),
                excel_bom: false,
                redact: true,
                json: false,
                lang: Default::default(),
            },
            quiet: false,
            fail_on_empty: false,
            list_skipped: false,
            ledger: None,
        })
    }
}

/// How inputs are read, from `--agent-label`, `--format`, `--meta` … (scan and explain alike).
pub fn parse_config(read: &ReadArgs) -> Result<ParseConfig, Error> {
    Ok(ParseConfig {
        labels: SpeakerLabels::new(&read.agent_label, &read.customer_label),
        format: read.format,
        encoding: read.encoding,
        fields: FieldNames::default()
            .with_overrides(&read.column)
            .map_err(Error::Usage)?,
        agent_channel: read.agent_channel.clone(),
        meta: match &read.meta {
            Some(path) => Some(MetaTable::load(path).map_err(Error::Usage)?),
            None => None,
        },
    })
}

/// The engines for `--lexicon`, `--no-builtin` and `--scorecard`.
pub fn load_engine(dictionaries: &DictionaryArgs) -> Result<Engine, Error> {
    load_engine_from(
        &dictionaries.lexicon,
        !dictionaries.no_builtin,
        dictionaries.scorecard.as_deref(),
    )
}

/// The engines for these dictionary folders; the score sheet is `scorecard`, else the
/// `scorecard.toml` of the last folder that has one, else the built-in sheet.
pub fn load_engine_from(dirs: &[PathBuf], builtin: bool, scorecard: Option<&Path>) -> Result<Engine, Error> {
    let mut engine = Engine::new(load_lexicon(dirs, builtin)?);
    let sheet = scorecard.map(Path::to_path_buf).or_else(|| {
        dirs.iter()
            .rev()
            .map(|d| d.join(crate::lexicon::SCORECARD_FILE))
            .find(|p| p.is_file())
    });
    if let Some(path) = sheet {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::Lexicon(vec![crate::lexicon::LexiconError {
                file: path.display().to_string(),
                line: 0,
                message: format!("cannot read the score sheet: {e} (a UTF-8 TOML file, see dictionaries/README.md)"),
            }])
        })?;
        let source = Source {
            name: path.display().to_string(),
            text,
        };
        engine.scorecard = Scorecard::load(&source, &engine.lexicon).map_err(Error::Lexicon)?;
    }
    Ok(engine)
}

/// Built-in dictionaries (unless turned off) followed by each `--lexicon` folder.
pub fn load_lexicon(dirs: &[PathBuf], builtin: bool) -> Result<Lexicon, Error> {
    let mut sources = if builtin { Source::builtin() } else { Vec::new() };
    let mut errors = Vec::new();
    for dir in dirs {
        match Source::from_dir(dir) {
            Ok(more) => sources.extend(more),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Lexicon(errors));
    }
    Lexicon::load(&sources).map_err(Error::Lexicon)
}
