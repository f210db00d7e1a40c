//! Work a parser may hand to other threads: the pipeline lends its scan workers to the thread
//! that streams a large input, so the costly part of parsing (JSON Lines records into
//! messages) runs on every worker while that thread only reads lines and groups messages.
//!
//! Promise: a job is always run, exactly once — on a worker if one can take it, else at once
//! on the caller's thread — so a parser never waits for a job that nobody will run. What a job
//! computes comes back through a channel of the parser's own, and the parser takes results in
//! the order it made the jobs, so what it emits does not depend on which thread ran what.

/// A unit of work handed to another thread.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// Where a parser's jobs run.
pub trait Offload {
    /// Run `job`, on another thread if there is one to take it, else here before returning.
    fn run(&self, job: Job);
    /// Jobs worth keeping in flight at once; 1 means jobs run in turn on the caller's thread,
    /// and a parser had better do the work itself, without a job.
    fn width(&self) -> usize;
}

/// Everything on the caller's thread (small files, `explain`, tests, fuzzing).
pub struct Inline;

impl Offload for Inline {
    fn run(&self, job: Job) {
        job()
    }

    fn width(&self) -> usize {
        1
    }
}
