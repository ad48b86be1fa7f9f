//! `$` in the plans popup: money spent on a plan, and — as `kam plan spend … --for PERSON
//! --transfer KIND` — the people it benefited and the kind of transfer of value it was (the
//! EFPIA categories, plus meal, sample and gift). The For field offers the people of the plan's
//! account as a name is typed (`↓/↑` pick one, `→` takes it); any person of the notebook may be
//! named in full. Before it saves, the form asks `ops::check_spend` what the spend breaks of
//! the `[compliance]` caps of the config: the warnings show in the popup, and `Enter` again
//! records it as it is. It never writes: it replies the `ops::AddSpend` the app runs.

use chrono::{DateTime, Local};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::action::Action;
use super::app::StatusKind;
use super::component::{Component, PopupCtx, Reply};
use super::keymap::{Binding, Key};
use super::screens::RenderCtx;
use super::screens::deal_popups::{FORM_KEYS, amount, day, field_lines, type_into};
use crate::domain::{Id, Plan, PlanSubject, Spend, SpendCategory, Transfer};
use crate::ops;
use crate::store::{Reader, StoreError, TargetKind};
use crate::text::{fold, sanitize_line};

/// The fields, in the order shown (the first four as before people could be named).
const AMOUNT: usize = 0;
const CATEGORY: usize = 1;
const DAY: usize = 2;
const NOTE: usize = 3;
const FOR: usize = 4;
const TRANSFER: usize = 5;
const LABELS: [&str; 6] = ["Amount", "Category", "Day", "Note", "For", "Transfer"];
const HINTS: [&str; 6] = [
    "in the plan's currency, e.g. 180",
    "hospitality, events, samples or other",
    "e.g. yesterday, 2026-11-20; empty: today",
    "e.g. dinner after the congress",
    "who benefited, e.g. Ana López, Luis Pérez (↓/↑ pick, → takes the name); empty: nobody",
    "registration, travel, accommodation, fee, expenses, meal, sample, gift, grant or donation; \
     empty: from the category",
];

/// Names offered under For.
const OFFERED: usize = 5;

/// The keys of the For field: `↓/↑` pick among the people offered, `→` takes one.
const FOR_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter), Key::ctrl('s')],
        label: "Enter",
        help: "save",
        action: Action::Save,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Right)],
        label: "→",
        help: "take the name picked",
        action: Action::Add,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down)],
        label: "↓/↑",
        help: "pick a name offered",
        action: Action::Down,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Up)],
        label: "↑",
        help: "previous name offered",
        action: Action::Up,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab)],
        label: "Tab",
        help: "next field",
        action: Action::NextTab,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab)],
        label: "S-Tab",
        help: "previous field",
        action: Action::PrevTab,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        label: "Esc",
        help: "cancel",
        action: Action::Back,
        footer: true,
    },
];

/// Money spent on one plan, and whom it benefited.
pub struct SpendForm {
    plan: Id,
    title: String,
    values: [String; 6],
    focus: usize,
    /// The people of the plan's account (the plan's person first), by name.
    people: Vec<(Id, String)>,
    /// The name picked among those offered under For.
    pick: usize,
    /// The warnings said for the spend as it is typed; `Enter` again records it.
    warned: Option<Vec<String>>,
}

impl SpendForm {
    /// The form for `plan` (named `label`), offering the people of its account.
    pub fn open(reader: &Reader<'_>, plan: &Plan, label: &str) -> Result<Self, StoreError> {
        let mut people = Vec::new();
        let account = match plan.subject {
            PlanSubject::Account(a) => Some(a),
            PlanSubject::Person(p) => {
                let person = reader.person(p)?.map(|(p, _)| p);
                if let Some(person) = &person {
                    people.push((person.id, person.name.clone()));
                }
                person.and_then(|p| p.account)
            }
        };
        if let Some(a) = account {
            for p in reader.people(Some(a), 500, 0)? {
                if !people.iter().any(|(id, _)| *id == p.id) {
                    people.push((p.id, p.name));
                }
            }
        }
        let title = match &plan.currency {
            Some(c) => format!("Spent on {label}, in {c}"),
            None => format!("Spent on {label}"),
        };
        let mut values: [String; 6] = Default::default();
        values[CATEGORY] = "other".into();
        Ok(SpendForm {
            plan: plan.id,
            title,
            values,
            focus: AMOUNT,
            people,
            pick: 0,
            warned: None,
        })
    }

