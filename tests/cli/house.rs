//! The house rules of the source tree, so later work keeps them: the core's floors (every import
//! runs downhill, plan and pricing never import each other), no module cycle in `src/core` or
//! `src/cli`, commands that do not lean on each other, and no file or function too long to read.

use super::support::root;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// No file in `src/` is longer, counting its inline tests (a sibling `tests.rs` is a file of its
/// own).
const MAX_FILE_LINES: usize = 700;
/// No function is longer, but for the simulation's event loop.
const MAX_FN_LINES: usize = 150;
const LONG_FN_ALLOWED: &[(&str, &str)] = &[("src/core/simulate/engine.rs", "run_trial")];

/// What each floor of the core may import besides itself.
const FLOORS: &[(&str, &[&str])] = &[
    ("vocab", &[]),
    ("rules", &["vocab"]),
    ("pricing", &["vocab", "rules"]),
    ("plan", &["vocab", "rules"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.map(|e| e.path()).unwrap_or_default())
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

/// `src/core/plan/check/mod.rs` → `["core", "plan", "check"]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file
        .strip_prefix(root().join("src"))
        .unwrap_or_else(|_| panic!("{} is not under src/", file.display()));
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if stem != "mod" && stem != "lib" && stem != "main" {
            parts.push(stem.to_string());
        }
    }
    parts
}

/// The code without comments (doc comments name modules in prose).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module path the code names: `crate::a::b`, `super::x`, `self::y`, with `{a, b}` groups
/// opened one level. Paths are absolute from the crate root.
fn imports(file: &Path, text: &str) -> Vec<Vec<String>> {
    let here = module_path(file);
    let code = code(text);
    let bytes: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_');
        let rest: String = bytes[i..bytes.len().min(i + 8)].iter().collect();
        let head = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|h| rest.starts_with(h));
        let Some(head) = head.filter(|_| starts_word) else {
            i += 1;
            continue;
        };
        // Read `seg::seg::...` and an optional `{...}` group.
        let mut j = i;
        let mut segs: Vec<String> = Vec::new();
        let mut group: Option<String> = None;
        loop {
            let start = j;
            while j < bytes.len() && (bytes[j].is_alphanumeric() || bytes[j] == '_') {
                j += 1;
            }
            if j > start {
                segs.push(bytes[start..j].iter().collect());
            }
            if j + 1 < bytes.len() && bytes[j] == ':' && bytes[j + 1] == ':' {
                j += 2;
                if j < bytes.len() && bytes[j] == '{' {
                    let end = bytes[j..]
                        .iter()
                        .position(|&c| c == '}')
                        .map_or(bytes.len(), |p| j + p);
                    group = Some(bytes[j + 1..end].iter().collect());
                    j = end;
                    break;
                }
                continue;
            }
            break;
        }
        i = j.max(i + head.len());
        let mut base: Vec<String> = match segs.first().map(String::as_str) {
            Some("crate") => Vec::new(),
            Some("self") => here.clone(),
            Some("super") => here.clone(),
            _ => continue,
        };
        let mut k = usize::from(segs.first().is_some_and(|s| s == "crate" || s == "self"));
        while segs.get(k).is_some_and(|s| s == "super") {
            base.pop();
            k += 1;
        }
        base.extend(segs[k..].iter().cloned());
        match group {
            Some(g) => {
                for item in g.split(',') {
                    let first = item.trim().split("::").next().unwrap_or("").trim();
                    if !first.is_empty() && first != "self" {
                        let mut p = base.clone();
                        p.push(first.to_string());
                        out.push(p);
                    }
                }
                out.push(base);
            }
            None => out.push(base),
        }
    }
    out
}

/// Edges between the nodes `node` maps module paths to, ignoring paths it maps to no module of
/// the tree (an item named through an inline test module's `super`, say) and edges from a node
/// to itself.
fn graph(
    files: &[PathBuf],
    node: impl Fn(&[String]) -> Option<String>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let known: BTreeSet<String> = files.iter().filter_map(|f| node(&module_path(f))).collect();
    let node = |path: &[String]| node(path).filter(|n| known.contains(n));
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in files {
        let Some(from) = node(&module_path(file)) else {
            continue;
        };
        let text = fs::read_to_string(file).unwrap_or_default();
        edges.entry(from.clone()).or_default();
        for path in imports(file, &text) {
            if let Some(to) = node(&path)
                && to != from
            {
                let rel = file.strip_prefix(root()).unwrap_or(file);
                edges
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| format!("{} names {}", rel.display(), path.join("::")));
            }
        }
    }
    edges
}

