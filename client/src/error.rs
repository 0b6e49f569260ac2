//! Client errors, classified as the C ABI reports them.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The daemon cannot be reached, or is not one this client trusts (see `peer`).
    Connect,
    /// The daemon refused the request: no or a wrong token (`UNAUTHENTICATED`), or this caller
    /// may not do it (`PERMISSION_DENIED`: another uid, a maintenance RPC without the admin
    /// token). The C ABI reports it as `KC_ERR_CONNECT`.
    Denied,
    /// The kernel source is wrong: syntax, types, unsupported constructs, signature.
    Source,
    /// The request itself is malformed (arguments, options, a value that breaks a limit).
    Invalid,
    /// The shared object could not be loaded.
    Load,
    /// The kernel raised an exception.
    Runtime,
    /// The artifact did not match its digest.
    Integrity,
    /// A bug or an unexpected failure in kcache.
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn from_status(status: &tonic::Status, endpoint: &str) -> Self {
        use tonic::Code;
        let message = status.message().to_string();
        let kind = match status.code() {
            Code::InvalidArgument => {
                if message.contains("invalid request:") {
                    ErrorKind::Invalid
                } else {
                    ErrorKind::Source
                }
            }
            // The daemon stopped a compile at its --compile-timeout: the request is at fault, and
            // the daemon is up (unlike a deadline the client's own transport gave up at).
            Code::DeadlineExceeded if message.contains("--compile-timeout") => ErrorKind::Invalid,
            Code::Unavailable | Code::DeadlineExceeded | Code::Cancelled => {
                return Error::new(
                    ErrorKind::Connect,
                    format!("kcached at {endpoint} is unavailable: {message}"),
                );
            }
            Code::Unauthenticated | Code::PermissionDenied => {
                let code = if status.code() == Code::Unauthenticated {
                    "UNAUTHENTICATED"
                } else {
                    "PERMISSION_DENIED"
                };
                return Error::new(
                    ErrorKind::Denied,
                    format!("kcached at {endpoint} refused the request ({code}): {message}"),
                );
            }
            Code::NotFound => ErrorKind::Invalid,
            Code::ResourceExhausted => ErrorKind::Invalid,
            _ => ErrorKind::Internal,
        };
        Error { kind, message }
    }
}
