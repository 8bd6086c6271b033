//! Leads as stored: packed into blocks of up to [`BLOCK_LEADS`] leads created in one
//! calendar month, each block one row of `lead_block`. With a row per lead, SQLite's B-tree
//! inserts were most of a large import (about 3 µs a lead, `docs/benchmarks.md`); a block is
//! one insert for thousands of leads in a third of the bytes. Leads are only ever read by
//! month (rollups, the raw leads of a period) or all at once (the ids an import is checked
//! against), never one at a time through SQL, so nothing is lost by packing them.
//!
//! Format 1 of a block, integers as LEB128 varints, signed ones zigzag-encoded first:
//!
//! ```text
//! format (one byte, 1)
//! number of leads
//! number of strings, then each: length, UTF-8 bytes        owners and lost reasons
//! each lead:
//!   flags                      bits 0–8: which optional fields follow; bits 9–11: stage
//!   external id                length, UTF-8 bytes
//!   created_at                 seconds since 1970, signed
//!   attempts
//!   [source id] [product line id]                                       signed
//!   [first attempt] [first two-way contact] [appointment] [won]        seconds after created_at, signed
//!   [lost reason]              index into the strings
//!   [value]                    cents, signed
//!   [owner]                    index into the strings
//! ```

use chrono::{DateTime, Utc};
use leadplan_core::{Lead, Money, Stage};
use rustc_hash::FxHashMap;

/// The most leads a block holds: big enough that a million leads are a few hundred rows,
/// small enough that changing one lead rewrites little.
pub(crate) const BLOCK_LEADS: usize = 4096;

const FORMAT: u8 = 1;

const SOURCE: u32 = 1;
const PRODUCT_LINE: u32 = 1 << 1;
const FIRST_ATTEMPT: u32 = 1 << 2;
const FIRST_TWO_WAY: u32 = 1 << 3;
const LOST_REASON: u32 = 1 << 4;
const APPOINTMENT: u32 = 1 << 5;
const WON: u32 = 1 << 6;
const VALUE: u32 = 1 << 7;
const OWNER: u32 = 1 << 8;
const STAGE_SHIFT: u32 = 9;

/// A block that cannot be read: the stored data is damaged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("lead block: {0}")]
pub struct BadBlock(pub(crate) &'static str);

type Decoded<T> = Result<T, BadBlock>;

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        // the low seven bits, with the continuation bit: the cast keeps exactly those
        #[allow(clippy::cast_possible_truncation)]
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    #[allow(clippy::cast_possible_truncation)] // n < 0x80
    out.push(n as u8);
}

fn put_signed(out: &mut Vec<u8>, n: i64) {
    // zigzag: small magnitudes of either sign take few bytes
    #[allow(clippy::cast_sign_loss)]
    put_varint(out, ((n << 1) ^ (n >> 63)) as u64);
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    put_varint(out, n as u64);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn stage_index(stage: Stage) -> u32 {
    match stage {
        Stage::New => 0,
        Stage::Contacted => 1,
        Stage::Appointment => 2,
        Stage::Offer => 3,
        Stage::Won => 4,
        Stage::Lost => 5,
    }
}

/// Builds one block lead by lead.
#[derive(Debug, Default)]
pub(crate) struct BlockBuilder {
    strings: FxHashMap<String, u32>,
    string_table: Vec<u8>,
    records: Vec<u8>,
    leads: usize,
}

impl BlockBuilder {
    pub fn len(&self) -> usize {
        self.leads
    }

    pub fn is_empty(&self) -> bool {
        self.leads == 0
    }

    pub fn is_full(&self) -> bool {
        self.leads >= BLOCK_LEADS
    }

    fn string(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.strings.get(s) {
            return i;
        }
        // a block holds at most BLOCK_LEADS leads with two strings each
        let i = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        put_str(&mut self.string_table, s);
        self.strings.insert(s.to_owned(), i);
        i
    }

    /// Adds a lead; timestamps are kept to the second.
    pub fn push(&mut self, lead: &Lead) {
        let created = lead.created_at.timestamp();
        let mut flags = stage_index(lead.stage) << STAGE_SHIFT;
        for (present, bit) in [
            (lead.source_id.is_some(), SOURCE),
            (lead.product_line_id.is_some(), PRODUCT_LINE),
            (lead.first_attempt_at.is_some(), FIRST_ATTEMPT),
            (lead.first_two_way_at.is_some(), FIRST_TWO_WAY),
            (lead.lost_reason.is_some(), LOST_REASON),
            (lead.appointment_at.is_some(), APPOINTMENT),
            (lead.won_at.is_some(), WON),
            (lead.value.is_some(), VALUE),
            (lead.owner.is_some(), OWNER),
        ] {
            if present {
                flags |= bit;
            }
        }
        let lost_reason = lead.lost_reason.as_deref().map(|s| self.string(s));
        let owner = lead.owner.as_deref().map(|s| self.string(s));
        let out = &mut self.records;
        put_varint(out, u64::from(flags));
        put_str(out, &lead.external_id);
        put_signed(out, created);
        put_varint(out, u64::from(lead.attempts));
        for id in [lead.source_id, lead.product_line_id].into_iter().flatten() {
            put_signed(out, id);
        }
        for at in [
            lead.first_attempt_at,
            lead.first_two_way_at,
            lead.appointment_at,
            lead.won_at,
        ]
        .into_iter()
        .flatten()
        {
            put_signed(out, at.timestamp().wrapping_sub(created));
        }
        if let Some(i) = lost_reason {
            put_varint(out, u64::from(i));
        }
        if let Some(v) = lead.value {
            put_signed(out, v.cents());
        }
        if let Some(i) = owner {
            put_varint(out, u64::from(i));
        }
        self.leads += 1;
    }

    /// The block's bytes.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.string_table.len() + self.records.len() + 16);
        out.push(FORMAT);
        put_len(&mut out, self.leads);
        put_len(&mut out, self.strings.len());
        out.extend_from_slice(&self.string_table);
        out.extend_from_slice(&self.records);
        out
    }
}

