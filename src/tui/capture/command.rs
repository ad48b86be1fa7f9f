//! A checked capture as the one `ops` command that writes it: a note (`ops::AddNote`, its
//! `@name` mentions linking the people they name), a follow-up (`ops::AddFollowUp`), a meeting
//! ahead (`ops::PlanMeeting`, with its attendees and goal), a meeting past (`ops::LogMeeting`,
//! done with its outcome), or a meeting's outcome (`ops::CloseMeeting`). The rules are the
//! command line's: the same records from the same input.

use super::picker::Target;
use super::{MeetingPlan, Plan};
use crate::capture::mention::{MentionOutcome, link, resolve_mentions};
use crate::capture::{PendingFollowUp, new_followup, new_interaction, parties};
use crate::domain::{Id, Interaction, InteractionKind, InteractionStatus, RecordKind, RecordRef};
use crate::ops::{self, Command};
use crate::store::{Reader, StoreError, TargetKind};

/// The command for `plan` at `now`, and what its mentions linked (a note's).
pub(super) fn command(
    plan: Plan,
    reader: &Reader<'_>,
    now: crate::domain::Timestamp,
) -> Result<(Box<dyn Command>, Vec<MentionOutcome>), StoreError> {
    Ok(match plan {
        Plan::Note { target, body, next } => {
            let (account, people) = parties(reader, target.kind, target.id)?;
            let mentioned = resolve_mentions(reader, &body)?;
            let mut named = Vec::new();
            link(&mut named, &mentioned);
            let note = Interaction {
                body: Some(body),
                mentioned: named,
                ..new_interaction(InteractionKind::Note, now, &now, account, people)
            };
            let command = ops::AddNote {
                note,
                person: person_of(&target),
                follow_up: next,
                on: reference(&target),
            };
            (Box::new(command), mentioned)
        }
        Plan::FollowUp { target, text, due } => {
            let (account, _) = parties(reader, target.kind, target.id)?;
            let followup = new_followup(
                PendingFollowUp { due, text },
                account,
                person_of(&target),
                None,
            );
            (
                Box::new(ops::AddFollowUp {
                    followup,
                    plan: None,
                }),
                Vec::new(),
            )
        }
        Plan::Meeting(plan) => (planned(plan, reader, now)?, Vec::new()),
        Plan::Log(plan) => (logged(plan, reader, now)?, Vec::new()),
        Plan::Outcome {
            meeting,
            version,
            outcome,
            next,
        } => (
            Box::new(ops::CloseMeeting {
                id: meeting,
                version: Some(version),
                outcome,
                follow_up: next,
            }),
            Vec::new(),
        ),
    })
}

/// A meeting ahead, with its attendees and goal (`ops::PlanMeeting`).
fn planned(
    plan: MeetingPlan,
    reader: &Reader<'_>,
    now: crate::domain::Timestamp,
) -> Result<Box<dyn Command>, StoreError> {
    let (account, people) = attendees(reader, &plan.target, &plan.with)?;
    let meeting = Interaction {
        end: plan.end,
        title: plan.title,
        body: plan.body,
        location: plan.location,
        ..new_interaction(plan.kind, plan.start, &now, account, people)
    };
    Ok(Box::new(ops::PlanMeeting {
        meeting,
        goal: plan.goal,
        asks: plan.asks,
        with: reference(&plan.target),
    }))
}

/// A meeting past, done with its outcome and maybe its next step (`ops::LogMeeting`).
fn logged(
    plan: MeetingPlan,
    reader: &Reader<'_>,
    now: crate::domain::Timestamp,
) -> Result<Box<dyn Command>, StoreError> {
    let (account, people) = attendees(reader, &plan.target, &plan.with)?;
    let meeting = Interaction {
        end: plan.end,
        title: plan.title,
        body: plan.body,
        location: plan.location,
        outcome: plan.outcome,
        status: InteractionStatus::Done,
        ..new_interaction(plan.kind, plan.start, &now, account, people)
    };
    Ok(Box::new(ops::LogMeeting {
        meeting,
        follow_up: plan.next,
    }))
}

/// A meeting's account and people: the target's, then the attendees picked.
fn attendees(
    reader: &Reader<'_>,
    target: &Target,
    with: &[Id],
) -> Result<(Option<Id>, Vec<Id>), StoreError> {
    let (account, mut people) = parties(reader, target.kind, target.id)?;
    for p in with {
        if !people.contains(p) {
            people.push(*p);
        }
    }
    Ok((account, people))
}

fn person_of(target: &Target) -> Option<Id> {
    (target.kind == TargetKind::Person).then_some(target.id)
}

/// "#a1 Acme", as the command line names a target in its messages.
fn reference(target: &Target) -> String {
    let kind = match target.kind {
        TargetKind::Person => RecordKind::Person,
        TargetKind::Deal => RecordKind::Deal,
        TargetKind::Account => RecordKind::Account,
    };
    format!("{} {}", RecordRef::of(kind, target.id), target.name)
}
