//! Docker's registry credentials, read as Docker reads them: `~/.docker/config.json` names a
//! credential helper per registry (`credHelpers`), one for all (`credsStore`), or holds them
//! inline (`auths`, base64 `user:password`). Pure: the file and the helper process are the
//! edge's; this decides which source a registry's credentials come from and parses answers.
//! Secrets are never shown: [`Credential`]'s `Debug` hides them.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// Credentials for one registry.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// A user name and password (or access token), sent to the token server or as Basic auth.
    Basic { username: String, password: String },
    /// An OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user).
    IdentityToken(String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Basic { username, .. } => write!(f, "Basic({username}, ***)"),
            Credential::IdentityToken(_) => write!(f, "IdentityToken(***)"),
        }
    }
}

/// Where a registry's credentials come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialSource {
    /// None configured: anonymous.
    Anonymous,
    /// In the config file itself.
    Inline(Credential),
    /// `docker-credential-<name> get`, the registry on its standard input.
    Helper(String),
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RawConfig {
    #[serde(default)]
    auths: BTreeMap<String, RawAuth>,
    creds_store: Option<String>,
    #[serde(default)]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
struct RawAuth {
    auth: Option<String>,
    username: Option<String>,
    password: Option<String>,
    identitytoken: Option<String>,
}

/// A parsed `config.json`.
#[derive(Default)]
pub struct DockerConfig {
    raw: RawConfig,
}

/// Parses `config.json`. The error names what is wrong, never a value.
pub fn parse_docker_config(text: &str) -> Result<DockerConfig, String> {
    serde_json::from_str(text)
        .map(|raw| DockerConfig { raw })
        .map_err(|e| {
            format!(
                "not a Docker config file (line {}, column {})",
                e.line(),
                e.column()
            )
        })
}

/// `https://host/v1/`, `http://host` and `host` name the same registry in `auths`.
fn host_of(key: &str) -> &str {
    let k = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    k.split('/').next().unwrap_or(k)
}

impl DockerConfig {
    /// Where the credentials of the registry filed under `key` come from (Docker's order:
    /// a helper for that registry, then the store for all, then the file).
    pub fn source_for(&self, key: &str) -> Result<CredentialSource, String> {
        let host = host_of(key);
        if let Some(h) = self
            .raw
            .cred_helpers
            .iter()
            .find(|(k, _)| host_of(k) == host)
            .map(|(_, v)| v)
            .filter(|h| !h.is_empty())
        {
            return Ok(CredentialSource::Helper(h.clone()));
        }
        if let Some(store) = self.raw.creds_store.as_ref().filter(|s| !s.is_empty()) {
            return Ok(CredentialSource::Helper(store.clone()));
        }
        let Some(entry) = self
            .raw
            .auths
            .iter()
            .find(|(k, _)| host_of(k) == host)
            .map(|(_, v)| v)
        else {
            return Ok(CredentialSource::Anonymous);
        };
        if let Some(token) = entry.identitytoken.as_ref().filter(|t| !t.is_empty()) {
            return Ok(CredentialSource::Inline(Credential::IdentityToken(
                token.clone(),
            )));
        }
        if let (Some(u), Some(p)) = (&entry.username, &entry.password) {
            return Ok(CredentialSource::Inline(Credential::Basic {
                username: u.clone(),
                password: p.clone(),
            }));
        }
        match &entry.auth {
            Some(a) if !a.is_empty() => {
                let bytes = base64_decode(a.trim()).ok_or_else(|| {
                    format!("the `auth` of `{key}` in the Docker config is not base64")
                })?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| format!("the `auth` of `{key}` is not UTF-8 text"))?;
                let (u, p) = text.split_once(':').ok_or_else(|| {
                    format!("the `auth` of `{key}` is not base64 of `user:password`")
                })?;
                Ok(CredentialSource::Inline(Credential::Basic {
                    username: u.to_string(),
                    password: p.to_string(),
                }))
            }
            _ => Ok(CredentialSource::Anonymous),
        }
    }
}

