//! kamnote: a keyboard-driven terminal notebook for Key Account Managers.
//!
//! Data flows one way: input → action → domain/store → view model → render. `domain` holds the
//! plain types and rules; `store` is the only module with SQL; `when` reads the date language;
//! `agenda` computes what is due when; `interop` speaks the interchange formats; `cli` is the
//! command line. See DESIGN.md in the project's shared notes for the whole picture.

pub mod agenda;
pub mod cadence;
pub mod capture;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod editor;
pub mod flags;
pub mod insights;
pub mod interop;
pub mod layers;
pub mod layout;
pub mod markdown;
pub mod money;
pub mod ops;
pub mod power_map;
pub mod prep;
pub mod remind;
pub mod search;
pub mod store;
pub mod text;
pub mod tui;
pub mod when;
