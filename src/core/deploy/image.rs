//! The image-architecture preflight: which platforms an image was built for, read from its
//! manifest, and whether the task's `cpuArchitecture` is among them.
//!
//! An image built for another architecture than the task's starts, and its entrypoint dies at
//! once with `exec format error`; ECS then relaunches it forever. This module decides from parsed
//! manifests only; reading them (ECR `BatchGetImage`, a config blob) is the AWS adapter's job.

use crate::core::vocab::platform::{CpuArch, OsFamily};
use serde::Deserialize;
use std::fmt;

/// Media types `deploy` asks ECR for, most specific last.
pub const ACCEPTED_MEDIA_TYPES: [&str; 4] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// A private ECR image: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcrImage {
    pub account: String,
    pub region: String,
    pub repository: String,
    pub reference: ImageReference,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageReference {
    Tag(String),
    Digest(String),
}

impl fmt::Display for ImageReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageReference::Tag(t) => write!(f, ":{t}"),
            ImageReference::Digest(d) => write!(f, "@{d}"),
        }
    }
}

/// Parses an image name; `None` when it is not in a private ECR registry.
pub fn parse_ecr(image: &str) -> Option<EcrImage> {
    let (registry, rest) = image.split_once('/')?;
    let mut parts = registry.split('.');
    let account = parts.next()?;
    if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if parts.next()? != "dkr" || parts.next()? != "ecr" {
        return None;
    }
    let region = parts.next()?.to_string();
    let domain: Vec<&str> = parts.collect();
    if domain.first() != Some(&"amazonaws") {
        return None;
    }
    let (repository, reference) = match rest.split_once('@') {
        Some((repo, digest)) => (repo, ImageReference::Digest(digest.to_string())),
        None => match rest.rsplit_once(':') {
            Some((repo, tag)) if !tag.contains('/') => (repo, ImageReference::Tag(tag.to_string())),
            _ => (rest, ImageReference::Tag("latest".to_string())),
        },
    };
    if repository.is_empty() {
        return None;
    }
    Some(EcrImage {
        account: account.to_string(),
        region,
        repository: repository.to_string(),
        reference,
    })
}

/// One platform an image was built for (`linux/arm64`).
pub use crate::core::vocab::platform::ImagePlatform as Platform;

/// A parsed manifest: an index listing platforms, or one image whose platform is in its config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Manifest {
    Index(Vec<Platform>),
    Single { config_digest: String },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawManifest {
    media_type: Option<String>,
    manifests: Option<Vec<RawEntry>>,
    config: Option<RawDescriptor>,
}

#[derive(Deserialize)]
struct RawEntry {
    platform: Option<Platform>,
}

#[derive(Deserialize)]
struct RawDescriptor {
    digest: String,
}

/// Parses a manifest or index. `media_type` is the one the registry reported, if any.
pub fn parse_manifest(media_type: Option<&str>, body: &str) -> Result<Manifest, String> {
    let raw: RawManifest =
        serde_json::from_str(body).map_err(|e| format!("the manifest is not valid JSON: {e}"))?;
    let kind = media_type.map(str::to_string).or(raw.media_type);
    let is_index = match kind.as_deref() {
        Some(t) if t.contains("index") || t.contains("manifest.list") => true,
        Some(_) => false,
        None => raw.manifests.is_some(),
    };
    if is_index {
        let platforms: Vec<Platform> = raw
            .manifests
            .unwrap_or_default()
            .into_iter()
            .filter_map(|e| e.platform)
            // Attestation manifests (buildx provenance) are listed as unknown/unknown.
            .filter(|p| p.os != "unknown" && p.architecture != "unknown")
            .collect();
        if platforms.is_empty() {
            return Err("the image index lists no platforms".to_string());
        }
        return Ok(Manifest::Index(platforms));
    }
    match raw.config {
        Some(c) => Ok(Manifest::Single {
            config_digest: c.digest,
        }),
        None => Err(format!(
            "the manifest ({}) has neither a platform list nor a config",
            kind.as_deref().unwrap_or("no media type")
        )),
    }
}

#[derive(Deserialize)]
struct RawConfig {
    os: Option<String>,
    architecture: Option<String>,
    variant: Option<String>,
}

