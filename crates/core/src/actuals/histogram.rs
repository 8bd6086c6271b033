//! The response-time histogram: how long leads waited for their first contact attempt.
//!
//! The buckets follow the resolution at which a response time is shown, so that the median
//! and the 90th percentile read from a histogram are exact at that resolution:
//!
//! | range                  | width      | buckets | indices   |
//! |------------------------|------------|---------|-----------|
//! | 0 min – 60 min         | 1 minute   | 60      | 0..=59    |
//! | 60 min – 4 h           | 5 minutes  | 36      | 60..=95   |
//! | 4 h – 72 h             | 1 hour     | 68      | 96..=163  |
//! | 72 h – 30 days         | 1 day      | 27      | 164..=190 |
//! | 30 days and more       | open       | 1       | 191       |
//!
//! A bucket holds the response times `from <= t < to` (whole minutes, `t` rounded down).
//! Percentiles use the nearest-rank definition (the value at rank ⌈p·n⌉ of the sorted
//! response times), which is always one recorded value and so always one bucket: the
//! bucket returned contains the exact percentile of the raw response times.
//!
//! For storage a histogram is encoded as a compact blob (see [`ResponseHistogram::encode`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Number of buckets of a [`ResponseHistogram`].
pub const BUCKETS: usize = 192;

const MINUTE_BUCKETS_END: u32 = 60;
const FIVE_MINUTE_BUCKETS_END: u32 = 4 * 60;
const HOUR_BUCKETS_END: u32 = 72 * 60;
const DAY_BUCKETS_END: u32 = 30 * 24 * 60;
const FIRST_FIVE_MINUTE_BUCKET: usize = 60;
const FIRST_HOUR_BUCKET: usize = 96;
const FIRST_DAY_BUCKET: usize = 164;
const OVERFLOW_BUCKET: usize = 191;

/// Edges (in minutes) of the coarse buckets in which response times are shown as a
/// distribution: 0–15 min, 15–30, 30–60, 1–2 h, 2–4 h, 4–8 h, 8–24 h, 1–3 days, 3 days and
/// more. Every edge is a bucket boundary, so the coarse counts are exact.
pub const DISTRIBUTION_EDGES: [u32; 9] = [0, 15, 30, 60, 120, 240, 480, 1440, 4320];

/// Version byte that starts every encoded histogram.
const FORMAT_VERSION: u8 = 1;

/// The bucket a response time of `minutes` falls in. Negative times (a first attempt
/// recorded before the lead was created) count as 0 minutes.
#[must_use]
pub fn bucket_of(minutes: i64) -> usize {
    let m = u64::try_from(minutes).unwrap_or(0);
    // each arm bounds `m`, so every value below fits in usize
    let index = if m < u64::from(MINUTE_BUCKETS_END) {
        m
    } else if m < u64::from(FIVE_MINUTE_BUCKETS_END) {
        FIRST_FIVE_MINUTE_BUCKET as u64 + (m - u64::from(MINUTE_BUCKETS_END)) / 5
    } else if m < u64::from(HOUR_BUCKETS_END) {
        FIRST_HOUR_BUCKET as u64 + (m - u64::from(FIVE_MINUTE_BUCKETS_END)) / 60
    } else if m < u64::from(DAY_BUCKETS_END) {
        FIRST_DAY_BUCKET as u64 + (m - u64::from(HOUR_BUCKETS_END)) / 1440
    } else {
        OVERFLOW_BUCKET as u64
    };
    usize::try_from(index).unwrap_or(OVERFLOW_BUCKET)
}

/// The range of response times a bucket holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResponseBucket {
    /// Lower bound in minutes (inclusive).
    pub from_minutes: u32,
    /// Upper bound in minutes (exclusive); `None` for the open bucket of 30 days and more.
    pub to_minutes: Option<u32>,
}

impl ResponseBucket {
    /// The bounds of bucket `index`; indices past the last bucket give the open bucket.
    #[must_use]
    pub fn of_index(index: usize) -> ResponseBucket {
        // every arm bounds the index below 192, so the casts are exact
        #[allow(clippy::cast_possible_truncation)]
        let i = index.min(OVERFLOW_BUCKET) as u32;
        let (from, width) = if i < FIRST_FIVE_MINUTE_BUCKET as u32 {
            (i, 1)
        } else if i < FIRST_HOUR_BUCKET as u32 {
            (
                MINUTE_BUCKETS_END + (i - FIRST_FIVE_MINUTE_BUCKET as u32) * 5,
                5,
            )
        } else if i < FIRST_DAY_BUCKET as u32 {
            (
                FIVE_MINUTE_BUCKETS_END + (i - FIRST_HOUR_BUCKET as u32) * 60,
                60,
            )
        } else if i < OVERFLOW_BUCKET as u32 {
            (
                HOUR_BUCKETS_END + (i - FIRST_DAY_BUCKET as u32) * 1440,
                1440,
            )
        } else {
            return ResponseBucket {
                from_minutes: DAY_BUCKETS_END,
                to_minutes: None,
            };
        };
        ResponseBucket {
            from_minutes: from,
            to_minutes: Some(from + width),
        }
    }

