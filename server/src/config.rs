//! kcached's configuration file (`kcached --config FILE`, TOML).
//!
//! Every setting is a command-line flag without its dashes (`-` or `_` between words), so the
//! file and the flags cannot drift apart: `kcached --help` is the reference for both.
//!
//! ```toml
//! listen = ["unix:/run/kcache/kcached.sock", "tcp://0.0.0.0:7070"]
//! store = "/var/lib/kcache/store"
//! max_size = "8G"
//! allow_gid = ["kcache-users"]
//! metrics = "tcp://127.0.0.1:9464"
//! log_format = "json"
//!
//! [remote]                     # the --remote-* flags; `url` is --remote itself
//! url = "redis://cache.internal:6379/0"
//! key_file = "/etc/kcache/cluster.key"
//! ```
//!
//! Precedence, lowest first: built-in defaults < the file < the environment (`KCACHE_ENDPOINT`
//! for `listen`, `KCACHE_LOG`, `KCACHE_LOG_FORMAT`) < flags. A flag given more than once
//! (`--listen`, `--allow-uid`, `--allow-gid`) replaces the file's whole list.
//!
//! [`command_line`] turns the file into flags (`--key=value`) placed before the real ones, for
//! the one flag parser in `main.rs`.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("--config needs a file")]
    NoFile,
    #[error("reading the config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error(
        "{path}: unknown setting '{key}'; the settings are kcached's flags without the dashes \
         (see kcached --help)"
    )]
    Unknown { path: PathBuf, key: String },
    #[error("{path}: {key}: {message}")]
    Value {
        path: PathBuf,
        key: String,
        message: String,
    },
}

/// Flags that take no value: `true` in the file gives the flag, `false` leaves it out.
const SWITCHES: &[&str] = &["insecure-tcp", "no-local-index"];
/// Flags that may be given many times: the command line's replace the file's.
const LISTS: &[&str] = &["listen", "allow-uid", "allow-gid"];
/// Settings the environment overrides when it sets them (defaults < file < environment < flags).
const FROM_ENV: &[(&str, &str)] = &[
    ("listen", "KCACHE_ENDPOINT"),
    ("log", "KCACHE_LOG"),
    ("log-format", "KCACHE_LOG_FORMAT"),
];
/// Flags that make no sense in a file.
const NOT_SETTINGS: &[&str] = &["config", "help", "version"];

/// The daemon's arguments with the config file's settings in front: `cli` is the command line
/// without the program name; `usage` is the `--help` text, which names every flag the parser
/// knows (a key whose flag is not in it is refused, naming the file). `--config` is taken out.
pub fn command_line(cli: Vec<String>, usage: &str) -> Result<Vec<String>, ConfigError> {
    let mut rest = Vec::with_capacity(cli.len());
    let mut file = None;
    let mut it = cli.into_iter();
    while let Some(arg) = it.next() {
        if arg == "--config" {
            file = Some(PathBuf::from(it.next().ok_or(ConfigError::NoFile)?));
        } else if let Some(path) = arg.strip_prefix("--config=") {
            file = Some(PathBuf::from(path));
        } else {
            rest.push(arg);
        }
    }
    let Some(path) = file else { return Ok(rest) };
    let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })?;
    let settings = flags_from_toml(&path, &text, usage)?;
    let given_on_cli = |flag: &str| {
        rest.iter()
            .any(|a| a == &format!("--{flag}") || a.starts_with(&format!("--{flag}=")))
    };
    let mut out: Vec<String> = settings
        .into_iter()
        .filter(|(flag, _)| {
            let overridden_by_env = FROM_ENV
                .iter()
                .any(|(f, var)| f == flag && std::env::var_os(var).is_some_and(|v| !v.is_empty()));
            let list_on_cli = LISTS.contains(&flag.as_str()) && given_on_cli(flag);
            !overridden_by_env && !list_on_cli
        })
        .map(|(_, arg)| arg)
        .collect();
    out.extend(rest);
    Ok(out)
}

/// The settings of a config file as (flag name, `--flag=value` or `--flag`), by key (a list
/// keeps its order).
pub fn flags_from_toml(path: &Path, text: &str, usage: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (key, value) in &table {
        match (key.as_str(), value) {
            ("remote", toml::Value::Table(remote)) => {
                for (k, v) in remote {
                    let flag = if k == "url" {
                        "remote".to_string()
                    } else {
                        format!("remote-{}", k.replace('_', "-"))
                    };
                    push_setting(path, &format!("remote.{k}"), &flag, v, usage, &mut out)?;
                }
            }
            _ => push_setting(path, key, &key.replace('_', "-"), value, usage, &mut out)?,
        }
    }
    Ok(out)
}

