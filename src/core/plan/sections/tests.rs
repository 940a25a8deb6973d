//! Tests of the simulation tables: durations, defaults and load files.

use super::*;
use crate::core::plan::sections::load::{LoadShape, parse_load_csv};

#[test]
fn durations() {
    assert_eq!(parse_duration(&Scalar::Int(90)), Ok(90));
    assert_eq!(parse_duration(&Scalar::Text("3m".into())), Ok(180));
    assert_eq!(parse_duration(&Scalar::Text("15 min".into())), Ok(900));
    assert_eq!(parse_duration(&Scalar::Text("2h".into())), Ok(7200));
    assert_eq!(parse_duration(&Scalar::Text("1.5m".into())), Ok(90));
    for bad in ["x", "3 parsecs", "-1s", "0.5s", ""] {
        assert!(parse_duration(&Scalar::Text(bad.into())).is_err(), "{bad}");
    }
    assert!(parse_duration(&Scalar::Int(-3)).is_err());
}

#[test]
fn load_csv() {
    let s = parse_load_csv("minute,rps\n0,10\n60,20\n120,5\n").unwrap();
    assert_eq!(
        s,
        LoadShape::Series {
            points: vec![(0, 10.0), (60, 20.0), (120, 5.0)],
            period_minutes: 180
        }
    );
    assert!(parse_load_csv("").unwrap_err().contains("empty"));
    assert!(parse_load_csv("t,v\n0,1\n").unwrap_err().contains("line 1"));
    assert!(
        parse_load_csv("minute,v\n5,1\n6,1")
            .unwrap_err()
            .contains("minute 0")
    );
    assert!(
        parse_load_csv("minute,v\n0,1\n0,2")
            .unwrap_err()
            .contains("line 3")
    );
    assert!(
        parse_load_csv("minute,v\n0,1\n10,-2")
            .unwrap_err()
            .contains("line 3")
    );
    assert!(
        parse_load_csv("minute,v\n0,1")
            .unwrap_err()
            .contains("two rows")
    );
}
