//! Image references as Docker reads them (`nginx:1.27` is `docker.io/library/nginx:1.27`, read
//! from `registry-1.docker.io`), where their registry is spoken to (HTTPS, or plain HTTP on
//! loopback as Docker does), and the registry's `WWW-Authenticate` challenge. Pure: the HTTP is
//! in `aws::registry`.

use super::image::ImageReference;
use std::fmt;

/// Docker Hub as image names spell it, and the host its API answers on.
pub const DOCKER_HUB: &str = "docker.io";
const DOCKER_HUB_API: &str = "registry-1.docker.io";
/// The key Docker files Docker Hub credentials under (`auths`, credential helpers).
pub const DOCKER_HUB_CREDENTIALS_KEY: &str = "https://index.docker.io/v1/";

/// An image in any OCI registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageName {
    /// The registry host (and port) as named: `docker.io`, `ghcr.io`, `127.0.0.1:5000`.
    pub registry: String,
    /// The repository path: `library/nginx`, `owner/app`.
    pub repository: String,
    pub reference: ImageReference,
}

impl fmt::Display for ImageName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}{}", self.registry, self.repository, self.reference)
    }
}

impl ImageName {
    /// The host the registry's API answers on.
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB {
            DOCKER_HUB_API
        } else {
            &self.registry
        }
    }

    /// `http://` for a registry on loopback (as Docker does), `https://` for every other.
    pub fn base_url(&self) -> String {
        let scheme = if is_loopback(&self.registry) {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{}", self.api_host())
    }

    /// The key Docker stores this registry's credentials under.
    pub fn credentials_key(&self) -> &str {
        if self.registry == DOCKER_HUB {
            DOCKER_HUB_CREDENTIALS_KEY
        } else {
            &self.registry
        }
    }

    /// The manifest URL of the image.
    pub fn manifest_url(&self) -> String {
        let reference = match &self.reference {
            ImageReference::Tag(t) => t,
            ImageReference::Digest(d) => d,
        };
        format!(
            "{}/v2/{}/manifests/{reference}",
            self.base_url(),
            self.repository
        )
    }

    /// The URL of a blob of the image's repository.
    pub fn blob_url(&self, digest: &str) -> String {
        format!("{}/v2/{}/blobs/{digest}", self.base_url(), self.repository)
    }

    /// The token scope that reads the repository.
    pub fn pull_scope(&self) -> String {
        format!("repository:{}:pull", self.repository)
    }

    /// A digest reference never changes what it names; a tag can be moved.
    pub fn is_digest(&self) -> bool {
        matches!(self.reference, ImageReference::Digest(_))
    }
}

/// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
pub fn is_loopback(registry: &str) -> bool {
    let host = if let Some(rest) = registry.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        registry.split(':').next().unwrap_or("")
    };
    host == "localhost" || host == "::1" || host.starts_with("127.")
}

/// Parses an image name as Docker does: the first path component is a registry when it has a
/// `.` or a `:` or is `localhost`, else the image is on Docker Hub (`library/` for one
/// component); `:tag` and `@digest` follow, `latest` by default.
pub fn parse_reference(image: &str) -> Result<ImageName, String> {
    let bad = |why: &str| format!("`{image}` is not an image reference: {why}");
    let text = image.trim();
    if text.is_empty() {
        return Err(bad("it is empty"));
    }
    let (name, digest) = match text.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (text, None),
    };
    let (name, tag) = match name.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, Some(t)),
        _ => (name, None),
    };
    let (registry, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => (DOCKER_HUB.to_string(), name.to_string()),
    };
    let registry = if registry == "index.docker.io" {
        DOCKER_HUB.to_string()
    } else {
        registry
    };
    let repository = if registry == DOCKER_HUB && !path.contains('/') {
        format!("library/{path}")
    } else {
        path
    };
    let valid_path = |c: char| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '/')
    };
    if repository.is_empty()
        || !repository.chars().all(valid_path)
        || repository.split('/').any(str::is_empty)
    {
        return Err(bad(
            "a repository is lowercase letters, digits, `.`, `_`, `-` and `/`-separated parts",
        ));
    }
    let reference = match (digest, tag) {
        (Some(d), _) => {
            let ok = d.split_once(':').is_some_and(|(alg, hex)| {
                !alg.is_empty() && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
            });
            if !ok {
                return Err(bad("a digest is `sha256:` and 64 hex digits"));
            }
            ImageReference::Digest(d.to_string())
        }
        (None, Some(t)) => {
            let ok = !t.is_empty()
                && t.len() <= 128
                && !t.starts_with(['.', '-'])
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            if !ok {
                return Err(bad("a tag is up to 128 letters, digits, `_`, `.` and `-`"));
            }
            ImageReference::Tag(t.to_string())
        }
        (None, None) => ImageReference::Tag("latest".to_string()),
    };
    Ok(ImageName {
        registry,
        repository,
        reference,
    })
}

