//! Per-issue value scores in one flat array: the table an additive opponent model keeps, laid
//! out so that rating an outcome is one load per issue.

/// `score[issue][value]`, stored issue after issue in one array.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    flat: Vec<f64>,
    /// Where each issue's values start; one more entry, the total, at the end.
    offsets: Vec<usize>,
}

impl Scores {
    /// Zero scores for issues of these cardinalities.
    pub fn zeros(cardinalities: &[u32]) -> Self {
        let mut offsets = Vec::with_capacity(cardinalities.len() + 1);
        let mut total = 0;
        offsets.push(0);
        for &c in cardinalities {
            total += c as usize;
            offsets.push(total);
        }
        Scores {
            flat: vec![0.0; total],
            offsets,
        }
    }

    /// The scores of issue `i`'s values.
    pub fn issue(&self, i: usize) -> &[f64] {
        &self.flat[self.offsets[i]..self.offsets[i + 1]]
    }

    /// The scores of issue `i`'s values, to overwrite.
    pub fn issue_mut(&mut self, i: usize) -> &mut [f64] {
        &mut self.flat[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Each issue's scores, in issue order, to overwrite.
    pub fn issues_mut(&mut self) -> impl Iterator<Item = &mut [f64]> {
        let mut rest = self.flat.as_mut_slice();
        self.offsets.windows(2).map(move |w| {
            let (head, tail) = std::mem::take(&mut rest).split_at_mut(w[1] - w[0]);
            rest = tail;
            head
        })
    }

    /// `Σ score[i][values[i]]`, added in issue order.
    #[inline]
    pub fn sum<V: Copy + Into<u32>>(&self, values: &[V]) -> f64 {
        // A value beyond its issue's range would read the next issue's scores: the values
        // of an outcome never are.
        debug_assert!(
            values
                .iter()
                .zip(self.offsets.windows(2))
                .all(|(&v, w)| w[0] + (v.into() as usize) < w[1]),
            "a value out of its issue's range"
        );
        let mut u = 0.0;
        for (&offset, &v) in self.offsets.iter().zip(values) {
            u += self.flat[offset + v.into() as usize];
        }
        u
    }
}

#[cfg(test)]
mod tests {
    use super::Scores;

    #[test]
    fn issues_are_laid_out_in_order() {
        let mut s = Scores::zeros(&[2, 3, 1]);
        for (i, scores) in s.issues_mut().enumerate() {
            for (v, x) in scores.iter_mut().enumerate() {
                *x = (10 * i + v) as f64;
            }
        }
        assert_eq!(s.issue(0), &[0.0, 1.0]);
        assert_eq!(s.issue(1), &[10.0, 11.0, 12.0]);
        assert_eq!(s.issue(2), &[20.0]);
        assert_eq!(s.sum(&[1u32, 2, 0]), 1.0 + 12.0 + 20.0);
    }
}
