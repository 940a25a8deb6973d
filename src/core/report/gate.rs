//! Cost gates for CI: a ceiling on the plan's monthly total (`--fail-above 500`) and on the
//! increase over an older version (`--fail-on-increase 10%` or `25USD`). Crossing one is not an
//! error in the input: the report still prints, and the caller exits with its own code.

use crate::core::vocab::money::Usd;
use rust_decimal::Decimal;
use std::str::FromStr;

/// A limit on the monthly increase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Increase {
    /// Percent of the old monthly total.
    Percent(Decimal),
    /// US dollars a month.
    Usd(Decimal),
}

fn amount(text: &str, what: &str) -> Result<Decimal, String> {
    let d =
        Decimal::from_str(text.trim()).map_err(|_| format!("{what}: `{text}` is not a number"))?;
    if d.is_sign_negative() {
        return Err(format!("{what}: `{text}` is negative"));
    }
    Ok(d)
}

/// `--fail-above`: US dollars a month, optionally written with `USD` or `$`.
pub fn parse_ceiling(text: &str) -> Result<Usd, String> {
    let t = text.trim();
    let t = t.strip_prefix('$').unwrap_or(t);
    let t = t
        .strip_suffix("USD")
        .or_else(|| t.strip_suffix("usd"))
        .unwrap_or(t);
    amount(t, "--fail-above").map(Usd::new)
}

/// `--fail-on-increase`: `10%` or `25USD`; a bare number is refused as ambiguous.
pub fn parse_increase(text: &str) -> Result<Increase, String> {
    let t = text.trim();
    if let Some(p) = t.strip_suffix('%') {
        return amount(p, "--fail-on-increase").map(Increase::Percent);
    }
    if let Some(u) = t
        .strip_suffix("USD")
        .or_else(|| t.strip_suffix("usd"))
        .or_else(|| t.strip_prefix('$'))
    {
        return amount(u, "--fail-on-increase").map(Increase::Usd);
    }
    Err(format!(
        "--fail-on-increase `{t}` is ambiguous: write a percentage (`10%`) or US dollars a month (`25USD`)"
    ))
}

/// Why the plan total crosses the ceiling, if it does.
pub fn check_ceiling(total: Usd, ceiling: Usd) -> Option<String> {
    (total > ceiling).then(|| {
        format!(
            "the plan costs {} a month, above --fail-above {}",
            total.display_cents(),
            ceiling.display_cents()
        )
    })
}

/// Why the change from `before` to `after` crosses the limit, if it does. From zero, any
/// increase crosses a percentage limit.
pub fn check_increase(before: Usd, after: Usd, limit: Increase) -> Option<String> {
    let change = after - before;
    match limit {
        Increase::Usd(max) => (change > Usd::new(max)).then(|| {
            format!(
                "the monthly cost rises by {}, above --fail-on-increase {}",
                change.display_cents(),
                Usd::new(max).display_cents()
            )
        }),
        Increase::Percent(max) => {
            // Exact, not the rounded percentage shown: change × 100 > limit × before.
            let crossed = if before.0.is_zero() {
                change > Usd::new(Decimal::ZERO)
            } else {
                match (
                    change.0.checked_mul(Decimal::ONE_HUNDRED),
                    max.checked_mul(before.0),
                ) {
                    (Some(a), Some(b)) => a > b,
                    // Beyond Decimal's range: not a change any limit allows.
                    _ => true,
                }
            };
            crossed.then(|| {
                let pct = change
                    .percent_of(before)
                    .map(|p| format!("{}%", p.round_dp(1)))
                    .unwrap_or_else(|| "from nothing".to_string());
                format!(
                    "the monthly cost rises by {} ({pct}), above --fail-on-increase {max}%",
                    change.display_cents()
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(s: &str) -> Usd {
        Usd::new(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn a_bare_number_is_ambiguous() {
        assert!(parse_increase("10").unwrap_err().contains("ambiguous"));
        assert_eq!(
            parse_increase("10%").unwrap(),
            Increase::Percent(Decimal::from(10))
        );
        assert_eq!(
            parse_increase("25USD").unwrap(),
            Increase::Usd(Decimal::from(25))
        );
        assert!(parse_increase("-5%").is_err());
        assert_eq!(parse_ceiling("500").unwrap(), usd("500"));
    }

    #[test]
    fn limits_are_strict() {
        assert!(
            check_increase(usd("100"), usd("110"), Increase::Percent(Decimal::from(10))).is_none()
        );
        assert!(
            check_increase(
                usd("100"),
                usd("110.01"),
                Increase::Percent(Decimal::from(10))
            )
            .is_some()
        );
        assert!(check_increase(usd("100"), usd("125"), Increase::Usd(Decimal::from(25))).is_none());
        assert!(check_increase(usd("0"), usd("1"), Increase::Percent(Decimal::from(10))).is_some());
        assert!(check_ceiling(usd("500.01"), usd("500")).is_some());
        assert!(check_ceiling(usd("500"), usd("500")).is_none());
    }
}
