//! `kam map ACCOUNT` (the power map drawn at the terminal's width, or as nodes and edges in
//! JSON) and `kam link` (add a link between two people, list a person's links, remove one).

use std::io::IsTerminal;

use serde_json::{Value, json};

use super::args::{LinkArgs, MapArgs};
use super::target::{Target, resolve};
use super::{CliError, Ctx, lifecycle};
use crate::domain::{Extra, Link, LinkKind, RecordKind, RecordRef, Vocabulary};
use crate::ops;
use crate::power_map::{self, PowerMap, Tone};
use crate::store::{Reader, TargetKind};

/// The SGR code of a tone in `kam map` (bold names, dim secondary text).
fn sgr(tone: Tone) -> &'static str {
    match tone {
        Tone::Text => "",
        Tone::Name => "1",
        Tone::Dim => "2",
        Tone::Heading => "1;36",
        Tone::Good => "32",
        Tone::Warn => "33",
        Tone::Alert => "31",
    }
}

/// The width to draw at: `--width`, else the terminal's, else 80.
fn width(asked: Option<u16>) -> usize {
    let terminal = std::io::stdout()
        .is_terminal()
        .then(|| crossterm::terminal::size().ok())
        .flatten()
        .map(|(w, _)| w)
        .filter(|w| *w >= 20);
    usize::from(asked.or(terminal).unwrap_or(80))
}

/// The account a target names: itself, or a person's account.
fn account_of(reader: &Reader<'_>, input: &str) -> Result<Target, CliError> {
    let t = resolve(reader, input, &[TargetKind::Account, TargetKind::Person])?;
    if t.kind == TargetKind::Account {
        return Ok(t);
    }
    let account = reader.person(t.id)?.and_then(|(p, _)| p.account);
    let Some(id) = account else {
        return Err(CliError::usage(format!(
            "{} {} is in no account; give an account: kam map \"Hospital Clínic\"",
            t.reference(),
            t.name
        )));
    };
    let name = reader.name_of(TargetKind::Account, id)?.unwrap_or_default();
    Ok(Target {
        kind: TargetKind::Account,
        id,
        name,
    })
}

/// `kam map ACCOUNT [--width N] [--json]`.
pub fn run(ctx: &mut Ctx, args: &MapArgs) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let account = account_of(&reader, &args.target)?;
    let map = power_map::load(&reader, account.id)?;
    if args.json {
        return ctx.out.json(&to_json(&account, &map));
    }
    let cells = width(args.width);
    ctx.out.heading(&crate::text::truncate(
        &format!(
            "{} {} · power map of {} people",
            account.reference(),
            account.name,
            map.people.len()
        ),
        cells,
    ))?;
    for line in map.lines(cells) {
        let parts: Vec<(&str, &str)> = line
            .segments
            .iter()
            .map(|s| (sgr(s.tone), s.text.as_str()))
            .collect();
        ctx.out.segments(&parts)?;
    }
    ctx.out.flush()
}

fn to_json(account: &Target, map: &PowerMap) -> Value {
    let manager = |id: i64| map.tree_links.iter().find(|l| l.from == id).map(|l| l.to);
    let depth = |i: usize| {
        map.tree
            .iter()
            .find(|p| p.person == i)
            .map(power_map::Placed::depth)
    };
    let mut nodes: Vec<Value> = map
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            json!({
                "id": p.id,
                "ref": RecordRef::of(RecordKind::Person, p.id).to_string(),
                "name": p.name,
                "title": p.title,
                "role": p.role,
                "influence": p.influence,
                "attitude": p.attitude,
                "stage": p.stage,
                "in_account": true,
                "reports_to": manager(p.id),
                "depth": depth(i),
            })
        })
        .collect();
    nodes.extend(map.outside.iter().map(|o| {
        json!({
            "id": o.id,
            "ref": RecordRef::of(RecordKind::Person, o.id).to_string(),
            "name": o.name,
            "in_account": false,
            "account": o.account,
            "account_name": o.account_name,
        })
    }));
    let mut edges: Vec<Value> = Vec::new();
    for l in &map.tree_links {
        edges.push(edge(l, "tree"));
    }
    for c in &map.cross {
        let drawn = match c.why {
            power_map::CrossWhy::Link => "cross",
            power_map::CrossWhy::Also => "also",
            power_map::CrossWhy::Loop => "loop",
        };
        edges.push(edge(&c.link, drawn));
    }
    edges.sort_by_key(|e| e["id"].as_i64());
    json!({
        "account": {
            "id": account.id,
            "ref": account.reference().to_string(),
            "name": account.name,
        },
        "nodes": nodes,
        "edges": edges,
        "not_placed": map.unplaced.iter().map(|&i| map.people[i].id).collect::<Vec<_>>(),
        "truncated": map.truncated,
        "more_people": map.more_people,
    })
}

