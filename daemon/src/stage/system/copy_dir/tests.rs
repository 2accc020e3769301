//! The copier on two fresh ext4 loop filesystems, read back with stat, getcap, getfacl,
//! getfattr.

use std::{os::unix::net::UnixListener, process::Command};

use super::*;
use crate::testutil::{require_root, require_tool, sh, LoopDisk};

/// A fresh ext4 filesystem (xattrs, ACLs and capabilities supported, unlike tmpfs) on a
/// loop disk, mounted at the disk's target; unmounted and detached on drop.
fn ext4(size: u64) -> (LoopDisk, PathBuf) {
    let disk = LoopDisk::new(size);
    sh(Command::new("mkfs.ext4").args(["-q", "-F", &disk.dev]));
    let mnt = PathBuf::from(disk.target());
    fs::create_dir_all(&mnt).expect("mount point");
    sh(Command::new("mount").arg(&disk.dev).arg(&mnt));
    (disk, mnt)
}

fn copy(source: &Path, target: &Path) -> ExecResult<u64> {
    let mut last = 0;
    copy_tree(source, target, &CancellationToken::new(), &mut |b| {
        assert!(b >= last, "progress went back from {last} to {b}");
        last = b;
    })
    .map(|()| last)
}

fn run_in(dir: &Path, tool: &str, args: &[&str]) -> String {
    sh(Command::new(tool).args(args).current_dir(dir))
}

fn stat(dir: &Path, format: &str, path: &str) -> String {
    run_in(dir, "stat", &["-c", format, path]).trim().to_owned()
}

/// What a live root holds that a naive copy loses, built with the system's own tools.
const TREE: &str = r"
    set -e
    mkdir -p usr/bin usr/lib etc/acl-dir etc/opaque home/user lib/udev/devices var/lib \
        proc/1 tmp srv/other usr/share/doc/old/deeper
    printf ping > usr/bin/ping && setcap cap_net_raw+ep usr/bin/ping
    printf su > usr/bin/su && chmod 4755 usr/bin/su
    printf tool > usr/bin/tool && chown 1234:5678 usr/bin/tool && chmod 6750 usr/bin/tool
    printf linked > etc/first && ln etc/first usr/lib/second
    mknod lib/udev/devices/null c 1 3 && chmod 666 lib/udev/devices/null
    mkfifo var/fifo
    truncate -s 1G var/lib/sparse.img
    printf middle | dd of=var/lib/sparse.img bs=1 seek=536870912 conv=notrunc status=none
    printf acl > etc/acl-file && setfacl -m u:1234:rwx etc/acl-file
    setfacl -d -m u:1234:rx etc/acl-dir
    printf x > etc/xattr-file
    setfattr -n user.note -v hello etc/xattr-file
    setfattr -n trusted.kept -v yes etc/xattr-file
    setfattr -n trusted.overlay.opaque -v y etc/opaque
    setfattr -n user.kept -v 1 etc/opaque
    printf lib > usr/lib/libx.so.1 && ln -s libx.so.1 usr/lib/libx.so
    ln -s /nonexistent etc/dangling && chown -h 1234:5678 etc/dangling
    touch -h -d '2002-03-04 05:06:07.5' etc/dangling
    printf old > usr/share/doc/old/deeper/file
    touch -d '2001-02-03 04:05:06.123456789' usr/share/doc/old/deeper/file \
        usr/share/doc/old/deeper usr/share/doc/old
    printf mine > home/user/file && chown -R 1234:5678 home/user && chmod 700 home/user
    printf 1 > proc/1/status && chmod 555 proc
    printf t > tmp/junk && chmod 1777 tmp
    dd if=/dev/zero of=swapfile bs=1M count=1 status=none && chmod 600 swapfile
    mkswap swapfile > /dev/null
    mount -t tmpfs other srv/other && printf other > srv/other/file
";