    /// Whether a response time of `minutes` lies in this bucket.
    #[must_use]
    pub fn contains(self, minutes: i64) -> bool {
        let m = minutes.max(0);
        m >= i64::from(self.from_minutes) && self.to_minutes.is_none_or(|to| m < i64::from(to))
    }
}

/// Counts of response times per bucket (see the module documentation for the buckets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<u64>", into = "Vec<u64>")]
pub struct ResponseHistogram {
    /// Always `BUCKETS` long.
    counts: Vec<u64>,
}

impl Default for ResponseHistogram {
    fn default() -> Self {
        ResponseHistogram {
            counts: vec![0; BUCKETS],
        }
    }
}

impl TryFrom<Vec<u64>> for ResponseHistogram {
    type Error = HistogramDecodeError;

    fn try_from(counts: Vec<u64>) -> Result<Self, Self::Error> {
        if counts.len() == BUCKETS {
            Ok(ResponseHistogram { counts })
        } else {
            Err(HistogramDecodeError::WrongLength { len: counts.len() })
        }
    }
}

impl From<ResponseHistogram> for Vec<u64> {
    fn from(h: ResponseHistogram) -> Self {
        h.counts
    }
}

/// Why a stored histogram blob could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistogramDecodeError {
    #[error("response-time histogram: the blob is empty")]
    Empty,
    #[error("response-time histogram: unknown format version {version}")]
    UnknownVersion { version: u8 },
    #[error("response-time histogram: bucket {index} at byte {offset} does not exist")]
    NoSuchBucket { index: u8, offset: usize },
    #[error("response-time histogram: bucket {index} at byte {offset} is out of order")]
    OutOfOrder { index: u8, offset: usize },
    #[error("response-time histogram: the blob ends inside the count at byte {offset}")]
    Truncated { offset: usize },
    #[error("response-time histogram: the count at byte {offset} is zero or too large")]
    BadCount { offset: usize },
    #[error("response-time histogram: {len} buckets instead of {BUCKETS}")]
    WrongLength { len: usize },
}

impl ResponseHistogram {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one response time in whole minutes.
    pub fn record(&mut self, minutes: i64) {
        self.add_to_bucket(bucket_of(minutes), 1);
    }

    /// Adds `count` response times to bucket `index` (ignored for an index past the end).
    pub fn add_to_bucket(&mut self, index: usize, count: u64) {
        if let Some(c) = self.counts.get_mut(index) {
            *c = c.saturating_add(count);
        }
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &ResponseHistogram) {
        for (c, o) in self.counts.iter_mut().zip(&other.counts) {
            *c = c.saturating_add(*o);
        }
    }

