//! Plan text → raw plan, with a source map that turns field paths back into line and column.

use super::raw::RawPlan;
use crate::core::vocab::problem::{FieldPath, Seg, did_you_mean};
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// A 1-based line and column in the plan text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The plan text could not be read as a plan: TOML syntax, a wrong type or an unknown field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub location: Option<Location>,
    pub message: String,
    pub fix: Option<String>,
}

/// A parsed plan and the means to locate its fields.
pub struct ParsedPlan {
    pub raw: RawPlan,
    pub source: SourceMap,
}

/// Maps field paths to positions in the text. The span-keeping document is parsed only when a
/// position is first asked for (that is, when there is a problem to show), so valid plans pay
/// for one parse.
pub struct SourceMap {
    text: String,
    doc: std::sync::OnceLock<Option<toml_edit::Document<String>>>,
}

impl SourceMap {
    pub fn new(text: &str) -> SourceMap {
        SourceMap::from_text(text.to_string())
    }

    /// The source map of text the caller hands over.
    pub fn from_text(text: String) -> SourceMap {
        SourceMap {
            text,
            doc: std::sync::OnceLock::new(),
        }
    }

    fn doc(&self) -> Option<&toml_edit::Document<String>> {
        self.doc
            .get_or_init(|| toml_edit::Document::parse(self.text.clone()).ok())
            .as_ref()
    }

    /// The position of a byte offset.
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(&self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        Location { line, column }
    }

    /// The text of a 1-based line, for showing context.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        self.text.lines().nth(line.checked_sub(1)?)
    }

    /// The position of the deepest part of `path` present in the document: the key of a field,
    /// or the header of an array-of-tables entry. `None` when not even the first segment exists.
    pub fn locate(&self, path: &FieldPath) -> Option<Location> {
        let doc = self.doc()?;
        let mut node = Node::of(doc.as_item());
        let mut best: Option<Range<usize>> = None;
        for seg in &path.0 {
            let Some((span, next)) = node.step(seg) else {
                break;
            };
            if span.is_some() {
                best = span;
            }
            node = next;
        }
        best.map(|s| self.location(s.start))
    }
}

