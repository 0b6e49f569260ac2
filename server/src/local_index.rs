//! The daemon's side of the local index (`kcache_proto::local_index`): kcached publishes the
//! artifacts it has served, and a map from request digest to artifact, in a directory beside its
//! socket that only it writes, so that a client on this machine can load a kernel it has asked
//! for before without a round trip.
//!
//! What keeps it from serving stale or foreign code:
//! - kcached is the only writer: the directory is its own, 0700 (0750 with the group of
//!   `--allow-gid`, the same users the socket lets in); files are written beside their final
//!   name and renamed into place, so a reader sees a whole old file or a whole new one;
//! - a daemon that starts wipes what an earlier one left (another compiler may have written it);
//! - only artifacts the store holds are listed, and every eviction path reconciles the index with
//!   the store before it answers: what the store no longer has leaves the index and its file goes;
//! - clients re-hash every artifact before loading it, and fall back to the RPC on any doubt.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kcache_proto::local_index::{self as layout, Entry, Header};
use kcache_proto::v1 as pb;
use prost::Message;

use crate::key::hex;
use crate::store::{parse_digest, LocalStore};

/// Bound on published requests: past it the index starts again (a miss costs one RPC).
const MAX_ENTRIES: usize = 16_384;

#[derive(Debug, thiserror::Error)]
pub enum IndexDirError {
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("refusing to use {path} for the local index: it is {what}, not a directory of this kcached")]
    NotOurs { path: PathBuf, what: String },
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> IndexDirError {
    let path = path.to_path_buf();
    move |source| IndexDirError::Io { what, path, source }
}

struct Published {
    action_key: [u8; 32],
    artifact: [u8; 32],
    meta: Vec<u8>,
}

/// The index directory of one socket and what it lists.
pub struct Publisher {
    dir: PathBuf,
    /// Group that may read (`--allow-gid`'s first), when kcached could give it the files.
    group: Option<u32>,
    header: Header,
    entries: Mutex<HashMap<[u8; 32], Published>>,
    /// The store's eviction count when the index was last reconciled with it.
    evictions_seen: std::sync::atomic::AtomicU64,
}

/// Removes what an earlier kcached left at `dir`, if it is ours; anything else there is an error.
fn remove_ours(dir: &Path) -> Result<(), IndexDirError> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io("reading", dir)(e)),
    };
    let me = kcache_proto::ids::effective_uid();
    if !meta.is_dir() || meta.uid() != me {
        return Err(IndexDirError::NotOurs {
            path: dir.to_path_buf(),
            what: if meta.is_dir() {
                format!("a directory of {}", kcache_proto::ids::describe_uid(meta.uid()))
            } else {
                "not a directory".to_string()
            },
        });
    }
    std::fs::remove_dir_all(dir).map_err(io("removing the old local index", dir))
}

/// For `--no-local-index`: no index beside `socket`, not even one an earlier kcached left.
pub fn remove_for_socket(socket: &Path) -> Result<(), IndexDirError> {
    remove_ours(&layout::dir_for_socket(socket))
}

impl Publisher {
    /// Starts an empty index beside `socket`, replacing what an earlier kcached left.
    pub fn create(socket: &Path, group: Option<u32>, fingerprint: String) -> Result<Publisher, IndexDirError> {
        let dir = layout::dir_for_socket(socket);
        remove_ours(&dir)?;
        let mode = if group.is_some() { 0o750 } else { 0o700 };
        let objects = dir.join(layout::OBJECTS_DIR);
        let mut group_ok = group;
        for d in [&dir, &objects] {
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(d)
                .map_err(io("creating the local index", d))?;
            if let Some(gid) = group_ok {
                if std::os::unix::fs::chown(d, None, Some(gid)).is_err() {
                    // Not a member of the group: members fall back to the RPC.
                    tracing::warn!(dir = %d.display(), gid, "cannot give the local index to the allowed group; only kcached's uid will use it");
                    group_ok = None;
                }
            }
            let mode = if group_ok.is_some() { mode } else { 0o700 };
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(mode)).map_err(io("setting the mode of", d))?;
        }
        let generation = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let publisher = Publisher {
            dir,
            group: group_ok,
            header: Header {
                module_abi: kcache_abi::MODULE_ABI_VERSION,
                host_api: kcache_abi::HOST_API_VERSION,
                generation,
                pid: u64::from(std::process::id()),
                fingerprint,
            },
            entries: Mutex::new(HashMap::new()),
            evictions_seen: std::sync::atomic::AtomicU64::new(0),
        };
        publisher.write_index(&HashMap::new())?;
        Ok(publisher)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Published>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `request` is listed already (the common hit: nothing to do).
    pub fn lists(&self, request: &[u8; 32]) -> bool {
        self.lock().contains_key(request)
    }

