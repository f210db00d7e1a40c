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
    /// `-j N` when it was more than [`max_threads`] and was lowered to it (said on stderr).
    pub threads_asked: Option<usize>,
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
    /// `--shard K/N`: this run takes its share of the inputs and keeps its records for merge.
    pub shard: Option<ShardRun>,
    /// `--ledger`: the repeat-complaint ledger and its rule; `None` without it.
    pub ledger: Option<LedgerSettings>,
}

/// A shard of a split run: which one, and the settings its sidecar states.
pub struct ShardRun {
    pub spec: crate::shard::ShardSpec,
    pub settings: crate::report::sidecar::Settings,
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
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let asked = args.jobs.map(usize::from);
        let cap = max_threads(cores);
        let threads = asked.unwrap_or(cores).min(cap);
        // The dictionaries are built on as many threads as the scan may use, two at most.
        let engine = load_engine(&args.dictionaries, threads)?;
        let fingerprint = match args.shard {
            Some(_) if args.no_redact => {
                return Err(Error::Usage(
                    "--shard keeps every record for merge and never clear numbers: drop --no-redact".into(),
                ));
            }
            Some(_) => Some(fingerprint(&args)?),
            None => None,
        };
        Ok(ScanConfig {
            inputs: args.inputs,
            out_dir: Some(args.out),
            threads,
            threads_asked: asked.filter(|&n| n > cap),
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
            shard: None,
        })
        .map(|mut config| {
            config.shard = args.shard.zip(fingerprint).map(|(spec, fingerprint)| ShardRun {
                spec,
                settings: crate::report::sidecar::Settings::new(
                    fingerprint,
                    &config.report,
                    config.fail_on,
                    config.fail_on_empty,
                ),
            });
            config
        })
    }
}

/// The most worker threads a run starts: four per core. More only cost memory (each holds
/// a share of the conversations in flight and its own caches) and switching: `-j 10000` on
/// two cores took 2.3 GB and stalled the machine.
pub fn max_threads(cores: usize) -> usize {
    cores.max(1) * 4
}

/// What decides the findings, hashed: the text of every dictionary and of the score sheet
/// (not their paths), the reading options, the `--meta` file's bytes, `--min-severity`.
/// Shards of one run must agree on it.
fn fingerprint(args: &ScanArgs) -> Result<String, Error> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let dictionaries = &args.dictionaries;
    let mut sources = if dictionaries.no_builtin {
        Vec::new()
    } else {
        Source::builtin()
    };
    for dir in &dictionaries.lexicon {
        sources.extend(Source::from_dir(dir).map_err(|e| Error::Lexicon(vec![e]))?);
    }
    for source in &sources {
        let name = Path::new(&source.name).file_name().unwrap_or_default();
        parts.push(name.as_encoded_bytes().to_vec());
        parts.push(source.text.as_bytes().to_vec());
    }
    let sheet = dictionaries.scorecard.clone().or_else(|| {
        dictionaries
            .lexicon
            .iter()
            .rev()
            .map(|d| d.join(crate::lexicon::SCORECARD_FILE))
            .find(|p| p.is_file())
    });
    let read_file =
        |path: &Path| std::fs::read(path).map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())));
    if let Some(sheet) = sheet {
        parts.push(read_file(&sheet)?);
    }
    let read = &args.read;
    parts.push(
        format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?}{}",
            read.agent_label,
            read.customer_label,
            read.format.map(|f| f.name()),
            read.encoding,
            read.column,
            read.agent_channel,
            Severity::from(args.min_severity),
            // Only when given, so shards cut before the option existed still merge.
            read.utc_offset.map(|o| format!(" utc{o:+}")).unwrap_or_default()
        )
        .into_bytes(),
    );
    if let Some(meta) = &read.meta {
        parts.push(read_file(meta)?);
    }
    let mut all = Vec::new();
    for part in parts {
        all.extend_from_slice(&(part.len() as u64).to_le_bytes());
        all.extend_from_slice(&part);
    }
    Ok(format!("{:016x}", crate::shard::hash(&all)))
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
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let engine = load_engine(dictionaries, threads)?;
        Ok(ScanConfig {
            inputs,
            out_dir: None,
            threads,
            threads_asked: None,
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
            shard: None,
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
        fields: FieldNames {
            epoch_offset: read.utc_offset.unwrap_or(0),
            ..FieldNames::default()
                .with_overrides(&read.column)
                .map_err(Error::Usage)?
        },
        agent_channel: read.agent_channel.clone(),
        meta: match &read.meta {
            Some(path) => Some(MetaTable::load(path).map_err(Error::Usage)?),
            None => None,
        },
    })
}

/// The engines for `--lexicon`, `--no-builtin` and `--scorecard`, the dictionary files built
/// on up to `threads` threads (two at most; a scan's start-up, where building them is half the
/// work).
pub fn load_engine(dictionaries: &DictionaryArgs, threads: usize) -> Result<Engine, Error> {
    load_engine_from(
        &dictionaries.lexicon,
        !dictionaries.no_builtin,
        dictionaries.scorecard.as_deref(),
        threads,
    )
}

/// The engines for these dictionary folders; the score sheet is `scorecard`, else the
/// `scorecard.toml` of the last folder that has one, else the built-in sheet.
pub fn load_engine_from(
    dirs: &[PathBuf],
    builtin: bool,
    scorecard: Option<&Path>,
    threads: usize,
) -> Result<Engine, Error> {
    let mut engine = Engine::new(load_lexicon(dirs, builtin, threads)?);
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

/// Built-in dictionaries (unless turned off) followed by each `--lexicon` folder, the files
/// built on up to `threads` threads (two at most).
pub fn load_lexicon(dirs: &[PathBuf], builtin: bool, threads: usize) -> Result<Lexicon, Error> {
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
    Lexicon::load_on(&sources, threads).map_err(Error::Lexicon)
}
