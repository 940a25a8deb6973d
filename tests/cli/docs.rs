//! The documentation: every relative link resolves, the README stays an entry page, the `docs/`
//! pages that code comments name exist, and CONTRIBUTING's layout tree matches `src/core`.

use super::support::root;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

/// The README is the entry page; the reference lives in `docs/`.
const README_MAX_LINES: usize = 320;

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// README.md, CONTRIBUTING.md, CHANGELOG.md and every `docs/*.md`.
fn documents() -> Vec<PathBuf> {
    let root = root();
    let mut pages: Vec<PathBuf> = fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    let mut documents = vec![
        root.join("README.md"),
        root.join("CONTRIBUTING.md"),
        root.join("CHANGELOG.md"),
    ];
    documents.extend(pages);
    documents
}

/// The line opens or closes a fence: its run of three or more backticks or tildes.
fn fence_marker(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start();
    let first = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = trimmed.chars().take_while(|c| *c == first).count();
    (run >= 3).then_some((first, run))
}

/// The lines outside fenced code blocks, with their 1-based line numbers.
fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut open: Option<(char, usize)> = None;
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        match (open, fence_marker(line)) {
            (None, Some(marker)) => open = Some(marker),
            (Some((c, n)), Some((d, m)))
                if c == d && m >= n && line.trim().chars().all(|x| x == c) =>
            {
                open = None;
            }
            (None, None) => lines.push((index + 1, line)),
            _ => {}
        }
    }
    lines
}

/// The text with inline code spans blanked out, byte for byte (newlines kept), so that `[a](b)`
/// in code is no link and byte offsets still point at the same lines.
fn without_code_spans(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let run_at = |i: usize| chars[i..].iter().take_while(|c| **c == '`').count();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let n = run_at(i);
        // The closing run has exactly the opening run's length.
        let mut j = i + n;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let m = run_at(j);
                if m == n {
                    close = Some(j);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        let end = close.map_or(i + n, |j| j + n);
        for c in &chars[i..end] {
            if close.is_none() || *c == '\n' {
                out.push(*c);
            } else {
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
        i = end;
    }
    out
}

/// The destination of every inline link or image `[text](dest)` outside code, with its line.
fn links(text: &str) -> Vec<(usize, String)> {
    let lines = prose(text);
    let mut joined = String::new();
    let mut starts = Vec::new();
    for (number, line) in &lines {
        starts.push((joined.len(), *number));
        joined.push_str(line);
        joined.push('\n');
    }
    let joined = without_code_spans(&joined);
    let line_of = |offset: usize| {
        let at = starts.partition_point(|(start, _)| *start <= offset);
        starts[at.saturating_sub(1)].1
    };
    let bytes = joined.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'[' || (i > 0 && bytes[i - 1] == b'\\') {
            i += 1;
            continue;
        }
        // The matching `]`, brackets nested.
        let mut depth = 0usize;
        let mut close = None;
        for (j, b) in bytes.iter().enumerate().skip(i) {
            match b {
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else {
            i += 1;
            continue;
        };
        if bytes.get(close + 1) != Some(&b'(') {
            i += 1;
            continue;
        }
        // The matching `)`, parentheses nested.
        let mut depth = 0usize;
        let mut end = None;
        for (j, b) in bytes.iter().enumerate().skip(close + 1) {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            i += 1;
            continue;
        };
        let inner = joined[close + 2..end].trim();
        let dest = inner.split_whitespace().next().unwrap_or("");
        let dest = dest.trim_start_matches('<').trim_end_matches('>');
        found.push((line_of(i), dest.to_string()));
        // Go on inside the text too: an image inside a link is a link of its own.
        i += 1;
    }
    found
}

/// GitHub's anchor for a heading: lowercase; letters, digits, spaces, `-` and `_` kept; each space
/// becomes `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's ATX headings, duplicates numbered as GitHub does (`-1`, ...).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut anchors = BTreeSet::new();
    for (_, line) in prose(text) {
        let trimmed = line.trim_start();
        if line.len() - trimmed.len() > 3 {
            continue;
        }
        let level = trimmed.chars().take_while(|c| *c == '#').count();
        if !(1..=6).contains(&level) {
            continue;
        }
        let rest = &trimmed[level..];
        if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
            continue;
        }
        let title = rest.trim().trim_end_matches('#').trim_end();
        let base = slug(title);
        let count = seen.entry(base.clone()).or_insert(0);
        let anchor = if *count == 0 {
            base.clone()
        } else {
            format!("{base}-{count}")
        };
        *count += 1;
        anchors.insert(anchor);
    }
    anchors
}

/// What is wrong with one link of `document`, if anything.
fn broken(document: &Path, dest: &str) -> Option<String> {
    let lower = dest.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return None;
    }
    if dest.is_empty() {
        return Some("empty link".to_string());
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (dest, None),
    };
    let target = if path.is_empty() {
        document.to_path_buf()
    } else {
        document.parent().unwrap_or(Path::new(".")).join(path)
    };
    if !target.exists() {
        return Some(format!("{} does not exist", target.display()));
    }
    match anchor {
        Some(anchor) if target.extension().is_some_and(|ext| ext == "md") => {
            let anchors = anchors(&read(&target));
            (!anchors.contains(anchor)).then(|| {
                format!(
                    "no heading of {} has the anchor #{anchor} (anchors: {})",
                    target.display(),
                    anchors.into_iter().collect::<Vec<_>>().join(", ")
                )
            })
        }
        _ => None,
    }
}

