//! Cadence: how many days a relationship may go without contact before the KAM should get in
//! touch, per person, and when a silent relationship is *suggested* as `cooling`.
//!
//! A person's cadence is derived from three things (defaults, all in the `[cadence]` section of
//! the config file):
//!
//! | what | default |
//! |---|---|
//! | the account tier's base: A / B / C / no tier or no account | 30 / 60 / 90 / 90 days |
//! | influence 5 | × 50 % (`influence_5`) |
//! | influence 4 | × 75 % (`influence_4`) |
//! | influence 3 or unknown | × 100 % |
//! | influence 1–2 | × 150 % (`influence_low`) |
//! | stage `cooling` (win them back) | × 50 % (`cooling`) |
//! | stage `lost` | no cadence |
//!
//! rounded to whole days, at least 1. A person's own cadence (`kam person edit --cadence 21`)
//! replaces the derived one outright, whatever the stage. It is measured from when they were last
//! *seen* (`last_contact`: a meeting, visit, call, meal or event they took part in; an e-mail,
//! a message, a note or a mention does not reset it, see `crate::domain::contact`); someone is
//! *due* when more calendar days than their cadence have passed since then, or when they were
//! never seen.
//!
//! An `identified` person (the seed's first duty: make contact with every VIP and KOL) is due
//! for a first contact from the day they were identified, and *overdue* once their cadence has
//! passed since that day ([`ContactDue::FirstContact`]).
//!
//! Cooling: a person in `acquainted`, `loyal`, `close` or `advocate` silent for more than
//! `cooling_after` % of their cadence (default 200 %: twice the cadence) is suggested as `cooling`.
//! The suggestion is shown (person dossier, agenda); the stage only moves when the KAM accepts it.

use serde::Serialize;

use crate::domain::{PersonStage, Tier};

/// The longest own cadence a person can be given, in days (ten years).
pub const MAX_OWN_CADENCE: u32 = 3650;

/// The `x-` key of a person's own cadence in the notebook and in JSON Lines files (FORMAT.md
/// has no cadence field, so it travels as extension data).
pub const OWN_CADENCE_KEY: &str = "x-cadence_days";

pub use crate::config::CadenceConfig;

/// What a person's cadence is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CadenceOf {
    pub tier: Option<Tier>,
    pub influence: Option<u8>,
    pub stage: Option<PersonStage>,
    /// The person's own cadence, when set.
    pub own: Option<u32>,
}

impl CadenceConfig {
    /// The base cadence of a tier, in days.
    pub fn base(&self, tier: Option<Tier>) -> u32 {
        match tier {
            Some(Tier::A) => self.a,
            Some(Tier::B) => self.b,
            Some(Tier::C) => self.c,
            None => self.untiered,
        }
    }

    /// The cadence of a person in days; `None` = not tracked (lost).
    pub fn person(&self, of: CadenceOf) -> Option<u32> {
        if let Some(own) = of.own {
            return Some(own.clamp(1, MAX_OWN_CADENCE));
        }
        let stage_pct = match of.stage {
            Some(PersonStage::Lost) => return None,
            Some(PersonStage::Cooling) => self.cooling,
            _ => 100,
        };
        let influence_pct = match of.influence {
            Some(5) => self.influence_5,
            Some(4) => self.influence_4,
            Some(1 | 2) => self.influence_low,
            _ => 100,
        };
        let base = self.base(of.tier);
        // u32 × u32 × u32 cannot overflow u128; the settings file bounds them far lower anyway.
        let days = u128::from(base) * u128::from(influence_pct) * u128::from(stage_pct);
        // Rounded to the nearest day; at least one unless the base itself is 0 ("every day").
        let days = u32::try_from((days + 5_000) / 10_000).unwrap_or(u32::MAX);
        Some(if base == 0 { 0 } else { days.max(1) })
    }

    /// The shortest cadence a key person (influence 4–5) without an own cadence can get: how
    /// recent a contact the agenda's walk must still look at.
    pub fn shortest_key(&self) -> u32 {
        [Some(Tier::A), Some(Tier::B), Some(Tier::C), None]
            .into_iter()
            .flat_map(|tier| {
                [4, 5].into_iter().flat_map(move |influence| {
                    [None, Some(PersonStage::Cooling)].map(|stage| CadenceOf {
                        tier,
                        influence: Some(influence),
                        stage,
                        own: None,
                    })
                })
            })
            .filter_map(|of| self.person(of))
            .min()
            .unwrap_or(1)
    }

