//! The sixteen category ids of `RISK_CATEGORIES.md`, their severities, and which side of a call
//! may say them. Reports, tests and downstream jobs key on these ids, so they never change.

use std::fmt;
use std::str::FromStr;

/// Who said an utterance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Speaker {
    Agent,
    Customer,
    /// No label, or a label nobody mapped: findings of both sides are still reported.
    #[default]
    Unknown,
}

impl Speaker {
    pub fn id(self) -> &'static str {
        match self {
            Speaker::Agent => "agent",
            Speaker::Customer => "customer",
            Speaker::Unknown => "unknown",
        }
    }
}

/// A threat is counted only in the customer's words, a taboo only in the agent's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Threat,
    Taboo,
}

impl Side {
    /// Whether a finding of this side counts when `speaker` says it.
    pub fn allows(self, speaker: Speaker) -> bool {
        matches!(
            (self, speaker),
            (_, Speaker::Unknown) | (Side::Threat, Speaker::Customer) | (Side::Taboo, Speaker::Agent)
        )
    }
}

macro_rules! categories {
    ($($variant:ident => $id:literal, $side:ident;)*) => {
        /// One of the sixteen risk categories.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Category { $($variant,)* }

        impl Category {
            /// Every category, in the order of `RISK_CATEGORIES.md` (and of report columns).
            pub const ALL: [Category; 16] = [$(Category::$variant,)*];

            /// The stable id, e.g. `threat.media`.
            pub fn id(self) -> &'static str {
                match self { $(Category::$variant => $id,)* }
            }

            pub fn side(self) -> Side {
                match self { $(Category::$variant => Side::$side,)* }
            }
        }
    };
}

categories! {
    ThreatRegulator => "threat.regulator", Threat;
    ThreatMedia => "threat.media", Threat;
    ThreatOnline => "threat.online", Threat;
    ThreatProtest => "threat.protest", Threat;
    ThreatLegal => "threat.legal", Threat;
    ThreatManagement => "threat.management", Threat;
    ThreatSafety => "threat.safety", Threat;
    ThreatRepeat => "threat.repeat", Threat;
    ThreatExtreme => "threat.extreme", Threat;
    TabooOverpromise => "taboo.overpromise", Taboo;
    TabooAdmitDefect => "taboo.admit_defect", Taboo;
    TabooPrivacy => "taboo.privacy", Taboo;
    TabooImpatience => "taboo.impatience", Taboo;
    TabooWithdraw => "taboo.withdraw", Taboo;
    TabooIncite => "taboo.incite", Taboo;
    TabooDeflect => "taboo.deflect", Taboo;
}

impl Category {
    /// Position in [`Category::ALL`], for per-category counters.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The taboo categories, in report-column order.
    pub fn taboos() -> impl Iterator<Item = Category> {
        Category::ALL.into_iter().filter(|c| c.side() == Side::Taboo)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A category id that is not one of the sixteen, with the closest real one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCategory {
    pub given: String,
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for UnknownCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown category `{}`", self.given)?;
        match self.suggestion {
            Some(s) => write!(f, " (did you mean {s}?)"),
            None => write!(f, " (the ids are listed in dictionaries/README.md)"),
        }
    }
}

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        if let Some(c) = Category::ALL.into_iter().find(|c| c.id() == wanted) {
            return Ok(c);
        }
        let suggestion = Category::ALL
            .into_iter()
            .map(|c| (edit_distance(c.id(), wanted), c.id()))
            .min()
            .filter(|(d, _)| *d <= 4)
            .map(|(_, id)| id);
        Err(UnknownCategory {
            given: wanted.to_string(),
            suggestion,
        })
    }
}

/// Levenshtein distance over chars, for "did you mean"; names are short, so the quadratic
/// table is fine.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// How urgent a finding is. Ordered: `Low < Medium < High < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::Low, Severity::Medium, Severity::High, Severity::Critical];

    pub fn id(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Points a finding of this severity adds to a conversation's score.
    pub fn weight(self) -> u32 {
        match self {
            Severity::Low => 1,
            Severity::Medium => 3,
            Severity::High => 6,
            Severity::Critical => 10,
        }
    }

    /// One level up, for conditional threats ("不解决我就…"); critical stays critical.
    pub fn raised(self) -> Severity {
        match self {
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            Severity::High | Severity::Critical => Severity::Critical,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Severity::ALL
            .into_iter()
            .find(|v| v.id() == wanted)
            .ok_or_else(|| format!("unknown severity `{s}` (use low, medium, high or critical)"))
    }
}

/// Serialized as their stable ids (`threat.media`, `high`, `agent`), as every report shows
/// them: the records a shard keeps for `callrisk merge` read back the same on any machine.
macro_rules! serde_by_id {
    ($($ty:ident: $all:expr;)*) => {$(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.id())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let id = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                $all.into_iter()
                    .find(|v| v.id() == id)
                    .ok_or_else(|| serde::de::Error::custom(format!("unknown {} `{id}`", stringify!($ty))))
            }
        }
    )*};
}

serde_by_id! {
    Category: Category::ALL;
    Severity: Severity::ALL;
    Speaker: [Speaker::Agent, Speaker::Customer, Speaker::Unknown];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_round_trips() {
        for c in Category::ALL {
            assert_eq!(c.id().parse::<Category>().unwrap(), c);
        }
    }

    #[test]
    fn misspelt_category_suggests_the_real_one() {
        let err = "threat.medai".parse::<Category>().unwrap_err();
        assert_eq!(err.suggestion, Some("threat.media"));
        assert!(err.to_string().contains("did you mean threat.media?"));
    }

    #[test]
    fn speaker_rule() {
        assert!(Side::Threat.allows(Speaker::Customer));
        assert!(!Side::Threat.allows(Speaker::Agent));
        assert!(Side::Taboo.allows(Speaker::Agent));
        assert!(!Side::Taboo.allows(Speaker::Customer));
        assert!(Side::Taboo.allows(Speaker::Unknown));
    }

    #[test]
    fn conditional_raises_one_level() {
        assert_eq!(Severity::Medium.raised(), Severity::High);
        assert_eq!(Severity::Critical.raised(), Severity::Critical);
        assert!(Severity::Low < Severity::Critical);
    }
}
