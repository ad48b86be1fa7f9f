//! Keys → actions, as tables: the same tables handle keys, draw the footer hints and fill the
//! `?` help, so what is shown can never drift from what works.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, CaptureKind, ScreenKind};

/// One key (with modifiers) as written in a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    fn matches(self, event: &KeyEvent) -> bool {
        // Shift is part of the character itself ('G', '?'), so it is ignored for characters;
        // likewise Shift-Tab, which terminals send as BackTab with Shift held (or not).
        let mods = match event.code {
            KeyCode::Char(_) | KeyCode::BackTab => event.modifiers - KeyModifiers::SHIFT,
            _ => event.modifiers,
        };
        self.code == event.code && self.mods == mods
    }
}

/// A row of a keymap: the keys, how the footer and help show them, and what they do.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    /// The keys as shown ("←/h").
    pub label: &'static str,
    /// What it does, in a few words.
    pub help: &'static str,
    pub action: Action,
    /// Shown in the footer (the rest only in `?` help).
    pub footer: bool,
}

const fn bind(
    keys: &'static [Key],
    label: &'static str,
    help: &'static str,
    action: Action,
    footer: bool,
) -> Binding {
    Binding {
        keys,
        label,
        help,
        action,
        footer,
    }
}

/// Keys that work on every screen (when no text field has the focus).
pub const GLOBAL: &[Binding] = &[
    bind(
        &[Key::ch('n')],
        "n",
        "note",
        Action::Capture(CaptureKind::Note),
        true,
    ),
    bind(
        &[Key::ch('f')],
        "f",
        "follow-up",
        Action::Capture(CaptureKind::FollowUp),
        true,
    ),
    bind(
        &[Key::ch('m')],
        "m",
        "meeting",
        Action::Capture(CaptureKind::Meeting),
        true,
    ),
    bind(
        &[Key::ch('1')],
        "1",
        "agenda",
        Action::Go(ScreenKind::Agenda),
        false,
    ),
    bind(
        &[Key::ch('2')],
        "2",
        "accounts",
        Action::Go(ScreenKind::Accounts),
        false,
    ),
    bind(
        &[Key::ch('3')],
        "3",
        "people",
        Action::Go(ScreenKind::People),
        false,
    ),
    bind(
        &[Key::ch('4')],
        "4",
        "deals",
        Action::Go(ScreenKind::Deals),
        false,
    ),
    bind(
        &[Key::ch('5')],
        "5",
        "insights",
        Action::Go(ScreenKind::Insights),
        false,
    ),
    bind(
        &[Key::ch('6')],
        "6",
        "coverage",
        Action::Go(ScreenKind::Coverage),
        false,
    ),
    bind(&[Key::ch('?')], "?", "help", Action::Help, true),
    bind(
        &[Key::plain(KeyCode::Esc)],
        "Esc",
        "back",
        Action::Back,
        false,
    ),
    bind(&[Key::ch('q')], "q", "back / quit", Action::Leave, true),
    bind(&[Key::ctrl('c')], "Ctrl-C", "quit", Action::Quit, false),
    bind(
        &[Key::ctrl('z')],
        "Ctrl-Z",
        "suspend",
        Action::Suspend,
        false,
    ),
    bind(
        &[Key::ctrl('l')],
        "Ctrl-L",
        "reload",
        Action::Refresh,
        false,
    ),
    bind(
        &[Key::ch('u')],
        "u",
        "undo the last change",
        Action::Undo,
        false,
    ),
];

/// Searching, from every screen: `/` where the screen has no `/` of its own (the lists filter
/// with it), Ctrl-F everywhere.
pub const FIND: &[Binding] = &[bind(
    &[Key::ch('/'), Key::ctrl('f')],
    "/",
    "search",
    Action::Search,
    true,
)];

/// [`FIND`] on a screen that uses `/` itself.
pub const FIND_CTRL: &[Binding] = &[bind(
    &[Key::ctrl('f')],
    "Ctrl-F",
    "search",
    Action::Search,
    false,
)];

