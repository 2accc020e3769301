#!/bin/sh
# Builds the cached VM image the real-disk tests boot under QEMU (TCG) for what this
# machine's kernel cannot do (device-mapper for LUKS, FAT mounts): a minimal Debian 12 made
# with debootstrap, with its kernel and initramfs next to it, and a root filesystem image
# made with `mkfs.ext4 -d` (no mount needed). The guest starts /sbin/levitate-vm-init
# instead of an init system: it mounts the payload disk, runs the scenario on it and
# powers off. Idempotent: does nothing when the image is there. As root.
set -eu
cache=${LEVITATE_VM_CACHE:-/var/cache/levitate-installer/vm}
mirror=${LEVITATE_VM_MIRROR:-http://deb.debian.org/debian}
version=2
if [ -f "$cache/ready-$version" ]; then
    echo "VM image ready in $cache"
    exit 0
fi
for tool in debootstrap mkfs.ext4 qemu-system-x86_64; do
    command -v "$tool" >/dev/null || { echo "build-image.sh: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done
rm -rf "$cache"
mkdir -p "$cache"
root="$cache/rootfs"
packages=linux-image-amd64,initramfs-tools,kmod,util-linux,mount,fdisk,dosfstools,e2fsprogs,btrfs-progs,xfsprogs,cryptsetup-bin,dbus,procps,python3,squashfs-tools,passwd,mtools
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror"
cat > "$root/sbin/levitate-vm-init" <<'INIT'
#!/bin/sh
# PID 1 of the test VM: mount what a system needs, run /payload/run.sh, report, power off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
for m in dm_mod dm_crypt vfat nls_cp437 nls_ascii nls_iso8859_1 xfs btrfs loop; do modprobe "$m" 2>/dev/null; done
mkdir -p /payload
mount -o ro /dev/vdb /payload
cd /payload
/bin/sh /payload/run.sh > /dev/ttyS0 2>&1
echo "LEVITATE-VM-EXIT $?" > /dev/ttyS0
sync
echo o > /proc/sysrq-trigger
sleep 10
INIT
chmod 755 "$root/sbin/levitate-vm-init"
cp "$root"/boot/vmlinuz-* "$cache/vmlinuz"
cp "$root"/boot/initrd.img-* "$cache/initrd.img"
# Room for the scenario's own files; the disk is used with snapshot=on, so it stays clean.
mkfs.ext4 -q -F -L levitate-vm -d "$root" "$cache/root.img" 2G
rm -rf "$root"
touch "$cache/ready-$version"
echo "VM image built in $cache"