/// A position in a `toml_edit` document, whatever kind of container it is.
#[derive(Clone, Copy)]
enum Node<'a> {
    Table(&'a toml_edit::Table),
    Tables(&'a toml_edit::ArrayOfTables),
    Value(&'a toml_edit::Value),
    Leaf,
}

impl<'a> Node<'a> {
    fn of(item: &'a toml_edit::Item) -> Node<'a> {
        match item {
            toml_edit::Item::Table(t) => Node::Table(t),
            toml_edit::Item::ArrayOfTables(a) => Node::Tables(a),
            toml_edit::Item::Value(v) => Node::Value(v),
            toml_edit::Item::None => Node::Leaf,
        }
    }

    /// One step down: the span of what the segment names, and the node there.
    fn step(self, seg: &Seg) -> Option<(Option<Range<usize>>, Node<'a>)> {
        match (seg, self) {
            (Seg::Key(k), Node::Table(t)) => t
                .get_key_value(k)
                .map(|(key, item)| (key.span(), Node::of(item))),
            (Seg::Key(k), Node::Value(toml_edit::Value::InlineTable(t))) => t
                .get_key_value(k)
                .map(|(key, item)| (key.span(), Node::of(item))),
            (Seg::Index(i), Node::Tables(a)) => a.get(*i).map(|t| (t.span(), Node::Table(t))),
            (Seg::Index(i), Node::Value(toml_edit::Value::Array(a))) => {
                a.get(*i).map(|v| (v.span(), Node::Value(v)))
            }
            _ => None,
        }
    }
}

/// Parses plan text. Syntax errors, wrong types and unknown fields stop here with a position;
/// rule violations are left to [`super::check()`].
pub fn parse(text: &str) -> Result<ParsedPlan, ParseError> {
    parse_owned(text.to_string())
}

/// [`parse`] of text the caller hands over: the source map keeps it, so a large plan's text is
/// held once, not twice.
pub fn parse_owned(text: String) -> Result<ParsedPlan, ParseError> {
    let source = SourceMap::from_text(text);
    let text = source.text.as_str();
    if let Some(raw) = super::blocks::parse_in_pieces(text) {
        return Ok(ParsedPlan { raw, source });
    }
    match toml::from_str::<RawPlan>(text) {
        Ok(raw) => Ok(ParsedPlan { raw, source }),
        Err(e) => {
            let location = e.span().map(|s| source.location(s.start));
            let mut message = e.message().trim().to_string();
            let mut fix = unknown_field_hint(&message);
            if fix.is_some() {
                // The fix lists the allowed names; the message keeps only the unknown one.
                if let Some((head, _)) = message.split_once(", expected") {
                    message = head.to_string();
                }
            } else if message == "invalid type: map, expected a sequence" {
                fix = table_for_array_hint(text, location.map(|l| l.line));
            } else if let Some((m, f)) = type_error(text, location.map(|l| l.line), &message) {
                message = m;
                fix = Some(f);
            }
            Err(ParseError {
                location,
                message,
                fix,
            })
        }
    }
}

/// The `key = value` on a line, as written; a value that may be a secret (under a key such as
/// `value`, `*KEY*`, `*TOKEN*`, `*SECRET*`, `*PASSWORD*`, or shaped like an AWS access key) is
/// never echoed.
fn key_value(text: &str, line: usize) -> Option<(String, String)> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let (k, v) = l.split_once('=')?;
    let key = k.trim().to_string();
    let upper = key.to_ascii_uppercase();
    let secretish = [
        "VALUE",
        "KEY",
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "OPTIONS",
        "ENVIRONMENT",
    ]
    .iter()
    .any(|w| upper.contains(w))
        || v.contains("AKIA")
        || v.contains("ASIA");
    let value = if secretish {
        "(value not shown)".to_string()
    } else {
        v.trim().to_string()
    };
    Some((key, value))
}

/// serde's wording for a wrong type or a repeated key, said with the field and what it takes.
fn type_error(text: &str, line: Option<usize>, message: &str) -> Option<(String, String)> {
    let (key, value) = key_value(text, line?)?;
    if message == "duplicate key" {
        return Some((
            format!("`{key}` is set twice in the same table"),
            format!("keep one `{key} = ...` line"),
        ));
    }
    if message.contains("untagged enum Scalar") {
        return Some((
            format!("`{key}` = {value}: expected a number or text"),
            format!(
                "write a number or a quoted size, e.g. `{key} = 512` or `{key} = \"0.5 vCPU\"`"
            ),
        ));
    }
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let wanted = match expected {
        "i64" | "u32" | "u64" | "i32" | "u16" | "u8" => "a whole number".to_string(),
        "f64" | "f32" => "a number".to_string(),
        "a boolean" | "bool" => "true or false".to_string(),
        other => other.to_string(),
    };
    let fix = match found.strip_prefix("string ") {
        Some(quoted) if wanted.contains("number") && value != "(value not shown)" => {
            format!("remove the quotes: `{key} = {}`", quoted.trim_matches('"'))
        }
        _ => format!("write {wanted} for `{key}`"),
    };
    // serde's "found" quotes the value: not shown when it may be a secret.
    let found = if value == "(value not shown)" {
        found.split(' ').next().unwrap_or("another type")
    } else {
        found
    };
    Some((
        format!("`{key}` = {value}: expected {wanted}, found {found}"),
        fix,
    ))
}

/// A single table (`[service]`) where the plan takes an array of tables (`[[service]]`).
fn table_for_array_hint(text: &str, line: Option<usize>) -> Option<String> {
    let header = text.lines().nth(line?.checked_sub(1)?)?.trim();
    let name = header.strip_prefix('[')?.strip_suffix(']')?;
    if name.starts_with('[') {
        return None;
    }
    Some(format!(
        "write `[[{name}]]` (two brackets): a plan has a list of these, one `[[{name}]]` header each"
    ))
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": a "did you mean" and the list.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field ")?;
    let names: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let (given, allowed) = names.split_first()?;
    let allowed_list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(match did_you_mean(given, allowed.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? Fields allowed here: {allowed_list}"),
        None => format!("fields allowed here: {allowed_list}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_have_a_position() {
        let err = parse("[plan]\nregion = \"us-east-1\"\n[[service]\nname = 1\n")
            .err()
            .unwrap();
        assert_eq!(err.location.map(|l| l.line), Some(3));
    }

    #[test]
    fn unknown_fields_suggest_the_closest() {
        let text = "[[service]]\nname = \"web\"\nmemroy = 1024\n";
        let err = parse(text).err().unwrap();
        assert_eq!(err.location, Some(Location { line: 3, column: 1 }));
        assert!(err.message.contains("memroy"), "{}", err.message);
        // The allowed names are listed once, in the fix.
        assert!(!err.message.contains("expected"), "{}", err.message);
        assert!(
            err.fix
                .as_deref()
                .unwrap_or("")
                .starts_with("did you mean `memory`?"),
            "{:?}",
            err.fix
        );
    }

    #[test]
    fn a_single_table_where_a_list_is_expected_gets_the_double_brackets() {
        let err = parse("[plan]\nregion = \"us-east-1\"\n[service]\nname = \"web\"\n")
            .err()
            .unwrap();
        assert_eq!(err.location.map(|l| l.line), Some(3));
        assert_eq!(
            err.fix.as_deref(),
            Some(
                "write `[[service]]` (two brackets): a plan has a list of these, one `[[service]]` header each"
            )
        );
        let err =
            parse("[[service]]\nname = \"web\"\n[service.container_definitions]\nname = \"x\"\n")
                .err()
                .unwrap();
        assert!(
            err.fix
                .as_deref()
                .is_some_and(|f| f.starts_with("write `[[service.container_definitions]]`")),
            "{err:?}"
        );
    }

    #[test]
    fn type_errors_name_the_field_and_the_fix() {
        let err = parse("[[service]]\nname = \"web\"\ncpu = true\n")
            .err()
            .unwrap();
        assert_eq!(err.message, "`cpu` = true: expected a number or text");
        assert!(
            err.fix
                .as_deref()
                .unwrap_or("")
                .contains("`cpu = \"0.5 vCPU\"`")
        );
        let err = parse("[[service]]\nname = \"web\"\ndesired_count = \"3\"\n")
            .err()
            .unwrap();
        assert_eq!(
            err.message,
            "`desired_count` = \"3\": expected a whole number, found string \"3\""
        );
        assert_eq!(
            err.fix.as_deref(),
            Some("remove the quotes: `desired_count = 3`")
        );
        let err = parse("[[service]]\nname = \"web\"\nname = \"b\"\n")
            .err()
            .unwrap();
        assert_eq!(err.message, "`name` is set twice in the same table");
        // A value that may be a secret is never echoed.
        let err = parse("[[service]]\nname = \"web\"\napi_token = true\n").err();
        if let Some(err) = err {
            assert!(!err.message.contains("true"), "{}", err.message);
        }
    }

    #[test]
    fn wrong_types_have_a_position() {
        let err = parse("[[service]]\nname = \"web\"\ndesired_count = \"two\"\n")
            .err()
            .unwrap();
        assert_eq!(err.location.map(|l| l.line), Some(3));
    }

    #[test]
    fn paths_locate_keys_in_tables_arrays_and_inline_tables() {
        let text = "[plan]\nregion = \"us-east-1\"\n\n[[service]]\nname = \"a\"\n\n[[service]]\nname = \"b\"\ncpu = 256\n\n[[service.container_definitions]]\nname = \"c\"\nimage = \"x\"\nport_mappings = [{ container_port = 3000, host_port = 80 }]\n";
        let parsed = parse(text).ok().unwrap();
        let svc1 = FieldPath::root().key("service").index(1);
        assert_eq!(
            parsed.source.locate(&svc1.key("cpu")).map(|l| l.line),
            Some(9)
        );
        let host = svc1
            .key("container_definitions")
            .index(0)
            .key("port_mappings")
            .index(0)
            .key("host_port");
        let loc = parsed.source.locate(&host).unwrap();
        assert_eq!((loc.line, loc.column), (14, 43));
        assert_eq!(
            parsed
                .source
                .locate(&FieldPath::root().key("plan").key("region"))
                .map(|l| l.line),
            Some(2)
        );
        // A missing field falls back to its service's header.
        assert_eq!(
            parsed.source.locate(&svc1.key("memory")).map(|l| l.line),
            Some(7)
        );
    }
}
