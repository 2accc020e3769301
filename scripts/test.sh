#!/usr/bin/env bash
# Builds everything and runs every test: unit tests, and the end-to-end tests that start a
# real system bus, the real polkitd and the daemon (they need root). Ends with one
# "N passed, N failed" line over all test binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x "$HOME/.cargo/bin/cargo" ] && PATH="$HOME/.cargo/bin:$PATH"
cargo fmt --all -- --check
cargo build --workspace --locked
cargo clippy --workspace --all-targets --locked -- -D warnings
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
timings=target/debug/e2e-timings.txt
rm -f "$timings"
cargo test --workspace --locked 2>&1 | tee "$log" || status=$?
# What the boot tests measured (install and boot seconds of each variant).
if [ -f "$timings" ]; then sed "s/^/TIMING /" "$timings"; fi
# The language-model server's tests, against the real model provisioned by setup.sh.
/opt/levitate-installer/venv/bin/python3 -m pytest -q -p no:cacheprovider python/tests 2>&1 | tee -a "$log" || status=$?
awk '/^test result:/ || / (passed|failed)(,| in )/ {
         for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