/// Moving in a list (shared by the screens that have one).
pub const MOVE: &[Binding] = &[
    bind(
        &[Key::plain(KeyCode::Down), Key::ch('j')],
        "↓/j",
        "down",
        Action::Down,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::Up), Key::ch('k')],
        "↑/k",
        "up",
        Action::Up,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::PageDown), Key::ctrl('d')],
        "PgDn",
        "page down",
        Action::PageDown,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::PageUp), Key::ctrl('u')],
        "PgUp",
        "page up",
        Action::PageUp,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::Home), Key::ch('g')],
        "g",
        "top",
        Action::Top,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::End), Key::ch('G')],
        "G",
        "bottom",
        Action::Bottom,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "open",
        Action::OpenSelected,
        true,
    ),
];

/// `Enter` on the agenda: a meeting opens its prep screen (the pre-meeting brief), a follow-up
/// its dossier. Listed by the agenda before [`MOVE`]'s plain "open", which it shadows.
pub const AGENDA_ENTER: Binding = bind(
    &[Key::plain(KeyCode::Enter)],
    "Enter",
    "prep / open",
    Action::OpenSelected,
    true,
);

/// `d` on a meeting: done, then its outcome (asked first when it is still ahead).
pub const MEETING_DONE: Binding = bind(
    &[Key::ch('d')],
    "d",
    "meeting done",
    Action::MeetingDone,
    true,
);
/// `r` on a meeting: move it.
pub const MEETING_MOVE: Binding = bind(
    &[Key::ch('r')],
    "r",
    "reschedule",
    Action::RescheduleMeeting,
    true,
);
/// `c` on a meeting: cancel it, with a reason.
pub const MEETING_CANCEL: Binding = bind(
    &[Key::ch('c')],
    "c",
    "cancel meeting",
    Action::CancelMeeting,
    true,
);

/// The keys on a meeting (the agenda's selected one, the prep screen's, a dossier
/// timeline's).
pub const MEETING: &[Binding] = &[MEETING_DONE, MEETING_MOVE, MEETING_CANCEL];

/// `x` on a follow-up: done.
pub const FOLLOWUP_DONE: Binding = bind(
    &[Key::ch('x')],
    "x",
    "follow-up done",
    Action::FollowUpDone,
    true,
);
/// `s` on a follow-up: snooze it to a later day.
pub const FOLLOWUP_SNOOZE: Binding = bind(&[Key::ch('s')], "s", "snooze", Action::Snooze, true);
/// `e` on a follow-up: its due date, text and plan.
pub const FOLLOWUP_EDIT: Binding = bind(
    &[Key::ch('e')],
    "e",
    "edit follow-up",
    Action::EditFollowUp,
    true,
);
/// `c` on a follow-up: cancel it.
pub const FOLLOWUP_CANCEL: Binding = bind(
    &[Key::ch('c')],
    "c",
    "cancel follow-up",
    Action::CancelFollowUp,
    true,
);
/// `o` on a done or cancelled follow-up: open it again.
pub const FOLLOWUP_REOPEN: Binding = bind(
    &[Key::ch('o')],
    "o",
    "reopen follow-up",
    Action::ReopenFollowUp,
    true,
);

/// Keys of a text-entry popup (capture, prompts).
pub const POPUP: &[Binding] = &[
    bind(&[Key::ctrl('s')], "Ctrl-S", "save", Action::Save, true),
    bind(
        &[Key::plain(KeyCode::Esc)],
        "Esc",
        "cancel",
        Action::Back,
        true,
    ),
    bind(
        &[Key::plain(KeyCode::Tab)],
        "Tab",
        "next field",
        Action::NextTab,
        true,
    ),
    bind(
        &[Key::plain(KeyCode::BackTab)],
        "S-Tab",
        "previous field",
        Action::PrevTab,
        false,
    ),
    bind(
        &[Key::ctrl('e')],
        "Ctrl-E",
        "$EDITOR",
        Action::ExternalEditor,
        true,
    ),
];

