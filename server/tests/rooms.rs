//! The rooms keep their shape: within each crate, no two files import each
//! other, directly or round a circle (`docs/architecture.md`). Read from
//! the sources: a module's `crate::…` and `super::…` paths, outside
//! comments and its `#[cfg(test)]` part, name the modules it uses.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on any error")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// `voting/tests.rs` → `voting::tests`; `functions/mod.rs` → `functions`;
/// `lib.rs` and `main.rs` → the root, "".
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

/// The code of a file without comments and without its test module.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The path words after each `prefix` in `code` (`crate::a::b` → `[a, b]`).
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    code.match_indices(prefix)
        .map(|(at, _)| {
            code[at + prefix.len()..]
                .split("::")
                .map_while(|word| {
                    let word = word
                        .split(|c: char| {
                            !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                        })
                        .next()
                        .unwrap_or_default();
                    (!word.is_empty()).then_some(word)
                })
                .collect()
        })
        .collect()
}

/// Each module of the crate at `src` and the other modules it uses
/// (neither itself nor one of its ancestors).
fn imports(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(src, file);
        let code = code(&std::fs::read_to_string(file).unwrap());
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p).to_owned();
        let mut uses = BTreeSet::new();
        let candidates = paths_after(&code, "crate::")
            .into_iter()
            .map(|words| words.join("::"))
            .chain(paths_after(&code, "super::").into_iter().map(|words| {
                let child = words.join("::");
                if parent.is_empty() {
                    child
                } else {
                    format!("{parent}::{child}")
                }
            }));
        for path in candidates {
            // The longest known module the path names.
            let mut named = path.as_str();
            while !modules.contains(named) {
                match named.rsplit_once("::") {
                    Some((shorter, _)) => named = shorter,
                    None => {
                        named = "";
                        break;
                    }
                }
            }
            let ancestor =
                named.is_empty() || module == named || module.starts_with(&format!("{named}::"));
            if !ancestor {
                uses.insert(named.to_owned());
            }
        }
        graph.insert(module, uses);
    }
    graph
}

/// A circle of imports in `graph`, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        module: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut found = path[start..].to_vec();
            found.push(module.to_owned());
            return Some(found);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(found) = visit(graph, next, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(graph, module, &mut Vec::new(), &mut done))
}

#[test]
fn no_two_files_of_a_crate_import_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for krate in ["domain", "storage", "app", "server"] {
        let graph = imports(&root.join(krate).join("src"));
        assert!(graph.len() > 5, "{krate}: too few modules read");
        if let Some(found) = circle(&graph) {
            panic!("{krate}: an import circle: {}", found.join(" → "));
        }
    }
}

/// `domain`'s layers: the transparency log (`domain/src/log/`: the Merkle
/// tree, tiles, notes, checkpoints, cosignatures, the witness's rule) knows
/// nothing of the council built on it (statements, members, votes…).
#[test]
fn the_log_layer_knows_nothing_of_the_council() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let graph = imports(&root.join("domain").join("src"));
    let log: Vec<&String> = graph
        .keys()
        .filter(|m| m.as_str() == "log" || m.starts_with("log::"))
        .collect();
    assert!(log.len() >= 7, "the log's modules: {log:?}");
    for module in log {
        for used in &graph[module] {
            assert!(
                used == "log" || used.starts_with("log::") || used == "hex",
                "domain::{module} uses domain::{used}, which is above the log"
            );
        }
    }
}

#[test]
fn a_circle_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("voting", &["members"][..]),
        ("members", &["note"][..]),
        ("note", &["members"][..]),
        ("verify", &["voting"][..]),
    ]
    .into_iter()
    .map(|(m, uses)| (m.to_owned(), uses.iter().map(|u| (*u).to_owned()).collect()))
    .collect();
    assert_eq!(
        circle(&graph),
        Some(vec![
            "members".to_owned(),
            "note".to_owned(),
            "members".to_owned()
        ])
    );
}
