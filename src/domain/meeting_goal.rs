//! A meeting's goal and the questions to ask there (issue 12): kept in the interaction's
//! extension data, so they travel through export and import unchanged; they lead its brief.

use serde_json::Value;

use super::Interaction;

/// The extension key of a meeting's goal (text).
pub const GOAL_KEY: &str = "x-goal";
/// The extension key of the questions to ask in a meeting (a list of texts).
pub const QUESTIONS_KEY: &str = "x-questions";

impl Interaction {
    /// The meeting's goal, if one was set.
    pub fn goal(&self) -> Option<&str> {
        self.extra
            .get(GOAL_KEY)
            .and_then(Value::as_str)
            .filter(|g| !g.trim().is_empty())
    }

    /// The questions to ask, in the order added.
    pub fn questions(&self) -> Vec<&str> {
        self.extra
            .get(QUESTIONS_KEY)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}
