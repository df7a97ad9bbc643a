//! The *name memo*: what short folded names were to a gazetteer, remembered by each thread.
//!
//! Recognition asks the gazetteer about every run of capitalised words, and news repeats itself: the
//! same few thousand keys ("china", "the", "south china sea") come back in document after document.
//! A fresh answer costs probes into an index tens of megabytes large, which miss the processor's
//! caches; a small table of recent answers, one per thread so that no lock is taken, stays in them.
//!
//! The table is direct-mapped: a key has one slot, and a newer key that hashes there replaces it. A
//! slot holds the whole key and the number of its *owner* (the gazetteer whose answer it is, renumbered
//! whenever a part is added to it, and never reused), so an answer is only ever given for the very
//! question it was worked out for.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Longest key remembered, in bytes; longer keys are rare and always asked afresh.
const KEY_MAX: usize = 27;
/// Slots per thread: 16,384 of 40 bytes, 640 KB, within a core's second-level cache. A corpus names
/// tens of thousands of things; with a quarter of the slots, 10,000 articles took 1-2% longer (a
/// difference near the machine's noise, but in the same direction over repeated runs).
const SLOT_BITS: u32 = 14;
/// Bytes 0..27 of the key hold the name (zero-padded), byte 27 its length and bytes 28..32 the answer.
const KEY_AND_LENGTH: u64 = (1 << 32) - 1;

#[derive(Clone, Copy, Default)]
struct Slot {
    owner: u64,
    key: [u64; 4],
}

/// A number no other owner has had, for [`remembered`].
pub fn fresh_owner() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

thread_local! {
    static MEMO: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

/// The answer `work_out` gives for `key`, from this thread's memo when `owner` asked it before.
/// `work_out` must always give the same answer for the same owner and key.
pub fn remembered(owner: u64, key: &str, work_out: impl FnOnce() -> u32) -> u32 {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > KEY_MAX {
        return work_out();
    }
    let mut padded = [0u8; 32];
    padded[..bytes.len()].copy_from_slice(bytes);
    padded[KEY_MAX] = bytes.len() as u8;
    let words: [u64; 4] =
        std::array::from_fn(|i| u64::from_le_bytes(padded[i * 8..i * 8 + 8].try_into().unwrap()));
    let slot = slot_of(owner, &words);
    let held = MEMO.with_borrow_mut(|slots| {
        if slots.is_empty() {
            slots.resize(1 << SLOT_BITS, Slot::default());
        }
        let held = &slots[slot];
        (held.owner == owner
            && held.key[..3] == words[..3]
            && held.key[3] & KEY_AND_LENGTH == words[3])
            .then_some((held.key[3] >> 32) as u32)
    });
    if let Some(answer) = held {
        return answer;
    }
    // worked out with the memo released: the work may ask it other questions
    let answer = work_out();
    MEMO.with_borrow_mut(|slots| {
        let mut key = words;
        key[3] |= u64::from(answer) << 32;
        slots[slot] = Slot { owner, key };
    });
    answer
}

fn slot_of(owner: u64, words: &[u64; 4]) -> usize {
    const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
    let h = words
        .iter()
        .fold(owner, |h, &w| (h ^ w).wrapping_mul(MIX).rotate_left(29));
    (h.wrapping_mul(MIX) >> (64 - SLOT_BITS)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic stand-in for a gazetteer: the answer is a function of the key.
    fn answer_of(key: &str) -> u32 {
        key.bytes()
            .fold(7u32, |a, b| a.wrapping_mul(31).wrapping_add(u32::from(b)))
    }

    #[test]
    fn every_answer_is_the_one_worked_out_for_that_key() {
        let owner = fresh_owner();
        // far more keys than slots, asked twice in shuffled orders: hits, misses and evictions
        let keys: Vec<String> = (0..20_000)
            .map(|i| format!("place {}", i * 7919 % 20_011))
            .collect();
        let mut asked_afresh = 0;
        for round in 0..2 {
            for (i, key) in keys.iter().enumerate() {
                let key = if round == 0 {
                    key
                } else {
                    &keys[keys.len() - 1 - i]
                };
                let got = remembered(owner, key, || {
                    asked_afresh += 1;
                    answer_of(key)
                });
                assert_eq!(got, answer_of(key), "{key}");
            }
        }
        assert!(asked_afresh < 40_000, "some answers came from the memo");
    }

    #[test]
    fn a_repeated_key_is_answered_from_the_memo() {
        let owner = fresh_owner();
        assert_eq!(remembered(owner, "sea of japan", || 5), 5);
        // a different answer now would show the memo was not used
        assert_eq!(remembered(owner, "sea of japan", || 9), 5);
        // a key differing only in its length or last byte is a different key
        assert_eq!(remembered(owner, "sea of japa", || 1), 1);
        assert_eq!(remembered(owner, "sea of japam", || 2), 2);
        // every bit of an answer is kept
        assert_eq!(remembered(owner, "ocean", || u32::MAX), u32::MAX);
        assert_eq!(remembered(owner, "ocean", || 0), u32::MAX);
    }

    #[test]
    fn an_owner_never_sees_another_owners_answer() {
        let first = fresh_owner();
        let second = fresh_owner();
        assert_eq!(remembered(first, "china", || 1), 1);
        assert_eq!(remembered(second, "china", || 2), 2);
        assert_eq!(remembered(first, "china", || 3), 1);
        assert_eq!(remembered(second, "china", || 4), 2);
    }

    #[test]
    fn working_out_an_answer_may_ask_the_memo_again() {
        let (outer, inner) = (fresh_owner(), fresh_owner());
        let answer = remembered(outer, "yellow sea", || {
            remembered(inner, "yellow", || 4) + 1
        });
        assert_eq!(answer, 5);
        assert_eq!(remembered(inner, "yellow", || 0), 4);
    }

    #[test]
    fn long_and_empty_keys_are_always_worked_out() {
        let owner = fresh_owner();
        let long = "a".repeat(KEY_MAX + 1);
        assert_eq!(remembered(owner, &long, || 1), 1);
        assert_eq!(remembered(owner, &long, || 2), 2);
        assert_eq!(remembered(owner, "", || 3), 3);
        assert_eq!(remembered(owner, "", || 4), 4);
        let longest = "b".repeat(KEY_MAX);
        assert_eq!(remembered(owner, &longest, || 5), 5);
        assert_eq!(remembered(owner, &longest, || 6), 5);
    }
}
