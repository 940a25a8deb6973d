//! Where output goes: stdout, or a file written atomically (temp file + rename) so a failed run
//! never leaves a half-written file. A closed pipe (`| head`) is a quiet success. Progress bars
//! go to stderr, and only on a terminal.

use super::error::CliError;
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: warnings, notes and progress on stderr are dropped; errors and prompts are not.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Writes to stderr whatever `--quiet` says (errors, prompts); a closed stderr is ignored, never
/// a panic.
pub fn always(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|_| err.flush());
}

/// A warning or note on stderr, unless `--quiet`; never panics on a closed stderr.
pub fn diag_text(text: &str) {
    if !QUIET.load(Ordering::Relaxed) {
        always(text);
    }
}

/// Asks `question` on stderr and reads one line of standard input: only `yes` is consent.
pub fn confirm(question: &str) -> Result<bool, CliError> {
    always(&format!("\n{question} Only `yes` is accepted: "));
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| CliError::failure(format!("cannot read the answer: {e}")))?;
    Ok(line.trim() == "yes")
}

/// `diag!("warning: {x}")`: a line on stderr through [`diag_text`].
macro_rules! diag {
    ($($arg:tt)*) => {
        $crate::cli::output::diag_text(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use diag;

/// `-` or no path: stdout. Otherwise a file.
#[derive(Clone, Debug)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

/// Every `--format` word of any command, as a file name someone might give `--output` by the
/// AWS CLI's habit (where `--output json` is a format).
const FORMAT_WORDS: &[&str] = &[
    "table", "json", "csv", "markdown", "md", "html", "text", "yaml",
];

impl Target {
    /// An `--output` argument: `-` or none is stdout; a bare format word (`--output json`) is
    /// refused, since here `--output` names a file.
    pub fn output(arg: Option<&Path>) -> Result<Target, CliError> {
        if let Some(p) = arg
            && let Some(word) = p.to_str().map(str::to_ascii_lowercase)
            && FORMAT_WORDS.contains(&word.as_str())
        {
            return Err(CliError::bad_input(format!(
                "--output `{}` names a file, not a format: this would write a file called `{}`",
                p.display(),
                p.display()
            ))
            .detail(format!(
                "did you mean `--format {word}`? (`--output` is the AWS CLI's format flag; here it is the file to write, and `-o report.{word}` picks the format from the extension)"
            )));
        }
        Ok(Target::from_arg(arg))
    }

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
        self.write_with(&mut |w| w.write_all(bytes))
    }

    /// Writes what `fill` writes, through a buffer: piece by piece to stdout, or to the file
    /// atomically (as [`Target::write`]).
    pub fn write_with(
        &self,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        match self {
            Target::Stdout => {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
                match fill(&mut out).and_then(|_| out.flush()) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    other => {
                        other.map_err(|e| CliError::failure(format!("cannot write to stdout: {e}")))
                    }
                }
            }
            Target::File(path) => write_atomic_with(path, fill),
        }
    }
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Writes `bytes` to `path` without ever leaving half a file:
/// - a regular file (new or existing) is written through a temporary file in its folder and
///   renamed over it; an existing file keeps its permissions, a new one gets the umask's
///   (as `File::create` does), not 0600;
/// - a symbolic link is followed: the file it points to is replaced, the link stays;
/// - a FIFO, a device or anything else that is not a regular file is written directly (no
///   rename could replace it without destroying it): `-o /dev/null` stays `/dev/null`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    write_atomic_with(path, &mut |w| w.write_all(bytes))
}

/// [`write_atomic`] of what `fill` writes, through a buffer.
pub fn write_atomic_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let fail =
        |e: std::io::Error| CliError::failure(format!("cannot write `{}`: {e}", path.display()));
    // Follow a symlink to the file it names (a dangling link: to where it points).
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(real) => real,
            Err(_) => {
                let link = std::fs::read_link(path).map_err(fail)?;
                parent(path).join(link)
            }
        },
        _ => path.to_path_buf(),
    };
    let existing = std::fs::metadata(&target).ok();
    if let Some(m) = &existing
        && !m.is_file()
    {
        if m.is_dir() {
            return Err(CliError::bad_input(format!(
                "cannot write `{}`: it is a folder",
                path.display()
            )));
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .map_err(fail)?;
        let mut f = std::io::BufWriter::with_capacity(1 << 16, &mut f);
        return match fill(&mut f).and_then(|_| f.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.map_err(fail),
        };
    }
    let dir = parent(&target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (tmp_path, mut file) = (0..100)
        .find_map(|i| {
            let p = dir.join(format!(".{name}.{}.{i}.tmp", std::process::id()));
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&p)
                .ok()
                .map(|f| (p, f))
        })
        .ok_or_else(|| fail(std::io::Error::other("no temporary file could be created")))?;
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut file);
    let filled = fill(&mut buffered).and_then(|_| buffered.flush());
    drop(buffered);
    let written = filled
        .and_then(|_| file.sync_all())
        .and_then(|_| match &existing {
            Some(m) => std::fs::set_permissions(&tmp_path, m.permissions()),
            None => Ok(()),
        })
        .and_then(|_| std::fs::rename(&tmp_path, &target));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp_path);
        return Err(fail(e));
    }
    Ok(())
}

