//! The money side of key account work, computed once for the CLI, the screens and the reports:
//! the pipeline by stage, the tender calendar, receivables by age, the Pareto (ABC) ranking and
//! the period report, commission by month, target against actual. Pure functions over read models from the store; no clock is read here.

pub mod commission;
pub mod pareto;
pub mod pipeline;
pub mod receivables;
pub mod report;
pub mod targets;
pub mod tenders;