    /// Whether `stage`, silent for `days_silent` with this `cadence`, should be suggested as
    /// `cooling`. Never contacted is not cooling: nothing warm to lose yet.
    pub fn suggests_cooling(
        &self,
        stage: Option<PersonStage>,
        cadence: Option<u32>,
        days_silent: Option<i64>,
    ) -> bool {
        let warm = matches!(
            stage,
            Some(
                PersonStage::Acquainted
                    | PersonStage::Loyal
                    | PersonStage::Close
                    | PersonStage::Advocate
            )
        );
        match (cadence, days_silent) {
            (Some(c), Some(d)) if warm => {
                d * 100 > i64::from(c) * i64::from(self.cooling_after.max(100))
            }
            _ => false,
        }
    }
}

/// Where a person stands against their cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ContactDue {
    /// No cadence: lost.
    NotTracked,
    /// Never contacted, and tracked.
    Never { cadence: u32 },
    /// Contact due in `days` (0 = today is the last day).
    In { cadence: u32, days: i64 },
    /// Past the cadence by `days`.
    Overdue { cadence: u32, days: i64 },
    /// Identified `days` ago and never seen: a first contact is due, overdue past `cadence`.
    FirstContact { cadence: u32, days: i64 },
}

impl ContactDue {
    /// Where a person with `cadence`, silent for `days_silent` calendar days, stands.
    pub fn of(cadence: Option<u32>, days_silent: Option<i64>) -> ContactDue {
        match (cadence, days_silent) {
            (None, _) => ContactDue::NotTracked,
            (Some(cadence), None) => ContactDue::Never { cadence },
            (Some(cadence), Some(d)) => {
                let left = i64::from(cadence) - d;
                if left < 0 {
                    ContactDue::Overdue {
                        cadence,
                        days: -left,
                    }
                } else {
                    ContactDue::In {
                        cadence,
                        days: left,
                    }
                }
            }
        }
    }

    /// Where an identified person, never seen, stands `days_identified` days after they were
    /// identified; without a cadence (lost) or a known day, as [`ContactDue::of`] says.
    pub fn first(cadence: Option<u32>, days_identified: Option<i64>) -> ContactDue {
        match (cadence, days_identified) {
            (Some(cadence), Some(days)) => ContactDue::FirstContact {
                cadence,
                days: days.max(0),
            },
            (cadence, _) => ContactDue::of(cadence, None),
        }
    }

    /// Contact is due (past the cadence, never made, or a first contact to make).
    pub fn is_due(self) -> bool {
        matches!(
            self,
            ContactDue::Never { .. } | ContactDue::Overdue { .. } | ContactDue::FirstContact { .. }
        )
    }

    /// Days past due, for a red flag: `Some(0..)` when overdue (never seen counts as
    /// overdue, a first contact only once its cadence has passed since it was identified).
    pub fn days_late(self) -> Option<i64> {
        match self {
            ContactDue::Never { .. } => Some(i64::MAX),
            ContactDue::Overdue { days, .. } => Some(days),
            ContactDue::FirstContact { cadence, days } if days > i64::from(cadence) => {
                Some(days - i64::from(cadence))
            }
            _ => None,
        }
    }

    /// "every 15 days · due in 3 days", "every 15 days · 12 days overdue", "not tracked".
    pub fn describe(self) -> String {
        match self {
            ContactDue::NotTracked => "no cadence (lost)".into(),
            ContactDue::Never { cadence } => format!("every {cadence} days · never contacted"),
            ContactDue::In { cadence, days: 0 } => format!("every {cadence} days · due today"),
            ContactDue::In { cadence, days } => {
                format!("every {cadence} days · due in {}", span(days))
            }
            ContactDue::Overdue { cadence, days } => {
                format!("every {cadence} days · {} overdue", span(days))
            }
            ContactDue::FirstContact { cadence, days } if days > i64::from(cadence) => format!(
                "identified {} ago · first contact {} overdue",
                span(days),
                span(days - i64::from(cadence))
            ),
            ContactDue::FirstContact { cadence, days } => format!(
                "identified {} ago · first contact due within {}",
                span(days),
                span(i64::from(cadence) - days)
            ),
        }
    }
}

