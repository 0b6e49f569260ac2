//! A request as the front end sees it: its digest (for the memo), the validated fields and
//! action key, and the conversions between the compiler's results and the protocol's messages.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use kcache_proto::v1 as pb;
use tonic::Status;

use crate::diag::{clip, MAX_MESSAGE_BYTES};

use super::*;

/// The request digest is defined once, with the local index that clients read by it.
pub(super) use kcache_proto::local_index::request_digest;

pub fn status_of(err: &CompileError) -> Status {
    match err {
        CompileError::Source(d) => source_error_status(&d.to_string()),
        CompileError::Internal(m) => internal_error_status(m),
    }
}

/// A source error as the client gets it: clipped, since a message travels in the HTTP/2
/// trailers, whose size the peer bounds.
pub fn source_error_status(message: &str) -> Status {
    Status::invalid_argument(clip(message, MAX_MESSAGE_BYTES))
}

/// An internal compiler error as the client gets it (clipped as a source error is).
pub fn internal_error_status(message: &str) -> Status {
    Status::internal(clip(&format!("internal compiler error: {message}"), MAX_MESSAGE_BYTES))
}

/// The status of a compile that got no answer from its worker.
pub fn failure_status(failure: Failure) -> Status {
    match failure {
        Failure::Timeout(limit) => Status::deadline_exceeded(format!(
            "the compile ran longer than this kcached allows ({} s, --compile-timeout) and was stopped",
            limit.as_secs_f64()
        )),
        Failure::OutOfMemory(limit) => Status::resource_exhausted(format!(
            "the compile needed more memory than this kcached allows ({} MiB, --compile-memory) and was stopped",
            limit >> 20
        )),
        Failure::Crashed(how) => Status::internal(format!(
            "internal compiler error: the compiler crashed ({how}); only this request failed"
        )),
        Failure::Unavailable(why) => Status::unavailable(format!("no compile worker could start: {why}")),
    }
}

/// Checks the source is UTF-8, reporting the first bad byte's line and column.
pub(super) fn source_text(bytes: Vec<u8>) -> Result<String, Status> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..valid];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let col = valid - before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0) + 1;
        Status::invalid_argument(format!(
            "{line}:{col}: invalid request: the source is not valid UTF-8 (byte offset {valid})"
        ))
    })
}

pub(super) fn timings_pb(t: &Timings, total_us: u64, store_us: u64) -> pb::StageTimings {
    pb::StageTimings {
        parse_us: t.parse_us,
        infer_us: t.infer_us,
        lower_us: t.lower_us,
        optimize_us: t.optimize_us,
        emit_us: t.emit_us,
        link_us: t.link_us,
        store_us,
        total_us,
    }
}

pub(super) fn abi_pb(a: &EntryAbi) -> pb::EntryAbi {
    pb::EntryAbi {
        typed_symbol: a.typed_symbol.clone(),
        generic_symbol: a.generic_symbol.clone(),
        signature: a.signature.clone(),
        arg_types: a.arg_types.clone(),
        return_type: a.return_type.clone(),
        written_args: a.written_args.clone(),
    }
}

pub(super) fn diagnostics_pb(d: &[crate::diag::Diagnostic]) -> Vec<pb::Diagnostic> {
    d.iter()
        .map(|d| pb::Diagnostic {
            line: d.line,
            column: d.column,
            message: d.to_string(),
        })
        .collect()
}

/// A request after validation and the front end: what every RPC about a request needs.
pub(super) struct Front {
    pub(super) source: String,
    pub(super) entry: String,
    pub(super) signature: String,
    pub(super) options: BTreeMap<String, String>,
    pub(super) target: TargetSpec,
    pub(super) artifact: compile::ArtifactKind,
    pub(super) key: [u8; 32],
    pub(super) inputs: ActionKeyInputs,
    pub(super) diagnostics: Vec<pb::Diagnostic>,
}

pub(super) fn target_pb(t: &TargetSpec) -> pb::Target {
    pb::Target {
        triple: t.triple.clone(),
        cpu: t.cpu.clone(),
        features: t.features.clone(),
        client_features: vec![],
    }
}

