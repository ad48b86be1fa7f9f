//! The capture popup's target picker: a query typed by the user, the candidates the app read
//! from the notebook for it (accent-insensitive word prefixes), ranked with nucleo's fuzzy
//! score so that the best match comes first, and the target once picked.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::store::{Candidate, TargetKind};
use crate::text::fold;

/// The account or person a capture is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    pub id: i64,
    pub name: String,
    /// A person's account.
    pub context: Option<String>,
}

impl Target {
    /// "person · Dra. Carmen Peña Olmedo · Hospital…" (raw: sanitize before drawing).
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            TargetKind::Account => "account",
            TargetKind::Person => "person",
            TargetKind::Deal => "deal",
        };
        match &self.context {
            Some(c) => format!("{kind} · {} · {c}", self.name),
            None => format!("{kind} · {}", self.name),
        }
    }
}

impl From<Candidate> for Target {
    fn from(c: Candidate) -> Self {
        Target {
            kind: c.kind,
            id: c.id,
            name: c.name,
            context: c.context,
        }
    }
}

/// The picker's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picker {
    pub query: String,
    /// Ranked, best first.
    pub candidates: Vec<Candidate>,
    pub cursor: usize,
    pub chosen: Option<Target>,
}

impl Picker {
    /// A picker with `target` already chosen.
    pub fn with(target: Option<Target>) -> Self {
        Picker {
            chosen: target,
            ..Picker::default()
        }
    }

    /// Takes the candidates read for the current query, ranked best first.
    pub fn set_candidates(&mut self, found: Vec<Candidate>) {
        self.candidates = rank(&self.query, found);
        self.cursor = 0;
    }

    pub fn up(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn down(&mut self) {
        self.cursor = (self.cursor + 1).min(self.candidates.len().saturating_sub(1));
    }

    /// Picks the candidate under the cursor; false when there is none.
    pub fn pick(&mut self) -> bool {
        match self.candidates.get(self.cursor) {
            Some(c) => {
                self.chosen = Some(Target::from(c.clone()));
                self.query.clear();
                self.candidates.clear();
                self.cursor = 0;
                true
            }
            None => false,
        }
    }

    /// Typing again starts a new search (the chosen target stays until another is picked).
    pub fn push(&mut self, c: char) {
        self.query.push(c);
    }

    pub fn pop(&mut self) {
        self.query.pop();
        if self.query.is_empty() {
            self.candidates.clear();
        }
    }
}

/// Orders `found` by how well its name matches `query`: exact names first, then nucleo's fuzzy
/// score on the folded (accent- and case-free) name, then the shorter name (less left over);
/// full ties keep the store's order. Names the fuzzy pattern does not match at all are dropped.
pub fn rank(query: &str, found: Vec<Candidate>) -> Vec<Candidate> {
    let pattern = Pattern::parse(&fold(query), CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(bool, u32, usize, Candidate)> = found
        .into_iter()
        .filter_map(|c| {
            let folded = fold(&c.name);
            let score = pattern.score(Utf32Str::new(&folded, &mut buf), &mut matcher);
            let score = if c.exact { score.unwrap_or(0) } else { score? };
            Some((c.exact, score, folded.chars().count(), c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().map(|(.., c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: i64, name: &str) -> Candidate {
        Candidate {
            kind: TargetKind::Person,
            id,
            name: name.into(),
            context: None,
            exact: false,
        }
    }

    #[test]
    fn the_closest_name_comes_first() {
        let found = vec![
            cand(1, "Ana Martínez Núñez de la Vega"),
            cand(2, "Núñez"),
            cand(3, "Pedro Nuñez"),
        ];
        let ranked = rank("nunez", found);
        assert_eq!(ranked[0].id, 2, "{ranked:?}");
        assert_eq!(ranked.len(), 3);
    }

    #[test]
    fn picking_moves_the_candidate_to_the_target() {
        let mut p = Picker::default();
        p.push('a');
        p.set_candidates(vec![cand(1, "Ana"), cand(2, "Abel")]);
        p.down();
        p.down();
        assert_eq!(p.cursor, 1);
        assert!(p.pick());
        assert_eq!(p.chosen.as_ref().map(|t| t.id), Some(2));
        assert!(p.query.is_empty());
        assert!(!p.pick());
    }
}