/// Where a person stands with the KAM: their cadence, whether contact is due, and whether the
/// relationship is suggested as `cooling`. What the dossiers show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// Days; `None` = not tracked.
    pub cadence: Option<u32>,
    /// The cadence is the person's own (`x-cadence_days`), not derived.
    pub own: bool,
    pub due: ContactDue,
    /// Calendar days since the last done interaction; `None` = never.
    pub days_silent: Option<i64>,
    pub suggest_cooling: bool,
}

impl CadenceConfig {
    /// The standing of `person` (in an account of `tier`), last contacted at `last_contact`
    /// (unix seconds), as seen on `today` in `tz`.
    pub fn standing<Tz: chrono::TimeZone>(
        &self,
        person: &crate::domain::Person,
        tier: Option<Tier>,
        last_contact: Option<i64>,
        tz: &Tz,
        today: chrono::NaiveDate,
    ) -> Standing {
        let own = own_cadence(&person.extra);
        let cadence = self.person(CadenceOf {
            tier,
            influence: person.influence,
            stage: person.stage,
            own,
        });
        let days_silent = last_contact.and_then(|t| crate::when::days_since(tz, today, t));
        Standing {
            cadence,
            own: own.is_some(),
            due: ContactDue::of(cadence, days_silent),
            days_silent,
            suggest_cooling: self.suggests_cooling(person.stage, cadence, days_silent),
        }
    }
}

/// When the record entered its current stage: the latest change of `history` (oldest first) to
/// `current`. `None` when the history does not say (set before history was kept, or imported).
pub fn in_stage_since(
    history: &[crate::domain::StageChange],
    current: &str,
) -> Option<crate::domain::Timestamp> {
    history.iter().rev().find(|c| c.to == current).map(|c| c.at)
}

/// The reason recorded when the KAM accepts a cooling suggestion.
pub fn cooling_reason(days_silent: i64) -> String {
    format!("no contact for {days_silent} days")
}