    fn value(&self, field: usize) -> &str {
        self.values[field].trim()
    }

    /// The names typed under For, finished or not.
    fn names(&self) -> impl Iterator<Item = &str> {
        self.values[FOR]
            .split([',', ';'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
    }

    /// The people of the account the name being typed under For may be (those named already
    /// left out): every word typed begins a word of the name.
    fn offered(&self) -> Vec<&(Id, String)> {
        let text = &self.values[FOR];
        let (done, typing) = match text.rfind([',', ';']) {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => ("", text.as_str()),
        };
        let named: Vec<String> = done.split([',', ';']).map(fold).collect();
        let words: Vec<String> = fold(typing).split(' ').map(str::to_string).collect();
        self.people
            .iter()
            .filter(|(_, name)| {
                let key = fold(name);
                !named.contains(&key)
                    && words
                        .iter()
                        .filter(|w| !w.is_empty())
                        .all(|w| key.split(' ').any(|part| part.starts_with(w.as_str())))
            })
            .take(OFFERED)
            .collect()
    }

    /// `→` under For: the name picked replaces the one being typed.
    fn take(&mut self) -> Reply {
        let Some((_, name)) = self.offered().get(self.pick).map(|p| (*p).clone()) else {
            return Reply::Say(
                "No one of the account is called that: type the whole name".into(),
                StatusKind::Info,
            );
        };
        let text = &mut self.values[FOR];
        let kept = text.rfind([',', ';']).map_or(0, |i| i + 1);
        text.truncate(kept);
        if kept > 0 {
            text.push(' ');
        }
        text.push_str(&name);
        text.push_str(", ");
        self.pick = 0;
        self.warned = None;
        Reply::Stay
    }

    /// The one person `typed` names: one of the account's people by their whole name, else
    /// the only person of the notebook the name fits.
    fn person(&self, reader: &Reader<'_>, typed: &str) -> Result<Id, String> {
        let key = fold(typed);
        if let Some((id, _)) = self.people.iter().find(|(_, n)| fold(n) == key) {
            return Ok(*id);
        }
        let found = reader
            .match_names(&[TargetKind::Person], typed, 5)
            .map_err(|e| e.to_string())?;
        let exact: Vec<_> = found.iter().filter(|c| c.exact).collect();
        match (exact.as_slice(), found.as_slice()) {
            ([one], _) => Ok(one.id),
            ([], [one]) => Ok(one.id),
            (_, []) => Err(format!(
                "For: nobody is called \"{}\"",
                sanitize_line(typed)
            )),
            _ => {
                let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
                Err(format!(
                    "For: \"{}\" could be {}: type more of the name",
                    sanitize_line(typed),
                    sanitize_line(&names.join(", "))
                ))
            }
        }
    }

    /// The spend the fields make, or what is wrong with them (naming the field).
    fn spend(&self, reader: &Reader<'_>, now: &DateTime<Local>) -> Result<Spend, String> {
        let amount = amount(self.value(AMOUNT), "Amount")?
            .ok_or("Amount is empty: how much was spent? e.g. 180")?;
        let category = self
            .value(CATEGORY)
            .parse::<SpendCategory>()
            .map_err(|e| format!("Category: {e}; e.g. hospitality"))?;
        let day = day(self.value(DAY), "Day", now)?.unwrap_or(now.date_naive());
        let note = self.value(NOTE);
        let benefited = self
            .names()
            .map(|n| self.person(reader, n))
            .collect::<Result<Vec<_>, _>>()?;
        let transfer = match self.value(TRANSFER) {
            "" => None,
            t => Some(
                t.parse::<Transfer>()
                    .map_err(|e| format!("Transfer: {e}; e.g. registration"))?,
            ),
        };
        Ok(Spend {
            id: 0,
            plan: self.plan,
            day,
            category,
            amount,
            note: (!note.is_empty()).then(|| note.to_string()),
            transfer,
            benefited,
        })
    }

    /// Enter: the spend checked as `ops` will record it; warned first when it breaks a cap.
    fn save(&mut self, ctx: &PopupCtx<'_, '_>) -> Reply {
        let spend = match self.spend(ctx.reader, &ctx.now) {
            Ok(s) => s,
            Err(message) => {
                return Reply::Say(format!("Not saved — {message}"), StatusKind::Error);
            }
        };
        let checked = match ops::check_spend(ctx.reader, &spend, ctx.compliance) {
            Ok((_, checked)) => checked,
            Err(e) => {
                return Reply::Say(
                    format!("Not saved — {}", in_fields(&e.to_string())),
                    StatusKind::Error,
                );
            }
        };
        if !checked.warnings.is_empty() && self.warned.as_ref() != Some(&checked.warnings) {
            self.warned = Some(checked.warnings);
            return Reply::Say(
                "Over a compliance rule (in the popup): Enter records it anyway, or change it"
                    .into(),
                StatusKind::Error,
            );
        }
        Reply::Run(Box::new(ops::AddSpend {
            spend,
            rules: ctx.compliance.clone(),
        }))
    }
}

/// An `ops` refusal in the words of the form: its fields, not the command line's flags.
fn in_fields(message: &str) -> String {
    let m = message
        .replace("record it without --for", "leave For empty")
        .replace("e.g. --for \"Ana López\"", "in For, e.g. Ana López")
        .replace(
            "e.g. --transfer registration",
            "in Transfer, e.g. registration",
        );
    if let Some(rest) = m.strip_prefix("for: ") {
        format!("For: {rest}")
    } else if let Some(rest) = m.strip_prefix("transfer: ") {
        format!("Transfer: {rest}")
    } else {
        m
    }
}

impl Component for SpendForm {
    fn bindings(&self) -> &'static [Binding] {
        if self.focus == FOR {
            FOR_KEYS
        } else {
            FORM_KEYS
        }
    }

    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply {
        let n = LABELS.len();
        match action {
            Action::Back => Reply::Close,
            Action::NextTab => {
                self.focus = (self.focus + 1) % n;
                self.pick = 0;
                Reply::Stay
            }
            Action::PrevTab => {
                self.focus = (self.focus + n - 1) % n;
                self.pick = 0;
                Reply::Stay
            }
            Action::Down if self.focus == FOR => {
                self.pick = (self.pick + 1).min(self.offered().len().saturating_sub(1));
                Reply::Stay
            }
            Action::Up if self.focus == FOR => {
                self.pick = self.pick.saturating_sub(1);
                Reply::Stay
            }
            Action::Add if self.focus == FOR => self.take(),
            Action::Save => self.save(ctx),
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        if !type_into(&mut self.values[self.focus], key) {
            return Reply::Stay;
        }
        self.pick = 0;
        self.warned = None;
        Reply::Stay
    }

    /// The outcome's "see the details" is the warning the popup showed before it saved.
    fn said(&self, message: &str) -> (String, StatusKind) {
        (
            message.replace(
                "over a compliance rule, see the details",
                "over a compliance rule, as warned",
            ),
            StatusKind::Info,
        )
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let width: u16 = 76;
        let room = usize::from(width.min(area.width)).saturating_sub(18).max(8);
        let mut lines = Vec::new();
        for (i, label) in LABELS.iter().enumerate() {
            let focused = i == self.focus;
            lines.extend(field_lines(label, &self.values[i], focused, room, theme));
            if focused && i == FOR {
                for (k, (_, name)) in self.offered().into_iter().enumerate() {
                    let line = Line::from(format!("{:14}{}", "", sanitize_line(name)));
                    lines.push(if k == self.pick {
                        line.style(theme.selected())
                    } else {
                        line.style(theme.dim())
                    });
                }
            }
        }
        lines.push(Line::from(Span::styled(
            format!(" {}", HINTS[self.focus]),
            theme.dim(),
        )));
        for w in self.warned.iter().flatten() {
            lines.push(Line::from(Span::styled(
                format!(" {}", sanitize_line(w)),
                theme.alert(),
            )));
        }
        let keys = if self.warned.is_some() {
            " Enter: save anyway · Esc: cancel"
        } else if self.focus == FOR {
            " Enter: save · →: take the name · Tab: next field · Esc: cancel"
        } else {
            " Enter: save · Tab: next field · Esc: cancel"
        };
        lines.push(Line::from(Span::styled(keys, theme.dim())));
        super::popup::wrapped(area, buf, &self.title, lines, width);
    }
}