/// Reads varints and strings from a byte slice.
#[derive(Debug, Clone)]
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn varint(&mut self) -> Decoded<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let &b = self.bytes.get(self.at).ok_or(BadBlock("cut short"))?;
            self.at += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(BadBlock("a number is too long"))
    }

    fn signed(&mut self) -> Decoded<i64> {
        let n = self.varint()?;
        // zigzag back
        #[allow(clippy::cast_possible_wrap)]
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    fn len(&mut self) -> Decoded<usize> {
        usize::try_from(self.varint()?).map_err(|_| BadBlock("a length is too large"))
    }

    fn str(&mut self) -> Decoded<&'a str> {
        let len = self.len()?;
        let end = self
            .at
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(BadBlock("a text runs past the end"))?;
        let s = std::str::from_utf8(&self.bytes[self.at..end])
            .map_err(|_| BadBlock("a text is not UTF-8"))?;
        self.at = end;
        Ok(s)
    }
}

/// A block opened for reading: its string table decoded, its leads read in order or from a
/// lead's offset.
#[derive(Debug, Clone)]
pub(crate) struct Block<'a> {
    bytes: &'a [u8],
    strings: Vec<&'a str>,
    leads: usize,
    first: usize,
}

impl<'a> Block<'a> {
    pub fn open(bytes: &'a [u8]) -> Decoded<Self> {
        let mut c = Cursor { bytes, at: 0 };
        match bytes.first() {
            Some(&FORMAT) => c.at = 1,
            Some(_) => return Err(BadBlock("unknown format")),
            None => return Err(BadBlock("empty")),
        }
        let leads = c.len()?;
        let n = c.len()?;
        // every string takes at least one byte: a count beyond that is damage, not a reason
        // to reserve memory
        if n > bytes.len() {
            return Err(BadBlock("too many texts"));
        }
        let mut strings = Vec::with_capacity(n);
        for _ in 0..n {
            strings.push(c.str()?);
        }
        Ok(Block {
            bytes,
            strings,
            leads,
            first: c.at,
        })
    }

    pub fn len(&self) -> usize {
        self.leads
    }

