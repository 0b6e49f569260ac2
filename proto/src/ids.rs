//! User and group ids, shared by the daemon (`--allow-uid`, `--allow-gid`) and the clients
//! (`KCACHE_DAEMON_UID`): parsing a number or a name, and naming a uid in a message.

use std::ffi::{CStr, CString};

/// The effective uid of this process.
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// A uid given as a number or a user name.
pub fn parse_uid(text: &str) -> Result<u32, String> {
    let text = text.trim();
    if let Ok(n) = text.parse() {
        return Ok(n);
    }
    lookup(text, Kind::User).ok_or_else(|| format!("'{text}' is neither a uid nor a known user name"))
}

/// A gid given as a number or a group name.
pub fn parse_gid(text: &str) -> Result<u32, String> {
    let text = text.trim();
    if let Ok(n) = text.parse() {
        return Ok(n);
    }
    lookup(text, Kind::Group).ok_or_else(|| format!("'{text}' is neither a gid nor a known group name"))
}

/// `uid 1001 (mallory)`, or `uid 1001` when the uid has no account.
pub fn describe_uid(uid: u32) -> String {
    match user_name(uid) {
        Some(name) => format!("uid {uid} ({name})"),
        None => format!("uid {uid}"),
    }
}

#[derive(Clone, Copy)]
enum Kind {
    User,
    Group,
}

/// Buffer size for the reentrant passwd/group calls; they say ERANGE when it is too small.
const LOOKUP_BUF: usize = 16 * 1024;

fn lookup(name: &str, kind: Kind) -> Option<u32> {
    let cname = CString::new(name).ok()?;
    let mut buf = vec![0 as libc::c_char; LOOKUP_BUF];
    match kind {
        Kind::User => {
            // SAFETY: zeroed passwd is a valid out-parameter; getpwnam_r fills it or not.
            let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
            let mut result = std::ptr::null_mut();
            // SAFETY: every pointer is valid for the call and buf's length is passed.
            let rc = unsafe { libc::getpwnam_r(cname.as_ptr(), &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
            (rc == 0 && !result.is_null()).then_some(pwd.pw_uid)
        }
        Kind::Group => {
            // SAFETY: as above, for group.
            let mut grp: libc::group = unsafe { std::mem::zeroed() };
            let mut result = std::ptr::null_mut();
            // SAFETY: every pointer is valid for the call and buf's length is passed.
            let rc = unsafe { libc::getgrnam_r(cname.as_ptr(), &mut grp, buf.as_mut_ptr(), buf.len(), &mut result) };
            (rc == 0 && !result.is_null()).then_some(grp.gr_gid)
        }
    }
}

fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; LOOKUP_BUF];
    // SAFETY: zeroed passwd is a valid out-parameter.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result = std::ptr::null_mut();
    // SAFETY: every pointer is valid for the call and buf's length is passed.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points into buf, NUL-terminated by getpwuid_r.
    Some(unsafe { CStr::from_ptr(pwd.pw_name) }.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_names() {
        assert_eq!(parse_uid("1234"), Ok(1234));
        assert_eq!(parse_gid(" 55 "), Ok(55));
        assert_eq!(parse_uid("root"), Ok(0));
        assert_eq!(parse_gid("root"), Ok(0));
        assert!(parse_uid("no-such-user-kcache")
            .unwrap_err()
            .contains("no-such-user-kcache"));
        assert_eq!(describe_uid(0), "uid 0 (root)");
        assert_eq!(describe_uid(4_000_000_000), "uid 4000000000");
    }
}
