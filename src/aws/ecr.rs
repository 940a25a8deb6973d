//! ECR for the image-architecture preflight: read an image's manifest (`BatchGetImage` with the
//! index and manifest media types) and, for a single manifest, its config blob (through
//! `GetDownloadUrlForLayer`). The reading is behind [`ManifestSource`] so the logic that walks
//! from manifest to platforms is tested with a fake; the decision itself is in
//! `core::deploy::image`.

use super::error::AwsError;
use crate::core::deploy::image::{
    ACCEPTED_MEDIA_TYPES, EcrImage, ImageReference, ImageVerdict, Manifest, Platform, judge,
    parse_config, parse_manifest,
};
use crate::core::vocab::platform::{CpuArch, OsFamily};
use aws_config::SdkConfig;
use aws_sdk_ecr::Client;
use aws_sdk_ecr::types::ImageIdentifier;
use std::time::Duration;

/// A manifest as the registry returned it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawManifest {
    pub media_type: Option<String>,
    pub body: String,
}

/// Where manifests and blobs come from: ECR, or a fake in tests.
pub trait ManifestSource {
    /// The manifest of `image`; `Ok(None)` when the registry has no such image.
    fn manifest(
        &self,
        image: &EcrImage,
    ) -> impl std::future::Future<Output = Result<Option<RawManifest>, String>> + Send;
    /// The blob `digest` of the image's repository.
    fn blob(
        &self,
        image: &EcrImage,
        digest: &str,
    ) -> impl std::future::Future<Output = Result<Vec<u8>, String>> + Send;
}

/// Reads which platforms `image` was built for and judges them against the task.
pub async fn check_image<S: ManifestSource>(
    source: &S,
    image: &EcrImage,
    arch: CpuArch,
    os: &OsFamily,
) -> ImageVerdict {
    match read_platforms(source, image).await {
        Ok(platforms) => judge(platforms, arch, os),
        Err(reason) => ImageVerdict::Unreadable { reason },
    }
}

/// Which platforms `image` was built for: an index's list, or its config blob's platform.
pub async fn read_platforms<S: ManifestSource>(
    source: &S,
    image: &EcrImage,
) -> Result<Vec<Platform>, String> {
    let manifest = source.manifest(image).await?.ok_or_else(|| {
        format!(
            "ECR has no image `{}{}` in account {}",
            image.repository, image.reference, image.account
        )
    })?;
    match parse_manifest(manifest.media_type.as_deref(), &manifest.body)? {
        Manifest::Index(platforms) => Ok(platforms),
        Manifest::Single { config_digest } => {
            let bytes = source.blob(image, &config_digest).await.map_err(|e| {
                format!(
                    "a single-architecture image whose config blob {config_digest} could not be read: {e}"
                )
            })?;
            Ok(vec![parse_config(&bytes)?])
        }
    }
}

/// ECR as a [`ManifestSource`].
#[derive(Clone, Debug)]
pub struct Ecr {
    client: Client,
    http: reqwest::Client,
}

impl Ecr {
    pub fn new(config: &SdkConfig) -> Ecr {
        Ecr {
            client: Client::new(config),
            http: super::http::client_builder()
                .map_err(|e| e.message)
                .and_then(|b| {
                    b.timeout(Duration::from_secs(30))
                        .build()
                        .map_err(|e| e.to_string())
                })
                // Building fails only without a TLS backend; the plain client then reports why.
                .unwrap_or_else(|_| reqwest::Client::new()),
        }
    }
}

fn identifier(image: &EcrImage) -> ImageIdentifier {
    match &image.reference {
        ImageReference::Tag(t) => ImageIdentifier::builder().image_tag(t).build(),
        ImageReference::Digest(d) => ImageIdentifier::builder().image_digest(d).build(),
    }
}

fn describe(e: AwsError) -> String {
    match e.hint() {
        Some(h) => format!("{e} ({h})"),
        None => e.to_string(),
    }
}

