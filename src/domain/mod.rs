//! The KAM world as plain types and rules: entities, ladders, record references, validation and
//! the search query language ([`query`]).
//! No I/O, no SQL, no terminal: everything here is deterministic and tested in place.

mod birthday;
mod catalogue;
pub mod contact;
mod draft;
mod entity;
mod ladder;
mod meeting_goal;
pub mod mention;
pub mod person_name;
mod plan;
pub mod query;
mod reference;
mod repeat;
mod sales;
pub mod travel;
mod validate;

pub use birthday::{BadBirthday, Birthday};
pub use catalogue::{DealPerson, Objection, Product, ProductStatusChange};
pub use draft::Draft;
pub use entity::{
    Account, Deal, Due, Extra, FollowUp, Id, Interaction, Link, Milestone, Obligation, Person,
    Plan, PlanSubject, StageChange, Stamp, Timestamp,
};
pub use ladder::{
    AccountStage, AnyStage, Attitude, BuyingRole, DealKind, DealRole, DealStage, DraftKind,
    FollowUpStatus, InteractionKind, InteractionStatus, Ladder, LinkKind, ObligationKind,
    ObligationStatus, Participation, Party, PersonStage, PlanStatus, ProductStatus, SpendCategory,
    Tier, Transfer, UnknownValue, Vocabulary,
};
pub use meeting_goal::{GOAL_KEY, QUESTIONS_KEY};
pub use plan::{
    BudgetUse, PlanProgress, Spend, SpendError, StepCount, budget_bar, spend, spend_totals,
};
pub use reference::{Named, RecordKind, RecordRef};
pub use repeat::{BadRepeat, Repeat, RepeatUnit};
pub use sales::{BadMonth, MonthSales, month_text, parse_month};
pub use validate::{
    Invalid, MAX_AMOUNT, MAX_NAME_CHARS, MAX_TEXT_BYTES, check_amount, check_country,
    check_currency, check_days, check_email, check_influence, check_language, check_link_ends,
    check_money, check_name, check_percent, check_snooze, check_text, code_typed, parse_amount,
};