#[test]
fn a_live_root_is_copied_with_everything_a_system_needs() {
    require_root("the copier's tests make device nodes and files of other owners");
    for tool in [
        "mkfs.ext4",
        "setcap",
        "getcap",
        "setfacl",
        "getfacl",
        "setfattr",
    ] {
        require_tool(&[tool]);
    }
    require_tool(&["getfattr"]);
    require_tool(&["mkswap"]);
    let (_from, from) = ext4(256 * MIB);
    let (_to, dst) = ext4(256 * MIB);
    let src = from.join("root");
    fs::create_dir(&src).expect("source root");
    run_in(&src, "sh", &["-c", TREE]);
    drop(UnixListener::bind(src.join("var/socket")).expect("socket"));

    let bytes = copy(&src, &dst).expect("copy");

    assert!(bytes >= 1 << 30, "progress counts the sparse file: {bytes}");
    // Every node as stat shows it: type, mode, owner, size, device, times in ns.
    let node = "%F %a %u:%g %s %t:%T %y %x";
    for path in [
        "usr/bin/ping",
        "usr/bin/su",
        "usr/bin/tool",
        "etc/first",
        "usr/lib/second",
        "lib/udev/devices/null",
        "var/fifo",
        "var/socket",
        "var/lib/sparse.img",
        "etc/acl-file",
        "etc/xattr-file",
        "usr/lib/libx.so.1",
        "usr/share/doc/old/deeper/file",
        "home/user/file",
    ] {
        assert_eq!(stat(&dst, node, path), stat(&src, node, path), "{path}");
    }
    // Reading a link is an access: the source's atime moves, the copy keeps the old one.
    let link = "%F %a %u:%g %s %y";
    for path in ["usr/lib/libx.so", "etc/dangling"] {
        assert_eq!(stat(&dst, link, path), stat(&src, link, path), "{path}");
    }
    assert_eq!(
        stat(&dst, "%u:%g %y", "etc/dangling"),
        "1234:5678 2002-03-04 05:06:07.500000000 +0000"
    );
    // Directories: their times set after their contents.
    let dir = "%F %a %u:%g %y";
    for path in [
        "usr/share/doc/old",
        "usr/share/doc/old/deeper",
        "home/user",
        "etc/acl-dir",
        "proc",
        "tmp",
    ] {
        assert_eq!(stat(&dst, dir, path), stat(&src, dir, path), "{path}");
    }
    assert_eq!(stat(&dst, "%Y", "usr/share/doc/old"), "981173106");
    assert_eq!(stat(&dst, "%a %u:%g", "usr/bin/su"), "4755 0:0");
    assert_eq!(stat(&dst, "%a %u:%g", "usr/bin/tool"), "6750 1234:5678");
    assert_eq!(stat(&dst, "%a %u", "home/user"), "700 1234");
    assert_eq!(
        stat(&dst, "%F %t:%T", "lib/udev/devices/null"),
        "character special file 1:3"
    );
    assert_eq!(stat(&dst, "%F", "var/fifo"), "fifo");
    assert_eq!(stat(&dst, "%F", "var/socket"), "socket");
    // One inode, two names.
    assert_eq!(
        stat(&dst, "%i %h", "etc/first"),
        stat(&dst, "%i %h", "usr/lib/second")
    );
    assert_eq!(stat(&dst, "%h", "etc/first"), "2");
    // The capability survives the chown that would clear it.
    let caps = run_in(&dst, "getcap", &["usr/bin/ping"]);
    assert!(caps.contains("cap_net_raw=ep"), "getcap: {caps}");
    // The sparse file keeps its size and data, and its holes.
    assert_eq!(stat(&dst, "%s", "var/lib/sparse.img"), "1073741824");
    let blocks: u64 = stat(&dst, "%b", "var/lib/sparse.img")
        .parse()
        .expect("blocks");
    let block: u64 = stat(&dst, "%B", "var/lib/sparse.img")
        .parse()
        .expect("size");
    assert!(
        blocks * block <= MIB,
        "the sparse file takes {blocks} blocks"
    );
    let middle = run_in(
        &dst,
        "dd",
        &[
            "if=var/lib/sparse.img",
            "bs=1",
            "skip=536870912",
            "count=6",
            "status=none",
        ],
    );
    assert_eq!(middle, "middle");
    // ACLs, access and default.
    let acls = ["-p", "--omit-header", "etc/acl-file", "etc/acl-dir"];
    let copied = run_in(&dst, "getfacl", &acls);
    assert_eq!(copied, run_in(&src, "getfacl", &acls));
    assert!(copied.contains("user:1234:rwx"), "getfacl: {copied}");
    assert!(
        copied.contains("default:user:1234:r-x"),
        "getfacl: {copied}"
    );
    // Every xattr but overlayfs's own.
    let xattrs = run_in(
        &dst,
        "getfattr",
        &["-h", "-d", "-m", "-", "etc/xattr-file", "etc/opaque"],
    );
    for kept in [
        "user.note=\"hello\"",
        "trusted.kept=\"yes\"",
        "user.kept=\"1\"",
    ] {
        assert!(xattrs.contains(kept), "{kept} lost: {xattrs}");
    }
    assert!(!xattrs.contains("trusted.overlay"), "copied: {xattrs}");
    assert_eq!(
        run_in(&dst, "readlink", &["usr/lib/libx.so", "etc/dangling"]),
        "libx.so.1\n/nonexistent\n"
    );
    // Left out: the excluded directory's contents, another filesystem's, swap.
    for empty in ["proc", "tmp", "srv/other"] {
        let n = fs::read_dir(dst.join(empty)).expect(empty).count();
        assert_eq!(n, 0, "{empty} has {n} entries");
    }
    assert!(!dst.join("swapfile").exists(), "the swap file was copied");
}

#[test]
fn a_target_inside_the_source_is_not_copied_into_itself() {
    require_root("the copier's tests copy files of other owners");
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("tree");
    let dst = src.join("inner/copy");
    fs::create_dir_all(&dst).expect("tree");
    fs::write(src.join("inner/file"), "data").expect("file");

    copy(&src, &dst).expect("copy");

    assert_eq!(fs::read(dst.join("inner/file")).expect("copied"), b"data");
    assert!(!dst.join("inner/copy").exists(), "the target was copied");
}

#[test]
fn a_cancelled_copy_stops_before_writing() {
    require_root("the copier's tests copy files of other owners");
    let dir = tempfile::tempdir().expect("tempdir");
    let (src, dst) = (dir.path().join("src"), dir.path().join("dst"));
    fs::create_dir_all(src.join("a/b")).expect("tree");
    fs::write(src.join("a/file"), "data").expect("file");
    fs::create_dir(&dst).expect("target");
    let cancel = CancellationToken::new();
    cancel.cancel();

    let result = copy_tree(&src, &dst, &cancel, &mut |_| {});

    assert!(matches!(result, Err(ExecError::Cancelled)), "{result:?}");
    assert_eq!(fs::read_dir(&dst).expect("target").count(), 0);
}
