//! The order in which conversations should be looked at: worst risk level first, then the
//! highest score, then input order (so two runs rank alike). Kept as two small numbers per
//! conversation, so a night of a million conversations costs a few megabytes.

use crate::category::Severity;

#[derive(Default)]
pub struct Ranking {
    /// Per conversation in input order: risk level (0 none … 4 critical) and score.
    keys: Vec<(u8, u32)>,
}

impl Ranking {
    /// The next conversation in input order.
    pub fn add(&mut self, risk: Option<Severity>, score: u32) {
        let level = risk.map_or(0, |s| s as u8 + 1);
        self.keys.push((level, score));
    }

    /// Conversation numbers (input order, from 0), most urgent first.
    pub fn order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.keys.len() as u32).collect();
        // Stable: equal keys keep input order.
        order.sort_by(|&a, &b| self.keys[b as usize].cmp(&self.keys[a as usize]));
        order
    }

    /// Each conversation's rank (1 = look at it first), in input order.
    pub fn ranks(&self) -> Vec<u32> {
        let mut ranks = vec![0; self.keys.len()];
        for (place, &conversation) in self.order().iter().enumerate() {
            ranks[conversation as usize] = place as u32 + 1;
        }
        ranks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_risk_comes_first_then_the_score_then_input_order() {
        let mut ranking = Ranking::default();
        for (risk, score) in [
            (None, 0),
            (Some(Severity::High), 30),
            (Some(Severity::Critical), 10),
            (Some(Severity::High), 30),
            (Some(Severity::Critical), 22),
        ] {
            ranking.add(risk, score);
        }
        assert_eq!(ranking.order(), [4, 2, 1, 3, 0]);
        assert_eq!(ranking.ranks(), [5, 3, 2, 4, 1]);
    }
}
