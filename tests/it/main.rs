//! The integration tests, in one test binary: one link of the library and its dependencies
//! instead of one per file (issue 12.5). Each module is one area; `common` is what the headless
//! TUI tests share. Snapshots live in `tests/it/snapshots/`, named `it__<module>__<name>`.

mod binary;
mod briefsafe;
mod calfiles;
mod cli;
mod coldload;
mod common;
mod contact;
mod dealprod;
mod deals;
mod faults;
mod gaps;
mod hostile;
mod import_search;
mod names;
mod ontime;
mod pty;
mod report;
mod sales;
mod sections;
mod shell;
mod store;
mod sync;
mod targets;
mod tov;
mod tui;
mod tui_background;
mod tui_deals;
mod tuiterr;
