//! Large plans parsed block by block: the text is cut at its `[[service]]` header lines and the
//! pieces are parsed in parallel, so no step holds the whole document's tokens and tables.
//!
//! The result is the whole-document parse or nothing: any piece that does not parse, or pieces
//! that only make sense together (a `[plan]` table or a `[plan.spot]` sub-table in two pieces,
//! services before the first cut), send the caller back to one parse of the whole text, which
//! also gives the located error. A cut inside a multi-line string always leaves the piece
//! before it with an unterminated string, so it can never change what a valid plan means.

use super::raw::RawPlan;
use rayon::prelude::*;

/// Services per piece: large enough that rayon's overhead is noise, small enough that a
/// piece's tokens stay in cache and two cores share the work evenly.
const SERVICES_PER_PIECE: usize = 256;

/// The byte offsets of the lines that open a `[[service]]` entry (`[[service]]`, surrounding
/// blanks and a trailing comment allowed).
fn header_offsets(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("[[service]]") {
            let rest = rest.trim_start();
            if rest.is_empty() || rest.starts_with('#') {
                out.push(at);
            }
        }
        at += line.len();
    }
    out
}

/// The raw plan of `text`, parsed in pieces; `None` when the text is small or the pieces do not
/// add up to the whole (the caller then parses the whole text).
pub(super) fn parse_in_pieces(text: &str) -> Option<RawPlan> {
    let headers = header_offsets(text);
    if headers.len() <= SERVICES_PER_PIECE {
        return None;
    }
    // Piece i runs from cut i to cut i + 1; the first starts at 0 and holds any preamble.
    let mut cuts: Vec<usize> = std::iter::once(0)
        .chain(headers.iter().copied().step_by(SERVICES_PER_PIECE).skip(1))
        .collect();
    cuts.push(text.len());
    let pieces: Vec<&str> = cuts
        .windows(2)
        .filter_map(|w| text.get(w[0]..w[1]))
        .collect();
    let parsed: Vec<RawPlan> = pieces
        .par_iter()
        .map(|p| toml::from_str::<RawPlan>(p).ok())
        .collect::<Option<Vec<_>>>()?;
    let expected = headers.len();
    let mut plan = None;
    let mut services = Vec::with_capacity(expected);
    for (i, piece) in parsed.into_iter().enumerate() {
        if piece.plan.is_some() && plan.replace(piece.plan).is_some() {
            return None;
        }
        // Every piece after the first starts at a header, so its services are the file's.
        if i == 0 && piece.service.len() != headers.partition_point(|h| *h < cuts[1]) {
            return None;
        }
        services.extend(piece.service);
    }
    (services.len() == expected).then(|| RawPlan {
        plan: plan.flatten(),
        service: services,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_text(n: usize, between: &str) -> String {
        let mut s = String::from("[plan]\nname = \"p\"\nregion = \"us-east-1\"\n\n");
        for i in 0..n {
            s.push_str(&format!(
                "[[service]] # entry {i}\nname = \"s{i}\"\ncpu = 256\nmemory = 512\n{between}\n"
            ));
        }
        s
    }

    fn names(p: &RawPlan) -> Vec<String> {
        p.service.iter().map(|s| s.name.clone()).collect()
    }

    #[test]
    fn pieces_add_up_to_the_whole_document() {
        let text = plan_text(1000, "[service.spot]\ninterruption_rate = 0.01\n");
        let whole: RawPlan = toml::from_str(&text).unwrap();
        let pieces = parse_in_pieces(&text).unwrap();
        assert_eq!(names(&pieces), names(&whole));
        assert_eq!(
            serde_json::to_value(&pieces).unwrap(),
            serde_json::to_value(&whole).unwrap()
        );
    }

    #[test]
    fn small_plans_take_the_single_parse() {
        assert!(parse_in_pieces(&plan_text(10, "")).is_none());
    }

    #[test]
    fn a_cut_inside_a_multi_line_string_falls_back() {
        // A family name holding a `[[service]]` line, placed so that it is header 256: a cut.
        let mut text = plan_text(600, "");
        let at = text.find("name = \"s255\"").unwrap();
        text.insert_str(at, "family = \"\"\"\n[[service]]\n\"\"\"\n");
        assert_eq!(header_offsets(&text).len(), 601);
        let whole: RawPlan = toml::from_str(&text).unwrap();
        assert_eq!(whole.service.len(), 600);
        assert!(parse_in_pieces(&text).is_none());
    }

    #[test]
    fn a_plan_table_split_over_pieces_falls_back() {
        let mut text = plan_text(600, "");
        text.push_str("[plan.spot]\ninterruption_rate = 0.01\n");
        // Valid as a whole (the sub-table extends [plan]); the pieces cannot tell, so: None.
        assert!(toml::from_str::<RawPlan>(&text).is_ok());
        assert!(parse_in_pieces(&text).is_none());
    }

    #[test]
    fn a_bad_piece_falls_back() {
        let text = plan_text(600, "").replace("name = \"s500\"", "nme = \"s500\"");
        assert!(parse_in_pieces(&text).is_none());
    }
}
