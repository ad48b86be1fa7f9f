//! Reading what was typed in the capture popup: the date field's preview (the parsed date or
//! the error, as you type) and the full check on `Ctrl-S` that turns the fields into a
//! [`Plan`] or names the first field in error. The rules are the command line's
//! ([`crate::capture`], [`crate::when`]).

use chrono::{DateTime, Local};

use super::{Capture, Field, MeetingPlan, Mode, Plan};
use crate::capture::{self, describe_due};
use crate::domain::{Due, Timestamp};
use crate::when;

impl Capture {
    /// What a date field reads as, for the line under it; `None` while it is empty.
    pub fn preview(&self, field: Field, now: &DateTime<Local>) -> Option<Result<String, String>> {
        let today = now.date_naive();
        if field == Field::Next {
            if self.next.trim().is_empty() {
                return None;
            }
            return Some(
                capture::parse_follow_up(&self.next, now)
                    .map(|f| format!("→ {} · {}", describe_due(f.due, today), f.text))
                    .map_err(|e| e.to_string()),
            );
        }
        if self.when.trim().is_empty() {
            return None;
        }
        Some(match self.mode {
            Mode::Note | Mode::Outcome { .. } => capture::parse_follow_up(&self.when, now)
                .map(|f| format!("→ {} · {}", describe_due(f.due, today), f.text))
                .map_err(|e| e.to_string()),
            Mode::FollowUp => self
                .due(now)
                .map(|d| format!("→ {}", describe_due(d, today))),
            Mode::Meeting => self.start(now).map(|s| {
                let said = format!("→ {}", describe_due(Due::At(s), today));
                if s <= now.fixed_offset() {
                    format!("{said} · past: logged as done, say how it went")
                } else {
                    said
                }
            }),
        })
    }

    fn due(&self, now: &DateTime<Local>) -> Result<Due, String> {
        let w = when::parse_when(&self.when, now).map_err(|e| e.to_string())?;
        capture::due_of(&w, &self.when).map_err(|e| e.to_string())
    }

    pub(super) fn start(&self, now: &DateTime<Local>) -> Result<Timestamp, String> {
        capture::meeting_start(&self.when, now)
    }

    /// Checks everything typed; the first field in error and why, or what to write.
    pub fn plan(&self, now: &DateTime<Local>) -> Result<Plan, (Field, String)> {
        let text = self.text_string();
        let next = || {
            (!self.when.trim().is_empty())
                .then(|| capture::parse_follow_up(&self.when, now))
                .transpose()
                .map_err(|e| (Field::When, e.to_string()))
        };
        let target = || {
            self.picker.chosen.clone().ok_or((
                Field::Target,
                "pick an account or a person: type a name, ↑/↓, Enter".to_string(),
            ))
        };
        let need_text = |what: &str| {
            if text.is_empty() {
                Err((Field::Text, format!("the {what} is empty")))
            } else {
                Ok(text.clone())
            }
        };
        match self.mode {
            Mode::Outcome {
                meeting, version, ..
            } => Ok(Plan::Outcome {
                meeting,
                version,
                outcome: (!text.is_empty()).then(|| text.clone()),
                next: next()?,
            }),
            Mode::Note => Ok(Plan::Note {
                target: target()?,
                body: need_text("note")?,
                next: next()?,
            }),
            Mode::FollowUp => {
                let target = target()?;
                let due = if self.when.trim().is_empty() {
                    Err("when is it due? e.g. +3d, fri, 2026-12-01".to_string())
                } else {
                    self.due(now)
                }
                .map_err(|e| (Field::When, e))?;
                Ok(Plan::FollowUp {
                    target,
                    text: need_text("follow-up")?,
                    due,
                })
            }
            Mode::Meeting => self.meeting_plan(now, target()?, &text),
        }
    }
}

