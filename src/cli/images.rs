//! Reading every container image's platforms for `deploy`, `validate --images` and
//! `recommend --images`: private ECR through its API, every other registry through the OCI
//! Distribution API, each distinct image once, through the image cache. Judging what was read
//! is the core's; this prints what it read and refuses what would not run.

use super::error::{CliError, ExitKind};
use super::image_cache::ImageCache;
use super::output::diag;
use crate::aws::ecr::{Ecr, read_platforms};
use crate::aws::registry::Registry;
use crate::aws::{AwsOptions, load_config};
use crate::core::deploy::image::{
    ImageVerdict, Platform, judge, parse_ecr, wrong_architecture_message,
};
use crate::core::deploy::reference::parse_reference;
use crate::core::plan::Service;
use crate::core::plan::sections::recommend::ImageRead;
use std::collections::BTreeMap;

/// What was read of one container's image.
#[derive(Clone, Debug)]
pub struct ContainerRead {
    pub service: String,
    pub container: String,
    pub read: ImageRead,
    /// It came from the image cache.
    pub cached: bool,
}

/// How to read.
pub struct ReadOptions {
    /// Profile and endpoint for private ECR (each image's region is its own).
    pub aws: AwsOptions,
    /// Trust what the cache holds for a tag read in the last day (`recommend`); `deploy` and
    /// `validate` read tags every run and trust only digests.
    pub cached_tags: bool,
}

/// Reads the platforms of every container image of `services`, each distinct image once.
pub async fn read_all(services: &[&Service], opts: &ReadOptions) -> Vec<ContainerRead> {
    let mut cache = ImageCache::load();
    let now = chrono::Utc::now();
    let mut registry: Option<Result<Registry, String>> = None;
    let mut ecr: BTreeMap<String, Ecr> = BTreeMap::new();
    let mut seen: BTreeMap<String, (Result<Vec<Platform>, String>, bool)> = BTreeMap::new();
    let mut out = Vec::new();
    for s in services {
        for c in &s.containers {
            if !seen.contains_key(&c.image) {
                let got = read_one(&c.image, opts, &mut cache, now, &mut registry, &mut ecr).await;
                seen.insert(c.image.clone(), got);
            }
            let Some((platforms, cached)) = seen.get(&c.image).cloned() else {
                continue;
            };
            out.push(ContainerRead {
                service: s.name.clone(),
                container: c.name.clone(),
                read: ImageRead {
                    container: c.name.clone(),
                    image: c.image.clone(),
                    platforms,
                },
                cached,
            });
        }
    }
    if let Err(e) = cache.save() {
        diag!("warning: the image cache was not written: {e}");
    }
    out
}

async fn read_one(
    image: &str,
    opts: &ReadOptions,
    cache: &mut ImageCache,
    now: chrono::DateTime<chrono::Utc>,
    registry: &mut Option<Result<Registry, String>>,
    ecr: &mut BTreeMap<String, Ecr>,
) -> (Result<Vec<Platform>, String>, bool) {
    if let Some(e) = parse_ecr(image) {
        if let Some(p) = cache.get(image, opts.cached_tags, now) {
            return (Ok(p), true);
        }
        if !ecr.contains_key(&e.region) {
            let config = load_config(&AwsOptions {
                region: Some(e.region.clone()),
                ..opts.aws.clone()
            })
            .await;
            ecr.insert(e.region.clone(), Ecr::new(&config));
        }
        let Some(client) = ecr.get(&e.region) else {
            return (Err("internal: no ECR client".to_string()), false);
        };
        let got = read_platforms(client, &e).await;
        if let Ok(p) = &got {
            cache.put(&[image.to_string()], p, now);
        }
        return (got, false);
    }
    let name = match parse_reference(image) {
        Ok(n) => n,
        Err(e) => return (Err(e), false),
    };
    let key = name.to_string();
    if let Some(p) = cache.get(&key, opts.cached_tags, now) {
        return (Ok(p), true);
    }
    let client = match registry.get_or_insert_with(Registry::new) {
        Ok(r) => r,
        Err(e) => return (Err(e.clone()), false),
    };
    match client.read(&name).await {
        Ok(read) => {
            let mut keys = vec![key];
            if let Some(d) = &read.digest {
                keys.push(format!("{}/{}@{d}", name.registry, name.repository));
            }
            cache.put(&keys, &read.platforms, now);
            (Ok(read.platforms), false)
        }
        Err(e) => (Err(e), false),
    }
}

/// The preflight: prints what was read, refuses (exit 2) every container whose image has no
/// build for its task's platform, and warns about images it could not read (an error, exit 1,
/// with `require`).
pub fn check(
    services: &[&Service],
    reads: &[ContainerRead],
    require: bool,
) -> Result<(), CliError> {
    let mut refusals: Vec<CliError> = Vec::new();
    let mut unread: Vec<String> = Vec::new();
    for r in reads {
        let Some(s) = services.iter().find(|s| s.name == r.service) else {
            continue;
        };
        let image = &r.read.image;
        let verdict = match &r.read.platforms {
            Ok(p) => judge(p.clone(), s.arch, &s.os),
            Err(reason) => ImageVerdict::Unreadable {
                reason: reason.clone(),
            },
        };
        match verdict {
            ImageVerdict::Runs { platforms } => {
                let list: Vec<String> = platforms.iter().map(ToString::to_string).collect();
                diag!(
                    "image check: service `{}` container `{}`: `{image}` runs on {} ({}){}",
                    s.name,
                    r.container,
                    s.arch,
                    list.join(", "),
                    if r.cached {
                        ", from the image cache"
                    } else {
                        ""
                    }
                );
            }
            ImageVerdict::WrongArchitecture { platforms } => {
                let (headline, details) =
                    wrong_architecture_message(&r.container, image, &platforms, s.arch, &s.os);
                let mut err = CliError::bad_input(format!("service `{}`, {headline}", s.name));
                for d in details {
                    err = err.detail(d);
                }
                refusals.push(err);
            }
            ImageVerdict::Unreadable { reason } => {
                let line = format!(
                    "service `{}` container `{}`: could not read the architecture of `{image}`, so it was not checked: {reason}",
                    s.name, r.container
                );
                if require {
                    unread.push(line);
                } else {
                    diag!("warning: {line}");
                }
            }
        }
    }
    if !refusals.is_empty() {
        let entries = refusals.into_iter().flat_map(|e| e.entries).collect();
        return Err(CliError {
            kind: ExitKind::BadInput,
            entries,
        });
    }
    if let Some(first) = unread.first() {
        let mut err = CliError::failure(first.clone());
        for more in &unread[1..] {
            err = err.detail(more.clone());
        }
        return Err(err.detail(
            "--require-image-check refuses an image whose architecture could not be read; fix access to the registry (`docker login`), or drop the flag to make it a warning",
        ));
    }
    Ok(())
}
