//! The rules of transfers of value to healthcare professionals (issue 14): who may receive
//! which kind of transfer, and the company's caps, which are warned at entry, never silently
//! enforced or ignored. Pure: the caps come from `[compliance]` in the config, the year's
//! totals from the store.
//!
//! The EFPIA Disclosure Code sorts what is disclosed each year into donations and grants (to
//! organisations only), contributions to the costs of events (registration; travel and
//! accommodation) and fees for service and consultancy (fees; related expenses). Meals, samples
//! and gifts are kept as transfers too: national rules and the company's caps look at them.

use crate::config::ComplianceConfig;
use crate::domain::{SpendCategory, Transfer};
use crate::money::{format_money, round_cents};

/// The heading a transfer is disclosed under, and whether the EFPIA code discloses it.
pub fn disclosure(transfer: Transfer) -> (&'static str, bool) {
    match transfer {
        Transfer::Donation | Transfer::Grant => ("Donations and grants", true),
        Transfer::Registration => ("Events: registration fees", true),
        Transfer::Travel | Transfer::Accommodation => ("Events: travel & accommodation", true),
        Transfer::Fee => ("Fee for service and consultancy: fees", true),
        Transfer::Expenses => ("Fee for service and consultancy: related expenses", true),
        Transfer::Meal => ("Meals (national rules)", false),
        Transfer::Sample => ("Samples (national rules)", false),
        Transfer::Gift => ("Gifts (national rules)", false),
    }
}

/// Whether a transfer goes to an organisation (the plan's account), never to a person.
pub fn to_organisation(transfer: Transfer) -> bool {
    matches!(transfer, Transfer::Donation | Transfer::Grant)
}

/// The transfer a spend's category implies when people are named and no transfer is given:
/// a hospitality spend for people is a meal, samples are samples; an event's cost must say
/// which part it was.
pub fn implied(category: SpendCategory) -> Option<Transfer> {
    match category {
        SpendCategory::Hospitality => Some(Transfer::Meal),
        SpendCategory::Samples => Some(Transfer::Sample),
        SpendCategory::Events | SpendCategory::Other => None,
    }
}

/// Why a transfer cannot be recorded as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferRefused {
    #[error(
        "for: a {0} goes to an organisation (the plan's account), never to a person; \
         record it without --for"
    )]
    PersonForOrganisation(Transfer),
    #[error(
        "for: a {0} is a transfer of value to someone; name who benefited, e.g. --for \"Ana López\""
    )]
    NoRecipient(Transfer),
    #[error(
        "transfer: say what part of the {0} spend it was, e.g. --transfer registration \
         (registration, travel, accommodation, fee, expenses, meal, sample, gift)"
    )]
    Unsaid(SpendCategory),
}

/// The transfer a spend records, given its category, the transfer asked for and how many
/// people it names: `None` when it is no transfer of value (no people, none asked).
pub fn transfer_of(
    category: SpendCategory,
    asked: Option<Transfer>,
    people: usize,
) -> Result<Option<Transfer>, TransferRefused> {
    let transfer = match (asked, people) {
        (Some(t), _) => t,
        (None, 0) => return Ok(None),
        (None, _) => implied(category).ok_or(TransferRefused::Unsaid(category))?,
    };
    match (to_organisation(transfer), people) {
        (true, 0) | (false, 1..) => Ok(Some(transfer)),
        (true, _) => Err(TransferRefused::PersonForOrganisation(transfer)),
        (false, 0) => Err(TransferRefused::NoRecipient(transfer)),
    }
}

/// One recipient's total of the year before this transfer, by name.
#[derive(Debug, Clone, PartialEq)]
pub struct YearSoFar {
    pub name: String,
    pub total: f64,
}

