use super::*;

fn part(value: Option<f64>, weight: Option<f64>, population: Option<i64>) -> Part {
    Part {
        value,
        weight,
        population,
    }
}

#[test]
fn ties_share_the_best_rank_and_the_next_value_skips_their_places() {
    let ranked = rank(
        [
            ("a", 10.0),
            ("b", 30.0),
            ("c", 20.0),
            ("d", 30.0),
            ("e", f64::NAN),
            ("f", 20.0),
        ],
        Order::Descending,
    );
    let got: Vec<(&str, u32)> = ranked.iter().map(|r| (r.key, r.rank)).collect();
    // Equal values keep the order they came in.
    assert_eq!(
        got,
        [("b", 1), ("d", 1), ("c", 3), ("f", 3), ("a", 5)],
        "NaN is left out"
    );
    let ascending: Vec<u32> = rank([("a", 2.0), ("b", 1.0), ("c", 1.0)], Order::Ascending)
        .iter()
        .map(|r| r.rank)
        .collect();
    assert_eq!(ascending, [1, 1, 3]);
    assert!(rank(Vec::<(u8, f64)>::new(), Order::Descending).is_empty());
}

#[test]
fn bands_hold_their_lower_edge_and_not_their_upper_one() {
    assert_eq!(Band::of(0), Band::Under5k);
    assert_eq!(Band::of(4_999), Band::Under5k);
    assert_eq!(Band::of(5_000), Band::From5k);
    assert_eq!(Band::of(9_999), Band::From5k);
    assert_eq!(Band::of(10_000), Band::From10k);
    assert_eq!(Band::of(249_999), Band::From100k);
    assert_eq!(Band::of(250_000), Band::From250k);
    assert_eq!(Band::of(2_952_301), Band::From250k);
    for b in Band::ALL {
        assert_eq!(Band::parse(b.code()), Some(b));
    }
}

#[test]
fn peers_are_same_type_and_band_narrowed_by_oblast_or_status_on_request() {
    let me = Profile {
        kind: Some(HromadaType::Rural),
        population: Some(10_000),
        oblast: Some(1),
        status: Some(Status::Frontline),
    };
    let at_lower_edge = Profile {
        population: Some(19_999),
        oblast: Some(2),
        status: Some(Status::Rear),
        ..me
    };
    let just_over = Profile {
        population: Some(20_000),
        ..me
    };
    let just_under = Profile {
        population: Some(9_999),
        ..me
    };
    let urban = Profile {
        kind: Some(HromadaType::Urban),
        ..me
    };
    let peers = Peers::of(&me, false, false).expect("peers");
    assert!(peers.includes(&me));
    assert!(peers.includes(&at_lower_edge));
    assert!(!peers.includes(&just_over));
    assert!(!peers.includes(&just_under));
    assert!(!peers.includes(&urban));
    let same_oblast = Peers::of(&me, true, false).expect("peers");
    assert!(!same_oblast.includes(&at_lower_edge));
    let same_status = Peers::of(&me, false, true).expect("peers");
    assert!(!same_status.includes(&at_lower_edge));
    assert!(same_status.includes(&Profile {
        oblast: Some(7),
        ..me
    }));
    // Without a population there is no band and no peer group.
    assert_eq!(
        Peers::of(
            &Profile {
                population: None,
                ..me
            },
            false,
            false
        ),
        None
    );
}

#[test]
fn a_sum_counts_what_was_reported_and_says_how_much_it_covers() {
    let parts = [
        part(Some(100.0), None, Some(1_000)),
        part(Some(50.0), None, Some(3_000)),
        part(None, None, Some(6_000)),
        part(Some(f64::NAN), None, None),
    ];
    let a = aggregate(&Aggregation::Sum, &parts);
    assert_eq!(a.value, Some(150.0));
    assert_eq!((a.covered, a.expected), (2, 4));
    assert_eq!((a.population_covered, a.population_total), (4_000, 10_000));
    assert_eq!(a.population_share(), Some(0.4));
    let nothing = aggregate(&Aggregation::Sum, &[part(None, None, Some(5))]);
    assert_eq!(nothing.value, None, "no report is not a report of zero");
    assert_eq!(nothing.covered, 0);
}

#[test]
fn a_weighted_mean_leaves_out_units_without_a_value_or_a_weight() {
    let rule = Aggregation::WeightedMean("population_total".into());
    // (10·1000 + 40·3000) / 4000 = 32.5; the third has no value, the fourth no weight.
    let parts = [
        part(Some(10.0), Some(1_000.0), Some(1_000)),
        part(Some(40.0), Some(3_000.0), Some(3_000)),
        part(None, Some(5_000.0), Some(5_000)),
        part(Some(90.0), None, Some(1_000)),
    ];
    let a = aggregate(&rule, &parts);
    assert_eq!(a.value, Some(32.5));
    assert_eq!((a.covered, a.expected), (2, 4));
    assert_eq!(a.population_share(), Some(0.4));
    // The plain mean of the same values counts the fourth: (10 + 40 + 90) / 3.
    let plain = aggregate(&Aggregation::Mean, &parts);
    assert!((plain.value.expect("mean") - 140.0 / 3.0).abs() < 1e-12);
    assert_eq!(plain.covered, 3);
    // Weights that sum to zero give no mean rather than a division by zero.
    let zero = aggregate(&rule, &[part(Some(5.0), Some(0.0), None)]);
    assert_eq!(zero.value, None);
}

#[test]
fn min_max_and_not_aggregable() {
    let parts = [
        part(Some(3.0), None, Some(10)),
        part(Some(-2.0), None, Some(10)),
        part(None, None, Some(10)),
    ];
    assert_eq!(aggregate(&Aggregation::Min, &parts).value, Some(-2.0));
    assert_eq!(aggregate(&Aggregation::Max, &parts).value, Some(3.0));
    let none = aggregate(&Aggregation::None, &parts);
    assert_eq!((none.value, none.covered, none.expected), (None, 0, 3));
    assert_eq!(none.population_total, 30);
}

#[test]
fn per_capita_needs_a_population() {
    assert_eq!(per_capita(1_000.0, Some(4.0)), Some(250.0));
    assert_eq!(per_capita(1_000.0, None), None);
    assert_eq!(per_capita(1_000.0, Some(0.0)), None);
    assert_eq!(per_capita(1_000.0, Some(f64::NAN)), None);
}

#[test]
fn quantile_classes_split_the_values_evenly_and_never_split_equal_values() {
    let values: Vec<f64> = (1..=10).map(f64::from).collect();
    let breaks = quantile_breaks(&values, 5);
    assert_eq!(breaks, [2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_eq!(class_of(1.0, &breaks), Some(0));
    assert_eq!(class_of(2.0, &breaks), Some(0));
    assert_eq!(class_of(2.5, &breaks), Some(1));
    assert_eq!(class_of(10.0, &breaks), Some(4));
    assert_eq!(class_of(f64::NAN, &breaks), None);
    let flat = quantile_breaks(&[7.0, 7.0, 7.0, 1.0], 4);
    assert_eq!(flat, [1.0, 7.0]);
    assert!(quantile_breaks(&[], 5).is_empty());
}