    /// Whether the store evicted anything since the last reconcile.
    pub fn store_evicted(&self, store: &dyn LocalStore) -> bool {
        store.evictions() != self.evictions_seen.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Publishes a reply the daemon just gave for `request`: its artifact (verified again here)
    /// and the mapping. Only what the store holds is listed.
    pub fn record(
        &self,
        store: &dyn LocalStore,
        request: [u8; 32],
        reply: &pb::CompileReply,
    ) -> Result<(), IndexDirError> {
        let (Some(artifact), Some(action_key)) = (parse_digest(&reply.digest), parse_digest(&reply.action_key)) else {
            return Ok(());
        };
        if !reply.stored || blake3::hash(&reply.artifact).as_bytes() != &artifact {
            return Ok(());
        }
        let mut entries = self.lock();
        if entries.get(&request).is_some_and(|p| p.artifact == artifact) {
            return Ok(());
        }
        // Under the lock, so that an eviction's reconcile (which takes it too) comes after us.
        if !matches!(store.contains(&action_key), Ok(true)) {
            return Ok(());
        }
        self.write_object(&artifact, &reply.artifact)?;
        let meta = pb::CompileReply {
            artifact: Vec::new(),
            cache_hit: true,
            timings: None,
            ..reply.clone()
        }
        .encode_to_vec();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            request,
            Published {
                action_key,
                artifact,
                meta,
            },
        );
        self.write_index(&entries)?;
        self.remove_unlisted(&entries);
        Ok(())
    }

    /// Drops every mapping whose action the store no longer holds, and its file: called after
    /// anything that may have evicted, before its answer goes out.
    pub fn reconcile(&self, store: &dyn LocalStore) -> Result<(), IndexDirError> {
        let mut entries = self.lock();
        self.evictions_seen
            .store(store.evictions(), std::sync::atomic::Ordering::Relaxed);
        let before = entries.len();
        entries.retain(|_, p| matches!(store.contains(&p.action_key), Ok(true)));
        if entries.len() != before {
            self.write_index(&entries)?;
            self.remove_unlisted(&entries);
        }
        Ok(())
    }

    /// A new file beside `name`, renamed over it once complete: readers see all or nothing.
    fn replace(&self, name: &Path, bytes: &[u8]) -> Result<(), IndexDirError> {
        let tmp = name.with_file_name(format!(
            ".{}.tmp",
            name.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
        ));
        let _ = std::fs::remove_file(&tmp);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io("creating", &tmp))?;
        let mode = match self.group {
            Some(gid) if std::os::unix::fs::fchown(&file, None, Some(gid)).is_ok() => 0o640,
            _ => 0o600,
        };
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io("setting the mode of", &tmp))?;
        file.write_all(bytes).map_err(io("writing", &tmp))?;
        drop(file);
        std::fs::rename(&tmp, name).map_err(io("renaming into place", name))
    }

    fn write_object(&self, digest: &[u8; 32], bytes: &[u8]) -> Result<(), IndexDirError> {
        let path = self.dir.join(layout::OBJECTS_DIR).join(hex(digest));
        // Content-addressed: one that is there already is replaced only if it is not whole
        // (clients re-hash anyway; this keeps a damaged one from costing every client an RPC).
        if let Ok(existing) = std::fs::read(&path) {
            if blake3::hash(&existing).as_bytes() == digest {
                return Ok(());
            }
        }
        self.replace(&path, bytes)
    }

    fn write_index(&self, entries: &HashMap<[u8; 32], Published>) -> Result<(), IndexDirError> {
        let mut list: Vec<Entry<'_>> = entries
            .iter()
            .map(|(request, p)| Entry {
                request: *request,
                artifact: p.artifact,
                meta: &p.meta,
            })
            .collect();
        let bytes = layout::encode(&self.header, &mut list);
        self.replace(&self.dir.join(layout::INDEX_FILE), &bytes)
    }

    /// Removes the files of artifacts the index no longer lists.
    fn remove_unlisted(&self, entries: &HashMap<[u8; 32], Published>) {
        let listed: HashSet<String> = entries.values().map(|p| hex(&p.artifact)).collect();
        let objects = self.dir.join(layout::OBJECTS_DIR);
        let Ok(dir) = std::fs::read_dir(&objects) else { return };
        for item in dir.flatten() {
            let name = item.file_name().to_string_lossy().into_owned();
            if !listed.contains(&name) && !name.starts_with('.') {
                let _ = std::fs::remove_file(item.path());
            }
        }
    }
}