    /// The leads in order, each with its offset (for [`Block::lead_at`]).
    pub fn leads(&self) -> impl Iterator<Item = Decoded<(usize, Lead)>> + '_ {
        let mut at = self.first;
        (0..self.leads).map(move |_| {
            let offset = at;
            let (lead, next) = self.read(offset)?;
            at = next;
            Ok((offset, lead))
        })
    }

    /// The external ids in order, each with its lead's offset; reads nothing else.
    pub fn ids(&self) -> impl Iterator<Item = Decoded<(usize, &'a str)>> + '_ {
        let mut at = self.first;
        (0..self.leads).map(move |_| {
            let offset = at;
            let id = self.id_at(offset)?;
            at = self.skip(offset)?;
            Ok((offset, id))
        })
    }

    /// The external id of the lead at `offset`.
    pub fn id_at(&self, offset: usize) -> Decoded<&'a str> {
        let mut c = self.cursor(offset);
        c.varint()?;
        c.str()
    }

    pub fn lead_at(&self, offset: usize) -> Decoded<Lead> {
        self.read(offset).map(|(lead, _)| lead)
    }

    fn cursor(&self, at: usize) -> Cursor<'a> {
        Cursor {
            bytes: self.bytes,
            at,
        }
    }

    fn string(&self, c: &mut Cursor<'_>) -> Decoded<&'a str> {
        let i = c.len()?;
        self.strings
            .get(i)
            .copied()
            .ok_or(BadBlock("a text index is out of range"))
    }

    /// The offset of the lead after the one at `offset`.
    fn skip(&self, offset: usize) -> Decoded<usize> {
        self.read(offset).map(|(_, next)| next)
    }

    fn read(&self, offset: usize) -> Decoded<(Lead, usize)> {
        let mut c = self.cursor(offset);
        let flags = u32::try_from(c.varint()?).map_err(|_| BadBlock("bad flags"))?;
        let has = |bit: u32| flags & bit != 0;
        let stage = usize::try_from(flags >> STAGE_SHIFT)
            .ok()
            .and_then(|i| Stage::ALL.get(i).copied())
            .ok_or(BadBlock("unknown stage"))?;
        let external_id = c.str()?.to_owned();
        let created = c.signed()?;
        let created_at = time(created)?;
        let attempts = u32::try_from(c.varint()?).map_err(|_| BadBlock("bad attempts"))?;
        let mut opt = |bit: u32| -> Decoded<Option<i64>> {
            if has(bit) {
                c.signed().map(Some)
            } else {
                Ok(None)
            }
        };
        let source_id = opt(SOURCE)?;
        let product_line_id = opt(PRODUCT_LINE)?;
        let after = |d: Option<i64>| d.map(|d| time(created.wrapping_add(d))).transpose();
        let first_attempt_at = after(opt(FIRST_ATTEMPT)?)?;
        let first_two_way_at = after(opt(FIRST_TWO_WAY)?)?;
        let appointment_at = after(opt(APPOINTMENT)?)?;
        let won_at = after(opt(WON)?)?;
        let lost_reason = if has(LOST_REASON) {
            Some(self.string(&mut c)?.to_owned())
        } else {
            None
        };
        let value = if has(VALUE) {
            Some(Money(c.signed()?))
        } else {
            None
        };
        let owner = if has(OWNER) {
            Some(self.string(&mut c)?.to_owned())
        } else {
            None
        };
        let lead = Lead {
            external_id,
            created_at,
            source_id,
            product_line_id,
            first_attempt_at,
            first_two_way_at,
            attempts,
            stage,
            lost_reason,
            appointment_at,
            won_at,
            value,
            owner,
        };
        Ok((lead, c.at))
    }
}

fn time(seconds: i64) -> Decoded<DateTime<Utc>> {
    DateTime::from_timestamp(seconds, 0).ok_or(BadBlock("a time is out of range"))
}

/// Every lead of a block, as stored in `lead_block.data`.
///
/// # Errors
/// Bytes that are not a block of this format.
pub fn decode(bytes: &[u8]) -> Decoded<Vec<Lead>> {
    let block = Block::open(bytes)?;
    block.leads().map(|r| r.map(|(_, lead)| lead)).collect()
}

