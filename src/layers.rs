//! The import matrix between the crate's top-level modules (DESIGN.md §3), checked by a test:
//! a module imports only from layers below it, and from its own layer only along the few edges
//! written in [`SIDEWAYS`] (which must not form a cycle). Data flows one way — domain at the
//! bottom, the store above it, the read models and the commands, the formats, the fronts on top —
//! so a change low down never has to know who shows it.
//!
//! The test reads every `crate::…` path of every file under `src/` (comments and `#[cfg(test)]`
//! code left out: a test may build its fixtures from anywhere) and names the file, the line and the
//! import that breaks the matrix.

/// Every top-level module and its layer (0 lowest). A new module must be added here.
pub const LAYERS: &[(&str, u8)] = &[
    // 0: plain types and pure rules (cadence, the date and query languages, money, Markdown
    // escaping), no I/O.
    ("clock", 0),
    ("text", 0),
    ("domain", 0),
    ("money", 0),
    ("when", 0),
    ("config", 0),
    ("cadence", 0),
    ("markdown", 0),
    ("layout", 0),
    ("compliance", 0),
    ("commission", 0),
    // 1: SQLite, the only place with SQL.
    ("store", 1),
    // 2: read models built from the store, and the commands that write it.
    ("flags", 2),
    ("coverage", 2),
    ("insights", 2),
    ("search", 2),
    ("agenda", 2),
    ("power_map", 2),
    ("prep", 2),
    ("dossier", 2),
    ("capture", 2),
    ("ops", 2),
    ("remind", 2),
    // 3: formats and sample data, through the views and the commands.
    ("interop", 3),
    ("demo", 3),
    ("sync", 3),
    // 4: the fronts.
    ("editor", 4),
    ("cli", 4),
    ("tui", 4),
];

/// The imports allowed inside one layer: `(from, to)`. Anything else sideways is a break.
pub const SIDEWAYS: &[(&str, &str)] = &[
    ("domain", "text"),
    ("money", "domain"),
    ("money", "text"),
    ("when", "clock"),
    ("when", "text"),
    ("config", "domain"),
    ("config", "text"),
    ("config", "when"),
    ("cadence", "config"),
    ("cadence", "domain"),
    ("cadence", "when"),
    ("markdown", "text"),
    ("layout", "domain"),
    ("commission", "config"),
    ("compliance", "config"),
    ("compliance", "domain"),
    ("compliance", "money"),
    ("compliance", "text"),
    ("agenda", "flags"),
    ("agenda", "insights"),
    ("prep", "agenda"),
    ("prep", "flags"),
    ("dossier", "agenda"),
    ("dossier", "flags"),
    ("dossier", "power_map"),
    ("dossier", "insights"),
    ("ops", "capture"),
    ("demo", "interop"),
    ("sync", "interop"),
    ("cli", "editor"),
    ("cli", "tui"),
    ("tui", "editor"),
];

/// Type names still given to two types, each a private detail of its own screen or popup. The
/// list only shrinks: a new collision fails the test.
pub const SHARED_NAMES: &[&str] = &[
    // The clap subcommand enum and the ops trait: `cli::args` is edited by every front change.
    "Command",
    // Private to TUI screens and popups that are being reworked in parallel.
    "Field", "Plan", "Row", "Subject", "Target",
    // The views' line tone (crate::layout) and the power map's colour tone (render segments).
    "Tone",
];

#[cfg(test)]
mod tests {
    use super::{LAYERS, SHARED_NAMES, SIDEWAYS};
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::{Path, PathBuf};

    fn layer(module: &str) -> Option<u8> {
        LAYERS.iter().find(|(m, _)| *m == module).map(|&(_, l)| l)
    }