impl Capture {
    /// A meeting ahead (planned) or past (logged), checked field by field.
    fn meeting_plan(
        &self,
        now: &DateTime<Local>,
        target: super::picker::Target,
        text: &str,
    ) -> Result<Plan, (Field, String)> {
        let start = if self.when.trim().is_empty() {
            Err("when? e.g. tomorrow 10:00, fri 9:30, yesterday 20:00".to_string())
        } else {
            self.start(now)
        }
        .map_err(|e| (Field::When, e))?;
        let end = (!self.duration.trim().is_empty())
            .then(|| when::parse_duration(&self.duration))
            .transpose()
            .map_err(|e| (Field::Duration, e.to_string()))?
            .map(|d| start + d);
        let kind = capture::meeting_kind(&self.kind).map_err(|e| (Field::Kind, e))?;
        let (title, body) = match text.split_once('\n') {
            Some((t, rest)) if !rest.trim().is_empty() => {
                (t.trim().to_string(), Some(rest.to_string()))
            }
            _ => (text.trim().to_string(), None),
        };
        let location = self.location.trim();
        let location = (!location.is_empty()).then(|| location.to_string());
        let with = self.attendees.iter().map(|a| a.id).collect();
        let mut plan = MeetingPlan {
            target,
            start,
            end,
            kind,
            title: (!title.is_empty()).then_some(title),
            body,
            location,
            with,
            goal: None,
            asks: Vec::new(),
            outcome: None,
            next: None,
        };
        if start <= now.fixed_offset() {
            let outcome = self.outcome.trim();
            if outcome.is_empty() {
                return Err((
                    Field::Outcome,
                    "how did it go? e.g. agreed a pilot in March".to_string(),
                ));
            }
            plan.outcome = Some(outcome.to_string());
            plan.next = (!self.next.trim().is_empty())
                .then(|| capture::parse_follow_up(&self.next, now))
                .transpose()
                .map_err(|e| (Field::Next, e.to_string()))?;
            return Ok(Plan::Log(plan));
        }
        if plan.title.is_none() {
            return Err((Field::Text, "what is the meeting about?".to_string()));
        }
        let goal = self.goal.trim();
        plan.goal = (!goal.is_empty()).then(|| goal.to_string());
        plan.asks = self
            .ask
            .split(';')
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_string)
            .collect();
        Ok(Plan::Meeting(plan))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::TargetKind;
    use crate::tui::capture::picker::Target;

    fn morning() -> DateTime<Local> {
        Local
            .with_ymd_and_hms(2026, 11, 27, 8, 0, 0)
            .earliest()
            .expect("a plain morning")
    }

    fn meeting(when: &str) -> Capture {
        let target = Target {
            kind: TargetKind::Account,
            id: 1,
            name: "Acme".into(),
            context: None,
        };
        let mut c = Capture::new(Mode::Meeting, Some(target));
        c.when = when.into();
        c
    }

    #[test]
    fn a_past_meeting_is_logged_and_needs_its_outcome() {
        let now = morning();
        let mut c = meeting("yesterday 21:00");
        assert!(c.logging(&now));
        assert!(c.fields(&now).contains(&Field::Outcome));
        assert!(!c.fields(&now).contains(&Field::Goal));
        let (field, e) = c.plan(&now).unwrap_err();
        assert_eq!(field, Field::Outcome, "{e}");
        c.outcome = "agreed the pilot".into();
        c.kind = "meal".into();
        c.next = "+2d send the terms".into();
        let Ok(Plan::Log(plan)) = c.plan(&now) else {
            panic!("not logged: {:?}", c.plan(&now));
        };
        assert_eq!(plan.kind, crate::domain::InteractionKind::Meal);
        assert_eq!(plan.outcome.as_deref(), Some("agreed the pilot"));
        assert_eq!(plan.next.map(|n| n.text).as_deref(), Some("send the terms"));
    }

    #[test]
    fn a_meeting_ahead_is_planned_with_its_goal_and_questions() {
        let now = morning();
        let mut c = meeting("tomorrow 10:00");
        assert!(!c.logging(&now));
        c.set_text("Pilot kick-off");
        c.goal = "agree the dates".into();
        c.ask = "who signs? ; ;budget line".into();
        c.kind = "lunch".into();
        let (field, _) = c.plan(&now).unwrap_err();
        assert_eq!(field, Field::Kind);
        c.kind = "visit".into();
        let Ok(Plan::Meeting(plan)) = c.plan(&now) else {
            panic!("not planned: {:?}", c.plan(&now));
        };
        assert_eq!(plan.kind, crate::domain::InteractionKind::Visit);
        assert_eq!(plan.goal.as_deref(), Some("agree the dates"));
        assert_eq!(plan.asks, ["who signs?", "budget line"]);
    }
}
