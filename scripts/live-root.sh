#!/bin/sh
# Builds, once, the live root the installer copies onto the target disk: a small but real
# Debian 12 (bookworm) made with debootstrap (minbase plus a kernel, GRUB for BIOS and UEFI,
# cryptsetup in the initramfs, the file system tools), made to look like a live system
# (hostname levitate-live, a `live` user with passwordless sudo, which the installer must
# not carry into the installed system), packed as a zstd squashfs in the usual live-ISO
# layout:
#   /var/cache/levitate-installer/live-root/RECIPE/live/filesystem.squashfs   the root
#   (RECIPE: a hash of what it is built from, so versions of this script do not collide)
#   .../live/filesystem.size       its uncompressed size in bytes (for progress)
#   .../live/filesystem.packages   "package version" per line (dpkg-query)
#   .../stamp                      what it was built from; the image is current when it matches
# Prints the image's path as the last line of stdout (everything else goes to stderr).
# Idempotent: when the image and a matching stamp are there it only prints the path.
# As root; needs debootstrap and squashfs-tools (scripts/setup.sh installs both) and
# Debian's package archive. A few minutes the first time.
set -eu
cache_root=${LEVITATE_LIVE_CACHE:-/var/cache/levitate-installer/live-root}
mirror=${LEVITATE_LIVE_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
# Bump when anything below changes the image other than the package list.
version=2
packages=linux-image-amd64,initramfs-tools,grub-pc-bin,grub-efi-amd64-bin,grub2-common,os-prober,cryptsetup,cryptsetup-initramfs,sudo,locales,keyboard-configuration,console-setup,kbd,tzdata,systemd-sysv,udev,login,passwd,e2fsprogs,btrfs-progs,xfsprogs,dosfstools,util-linux,procps,iproute2,zstd
stamp_text="version=$version suite=$suite variant=minbase packages=$packages"
# One directory per recipe: checkouts with different versions of this script each find
# their own image instead of rebuilding over each other's.
cache="$cache_root/$(printf '%s' "$stamp_text" | sha256sum | cut -c1-12)"
image="$cache/live/filesystem.squashfs"

log() { echo "live-root.sh: $*" >&2; }

current() {
    [ -f "$image" ] && [ -f "$cache/stamp" ] && [ "$(cat "$cache/stamp")" = "$stamp_text" ]
}

if current; then
    echo "$image"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    log "run as root (debootstrap and chroot need it)"
    exit 1
fi
for tool in debootstrap mksquashfs chroot flock setcap; do
    command -v "$tool" >/dev/null || { log "$tool is missing (scripts/setup.sh installs it)"; exit 1; }
done

mkdir -p "$cache/live"
# One build at a time: a second caller waits, then finds the image current.
exec 9>"$cache/.lock"
flock 9
if current; then
    echo "$image"
    exit 0
fi

# Built in a temporary directory on the same file system, moved into place with rename(2).
tmp=$(mktemp -d "$cache/.build.XXXXXX")
root="$tmp/root"
cleanup() {
    status=$?
    # Never delete through a mount point left behind inside the chroot (a bound /dev or /proc).
    if [ -d "$tmp" ]; then
        findmnt -rn -o TARGET | grep "^$tmp/" | sort -r | while read -r m; do
            umount -l "$m" 2>/dev/null || true
        done
        rm -rf --one-file-system "$tmp"
    fi
    [ "$status" -eq 0 ] || log "failed (exit $status); nothing was changed in $cache"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C.UTF-8 LANG=C.UTF-8
start=$(date +%s)
log "debootstrap $suite (minbase + $(echo "$packages" | tr ',' ' ' | wc -w) packages) from $mirror"
# zstd: initramfs-tools compresses with it by default (without it: a warning and gzip, a
# larger initrd that GRUB reads slowly in a VM).
# debootstrap follows Depends only, never Recommends: the root stays lean.
debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >&2
log "debootstrap done in $(( $(date +%s) - start )) s"

# A live system's identity. The installer replaces every one of these on the target.
echo levitate-live > "$root/etc/hostname"
chmod 0644 "$root/etc/hostname"  # debootstrap copied the build machine's file, mode and all
cat > "$root/etc/hosts" <<'EOF'
127.0.0.1	localhost
127.0.1.1	levitate-live
::1		localhost ip6-localhost ip6-loopback
ff02::1		ip6-allnodes
ff02::2		ip6-allrouters
EOF
cat > "$root/etc/fstab" <<'EOF'
# /etc/fstab of the LevitateOS live system: nothing to mount.
# The installer writes the installed system's own, by UUID.
EOF
# debootstrap copied the build machine's resolver configuration.
: > "$root/etc/resolv.conf"
# The live user: an empty password (console login without one) and passwordless sudo.
chroot "$root" useradd --create-home --shell /bin/bash --groups sudo --comment "Live user" live
chroot "$root" passwd --quiet --delete live
echo 'live ALL=(ALL:ALL) NOPASSWD: ALL' > "$root/etc/sudoers.d/live"
chmod 0440 "$root/etc/sudoers.d/live"
# One compiled locale besides C.UTF-8, so that locale settings can be tried out.
sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' "$root/etc/locale.gen"
chroot "$root" locale-gen >&2
echo 'LANG=C.UTF-8' > "$root/etc/default/locale"
# A machine-id of its own (systemd's postinst writes one; make sure of it).
if [ ! -s "$root/etc/machine-id" ]; then
    chroot "$root" systemd-machine-id-setup >&2
fi
# Files a copy must keep exactly, for the tests to check on the installed system: a file
# capability (an xattr chown would clear), a setuid binary, hard links, a device node, a
# fifo, a sparse file and a directory with an old time set after its contents. (squashfs
# keeps no ACLs; the directory copier's own tests cover those.)
fx="$root/opt/levitate-fixtures"
mkdir -p "$fx/old-dir"
cp "$root/usr/bin/true" "$fx/cap" && setcap cap_net_raw+ep "$fx/cap"
cp "$root/usr/bin/true" "$fx/setuid" && chmod 4755 "$fx/setuid"
echo linked > "$fx/link-a" && ln "$fx/link-a" "$fx/link-b"
mknod "$fx/null" c 1 3
mkfifo "$fx/fifo"
truncate -s 64M "$fx/sparse" && echo data | dd of="$fx/sparse" bs=1 seek=33554432 conv=notrunc status=none
echo inside > "$fx/old-dir/file"
touch -d '2001-02-03 04:05:06 UTC' "$fx/old-dir"
# Leave nothing mounted by the package scripts, then drop what is only a cache.
findmnt -rn -o TARGET | grep "^$root/" | sort -r | while read -r m; do umount -l "$m"; done
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/cache/apt/archives/partial/* "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old \
    "$root"/tmp/* "$root"/var/tmp/*
mkdir -p "$root/var/lib/apt/lists/partial"
find "$root/var/log" -type f -exec truncate -s 0 {} +

du -sb "$root" | awk '{print $1}' > "$tmp/filesystem.size"
chroot "$root" dpkg-query -W -f='${Package} ${Version}\n' > "$tmp/filesystem.packages"
log "root is $(( $(cat "$tmp/filesystem.size") / 1048576 )) MiB uncompressed, $(wc -l < "$tmp/filesystem.packages") packages; packing"
mksquashfs "$root" "$tmp/filesystem.squashfs" -comp zstd -noappend -quiet -no-progress >&2

# Into place: the stamp goes first (so a reader never pairs a new stamp with an old image)
# and is written last; each file is renamed over the old one.
rm -f "$cache/stamp"
mv -f "$tmp/filesystem.size" "$cache/live/filesystem.size"
mv -f "$tmp/filesystem.packages" "$cache/live/filesystem.packages"
mv -f "$tmp/filesystem.squashfs" "$image"
echo "$stamp_text" > "$tmp/stamp"
mv -f "$tmp/stamp" "$cache/stamp"
log "built in $(( $(date +%s) - start )) s: $image, $(( $(stat -c %s "$image") / 1048576 )) MiB"
echo "$image"
