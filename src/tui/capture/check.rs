//! Reading what was typed in the capture popup: the date field's preview (the parsed date or
//! the error, as you type) and the full check on `Ctrl-S` that turns the fields into a
//! [`Plan`] or names the first field in error. The rules are the command line's
//! ([`crate::capture`], [`crate::when`]).

use chrono::{DateTime, Local};

use super::{Capture, Field, Mode, Plan};
use crate::capture::{self, describe_due};
use crate::domain::{Due, Timestamp};
use crate::when;

impl Capture {
    /// What the date field reads as, for the line under it; `None` while it is empty.
    pub fn preview(&self, now: &DateTime<Local>) -> Option<Result<String, String>> {
        if self.when.trim().is_empty() {
            return None;
        }
        let today = now.date_naive();
        Some(match self.mode {
            Mode::Note | Mode::Outcome { .. } => capture::parse_follow_up(&self.when, now)
                .map(|f| format!("→ {} · {}", describe_due(f.due, today), f.text))
                .map_err(|e| e.to_string()),
            Mode::FollowUp => self
                .due(now)
                .map(|d| format!("→ {}", describe_due(d, today))),
            Mode::Meeting => self
                .start(now)
                .map(|s| format!("→ {}", describe_due(Due::At(s), today))),
        })
    }

    fn due(&self, now: &DateTime<Local>) -> Result<Due, String> {
        let w = when::parse_when(&self.when, now).map_err(|e| e.to_string())?;
        capture::due_of(&w, &self.when).map_err(|e| e.to_string())
    }

    fn start(&self, now: &DateTime<Local>) -> Result<Timestamp, String> {
        let w = when::parse_when(&self.when, now).map_err(|e| e.to_string())?;
        let Some(time) = w.time else {
            return Err(format!(
                "give a time too, e.g. \"{} 10:00\"",
                crate::text::sanitize_line(self.when.trim())
            ));
        };
        when::resolve(w.date, time, &Local, &self.when).map_err(|e| e.to_string())
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
            Mode::Meeting => {
                let target = target()?;
                let start = if self.when.trim().is_empty() {
                    Err("when? e.g. tomorrow 10:00, fri 9:30".to_string())
                } else {
                    self.start(now)
                }
                .map_err(|e| (Field::When, e))?;
                let end = (!self.duration.trim().is_empty())
                    .then(|| when::parse_duration(&self.duration))
                    .transpose()
                    .map_err(|e| (Field::Duration, e.to_string()))?
                    .map(|d| start + d);
                let (title, body) = match text.split_once('\n') {
                    Some((t, rest)) if !rest.trim().is_empty() => {
                        (t.trim().to_string(), Some(rest.to_string()))
                    }
                    _ => (text.trim().to_string(), None),
                };
                if title.is_empty() {
                    return Err((Field::Text, "what is the meeting about?".to_string()));
                }
                let location = self.location.trim();
                Ok(Plan::Meeting {
                    target,
                    start,
                    end,
                    title,
                    body,
                    location: (!location.is_empty()).then(|| location.to_string()),
                })
            }
        }
    }
}
