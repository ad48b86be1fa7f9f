//! Every colour and style of the TUI, in one place. With `NO_COLOR` (or a terminal without
//! colour) the same meanings are carried by bold, reverse and underline alone.

use ratatui::style::{Color, Modifier, Style};

/// The styles of the screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set (to anything non-empty).
    pub fn from_env() -> Self {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    pub fn plain() -> Self {
        Theme { color: false }
    }

    /// Colour whatever the environment says (`--color always`).
    pub fn colored() -> Self {
        Theme { color: true }
    }

    fn pick(self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn text(&self) -> Style {
        Style::default()
    }

    /// Headings and the screen title.
    pub fn heading(&self) -> Style {
        self.pick(
            Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }

    /// The selected row.
    pub fn selected(&self) -> Style {
        self.pick(
            Style::default().bg(Color::Blue).fg(Color::White),
            Style::default().add_modifier(Modifier::REVERSED),
        )
    }

    /// Overdue, conflicts, errors.
    pub fn alert(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::BOLD),
        )
    }

    /// Something to notice: the next meeting, a birthday.
    pub fn accent(&self) -> Style {
        self.pick(
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::UNDERLINED),
        )
    }

    /// Secondary text: places, ids, hints.
    pub fn dim(&self) -> Style {
        self.pick(
            Style::default().fg(Color::DarkGray),
            Style::default().add_modifier(Modifier::DIM),
        )
    }

    /// Something done, calm and good.
    pub fn good(&self) -> Style {
        self.pick(Style::default().fg(Color::Green), Style::default())
    }

    /// A key in the footer or help.
    pub fn key(&self) -> Style {
        self.pick(
            Style::default().fg(Color::Black).bg(Color::Gray),
            Style::default().add_modifier(Modifier::REVERSED),
        )
    }
}