/// A block of `leads`, as stored in `lead_block.data` (for tools and tests that write a
/// workbook's file directly; Leadplan itself fills blocks with [`BlockBuilder`]).
#[must_use]
pub fn encode(leads: &[Lead]) -> Vec<u8> {
    let mut b = BlockBuilder::default();
    for lead in leads {
        b.push(lead);
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn lead(id: &str) -> Lead {
        Lead {
            external_id: id.into(),
            created_at: Utc.with_ymd_and_hms(2026, 3, 4, 9, 30, 0).unwrap(),
            source_id: Some(3),
            product_line_id: None,
            first_attempt_at: Some(Utc.with_ymd_and_hms(2026, 3, 4, 9, 41, 0).unwrap()),
            first_two_way_at: None,
            attempts: 2,
            stage: Stage::Lost,
            lost_reason: Some("No response".into()),
            appointment_at: None,
            won_at: None,
            value: None,
            owner: Some("Daan Bakker".into()),
        }
    }

    #[test]
    fn a_block_gives_back_its_leads_in_order_with_their_ids_and_offsets() {
        let mut second = lead("L-2");
        second.stage = Stage::Won;
        second.won_at = Some(Utc.with_ymd_and_hms(2026, 3, 20, 15, 0, 0).unwrap());
        second.value = Some(Money(2_437_900));
        second.lost_reason = None;
        second.source_id = None;
        second.product_line_id = Some(-7);
        let leads = vec![lead("L-1"), second, lead("L-3")];
        let bytes = encode(&leads);
        assert_eq!(decode(&bytes).unwrap(), leads);
        let block = Block::open(&bytes).unwrap();
        assert_eq!(block.len(), 3);
        let ids: Vec<(usize, &str)> = block.ids().map(Result::unwrap).collect();
        assert_eq!(
            ids.iter().map(|(_, id)| *id).collect::<Vec<_>>(),
            ["L-1", "L-2", "L-3"]
        );
        for ((offset, id), lead) in ids.iter().zip(&leads) {
            assert_eq!(block.id_at(*offset).unwrap(), *id);
            assert_eq!(&block.lead_at(*offset).unwrap(), lead);
        }
    }

    #[test]
    fn repeated_owners_and_reasons_are_stored_once() {
        let one = encode(&[lead("A")]).len();
        let two = encode(&[lead("A"), lead("B")]).len();
        // the second lead adds its record, not its owner's name or its lost reason again
        assert!(two - one < 20, "{one} → {two}");
        assert!(two - one < one - "Daan Bakker".len() - "No response".len());
    }

    #[test]
    fn damaged_blocks_are_refused_not_read_wrongly() {
        let bytes = encode(&[lead("L-1"), lead("L-2")]);
        assert_eq!(decode(&[]), Err(BadBlock("empty")));
        assert_eq!(decode(&[2, 0, 0]), Err(BadBlock("unknown format")));
        for cut in 1..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        // a count of texts far beyond the block's size
        assert_eq!(
            Block::open(&[1, 1, 0xff, 0xff, 0xff, 0x7f]).err(),
            Some(BadBlock("too many texts"))
        );
    }

    fn any_time() -> impl Strategy<Value = DateTime<Utc>> {
        (-62_135_596_800_i64..253_402_300_799).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
    }

    fn any_lead() -> impl Strategy<Value = Lead> {
        (
            (
                "\\PC{0,20}",
                any_time(),
                proptest::option::of(any::<i64>()),
                proptest::option::of(any::<i64>()),
                proptest::option::of(any_time()),
                proptest::option::of(any_time()),
                any::<u32>(),
            ),
            (
                proptest::sample::select(Stage::ALL.to_vec()),
                proptest::option::of("\\PC{0,12}"),
                proptest::option::of(any_time()),
                proptest::option::of(any_time()),
                proptest::option::of(any::<i64>()),
                proptest::option::of(proptest::sample::select(vec!["A", "B", "Ö"])),
            ),
        )
            .prop_map(
                |(
                    (external_id, created_at, source_id, product_line_id, first, two_way, attempts),
                    (stage, lost_reason, appointment_at, won_at, value, owner),
                )| Lead {
                    external_id,
                    created_at,
                    source_id,
                    product_line_id,
                    first_attempt_at: first,
                    first_two_way_at: two_way,
                    attempts,
                    stage,
                    lost_reason,
                    appointment_at,
                    won_at,
                    value: value.map(Money),
                    owner: owner.map(str::to_owned),
                },
            )
    }

    proptest! {
        #[test]
        fn every_lead_comes_back_as_it_went_in(leads in proptest::collection::vec(any_lead(), 0..40)) {
            prop_assert_eq!(decode(&encode(&leads)).unwrap(), leads);
        }

        #[test]
        fn any_bytes_decode_to_leads_or_an_error_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes);
            if let Ok(block) = Block::open(&bytes) {
                let _ = block.ids().count();
            }
        }
    }
}
