//! The `mentionmap` command: a thin layer over the library; each subcommand lives in `src/cmd/`.

mod cmd;

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned};

// Geoparsing a corpus makes millions of small strings (words, names, mentions); mimalloc's size-class
// pages and thread caches make those allocations several times cheaper than the system allocator.
#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc, asked through its plain entry points whenever they give the alignment wanted. Every
/// block mimalloc hands out is aligned to at least a machine word, and its aligned entry points cost
/// about twice as much per call; nearly all of our allocations want a word or less.
struct Mimalloc;

const WORD_ALIGN: usize = std::mem::size_of::<usize>();

unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD_ALIGN {
            mi_malloc(layout.size()).cast()
        } else {
            mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi_free(ptr.cast::<c_void>());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= WORD_ALIGN {
            mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}

fn main() -> std::process::ExitCode {
    cmd::main()
}
