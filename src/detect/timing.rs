//! The timing detector: silences the agent did not announce, the agent talking over the
//! customer, and the agent's speech rate, from the utterances' start and end times.
//!
//! Only utterances with both a start and an end are measured; a conversation without them (a
//! chat, a transcript with start times only) gets [`Outcome::NotApplicable`] for every measure:
//! a time is never guessed. Thresholds come from `[timing]` in `script.toml`.
//!
//! - `timing.silence`: nobody speaking for `silence_seconds` or more, unless the agent's last
//!   turn before the gap holds a hold word (请稍等, 帮您查一下); one finding per silence, at the
//!   line after it, with its length.
//! - `timing.overtalk`: an agent utterance starting `overtalk_seconds` or more before the
//!   customer's utterance before it ends; one finding per overlap, at the agent's line.
//! - `timing.speech_rate`: the agent's characters per minute over all their timed speech,
//!   outside the band; measured from `speech_rate_min_seconds` of speech.

use crate::category::Speaker;
use crate::normalize::normalize;
use crate::script::TimingSettings;
use crate::transcript::{Conversation, Utterance};

use super::finding::{Check, Outcome};
use super::{Detector, Judged, Lines};

/// Lines before a silence where the agent's announcement of it may stand.
const ANNOUNCEMENT_REACH: usize = 2;

pub struct Timing<'e> {
    settings: &'e TimingSettings,
}

impl<'e> Timing<'e> {
    pub fn new(settings: &'e TimingSettings) -> Timing<'e> {
        Timing { settings }
    }
}

impl Detector for Timing<'_> {
    fn look(&mut self, _: &Lines<'_>) -> bool {
        false
    }

    fn judge(&mut self, _: &mut Lines<'_>, _: &mut Judged) {}

    fn finish(&mut self, conversation: &Conversation, out: &mut Judged) {
        for check in measure(conversation, self.settings) {
            out.check(check);
        }
    }
}

/// An utterance with both times, as (index, start, end), end never before start.
fn timed(utterances: &[Utterance]) -> Vec<(usize, u64, u64)> {
    utterances
        .iter()
        .enumerate()
        .filter_map(|(i, u)| Some((i, u.start_ms?, u.end_ms?.max(u.start_ms?))))
        .collect()
}

/// Characters a listener hears: no spaces or punctuation.
fn spoken_chars(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

/// Milliseconds into the call as `hh:mm:ss.s`.
fn clock(ms: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}.{}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000 / 100
    )
}

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

