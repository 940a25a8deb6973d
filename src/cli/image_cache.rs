//! The image cache: which platforms each image was built for, as last read, in `images.json`
//! beside the price cache. A digest names one manifest forever, so what was read for it is kept
//! for good; a tag can be moved, so what was read for it is used for [`TAG_TTL_HOURS`] and then
//! read again (`deploy` reads tags every run: it is the last check before ECS pulls them). A
//! failed read is never kept. A cache file that does not parse is ignored and rewritten.

use crate::cache::Cache;
use crate::core::deploy::image::Platform;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// How long what was read for a tag is trusted.
pub const TAG_TTL_HOURS: i64 = 24;
const FILE_NAME: &str = "images.json";
const FORMAT: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    platforms: Vec<Platform>,
    read_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
struct File {
    format: u32,
    /// By reference: `registry/repository:tag` or `registry/repository@digest`.
    images: BTreeMap<String, Entry>,
}

/// The cache, loaded; [`ImageCache::save`] writes what was added.
pub struct ImageCache {
    path: Option<PathBuf>,
    images: BTreeMap<String, Entry>,
    changed: bool,
}

impl ImageCache {
    /// Loads `images.json` from the cache folder; without a folder, a cache that keeps nothing.
    pub fn load() -> ImageCache {
        let path = Cache::locate().ok().map(|c| c.dir().join(FILE_NAME));
        let images = path
            .as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|t| serde_json::from_str::<File>(&t).ok())
            .filter(|f| f.format == FORMAT)
            .map(|f| f.images)
            .unwrap_or_default();
        ImageCache {
            path,
            images,
            changed: false,
        }
    }

    /// What was read for `key` and may still be trusted at `now`: a digest always, a tag
    /// within [`TAG_TTL_HOURS`] when `tags` is true.
    pub fn get(&self, key: &str, tags: bool, now: DateTime<Utc>) -> Option<Vec<Platform>> {
        let e = self.images.get(key)?;
        let pinned = key.contains('@');
        let fresh = now.signed_duration_since(e.read_at) < Duration::hours(TAG_TTL_HOURS)
            && e.read_at <= now + Duration::minutes(5);
        (pinned || (tags && fresh)).then(|| e.platforms.clone())
    }

    /// Keeps what was read for `key` (and for its digest, when known).
    pub fn put(&mut self, keys: &[String], platforms: &[Platform], now: DateTime<Utc>) {
        for k in keys {
            self.images.insert(
                k.clone(),
                Entry {
                    platforms: platforms.to_vec(),
                    read_at: now,
                },
            );
            self.changed = true;
        }
    }

    /// Writes the cache (a temporary file and a rename); a cache that cannot be written is a
    /// warning, as the next run only reads again.
    pub fn save(&self) -> Result<(), String> {
        let Some(path) = self.path.as_ref().filter(|_| self.changed) else {
            return Ok(());
        };
        let dir = path.parent().ok_or("no cache folder")?;
        std::fs::create_dir_all(dir).map_err(|e| format!("`{}`: {e}", dir.display()))?;
        let text = serde_json::to_string_pretty(&File {
            format: FORMAT,
            images: self.images.clone(),
        })
        .map_err(|e| e.to_string())?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| format!("`{}`: {e}", dir.display()))?;
        tmp.write_all(text.as_bytes())
            .map_err(|e| format!("`{}`: {e}", dir.display()))?;
        tmp.persist(path)
            .map_err(|e| format!("`{}`: {e}", path.display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_kept_and_tags_expire() {
        let mut c = ImageCache {
            path: None,
            images: BTreeMap::new(),
            changed: false,
        };
        let p = vec![Platform {
            os: "linux".into(),
            architecture: "arm64".into(),
            variant: None,
        }];
        let t0 = Utc::now();
        c.put(&["r/a:1".into(), "r/a@sha256:1".into()], &p, t0);
        assert_eq!(
            c.get("r/a:1", true, t0 + Duration::hours(1)),
            Some(p.clone())
        );
        assert_eq!(c.get("r/a:1", false, t0), None, "deploy reads tags again");
        assert_eq!(
            c.get("r/a:1", true, t0 + Duration::hours(TAG_TTL_HOURS)),
            None
        );
        assert_eq!(
            c.get("r/a@sha256:1", false, t0 + Duration::days(400)),
            Some(p)
        );
        assert_eq!(c.get("r/b:1", true, t0), None);
        assert!(c.save().is_ok(), "no folder: nothing to write");
    }
}
