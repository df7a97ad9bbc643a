//! The `mentionmap` command: a thin layer over the library; each subcommand lives in `src/cmd/`.

mod cmd;

fn main() -> std::process::ExitCode {
    cmd::main()
}
