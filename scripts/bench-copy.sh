#!/bin/bash
# Measures how fast the installer copies a system onto a fresh disk, against the tools it
# competes with, from cold caches:
#   from the squashfs image:  the installer (--copy-only), unsquashfs, rsync from the mounted image
#   from a directory (the image extracted once onto an ext4 filesystem of its own):
#                             the installer (--copy-only), cp -a, rsync
# Each measurement copies onto a fresh ext4 filesystem on a sparse loop image, after
# `sync; echo 3 > /proc/sys/vm/drop_caches`, and counts until the target filesystem holds the
# copy (syncfs of the target included, so a tool that leaves more dirty pages behind gains
# nothing; BENCH_SYNC=0 leaves it out). Prints one line per measurement,
#   RESULT source=squashfs|dir tool=installer|unsquashfs|rsync|cp seconds=S
# then the ratios against the goals (medians when BENCH_RUNS > 1).
# Usage (as root): scripts/bench-copy.sh [IMAGE.squashfs]
#   IMAGE defaults to the live root that scripts/live-root.sh builds.
#   BENCH_RUNS=N repeats every measurement N times (default 1).
#   BENCH_DIR=DIR holds the images (default: a new directory under /var/tmp).
# Needs squashfs-tools, rsync, e2fsprogs (scripts/setup.sh installs them) and cargo.
set -euo pipefail

log() { echo "bench-copy.sh: $*" >&2; }
die() {
    log "$*"
    exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (it mounts loop devices and drops caches)"
for tool in unsquashfs rsync cp mkfs.ext4 losetup cargo; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh installs it)"
done
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-1}
sync_target=${BENCH_SYNC:-1}

image=${1:-}
if [ -z "$image" ]; then
    image=$("$here/scripts/live-root.sh" | tail -n 1)
fi
[ -f "$image" ] || die "$image is not a squashfs image"
image=$(readlink -f "$image")

log "building the daemon (release)"
(cd "$here" && cargo build --release --locked -q -p levitate-installerd)
installer=${CARGO_TARGET_DIR:-$here/target}/release/levitate-installerd
[ -x "$installer" ] || die "no daemon binary at $installer"

work=${BENCH_DIR:-$(mktemp -d /var/tmp/bench-copy.XXXXXX)}
mkdir -p "$work"
mounts=()
loops=()
cleanup() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
    done
    for l in "${loops[@]}"; do
        losetup -d "$l" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Attaches IMAGE and mounts it at DIR with OPTIONS; remembered for cleanup.
attach() {
    local img=$1 dir=$2 opts=$3 dev
    dev=$(losetup --find --show "$img")
    loops+=("$dev")
    mkdir -p "$dir"
    mount -o "$opts" "$dev" "$dir"
    mounts+=("$dir")
}

# Unmounts the last mount and detaches the last loop device.
detach_last() {
    umount "${mounts[-1]}"
    unset 'mounts[-1]'
    losetup -d "${loops[-1]}"
    unset 'loops[-1]'
}

# A fresh ext4 filesystem on a sparse image of SIZE bytes, mounted at DIR. noinit_itable: no
# background zeroing of inode tables while a tool is measured.
fresh_ext4() {
    local img=$1 size=$2 dir=$3
    rm -f "$img"
    truncate -s "$size" "$img"
    mkfs.ext4 -q -F "$img"
    attach "$img" "$dir" noinit_itable
}

# Room for the extracted image: squashfs compresses a root about 3x; leave plenty (sparse).
size=$(($(stat -c %s "$image") * 8 + (2 << 30)))
target="$work/target"

declare -A times
# measure SOURCE TOOL COMMAND...: one copy onto a fresh target, from cold caches.
measure() {
    local source=$1 tool=$2
    shift 2
    fresh_ext4 "$work/target.img" "$size" "$target"
    sync
    echo 3 >/proc/sys/vm/drop_caches
    local start end
    start=$(date +%s.%N)
    if ! "$@" >"$work/tool.log" 2>&1; then
        tail -n 20 "$work/tool.log" >&2
        die "$tool from $source failed: $*"
    fi
    if [ "$sync_target" = 1 ]; then
        sync -f "$target"
    fi
    end=$(date +%s.%N)
    local seconds
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    echo "RESULT source=$source tool=$tool seconds=$seconds"
    times[$source.$tool]="${times[$source.$tool]:-} $seconds"
    detach_last
    rm -f "$work/target.img"
}

# The median of the runs' seconds.
median() {
    # shellcheck disable=SC2086
    printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

log "source image: $image"
attach "$image" "$work/squashfs" ro
log "extracting the image once onto its own ext4 filesystem (the directory source)"
fresh_ext4 "$work/dir.img" "$size" "$work/dir"
unsquashfs -q -f -d "$work/dir" "$image" >/dev/null
mount -o remount,ro "$work/dir"
threads=$(nproc)

for ((run = 1; run <= runs; run++)); do
    measure squashfs installer "$installer" --log stderr --copy-only "$image" --copy-to "$target"
    measure squashfs unsquashfs unsquashfs -f -d "$target" -p "$threads" "$image"
    measure squashfs rsync rsync -aHAXS "$work/squashfs/" "$target/"
    measure dir installer "$installer" --log stderr --copy-only "$work/dir" --copy-to "$target"
    measure dir cp cp -a "$work/dir/." "$target/"
    measure dir rsync rsync -aHAXS "$work/dir/" "$target/"
done

# ratio NAME A B GOAL_OP GOAL: prints A/B and whether it meets the goal.
ratio() {
    local name=$1 a b r verdict
    a=$(median "${times[$2]}")
    b=$(median "${times[$3]}")
    r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
    if awk -v r="$r" -v op="$4" -v g="$5" 'BEGIN { exit !(op == "<=" ? r <= g : r >= g) }'; then
        verdict=met
    else
        verdict=MISSED
    fi
    echo "RATIO $name=$r goal $4 $5: $verdict"
}
ratio "squashfs installer/unsquashfs" squashfs.installer squashfs.unsquashfs "<=" 1.15
ratio "squashfs rsync/installer" squashfs.rsync squashfs.installer ">=" 2
ratio "dir cp/installer" dir.cp dir.installer ">=" 1.25
