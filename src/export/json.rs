//! JSON: the report value as is, amounts as exact decimal strings (schema in docs/report-json.md).

use super::ExportError;
use crate::core::report::Report;

pub fn render(report: &Report) -> Result<Vec<u8>, ExportError> {
    let mut out = serde_json::to_vec_pretty(report)?;
    out.push(b'\n');
    Ok(out)
}

/// The same bytes as [`render`], written as they are made (a large report is never held whole).
pub fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn json_snapshot() {
        let text = String::from_utf8(render(&fixture::report()).unwrap()).unwrap();
        insta::assert_snapshot!(text);
    }

    #[test]
    fn written_and_rendered_bytes_are_the_same() {
        let r = fixture::report();
        let mut written = Vec::new();
        write(&r, &mut written).unwrap();
        assert_eq!(written, render(&r).unwrap());
        assert_eq!(written, {
            let mut v = serde_json::to_vec_pretty(&r).unwrap();
            v.push(b'\n');
            v
        });
    }

    #[test]
    fn amounts_are_strings_and_schema_is_versioned() {
        let v: serde_json::Value =
            serde_json::from_slice(&render(&fixture::report()).unwrap()).unwrap();
        assert_eq!(v["schema_version"], 2);
        assert_eq!(v["services"][0]["plan"]["priced"]["monthly"], "18.02005");
        assert!(v["totals"]["plan_monthly"].is_string());
    }
}
