//! `errno` values the model returns (socket calls, rtnetlink requests, sysctl writes), with
//! glibc's `strerror` texts, which the tools print (`RTNETLINK answers: File exists`).

use std::fmt;

/// An errno value. The variants are the kernel's names; add one where the kernel returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Errno {
    EPERM,
    ENOENT,
    ESRCH,
    ENOBUFS,
    EEXIST,
    ENODEV,
    EINVAL,
    ERANGE,
    EBUSY,
    ELOOP,
    EOPNOTSUPP,
    EAFNOSUPPORT,
    EADDRINUSE,
    EADDRNOTAVAIL,
    ENETDOWN,
    ENETUNREACH,
    ECONNRESET,
    ENOTCONN,
    ETIMEDOUT,
    ECONNREFUSED,
    EHOSTUNREACH,
    EPIPE,
    EACCES,
    EMSGSIZE,
    EXDEV,
    ENOTEMPTY,
    EPROTONOSUPPORT,
}

impl Errno {
    pub fn strerror(self) -> &'static str {
        match self {
            Errno::EPERM => "Operation not permitted",
            Errno::ENOENT => "No such file or directory",
            Errno::ESRCH => "No such process",
            Errno::ENOBUFS => "No buffer space available",
            Errno::EEXIST => "File exists",
            Errno::ENODEV => "No such device",
            Errno::EINVAL => "Invalid argument",
            Errno::ERANGE => "Numerical result out of range",
            Errno::EBUSY => "Device or resource busy",
            Errno::ELOOP => "Too many levels of symbolic links",
            Errno::EOPNOTSUPP => "Operation not supported",
            Errno::EAFNOSUPPORT => "Address family not supported by protocol",
            Errno::EADDRINUSE => "Address already in use",
            Errno::EADDRNOTAVAIL => "Cannot assign requested address",
            Errno::ENETDOWN => "Network is down",
            Errno::ENETUNREACH => "Network is unreachable",
            Errno::ECONNRESET => "Connection reset by peer",
            Errno::ENOTCONN => "Transport endpoint is not connected",
            Errno::ETIMEDOUT => "Connection timed out",
            Errno::ECONNREFUSED => "Connection refused",
            Errno::EHOSTUNREACH => "No route to host",
            Errno::EPIPE => "Broken pipe",
            Errno::EACCES => "Permission denied",
            Errno::EMSGSIZE => "Message too long",
            Errno::EXDEV => "Invalid cross-device link",
            Errno::ENOTEMPTY => "Directory not empty",
            Errno::EPROTONOSUPPORT => "Protocol not supported",
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.strerror())
    }
}