/// Parses an image config blob (`{"architecture": "arm64", "os": "linux", ...}`).
pub fn parse_config(body: &[u8]) -> Result<Platform, String> {
    let raw: RawConfig = serde_json::from_slice(body)
        .map_err(|e| format!("the image config is not valid JSON: {e}"))?;
    match (raw.os, raw.architecture) {
        (Some(os), Some(architecture)) => Ok(Platform {
            os,
            architecture,
            variant: raw.variant,
        }),
        _ => Err("the image config names no os and architecture".to_string()),
    }
}

/// The OCI platform a Fargate task runs on.
pub fn task_platform(arch: CpuArch, os: &OsFamily) -> (&'static str, &'static str) {
    let os = if os.is_windows() { "windows" } else { "linux" };
    let arch = match arch {
        CpuArch::X86_64 => "amd64",
        CpuArch::Arm64 => "arm64",
    };
    (os, arch)
}

/// What the check concluded about one container's image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageVerdict {
    /// The image has a build for the task's platform.
    Runs { platforms: Vec<Platform> },
    /// It has none: ECS would start it and it would die with `exec format error`.
    WrongArchitecture { platforms: Vec<Platform> },
    /// The image could not be read; nothing is assumed.
    Unreadable { reason: String },
}

/// Decides whether an image built for `platforms` runs as a task of `arch` and `os`.
pub fn judge(platforms: Vec<Platform>, arch: CpuArch, os: &OsFamily) -> ImageVerdict {
    let (want_os, want_arch) = task_platform(arch, os);
    if platforms
        .iter()
        .any(|p| p.os == want_os && p.architecture == want_arch)
    {
        ImageVerdict::Runs { platforms }
    } else {
        ImageVerdict::WrongArchitecture { platforms }
    }
}