/// A cycle in the graph, as `a → b → a`, if there is one.
fn cycle(edges: &BTreeMap<String, BTreeMap<String, String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeMap<String, String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let at = stack.iter().position(|s| s == n).unwrap_or(0);
                let mut c = stack[at..].to_vec();
                c.push(n.to_string());
                return Some(c);
            }
            _ => {}
        }
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for to in edges.get(n).into_iter().flat_map(|m| m.keys()) {
            if let Some(c) = visit(to, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if let Some(c) = visit(n, edges, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

fn files_under(dir: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&root().join(dir), &mut files);
    files
}

/// The floor of a core module path: `core::plan::check` → `plan`.
fn core_floor(path: &[String]) -> Option<String> {
    match path {
        [c, floor, ..] if c == "core" => Some(floor.clone()),
        _ => None,
    }
}

/// The room of a cli module path: `cli::session` → `session`, `cli::commands::report` →
/// `commands::report`.
fn cli_room(path: &[String]) -> Option<String> {
    match path {
        [c, commands, command, ..] if c == "cli" && commands == "commands" => {
            Some(format!("commands::{command}"))
        }
        [c, room, ..] if c == "cli" => Some(room.clone()),
        _ => None,
    }
}

#[test]
fn core_floors_import_only_downhill() {
    let edges = graph(&files_under("src/core"), core_floor);
    let mut wrong = Vec::new();
    for (floor, allowed) in FLOORS {
        for (to, why) in edges.get(*floor).into_iter().flatten() {
            if !allowed.contains(&to.as_str()) {
                wrong.push(format!("{floor} may not import {to}: {why}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the floors:\n{}",
        wrong.join("\n")
    );
    // The floors the rule names exist, so the rule cannot pass by a rename.
    for (floor, _) in FLOORS {
        assert!(edges.contains_key(*floor), "src/core/{floor} is missing");
    }
}

#[test]
fn core_imports_nothing_outside_the_core() {
    let mut wrong = Vec::new();
    for file in files_under("src/core") {
        let text = fs::read_to_string(&file).unwrap_or_default();
        for path in imports(&file, &text) {
            if path.first().is_some_and(|p| p != "core") {
                wrong.push(format!("{}: {}", file.display(), path.join("::")));
            }
        }
    }
    assert!(wrong.is_empty(), "the core is pure:\n{}", wrong.join("\n"));
}

#[test]
fn no_module_cycle_in_core_or_cli() {
    for (dir, node) in [
        ("src/core", core_floor as fn(&[String]) -> Option<String>),
        ("src/cli", cli_room),
    ] {
        let edges = graph(&files_under(dir), node);
        assert!(edges.len() > 3, "{dir}: too few modules found: {edges:?}");
        if let Some(c) = cycle(&edges) {
            let why: Vec<String> = c.windows(2).map(|w| edges[&w[0]][&w[1]].clone()).collect();
            panic!("{dir}: module cycle {}\n{}", c.join(" → "), why.join("\n"));
        }
    }
}

#[test]
fn commands_do_not_import_each_other() {
    let edges = graph(&files_under("src/cli"), cli_room);
    let wrong: Vec<&String> = edges
        .iter()
        .filter(|(from, _)| from.starts_with("commands::"))
        .flat_map(|(_, to)| {
            to.iter()
                .filter(|(t, _)| t.starts_with("commands::"))
                .map(|(_, why)| why)
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "shared helpers belong in cli::session or cli::input: {wrong:?}"
    );
}

#[test]
fn no_file_in_src_is_too_long() {
    let long: Vec<String> = files_under("src")
        .iter()
        .filter_map(|f| {
            let n = fs::read_to_string(f).unwrap_or_default().lines().count();
            (n > MAX_FILE_LINES).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// Every function with its line count: from its `fn` line to the `}` at the same indentation.
fn functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let mut words = trimmed.split_whitespace().peekable();
        while words
            .peek()
            .is_some_and(|w| w.starts_with("pub") || ["const", "async", "unsafe"].contains(w))
        {
            words.next();
        }
        if words.next() != Some("fn") {
            continue;
        }
        let name: String = words
            .next()
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        if let Some(end) = lines[i..].iter().position(|l| *l == close) {
            out.push((name, end + 1));
        }
    }
    out
}

#[test]
fn no_function_is_too_long() {
    let mut long = Vec::new();
    for file in files_under("src") {
        let rel = file.strip_prefix(root()).unwrap_or(&file).to_path_buf();
        let text = fs::read_to_string(&file).unwrap_or_default();
        for (name, n) in functions(&text) {
            let allowed = LONG_FN_ALLOWED
                .iter()
                .any(|(f, fun)| rel == Path::new(f) && name == *fun);
            if n > MAX_FN_LINES && !allowed {
                long.push(format!("{}: fn {name}: {n} lines", rel.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_scanners_read_rust_as_written() {
    let file = root().join("src/core/plan/check/service.rs");
    let text = "use super::size::{Sizes, check_size};\nuse crate::core::plan::{Service, sections};\n\
                fn f() { crate::core::rules::Facts::embedded(); } // crate::cli::x\n";
    let got: BTreeSet<String> = imports(&file, text).iter().map(|p| p.join("::")).collect();
    for want in [
        "core::plan::check::size::Sizes",
        "core::plan::check::size::check_size",
        "core::plan::Service",
        "core::plan::sections",
        "core::rules::Facts::embedded",
    ] {
        assert!(got.contains(want), "{want} not in {got:?}");
    }
    assert!(!got.iter().any(|p| p.starts_with("cli")), "{got:?}");
    let fns = functions(
        "fn a() {\n    x();\n}\n\n    pub(crate) fn b(\n        y: u8,\n    ) {\n    }\n",
    );
    assert_eq!(fns, [("a".to_string(), 3), ("b".to_string(), 4)]);
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    edges
        .entry("a".into())
        .or_default()
        .insert("b".into(), "a→b".into());
    edges.entry("b".into()).or_default();
    assert_eq!(cycle(&edges), None);
    edges
        .entry("b".into())
        .or_default()
        .insert("a".into(), "b→a".into());
    assert_eq!(
        cycle(&edges),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
}

#[test]
fn every_file_says_why_it_exists() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "examples"] {
        rust_files(&root().join(dir), &mut files);
    }
    let silent: Vec<String> = files
        .iter()
        .filter(|f| !fs::read_to_string(f).unwrap_or_default().starts_with("//!"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(files.len() > 50, "too few files found: {}", files.len());
    assert!(
        silent.is_empty(),
        "files that do not open with a `//!` line:\n{}",
        silent.join("\n")
    );
}

/// Each outside crate stays in the room that is for it: argument parsing and progress bars in
/// the CLI, tables and charts in the exporters, the network and the async runtime at the edges.
#[test]
fn crates_stay_in_their_rooms() {
    let rooms: &[(&str, &[&str])] = &[
        ("clap", &["src/cli"]),
        ("indicatif", &["src/cli"]),
        ("comfy_table", &["src/export"]),
        ("plotters", &["src/export"]),
        ("aws_sdk_", &["src/aws"]),
        ("aws_config", &["src/aws"]),
        ("reqwest", &["src/aws"]),
        ("tokio", &["src/aws", "src/cli"]),
    ];
    let mut wrong = Vec::new();
    for file in files_under("src") {
        let rel = file.strip_prefix(root()).unwrap_or(&file).to_path_buf();
        let text = code(&fs::read_to_string(&file).unwrap_or_default());
        for (krate, allowed) in rooms {
            let used = text.contains(&format!("{krate}::"))
                || (krate.ends_with('_') && text.contains(krate));
            if used && !allowed.iter().any(|a| rel.starts_with(a)) {
                wrong.push(format!("{}: {krate}", rel.display()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "crates outside their rooms:\n{}",
        wrong.join("\n")
    );
}
