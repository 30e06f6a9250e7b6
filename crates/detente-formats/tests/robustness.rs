//! Never a panic: arbitrary bytes and mutated real files fed to both readers must give `Ok`
//! or `Err`.

use std::path::{Path, PathBuf};

use detente_formats::{genius, geniusweb};
use proptest::prelude::*;

use crate::common::{data_dir, files_of};

/// Real inputs to mutate: a shared GENIUS domain and a GeniusWeb one when available, and the
/// crate's own fixtures.
fn seeds() -> Vec<Vec<(PathBuf, Vec<u8>)>> {
    let mut dirs = vec![
        data_dir().join("genius/numeric"),
        data_dir().join("genius/nonlinear"),
    ];
    for name in ["Laptop", "FitnessC", "GW_FlightBooking", "ANL2023_domain09"] {
        if let Some(d) = detente_testkit::genius_domain(name) {
            dirs.push(d);
        }
    }
    dirs.iter()
        .map(|d| {
            files_of(d)
                .into_iter()
                .map(|p| {
                    let b = std::fs::read(&p).unwrap();
                    (p, b)
                })
                .collect()
        })
        .collect()
}

fn feed(files: &[(PathBuf, Vec<u8>)]) {
    let _ = genius::load_bytes(files);
    let _ = geniusweb::load_bytes(files);
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    SwapQuoted(usize, usize),
    Insert(usize, Vec<u8>),
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match m {
        Mutation::Flip(at, x) => {
            let i = at % bytes.len();
            bytes[i] ^= x | 1;
        }
        Mutation::Truncate(at) => bytes.truncate(at % bytes.len()),
        Mutation::SwapQuoted(a, b) => {
            // Swap the contents of two quoted values (attribute values, JSON strings).
            let quotes: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|(_, c)| **c == b'"')
                .map(|(i, _)| i)
                .collect();
            let pairs: Vec<(usize, usize)> = quotes
                .chunks(2)
                .filter(|c| c.len() == 2)
                .map(|c| (c[0] + 1, c[1]))
                .collect();
            if pairs.len() < 2 {
                return;
            }
            let (x, y) = (pairs[a % pairs.len()], pairs[b % pairs.len()]);
            let (first, second) = if x.0 <= y.0 { (x, y) } else { (y, x) };
            if first == second || first.1 > second.0 {
                return;
            }
            let mut out = bytes[..first.0].to_vec();
            out.extend_from_slice(&bytes[second.0..second.1]);
            out.extend_from_slice(&bytes[first.1..second.0]);
            out.extend_from_slice(&bytes[first.0..first.1]);
            out.extend_from_slice(&bytes[second.1..]);
            *bytes = out;
        }
        Mutation::Insert(at, junk) => {
            let i = at % (bytes.len() + 1);
            bytes.splice(i..i, junk.iter().copied());
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(a, x)| Mutation::Flip(a, x)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapQuoted(a, b)),
        (
            any::<usize>(),
            prop::sample::select(vec![
                b"-1e400".to_vec(),
                b"NaN".to_vec(),
                b"<issue index=\"1\">".to_vec(),
                b"</objective>".to_vec(),
                b"\"values\": []".to_vec(),
                b"&#0;".to_vec(),
                b"{".to_vec(),
                b"99999999999".to_vec(),
            ])
        )
            .prop_map(|(a, j)| Mutation::Insert(a, j)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(a in prop::collection::vec(any::<u8>(), 0..300), b in prop::collection::vec(any::<u8>(), 0..300), xmlish in any::<bool>()) {
        let (mut a, mut b) = (a, b);
        if xmlish {
            a.insert(0, b'<');
            b.insert(0, b'{');
        }
        feed(&[(PathBuf::from("a.xml"), a.clone()), (PathBuf::from("b.xml"), b.clone())]);
        feed(&[(PathBuf::from("a.xml"), a), (PathBuf::from("b.xml"), b), (PathBuf::from("c.xml"), Vec::new())]);
    }

    #[test]
    fn mutated_real_files_never_panic(seed in any::<usize>(), which in any::<usize>(), muts in prop::collection::vec(mutation(), 1..4)) {
        let seeds = seeds();
        let mut files = seeds[seed % seeds.len()].clone();
        let k = which % files.len();
        for m in &muts {
            mutate(&mut files[k].1, m);
        }
        feed(&files);
    }
}

#[test]
fn deep_nesting_and_huge_numbers_are_errors() {
    let deep = format!(
        "{}{}",
        "<objective index=\"0\">".repeat(5000),
        "</objective>".repeat(5000)
    );
    let files = vec![
        (PathBuf::from("d.xml"), deep.into_bytes()),
        (PathBuf::from("p.xml"), b"<utility_space/>".to_vec()),
    ];
    assert!(genius::load_bytes(&files).is_err());
    let deep_json = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert!(geniusweb::load_bytes(&[(PathBuf::from("d.json"), deep_json.into_bytes())]).is_err());
    let huge = r#"{"issuesValues": {"x": {"range": [0, 1e300, 1e-300]}}}"#;
    let p = Path::new("d.json").to_path_buf();
    assert!(geniusweb::load_bytes(&[(p, huge.as_bytes().to_vec())]).is_err());
}
