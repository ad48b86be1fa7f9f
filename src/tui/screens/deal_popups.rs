//! The popups of deals and plans, as components (`crate::tui::component`): the stage chooser of
//! a deal and the reason of its move (a lost deal needs one: `ops` refuses the move without
//! it and the prompt stays open), and a small form of a few one-line fields that edits a
//! deal's probability and close date, or adds a deal, an obligation or a plan. None writes:
//! each replies the `ops` command the app runs.

use chrono::{DateTime, Local, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::RenderCtx;
use crate::domain::{
    AnyStage, Deal, DealStage, Due, Extra, FollowUp, Id, Obligation, ObligationKind,
    ObligationStatus, Party, Plan, PlanStatus, PlanSubject, Vocabulary,
};
use crate::ops;
use crate::store::{Reader, TargetKind};
use crate::text::{sanitize_line, truncate};
use crate::tui::action::Action;
use crate::tui::app::StatusKind;
use crate::tui::component::{Component, PopupCtx, Reply};
use crate::tui::keymap::{self, Binding, Key};
use crate::tui::popup::centered;

/// Picks a deal's next stage; a reason prompt follows.
pub struct DealStageChooser {
    deal: Id,
    /// The deal's version when the chooser opened (the move checks it).
    version: i64,
    /// "#d3 Tender 2027", for the messages.
    label: String,
    current: Option<usize>,
    cursor: usize,
}

impl DealStageChooser {
    pub fn new(deal: Id, version: i64, label: String, current: Option<DealStage>) -> Self {
        let current = current.and_then(|c| DealStage::ALL.iter().position(|s| *s == c));
        DealStageChooser {
            deal,
            version,
            label,
            cursor: current.map_or(0, |c| (c + 1).min(DealStage::ALL.len() - 1)),
            current,
        }
    }
}

impl Component for DealStageChooser {
    fn bindings(&self) -> &'static [Binding] {
        keymap::CHOOSE
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back => Reply::Close,
            Action::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                Reply::Stay
            }
            Action::Down => {
                self.cursor = (self.cursor + 1).min(DealStage::ALL.len() - 1);
                Reply::Stay
            }
            Action::Save => match DealStage::ALL.get(self.cursor) {
                Some(&stage) if Some(self.cursor) == self.current => Reply::Say(
                    format!("{} is already {}", self.label, stage.as_str()),
                    StatusKind::Info,
                ),
                Some(&stage) => Reply::Replace(Box::new(StageReason {
                    deal: self.deal,
                    version: self.version,
                    label: self.label.clone(),
                    stage,
                    input: String::new(),
                })),
                None => Reply::Close,
            },
            _ => Reply::Stay,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let mut lines: Vec<Line> = DealStage::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let now = Some(i) == self.current;
                let line = Line::from(format!(
                    " {} {}{}",
                    if now { "•" } else { " " },
                    s.as_str(),
                    if now { "  (now)" } else { "" }
                ));
                if i == self.cursor {
                    line.style(theme.selected())
                } else {
                    line
                }
            })
            .collect();
        lines.push(Line::from(Span::styled(
            " Enter: pick · Esc: cancel",
            theme.dim(),
        )));
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let rect = centered(area, 44, height);
        Clear.render(rect, buf);
        let title = truncate(&sanitize_line(&self.label), 38).into_owned();
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" Stage of {title} ")))
            .render(rect, buf);
    }
}

/// The reason of a deal's stage move: optional, except for a loss (the rule is `ops`').
pub struct StageReason {
    deal: Id,
    version: i64,
    label: String,
    stage: DealStage,
    input: String,
}