    /// Whether `from` may import `to` by the matrix.
    fn allowed(from: &str, to: &str) -> bool {
        match (layer(from), layer(to)) {
            (Some(a), Some(b)) if a > b => true,
            (Some(a), Some(b)) if a == b => SIDEWAYS.contains(&(from, to)),
            _ => false,
        }
    }

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src/ is readable")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The code of a file without comments, string literals and `#[cfg(test)]` items, line by
    /// line (so a finding can name its line).
    fn production_code(source: &str) -> Vec<String> {
        let mut lines = Vec::new();
        let mut in_block_comment = 0usize;
        // A string literal may run over several lines.
        let mut in_string = false;
        // Inside a `#[cfg(test)]` item: its brace depth and whether its body has opened yet.
        let mut skipping: Option<(usize, bool)> = None;
        let mut cfg_test_pending = false;
        for raw in source.lines() {
            let mut code = String::new();
            let mut chars = raw.chars().peekable();
            while let Some(c) = chars.next() {
                if in_block_comment > 0 {
                    if c == '*' && chars.peek() == Some(&'/') {
                        chars.next();
                        in_block_comment -= 1;
                    } else if c == '/' && chars.peek() == Some(&'*') {
                        chars.next();
                        in_block_comment += 1;
                    }
                    continue;
                }
                if in_string {
                    if c == '\\' {
                        chars.next();
                    } else if c == '"' {
                        in_string = false;
                    }
                    continue;
                }
                match c {
                    '/' if chars.peek() == Some(&'/') => break,
                    '/' if chars.peek() == Some(&'*') => {
                        chars.next();
                        in_block_comment += 1;
                    }
                    '"' => in_string = true,
                    // A char literal such as '{' must not count as a brace; a lifetime stays.
                    '\'' => {
                        let rest: Vec<char> = chars.clone().take(2).collect();
                        if rest.first() == Some(&'\\') || rest.get(1) == Some(&'\'') {
                            while let Some(n) = chars.next() {
                                if n == '\\' {
                                    chars.next();
                                } else if n == '\'' {
                                    break;
                                }
                            }
                        } else {
                            code.push(c);
                        }
                    }
                    _ => code.push(c),
                }
            }
            let trimmed = code.trim();
            if trimmed.starts_with("#[cfg(test)]") {
                cfg_test_pending = true;
                lines.push(String::new());
                continue;
            }
            if cfg_test_pending && !trimmed.is_empty() && !trimmed.starts_with("#[") {
                cfg_test_pending = false;
                skipping = Some((0, false));
            }
            if let Some((depth, opened)) = skipping.as_mut() {
                for c in code.chars() {
                    match c {
                        '{' => {
                            *depth += 1;
                            *opened = true;
                        }
                        '}' => *depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                // `mod tests;` ends at its semicolon; `mod tests {` at its closing brace.
                if *depth == 0 && (*opened || code.contains(';')) {
                    skipping = None;
                }
                lines.push(String::new());
                continue;
            }
            lines.push(code);
        }
        lines
    }

    /// The top-level modules a line of code names through `crate::` (also in
    /// `use crate::{a, b::c}`).
    fn crate_paths(code: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            // `kamnote_crate::x` or `some_crate::x` is not ours.
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        found.push(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
        }
        found
    }

    /// The top-level module a file under `src/` belongs to, or `None` for the crate roots.
    fn module_of(relative: &Path) -> Option<String> {
        let first = relative.components().next()?.as_os_str().to_str()?;
        let name = first.strip_suffix(".rs").unwrap_or(first);
        (name != "lib" && name != "main").then(|| name.to_string())
    }

    /// Every import that breaks the matrix, as "file:line: from -> to (`code`)".
    fn breaks() -> Vec<String> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut found = Vec::new();
        for file in files {
            let relative = file.strip_prefix(&src).expect("under src/");
            let Some(from) = module_of(relative) else {
                continue;
            };
            // Whole test files (`mod tests;` behind `#[cfg(test)]`) are test code.
            if relative.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&file).expect("a source file");
            for (n, code) in production_code(&source).iter().enumerate() {
                for to in crate_paths(code) {
                    if to != from && layer(&to).is_some() && !allowed(&from, &to) {
                        found.push(format!(
                            "src/{}:{}: {from} -> {to} (`{}`)",
                            relative.display(),
                            n + 1,
                            code.trim()
                        ));
                    }
                }
            }
        }
        found
    }

    #[test]
    fn every_import_follows_the_layer_matrix() {
        let found = breaks();
        assert!(
            found.is_empty(),
            "imports that break the layer matrix in src/layers.rs (a module imports only from \
             lower layers, or sideways along SIDEWAYS):\n{}",
            found.join("\n")
        );
    }

