//! The people of a deal and the product catalogue (issue 14.3-4): who plays which part in a
//! deal, our products and the competitors' equivalents, where each stands with an account
//! (a history of dated statuses), and the objections people raised about them.

use chrono::NaiveDate;

use super::{DealRole, Id, ProductStatus};

/// A person's role in one deal. A person may hold several roles in the same deal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DealPerson {
    pub id: Id,
    pub uid: String,
    pub deal: Id,
    pub person: Id,
    pub role: DealRole,
}

/// A product of the catalogue: ours (`competitor_of` is `None`), or a competitor's equivalent
/// of one of ours.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Product {
    pub id: Id,
    pub uid: String,
    pub name: String,
    pub competitor_of: Option<Id>,
    pub notes: Option<String>,
}

/// One change of a product's status with an account, from `day` on. The latest is the
/// current one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProductStatusChange {
    pub id: Id,
    pub uid: String,
    pub account: Id,
    pub product: Id,
    pub status: ProductStatus,
    pub day: NaiveDate,
    pub note: Option<String>,
}

/// An objection a person raised about a product, on `day`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Objection {
    pub id: Id,
    pub uid: String,
    pub person: Id,
    pub product: Id,
    pub day: NaiveDate,
    pub text: String,
}
