//! callrisk: customer threats and agent taboos in Chinese customer-service transcripts.
//!
//! A transcript goes through the same stages every time, one module each:
//!
//! 1. [`input`]: find inputs (`walk`), decode bytes (`decode`), parse a format into
//!    [`transcript::Conversation`]s of utterances (`text`);
//! 2. [`normalize`]: traditional → simplified, full-width, case, spoken digits, separators,
//!    with a map back to the original characters;
//! 3. [`matcher`]: every lexicon term in the normalised text (one Aho-Corasick automaton built
//!    from [`lexicon`]), and [`privacy`]: phone, ID, card numbers and e-mail addresses;
//! 4. [`context`]: each candidate confirmed in context: speaker, whole word ([`segment`], the
//!    jieba stage), negation, hypotheticals, quotes, other senses, conditions;
//! 5. [`score`]: risk level, score, categories and escalation per conversation;
//! 6. [`report`]: CSV reports, personal numbers masked ([`redact`]), formulas neutralised.
//!
//! [`pipeline`] is the only module that knows this order and the threads; [`config`] holds
//! what is built once from the arguments ([`cli`]).

pub mod category;
pub mod cli;
pub mod config;
pub mod context;
pub mod error;
pub mod explain;
pub mod input;
pub mod lexicon;
pub mod lexicon_check;
pub mod matcher;
pub mod normalize;
pub mod pipeline;
pub mod privacy;
pub mod redact;
pub mod report;
pub mod score;
pub mod segment;
pub mod summary;
pub mod terminal;
pub mod transcript;

use std::io::Write;

use cli::{Cli, Command, LexiconCommand};
use config::ScanConfig;
pub use error::Error;

/// Problems printed on stderr at most; errors.csv has them all.
const STDERR_PROBLEMS: usize = 50;

/// How a successful run ends, as an exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything scanned.
    Clean,
    /// `--fail-on` reached.
    FailOn,
    /// Some input could not be scanned (the rest was).
    InputErrors,
}

impl Status {
    pub fn code(self) -> u8 {
        match self {
            Status::Clean => 0,
            Status::FailOn => 1,
            Status::InputErrors => 2,
        }
    }
}

/// Run one command. Messages for the user go to stderr here; `main` only maps the result.
pub fn run(cli: Cli) -> Result<Status, Error> {
    match cli.command {
        Command::Scan(args) => {
            let config = ScanConfig::from_args(args)?;
            if !config.report.redact {
                eprintln!(
                    "callrisk: warning: --no-redact: reports will contain unmasked phone, ID and bank-card numbers"
                );
            }
            let outcome = pipeline::scan(&config)?;
            // Every problem is in errors.csv; stderr gets the first ones, so a log with 100,000
            // bad lines does not flood a nightly job's mail.
            for problem in outcome.problems.iter().take(STDERR_PROBLEMS) {
                eprintln!("callrisk: {problem}");
            }
            let total = outcome.problems.len() + outcome.problems_not_kept;
            if total > STDERR_PROBLEMS {
                eprintln!(
                    "callrisk: … and {} more problems, all listed in {}",
                    total - STDERR_PROBLEMS,
                    config.out_dir.join("errors.csv").display()
                );
            }
            if !config.quiet {
                eprint!("{}", summary::render(&outcome));
            }
            Ok(if outcome.failed > 0 || outcome.line_problems > 0 {
                Status::InputErrors
            } else if outcome.fail_on_reached {
                Status::FailOn
            } else {
                Status::Clean
            })
        }
        Command::Explain(args) => {
            let dictionaries = &args.dictionaries;
            let engine = config::Engine::new(config::load_lexicon(&dictionaries.lexicon, !dictionaries.no_builtin)?);
            let parse = config::parse_config(&args.read)?;
            let options = explain::ExplainOptions {
                color: args.color.enabled(),
                verbose: args.verbose,
                redact: !args.no_redact,
            };
            let mut all_read = true;
            for path in &args.files {
                let input = if path.as_os_str() == "-" {
                    input::Input::stdin()
                } else {
                    input::Input::file(path.clone())
                };
                all_read &=
                    explain::explain(&input, &engine, &parse, &options).map_err(|source| Error::Output { source })?;
            }
            Ok(if all_read { Status::Clean } else { Status::InputErrors })
        }
        Command::Lexicon { command } => {
            let (dirs, builtin) = match &command {
                LexiconCommand::Test(a) | LexiconCommand::Check(a) | LexiconCommand::Terms(a) => {
                    (a.dirs.clone(), !a.no_builtin)
                }
            };
            let engine = config::Engine::new(config::load_lexicon(&dirs, builtin)?);
            let problems = match command {
                LexiconCommand::Test(_) => {
                    let report = lexicon_check::test_examples(&engine);
                    print!("{}", report.render());
                    report.failures.len()
                }
                LexiconCommand::Terms(_) => {
                    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
                    let written = engine
                        .lexicon
                        .terms()
                        .into_iter()
                        .try_for_each(|term| writeln!(out, "{term}"));
                    match written.and_then(|()| out.flush()) {
                        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                            return Err(Error::Output { source: e });
                        }
                        _ => 0,
                    }
                }
                LexiconCommand::Check(_) => {
                    let lints = lexicon_check::check(&engine);
                    for lint in &lints {
                        println!("{}: {}", lint.at, lint.message);
                    }
                    println!(
                        "lexicon check: {} rules, {} problems",
                        engine.lexicon.rules.len(),
                        lints.len()
                    );
                    lints.len()
                }
            };
            Ok(if problems == 0 { Status::Clean } else { Status::FailOn })
        }
    }
}