    /// Every type declared at the top of a file (not in test code): name → "file:line" list.
    fn type_names() -> BTreeMap<String, Vec<String>> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for file in files {
            let relative = file.strip_prefix(&src).expect("under src/");
            if relative.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&file).expect("a source file");
            for (n, code) in production_code(&source).iter().enumerate() {
                let mut words = code.split_whitespace();
                let mut word = words.next();
                if word.is_some_and(|w| w.starts_with("pub")) {
                    word = words.next();
                }
                if !code.starts_with(|c: char| c.is_alphabetic())
                    || !matches!(word, Some("struct" | "enum" | "trait" | "type"))
                {
                    continue;
                }
                let Some(name) = words.next() else { continue };
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                names.entry(name).or_default().push(format!(
                    "src/{}:{}",
                    relative.display(),
                    n + 1
                ));
            }
        }
        names
    }

    #[test]
    fn every_type_name_is_unique_in_the_crate() {
        let names = type_names();
        assert!(names.contains_key("Brief"), "the reader finds the types");
        let shared: Vec<String> = names
            .iter()
            .filter(|(name, places)| places.len() > 1 && !SHARED_NAMES.contains(&name.as_str()))
            .map(|(name, places)| format!("{name}: {}", places.join(", ")))
            .collect();
        assert!(
            shared.is_empty(),
            "type names given to more than one type (give each a name that says what it is):\n{}",
            shared.join("\n")
        );
        let stale: Vec<&&str> = SHARED_NAMES
            .iter()
            .filter(|n| names.get(**n).is_none_or(|p| p.len() < 2))
            .collect();
        assert!(
            stale.is_empty(),
            "no longer shared, remove from SHARED_NAMES: {stale:?}"
        );
    }

    #[test]
    fn every_top_level_module_has_a_layer() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut modules = BTreeSet::new();
        for entry in std::fs::read_dir(&src).expect("src/ is readable") {
            let path = entry.expect("an entry").path();
            if let Some(m) = module_of(path.strip_prefix(&src).expect("under src/")) {
                modules.insert(m);
            }
        }
        modules.remove("layers");
        let missing: Vec<_> = modules.iter().filter(|m| layer(m).is_none()).collect();
        assert!(
            missing.is_empty(),
            "top-level modules without a layer in LAYERS: {missing:?}"
        );
    }

    /// A cycle reachable from `node` (depth-first search for a back edge).
    fn visit<'a>(
        node: &'a str,
        edges: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = path.iter().position(|&n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node);
            return Some(cycle);
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for &next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }

    #[test]
    fn the_sideways_edges_form_no_cycle() {
        let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for &(from, to) in SIDEWAYS {
            assert_eq!(layer(from), layer(to), "{from} -> {to} is not sideways");
            edges.entry(from).or_default().push(to);
        }
        let mut done = BTreeSet::new();
        for &start in edges.keys() {
            let cycle = visit(start, &edges, &mut Vec::new(), &mut done);
            assert!(cycle.is_none(), "a cycle among sideways imports: {cycle:?}");
        }
    }

    #[test]
    fn the_reader_sees_through_comments_strings_and_test_code() {
        let source = "use crate::store::Reader;\n\
                      // use crate::tui::App;\n\
                      let s = \"crate::cli\";\n\
                      use crate::{when, money::Totals};\n\
                      let c = '{';\n\
                      #[cfg(test)]\n\
                      mod tests {\n\
                          use crate::tui::App;\n\
                          fn f() { let x = 1; }\n\
                      }\n\
                      use crate::agenda;\n";
        let found: Vec<(usize, String)> = production_code(source)
            .iter()
            .enumerate()
            .flat_map(|(n, l)| crate_paths(l).into_iter().map(move |m| (n + 1, m)))
            .collect();
        let expected = [(1, "store"), (4, "when"), (4, "money"), (11, "agenda")]
            .map(|(n, m)| (n, m.to_string()));
        assert_eq!(found, expected);
        assert!(allowed("store", "domain"));
        assert!(!allowed("store", "agenda"));
        assert!(!allowed("flags", "agenda"));
        assert!(allowed("agenda", "flags"));
    }
}