/// Every timing check of a conversation.
pub fn measure(conversation: &Conversation, settings: &TimingSettings) -> Vec<Check> {
    let utterances = &conversation.utterances;
    let timed = timed(utterances);
    let not_applicable = |id: &str| Check {
        id: id.to_string(),
        outcome: Outcome::NotApplicable,
        utterance: None,
        at_ms: None,
        duration_ms: None,
        detail: "no start and end times in this input".into(),
    };
    if timed.len() < 2 {
        return ["timing.silence", "timing.overtalk", "timing.speech_rate"]
            .into_iter()
            .map(not_applicable)
            .collect();
    }
    let mut checks = Vec::new();
    let met = |id: &str, detail: String| Check {
        id: id.to_string(),
        outcome: Outcome::Met,
        utterance: None,
        at_ms: None,
        duration_ms: None,
        detail,
    };

    // Silences: gaps after the latest end so far (an utterance inside another is no gap).
    let silence_ms = (settings.silence_seconds * 1000.0) as u64;
    let mut silences = Vec::new();
    let mut latest_end = timed[0].2;
    for window in timed.windows(2) {
        let (before, (index, start, end)) = (window[0], window[1]);
        let gap = start.saturating_sub(latest_end);
        if silence_ms > 0 && gap >= silence_ms {
            // Announced: the agent's last line before the gap (the line just before it, or the
            // one before that when the customer only said 好的 in between) holds a hold word.
            let agent_before = (before.0.saturating_sub(ANNOUNCEMENT_REACH)..=before.0)
                .rev()
                .find(|&a| may_be_agent(&utterances[a]));
            let announced = agent_before.is_some_and(|a| {
                let text = normalize(&utterances[a].text).text;
                settings.hold_words.iter().any(|w| text.contains(w.as_str()))
            });
            if !announced {
                silences.push(Check {
                    id: "timing.silence".into(),
                    outcome: Outcome::Missed,
                    utterance: Some(index),
                    at_ms: Some(latest_end),
                    duration_ms: Some(gap),
                    detail: format!("{} of silence from {}, not announced", seconds(gap), clock(latest_end)),
                });
            }
        }
        latest_end = latest_end.max(end);
    }
    match silences.is_empty() {
        true => checks.push(met(
            "timing.silence",
            format!("no unannounced silence of {} or more", seconds(silence_ms)),
        )),
        false => checks.extend(silences),
    }

    // Overtalk and speech rate need the sides: without timed lines of both, they say nothing.
    let timed_by = |speaker: Speaker| timed.iter().any(|(i, _, _)| utterances[*i].speaker == speaker);
    let sides = |id: &str, who: &str| Check {
        detail: format!("no timed lines of {who}"),
        ..not_applicable(id)
    };
    let both_sides = timed_by(Speaker::Agent) && timed_by(Speaker::Customer);
    if !both_sides {
        checks.push(sides("timing.overtalk", "both the agent and the customer"));
        if !timed_by(Speaker::Agent) {
            checks.push(sides("timing.speech_rate", "the agent"));
            return checks;
        }
    }
    // Overtalk: the agent starting before the customer's utterance just before has ended.
    let overtalk_ms = (settings.overtalk_seconds * 1000.0) as u64;
    let mut overtalks = Vec::new();
    for window in timed.windows(2) {
        let ((customer, _, customer_end), (agent, agent_start, _)) = (window[0], window[1]);
        let overlap = customer_end.saturating_sub(agent_start);
        if utterances[customer].speaker == Speaker::Customer
            && utterances[agent].speaker == Speaker::Agent
            && overlap > 0
            && overlap >= overtalk_ms
        {
            overtalks.push(Check {
                id: "timing.overtalk".into(),
                outcome: Outcome::Missed,
                utterance: Some(agent),
                at_ms: Some(agent_start),
                duration_ms: Some(overlap),
                detail: format!("the agent spoke {} before the customer finished", seconds(overlap)),
            });
        }
    }
    if !both_sides {
        // Not applicable, said above.
    } else if overtalks.is_empty() {
        checks.push(met(
            "timing.overtalk",
            "the agent never talked over the customer".into(),
        ));
    } else {
        let longest = overtalks.iter().filter_map(|c| c.duration_ms).max().unwrap_or(0);
        let count = overtalks.len();
        for c in &mut overtalks {
            c.detail
                .push_str(&format!(" ({count} in the call, longest {})", seconds(longest)));
        }
        checks.extend(overtalks);
    }

    // Speech rate over all the agent's timed speech.
    let (chars, ms) = timed
        .iter()
        .filter(|(i, _, _)| utterances[*i].speaker == Speaker::Agent)
        .fold((0usize, 0u64), |(c, t), &(i, start, end)| {
            (c + spoken_chars(&utterances[i].text), t + (end - start))
        });
    let (low, high) = settings.speech_rate;
    if (ms as f64) < settings.speech_rate_min_seconds * 1000.0 || ms == 0 {
        checks.push(Check {
            detail: format!("{} of agent speech: too little to measure a rate", seconds(ms)),
            ..not_applicable("timing.speech_rate")
        });
    } else {
        let rate = chars as f64 * 60_000.0 / ms as f64;
        let band = format!("{rate:.0} characters a minute (band {low:.0}–{high:.0})");
        if rate < low || rate > high {
            checks.push(Check {
                id: "timing.speech_rate".into(),
                outcome: Outcome::Missed,
                utterance: None,
                at_ms: None,
                duration_ms: Some(ms),
                detail: format!("{} {band}", if rate < low { "too slow:" } else { "too fast:" }),
            });
        } else {
            checks.push(met("timing.speech_rate", band));
        }
    }
    checks
}

fn may_be_agent(u: &Utterance) -> bool {
    matches!(u.speaker, Speaker::Agent | Speaker::Unknown)
}

/// The call's length, from its first start to its last end, when the input has times.
pub fn duration_ms(conversation: &Conversation) -> Option<u64> {
    let first = conversation.utterances.iter().filter_map(|u| u.start_ms).min()?;
    let last = conversation
        .utterances
        .iter()
        .filter_map(|u| u.end_ms.or(u.start_ms))
        .max()?;
    Some(last.saturating_sub(first))
}
