//! The *name memo*: what short folded names were to a gazetteer, remembered by each thread.
//!
//! Recognition asks the gazetteer about every run of capitalised words, and news repeats itself: the
//! same few thousand keys ("china", "the", "south china sea") come back in document after document.
//! A fresh answer costs probes into an index tens of megabytes large, which miss the processor's
//! caches; a small table of recent answers, one per thread so that no lock is taken, stays in them.
//!
//! The table is four-way set-associative: a key hashes to one set of four slots, kept in the order
//! they were last asked, and a new key evicts the key of its set asked longest ago. (A direct-mapped table of as many slots answered only
//! 93% of 10,000 articles' questions, where the articles asked about fewer than 10,000 distinct keys:
//! pairs of frequent keys sharing a slot kept evicting each other.)
//!
//! A slot holds the whole key and the number of its *owner* (the gazetteer whose answer it is,
//! renumbered whenever a part is added to it, and never reused), so an answer is only ever given for
//! the very question it was worked out for.

use std::cell::Cell;
use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};

/// Longest key remembered, in bytes; longer keys are rare and always asked afresh.
const KEY_MAX: usize = 23;
/// Sets per thread: 8,192 of four 32-byte slots, 1 MB, half a core's second-level cache. Half as many
/// sets held 10,000 articles' keys too, but frequent keys sharing a set still evicted each other: 67k
/// of their 1.5 M questions missed, and 20k with these, where the 10k first askings must; each miss
/// probes the index.
const SET_BITS: u32 = 13;
const WAYS: usize = 4;

/// Words 0..3 hold the key (zero-padded) with its length in byte 23; word 3 holds the owner in its
/// low half and the answer in its high half. An empty slot is all zeros, and no key has length zero.
type Slot = [u64; 4];

/// One set, on two whole cache lines.
#[derive(Clone, Copy, Default)]
#[repr(align(64))]
struct Set([Slot; WAYS]);

/// A number no other owner has had, for [`remembered`].
pub fn fresh_owner() -> u32 {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let owner = NEXT.fetch_add(1, Ordering::Relaxed);
    // four billion gazetteers in one process would be needed to wrap round
    assert_ne!(owner, 0, "name memo owners ran out");
    owner
}

thread_local! {
    /// This thread's sets, allocated at its first question. A pointer rather than an owned table: a
    /// thread-local value with a destructor is checked for life at every access, and this one is
    /// reached for most capitalised words of every document.
    static SETS: Cell<*mut Set> = const { Cell::new(ptr::null_mut()) };
    /// Frees this thread's sets when the thread ends; reached only when they are allocated.
    static SETS_FREED_AT_EXIT: SetsFreedAtExit = const { SetsFreedAtExit };
}

const SET_COUNT: usize = 1 << SET_BITS;

struct SetsFreedAtExit;

impl Drop for SetsFreedAtExit {
    fn drop(&mut self) {
        let sets = SETS.with(|s| s.replace(ptr::null_mut()));
        if !sets.is_null() {
            // SAFETY: `sets` came from `Box::into_raw` of a boxed slice of SET_COUNT sets in
            // `allocate_sets`, and SETS no longer holds it
            drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(sets, SET_COUNT)) });
        }
    }
}

/// This thread's sets.
fn sets() -> *mut Set {
    let sets = SETS.with(Cell::get);
    if sets.is_null() {
        allocate_sets()
    } else {
        sets
    }
}

#[cold]
fn allocate_sets() -> *mut Set {
    let sets = Box::into_raw(vec![Set::default(); SET_COUNT].into_boxed_slice()).cast::<Set>();
    SETS.with(|s| s.set(sets));
    // a question asked while the thread's values are being destroyed finds this gone: its sets
    // are then left to the end of the process
    let _ = SETS_FREED_AT_EXIT.try_with(|_| {});
    sets
}

/// The slots of set `set` of this thread's sets.
///
/// # Safety
/// `set` is below [`SET_COUNT`], and no other reference into the sets lives while this one does.
unsafe fn slots_of<'a>(sets: *mut Set, set: usize) -> &'a mut [Slot; WAYS] {
    &mut (*sets.add(set)).0
}

/// The answer `work_out` gives for `key`, from this thread's memo when `owner` asked it before.
/// `work_out` must always give the same answer for the same owner and key.
pub fn remembered(owner: u32, key: &str, work_out: impl FnOnce() -> u32) -> u32 {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > KEY_MAX {
        return work_out();
    }
    let name = key_words(bytes);
    let set = set_of(owner, &name);
    let sets = sets();
    {
        // SAFETY: set_of gives a set below SET_COUNT; the sets are this thread's alone, and the
        // slots are let go before anything else can reach them
        let slots = unsafe { slots_of(sets, set) };
        if let Some(way) = (0..WAYS).find(|&w| slots[w][..3] == name && slots[w][3] as u32 == owner)
        {
            let answer = (slots[way][3] >> 32) as u32;
            if way > 0 {
                move_to_front(slots, way);
            }
            return answer;
        }
    }
    // worked out with no slot held: the work may ask the memo other questions
    let answer = work_out();
    // SAFETY: as above; `sets` is still this thread's, which is alive while it runs this
    let slots = unsafe { slots_of(sets, set) };
    move_to_front(slots, WAYS - 1);
    slots[0] = [
        name[0],
        name[1],
        name[2],
        u64::from(owner) | u64::from(answer) << 32,
    ];
    answer
}

