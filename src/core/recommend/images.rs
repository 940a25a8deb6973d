//! Which architectures a service may be recommended on, from what `recommend --images` read of
//! its images: ARM64 only when every container's image has a `linux/arm64` build, X86_64 only
//! when every one has `linux/amd64`; an image that could not be read leaves the architecture as
//! written (never a guess). `image_architectures` in the plan wins over anything read.

use crate::core::plan::Service;
use crate::core::plan::sections::recommend::ImageRead;
use crate::core::vocab::money::Usd;
use crate::core::vocab::platform::CpuArch;

/// Where a service's candidate architectures came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchSource {
    /// `[service.recommend] image_architectures`.
    Declared,
    /// Read from the registries (`--images`).
    Images,
    /// Neither: the architecture as written only.
    Unknown,
}

impl ArchSource {
    pub fn id(self) -> &'static str {
        match self {
            ArchSource::Declared => "declared",
            ArchSource::Images => "images",
            ArchSource::Unknown => "unknown",
        }
    }
}

/// A service's candidate architectures and what they rest on, for the output.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageArchitectures {
    pub source: ArchSource,
    pub architectures: Vec<CpuArch>,
    /// What was read, container by container (empty unless `--images`).
    pub images: Vec<ImageRead>,
    /// The recommendation stays on X86_64 because an image has no arm64 build: what the same
    /// candidate would save per month on ARM64.
    pub arm_saving_forgone: Option<Usd>,
}

impl ImageArchitectures {
    pub fn of(s: &Service, arm_saving_forgone: Option<Usd>) -> ImageArchitectures {
        let source = if s.tuning.image_architectures_declared {
            ArchSource::Declared
        } else if !s.tuning.images.is_empty() {
            ArchSource::Images
        } else {
            ArchSource::Unknown
        };
        ImageArchitectures {
            source,
            architectures: s.tuning.image_architectures.clone(),
            images: s.tuning.images.clone(),
            arm_saving_forgone,
        }
    }
}

/// The architectures every image has a Linux build for; the one written when an image could
/// not be read, when the images share none, or for Windows (X86_64 only on Fargate).
pub fn architectures_from(reads: &[ImageRead], written: CpuArch, windows: bool) -> Vec<CpuArch> {
    if windows || reads.is_empty() || reads.iter().any(|r| r.platforms.is_err()) {
        return vec![written];
    }
    let all: Vec<CpuArch> = [CpuArch::X86_64, CpuArch::Arm64]
        .into_iter()
        .filter(|a| reads.iter().all(|r| r.has(*a)))
        .collect();
    if all.is_empty() { vec![written] } else { all }
}

/// Puts what was read into the service's tuning, unless the plan lists the architectures
/// itself (the plan wins).
pub fn apply_reads(s: &mut Service, reads: Vec<ImageRead>) {
    if s.tuning.image_architectures_declared || reads.is_empty() {
        return;
    }
    s.tuning.image_architectures = architectures_from(&reads, s.arch, s.os.is_windows());
    s.tuning.images = reads;
}

/// Whether an ARM64 build is what keeps the service off ARM: the images were all read, the
/// task is Linux, and some image has no arm64 build.
pub fn arm_needs_build(s: &Service) -> bool {
    !s.os.is_windows()
        && !s.tuning.image_architectures_declared
        && !s.tuning.images.is_empty()
        && s.tuning.images.iter().all(|r| r.platforms.is_ok())
        && !s.tuning.image_architectures.contains(&CpuArch::Arm64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vocab::platform::ImagePlatform;

    fn read(container: &str, archs: &[&str]) -> ImageRead {
        ImageRead {
            container: container.into(),
            image: format!("r/{container}:1"),
            platforms: Ok(archs
                .iter()
                .map(|a| ImagePlatform {
                    os: "linux".into(),
                    architecture: (*a).into(),
                    variant: None,
                })
                .collect()),
        }
    }

    #[test]
    fn arm_only_when_every_image_has_it() {
        use CpuArch::{Arm64, X86_64};
        let multi = read("web", &["amd64", "arm64"]);
        let amd = read("sidecar", &["amd64"]);
        let arm = read("arm", &["arm64"]);
        assert_eq!(
            architectures_from(std::slice::from_ref(&multi), X86_64, false),
            vec![X86_64, Arm64]
        );
        assert_eq!(
            architectures_from(&[multi.clone(), amd.clone()], X86_64, false),
            vec![X86_64]
        );
        assert_eq!(
            architectures_from(std::slice::from_ref(&arm), X86_64, false),
            vec![Arm64],
            "an arm64-only image runs on ARM64 only"
        );
        assert_eq!(architectures_from(&[arm, amd], X86_64, false), vec![X86_64]);
        let unreadable = ImageRead {
            platforms: Err("HTTP 500".into()),
            ..multi.clone()
        };
        assert_eq!(
            architectures_from(&[multi.clone(), unreadable], X86_64, false),
            vec![X86_64],
            "an unread image is never guessed"
        );
        assert_eq!(architectures_from(&[multi], X86_64, true), vec![X86_64]);
        assert_eq!(architectures_from(&[], Arm64, false), vec![Arm64]);
    }
}
