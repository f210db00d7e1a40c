//! `--shard K/N`: which inputs one machine of a split run takes.
//!
//! An input belongs to shard `1 + FNV-1a-64(key) mod N`, where the key is the input's path
//! relative to the argument it was found under, with `/` between folders (a file named on the
//! command line: its file name). The hash is a fixed algorithm of the path's bytes, not std's
//! randomised `DefaultHasher`, so every machine of a run, and every run, splits the same
//! inputs the same way whatever folder the archive is mounted at. Standard input (`-`) is
//! shard 1's: one machine reads it, the others pass it by.
//!
//! Files the walk passes over (hidden, other extensions) are split the same way, so the
//! shards' counts add up to one run's; what the walk finds is also digested in walk order, so
//! `merge` can tell that every shard saw the same inputs.

use std::fmt;
use std::hash::Hasher;
use std::str::FromStr;

use fnv::FnvHasher;

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    pub index: u32,
    pub count: u32,
}

/// Why a `--shard` value is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{given}` is not a shard: {why}; write K/N with 1 <= K <= N, e.g. --shard 3/8 for the third of eight")]
pub struct BadShard {
    given: String,
    why: &'static str,
}

impl FromStr for ShardSpec {
    type Err = BadShard;

    fn from_str(s: &str) -> Result<ShardSpec, BadShard> {
        let bad = |why| BadShard {
            given: s.to_string(),
            why,
        };
        let (k, n) = s.trim().split_once('/').ok_or_else(|| bad("no `/`"))?;
        let number = |part: &str| part.trim().parse::<u32>().map_err(|_| bad("K and N are whole numbers"));
        let (index, count) = (number(k)?, number(n)?);
        if count == 0 {
            return Err(bad("N, the number of shards, is at least 1"));
        }
        if index == 0 || index > count {
            return Err(bad("K counts from 1 to N"));
        }
        Ok(ShardSpec { index, count })
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The key standard input has: it is always shard 1's.
pub const STDIN_KEY: &[u8] = b"-";

impl ShardSpec {
    /// The shard (1-based) of `count` that the input with this key belongs to.
    pub fn owner(key: &[u8], count: u32) -> u32 {
        if key == STDIN_KEY {
            return 1;
        }
        (hash(key) % u64::from(count.max(1))) as u32 + 1
    }

    /// Whether this shard takes the input with this key.
    pub fn owns(&self, key: &[u8]) -> bool {
        ShardSpec::owner(key, self.count) == self.index
    }
}

/// FNV-1a, 64 bits, of the bytes.
pub fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = FnvHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

/// A running digest of everything a walk found, in order: equal digests, same inputs.
#[derive(Default)]
pub struct WalkDigest {
    hasher: FnvHasher,
    pub found: u64,
}

impl WalkDigest {
    /// Add the key of the next find of argument `arg`.
    pub fn add(&mut self, arg: usize, key: &[u8]) {
        self.hasher.write(&(arg as u64).to_le_bytes());
        self.hasher.write(&(key.len() as u64).to_le_bytes());
        self.hasher.write(key);
        self.found += 1;
    }

    /// The digest, as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.hasher.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_shard_values() {
        assert_eq!("3/8".parse(), Ok(ShardSpec { index: 3, count: 8 }));
        assert_eq!("1/1".parse(), Ok(ShardSpec { index: 1, count: 1 }));
        for bad in ["0/4", "5/4", "4/0", "x", "1/x", "-1/4", "", "1/4/2"] {
            let error = bad.parse::<ShardSpec>().unwrap_err().to_string();
            assert!(error.contains("K/N"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_hash_is_fnv1a_and_does_not_change() {
        // The published FNV-1a 64 test vectors: a change of algorithm would split archives
        // differently from the shards already written.
        assert_eq!(hash(b""), 0xcbf29ce484222325);
        assert_eq!(hash(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(hash(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn stdin_is_shard_ones_and_every_key_has_one_owner() {
        for n in 1..=7 {
            assert_eq!(ShardSpec::owner(STDIN_KEY, n), 1);
            for key in ["2026-11/0001.txt", "坐席/张三/通话.json", "a"] {
                let owners: Vec<u32> = (1..=n)
                    .filter(|&k| ShardSpec { index: k, count: n }.owns(key.as_bytes()))
                    .collect();
                assert_eq!(owners.len(), 1, "{key} of {n}: {owners:?}");
            }
        }
    }
}
