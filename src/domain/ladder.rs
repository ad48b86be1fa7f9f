//! The closed vocabularies of the KAM world: the five stage ladders of DESIGN.md §2 and the
//! smaller enumerations of FORMAT.md (kinds, statuses, parties).
//!
//! Every value has one exact spelling, shared by the schema (CHECK constraints are generated from
//! [`Vocabulary::ALL`]), the JSON Lines format, the CLI and the screens. Parsing is exact but
//! case-insensitive and also accepts `_` or a space for `-`, so `kam stage ivan Loyal` works; an
//! unknown value is an error listing every allowed one.

use std::fmt;
use std::str::FromStr;

/// A value that is not one of a vocabulary's allowed spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: \"{value}\" is not one of: {allowed}")]
pub struct UnknownValue {
    pub field: &'static str,
    pub value: String,
    pub allowed: String,
}

/// A closed set of values with one canonical spelling each.
pub trait Vocabulary: Sized + Copy + 'static {
    /// What the value is called in errors and help ("person stage", "buying role").
    const FIELD: &'static str;
    /// Every value, in ladder order.
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;

    /// Parses a user- or file-supplied spelling.
    fn parse(input: &str) -> Result<Self, UnknownValue> {
        // The canonical spelling, as every value read from the notebook is: found without the
        // copy the loose spellings below need (a list of key people parses a stage per row).
        if let Some(v) = Self::ALL.iter().copied().find(|v| v.as_str() == input) {
            return Ok(v);
        }
        let wanted = input.trim().replace(['_', ' '], "-");
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.as_str().eq_ignore_ascii_case(&wanted))
            .ok_or_else(|| UnknownValue {
                field: Self::FIELD,
                value: input.to_string(),
                allowed: Self::ALL
                    .iter()
                    .map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl Vocabulary for $name {
            const FIELD: &'static str = $field;
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as Vocabulary>::parse(s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Where a relationship with a person stands (DESIGN.md §2); `cooling` and `lost` are off-ladder.
    PersonStage, "person stage" {
        Identified = "identified", Contacted = "contacted", Acquainted = "acquainted",
        Loyal = "loyal", Close = "close", Advocate = "advocate", Cooling = "cooling", Lost = "lost",
    }
);

vocabulary!(
    /// Millman–Wilson KAM relationship stage of an account.
    AccountStage, "account stage" {
        PreKam = "pre-kam", EarlyKam = "early-kam", MidKam = "mid-kam",
        PartnershipKam = "partnership-kam", SynergisticKam = "synergistic-kam",
        UncouplingKam = "uncoupling-kam",
    }
);

vocabulary!(
    /// A person's part in buying decisions (Miller Heiman buying influences and common roles).
    BuyingRole, "buying role" {
        EconomicBuyer = "economic-buyer", UserBuyer = "user-buyer",
        TechnicalBuyer = "technical-buyer", Coach = "coach", Gatekeeper = "gatekeeper",
        Influencer = "influencer", Blocker = "blocker", Other = "other",
    }
);

vocabulary!(
    /// A person's attitude toward us.
    Attitude, "attitude" {
        Champion = "champion", Supporter = "supporter", Neutral = "neutral",
        Skeptic = "skeptic", Opponent = "opponent",
    }
);

vocabulary!(
    /// Where a deal stands; `won` and `lost` are closed.
    DealStage, "deal stage" {
        Lead = "lead", Qualified = "qualified", Proposal = "proposal",
        Negotiation = "negotiation", Won = "won", Lost = "lost",
    }
);

vocabulary!(
    /// An account's Pareto tier: A carries most of the business.
    Tier, "tier" { A = "A", B = "B", C = "C" }
);

vocabulary!(
    /// Which ladder a stage change moves along.
    Ladder, "ladder" { Person = "person", Account = "account", Deal = "deal" }
);

vocabulary!(
    /// A directed tie between two people in the power map.
    LinkKind, "link kind" {
        ReportsTo = "reports-to", Influences = "influences", Ally = "ally", Rival = "rival",
        Friend = "friend", Family = "family",
    }
);

vocabulary!(
    /// What kind of thing happened (or will happen) with an account.
    InteractionKind, "interaction kind" {
        Meeting = "meeting", Visit = "visit", Call = "call", Event = "event", Email = "email",
        Note = "note", Meal = "meal", Message = "message",
    }
);

vocabulary!(
    /// How a person is on an interaction: they took part, or they were only named in it (an
    /// `@mention`, the people a note is about). Only taking part can count as contact.
    Participation, "participation" { Participant = "participant", Mentioned = "mentioned" }
);

vocabulary!(
    /// Whether an interaction is still ahead, happened, or was called off.
    InteractionStatus, "interaction status" {
        Planned = "planned", Done = "done", Cancelled = "cancelled",
    }
);

vocabulary!(
    /// Whether a follow-up is still to do.
    FollowUpStatus, "follow-up status" { Open = "open", Done = "done", Cancelled = "cancelled" }
);

vocabulary!(
    /// What a deal is.
    DealKind, "deal kind" {
        Opportunity = "opportunity", Tender = "tender", Listing = "listing",
        Contract = "contract", Order = "order",
    }
);

vocabulary!(
    /// Who owes an obligation of a contract.
    Party, "party" { Us = "us", Client = "client" }
);

vocabulary!(
    /// What an obligation is.
    ObligationKind, "obligation kind" { Delivery = "delivery", Payment = "payment", Clause = "clause" }
);

vocabulary!(
    /// Whether an obligation is met.
    ObligationStatus, "obligation status" { Open = "open", Done = "done", Late = "late" }
);

vocabulary!(
    /// Whether a long-term plan is still pursued.
    PlanStatus, "plan status" { Active = "active", Achieved = "achieved", Dropped = "dropped" }
);

vocabulary!(
    /// What money spent on a plan went on.
    SpendCategory, "spend category" {
        Hospitality = "hospitality", Events = "events", Samples = "samples", Other = "other"
    }
);

vocabulary!(
    /// What a transfer of value to a healthcare professional or organisation was, for the
    /// annual disclosure: the EFPIA code's categories (donations and grants, to organisations
    /// only; contributions to event costs: registration, travel, accommodation; fees for service
    /// and consultancy and their related expenses), and the meals, samples and gifts that national
    /// rules and the company's caps look at.
    Transfer, "transfer" {
        Donation = "donation", Grant = "grant", Registration = "registration",
        Travel = "travel", Accommodation = "accommodation", Fee = "fee", Expenses = "expenses",
        Meal = "meal", Sample = "sample", Gift = "gift",
    }
);

vocabulary!(
    /// What a capture window (and so its draft) will save: a note, a follow-up or a meeting.
    DraftKind, "draft kind" { Note = "note", FollowUp = "followup", Meeting = "meeting" }
);

vocabulary!(
    /// A person's part in one deal (issue 14.3): who wrote the specification, who sits on the
    /// evaluation committee, who decides, who will use the product, who sways the others.
    DealRole, "deal role" {
        SpecAuthor = "spec-author", EvaluationCommittee = "evaluation-committee",
        DecisionMaker = "decision-maker", User = "user", Influencer = "influencer",
    }
);

vocabulary!(
    /// Where a product stands with an account (issue 14.4): the preferred lists of the trade.
    ProductStatus, "product status" {
        NotListed = "not-listed", Requested = "requested", UnderReview = "under-review",
        Listed = "listed", Preferred = "preferred", Delisted = "delisted",
    }
);

impl DealRole {
    /// The committee of a tender: those who judge the offers and those who decide.
    pub fn is_committee(self) -> bool {
        matches!(
            self,
            DealRole::EvaluationCommittee | DealRole::DecisionMaker
        )
    }
}

impl ProductStatus {
    /// The account buys it: listed or preferred.
    pub fn is_listed(self) -> bool {
        matches!(self, ProductStatus::Listed | ProductStatus::Preferred)
    }
}

impl InteractionKind {
    /// Kinds that sit in a calendar at a time (shown as the day's meetings in the agenda).
    pub const SCHEDULED: &'static [Self] = &[
        Self::Meeting,
        Self::Visit,
        Self::Call,
        Self::Event,
        Self::Meal,
    ];

    pub fn is_scheduled(self) -> bool {
        Self::SCHEDULED.contains(&self)
    }
}

impl DealStage {
    pub fn is_closed(self) -> bool {
        matches!(self, DealStage::Won | DealStage::Lost)
    }
}

/// Any stage on any ladder, as stored in a stage change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyStage {
    Person(PersonStage),
    Account(AccountStage),
    Deal(DealStage),
}

impl AnyStage {
    pub fn parse(ladder: Ladder, value: &str) -> Result<Self, UnknownValue> {
        Ok(match ladder {
            Ladder::Person => AnyStage::Person(value.parse()?),
            Ladder::Account => AnyStage::Account(value.parse()?),
            Ladder::Deal => AnyStage::Deal(value.parse()?),
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AnyStage::Person(s) => s.as_str(),
            AnyStage::Account(s) => s.as_str(),
            AnyStage::Deal(s) => s.as_str(),
        }
    }

    pub fn ladder(self) -> Ladder {
        match self {
            AnyStage::Person(_) => Ladder::Person,
            AnyStage::Account(_) => Ladder::Account,
            AnyStage::Deal(_) => Ladder::Deal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_values_of_design_section_2() {
        let person: Vec<_> = PersonStage::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            person,
            [
                "identified",
                "contacted",
                "acquainted",
                "loyal",
                "close",
                "advocate",
                "cooling",
                "lost"
            ]
        );
        let account: Vec<_> = AccountStage::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            account,
            [
                "pre-kam",
                "early-kam",
                "mid-kam",
                "partnership-kam",
                "synergistic-kam",
                "uncoupling-kam"
            ]
        );
        assert_eq!(BuyingRole::ALL.len(), 8);
        assert_eq!(Attitude::ALL.len(), 5);
        assert_eq!(DealStage::ALL.len(), 6);
    }

    #[test]
    fn parse_is_forgiving_about_case_and_separators() {
        assert_eq!("Loyal".parse::<PersonStage>(), Ok(PersonStage::Loyal));
        assert_eq!(
            "economic buyer".parse::<BuyingRole>(),
            Ok(BuyingRole::EconomicBuyer)
        );
        assert_eq!("mid_kam".parse::<AccountStage>(), Ok(AccountStage::MidKam));
        assert_eq!("a".parse::<Tier>(), Ok(Tier::A));
    }

    #[test]
    fn unknown_value_lists_the_allowed_ones() {
        let err = "friendly".parse::<PersonStage>().unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("\"friendly\""), "{msg}");
        assert!(msg.contains("identified, contacted"), "{msg}");
    }
}
