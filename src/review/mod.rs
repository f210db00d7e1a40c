//! The review loop: QA marks findings right (`tp`) or wrong (`fp`), and the dictionaries learn.
//!
//! 1. Every finding carries a stable [`hit_id`] (hits.csv, the workbook, `--json`), with empty
//!    `review` and `review_note` columns for QA to fill.
//! 2. `callrisk review import` ([`import`]) reads those columns back from hits.csv or
//!    report.xlsx, keeps every review in `DIR/reviews.csv`, turns each `fp` into the narrowest
//!    [`exclusion`] (`[[exclude]]`: the matched words with a few characters either side, digits
//!    masked) and writes per-rule precision to `DIR/rules.csv`.
//! 3. A rescan with `--lexicon DIR` reports an excluded finding as not counted, reason
//!    `reviewed-fp` ([`exclusion::apply`]); `lexicon check` warns of exclusions that no longer
//!    match anything ([`exclusion::stale`]).
//!
//! Promise: nothing here stores or shows a personal number in clear: ids are hashes of masked
//! text, contexts keep their digits as `*`, notes are masked.

pub mod exclusion;
pub mod hit_id;
pub mod import;

pub use hit_id::hit_id;
