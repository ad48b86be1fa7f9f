//! Everything the user can ask of the TUI, as data. Keys become actions through the keymap;
//! [`super::app::App::update`] is the one place that carries them out (and the one TUI place
//! that touches the store). An action may lead to another (returned by `update`).

use crossterm::event::KeyEvent;

use crate::store::TargetKind;

/// The main screens, on the number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenKind {
    Agenda,
    Accounts,
    People,
    /// The pipeline: deals by stage (key `4`).
    Deals,
    /// Pareto curve, pipeline chart, stage moves, cooling relationships, plan budgets (`5`).
    Insights,
    /// The key people by stage, never seen, loyal or better, cooling, by account (`6`).
    Coverage,
}

/// What the capture popup writes down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureKind {
    Note,
    FollowUp,
    Meeting,
}

/// A user intention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave kamnote (the draft, if any, is kept).
    Quit,
    /// Ctrl-Z: hand the terminal back to the shell until `fg`.
    Suspend,
    /// Close the popup, or go back one screen (nothing more on the agenda).
    Back,
    /// `q`: back one screen, or quit from the agenda.
    Leave,
    /// Show every key of the current screen.
    Help,
    /// Reload what is shown from the notebook.
    Refresh,
    /// Switch to a main screen.
    Go(ScreenKind),
    /// Open the dossier of an account or person.
    Open(TargetKind, i64),
    /// Open whatever is selected.
    OpenSelected,
    /// Open the prep screen (pre-meeting brief) of a meeting.
    Prep(i64),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NextTab,
    PrevTab,
    /// Agenda: the previous / next day (or week).
    PrevDay,
    NextDay,
    Today,
    ToggleWeek,
    /// Agenda: select the account with the worst red flags.
    WorstRedFlags,
    /// Open the capture popup (for the selected account or person, if any).
    Capture(CaptureKind),
    /// Agenda: mark the selected meeting done and capture its outcome.
    MeetingDone,
    /// Agenda: mark the selected follow-up done.
    FollowUpDone,
    /// Agenda: ask when to snooze the selected follow-up to.
    Snooze,
    /// Dossier: edit the record's fields in a form.
    Edit,
    /// Dossier: choose a new stage (account or person), then an optional reason.
    ChangeStage,
    /// Person dossier: accept the suggested move to `cooling` (reason "no contact for N days").
    AcceptCooling,
    /// Person dossier: choose a new buying role.
    ChangeRole,
    /// Person dossier: choose a new attitude toward us.
    ChangeAttitude,
    /// Person dossier: link them to someone (choose the kind, then the person).
    AddLink,
    /// Person dossier: remove the selected link (after a confirm).
    RemoveLink,
    /// Lists: focus the filter.
    Filter,
    /// Lists: next sort key.
    Sort,
    /// Lists: flip the sort direction.
    ReverseSort,
    /// Lists: empty the filter and leave it.
    ClearFilter,
    /// A key for the focused text field (filter, popup).
    Input(KeyEvent),
    /// Popup: save (Ctrl-S).
    Save,
    /// Popup: edit the text in `$EDITOR` (Ctrl-E).
    ExternalEditor,
    /// The terminal changed size.
    Resize,
    /// Open the search screen.
    Search,
    /// Deals screen: switch between the pipeline and the tender calendar.
    ToggleCalendar,
    /// A meeting (agenda, prep): move it to another time.
    RescheduleMeeting,
    /// A meeting (agenda, prep): cancel it, with an optional reason.
    CancelMeeting,
    /// Open the interaction screen of a note, call, meeting... (its full text, people, edit).
    OpenInteraction(i64),
    /// `a`: add what the screen holds (an account, a person; a person of the account shown).
    Add,
    /// Open the empty form of a new account or person (of this account, when given).
    AddRecord(TargetKind, Option<i64>),
    /// Dossier: archive its record, or restore it (after a confirm).
    Archive,
    /// Dossier: merge a duplicate into its record (pick, preview, confirm).
    Merge,
    /// Open a deal's screen with one of its obligations selected (an agenda receivable); the
    /// deal is looked up when not known.
    OpenObligation {
        deal: Option<i64>,
        obligation: i64,
    },
    /// Deal screen: mark the selected obligation done (delivered, paid).
    ObligationDone,
    /// Deal screen: add an obligation to the deal.
    AddObligation,
    /// Deal screen: archive the deal, or restore it when archived.
    ArchiveDeal,
    /// Deals screen, an account's Deals tab: add a deal.
    AddDeal,
    /// An account's or a person's dossier: add a plan.
    AddPlan,
    /// The deal screen, an account's Deals tab: move the selected deal's stage.
    DealStage,
    /// The deal screen, an account's Deals tab: edit the deal's probability and close date.
    EditDeal,
    /// Undo the latest change to the notebook (`kam undo`), from any screen.
    Undo,
    /// A follow-up (agenda, a dossier's Follow-ups tab, an interaction's): edit its due date,
    /// text and plan.
    EditFollowUp,
    /// A follow-up: cancel it (no longer wanted, not done).
    CancelFollowUp,
    /// A done or cancelled follow-up (an interaction's "Follow-ups it set"): open it again.
    ReopenFollowUp,
    /// A dossier: its plans, to edit one or record money spent on it.
    Plans,
    /// The plans popup: record money spent on the plan shown.
    AddSpend,
    /// Deal screen: the people of the deal and their roles (add, take away).
    DealPeople,
    /// The deal's people popup: take the selected person's role away.
    RemoveDealPerson,
}