/// The caps a transfer breaks, one warning line each. `amount` is the whole spend, shared
/// evenly among `people` (each one's `YearSoFar` is what they had received this year before it,
/// in the same currency); `currency` is the plan's.
pub fn warnings(
    rules: &ComplianceConfig,
    transfer: Transfer,
    amount: f64,
    currency: Option<&str>,
    people: &[YearSoFar],
) -> Vec<String> {
    let mut out = Vec::new();
    if transfer == Transfer::Gift && rules.gifts_forbidden {
        out.push(
            "Warning: gifts to healthcare professionals are forbidden ([compliance] \
             gifts_forbidden; the EFPIA code)"
                .to_string(),
        );
    }
    let capped = rules.meal_cap_per_guest.is_some() || rules.annual_limit_per_person.is_some();
    let cap_currency = rules.currency.as_deref();
    if capped {
        if let (Some(cap), Some(given)) = (cap_currency, currency) {
            if !cap.eq_ignore_ascii_case(given) {
                out.push(format!(
                    "Warning: caps not checked: they are in {cap}, this plan is kept in {given}"
                ));
                return out;
            }
        }
    }
    let shown = currency.or(cap_currency).unwrap_or("");
    let share = if people.is_empty() {
        amount
    } else {
        // A handful of guests: the count is exact in an f64.
        round_cents(amount / f64::from(u32::try_from(people.len()).unwrap_or(u32::MAX)))
    };
    if transfer == Transfer::Meal {
        if let Some(cap) = rules.meal_cap_per_guest {
            if share > cap {
                out.push(format!(
                    "Warning: the meal is {} per guest, over the cap of {} ([compliance] \
                     meal_cap_per_guest)",
                    format_money(share, shown),
                    format_money(cap, shown)
                ));
            }
        }
    }
    if let Some(limit) = rules.annual_limit_per_person {
        if !to_organisation(transfer) {
            for p in people {
                let total = round_cents(p.total + share);
                if total > limit {
                    out.push(format!(
                        "Warning: {} has received {} this year with this one, over the annual \
                         limit of {} ([compliance] annual_limit_per_person)",
                        crate::text::sanitize_line(&p.name),
                        format_money(total, shown),
                        format_money(limit, shown)
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ComplianceConfig {
        ComplianceConfig {
            meal_cap_per_guest: Some(60.0),
            gifts_forbidden: true,
            annual_limit_per_person: Some(1000.0),
            currency: Some("EUR".into()),
        }
    }

    fn so_far(name: &str, total: f64) -> YearSoFar {
        YearSoFar {
            name: name.into(),
            total,
        }
    }

    #[test]
    fn who_may_receive_what() {
        use SpendCategory as C;
        assert_eq!(transfer_of(C::Hospitality, None, 0), Ok(None));
        assert_eq!(
            transfer_of(C::Hospitality, None, 2),
            Ok(Some(Transfer::Meal))
        );
        assert_eq!(transfer_of(C::Samples, None, 1), Ok(Some(Transfer::Sample)));
        assert_eq!(
            transfer_of(C::Events, None, 1),
            Err(TransferRefused::Unsaid(C::Events))
        );
        assert_eq!(
            transfer_of(C::Events, Some(Transfer::Travel), 1),
            Ok(Some(Transfer::Travel))
        );
        assert_eq!(
            transfer_of(C::Other, Some(Transfer::Grant), 0),
            Ok(Some(Transfer::Grant))
        );
        assert_eq!(
            transfer_of(C::Other, Some(Transfer::Donation), 1),
            Err(TransferRefused::PersonForOrganisation(Transfer::Donation))
        );
        assert_eq!(
            transfer_of(C::Other, Some(Transfer::Fee), 0),
            Err(TransferRefused::NoRecipient(Transfer::Fee))
        );
    }

    #[test]
    fn a_meal_over_the_cap_per_guest_is_warned() {
        let two = [so_far("Ana", 0.0), so_far("Luis", 0.0)];
        // 110 for two is 55 each: within 60.
        assert!(warnings(&rules(), Transfer::Meal, 110.0, Some("EUR"), &two).is_empty());
        // 130 for two is 65 each.
        let w = warnings(&rules(), Transfer::Meal, 130.0, Some("EUR"), &two);
        assert_eq!(
            w,
            [
                "Warning: the meal is 65.00 EUR per guest, over the cap of 60.00 EUR \
              ([compliance] meal_cap_per_guest)"
            ]
        );
        // The cap is for meals only.
        assert!(warnings(&rules(), Transfer::Travel, 130.0, Some("EUR"), &two).is_empty());
    }

    #[test]
    fn the_annual_limit_counts_the_year_so_far_and_this_share() {
        let people = [so_far("Ana", 950.0), so_far("Luis", 100.0)];
        // 100 for two is 50 each: Ana reaches 1,000 exactly, within the limit.
        let w = warnings(&rules(), Transfer::Fee, 100.0, Some("EUR"), &people);
        assert!(w.is_empty(), "exactly at the limit is within it: {w:?}");
        let w = warnings(&rules(), Transfer::Fee, 120.0, Some("EUR"), &people);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("Ana has received 1,010.00 EUR"), "{w:?}");
    }

    #[test]
    fn gifts_are_warned_when_forbidden_only() {
        let one = [so_far("Ana", 0.0)];
        let w = warnings(&rules(), Transfer::Gift, 20.0, Some("EUR"), &one);
        assert!(w[0].contains("gifts to healthcare professionals are forbidden"));
        let allowed = ComplianceConfig {
            gifts_forbidden: false,
            ..rules()
        };
        assert!(warnings(&allowed, Transfer::Gift, 20.0, Some("EUR"), &one).is_empty());
    }

    #[test]
    fn caps_in_another_currency_are_said_not_checked() {
        let one = [so_far("Ana", 5000.0)];
        let w = warnings(&rules(), Transfer::Meal, 500.0, Some("USD"), &one);
        assert_eq!(
            w,
            ["Warning: caps not checked: they are in EUR, this plan is kept in USD"]
        );
    }

    #[test]
    fn every_transfer_has_a_heading() {
        use crate::domain::Vocabulary;
        for t in Transfer::ALL {
            let (heading, _) = disclosure(*t);
            assert!(!heading.is_empty());
        }
        assert!(disclosure(Transfer::Travel).1);
        assert!(!disclosure(Transfer::Meal).1);
    }
}