    /// The count per bucket, index as in the module documentation.
    #[must_use]
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Number of response times recorded.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.counts.iter().fold(0u64, |a, c| a.saturating_add(*c))
    }

    /// The bucket holding the nearest-rank percentile `numerator / denominator` (e.g. 1/2
    /// for the median, 9/10 for the 90th percentile); `None` for an empty histogram or a
    /// zero denominator.
    #[must_use]
    pub fn percentile(&self, numerator: u64, denominator: u64) -> Option<ResponseBucket> {
        let n = self.total();
        if n == 0 || denominator == 0 {
            return None;
        }
        // rank ⌈p·n⌉, at least 1 and at most n, in u128 so no count can overflow it
        let rank = (u128::from(n) * u128::from(numerator.min(denominator)))
            .div_ceil(u128::from(denominator))
            .max(1);
        let mut seen = 0u128;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += u128::from(count);
            if seen >= rank {
                return Some(ResponseBucket::of_index(index));
            }
        }
        None
    }

    /// The counts in the coarse buckets of [`DISTRIBUTION_EDGES`], in order, empty ones
    /// included.
    #[must_use]
    pub fn distribution(&self) -> Vec<(ResponseBucket, u64)> {
        let mut out: Vec<(ResponseBucket, u64)> = DISTRIBUTION_EDGES
            .iter()
            .enumerate()
            .map(|(i, &from)| {
                let to = DISTRIBUTION_EDGES.get(i + 1).copied();
                (
                    ResponseBucket {
                        from_minutes: from,
                        to_minutes: to,
                    },
                    0,
                )
            })
            .collect();
        for (index, &count) in self.counts().iter().enumerate() {
            let from = ResponseBucket::of_index(index).from_minutes;
            let slot = DISTRIBUTION_EDGES
                .iter()
                .rposition(|&edge| edge <= from)
                .unwrap_or(0);
            out[slot].1 = out[slot].1.saturating_add(count);
        }
        out
    }

    /// The median response time's bucket.
    #[must_use]
    pub fn median(&self) -> Option<ResponseBucket> {
        self.percentile(1, 2)
    }

    /// The 90th percentile's bucket.
    #[must_use]
    pub fn p90(&self) -> Option<ResponseBucket> {
        self.percentile(9, 10)
    }

    /// A compact blob for storage: one version byte (1), then for every non-empty bucket
    /// in ascending order its index as one byte followed by its count as an unsigned
    /// LEB128 varint. An empty histogram is the single byte `01`.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![FORMAT_VERSION];
        for (index, &count) in self.counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            // index < BUCKETS = 192 fits in a byte
            #[allow(clippy::cast_possible_truncation)]
            out.push(index as u8);
            let mut rest = count;
            loop {
                // the low seven bits, truncation intended
                #[allow(clippy::cast_possible_truncation)]
                let byte = (rest & 0x7f) as u8;
                rest >>= 7;
                if rest == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
        }
        out
    }

    /// Reads a blob written by [`ResponseHistogram::encode`].
    ///
    /// # Errors
    /// A blob that is empty, of another version, names a bucket twice, out of order or
    /// past the last bucket, holds a zero count or one beyond `u64`, or ends early.
    pub fn decode(blob: &[u8]) -> Result<ResponseHistogram, HistogramDecodeError> {
        let (&version, mut rest) = blob.split_first().ok_or(HistogramDecodeError::Empty)?;
        if version != FORMAT_VERSION {
            return Err(HistogramDecodeError::UnknownVersion { version });
        }
        let mut histogram = ResponseHistogram::new();
        let mut offset = 1usize;
        let mut next_allowed = 0usize;
        while let Some((&index, tail)) = rest.split_first() {
            let i = usize::from(index);
            if i >= BUCKETS {
                return Err(HistogramDecodeError::NoSuchBucket { index, offset });
            }
            if i < next_allowed {
                return Err(HistogramDecodeError::OutOfOrder { index, offset });
            }
            offset += 1;
            let count_offset = offset;
            let mut count = 0u64;
            let mut shift = 0u32;
            let mut bytes = tail.iter();
            loop {
                let &byte = bytes.next().ok_or(HistogramDecodeError::Truncated {
                    offset: count_offset,
                })?;
                offset += 1;
                let bits = u64::from(byte & 0x7f);
                if shift >= 64 || (shift == 63 && bits > 1) {
                    return Err(HistogramDecodeError::BadCount {
                        offset: count_offset,
                    });
                }
                count |= bits << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            if count == 0 {
                return Err(HistogramDecodeError::BadCount {
                    offset: count_offset,
                });
            }
            histogram.counts[i] = count;
            next_allowed = i + 1;
            rest = bytes.as_slice();
        }
        Ok(histogram)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case(-5, 0, 0, Some(1))]
    #[case(0, 0, 0, Some(1))]
    #[case(59, 59, 59, Some(60))]
    #[case(60, 60, 60, Some(65))]
    #[case(64, 60, 60, Some(65))]
    #[case(65, 61, 65, Some(70))]
    #[case(239, 95, 235, Some(240))]
    #[case(240, 96, 240, Some(300))]
    #[case(4319, 163, 4260, Some(4320))]
    #[case(4320, 164, 4320, Some(5760))]
    #[case(43_199, 190, 41_760, Some(43_200))]
    #[case(43_200, 191, 43_200, None)]
    #[case(i64::MAX, 191, 43_200, None)]
    fn response_times_fall_in_buckets_of_their_display_resolution(
        #[case] minutes: i64,
        #[case] index: usize,
        #[case] from: u32,
        #[case] to: Option<u32>,
    ) {
        assert_eq!(bucket_of(minutes), index);
        let bucket = ResponseBucket::of_index(index);
        assert_eq!(
            bucket,
            ResponseBucket {
                from_minutes: from,
                to_minutes: to
            }
        );
        assert!(bucket.contains(minutes));
    }

    #[test]
    fn buckets_tile_the_time_axis_without_gaps() {
        for i in 0..BUCKETS - 1 {
            let (a, b) = (ResponseBucket::of_index(i), ResponseBucket::of_index(i + 1));
            assert_eq!(a.to_minutes, Some(b.from_minutes), "bucket {i}");
        }
        assert_eq!(ResponseBucket::of_index(BUCKETS - 1).to_minutes, None);
    }

    #[test]
    fn the_median_of_four_is_the_second_value_by_nearest_rank() {
        // sorted 3, 7, 90, 500 minutes; median rank ⌈0.5·4⌉ = 2 → 7 min, bucket [7, 8);
        // p90 rank ⌈0.9·4⌉ = 4 → 500 min, hourly bucket [480, 540)
        let mut h = ResponseHistogram::new();
        for m in [500, 3, 90, 7] {
            h.record(m);
        }
        assert_eq!(
            h.median(),
            Some(ResponseBucket {
                from_minutes: 7,
                to_minutes: Some(8)
            })
        );
        assert_eq!(
            h.p90(),
            Some(ResponseBucket {
                from_minutes: 480,
                to_minutes: Some(540)
            })
        );
        assert_eq!(ResponseHistogram::new().median(), None);
    }

    #[test]
    fn an_encoded_histogram_is_small_and_reads_back() {
        let mut h = ResponseHistogram::new();
        h.record(3);
        h.record(3);
        h.add_to_bucket(191, 300);
        // version 1; bucket 3 count 2; bucket 191 count 300 = 0b10_0101100 → ac 02
        assert_eq!(h.encode(), vec![1, 3, 2, 191, 0xac, 0x02]);
        assert_eq!(ResponseHistogram::decode(&h.encode()).unwrap(), h);
        assert_eq!(ResponseHistogram::new().encode(), vec![1]);
    }

    #[rstest]
    #[case(&[], HistogramDecodeError::Empty)]
    #[case(&[2], HistogramDecodeError::UnknownVersion { version: 2 })]
    #[case(&[1, 192, 1], HistogramDecodeError::NoSuchBucket { index: 192, offset: 1 })]
    #[case(&[1, 5, 1, 5, 1], HistogramDecodeError::OutOfOrder { index: 5, offset: 3 })]
    #[case(&[1, 5, 1, 4, 1], HistogramDecodeError::OutOfOrder { index: 4, offset: 3 })]
    #[case(&[1, 5], HistogramDecodeError::Truncated { offset: 2 })]
    #[case(&[1, 5, 0x80], HistogramDecodeError::Truncated { offset: 2 })]
    #[case(&[1, 5, 0], HistogramDecodeError::BadCount { offset: 2 })]
    #[case(
        &[1, 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
        HistogramDecodeError::BadCount { offset: 2 }
    )]
    fn a_damaged_blob_is_refused_with_the_place_of_the_damage(
        #[case] blob: &[u8],
        #[case] error: HistogramDecodeError,
    ) {
        assert_eq!(ResponseHistogram::decode(blob), Err(error));
    }

    #[test]
    fn the_largest_count_survives_the_round_trip() {
        let mut h = ResponseHistogram::new();
        h.add_to_bucket(0, u64::MAX);
        assert_eq!(ResponseHistogram::decode(&h.encode()).unwrap(), h);
    }

    #[test]
    fn a_histogram_of_the_wrong_length_is_not_deserialized() {
        let err = serde_json::from_str::<ResponseHistogram>("[1, 2, 3]").unwrap_err();
        assert!(
            err.to_string().contains("3 buckets instead of 192"),
            "{err}"
        );
    }

    fn exact_nearest_rank(sorted: &[i64], numerator: usize, denominator: usize) -> i64 {
        let rank = (sorted.len() * numerator).div_ceil(denominator).max(1);
        sorted[rank - 1]
    }

    proptest! {
        #[test]
        fn the_percentile_bucket_contains_the_exact_percentile(
            minutes in prop::collection::vec(
                prop_oneof![0i64..120, 0i64..5000, 0i64..100_000, -10i64..0],
                1..400,
            )
        ) {
            let mut h = ResponseHistogram::new();
            for &m in &minutes {
                h.record(m);
            }
            let mut sorted: Vec<i64> = minutes.iter().map(|m| (*m).max(0)).collect();
            sorted.sort_unstable();
            for (num, den) in [(1, 2), (9, 10), (1, 4), (99, 100), (1, 1)] {
                let exact = exact_nearest_rank(&sorted, num, den);
                let bucket = h.percentile(num as u64, den as u64).unwrap();
                prop_assert!(bucket.contains(exact), "{num}/{den}: {exact} not in {bucket:?}");
            }
        }

        #[test]
        fn any_histogram_survives_encoding(
            cells in prop::collection::vec((0usize..BUCKETS, 1u64..u64::MAX), 0..50)
        ) {
            let mut h = ResponseHistogram::new();
            for (i, c) in cells {
                h.add_to_bucket(i, c);
            }
            prop_assert_eq!(ResponseHistogram::decode(&h.encode()).unwrap(), h);
        }

        #[test]
        fn no_blob_makes_decoding_panic(blob in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = ResponseHistogram::decode(&blob);
        }
    }
}
