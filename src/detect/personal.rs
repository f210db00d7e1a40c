//! The personal-number detector: a mobile, ID or card number or an e-mail address the agent
//! reads out is a `taboo.privacy` finding ([`crate::privacy`] finds and validates them).
//!
//! A number read out over two lines by the same speaker (138 1234 / 5678) is stitched here:
//! it is reported on the first line, where it starts.

use crate::category::{Category, Severity, Speaker};
use crate::lexicon::Lexicon;
use crate::normalize::Normalized;
use crate::privacy::{self, PersonalNumber};

use super::finding::{Dropped, Finding, Verdict};
use super::{Detector, Judged, Lines};

pub struct PersonalNumbers {
    severity: Severity,
    /// Numbers of the current line.
    found: Vec<PersonalNumber>,
}

impl PersonalNumbers {
    pub fn new(lexicon: &Lexicon) -> PersonalNumbers {
        PersonalNumbers {
            severity: lexicon.category(Category::TabooPrivacy).severity,
            found: Vec::new(),
        }
    }

    fn finding(&self, speaker: Speaker, text: &Normalized, number: &PersonalNumber) -> Finding {
        let verdict = if Category::TabooPrivacy.side().allows(speaker) {
            Verdict::Counted
        } else {
            Verdict::Dropped(Dropped::WrongSpeaker)
        };
        Finding {
            category: Category::TabooPrivacy,
            severity: self.severity,
            term: number.kind.term().to_string(),
            rule: None,
            span: text.original_range(number.start, number.end),
            normalized: number.start..number.end,
            verdict,
            conditional: false,
            count: None,
            personal: Some(number.kind),
            masked: Some(number.masked()),
            said: None,
        }
    }
}

/// `start..end` is a span of `s` on character boundaries.
fn fits(s: &str, start: usize, end: usize) -> bool {
    start <= end && end <= s.len() && s.is_char_boundary(start) && s.is_char_boundary(end)
}

impl Detector for PersonalNumbers {
    fn look(&mut self, lines: &Lines<'_>) -> bool {
        self.found = privacy::find(lines.text());
        !self.found.is_empty()
    }

    fn judge(&mut self, lines: &mut Lines<'_>, out: &mut Judged) {
        let speaker = lines.speaker();
        if !self.found.is_empty() {
            let text = lines.mapped();
            for number in self
                .found
                .iter()
                .filter(|n| n.validated && fits(&text.text, n.start, n.end))
            {
                out.push(self.finding(speaker, text, number));
            }
        }
        let split = lines
            .previous()
            .filter(|(_, before)| before.speaker == speaker)
            .is_some()
            && privacy::find_split(lines.previous_text(), lines.text()).is_some();
        if split && let Some((before, _)) = lines.previous() {
            let (first, second) = lines.previous_mapped();
            if let Some(number) = privacy::find_split(&first.text, second) {
                let finding = self.finding(speaker, first, &number);
                out.push_earlier(before, finding);
            }
        }
    }
}