/// Refuses an output path that is one of the command's input files (the plan, a task
/// definition): writing would destroy the input. Compared after following links.
pub fn refuse_input_as_output(output: &Target, inputs: &[&Path]) -> Result<(), CliError> {
    let Target::File(out) = output else {
        return Ok(());
    };
    let Ok(out_real) = std::fs::canonicalize(out) else {
        return Ok(());
    };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|i| i == out_real) {
            return Err(CliError::bad_input(format!(
                "--output `{}` is the input `{}`: writing it would replace the input",
                out.display(),
                input.display()
            ))
            .detail("write to another file"));
        }
    }
    Ok(())
}

/// The output format: `--format` when given (with a warning when the output file's extension
/// says another), else the format the extension names (`.json`, `.csv`, `.md`, `.html`, `.txt`),
/// else `default`. An extension naming a format this command lacks is refused.
pub fn resolve_format<F: ValueEnum + Copy + PartialEq>(
    format: Option<F>,
    output: Option<&Path>,
    default: F,
) -> Result<F, CliError> {
    let name = |f: &F| {
        f.to_possible_value()
            .map(|p| p.get_name().to_string())
            .unwrap_or_default()
    };
    let by_name = |word: &str| {
        F::value_variants()
            .iter()
            .copied()
            .find(|f| name(f) == word)
    };
    let ext = output
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(|e| match e.to_ascii_lowercase().as_str() {
            "md" | "markdown" => "markdown".to_string(),
            "htm" | "html" => "html".to_string(),
            "txt" | "text" => "table".to_string(),
            other => other.to_string(),
        });
    let known_ext = ext.as_deref().filter(|e| FORMAT_WORDS.contains(e));
    match (format, known_ext) {
        (Some(f), Some(e)) if name(&f) != e => {
            diag!(
                "warning: --format {} wins over the `.{e}` extension of the output file",
                name(&f)
            );
            Ok(f)
        }
        (Some(f), _) => Ok(f),
        (None, Some(e)) => by_name(e).ok_or_else(|| {
            let names: Vec<String> = F::value_variants().iter().map(name).collect();
            CliError::bad_input(format!(
                "the output file's extension asks for {e}, which this command does not write"
            ))
            .detail(format!(
                "formats: {}; pass --format, or name the file for one of them",
                names.join(", ")
            ))
        }),
        (None, None) => Ok(default),
    }
}

/// The width terminal tables are fitted to, read here at the edge and handed to the exporters:
/// `COLUMNS` when it is a positive number, else the width of stdout when it is a terminal, else
/// none (a pipe or a file gets unwrapped tables). Output to a file (`--output`) is never fitted.
pub fn table_width(target: &Target) -> Option<usize> {
    if matches!(target, Target::File(_)) {
        return None;
    }
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
}

/// Prints to stdout; a closed pipe (`| head -1`) is a quiet success, never a panic.
pub fn print(text: &str) -> Result<(), CliError> {
    Target::Stdout.write(text.as_bytes())
}

/// A bar on stderr when it is a terminal and there is more than `min` to do; hidden otherwise
/// (pipes, CI, tests). `template` is indicatif's.
pub fn progress_bar(total: u64, min: u64, template: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() || total < min || QUIET.load(Ordering::Relaxed) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
