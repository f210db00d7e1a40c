//! callrisk: customer threats and agent taboos in Chinese customer-service transcripts.
//!
//! A transcript goes through the same stages every time, one module each:
//!
//! 1. [`input`]: find inputs (`walk`), decode bytes (`decode`), parse a format into
//!    [`transcript::Conversation`]s of utterances (`text`);
//! 2. [`normalize`]: traditional → simplified, full-width, case, spoken digits, separators,
//!    with a map back to the original characters;
//! 3. [`detect`]: the detectors, one kind of finding each, run line by line: the terms
//!    detector matches every lexicon term in the cheap normalised text ([`matcher`], one
//!    Aho-Corasick automaton built from [`lexicon`]) and confirms each in context ([`context`]:
//!    speaker, whole word ([`segment`], the jieba stage), negation, hypotheticals, quotes,
//!    other senses, conditions); the personal-number detector finds phone, ID, card numbers
//!    and e-mail addresses ([`privacy`]);
//! 4. [`score`]: risk level, score, categories and escalation per conversation;
//! 5. [`report`]: the reports behind one trait (CSV, the workbook, the page, JSON Lines), each
//!    record masked once ([`redact`]) before any report sees it, every finding with a stable
//!    `hit_id`;
//! 6. [`review`]: QA's `tp`/`fp` read back (`callrisk review import`) into `[[exclude]]`s of a
//!    dictionary folder, which stage 3 then reports as not counted (`reviewed-fp`).
//!
//! With `--ledger`, [`ledger`] remembers each customer's complaints across nights, and the
//! pipeline counts the night through it before the reports are written (a repeat complaint
//! is a finding of [`detect::repeat`]).
//!
//! [`pipeline`] is the only module that knows this order and the threads; [`config`] holds
//! what is built once from the arguments ([`cli`]).

pub mod category;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod context;
pub mod detect;
pub mod error;
pub mod explain;
pub mod guard;
pub mod input;
pub mod ledger;
pub mod lexicon;
pub mod lexicon_check;
pub mod matcher;
pub mod messages;
pub mod normalize;
pub mod pattern;
pub mod pipeline;
pub mod privacy;
pub mod redact;
pub mod report;
pub mod review;
pub mod score;
pub mod scorecard;
pub mod script;
pub mod segment;
pub mod shard;
pub mod summary;
pub mod terminal;
pub mod transcript;

use cli::{Cli, Command};
pub use error::Error;

/// How a successful run ends, as an exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything scanned.
    Clean,
    /// `--fail-on` reached (scan), or a figure below `--min-precision`/`--min-recall` (eval).
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

/// Run one command: each lives in its own file under [`cmd`].
pub fn run(cli: Cli) -> Result<Status, Error> {
    match cli.command {
        Command::Scan(args) => cmd::scan::run(args),
        Command::Explain(args) => cmd::explain::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Merge(args) => cmd::merge::run(args),
        Command::Lexicon { command } => cmd::lexicon::run(command),
        Command::Ledger { command } => cmd::ledger::run(command),
        Command::Review { command } => cmd::review::run(command),
    }
}
