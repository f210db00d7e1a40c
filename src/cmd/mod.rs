//! One file per subcommand (as xsv's `src/cmd/`): each turns its parsed arguments into a
//! run of the stages and an exit [`Status`](crate::Status). `lib.rs` only dispatches.

pub mod eval;
pub mod explain;
pub mod ledger;
pub mod lexicon;
pub mod merge;
pub mod review;
pub mod scan;
