//! Money as exact decimals: `Usd` amounts that are rounded only when shown.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Sub};

/// An exact amount of US dollars. Arithmetic never rounds; [`Usd::cents`] rounds for display,
/// half away from zero, as AWS bills do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usd(pub Decimal);

/// Serialized as an exact decimal string without trailing zeros: `"18.02005"`.
impl Serialize for Usd {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.exact())
    }
}

impl Usd {
    pub const ZERO: Usd = Usd(Decimal::ZERO);

    pub fn new(amount: Decimal) -> Self {
        Usd(amount)
    }

    /// The amount rounded to cents (half away from zero).
    pub fn cents(self) -> Decimal {
        self.0
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }

    /// The exact amount without trailing zeros, e.g. `18.02005`.
    pub fn exact(self) -> Decimal {
        self.0.normalize()
    }

    /// `$18.02`, `-$3.60`, `$1,234.56`.
    pub fn display_cents(self) -> String {
        format_dollars(self.cents(), 2)
    }

    /// Appends [`Usd::display_cents`] to `out`, without a string of its own.
    pub fn write_cents(self, out: &mut String) {
        write_dollars(out, self.cents(), 2)
    }

    /// Appends [`Usd::display_rate`] to `out`, without a string of its own.
    pub fn write_rate(self, out: &mut String) {
        let exact = self.exact();
        write_dollars(out, exact, exact.scale().max(2))
    }

    /// A rate shown with all its significant digits (at least two decimals): `$0.024685`.
    pub fn display_rate(self) -> String {
        let exact = self.exact();
        let scale = exact.scale().max(2);
        format_dollars(exact, scale)
    }

    /// Percentage change of `self` against `base` (e.g. -20.0 for a 20% saving), one decimal.
    pub fn percent_of(self, base: Usd) -> Option<Decimal> {
        if base.0.is_zero() {
            return None;
        }
        Some(
            (self.0 * Decimal::ONE_HUNDRED / base.0)
                .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero),
        )
    }
}

/// Digits in groups of three: `1234567` → `1,234,567`.
pub fn group_digits(s: &str) -> String {
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn format_dollars(value: Decimal, scale: u32) -> String {
    let mut out = String::new();
    write_dollars(&mut out, value, scale);
    out
}

/// Appends `value` as dollars with `scale` decimals and grouped digits: `-$1,234.56`.
fn write_dollars(out: &mut String, value: Decimal, scale: u32) {
    use fmt::Write as _;
    if value.is_sign_negative() && !value.is_zero() {
        out.push('-');
    }
    out.push('$');
    let start = out.len();
    let _ = write!(out, "{:.*}", scale as usize, value.abs());
    let digits = out
        .get(start..)
        .map(|t| t.find('.').unwrap_or(t.len()))
        .unwrap_or(0);
    if digits > 3 {
        let int_part: String = out.get(start..start + digits).unwrap_or_default().into();
        out.replace_range(start..start + digits, &group_digits(&int_part));
    }
}

impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_cents())
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, rhs: Usd) -> Usd {
        Usd(self.0 + rhs.0)
    }
}

impl AddAssign for Usd {
    fn add_assign(&mut self, rhs: Usd) {
        self.0 += rhs.0;
    }
}

impl Sub for Usd {
    type Output = Usd;
    fn sub(self, rhs: Usd) -> Usd {
        Usd(self.0 - rhs.0)
    }
}

impl Mul<Decimal> for Usd {
    type Output = Usd;
    fn mul(self, rhs: Decimal) -> Usd {
        Usd(self.0 * rhs)
    }
}

impl Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Usd {
        iter.fold(Usd::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn usd(s: &str) -> Usd {
        Usd(Decimal::from_str(s).unwrap_or_default())
    }

    #[test]
    fn rounds_half_away_from_zero_only_for_display() {
        assert_eq!(usd("18.02005").display_cents(), "$18.02");
        assert_eq!(usd("14.4175").display_cents(), "$14.42");
        assert_eq!(usd("0.005").display_cents(), "$0.01");
        assert_eq!(usd("-3.605").display_cents(), "-$3.61");
        assert_eq!(usd("1234567.891").display_cents(), "$1,234,567.89");
        assert_eq!(usd("18.02005").exact().to_string(), "18.02005");
    }

    #[test]
    fn rates_keep_their_digits() {
        assert_eq!(usd("0.0246850000").display_rate(), "$0.024685");
        assert_eq!(usd("0.5").display_rate(), "$0.50");
    }

    #[test]
    fn percent_of_base() {
        assert_eq!(
            usd("-3.60").percent_of(usd("18.02")).map(|d| d.to_string()),
            Some("-20.0".into())
        );
        assert_eq!(usd("1").percent_of(Usd::ZERO), None);
    }
}