#[test]
fn every_relative_link_resolves() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for document in documents() {
        for (line, dest) in links(&read(&document)) {
            checked += 1;
            if let Some(problem) = broken(&document, &dest) {
                problems.push(format!(
                    "{}:{line}: ({dest}): {problem}",
                    document.display()
                ));
            }
        }
    }
    assert!(checked > 0, "no links found: the link scanner is broken");
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn readme_is_an_entry_page() {
    let lines = read(&root().join("README.md")).lines().count();
    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines, over {README_MAX_LINES}: move reference text to docs/"
    );
}

/// Every `docs/….md` path in `text`, as the pattern `docs/[A-Za-z0-9_./-]+\.md` finds them.
fn docs_paths(text: &str) -> Vec<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-');
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("docs/") {
        let run: String = rest[at..]
            .chars()
            .skip("docs/".len())
            .take_while(|c| allowed(*c))
            .collect();
        // The longest prefix of the run that ends in `.md` and names at least one character.
        match run.rfind(".md").filter(|end| *end > 0) {
            Some(end) => {
                found.push(format!("docs/{}", &run[..end + 3]));
                rest = &rest[at + "docs/".len() + end + 3..];
            }
            None => rest = &rest[at + "docs/".len()..],
        }
    }
    found
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn docs_pages_named_in_doc_comments_exist() {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut missing = Vec::new();
    for file in files {
        for (index, line) in read(&file).lines().enumerate() {
            let trimmed = line.trim_start();
            if !(trimmed.starts_with("//!") || trimmed.starts_with("///")) {
                continue;
            }
            for path in docs_paths(trimmed) {
                if !root.join(&path).is_file() {
                    missing.push(format!("{}:{}: {path}", file.display(), index + 1));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "doc comments name docs/ pages that do not exist:\n{}",
        missing.join("\n")
    );
}

/// The names in the tree that follows `## Layout` in CONTRIBUTING.md (`dir/` or `file.rs`).
fn layout_tree(contributing: &str) -> Vec<String> {
    let mut lines = contributing
        .lines()
        .skip_while(|line| line.trim_end() != "## Layout");
    assert!(
        lines.next().is_some(),
        "CONTRIBUTING.md has no `## Layout` heading"
    );
    let mut lines = lines.skip_while(|line| line.trim().is_empty());
    let opening = lines.next().unwrap_or("");
    assert!(
        opening.trim_start().starts_with("```"),
        "`## Layout` must be followed by a fenced tree, found {opening:?}"
    );
    let tree: Vec<&str> = lines
        .take_while(|line| !line.trim_start().starts_with("```"))
        .collect();
    assert_eq!(
        tree.first().map(|line| line.trim_end()),
        Some("src/core/"),
        "the layout tree starts at src/core/"
    );
    tree.iter()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn layout_tree_names_exactly_src_core() {
    let root = root();
    let named: BTreeSet<String> = layout_tree(&read(&root.join("CONTRIBUTING.md")))
        .into_iter()
        .collect();
    let actual: BTreeSet<String> = fs::read_dir(root.join("src/core"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_string();
            if name.starts_with('.') {
                None
            } else if path.is_dir() {
                Some(format!("{name}/"))
            } else {
                Some(name)
            }
        })
        .collect();
    let missing: Vec<_> = actual.difference(&named).collect();
    let extra: Vec<_> = named.difference(&actual).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "CONTRIBUTING.md's layout tree and src/core differ\n  in src/core, not in the tree: {missing:?}\n  in the tree, not in src/core: {extra:?}"
    );
}

#[test]
fn the_scanners_read_markdown_as_github_does() {
    assert_eq!(
        slug("`compare`: x86, ARM, Spot, Lambda and EKS on Fargate, side by side"),
        "compare-x86-arm-spot-lambda-and-eks-on-fargate-side-by-side"
    );
    assert_eq!(
        slug("Choosing the source: `--prices`"),
        "choosing-the-source---prices"
    );
    let text = "# A\n\n## Tests\n\n```\n## Not a heading\n[x](nowhere.md)\n```\n\n## Tests\n\
                See [b](b.md#tests-1), `[c](code.md)` and [d\n e](https://e.example) ![f](f.png).\n";
    let anchors = anchors(text);
    assert!(anchors.contains("tests") && anchors.contains("tests-1"));
    assert!(!anchors.contains("not-a-heading"));
    let links: Vec<String> = links(text).into_iter().map(|(_, dest)| dest).collect();
    assert_eq!(links, ["b.md#tests-1", "https://e.example", "f.png"]);
    assert_eq!(
        docs_paths("//! schema in docs/report-json.md). See docs/x.md.md and docs/.md"),
        ["docs/report-json.md", "docs/x.md.md"]
    );
}
