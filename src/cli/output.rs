//! Where output goes: stdout, or a file written atomically (temp file + rename) so a failed run
//! never leaves a half-written file. A closed pipe (`| head`) is a quiet success. Progress bars
//! go to stderr, and only on a terminal.

use super::error::CliError;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `-` or no path: stdout. Otherwise a file.
#[derive(Clone, Debug)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

impl Target {
    pub fn from_arg(arg: Option<&Path>) -> Target {
        match arg {
            None => Target::Stdout,
            Some(p) if p == Path::new("-") => Target::Stdout,
            Some(p) => Target::File(p.to_path_buf()),
        }
    }

    /// Fails early (before long work) when the file's folder does not exist.
    pub fn check(&self) -> Result<(), CliError> {
        if let Target::File(path) = self {
            let dir = parent(path);
            if !dir.is_dir() {
                return Err(CliError::failure(format!(
                    "cannot write `{}`: folder `{}` does not exist",
                    path.display(),
                    dir.display()
                )));
            }
        }
        Ok(())
    }

    pub fn write(&self, bytes: &[u8]) -> Result<(), CliError> {
        match self {
            Target::Stdout => {
                let mut out = std::io::stdout().lock();
                match out.write_all(bytes).and_then(|_| out.flush()) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    other => {
                        other.map_err(|e| CliError::failure(format!("cannot write to stdout: {e}")))
                    }
                }
            }
            Target::File(path) => write_atomic(path, bytes),
        }
    }
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes through a temporary file in the same folder, then renames it over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let fail =
        |e: std::io::Error| CliError::failure(format!("cannot write `{}`: {e}", path.display()));
    let mut tmp = tempfile::NamedTempFile::new_in(parent(path)).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Prints to stdout; a closed pipe (`| head -1`) is a quiet success, never a panic.
pub fn print(text: &str) -> Result<(), CliError> {
    Target::Stdout.write(text.as_bytes())
}

/// A bar on stderr when it is a terminal and there is more than `min` to do; hidden otherwise
/// (pipes, CI, tests). `template` is indicatif's.
pub fn progress_bar(total: u64, min: u64, template: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() || total < min {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