/// Parses a credential helper's answer to `get`: `{"ServerURL":..,"Username":..,"Secret":..}`.
pub fn parse_helper_answer(body: &[u8]) -> Result<Credential, String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Raw {
        username: Option<String>,
        secret: Option<String>,
    }
    let raw: Raw = serde_json::from_slice(body)
        .map_err(|_| "the credential helper's answer is not JSON".to_string())?;
    let secret = raw
        .secret
        .filter(|s| !s.is_empty())
        .ok_or("the credential helper's answer has no Secret")?;
    Ok(match raw.username.as_deref() {
        Some("<token>") => Credential::IdentityToken(secret),
        u => Credential::Basic {
            username: u.unwrap_or_default().to_string(),
            password: secret,
        },
    })
}

/// Standard base64 (padding optional); `None` when the text is not base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let [_, a, b, c] = n.to_be_bytes();
        out.push(a);
        if chunk.len() > 2 {
            out.push(b);
        }
        if chunk.len() > 3 {
            out.push(c);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(base64_decode("dXNlcjpwYXNz").unwrap(), b"user:pass");
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YWI=").unwrap(), b"ab");
        assert_eq!(base64_decode("").unwrap(), b"");
        assert!(base64_decode("a").is_none());
        assert!(base64_decode("@@@@").is_none());
    }

    #[test]
    fn sources_in_dockers_order() {
        let c = parse_docker_config(
            r#"{"auths":{"https://index.docker.io/v1/":{"auth":"dXNlcjpwYXNz"},"ghcr.io":{"username":"u","password":"p"},"quay.io":{"identitytoken":"t"},"empty.io":{}},
                "credHelpers":{"123456789012.dkr.ecr.us-east-1.amazonaws.com":"ecr-login"}}"#,
        )
        .unwrap();
        let basic = |u: &str, p: &str| {
            CredentialSource::Inline(Credential::Basic {
                username: u.into(),
                password: p.into(),
            })
        };
        assert_eq!(
            c.source_for("https://index.docker.io/v1/").unwrap(),
            basic("user", "pass")
        );
        assert_eq!(c.source_for("ghcr.io").unwrap(), basic("u", "p"));
        assert_eq!(
            c.source_for("quay.io").unwrap(),
            CredentialSource::Inline(Credential::IdentityToken("t".into()))
        );
        assert_eq!(
            c.source_for("empty.io").unwrap(),
            CredentialSource::Anonymous
        );
        assert_eq!(
            c.source_for("registry.example.com").unwrap(),
            CredentialSource::Anonymous
        );
        assert_eq!(
            c.source_for("123456789012.dkr.ecr.us-east-1.amazonaws.com")
                .unwrap(),
            CredentialSource::Helper("ecr-login".into())
        );
        let store =
            parse_docker_config(r#"{"auths":{"ghcr.io":{}},"credsStore":"desktop"}"#).unwrap();
        assert_eq!(
            store.source_for("ghcr.io").unwrap(),
            CredentialSource::Helper("desktop".into())
        );
        let bad = parse_docker_config(r#"{"auths":{"x.io":{"auth":"!!"}}}"#).unwrap();
        assert!(bad.source_for("x.io").unwrap_err().contains("not base64"));
        assert!(parse_docker_config("{").is_err());
    }

    #[test]
    fn helper_answers_and_no_secret_shown() {
        let c =
            parse_helper_answer(br#"{"ServerURL":"ghcr.io","Username":"me","Secret":"s3cr3t"}"#)
                .unwrap();
        assert_eq!(
            c,
            Credential::Basic {
                username: "me".into(),
                password: "s3cr3t".into()
            }
        );
        assert!(!format!("{c:?}").contains("s3cr3t"));
        let t = parse_helper_answer(br#"{"Username":"<token>","Secret":"refresh"}"#).unwrap();
        assert_eq!(t, Credential::IdentityToken("refresh".into()));
        assert!(!format!("{t:?}").contains("refresh"));
        assert!(parse_helper_answer(b"credentials not found").is_err());
        assert!(parse_helper_answer(br#"{"Username":"u"}"#).is_err());
    }
}