fn edge(l: &Link, drawn: &str) -> Value {
    json!({
        "id": l.id,
        "from": l.from,
        "to": l.to,
        "kind": l.kind.as_str(),
        "note": l.note,
        "drawn": drawn,
    })
}

/// `kam link PERSON [KIND PERSON] [--remove] [--note] [--json]`.
pub fn link(ctx: &mut Ctx, args: &LinkArgs) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let from = resolve(&reader, &args.from, &[TargetKind::Person])?;
    let (Some(kind), Some(to)) = (&args.kind, &args.to) else {
        return list(ctx, &from, args.json);
    };
    let kind: LinkKind = kind.parse()?;
    let to = resolve(&reader, to, &[TargetKind::Person])?;
    let labels = (
        format!("{} {}", from.reference(), from.name),
        format!("{} {}", to.reference(), to.name),
    );
    if args.remove {
        return lifecycle::run_and_print(
            ctx,
            &ops::RemoveLink {
                from: from.id,
                to: to.id,
                kind,
                labels,
            },
        );
    }
    let link = Link {
        id: 0,
        uid: uuid::Uuid::new_v4().to_string(),
        from: from.id,
        to: to.id,
        kind,
        note: args.note.clone(),
        extra: Extra::new(),
    };
    lifecycle::run_and_print(ctx, &ops::AddLink { link, labels })
}

/// Links listed for one person.
const LIST: u32 = 500;

/// `kam link PERSON`: their links, those they make first.
fn list(ctx: &mut Ctx, person: &Target, as_json: bool) -> Result<(), CliError> {
    let (links, total) = ctx.store.reader().links_of(person.id, LIST)?;
    if as_json {
        let items: Vec<Value> = links
            .iter()
            .map(|(l, other)| {
                let out = l.from == person.id;
                json!({
                    "id": l.id,
                    "from": l.from,
                    "to": l.to,
                    "kind": l.kind.as_str(),
                    "note": l.note,
                    "direction": if out { "out" } else { "in" },
                    "other": {
                        "id": if out { l.to } else { l.from },
                        "name": other,
                    },
                })
            })
            .collect();
        return ctx.out.json(&json!({
            "person": {"id": person.id, "ref": person.reference().to_string(), "name": person.name},
            "links": items,
            "total": total,
        }));
    }
    ctx.out
        .heading(&format!("{} {}", person.reference(), person.name))?;
    if links.is_empty() {
        ctx.out.dim("  no links yet: kam link PERSON KIND PERSON")?;
    }
    for (l, other) in &links {
        let text = if l.from == person.id {
            format!(
                "  —{}→ {} {other}",
                l.kind,
                RecordRef::of(RecordKind::Person, l.to)
            )
        } else {
            format!(
                "  ←{}— {} {other}",
                l.kind,
                RecordRef::of(RecordKind::Person, l.from)
            )
        };
        let note = l
            .note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        ctx.out.line(&format!("{text}{note}"))?;
    }
    let shown = i64::try_from(links.len()).unwrap_or(i64::MAX);
    if total > shown {
        ctx.out
            .dim(&format!("  … and {} more links", total - shown))?;
    }
    ctx.out.flush()
}