impl Component for StageReason {
    fn bindings(&self) -> &'static [Binding] {
        keymap::LINE
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back => Reply::Close,
            Action::Save => {
                let note = self.input.trim();
                Reply::Run(Box::new(ops::MoveStage {
                    id: self.deal,
                    to: AnyStage::Deal(self.stage),
                    note: (!note.is_empty()).then(|| note.to_string()),
                    label: self.label.clone(),
                    version: Some(self.version),
                }))
            }
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        type_into(&mut self.input, key);
        Reply::Stay
    }

    /// Refused (a loss without its reason): the prompt stays open with what was typed.
    fn failed(&mut self, error: &ops::OpsError, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match error {
            ops::OpsError::Conflict { .. } => Reply::Then(Action::Refresh),
            ops::OpsError::Invalid(_) if self.stage == DealStage::Lost => Reply::Say(
                "Not moved — a lost deal needs the reason: type why (price, a competitor…)".into(),
                StatusKind::Error,
            ),
            _ => Reply::Stay,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let question = if self.stage == DealStage::Lost {
            "Why was it lost? (needed: price, a competitor, the budget…)"
        } else {
            "Why? (optional)"
        };
        let lines = vec![
            Line::from(question),
            Line::from(vec![
                Span::raw("> "),
                Span::raw(sanitize_line(&self.input).into_owned()),
                Span::styled("█", theme.dim()),
            ]),
            Line::from(Span::styled("Enter: move · Esc: cancel", theme.dim())),
        ];
        let rect = centered(area, 64, 7);
        Clear.render(rect, buf);
        let title = truncate(&sanitize_line(&self.label), 40).into_owned();
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(format!(" {title} → {} ", self.stage.as_str())))
            .render(rect, buf);
    }
}

/// Edits `text` with a typed key (characters, Backspace): whether the key was one of those.
/// A form field as lines: its label, its value wrapped under itself in `room` columns, and
/// the cursor at the end when it has the focus (the deal forms and the spend form).
pub(crate) fn field_lines(
    label: &str,
    value: &str,
    focused: bool,
    room: usize,
    theme: crate::tui::theme::Theme,
) -> Vec<Line<'static>> {
    let parts = crate::tui::wrap::wrap(value, room);
    let last = parts.len().saturating_sub(1);
    parts
        .into_iter()
        .enumerate()
        .map(|(n, part)| {
            let label = if n == 0 { label } else { "" };
            let mut spans = vec![
                Span::styled(
                    format!(" {label:<12} "),
                    if focused { theme.key() } else { theme.dim() },
                ),
                Span::raw(part),
            ];
            if focused && n == last {
                spans.push(Span::styled("█", theme.dim()));
            }
            Line::from(spans)
        })
        .collect()
}

pub(crate) fn type_into(text: &mut String, key: &KeyEvent) -> bool {
    match key.code {
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
        _ => return false,
    }
    true
}

/// The keys of a [`FieldsForm`] (and of any form of fields); other keys type into the focused
/// field.
pub(crate) const FORM_KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter), Key::ctrl('s')],
        label: "Enter",
        help: "save",
        action: Action::Save,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab), Key::plain(KeyCode::Down)],
        label: "Tab/↓",
        help: "next field",
        action: Action::NextTab,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab), Key::plain(KeyCode::Up)],
        label: "S-Tab/↑",
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

/// What a [`FieldsForm`] saves.
#[derive(Debug, Clone)]
pub enum Purpose {
    /// A deal's probability and close date (the rest of the deal as read, at `version`).
    EditDeal { deal: Box<Deal>, version: i64 },
    /// A new deal (account, title, value, currency, probability, close).
    AddDeal,
    /// A new obligation of a deal.
    AddObligation { deal: Id, label: String },
    /// A new plan for an account or a person.
    AddPlan { subject: PlanSubject },
    /// A follow-up's due date, text and plan (as read, at `version`; `plan` the one it was a
    /// step of).
    EditFollowUp {
        followup: Box<FollowUp>,
        version: i64,
        plan: Option<Id>,
    },
    /// A plan's fields (as read, at `version`).
    EditPlan { plan: Box<Plan>, version: i64 },
}

/// One line of a form.
#[derive(Debug, Clone)]
struct Field {
    label: &'static str,
    hint: &'static str,
    value: String,
}

/// A few one-line fields; `Enter` saves, `Tab` moves on.
pub struct FieldsForm {
    title: String,
    fields: Vec<Field>,
    focus: usize,
    purpose: Purpose,
}

fn field(label: &'static str, hint: &'static str, value: impl Into<String>) -> Field {
    Field {
        label,
        hint,
        value: value.into(),
    }
}