/// Starts bringing the set `key` would be looked for in into the cache, so that a question about it
/// asked a little later does not wait for memory. Does nothing else.
pub fn prefetch(owner: u32, key: &str) {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes.len() > KEY_MAX {
        return;
    }
    // elsewhere the hint is not given, and the hash is not worth working out
    #[cfg(target_arch = "x86_64")]
    {
        let set = set_of(owner, &key_words(bytes));
        // SAFETY: set_of gives a set below SET_COUNT, so the pointer is inside this thread's sets;
        // prefetching reads nothing the program sees
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(sets().add(set).cast::<i8>());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = owner;
}

/// A key of 1..=[`KEY_MAX`] bytes as a slot holds it: zero-padded to 24 bytes, its length in the
/// last, read as three little-endian words. Built from a few whole-word reads rather than by copying
/// into a buffer, which for a key of unknown length is a call to `memcpy`.
fn key_words(bytes: &[u8]) -> [u64; 3] {
    let mut name = [0u64; 3];
    for (word, chunk) in name.iter_mut().zip(bytes.chunks_exact(8)) {
        *word = u64::from_le_bytes(chunk.try_into().unwrap());
    }
    let whole = bytes.len() / 8;
    let tail = &bytes[whole * 8..];
    if !tail.is_empty() {
        name[whole] = partial_word(tail);
    }
    name[2] |= (bytes.len() as u64) << 56;
    name
}

/// 1..=7 bytes as the low bytes of a word, the high ones zero. Two reads that overlap cover them
/// (the bytes both read land on the same place in each).
fn partial_word(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 4 {
        let low = u64::from(u32::from_le_bytes(b[..4].try_into().unwrap()));
        let high = u64::from(u32::from_le_bytes(b[n - 4..].try_into().unwrap()));
        low | high << ((n - 4) * 8)
    } else {
        u64::from(b[0]) | u64::from(b[n / 2]) << (n / 2 * 8) | u64::from(b[n - 1]) << ((n - 1) * 8)
    }
}

/// Makes `way` the most recently asked slot of its set, the ones before it each moving one down.
/// (Most hits are on way 0, which stays where it is; the slice's own `rotate_right` is a general
/// algorithm costing several times this for four slots.)
fn move_to_front(slots: &mut [Slot; WAYS], way: usize) {
    let asked = slots[way];
    for w in (1..=way).rev() {
        slots[w] = slots[w - 1];
    }
    slots[0] = asked;
}

fn set_of(owner: u32, name: &[u64; 3]) -> usize {
    const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
    let h = name.iter().fold(u64::from(owner), |h, &w| {
        (h ^ w).wrapping_mul(MIX).rotate_left(29)
    });
    (h.wrapping_mul(MIX) >> (64 - SET_BITS)) as usize
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
    fn keys_are_read_as_their_zero_padded_bytes_and_length() {
        let mut state = 7u64;
        for len in 1..=KEY_MAX {
            for _ in 0..50 {
                let bytes: Vec<u8> = (0..len)
                    .map(|_| 1 + crate::next_below(&mut state, 255) as u8)
                    .collect();
                let mut padded = [0u8; 24];
                padded[..len].copy_from_slice(&bytes);
                padded[KEY_MAX] = len as u8;
                let plain: [u64; 3] = std::array::from_fn(|i| {
                    u64::from_le_bytes(padded[i * 8..i * 8 + 8].try_into().unwrap())
                });
                assert_eq!(key_words(&bytes), plain, "{bytes:?}");
            }
        }
    }

    #[test]
    fn a_slot_moved_to_the_front_keeps_the_others_in_order() {
        for way in 0..WAYS {
            let mut slots: [Slot; WAYS] = std::array::from_fn(|w| [w as u64; 4]);
            move_to_front(&mut slots, way);
            let mut expected: Vec<Slot> = (0..WAYS).map(|w| [w as u64; 4]).collect();
            let asked = expected.remove(way);
            expected.insert(0, asked);
            assert_eq!(slots.to_vec(), expected, "way {way}");
        }
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
    fn keys_asked_often_outlast_a_stream_of_keys_asked_once() {
        let owner = fresh_owner();
        // a few thousand recurring names, each followed by a name never seen again: a table where
        // any new key could evict any old one would keep losing the recurring ones
        let recurring: Vec<String> = (0..3_000).map(|i| format!("town {i}")).collect();
        let mut once = 0;
        let mut worked_out = 0;
        for round in 0..6 {
            for key in &recurring {
                let from_memo = remembered(owner, key, || {
                    if round > 1 {
                        worked_out += 1;
                    }
                    answer_of(key)
                }) == answer_of(key);
                assert!(from_memo);
                once += 1;
                let one_off = format!("one-off {once}");
                assert_eq!(
                    remembered(owner, &one_off, || answer_of(&one_off)),
                    answer_of(&one_off)
                );
            }
        }
        // after two rounds to settle, most recurring names are answered from the memo (about 95%
        // here; a direct-mapped table of as many slots loses about a third of them each round)
        assert!(
            worked_out < 12_000 / 10,
            "{worked_out} of 12,000 worked out again"
        );
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
