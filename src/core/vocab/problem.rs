//! Validation problems: what is wrong, where (as a field path), the value, and how to fix it.

use serde::Serialize;
use std::fmt;

/// One segment of a path into the plan document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path into the plan document, e.g. `service[0].container_definitions[1].port_mappings[0].host_port`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_string()));
        FieldPath(segs)
    }

    pub fn index(&self, index: usize) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(index));
        FieldPath(segs)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// Whether a value at `path` may be a secret (see [`Problem::value`]).
pub fn may_hold_secret(path: &str, value: &str) -> bool {
    let path = path.to_ascii_lowercase();
    let named = [
        "environment",
        "secret",
        "options",
        "key",
        "token",
        "password",
        "credential",
    ]
    .iter()
    .any(|w| path.contains(w));
    named || looks_like_access_key(value)
}

/// `AKIA…` / `ASIA…` followed by 16 upper-case letters or digits, anywhere in the text.
fn looks_like_access_key(value: &str) -> bool {
    let b = value.as_bytes();
    (0..b.len().saturating_sub(19)).any(|i| {
        (b[i..].starts_with(b"AKIA") || b[i..].starts_with(b"ASIA"))
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

/// A problem found in a plan. `message` says what is wrong, `fix` what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: FieldPath,
    pub value: Option<String>,
    pub message: String,
    pub fix: Option<String>,
}

impl Problem {
    pub fn new(path: FieldPath, message: impl Into<String>) -> Self {
        Problem {
            path,
            value: None,
            message: message.into(),
            fix: None,
        }
    }

    /// The offending value, as shown in the message, unless it may be a secret: values under
    /// `environment`, `secrets` and log `options`, under a name like `*KEY*`, `*TOKEN*`,
    /// `*SECRET*` or `*PASSWORD*`, and values shaped like an AWS access key are never shown.
    pub fn value(mut self, value: impl fmt::Display) -> Self {
        let value = value.to_string();
        self.value = Some(if may_hold_secret(&self.path.to_string(), &value) {
            "(value not shown)".to_string()
        } else {
            value
        });
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

/// The closest candidate to `given`, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given_lower = given.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&given_lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod secret_tests {
    use super::*;

    #[test]
    fn values_that_may_be_secrets_are_not_shown() {
        let at = |p: &str| FieldPath::root().key(p);
        let p = Problem::new(at("environment").index(0).key("value"), "x").value(12345678);
        assert_eq!(p.value.as_deref(), Some("(value not shown)"));
        let p = Problem::new(at("api_token"), "x").value("hunter2");
        assert_eq!(p.value.as_deref(), Some("(value not shown)"));
        let p = Problem::new(at("image"), "x").value("id AKIAIOSFODNN7EXAMPLE here");
        assert_eq!(p.value.as_deref(), Some("(value not shown)"));
        let p = Problem::new(at("memory"), "x").value(100);
        assert_eq!(p.value.as_deref(), Some("100"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_toml() {
        let p = FieldPath::root()
            .key("service")
            .index(0)
            .key("port_mappings")
            .index(2)
            .key("host_port");
        assert_eq!(p.to_string(), "service[0].port_mappings[2].host_port");
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("memroy", ["cpu", "memory", "name"]),
            Some("memory")
        );
        assert_eq!(did_you_mean("zzz", ["cpu", "memory", "name"]), None);
    }
}
