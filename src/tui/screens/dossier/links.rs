//! The power-map tabs of the dossiers: the account's Map (the layout of [`crate::power_map`]
//! in the theme's colours, one selectable line per person and per cross link) and the keys
//! under a person's Links (the links themselves are the dossier's Power map section).

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::PersonData;
use super::rows::Row;
use crate::power_map::{PowerMap, Tone};
use crate::tui::theme::Theme;

fn style(tone: Tone, theme: Theme) -> ratatui::style::Style {
    match tone {
        Tone::Text => theme.text(),
        Tone::Name => theme.text().add_modifier(Modifier::BOLD),
        Tone::Dim => theme.dim(),
        Tone::Heading => theme.heading(),
        Tone::Good => theme.good(),
        Tone::Warn => theme.accent(),
        Tone::Alert => theme.alert(),
    }
}

/// The account's power map; the n-th line with a person is item n.
pub fn map(map: &PowerMap, cells: usize, theme: Theme) -> Vec<Row> {
    let mut item = 0;
    map.lines(cells.saturating_sub(1))
        .into_iter()
        .map(|line| {
            let n = line.person.map(|_| {
                item += 1;
                item - 1
            });
            // The layout's text is sanitized and fitted already.
            let spans: Vec<Span<'static>> = std::iter::once(Span::raw(" "))
                .chain(
                    line.segments
                        .into_iter()
                        .map(|s| Span::styled(s.text, style(s.tone, theme))),
                )
                .collect();
            (Line::from(spans), n)
        })
        .collect()
}

/// Under a person's links (the dossier's Power map section): what the keys do with them.
pub fn legend(p: &PersonData, theme: Theme) -> Vec<Row> {
    let mut rows = Vec::new();
    if p.links.is_empty() {
        rows.push((
            Line::from(Span::styled("  No links yet.", theme.dim())),
            None,
        ));
    }
    rows.push((Line::default(), None));
    rows.push((
        Line::from(Span::styled(
            "  L adds a link · x removes the selected one · Enter opens the other person",
            theme.dim(),
        )),
        None,
    ));
    rows
}

#[cfg(test)]
mod tests {
    use ratatui::style::Color;

    use super::*;
    use crate::domain::{Attitude, Extra, Link, LinkKind, Person};

    #[test]
    fn colour_carries_attitude_and_rivalry_and_each_person_is_one_item() {
        let person = |id, name: &str, attitude| Person {
            id,
            name: name.into(),
            attitude: Some(attitude),
            ..Person::default()
        };
        let rival = Link {
            id: 1,
            uid: "l-1".into(),
            from: 1,
            to: 2,
            kind: LinkKind::Rival,
            note: None,
            extra: Extra::new(),
        };
        let m = PowerMap::build(
            vec![
                person(1, "Ana", Attitude::Opponent),
                person(2, "Iván", Attitude::Champion),
            ],
            vec![rival],
            Vec::new(),
            false,
        );
        let rows = map(&m, 80, Theme::colored());
        let fg = |text: &str| {
            rows.iter()
                .flat_map(|(l, _)| l.spans.iter())
                .find(|s| s.content.trim() == text)
                .and_then(|s| s.style.fg)
        };
        assert_eq!(fg("-- opponent"), Some(Color::Red));
        assert_eq!(fg("++ champion"), Some(Color::Green));
        assert_eq!(fg("─rival─"), Some(Color::Red));
        let items: Vec<usize> = rows.iter().filter_map(|(_, n)| *n).collect();
        assert_eq!(items, [0, 1, 2]);
        assert_eq!(m.selectable(), [1, 2, 1]);
    }
}
