//! RandomDance's models of the parties: per issue, a score of every value (its own utility's
//! for itself; for an opponent, how often the value was in its distinct bids, later bids
//! counting `derta` times the one before) and an issue weight.

/// The original's `IssueData`: value scores, their maximum and the issue weight.
#[derive(Debug, Clone)]
struct IssueData {
    scores: Vec<f64>,
    max: f64,
    adder: f64,
    derta: f64,
    weight: f64,
}

impl IssueData {
    fn new(values: usize, derta: f64) -> Self {
        IssueData {
            scores: vec![0.0; values],
            max: 1.0,
            adder: 1.0,
            derta,
            weight: 1.0,
        }
    }

    fn update(&mut self, v: u32) {
        let s = &mut self.scores[v as usize];
        *s += self.adder;
        self.max = self.max.max(*s);
        self.adder *= self.derta;
    }
}

/// The original's `PlayerData`: one party's issue data and the distinct bids it counted.
#[derive(Debug, Clone)]
pub(super) struct PlayerData {
    issues: Vec<IssueData>,
    history: Vec<Vec<u32>>,
}

impl PlayerData {
    pub(super) fn new(cards: &[usize], derta: f64) -> Self {
        PlayerData {
            issues: cards.iter().map(|&k| IssueData::new(k, derta)).collect(),
            history: Vec::new(),
        }
    }

    /// Its own model (`SetMyUtility`): value `v` of issue `i` scores `u(worst with i = v) -
    /// u(worst)`, every issue weighs `1 / (1 - u(worst))`.
    pub(super) fn own(cards: &[usize], worst: &[u32], utility: impl Fn(&[u32]) -> f64) -> Self {
        let mut d = PlayerData::new(cards, 1.0);
        let min = utility(worst);
        for (i, data) in d.issues.iter_mut().enumerate() {
            for v in 0..cards[i] {
                let mut o = worst.to_vec();
                o[i] = v as u32;
                data.scores[v] = utility(&o) - min;
            }
            data.weight = 1.0 / (1.0 - min);
        }
        d
    }

    /// The original's `AddBid`: a bid it has not counted yet is counted, and every issue's
    /// weight becomes its maximum over the sum of the maxima.
    pub(super) fn add_bid(&mut self, bid: &[u32]) {
        if self.history.iter().any(|b| b == bid) {
            return;
        }
        self.history.push(bid.to_vec());
        let mut sum = 0.0;
        for (data, &v) in self.issues.iter_mut().zip(bid) {
            data.update(v);
            sum += data.max;
        }
        for data in &mut self.issues {
            data.weight = data.max / sum;
        }
    }

    /// The original's `GetValue`: the weighted score of value `v` of issue `i`.
    pub(super) fn value(&self, i: usize, v: usize) -> f64 {
        let d = &self.issues[i];
        d.scores[v] / d.max * d.weight
    }

    /// The original's `GetUtility`: the sum of the weighted scores of a bid's values.
    pub(super) fn utility(&self, bid: &[u32]) -> f64 {
        bid.iter()
            .enumerate()
            .fold(0.0, |acc, (i, &v)| acc + self.value(i, v as usize))
    }
}

/// The original's `PlayerDataLib`: three models of one opponent, with `derta` 1, 1.05 and
/// 0.95 (later bids counting the same, more, less).
#[derive(Debug, Clone)]
pub(super) struct PlayerLib {
    pub(super) datas: [PlayerData; 3],
}

impl PlayerLib {
    pub(super) fn new(cards: &[usize]) -> Self {
        PlayerLib {
            datas: [1.0, 1.05, 0.95].map(|d| PlayerData::new(cards, d)),
        }
    }

    pub(super) fn add_bid(&mut self, bid: &[u32]) {
        for d in &mut self.datas {
            d.add_bid(bid);
        }
    }
}

/// The iteration order of a `java.util.HashMap<String, _>` holding `keys` (inserted in this
/// order, at most 12): indices into `keys`, by bucket of the key's `String.hashCode` in a
/// 16-slot table, insertion order within a bucket.
pub(super) fn java_order(keys: &[String]) -> Vec<usize> {
    let mut capacity = 16usize;
    while keys.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let bucket = |k: &str| {
        let h = crate::agents::pars_agent::java_string_hash(k);
        ((h ^ ((h as u32) >> 16) as i32) as u32 as usize) & (capacity - 1)
    };
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&k| bucket(&keys[k]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting by hand: derta 0.95, bids (0, 1) then (0, 0) then (0, 1) again. Value 0 of
    /// issue 0 scores 1 + 0.95 = 1.95 (the maximum), value 1 of issue 1 scores 1 (max 1),
    /// value 0 of issue 1 scores 0.95; the repeated bid is not counted. The weights are the
    /// maxima over their sum: 1.95 / 2.95 and 1 / 2.95.
    #[test]
    fn counts_distinct_bids_with_fading_weight() {
        let mut d = PlayerData::new(&[2, 2], 0.95);
        for b in [[0, 1], [0, 0], [0, 1]] {
            d.add_bid(&b);
        }
        let (w0, w1) = (1.95 / 2.95, 1.0 / 2.95);
        assert!((d.value(0, 0) - w0).abs() < 1e-12);
        assert_eq!(d.value(0, 1), 0.0);
        assert!((d.value(1, 1) - w1).abs() < 1e-12);
        assert!((d.value(1, 0) - 0.95 * w1).abs() < 1e-12);
        assert!((d.utility(&[0, 0]) - (w0 + 0.95 * w1)).abs() < 1e-12);
    }

    #[test]
    fn string_keys_iterate_by_bucket() {
        // "my" hashes to 3500 (bucket 12), "b" to 98 (bucket 2), "q" to 113 (bucket 1).
        let keys: Vec<String> = ["b", "my", "q"].iter().map(|s| s.to_string()).collect();
        assert_eq!(java_order(&keys), vec![2, 0, 1]);
    }
}