impl ServiceState {
    /// The front end, off the async workers (on the blocking pool, whose threads the daemon gives
    /// the compiler's stack): a big or deep request must not hold up the hits of other clients.
    pub(super) async fn front_off_runtime(&self, req: pb::CompileRequest) -> Result<Front, Status> {
        let counters = self.counters.clone();
        tokio::task::spawn_blocking(move || front(&counters, req))
            .await
            .map_err(|e| Status::internal(format!("internal compiler error (panic in the front end): {e}")))?
    }
}

/// Validates a request and runs the front end to its action key.
fn front(counters: &Counters, req: pb::CompileRequest) -> Result<Front, Status> {
    {
        let source = source_text(req.source).inspect_err(|_| {
            counters.source_errors.fetch_add(1, Ordering::Relaxed);
        })?;
        let options: BTreeMap<String, String> = req.options.into_iter().collect();
        let target = req.target.unwrap_or_default();
        let target = emit::resolve_target(&target.triple, &target.cpu, &target.features, &target.client_features)
            .map_err(|e| status_of(&e))?;
        // The front end runs first: the key needs the canonical call graph.
        let artifact = match pb::ArtifactKind::try_from(req.artifact) {
            Ok(pb::ArtifactKind::SharedObject) => compile::ArtifactKind::SharedObject,
            Ok(pb::ArtifactKind::RelocatableObject) => compile::ArtifactKind::Object,
            Err(_) => {
                return Err(Status::invalid_argument(format!(
                    "invalid request: unknown artifact kind {}",
                    req.artifact
                )))
            }
        };
        let mut prepared = compile::prepare(&source, &req.entry, &req.signature, &options).map_err(|e| {
            counters.source_errors.fetch_add(1, Ordering::Relaxed);
            status_of(&e)
        })?;
        prepared.artifact = artifact;
        let inputs = ActionKeyInputs::new(&prepared, &target);
        let key = inputs.digest();
        let diagnostics = diagnostics_pb(&prepared.diagnostics);
        drop(prepared);
        Ok(Front {
            source,
            entry: req.entry,
            signature: req.signature,
            options,
            target,
            artifact,
            key,
            inputs,
            diagnostics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> pb::CompileRequest {
        pb::CompileRequest {
            source: b"def f(x):\n    return x\n".to_vec(),
            entry: "f".into(),
            signature: "int64(int64)".into(),
            options: [("fastmath".to_string(), "false".to_string())].into_iter().collect(),
            target: Some(pb::Target {
                triple: String::new(),
                cpu: String::new(),
                features: String::new(),
                client_features: vec!["avx2".into(), "fma".into()],
            }),
            artifact: 0,
        }
    }

    /// The memo stands in for the front end, so every request field must reach its digest.
    #[test]
    fn every_request_field_changes_the_request_digest() {
        let base = request_digest(&request());
        assert_eq!(base, request_digest(&request()));
        type Change = Box<dyn Fn(&mut pb::CompileRequest)>;
        let changes: Vec<(&str, Change)> = vec![
            ("source", Box::new(|r| r.source.push(b' '))),
            ("entry", Box::new(|r| r.entry = "g".into())),
            ("signature", Box::new(|r| r.signature = "int32(int32)".into())),
            (
                "option value",
                Box::new(|r| {
                    r.options.insert("fastmath".into(), "true".into());
                }),
            ),
            (
                "option added",
                Box::new(|r| {
                    r.options.insert("boundscheck".into(), "false".into());
                }),
            ),
            ("no target", Box::new(|r| r.target = None)),
            (
                "artifact",
                Box::new(|r| r.artifact = pb::ArtifactKind::RelocatableObject as i32),
            ),
            (
                "triple",
                Box::new(|r| r.target.as_mut().unwrap().triple = "x86_64-unknown-linux-gnu".into()),
            ),
            ("cpu", Box::new(|r| r.target.as_mut().unwrap().cpu = "x86-64-v3".into())),
            (
                "features",
                Box::new(|r| r.target.as_mut().unwrap().features = "+avx2".into()),
            ),
            (
                "client features",
                Box::new(|r| r.target.as_mut().unwrap().client_features.pop().map(drop).unwrap_or(())),
            ),
            (
                "field boundary",
                Box::new(|r| {
                    r.entry = "fi".into();
                    r.signature = "nt64(int64)".into();
                }),
            ),
        ];
        for (what, change) in changes {
            let mut r = request();
            change(&mut r);
            assert_ne!(request_digest(&r), base, "changing the {what} kept the digest");
        }
    }
}
