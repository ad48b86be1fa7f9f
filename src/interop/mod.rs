//! Interop speaks the formats of other tools and of kamnote itself: JSON Lines (the lossless
//! interchange format of FORMAT.md) now; CSV, ICS and vCard later.
//!
//! Promises: an import is one transaction (all or nothing) and every error names the line and the
//! field; an export is a stream (nothing is held but the current record) that imports back into
//! the same notebook.

pub mod jsonl;
