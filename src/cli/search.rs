//! `kam search QUERY [--limit N] [--json]`: the best matches, one line each — reference, what
//! it is, its account and date, and a snippet with the matched words highlighted (in colour on
//! a terminal) — or the same hits as JSON. The query language is in [`crate::search`].

use serde::Serialize;

use super::args::SearchArgs;
use super::{CliError, Ctx};
use crate::domain::Vocabulary;
use crate::search::{self, HitKind, SearchError};
use crate::store::SearchHit;

/// One hit of `kam search --json`.
#[derive(Serialize)]
struct JsonHit<'a> {
    /// `#i55`, or `plan 4`.
    #[serde(rename = "ref")]
    reference: String,
    #[serde(flatten)]
    hit: &'a SearchHit,
}

/// `kam search`.
pub fn run(ctx: &mut Ctx, args: &SearchArgs) -> Result<(), CliError> {
    let input = args.query.join(" ");
    let words = search::query::parse(&input, false).map_err(|e| CliError::usage(e.to_string()))?;
    if !words.has_terms() {
        return Err(CliError::usage(
            "nothing to find: give a word (filters like account: only narrow a search)",
        ));
    }
    let now = ctx.clock.now();
    let limit = usize::try_from(args.limit).unwrap_or(20);
    let hits =
        search::find(&ctx.store.reader(), &input, &now, false, limit).map_err(|e| match e {
            SearchError::Store(e) => CliError::from(e),
            e => CliError::usage(e.to_string()),
        })?;
    if args.json {
        let json: Vec<JsonHit<'_>> = hits
            .iter()
            .map(|hit| JsonHit {
                reference: hit.kind.reference(hit.id),
                hit,
            })
            .collect();
        return ctx.out.json(&json);
    }
    if hits.is_empty() {
        ctx.out.dim(&format!("No matches for {input}."))?;
        return ctx.out.flush();
    }
    for hit in &hits {
        let snippet: String = hit.snippet.iter().map(|f| f.text.as_str()).collect();
        // The snippet is the whole title when the title matched: shown once, highlighted.
        let title_matched = hit.title.as_deref() == Some(snippet.as_str());
        let head = headline(hit, !title_matched);
        let mut parts: Vec<(&str, &str)> = vec![("1", &head), ("", "  ")];
        for f in &hit.snippet {
            parts.push((if f.hit { "1;33" } else { "" }, &f.text));
        }
        ctx.out.segments(&parts)?;
    }
    ctx.out.flush()
}

/// `#i55    call · Tender review · Hospital Clínic · 2026-11-20` (the title left out when the
/// snippet shows it).
fn headline(hit: &SearchHit, with_title: bool) -> String {
    let mut out = format!("{:<8}", hit.kind.reference(hit.id));
    let mut items: Vec<String> = Vec::new();
    match (hit.kind, hit.interaction_kind) {
        (HitKind::Interaction, Some(k)) => items.push(k.as_str().to_string()),
        (HitKind::Account | HitKind::Person, _) => {}
        (kind, _) => items.push(kind.noun().to_string()),
    }
    if with_title {
        if let Some(t) = &hit.title {
            items.push(crate::text::truncate(t, 40).into_owned());
        }
    }
    let context = match hit.kind {
        HitKind::Account => None,
        HitKind::Person => hit.account.as_ref(),
        _ => hit.account.as_ref().or(hit.person.as_ref()),
    };
    if let Some(c) = context {
        items.push(crate::text::truncate(&c.name, 30).into_owned());
    }
    if let Some(d) = hit.date {
        items.push(d.format("%Y-%m-%d").to_string());
    }
    out.push_str(&items.join(" · "));
    out
}