/// A number as typed back into a field: no needless ".0".
fn number(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

impl FieldsForm {
    /// Edits the probability and the close date of `deal` (read at `version`).
    pub fn edit_deal(deal: Deal, version: i64, label: &str) -> Self {
        FieldsForm {
            title: format!("Edit {label}"),
            fields: vec![
                field(
                    "Probability",
                    "0 to 100 (%); empty: none",
                    deal.probability.map(number).unwrap_or_default(),
                ),
                field(
                    "Close",
                    "e.g. 2027-03-31, +3w, fri; empty: none",
                    deal.close.map(|c| c.to_string()).unwrap_or_default(),
                ),
            ],
            focus: 0,
            purpose: Purpose::EditDeal {
                deal: Box::new(deal),
                version,
            },
        }
    }

    /// Adds a deal, for the account named `account` (changeable; empty when none is known).
    pub fn add_deal(account: &str) -> Self {
        FieldsForm {
            title: "New deal".into(),
            fields: vec![
                field("Account", "its name", account),
                field("Title", "e.g. Tender 2027, Lot 3", ""),
                field("Value", "e.g. 250000; empty: none yet", ""),
                field("Currency", "ISO 4217, e.g. EUR (needed with a value)", ""),
                field("Probability", "0 to 100 (%)", ""),
                field("Close", "expected close, e.g. 2027-03-31, +3m", ""),
            ],
            focus: usize::from(!account.is_empty()),
            purpose: Purpose::AddDeal,
        }
    }

    /// Adds an obligation to deal `deal` (named `label`), in the deal's `currency`.
    pub fn add_obligation(deal: Id, label: &str, currency: Option<&str>) -> Self {
        FieldsForm {
            title: format!("New obligation of {label}"),
            fields: vec![
                field("What", "e.g. Invoice 118, deliver lot 1", ""),
                field("Due", "e.g. 2026-12-15, +30d", ""),
                field("Whose", "client (they owe us) or us", "client"),
                field("Kind", "payment, delivery or clause", "payment"),
                field("Amount", "e.g. 30000; empty: none", ""),
                field(
                    "Currency",
                    "ISO 4217, e.g. EUR",
                    currency.unwrap_or_default(),
                ),
            ],
            focus: 0,
            purpose: Purpose::AddObligation {
                deal,
                label: label.to_string(),
            },
        }
    }

    /// Adds a plan for `subject` (named `name`).
    pub fn add_plan(subject: PlanSubject, name: &str) -> Self {
        FieldsForm {
            title: format!("New plan for {name}"),
            fields: vec![
                field(
                    "Objective",
                    "what it should achieve, e.g. Advisory board chair",
                    "",
                ),
                field("Target", "e.g. 2027-03-31, +90d; empty: none", ""),
                field("Budget", "e.g. 20000; empty: none", ""),
                field("Currency", "ISO 4217, e.g. EUR (needed with a budget)", ""),
            ],
            focus: 0,
            purpose: Purpose::AddPlan { subject },
        }
    }

    /// Edits follow-up `followup` (read at `version`), a step of `plan` when it is one.
    pub fn edit_followup(followup: FollowUp, version: i64, plan: Option<Id>) -> Self {
        FieldsForm {
            title: format!(
                "Edit follow-up {}",
                crate::domain::RecordRef::of(crate::domain::RecordKind::FollowUp, followup.id)
            ),
            fields: vec![
                field(
                    "Due",
                    "e.g. fri, +1w, 2026-12-01 9:30",
                    due_text(followup.due),
                ),
                field(
                    "Text",
                    "what to do, e.g. send the price list",
                    &followup.text,
                ),
                field(
                    "Plan",
                    "the plan it is a step of, e.g. #3; empty: none",
                    plan.map(|p| format!("#{p}")).unwrap_or_default(),
                ),
            ],
            focus: 0,
            purpose: Purpose::EditFollowUp {
                followup: Box::new(followup),
                version,
                plan,
            },
        }
    }

    /// Edits plan `plan` (read at `version`).
    pub fn edit_plan(plan: Plan, version: i64) -> Self {
        let money = |v: Option<f64>| v.map(number).unwrap_or_default();
        FieldsForm {
            title: format!("Edit plan #{}", plan.id),
            fields: vec![
                field(
                    "Objective",
                    "what it should achieve, e.g. Advisory board chair",
                    &plan.objective,
                ),
                field(
                    "Target",
                    "e.g. 2027-03-31, +90d; empty: none",
                    plan.target.map(|t| t.to_string()).unwrap_or_default(),
                ),
                field("Budget", "e.g. 20000; empty: none", money(plan.budget)),
                field(
                    "Spent",
                    "the total spent so far (p then $ records one spend)",
                    money(plan.spent),
                ),
                field(
                    "Currency",
                    "ISO 4217, e.g. EUR (needed with a budget)",
                    plan.currency.clone().unwrap_or_default(),
                ),
                field(
                    "Status",
                    "active, achieved or dropped",
                    plan.status.map(Vocabulary::as_str).unwrap_or_default(),
                ),
                field(
                    "Notes",
                    "one line; empty: none",
                    plan.notes.clone().unwrap_or_default(),
                ),
            ],
            focus: 0,
            purpose: Purpose::EditPlan {
                plan: Box::new(plan),
                version,
            },
        }
    }

    fn value(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map_or("", |f| f.value.trim())
    }

    /// The edit of a follow-up the fields make.
    fn followup_command(
        &self,
        followup: &FollowUp,
        version: i64,
        plan: Option<Id>,
        ctx: &PopupCtx<'_, '_>,
    ) -> Result<Box<dyn ops::Command>, String> {
        let now = &ctx.now;
        let typed = self.value("Due");
        let due = if typed == due_text(followup.due) {
            None
        } else if typed.is_empty() {
            return Err("Due is empty: give the day, e.g. fri or 2026-12-01".into());
        } else {
            let w = crate::when::parse_when(typed, now).map_err(|e| format!("Due: {e}"))?;
            Some(crate::capture::due_of(&w, typed).map_err(|e| format!("Due: {e}"))?)
        };
        let text = self.value("Text");
        let new_plan = plan_ref(ctx.reader, self.value("Plan"))?;
        let changed = due.is_some() || text != followup.text || new_plan != plan;
        Ok(Box::new(ops::EditFollowUp {
            id: followup.id,
            version: Some(version),
            due,
            // Nothing changed: `ops` says so (the text given back as it is).
            text: (text != followup.text || !changed).then(|| text.to_string()),
            plan: (new_plan != plan).then_some(new_plan),
        }))
    }

    /// The edit of a plan the fields make.
    fn plan_command(
        &self,
        plan: &Plan,
        version: i64,
        now: &DateTime<Local>,
    ) -> Result<Box<dyn ops::Command>, String> {
        let mut p = plan.clone();
        p.objective = self.value("Objective").to_string();
        p.target = day(self.value("Target"), "Target", now)?;
        p.budget = amount(self.value("Budget"), "Budget")?;
        p.spent = amount(self.value("Spent"), "Spent")?;
        p.currency = currency(self.value("Currency"));
        if let Some(c) = &p.currency {
            crate::domain::check_currency("Currency", c)
                .map_err(|e| format!("Currency: {}", e.problem))?;
        }
        let status = self.value("Status");
        p.status = if status.is_empty() {
            None
        } else {
            Some(
                status
                    .parse::<PlanStatus>()
                    .map_err(|e| format!("Status: {e}; e.g. active"))?,
            )
        };
        let notes = self.value("Notes");
        // Notes left as they were are kept as they were (their spaces, their lines).
        if plan.notes.as_deref().unwrap_or("").trim() != notes {
            p.notes = (!notes.is_empty()).then(|| notes.to_string());
        }
        Ok(Box::new(ops::EditPlan { plan: p, version }))
    }

    /// The command the fields make, or what is wrong with them (naming the field).
    fn command(&self, ctx: &PopupCtx<'_, '_>) -> Result<Box<dyn ops::Command>, String> {
        let now = &ctx.now;
        Ok(match &self.purpose {
            Purpose::EditDeal { deal, version } => {
                let mut d = (**deal).clone();
                d.probability = percent(self.value("Probability"))?;
                d.close = day(self.value("Close"), "Close", now)?;
                Box::new(ops::EditDeal {
                    deal: d,
                    version: *version,
                })
            }
            Purpose::AddDeal => {
                let (account, account_name) = account(ctx.reader, self.value("Account"))?;
                let title = self.value("Title");
                if title.is_empty() {
                    return Err("Title is empty: name the deal, e.g. Tender 2027".into());
                }
                let deal = Deal {
                    id: 0,
                    uid: crate::capture::new_uid(),
                    account,
                    title: title.to_string(),
                    kind: None,
                    stage: None,
                    value: amount(self.value("Value"), "Value")?,
                    currency: currency(self.value("Currency")),
                    probability: percent(self.value("Probability"))?,
                    close: day(self.value("Close"), "Close", now)?,
                    commission_rate: None,
                    milestones: Vec::new(),
                    notes: None,
                    extra: Extra::new(),
                };
                Box::new(ops::AddDeal {
                    deal,
                    stage: DealStage::Lead,
                    account_name,
                })
            }
            Purpose::AddObligation { deal, label } => {
                let text = self.value("What");
                if text.is_empty() {
                    return Err("What is empty: say what is due, e.g. Invoice 118".into());
                }
                let due = day(self.value("Due"), "Due", now)?
                    .ok_or("Due is empty: give the day, e.g. 2026-12-15 or +30d")?;
                let party = Party::parse(self.value("Whose"))
                    .map_err(|e| format!("Whose: {e}; e.g. client"))?;
                let kind = ObligationKind::parse(self.value("Kind"))
                    .map_err(|e| format!("Kind: {e}; e.g. payment"))?;
                Box::new(ops::AddObligation {
                    obligation: Obligation {
                        id: 0,
                        uid: crate::capture::new_uid(),
                        deal: *deal,
                        text: text.to_string(),
                        due,
                        party: Some(party),
                        kind: Some(kind),
                        amount: amount(self.value("Amount"), "Amount")?,
                        currency: currency(self.value("Currency")),
                        status: Some(ObligationStatus::Open),
                        done_at: None,
                        extra: Extra::new(),
                    },
                    deal_label: label.clone(),
                })
            }
            Purpose::EditFollowUp {
                followup,
                version,
                plan,
            } => self.followup_command(followup, *version, *plan, ctx)?,
            Purpose::EditPlan { plan, version } => self.plan_command(plan, *version, now)?,
            Purpose::AddPlan { subject } => Box::new(ops::AddPlan {
                plan: Plan {
                    id: 0,
                    uid: crate::capture::new_uid(),
                    objective: self.value("Objective").to_string(),
                    subject: *subject,
                    target: day(self.value("Target"), "Target", now)?,
                    budget: amount(self.value("Budget"), "Budget")?,
                    spent: None,
                    currency: currency(self.value("Currency")),
                    status: Some(PlanStatus::Active),
                    notes: None,
                    extra: Extra::new(),
                },
            }),
        })
    }
}

/// A due date as typed back into a field: the day, and the local time of a timed one.
fn due_text(due: Due) -> String {
    match due {
        Due::Day(d) => d.to_string(),
        Due::At(t) => t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The plan `typed` names ("#3" or "3"; empty or "none": no plan).
fn plan_ref(reader: &Reader<'_>, typed: &str) -> Result<Option<Id>, String> {
    if typed.is_empty() || typed.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let id = typed
        .trim_start_matches('#')
        .parse::<Id>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| {
            format!(
                "Plan \"{}\": give a plan's number, e.g. #3, or leave it empty",
                sanitize_line(typed)
            )
        })?;
    match reader.plan(id) {
        Ok(Some(_)) => Ok(Some(id)),
        Ok(None) => Err(format!(
            "Plan #{id}: there is no such plan (p in a dossier lists them)"
        )),
        Err(e) => Err(e.to_string()),
    }
}

fn percent(typed: &str) -> Result<Option<f64>, String> {
    if typed.is_empty() {
        return Ok(None);
    }
    let p = typed.trim_end_matches('%').trim();
    match p.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(Some(v)),
        _ => Err(format!(
            "Probability \"{}\": give 0 to 100, e.g. 40",
            sanitize_line(typed)
        )),
    }
}

pub(crate) fn amount(typed: &str, name: &str) -> Result<Option<f64>, String> {
    if typed.is_empty() {
        return Ok(None);
    }
    crate::domain::parse_amount(name, typed)
        .map(Some)
        .map_err(|e| format!("{name}: {}", e.problem))
}

fn currency(typed: &str) -> Option<String> {
    (!typed.is_empty()).then(|| typed.to_uppercase())
}

pub(crate) fn day(
    typed: &str,
    name: &str,
    now: &DateTime<Local>,
) -> Result<Option<NaiveDate>, String> {
    if typed.is_empty() {
        return Ok(None);
    }
    crate::when::parse_when(typed, now)
        .map(|w| Some(w.date))
        .map_err(|e| format!("{name}: {e}"))
}

/// The one account `typed` names: an exact name, or the only one its words begin.
fn account(reader: &Reader<'_>, typed: &str) -> Result<(Id, String), String> {
    if typed.is_empty() {
        return Err("Account is empty: type the account's name".into());
    }
    let found = reader
        .match_names(&[TargetKind::Account], typed, 5)
        .map_err(|e| e.to_string())?;
    let pick = match found.iter().find(|c| c.exact) {
        Some(c) => c,
        None if found.len() == 1 => &found[0],
        None if found.is_empty() => {
            return Err(format!(
                "Account \"{}\": no account of that name",
                sanitize_line(typed)
            ));
        }
        None => {
            let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
            return Err(format!(
                "Account \"{}\" could be {}: type more of the name",
                sanitize_line(typed),
                sanitize_line(&names.join(", "))
            ));
        }
    };
    Ok((pick.id, pick.name.clone()))
}

impl Component for FieldsForm {
    fn bindings(&self) -> &'static [Binding] {
        FORM_KEYS
    }

    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply {
        let n = self.fields.len();
        match action {
            Action::Back => Reply::Close,
            Action::NextTab => {
                self.focus = (self.focus + 1) % n;
                Reply::Stay
            }
            Action::PrevTab => {
                self.focus = (self.focus + n - 1) % n;
                Reply::Stay
            }
            Action::Save => match self.command(ctx) {
                Ok(c) => Reply::Run(c),
                Err(message) => Reply::Say(format!("Not saved — {message}"), StatusKind::Error),
            },
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        if let Some(f) = self.fields.get_mut(self.focus) {
            type_into(&mut f.value, key);
        }
        Reply::Stay
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let width: u16 = 70;
        // A long value wraps under itself (what was there is all in view, the cursor at its
        // end); the popup is as tall as the wrapped fields.
        let room = usize::from(width.min(area.width)).saturating_sub(18).max(8);
        let mut lines = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            lines.extend(field_lines(f.label, &f.value, i == self.focus, room, theme));
        }
        if let Some(f) = self.fields.get(self.focus) {
            lines.push(Line::from(Span::styled(
                format!(" {}", f.hint),
                theme.dim(),
            )));
        }
        lines.push(Line::from(Span::styled(
            " Enter: save · Tab: next field · Esc: cancel",
            theme.dim(),
        )));
        crate::tui::popup::wrapped(area, buf, &self.title, lines, width);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probability_is_a_percent_and_says_so_when_not() {
        assert_eq!(percent(""), Ok(None));
        assert_eq!(percent("40"), Ok(Some(40.0)));
        assert_eq!(percent("55 %"), Ok(Some(55.0)));
        let err = percent("140").unwrap_err();
        assert!(err.contains("Probability \"140\": give 0 to 100"), "{err}");
        assert!(percent("high").is_err());
    }

    #[test]
    fn numbers_go_back_into_fields_without_a_needless_decimal() {
        assert_eq!(number(40.0), "40");
        assert_eq!(number(12.5), "12.5");
    }
}
