//! `kam coverage [--account A] [--tier T] [--territory T] [--json]`: how far the KAM has got
//! with the key people of the territory (`crate::coverage`).

use super::args::CoverageArgs;
use super::target::resolve;
use super::{CliError, Ctx};
use crate::domain::{Tier, Vocabulary};
use crate::store::{CoverageScope, TargetKind};

/// A vocabulary value given on the command line, or a usage error naming the flag, the value
/// and the choices.
pub fn flag_value<V: Vocabulary>(flag: &str, value: Option<&str>) -> Result<Option<V>, CliError> {
    value
        .map(|v| {
            V::parse(v.trim()).map_err(|e| {
                CliError::usage(format!(
                    "--{flag}: {e}; e.g. --{flag} {}",
                    V::ALL[0].as_str()
                ))
            })
        })
        .transpose()
}

/// `kam coverage`.
pub fn run(ctx: &mut Ctx, args: &CoverageArgs) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let account = args
        .account
        .as_deref()
        .map(|a| resolve(&reader, a, &[TargetKind::Account]).map(|t| t.id))
        .transpose()?;
    let tier = flag_value::<Tier>("tier", args.tier.as_deref())?;
    let scope = CoverageScope {
        account,
        tier,
        territory: args.territory.clone(),
    };
    let coverage = crate::coverage::load(&reader, &scope)?;
    if args.json {
        return ctx.out.json(&coverage);
    }
    for line in crate::coverage::lines(&coverage) {
        ctx.out.line(&line)?;
    }
    ctx.out.flush()
}