/// Keys of a chooser popup (pick a stage, role or attitude).
pub const CHOOSE: &[Binding] = &[
    bind(
        &[Key::plain(KeyCode::Down), Key::ch('j')],
        "↓/j",
        "down",
        Action::Down,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::Up), Key::ch('k')],
        "↑/k",
        "up",
        Action::Up,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "pick",
        Action::Save,
        true,
    ),
    bind(
        &[Key::plain(KeyCode::Esc), Key::ch('q')],
        "Esc",
        "cancel",
        Action::Back,
        true,
    ),
];

/// Keys of the person picker of a new link (other keys type the name).
pub const PICK_PERSON: &[Binding] = &[
    bind(
        &[Key::plain(KeyCode::Down)],
        "↓",
        "next name",
        Action::Down,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::Up)],
        "↑",
        "previous name",
        Action::Up,
        false,
    ),
    bind(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "link to this person",
        Action::Save,
        true,
    ),
    bind(
        &[Key::plain(KeyCode::Esc)],
        "Esc",
        "cancel",
        Action::Back,
        true,
    ),
];

/// Keys of a yes/no question (remove this link?).
pub const CONFIRM: &[Binding] = &[
    bind(
        &[Key::ch('y'), Key::plain(KeyCode::Enter)],
        "y/Enter",
        "yes",
        Action::Save,
        true,
    ),
    bind(
        &[Key::ch('n'), Key::plain(KeyCode::Esc), Key::ch('q')],
        "n/Esc",
        "no",
        Action::Back,
        true,
    ),
];

/// Keys of a one-line prompt (text goes to the prompt).
pub const LINE: &[Binding] = &[
    bind(
        &[Key::plain(KeyCode::Enter)],
        "Enter",
        "save",
        Action::Save,
        true,
    ),
    bind(
        &[Key::plain(KeyCode::Esc)],
        "Esc",
        "cancel",
        Action::Back,
        true,
    ),
];

/// The keys of the `?` help itself.
pub const HELP: &[Binding] = &[bind(
    &[Key::plain(KeyCode::Esc), Key::ch('?'), Key::ch('q')],
    "Esc/?",
    "close the help",
    Action::Back,
    true,
)];

/// The action `tables` (searched in order) give `event`.
pub fn lookup(event: &KeyEvent, tables: &[&[Binding]]) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    tables
        .iter()
        .flat_map(|t| t.iter())
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn keys_find_their_actions() {
        let tables: &[&[Binding]] = &[MOVE, GLOBAL];
        assert_eq!(
            lookup(&key(KeyCode::Char('j'), KeyModifiers::NONE), tables),
            Some(Action::Down)
        );
        assert_eq!(
            lookup(&key(KeyCode::Char('G'), KeyModifiers::SHIFT), tables),
            Some(Action::Bottom)
        );
        assert_eq!(
            lookup(&key(KeyCode::Char('c'), KeyModifiers::CONTROL), tables),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(&key(KeyCode::Char('x'), KeyModifiers::NONE), tables),
            None
        );
    }

    /// Shift-Tab as crossterm delivers it (BackTab with SHIFT) finds every table's S-Tab,
    /// as does a bare BackTab; a Ctrl-BackTab is another key.
    #[test]
    fn shift_tab_as_terminals_send_it_finds_its_binding() {
        let shift_tab = key(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(lookup(&shift_tab, &[POPUP]), Some(Action::PrevTab));
        let bare = key(KeyCode::BackTab, KeyModifiers::NONE);
        assert_eq!(lookup(&bare, &[POPUP]), Some(Action::PrevTab));
        let ctrl = key(
            KeyCode::BackTab,
            KeyModifiers::SHIFT | KeyModifiers::CONTROL,
        );
        assert_eq!(lookup(&ctrl, &[POPUP]), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let tables: &[&[Binding]] = &[MOVE, GLOBAL];
        let mut seen = Vec::new();
        for b in tables.iter().flat_map(|t| t.iter()) {
            for k in b.keys {
                assert!(!seen.contains(k), "{k:?} bound twice");
                seen.push(*k);
            }
        }
    }
}
