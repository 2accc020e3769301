#!/bin/sh
# Builds everything and runs every test: unit tests, and the end-to-end tests that start a
# real system bus, the real polkitd and the daemon (they need root).
set -eu
cd "$(dirname "$0")/.."
[ -x "$HOME/.cargo/bin/cargo" ] && PATH="$HOME/.cargo/bin:$PATH"
cargo fmt --all -- --check
cargo build --workspace --locked
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
