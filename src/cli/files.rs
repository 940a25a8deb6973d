//! Reading input files at the edge: regular files only (a FIFO, a device or a folder is refused
//! before anything is read), a size cap, and text that must be UTF-8, with the line of the first
//! bad byte and the fix when it is not.

use super::error::{CliError, ExitKind};
use std::io::Read;
use std::path::Path;

/// The largest input file read: well above a 100,000-service plan (about 30 MB), far below what
/// would exhaust memory. `FARGATE_PLANNER_MAX_INPUT_BYTES` overrides it.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

fn max_input_bytes() -> u64 {
    std::env::var("FARGATE_PLANNER_MAX_INPUT_BYTES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(MAX_INPUT_BYTES)
}

/// Reads `path` (`-`: standard input) as UTF-8 text. `what` names it in messages ("plan").
/// A missing file, a folder, a FIFO or device, an oversized file and text that is not UTF-8 are
/// the input's fault (exit 2); any other read failure exit 1.
pub fn read_text(path: &Path, what: &str) -> Result<String, CliError> {
    let cap = max_input_bytes();
    let shown = if path == Path::new("-") {
        "standard input".to_string()
    } else {
        format!("`{}`", path.display())
    };
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(cap + 1)
            .read_to_end(&mut bytes)
    } else {
        let meta = std::fs::metadata(path).map_err(|e| {
            let kind = if e.kind() == std::io::ErrorKind::NotFound {
                ExitKind::BadInput
            } else {
                ExitKind::Failure
            };
            CliError::new(kind, format!("cannot read {what} {shown}: {e}"))
        })?;
        if !meta.is_file() {
            let kind = if meta.is_dir() {
                "a folder"
            } else {
                "not a regular file (a FIFO, socket or device)"
            };
            return Err(
                CliError::bad_input(format!("cannot read {what} {shown}: it is {kind}"))
                    .detail(format!("give the path of the {what} file itself")),
            );
        }
        std::fs::File::open(path).and_then(|f| f.take(cap + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| CliError::failure(format!("cannot read {what} {shown}: {e}")))?;
    if bytes.len() as u64 > cap {
        return Err(CliError::bad_input(format!(
            "{what} {shown} is larger than {cap} bytes, the most this tool reads"
        ))
        .detail("split it, or raise the limit with FARGATE_PLANNER_MAX_INPUT_BYTES"));
    }
    utf8(bytes, what, &shown)
}

/// The text, or where it stops being UTF-8 and how to fix it.
fn utf8(bytes: Vec<u8>, what: &str, shown: &str) -> Result<String, CliError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(CliError::bad_input(format!(
            "{what} {shown} is UTF-16 text (as PowerShell's `>` writes it), not UTF-8"
        ))
        .detail("save it as UTF-8, e.g. `Out-File -Encoding utf8` or `iconv -f UTF-16 -t UTF-8`"));
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        let column = at
            - bytes[..at]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        CliError::bad_input(format!(
            "{what} {shown}:{line}:{column}: byte 0x{:02X} is not UTF-8 (byte offset {at})",
            bytes[at]
        ))
        .detail("save the file as UTF-8 (a Latin-1 or Windows-1252 comment is the usual cause)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bytes_are_located_by_line_and_column() {
        let err = utf8(b"[plan]\n# caf\xE9\n".to_vec(), "plan", "`p.toml`").unwrap_err();
        let text = err.render();
        assert!(
            text.contains("`p.toml`:2:6: byte 0xE9 is not UTF-8 (byte offset 12)"),
            "{text}"
        );
        assert!(text.contains("save the file as UTF-8"), "{text}");
        let err = utf8(vec![0xFF, 0xFE, b'[', 0], "plan", "`p.toml`").unwrap_err();
        assert!(err.render().contains("UTF-16"), "{}", err.render());
        assert_eq!(utf8(b"\xEF\xBB\xBFok".to_vec(), "plan", "x").unwrap(), "ok");
    }
}