/// A registry's `WWW-Authenticate` challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Challenge {
    /// Ask `realm` for a token (with `service` and `scope` as query parameters).
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
    /// Send the user name and password with every request.
    Basic,
}

/// Parses `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="..."`
/// or `Basic realm="..."`; `None` for anything else.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut params: Vec<(String, String)> = Vec::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if key.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next()),
                    c => value.push(c),
                }
            }
        } else {
            value = chars.by_ref().take_while(|c| *c != ',').collect();
        }
        params.push((key.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let get = |k: &str| params.iter().find(|(p, _)| p == k).map(|(_, v)| v.clone());
    let realm = get("realm").filter(|r| !r.is_empty())?;
    Some(Challenge::Bearer {
        realm,
        service: get("service"),
        scope: get("scope"),
    })
}

/// The token of a token server's answer (`token`, or OAuth2's `access_token`).
pub fn parse_token(body: &[u8]) -> Result<String, String> {
    #[derive(serde::Deserialize)]
    struct Raw {
        token: Option<String>,
        access_token: Option<String>,
    }
    let raw: Raw = serde_json::from_slice(body)
        .map_err(|e| format!("the token server's answer is not JSON: {e}"))?;
    raw.token
        .or(raw.access_token)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| "the token server's answer has no token".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(t: &str) -> ImageReference {
        ImageReference::Tag(t.into())
    }

    #[test]
    fn docker_hub_names_are_normalised() {
        let n = parse_reference("nginx:1.27").unwrap();
        assert_eq!(n.registry, "docker.io");
        assert_eq!(n.repository, "library/nginx");
        assert_eq!(n.reference, tag("1.27"));
        assert_eq!(
            n.manifest_url(),
            "https://registry-1.docker.io/v2/library/nginx/manifests/1.27"
        );
        assert_eq!(n.credentials_key(), "https://index.docker.io/v1/");
        let n = parse_reference("bitnami/redis").unwrap();
        assert_eq!(n.repository, "bitnami/redis");
        assert_eq!(n.reference, tag("latest"));
        let n = parse_reference("index.docker.io/library/nginx").unwrap();
        assert_eq!(n.registry, "docker.io");
    }

    #[test]
    fn other_registries_keep_their_host() {
        let n = parse_reference("public.ecr.aws/nginx/nginx:1.27-alpine").unwrap();
        assert_eq!(
            (n.registry.as_str(), n.repository.as_str()),
            ("public.ecr.aws", "nginx/nginx")
        );
        assert_eq!(
            n.manifest_url(),
            "https://public.ecr.aws/v2/nginx/nginx/manifests/1.27-alpine"
        );
        let n = parse_reference(&format!("ghcr.io/owner/app@sha256:{}", "a".repeat(64))).unwrap();
        assert!(n.is_digest());
        assert_eq!(n.pull_scope(), "repository:owner/app:pull");
        let n = parse_reference("127.0.0.1:5000/team/web:1").unwrap();
        assert_eq!(n.base_url(), "http://127.0.0.1:5000");
        assert_eq!(n.to_string(), "127.0.0.1:5000/team/web:1");
        let n = parse_reference("localhost/web").unwrap();
        assert_eq!(n.base_url(), "http://localhost");
        let n = parse_reference("quay.io:443/org/app:v1").unwrap();
        assert_eq!(n.base_url(), "https://quay.io:443");
        assert!(is_loopback("[::1]:5000"));
        assert!(!is_loopback("registry.example.com"));
    }

    #[test]
    fn bad_references_say_why() {
        for (bad, why) in [
            ("", "empty"),
            ("Nginx:1", "lowercase"),
            ("nginx:bad tag", "a tag"),
            ("nginx@sha256:xyz", "digest"),
            ("ghcr.io//app", "lowercase"),
        ] {
            let e = parse_reference(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn challenges() {
        let c = parse_challenge(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#,
        );
        assert_eq!(
            c,
            Some(Challenge::Bearer {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:library/nginx:pull".into()),
            })
        );
        assert_eq!(
            parse_challenge(r#"Basic realm="Registry Realm""#),
            Some(Challenge::Basic)
        );
        assert_eq!(
            parse_challenge(r#"bearer realm=http://127.0.0.1:9/t"#),
            Some(Challenge::Bearer {
                realm: "http://127.0.0.1:9/t".into(),
                service: None,
                scope: None
            })
        );
        assert_eq!(parse_challenge("Bearer service=\"x\""), None);
        assert_eq!(parse_challenge("Negotiate"), None);
    }

    #[test]
    fn tokens() {
        assert_eq!(parse_token(br#"{"token":"abc"}"#).unwrap(), "abc");
        assert_eq!(parse_token(br#"{"access_token":"xyz"}"#).unwrap(), "xyz");
        assert!(parse_token(b"{}").is_err());
        assert!(parse_token(b"<html>").is_err());
    }
}