fn push_setting(
    path: &Path,
    key: &str,
    flag: &str,
    value: &toml::Value,
    usage: &str,
    out: &mut Vec<(String, String)>,
) -> Result<(), ConfigError> {
    let known = usage.contains(&format!("--{flag} ")) || usage.contains(&format!("--{flag}\n"));
    if NOT_SETTINGS.contains(&flag) || !known {
        return Err(ConfigError::Unknown {
            path: path.to_path_buf(),
            key: key.to_string(),
        });
    }
    let bad = |message: &str| ConfigError::Value {
        path: path.to_path_buf(),
        key: key.to_string(),
        message: message.to_string(),
    };
    let scalar = |v: &toml::Value| -> Result<String, ConfigError> {
        match v {
            toml::Value::String(s) => Ok(s.clone()),
            toml::Value::Integer(i) => Ok(i.to_string()),
            _ => Err(bad("needs a string or a number")),
        }
    };
    match value {
        toml::Value::Boolean(on) if SWITCHES.contains(&flag) => {
            if *on {
                out.push((flag.to_string(), format!("--{flag}")));
            }
        }
        _ if SWITCHES.contains(&flag) => return Err(bad("needs true or false")),
        toml::Value::Array(items) if LISTS.contains(&flag) => {
            for item in items {
                out.push((flag.to_string(), format!("--{flag}={}", scalar(item)?)));
            }
        }
        toml::Value::Array(_) => return Err(bad("takes one value, not a list")),
        v => out.push((flag.to_string(), format!("--{flag}={}", scalar(v)?))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const USAGE: &str = "  --listen ENDPOINT  x\n  --store DIR  x\n  --max-size SIZE\n  --allow-gid GID\n  \
                         --insecure-tcp\n  --metrics ADDR\n  --log-format FMT\n  --remote URL\n  \
                         --remote-key-file FILE\n  --remote-timeout D\n  --version\n";

    fn flags(text: &str) -> Result<Vec<String>, ConfigError> {
        flags_from_toml(Path::new("k.toml"), text, USAGE).map(|v| v.into_iter().map(|(_, a)| a).collect())
    }

    #[test]
    fn settings_become_flags() {
        let got = flags(
            "listen = [\"unix:/a.sock\", \"tcp://127.0.0.1:1\"]\nstore = \"/s\"\nmax_size = 1024\n\
             insecure-tcp = true\n[remote]\nurl = \"redis://h\"\nkey_file = \"/k\"\ntimeout = \"80ms\"\n",
        )
        .unwrap();
        assert_eq!(
            got,
            [
                "--insecure-tcp",
                "--listen=unix:/a.sock",
                "--listen=tcp://127.0.0.1:1",
                "--max-size=1024",
                "--remote-key-file=/k",
                "--remote-timeout=80ms",
                "--remote=redis://h",
                "--store=/s",
            ]
        );
        assert!(flags("insecure_tcp = false\n").unwrap().is_empty());
    }

    #[test]
    fn mistakes_name_the_file_and_the_key() {
        let err = |t: &str| flags(t).unwrap_err().to_string();
        assert!(err("stor = \"/s\"\n").contains("k.toml: unknown setting 'stor'"));
        assert!(err("version = \"1\"\n").contains("unknown setting 'version'"));
        assert!(err("[remote]\nbogus = 1\n").contains("unknown setting 'remote.bogus'"));
        assert!(err("store = [\"/a\", \"/b\"]\n").contains("store: takes one value"));
        assert!(err("insecure_tcp = \"yes\"\n").contains("insecure_tcp: needs true or false"));
        assert!(err("store = true\n").contains("store: needs a string or a number"));
        assert!(err("store = \n").starts_with("k.toml: "));
    }

    #[test]
    fn flags_override_the_file_and_lists_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kcached.toml");
        std::fs::write(
            &file,
            "store = \"/from-file\"\nlisten = [\"unix:/file.sock\"]\nallow_gid = [\"1\", \"2\"]\n",
        )
        .unwrap();
        let cli = |args: &[&str]| -> Vec<String> {
            let mut v = vec!["--config".to_string(), file.display().to_string()];
            v.extend(args.iter().map(|s| s.to_string()));
            command_line(v, USAGE).unwrap()
        };
        // The file's settings come first: a later flag wins in the parser.
        assert_eq!(
            cli(&["--store", "/cli"]),
            [
                "--allow-gid=1",
                "--allow-gid=2",
                "--listen=unix:/file.sock",
                "--store=/from-file",
                "--store",
                "/cli"
            ]
        );
        // A list flag on the command line replaces the file's list.
        assert_eq!(
            cli(&["--listen=unix:/cli.sock"]),
            [
                "--allow-gid=1",
                "--allow-gid=2",
                "--store=/from-file",
                "--listen=unix:/cli.sock"
            ]
        );
        assert!(command_line(vec!["--config".into()], USAGE).is_err());
        assert!(command_line(vec!["--config=/nonexistent/k.toml".into()], USAGE)
            .unwrap_err()
            .to_string()
            .contains("/nonexistent/k.toml"));
        assert_eq!(
            command_line(vec!["--store".into(), "/x".into()], USAGE).unwrap(),
            ["--store", "/x"]
        );
    }
}
