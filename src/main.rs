//! The `mentionmap` command: a thin layer over the library; each subcommand lives in `src/cmd/`.

mod cmd;

// Geoparsing a corpus makes millions of small strings (words, names, mentions); mimalloc's size-class
// pages and thread caches make those allocations several times cheaper than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cmd::main()
}
