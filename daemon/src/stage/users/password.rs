//! Password hashes: yescrypt, made by the system's libxcrypt (`crypt_gensalt_rn` for a
//! fresh salt from the kernel's random source, `crypt_rn` for the hash), the method Debian
//! uses for new passwords. The password only ever sits in zeroized buffers.

use std::ffi::{c_char, c_int, c_ulong, c_void, CStr};

use zeroize::Zeroizing;

use crate::stage::{ExecError, ExecResult};

#[link(name = "crypt")]
extern "C" {
    fn crypt_gensalt_rn(
        prefix: *const c_char,
        count: c_ulong,
        rbytes: *const c_char,
        nrbytes: c_int,
        output: *mut c_char,
        output_size: c_int,
    ) -> *mut c_char;
    fn crypt_rn(
        phrase: *const c_char,
        setting: *const c_char,
        data: *mut c_void,
        size: c_int,
    ) -> *mut c_char;
}

/// Bigger than libxcrypt's `struct crypt_data` (32 KiB), which `crypt_rn` works in.
const CRYPT_DATA: usize = 64 * 1024;

/// The yescrypt hash of `password` with a fresh salt, as `/etc/shadow` stores it.
pub fn yescrypt(password: &[u8]) -> ExecResult<String> {
    if password.is_empty() || password.contains(&0) {
        return Err(ExecError::Failed(
            "a password must not be empty or contain a NUL byte".into(),
        ));
    }
    let mut setting = [0 as c_char; 128];
    #[allow(
        unsafe_code,
        clippy::cast_possible_wrap,
        clippy::cast_possible_truncation
    )]
    // SAFETY: the prefix is a NUL-terminated literal; a null `rbytes` asks libxcrypt for
    // its own random bytes; `setting` is writable for the size given.
    let salt = unsafe {
        crypt_gensalt_rn(
            c"$y$".as_ptr(),
            0,
            std::ptr::null(),
            0,
            setting.as_mut_ptr(),
            setting.len() as c_int,
        )
    };
    if salt.is_null() {
        return Err(ExecError::Failed(
            "the system's libcrypt cannot make a yescrypt salt".into(),
        ));
    }
    let mut phrase = Zeroizing::new(Vec::with_capacity(password.len() + 1));
    phrase.extend_from_slice(password);
    phrase.push(0);
    let mut data = Zeroizing::new(vec![0u8; CRYPT_DATA]);
    #[allow(
        unsafe_code,
        clippy::cast_possible_wrap,
        clippy::cast_possible_truncation
    )]
    // SAFETY: `phrase` and `setting` are NUL-terminated; `data` is writable for the size
    // given, which is at least sizeof(struct crypt_data). The result points into `data`.
    let hash = unsafe {
        let out = crypt_rn(
            phrase.as_ptr().cast(),
            setting.as_ptr(),
            data.as_mut_ptr().cast(),
            data.len() as c_int,
        );
        if out.is_null() {
            None
        } else {
            Some(CStr::from_ptr(out).to_string_lossy().into_owned())
        }
    };
    match hash {
        Some(h) if h.starts_with("$y$") => Ok(h),
        _ => Err(ExecError::Failed(
            "the system's libcrypt cannot hash with yescrypt".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_yescrypt_salted_and_verify_with_the_system_crypt() {
        let a = yescrypt(b"correct horse").expect("hash");
        let b = yescrypt(b"correct horse").expect("hash");
        assert!(a.starts_with("$y$") && a.len() > 40, "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        // Verified by an implementation that shares no code with this one: Python's crypt
        // module, which calls the same libcrypt but through its own setting parsing.
        let verify = |password: &str| {
            let mut child = std::process::Command::new("python3")
                .args([
                    "-W",
                    "ignore",
                    "-c",
                    "import crypt,sys; print(crypt.crypt(sys.stdin.read(), sys.argv[1]) == sys.argv[1])",
                    &a,
                ])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("python3");
            std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), password.as_bytes())
                .expect("write");
            let out = child.wait_with_output().expect("python3");
            String::from_utf8_lossy(&out.stdout).trim() == "True"
        };
        assert!(verify("correct horse"));
        assert!(!verify("correct horsE"));
        assert!(yescrypt(b"").is_err());
        assert!(yescrypt(b"a\0b").is_err());
    }
}