impl ManifestSource for Ecr {
    async fn manifest(&self, image: &EcrImage) -> Result<Option<RawManifest>, String> {
        let out = self
            .client
            .batch_get_image()
            .registry_id(&image.account)
            .repository_name(&image.repository)
            .image_ids(identifier(image))
            .set_accepted_media_types(Some(
                ACCEPTED_MEDIA_TYPES.iter().map(|t| t.to_string()).collect(),
            ))
            .send()
            .await
            .map_err(|e| describe(AwsError::from_sdk("BatchGetImage", e)))?;
        if let Some(img) = out.images().first() {
            return match img.image_manifest() {
                Some(body) => Ok(Some(RawManifest {
                    media_type: img.image_manifest_media_type().map(str::to_string),
                    body: body.to_string(),
                })),
                None => Err("BatchGetImage returned the image without its manifest".to_string()),
            };
        }
        match out.failures().first() {
            Some(f)
                if f.failure_code().map(|c| c.as_str()) == Some("ImageNotFound")
                    || f.failure_code().map(|c| c.as_str())
                        == Some("ImageTagDoesNotMatchDigest") =>
            {
                Ok(None)
            }
            Some(f) => Err(format!(
                "BatchGetImage: {}: {}",
                f.failure_code().map_or("UnknownFailure", |c| c.as_str()),
                f.failure_reason().unwrap_or("(no reason)")
            )),
            None => Ok(None),
        }
    }

    async fn blob(&self, image: &EcrImage, digest: &str) -> Result<Vec<u8>, String> {
        let out = self
            .client
            .get_download_url_for_layer()
            .registry_id(&image.account)
            .repository_name(&image.repository)
            .layer_digest(digest)
            .send()
            .await
            .map_err(|e| describe(AwsError::from_sdk("GetDownloadUrlForLayer", e)))?;
        let url = out
            .download_url()
            .ok_or("GetDownloadUrlForLayer returned no URL")?;
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| format!("downloading the config blob: {e}"))?;
        if !response.status().is_success() {
            return Err(format!(
                "downloading the config blob: HTTP {}",
                response.status()
            ));
        }
        super::http::body_capped(response, super::registry::MAX_DOCUMENT_BYTES)
            .await
            .map_err(|e| format!("downloading the config blob: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::deploy::image::parse_ecr;
    use std::collections::HashMap;

    /// A registry in memory: manifests by reference, blobs by digest.
    #[derive(Default)]
    struct Fake {
        manifests: HashMap<String, RawManifest>,
        blobs: HashMap<String, Vec<u8>>,
        broken: bool,
    }

    impl ManifestSource for Fake {
        async fn manifest(&self, image: &EcrImage) -> Result<Option<RawManifest>, String> {
            if self.broken {
                return Err("AccessDeniedException: not allowed".into());
            }
            Ok(self.manifests.get(&image.reference.to_string()).cloned())
        }
        async fn blob(&self, _image: &EcrImage, digest: &str) -> Result<Vec<u8>, String> {
            self.blobs
                .get(digest)
                .cloned()
                .ok_or_else(|| format!("no blob {digest}"))
        }
    }

    const SINGLE: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:cfg","size":2},"layers":[]}"#;

    fn fake(config: Option<&str>) -> Fake {
        let mut f = Fake::default();
        f.manifests.insert(
            ":1.0".into(),
            RawManifest {
                media_type: Some("application/vnd.oci.image.manifest.v1+json".into()),
                body: SINGLE.into(),
            },
        );
        if let Some(c) = config {
            f.blobs.insert("sha256:cfg".into(), c.as_bytes().to_vec());
        }
        f
    }

    fn image(tag: &str) -> EcrImage {
        parse_ecr(&format!(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:{tag}"
        ))
        .unwrap()
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn a_single_arm64_manifest_is_refused_for_x86() {
        let f = fake(Some(r#"{"architecture":"arm64","os":"linux"}"#));
        let v = run(check_image(
            &f,
            &image("1.0"),
            CpuArch::X86_64,
            &OsFamily::Linux,
        ));
        assert!(matches!(v, ImageVerdict::WrongArchitecture { .. }), "{v:?}");
        let v = run(check_image(
            &f,
            &image("1.0"),
            CpuArch::Arm64,
            &OsFamily::Linux,
        ));
        assert!(matches!(v, ImageVerdict::Runs { .. }), "{v:?}");
    }

    #[test]
    fn what_cannot_be_read_is_unreadable_never_guessed() {
        let cases = [
            (fake(None), "1.0", "could not be read"),
            (fake(Some("<html>")), "1.0", "not valid JSON"),
            (fake(Some(r#"{"architecture":"amd64"}"#)), "1.0", "no os"),
            (fake(None), "2.0", "no image `web:2.0`"),
            (
                Fake {
                    broken: true,
                    ..Fake::default()
                },
                "1.0",
                "AccessDenied",
            ),
        ];
        for (f, tag, needle) in cases {
            match run(check_image(
                &f,
                &image(tag),
                CpuArch::X86_64,
                &OsFamily::Linux,
            )) {
                ImageVerdict::Unreadable { reason } => {
                    assert!(reason.contains(needle), "{reason} lacks {needle}")
                }
                other => panic!("{needle}: {other:?}"),
            }
        }
    }
}
