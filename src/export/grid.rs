//! A table writer of our own for the report's large tables (one per service, and the totals):
//! cells are written into one text buffer, not one string each, and drawn byte for byte as
//! comfy-table draws them with `UTF8_FULL_CONDENSED` and no width. A table fitted to a width,
//! or holding a character whose terminal width it does not know, is drawn by comfy-table.

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};
use std::fmt::Write as _;

/// Where a cell's text sits in its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A header and rows of cells, all of the same column count; the header is left-aligned.
#[derive(Debug, Default)]
pub(crate) struct Grid {
    /// Every cell's text, one after another (header first).
    text: String,
    /// Where each cell's text ends in `text`, and its alignment.
    cells: Vec<(usize, Align)>,
    columns: usize,
    /// Column widths in characters, reused between draws.
    widths: Vec<usize>,
}

impl Grid {
    /// A grid with this header; its column count is the header's.
    pub(crate) fn new(header: &[&str]) -> Grid {
        let mut g = Grid::default();
        g.reset(header);
        g
    }

    /// Empties the grid for a new table with this header, keeping its buffers.
    pub(crate) fn reset(&mut self, header: &[&str]) {
        self.text.clear();
        self.cells.clear();
        self.columns = header.len();
        for h in header {
            self.cell(Align::Left, h);
        }
    }

    /// Appends a cell (rows fill left to right, `columns` cells each).
    pub(crate) fn cell(&mut self, align: Align, text: &str) {
        self.text.push_str(text);
        self.cells.push((self.text.len(), align));
    }

    /// Appends a cell whose text `write` puts into the buffer.
    pub(crate) fn cell_with(&mut self, align: Align, write: impl FnOnce(&mut String)) {
        write(&mut self.text);
        self.cells.push((self.text.len(), align));
    }

    fn spans(&self) -> impl Iterator<Item = (&str, Align)> {
        let mut start = 0;
        self.cells.iter().map(move |&(end, align)| {
            let s = self.text.get(start..end).unwrap_or_default();
            start = end;
            (s, align)
        })
    }

    /// Draws the table (no newline after its last line) onto `out`: fitted to `width` by
    /// comfy-table when given (see [`super::fit`]), else unwrapped.
    pub(crate) fn draw(&mut self, width: Option<usize>, out: &mut String) {
        if width.is_some() || self.columns == 0 || !self.measure() {
            let mut t = self.to_comfy();
            super::fit(&mut t, width);
            let _ = write!(out, "{t}");
            return;
        }
        let w = &self.widths;
        let rule = |out: &mut String, left: char, fill: char, mid: char, right: char| {
            out.push(left);
            for (i, n) in w.iter().enumerate() {
                if i > 0 {
                    out.push(mid);
                }
                out.extend(std::iter::repeat_n(fill, n + 2));
            }
            out.push(right);
        };
        rule(out, '┌', '─', '┬', '┐');
        for (i, (s, align)) in self.spans().enumerate() {
            let col = i % self.columns;
            out.push(if col == 0 { '\n' } else { '┆' });
            if col == 0 {
                out.push('│');
            }
            let pad = w[col].saturating_sub(width_of(s).unwrap_or(0));
            out.push(' ');
            if align == Align::Right {
                out.extend(std::iter::repeat_n(' ', pad));
            }
            out.push_str(s);
            if align == Align::Left {
                out.extend(std::iter::repeat_n(' ', pad));
            }
            out.push(' ');
            if col + 1 == self.columns {
                out.push('│');
                if i + 1 == self.columns {
                    out.push('\n');
                    rule(out, '╞', '═', '╪', '╡');
                }
            }
        }
        out.push('\n');
        rule(out, '└', '─', '┴', '┘');
    }

    /// Sets the column widths; false when a cell holds a character of unknown width (or a line
    /// break), or the rows are ragged: comfy-table then draws the table.
    fn measure(&mut self) -> bool {
        if !self.cells.len().is_multiple_of(self.columns) {
            return false;
        }
        self.widths.clear();
        self.widths.resize(self.columns, 1);
        let columns = self.columns;
        let mut widths = std::mem::take(&mut self.widths);
        let mut known = true;
        for (i, (s, _)) in self.spans().enumerate() {
            match width_of(s) {
                Some(n) => widths[i % columns] = widths[i % columns].max(n),
                None => known = false,
            }
        }
        self.widths = widths;
        known
    }

    /// The same table as a comfy-table.
    pub(crate) fn to_comfy(&self) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        let cells: Vec<(&str, Align)> = self.spans().collect();
        let mut rows = cells.chunks(self.columns.max(1));
        if let Some(h) = rows.next() {
            t.set_header(h.iter().map(|(s, _)| *s).collect::<Vec<_>>());
        }
        for row in rows {
            t.add_row(row.iter().map(|(s, a)| {
                Cell::new(s).set_alignment(match a {
                    Align::Left => CellAlignment::Left,
                    Align::Right => CellAlignment::Right,
                })
            }));
        }
        t
    }
}

/// The terminal width of `s` when every character is printable ASCII or one of the few wider
/// characters the report draws (all one column wide); `None` otherwise.
fn width_of(s: &str) -> Option<usize> {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Some(s.len());
    }
    let mut n = 0;
    for c in s.chars() {
        match c {
            ' '..='~' | '—' | '–' | '×' | '≈' | '€' | '£' => n += 1,
            _ => return None,
        }
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(header: &[&str], rows: &[&[(&str, Align)]]) -> Grid {
        let mut g = Grid::new(header);
        for r in rows {
            for (s, a) in *r {
                g.cell(*a, s);
            }
        }
        g
    }

    fn both(g: &mut Grid) -> (String, String) {
        let mut ours = String::new();
        g.draw(None, &mut ours);
        (ours, g.to_comfy().to_string())
    }

    #[test]
    fn draws_what_comfy_table_draws() {
        use Align::*;
        let cases = [
            grid(&["option", "per month", "vs"], &[]),
            grid(
                &["option", "per month", "vs x86 on-demand"],
                &[
                    &[("x86 on-demand", Left), ("$1,234.56", Right), ("—", Right)],
                    &[("ARM Spot", Left), ("n/a", Right), ("see below", Left)],
                    &[("", Left), ("", Right), ("-$0.64 (-15.7%)", Right)],
                ],
            ),
            grid(&["", "b"], &[&[("", Left), ("", Right)]]),
            grid(&["a–b × c"], &[&[("≈ €1 £2", Right)], &[("x", Right)]]),
        ];
        for mut g in cases {
            let (ours, theirs) = both(&mut g);
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn text_of_unknown_width_goes_to_comfy_table() {
        use Align::*;
        for odd in ["名前", "a\nb", "tab\there", "e\u{301}"] {
            let mut g = grid(&["name", "n"], &[&[(odd, Left), ("1", Right)]]);
            assert!(!g.measure(), "{odd:?}");
            let (ours, theirs) = both(&mut g);
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn a_width_fits_the_table_as_comfy_table_does() {
        let mut g = Grid::new(&["a long header", "another long header"]);
        g.cell(Align::Left, "some words to wrap");
        g.cell(Align::Right, "$1.00");
        let mut ours = String::new();
        g.draw(Some(30), &mut ours);
        let mut t = g.to_comfy();
        super::super::fit(&mut t, Some(30));
        assert_eq!(ours, t.to_string());
        assert!(ours.lines().all(|l| l.chars().count() <= 30), "{ours}");
    }
}