/// The refusal for an image without a build for the task's platform: what would happen, and
/// the three ways to fix it.
pub fn wrong_architecture_message(
    container: &str,
    image: &str,
    platforms: &[Platform],
    arch: CpuArch,
    os: &OsFamily,
) -> (String, Vec<String>) {
    let (want_os, want_arch) = task_platform(arch, os);
    let built: Vec<String> = platforms.iter().map(ToString::to_string).collect();
    let headline = format!(
        "container `{container}`: image `{image}` is built for {} only, but the task runs on {} ({want_os}/{want_arch})",
        built.join(", "),
        arch.ecs_name()
    );
    let mut details = vec![format!(
        "ECS would start the task and the container would exit at once with `exec /usr/local/bin/docker-entrypoint.sh: exec format error` (or fail to pull: the manifest does not contain a descriptor matching platform '{want_os}/{want_arch}'), and the service would relaunch it forever"
    )];
    let other = platforms
        .iter()
        .find(|p| p.os == want_os)
        .map(|p| p.architecture.as_str());
    if let Some(other_arch) = other {
        let ecs = match other_arch {
            "arm64" => Some("ARM64"),
            "amd64" => Some("X86_64"),
            _ => None,
        };
        if let Some(ecs) = ecs {
            details.push(format!(
                "fix: run the task on {ecs}: set runtime_platform = {{ cpu_architecture = \"{ecs}\" }} in the plan"
            ));
        }
    }
    details.push(format!(
        "fix: or rebuild the image for the task: `docker buildx build --platform {want_os}/{want_arch} ...` and push it"
    ));
    details.push(
        "fix: or push a multi-arch image: `docker buildx build --platform linux/amd64,linux/arm64 --push ...`"
            .to_string(),
    );
    details.push("or pass --skip-image-check if you know better".to_string());
    (headline, details)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(platforms: &[(&str, &str)]) -> String {
        let entries: Vec<String> = platforms
            .iter()
            .map(|(os, arch)| {
                format!(
                    r#"{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{}","size":1,"platform":{{"os":"{os}","architecture":"{arch}"}}}}"#,
                    "a".repeat(64)
                )
            })
            .collect();
        format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{}]}}"#,
            entries.join(",")
        )
    }

    #[test]
    fn ecr_names() {
        let i = parse_ecr("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:1.0.0").unwrap();
        assert_eq!(i.account, "123456789012");
        assert_eq!(i.region, "us-east-1");
        assert_eq!(i.repository, "team/web");
        assert_eq!(i.reference, ImageReference::Tag("1.0.0".into()));
        let i = parse_ecr("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:abc").unwrap();
        assert_eq!(i.reference, ImageReference::Digest("sha256:abc".into()));
        let i = parse_ecr("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/web").unwrap();
        assert_eq!(i.reference, ImageReference::Tag("latest".into()));
        assert_eq!(parse_ecr("nginx"), None);
        assert_eq!(parse_ecr("nginx:1.27"), None);
        assert_eq!(parse_ecr("public.ecr.aws/nginx/nginx:1"), None);
        assert_eq!(parse_ecr("ghcr.io/owner/app:1"), None);
        assert_eq!(parse_ecr("localhost:5000/web:1"), None);
    }

    #[test]
    fn an_arm64_only_index_is_refused_for_x86() {
        let m = parse_manifest(None, &index(&[("linux", "arm64")])).unwrap();
        let Manifest::Index(platforms) = m else {
            panic!("not an index: {m:?}")
        };
        let v = judge(platforms, CpuArch::X86_64, &OsFamily::Linux);
        assert!(matches!(v, ImageVerdict::WrongArchitecture { .. }), "{v:?}");
        let v = judge(
            vec![Platform {
                os: "linux".into(),
                architecture: "arm64".into(),
                variant: Some("v8".into()),
            }],
            CpuArch::Arm64,
            &OsFamily::Linux,
        );
        assert!(matches!(v, ImageVerdict::Runs { .. }), "{v:?}");
    }

    #[test]
    fn a_multi_arch_index_runs_on_both() {
        for arch in [CpuArch::X86_64, CpuArch::Arm64] {
            let Ok(Manifest::Index(p)) = parse_manifest(
                Some("application/vnd.docker.distribution.manifest.list.v2+json"),
                &index(&[
                    ("linux", "amd64"),
                    ("linux", "arm64"),
                    ("unknown", "unknown"),
                ]),
            ) else {
                panic!("not an index")
            };
            assert_eq!(p.len(), 2, "attestations are not platforms");
            assert!(matches!(
                judge(p, arch, &OsFamily::Linux),
                ImageVerdict::Runs { .. }
            ));
        }
    }

    #[test]
    fn windows_needs_a_windows_build() {
        let Ok(Manifest::Index(p)) = parse_manifest(None, &index(&[("linux", "amd64")])) else {
            panic!("not an index")
        };
        let v = judge(
            p,
            CpuArch::X86_64,
            &OsFamily::Windows("WINDOWS_SERVER_2022_CORE".into()),
        );
        assert!(matches!(v, ImageVerdict::WrongArchitecture { .. }));
    }

    #[test]
    fn single_manifests_point_at_their_config() {
        let body = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:bbb","size":10},"layers":[]}"#;
        assert_eq!(
            parse_manifest(None, body).unwrap(),
            Manifest::Single {
                config_digest: "sha256:bbb".into()
            }
        );
        let p = parse_config(br#"{"architecture":"arm64","os":"linux","rootfs":{}}"#).unwrap();
        assert_eq!(p.to_string(), "linux/arm64");
        assert!(parse_config(b"{}").is_err());
        assert!(parse_config(b"not json").is_err());
    }

    #[test]
    fn broken_manifests_are_errors_not_guesses() {
        assert!(parse_manifest(None, "<html>").is_err());
        assert!(
            parse_manifest(
                Some("application/vnd.oci.image.index.v1+json"),
                r#"{"manifests":[]}"#
            )
            .is_err()
        );
        assert!(parse_manifest(None, r#"{"schemaVersion":2}"#).is_err());
    }

    #[test]
    fn the_refusal_explains_and_fixes() {
        let platforms = vec![Platform {
            os: "linux".into(),
            architecture: "arm64".into(),
            variant: None,
        }];
        let (head, details) = wrong_architecture_message(
            "web",
            "x/web:1",
            &platforms,
            CpuArch::X86_64,
            &OsFamily::Linux,
        );
        assert!(head.contains("built for linux/arm64 only"), "{head}");
        let text = details.join("\n");
        assert!(text.contains("exec format error"), "{text}");
        assert!(text.contains("cpu_architecture = \"ARM64\""), "{text}");
        assert!(text.contains("--platform linux/amd64"), "{text}");
        assert!(text.contains("multi-arch"), "{text}");
    }
}
