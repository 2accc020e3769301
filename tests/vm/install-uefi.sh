#!/bin/sh
# Runs inside the test VM (tests/tests/e2e/boot.rs): two real installations of the reference
# live root (/payload/filesystem.squashfs, made by scripts/live-root.sh) through the daemon's
# D-Bus API onto the VM's blank virtio disks, with what this host's kernel lacks and the VM
# has (FAT for the ESP, device-mapper for LUKS):
#   vdc: UEFI, GPT, ext4 root with a btrfs /home, and vde: a second disk of the same
#        installation, its /srv (one plan, two partition tables);
#   vdd: UEFI, GPT, LUKS2-encrypted root, German keyboard, a menu entry for vdc's system.
# The host then boots each disk with OVMF and checks it from the serial console. Prints
# `CHECK name ok|FAIL` lines.
set -u
. /payload/common.sh
/payload/levitate-installerd --llm=off --firmware=uefi --source /payload/filesystem.squashfs \
    --log stderr 2>/tmp/daemon.log &
daemon=$!
wait_for_daemon
check daemon-up $ctl status
password=$(cat /payload/password)

install() { # disk, partition scheme, name, keyboard layout, [more partition actions]
    $ctl propose "[{\"action\":\"partition\",\"disk\":\"$1\",\"scheme\":$2},${5:-}
      {\"action\":\"copy_system\"},
      {\"action\":\"set_hostname\",\"name\":\"$3\"},
      {\"action\":\"set_keyboard\",\"layout\":\"$4\"},
      {\"action\":\"set_timezone\",\"zone\":\"Europe/Berlin\"},
      {\"action\":\"create_user\",\"name\":\"vince\",\"sudo\":true},
      {\"action\":\"set_password\",\"user\":\"vince\"},
      {\"action\":\"install_bootloader\",\"kernel_args\":\"console=ttyS0,115200\"},
      {\"action\":\"finish\",\"reboot\":false}]" > /tmp/plan-$3.txt 2>&1 || { cat /tmp/plan-$3.txt; return 1; }
    if grep -q "secret luks" /tmp/plan-$3.txt; then
        $ctl plan secret luks < /payload/passphrase || return 1
    fi
    printf '%s' "$password" | $ctl plan secret password:vince || return 1
    $ctl plan confirm --watch > /tmp/job-$3.txt 2>&1
    rc=$?
    tail -n 3 /tmp/job-$3.txt
    return $rc
}
started=$(date +%s)
check uefi-btrfs-home-install install /dev/vdc '[{"mount":"/","fs":"ext4","size":"4G"},{"mount":"/home","fs":"btrfs"}]' uefibox us \
    '{"action":"partition","disk":"/dev/vde","scheme":[{"mount":"/srv","fs":"ext4"}]},'
check data-disk-plan grep -q "/dev/vde.* for /srv of the new system" /tmp/plan-uefibox.txt
check data-disk-alone sh -c 'sfdisk -d /dev/vde | grep -c "^/dev/vde" | grep -qx 1'
check data-disk-ext4 test "$(blkid -p -o value -s TYPE /dev/vde1)" = ext4
echo "TIME uefi-btrfs-home-install $(( $(date +%s) - started ))"
# The firmware's fallback loader, read from the ESP with mtools (no mount needed).
check uefi-fallback-loader sh -c 'mdir -i /dev/vdc1 ::/EFI/BOOT | grep -qi bootx64'
check uefi-grub-entry sh -c 'mdir -i /dev/vdc1 ::/EFI | grep -qi levitate'
started=$(date +%s)
# vdc now holds a Debian: the second install's boot menu gets an entry for it (os-prober);
# its German layout goes into the initramfs, for the passphrase prompt.
check uefi-luks-install install /dev/vdd '[{"mount":"/","encrypt":true}]' luksbox de
echo "TIME uefi-luks-install $(( $(date +%s) - started ))"
check luks-root-header sh -c 'cryptsetup luksDump /dev/vdd3 | grep -q "^Version:[[:space:]]*2"'
check targets-released sh -c '! findmnt -R /mnt/levitate >/dev/null && ! ls /dev/mapper | grep -q luks-'
kill "$daemon"
wait "$daemon" 2>/dev/null
check no-secret-in-log sh -c "! grep -q -F \"$password\" /tmp/daemon.log"
sync
