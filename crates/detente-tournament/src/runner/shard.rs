//! Shards: which part of a plan's negotiations one run does, for clusters (`--shard I/N`, job
//! arrays, indexed jobs).

use detente_formats::tournament::ShardDoc;

use crate::error::{Result, TournamentError};

/// Which part of the negotiations to run: those whose index `i` has `i % count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard's number, from 0 (below `count`).
    pub index: u64,
    /// Number of shards, at least 1.
    pub count: u64,
}

impl Default for Shard {
    fn default() -> Self {
        Shard { index: 0, count: 1 }
    }
}

impl Shard {
    /// A shard, checked.
    pub fn new(index: u64, count: u64) -> Result<Self> {
        if count == 0 || index >= count {
            return Err(TournamentError::InvalidShard {
                text: format!("{index}/{count}"),
                message: "expected I/N with N >= 1 and 0 <= I < N".into(),
            });
        }
        Ok(Shard { index, count })
    }

    /// Parses `I/N`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = |message: &str| TournamentError::InvalidShard {
            text: text.to_string(),
            message: message.to_string(),
        };
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| bad("expected I/N, e.g. 0/4 (shards are numbered from 0)"))?;
        let i: u64 = i
            .trim()
            .parse()
            .map_err(|_| bad("I is not a whole number"))?;
        let n: u64 = n
            .trim()
            .parse()
            .map_err(|_| bad("N is not a whole number"))?;
        if n == 0 {
            return Err(bad("N must be at least 1"));
        }
        if i >= n {
            return Err(bad("I must be below N (shards are numbered from 0)"));
        }
        Ok(Shard { index: i, count: n })
    }

    /// The shard a job scheduler assigned, read through `var` (normally `std::env::var`):
    /// Slurm job arrays (`SLURM_ARRAY_TASK_ID` minus `SLURM_ARRAY_TASK_MIN`, out of
    /// `SLURM_ARRAY_TASK_COUNT`), or Kubernetes indexed jobs (`JOB_COMPLETION_INDEX`, out of
    /// `count` or `DETENTE_SHARD_COUNT`).
    pub fn from_env(var: impl Fn(&str) -> Option<String>, count: Option<u64>) -> Result<Self> {
        let num = |name: &str| -> Result<Option<u64>> {
            match var(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| TournamentError::InvalidShard {
                        text: "auto".into(),
                        message: format!("{name}=`{v}` is not a whole number"),
                    }),
            }
        };
        let fail = |message: String| TournamentError::InvalidShard {
            text: "auto".into(),
            message,
        };
        if let Some(id) = num("SLURM_ARRAY_TASK_ID")? {
            let min = num("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let n = match count {
                Some(n) => n,
                None => num("SLURM_ARRAY_TASK_COUNT")?.ok_or_else(|| {
                    fail("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give --shard-count".into())
                })?,
            };
            let i = id.checked_sub(min).ok_or_else(|| {
                fail(format!(
                    "SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}"
                ))
            })?;
            return Shard::new(i, n).map_err(|_| {
                fail(format!(
                    "Slurm task {id} (array from {min}) is shard {i}, not below the shard count {n}; \
                     use a contiguous array such as --array=0-{}",
                    n.saturating_sub(1)
                ))
            });
        }
        if let Some(i) = num("JOB_COMPLETION_INDEX")? {
            let n = match count {
                Some(n) => n,
                None => num("DETENTE_SHARD_COUNT")?.ok_or_else(|| {
                    fail("JOB_COMPLETION_INDEX is set but the shard count is not: give --shard-count or DETENTE_SHARD_COUNT (the job's completions)".into())
                })?,
            };
            return Shard::new(i, n).map_err(|_| {
                fail(format!(
                    "JOB_COMPLETION_INDEX {i} is not below the shard count {n}"
                ))
            });
        }
        Err(fail(
            "none of SLURM_ARRAY_TASK_ID (Slurm job arrays) or JOB_COMPLETION_INDEX (Kubernetes \
             indexed jobs) is set"
                .into(),
        ))
    }

    /// Number of the `total` negotiations in this shard.
    pub fn len(&self, total: u64) -> u64 {
        if self.index >= total {
            0
        } else {
            (total - self.index).div_ceil(self.count)
        }
    }

    /// Whether this shard has no negotiations out of `total`.
    pub fn is_empty(&self, total: u64) -> bool {
        self.len(total) == 0
    }

    /// Global index of this shard's `position`-th negotiation.
    pub fn index_at(&self, position: u64) -> u64 {
        self.index + position * self.count
    }

    /// Whether the negotiation with this global index belongs to the shard.
    pub fn contains(&self, index: u64) -> bool {
        index % self.count == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl From<Shard> for ShardDoc {
    fn from(s: Shard) -> Self {
        ShardDoc {
            index: s.index,
            count: s.count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_partition() {
        assert_eq!(Shard::parse("2/5").unwrap(), Shard { index: 2, count: 5 });
        for bad in ["5/5", "1", "a/2", "0/0", "-1/3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        for total in 0..20u64 {
            for n in 1..6u64 {
                let mut all: Vec<u64> = (0..n)
                    .flat_map(|i| {
                        let s = Shard::new(i, n).unwrap();
                        (0..s.len(total)).map(move |p| s.index_at(p))
                    })
                    .collect();
                all.sort_unstable();
                assert_eq!(all, (0..total).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn shards_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let s = Shard::from_env(
            env(&[
                ("SLURM_ARRAY_TASK_ID", "3"),
                ("SLURM_ARRAY_TASK_COUNT", "4"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(s, Shard { index: 3, count: 4 });
        let s = Shard::from_env(
            env(&[
                ("SLURM_ARRAY_TASK_ID", "4"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "4"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(s, Shard { index: 3, count: 4 });
        let s = Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "1")]), Some(2)).unwrap();
        assert_eq!(s, Shard { index: 1, count: 2 });
        let s = Shard::from_env(
            env(&[("JOB_COMPLETION_INDEX", "0"), ("DETENTE_SHARD_COUNT", "8")]),
            None,
        )
        .unwrap();
        assert_eq!(s, Shard { index: 0, count: 8 });
        for (pairs, msg) in [
            (&[][..], "none of"),
            (&[("JOB_COMPLETION_INDEX", "1")][..], "shard count is not"),
            (&[("JOB_COMPLETION_INDEX", "x")][..], "not a whole number"),
            (
                &[
                    ("SLURM_ARRAY_TASK_ID", "4"),
                    ("SLURM_ARRAY_TASK_COUNT", "4"),
                ][..],
                "--array=0-3",
            ),
        ] {
            let e = Shard::from_env(env(pairs), None).unwrap_err().to_string();
            assert!(e.contains(msg), "{e}");
        }
    }
}