/// A stretch of days as a person says it: "1 day", "12 days", "5 weeks", "4 months", "2 years".
pub fn span(days: i64) -> String {
    let days = days.max(0);
    let (n, unit) = match days {
        0..=20 => (days, "day"),
        21..=62 => (days / 7, "week"),
        63..=729 => (days / 30, "month"),
        _ => (days / 365, "year"),
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A person's own cadence, from their extension data (`x-cadence_days`): a whole number of days
/// from 1 to [`MAX_OWN_CADENCE`]; anything else is ignored.
pub fn own_cadence(extra: &crate::domain::Extra) -> Option<u32> {
    extra
        .get(OWN_CADENCE_KEY)
        .and_then(serde_json::Value::as_u64)
        .and_then(|d| u32::try_from(d).ok())
        .filter(|d| (1..=MAX_OWN_CADENCE).contains(d))
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn of(tier: Option<Tier>, influence: Option<u8>, stage: Option<PersonStage>) -> CadenceOf {
        CadenceOf {
            tier,
            influence,
            stage,
            own: None,
        }
    }

    #[rstest]
    #[case(of(Some(Tier::A), Some(3), None), Some(30))]
    #[case(of(Some(Tier::A), None, Some(PersonStage::Loyal)), Some(30))]
    #[case(of(Some(Tier::A), Some(5), None), Some(15))]
    #[case(of(Some(Tier::A), Some(4), None), Some(23))] // 22.5 rounds up
    #[case(of(Some(Tier::B), Some(4), None), Some(45))]
    #[case(of(Some(Tier::C), Some(2), None), Some(135))]
    #[case(of(None, Some(1), None), Some(135))]
    #[case(of(Some(Tier::A), Some(5), Some(PersonStage::Cooling)), Some(8))] // 7.5
    // Identified: tracked from the day they were identified, like anyone else.
    #[case(of(Some(Tier::A), Some(5), Some(PersonStage::Identified)), Some(15))]
    #[case(of(Some(Tier::B), Some(3), Some(PersonStage::Lost)), None)]
    fn cadence_follows_tier_influence_and_stage(
        #[case] input: CadenceOf,
        #[case] expected: Option<u32>,
    ) {
        assert_eq!(CadenceConfig::default().person(input), expected);
    }

    #[test]
    fn an_own_cadence_wins_even_for_a_lost_person() {
        let rules = CadenceConfig::default();
        let mut input = of(Some(Tier::A), Some(5), Some(PersonStage::Lost));
        input.own = Some(21);
        assert_eq!(rules.person(input), Some(21));
        input.own = Some(0);
        assert_eq!(rules.person(input), Some(1));
    }

    #[test]
    fn config_factors_apply_and_never_reach_zero() {
        let rules = CadenceConfig {
            a: 10,
            influence_5: 1,
            ..CadenceConfig::default()
        };
        assert_eq!(rules.person(of(Some(Tier::A), Some(5), None)), Some(1));
        assert_eq!(rules.shortest_key(), 1);
        assert_eq!(CadenceConfig::default().shortest_key(), 8);
    }

    /// Rules built in code (not through the checked settings file) never overflow.
    #[test]
    fn extreme_factors_saturate_instead_of_overflowing() {
        let rules = CadenceConfig {
            a: u32::MAX,
            influence_5: u32::MAX,
            cooling: u32::MAX,
            ..CadenceConfig::default()
        };
        let cooling = CadenceOf {
            stage: Some(PersonStage::Cooling),
            ..of(Some(Tier::A), Some(5), None)
        };
        assert_eq!(rules.person(cooling), Some(u32::MAX));
    }

    #[rstest]
    #[case(Some(30), Some(29), ContactDue::In { cadence: 30, days: 1 })]
    #[case(Some(30), Some(30), ContactDue::In { cadence: 30, days: 0 })]
    #[case(Some(30), Some(31), ContactDue::Overdue { cadence: 30, days: 1 })]
    #[case(Some(30), None, ContactDue::Never { cadence: 30 })]
    #[case(None, Some(400), ContactDue::NotTracked)]
    fn due_is_more_days_than_the_cadence(
        #[case] cadence: Option<u32>,
        #[case] silent: Option<i64>,
        #[case] expected: ContactDue,
    ) {
        assert_eq!(ContactDue::of(cadence, silent), expected);
        assert_eq!(
            ContactDue::of(cadence, silent).is_due(),
            matches!(
                expected,
                ContactDue::Overdue { .. } | ContactDue::Never { .. }
            )
        );
    }

    /// An identified key person is due for a first contact from the day they were identified
    /// (on the due list at once) and late only once their cadence has passed since then.
    #[rstest]
    #[case(
        Some(15),
        Some(0),
        true,
        None,
        "identified 0 days ago · first contact due within 15 days"
    )]
    #[case(
        Some(15),
        Some(15),
        true,
        None,
        "identified 15 days ago · first contact due within 0 days"
    )]
    #[case(
        Some(15),
        Some(16),
        true,
        Some(1),
        "identified 16 days ago · first contact 1 day overdue"
    )]
    #[case(
        Some(15),
        None,
        true,
        Some(i64::MAX),
        "every 15 days · never contacted"
    )]
    #[case(None, Some(90), false, None, "no cadence (lost)")]
    fn an_identified_person_is_due_for_a_first_contact(
        #[case] cadence: Option<u32>,
        #[case] days: Option<i64>,
        #[case] due: bool,
        #[case] late: Option<i64>,
        #[case] text: &str,
    ) {
        let first = ContactDue::first(cadence, days);
        assert_eq!(
            (first.is_due(), first.days_late(), first.describe().as_str()),
            (due, late, text)
        );
    }

    #[test]
    fn due_reads_like_a_dossier_line() {
        assert_eq!(
            ContactDue::of(Some(15), Some(12)).describe(),
            "every 15 days · due in 3 days"
        );
        assert_eq!(
            ContactDue::of(Some(15), Some(40)).describe(),
            "every 15 days · 3 weeks overdue"
        );
        assert_eq!(
            ContactDue::of(Some(15), Some(15)).describe(),
            "every 15 days · due today"
        );
    }

    #[rstest]
    #[case(Some(PersonStage::Loyal), Some(30), Some(61), true)]
    #[case(Some(PersonStage::Loyal), Some(30), Some(60), false)] // exactly twice: not yet
    #[case(Some(PersonStage::Advocate), Some(30), Some(100), true)]
    #[case(Some(PersonStage::Contacted), Some(30), Some(100), false)]
    #[case(Some(PersonStage::Cooling), Some(15), Some(100), false)]
    #[case(None, Some(30), Some(100), false)]
    #[case(Some(PersonStage::Close), Some(30), None, false)]
    #[case(Some(PersonStage::Close), None, Some(999), false)]
    fn cooling_is_suggested_for_warm_relationships_silent_twice_the_cadence(
        #[case] stage: Option<PersonStage>,
        #[case] cadence: Option<u32>,
        #[case] silent: Option<i64>,
        #[case] expected: bool,
    ) {
        assert_eq!(
            CadenceConfig::default().suggests_cooling(stage, cadence, silent),
            expected
        );
    }

    #[test]
    fn time_in_stage_comes_from_the_latest_move_into_it() {
        use crate::domain::{Extra, Ladder, StageChange};
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
        let change = |to: &str, when: &str| StageChange {
            id: 0,
            uid: when.into(),
            ladder: Ladder::Person,
            subject: 1,
            from: None,
            to: to.into(),
            at: at(when),
            note: None,
            extra: Extra::new(),
        };
        let history = [
            change("loyal", "2026-01-01T10:00:00+01:00"),
            change("cooling", "2026-03-01T10:00:00+01:00"),
            change("loyal", "2026-05-01T10:00:00+01:00"),
        ];
        assert_eq!(
            in_stage_since(&history, "loyal"),
            Some(at("2026-05-01T10:00:00+01:00"))
        );
        assert_eq!(in_stage_since(&history, "close"), None);
        assert_eq!(cooling_reason(75), "no contact for 75 days");
    }

    #[test]
    fn a_standing_reads_the_own_cadence_and_the_silence() {
        use chrono::TimeZone;
        let tz = chrono::FixedOffset::east_opt(3600).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let noon = |d: u32| {
            tz.with_ymd_and_hms(2026, 11, d, 12, 0, 0)
                .unwrap()
                .timestamp()
        };
        let mut p = crate::domain::Person {
            influence: Some(5),
            stage: Some(PersonStage::Loyal),
            ..crate::domain::Person::default()
        };
        let rules = CadenceConfig::default();
        // Influence 5 in tier A: every 15 days; 26 days silent.
        let s = rules.standing(&p, Some(Tier::A), Some(noon(1)), &tz, today);
        assert_eq!(
            (s.cadence, s.own, s.due, s.days_silent, s.suggest_cooling),
            (
                Some(15),
                false,
                ContactDue::Overdue {
                    cadence: 15,
                    days: 11
                },
                Some(26),
                false
            )
        );
        let s = rules.standing(&p, Some(Tier::A), Some(noon(1) - 10 * 86_400), &tz, today);
        assert!(s.suggest_cooling, "36 days is more than twice 15");
        p.extra.insert(OWN_CADENCE_KEY.into(), 60.into());
        let s = rules.standing(&p, Some(Tier::A), Some(noon(1) - 10 * 86_400), &tz, today);
        assert_eq!(
            (s.cadence, s.own, s.suggest_cooling),
            (Some(60), true, false)
        );
    }

    #[rstest]
    #[case(0, "0 days")]
    #[case(1, "1 day")]
    #[case(20, "20 days")]
    #[case(21, "3 weeks")]
    #[case(125, "4 months")]
    #[case(800, "2 years")]
    fn spans_read_like_speech(#[case] days: i64, #[case] expected: &str) {
        assert_eq!(span(days), expected);
    }

    #[test]
    fn an_own_cadence_is_a_whole_number_of_days_in_range() {
        let mut extra = crate::domain::Extra::new();
        assert_eq!(own_cadence(&extra), None);
        extra.insert(OWN_CADENCE_KEY.into(), 21.into());
        assert_eq!(own_cadence(&extra), Some(21));
        for bad in [
            serde_json::json!(0),
            serde_json::json!(-3),
            serde_json::json!("21"),
            serde_json::json!(2.5),
            serde_json::json!(99_999),
        ] {
            extra.insert(OWN_CADENCE_KEY.into(), bad.clone());
            assert_eq!(own_cadence(&extra), None, "{bad}");
        }
    }
}
