//! `make install PREFIX=...` gives C and C++ users what they expect: the files in the usual
//! places, `pkg-config --cflags --libs kcache`, and CMake's `find_package(kcache)` with the
//! imported targets `kcache::kcache` and `kcache::kcache_static`. The examples are built by
//! both against a temporary prefix and run against a real daemon.
//!
//! The install copies this build (`make install-built`, which `make install` runs after
//! building): the test does not start a second cargo while `cargo test` holds the build lock.

use std::path::Path;
use std::process::Command;

use kcache_e2e::{bin_dir, repo_root, run_ok as run, Daemon};

fn install(prefix: &Path) {
    let profile = bin_dir().file_name().unwrap().to_string_lossy().into_owned();
    run(Command::new("make")
        .arg("-C")
        .arg(repo_root())
        .arg("--no-print-directory")
        .arg("install-built")
        .arg(format!("PREFIX={}", prefix.display()))
        .arg(format!("PROFILE={profile}")));
}

/// Runs an example against the daemon; returns its standard output.
fn run_example(exe: &Path, daemon: &Daemon, lib_dir: Option<&Path>) -> String {
    let mut cmd = Command::new(exe);
    cmd.env("KCACHE_ENDPOINT", daemon.endpoint())
        .env_remove("LD_LIBRARY_PATH");
    if let Some(dir) = lib_dir {
        cmd.env("LD_LIBRARY_PATH", dir);
    }
    String::from_utf8(run(&mut cmd).stdout).unwrap()
}

#[test]
fn make_install_then_pkg_config_and_cmake_build_the_examples() {
    let tmp = tempfile::Builder::new().prefix("kcache-install").tempdir().unwrap();
    let prefix = tmp.path().join("prefix");
    install(&prefix);
    for f in [
        "bin/kcached",
        "bin/kcache",
        "lib/libkcache.so",
        "lib/libkcache.a",
        "include/kcache.h",
        "include/kcache.hpp",
        "lib/pkgconfig/kcache.pc",
        "lib/cmake/kcache/kcacheConfig.cmake",
        "lib/cmake/kcache/kcacheConfigVersion.cmake",
    ] {
        assert!(prefix.join(f).is_file(), "{f} was not installed");
    }
    let lib = prefix.join("lib");
    let daemon = Daemon::start();

    // pkg-config, as a Makefile would use it.
    let flags = run(Command::new("pkg-config")
        .env("PKG_CONFIG_PATH", lib.join("pkgconfig"))
        .args(["--cflags", "--libs", "kcache"]));
    let flags = String::from_utf8(flags.stdout).unwrap();
    assert!(
        flags.contains(&format!("-I{}", prefix.join("include").display())),
        "{flags}"
    );
    let exe = tmp.path().join("compute_sum_pc");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    run(Command::new(&cc)
        .args(["-O2", "-Wall", "-Werror", "-o"])
        .arg(&exe)
        .arg(repo_root().join("examples/c/compute_sum.c"))
        .args(flags.split_whitespace()));
    let out = run_example(&exe, &daemon, Some(&lib));
    assert!(out.contains("sum = 124875000"), "{out}");

    // CMake: find_package(kcache 0.1) from the prefix, C, static C and C++.
    let build = tmp.path().join("cmake-build");
    run(Command::new("cmake")
        .arg("-S")
        .arg(repo_root().join("examples"))
        .arg("-B")
        .arg(&build)
        .arg(format!("-DCMAKE_PREFIX_PATH={}", prefix.display()))
        .arg("-DCMAKE_BUILD_TYPE=Release"));
    run(Command::new("cmake").arg("--build").arg(&build));
    let out = run_example(&build.join("compute_sum"), &daemon, Some(&lib));
    assert!(out.contains("sum = 124875000") && out.contains("hit"), "{out}");
    run_example(&build.join("returns_array"), &daemon, Some(&lib));
    // libkcache.a linked in: it runs with no libkcache.so anywhere the loader looks.
    let ldd = run(Command::new("ldd").arg(build.join("compute_sum_static")));
    assert!(!String::from_utf8_lossy(&ldd.stdout).contains("libkcache"));
    let out = run_example(&build.join("compute_sum_static"), &daemon, None);
    assert!(out.contains("sum = 124875000"), "{out}");
    let out = run_example(&build.join("compute_sum_cpp"), &daemon, Some(&lib));
    assert!(out.contains("sum = 499500") && out.contains("error 2:"), "{out}");

    // kcache.hpp is C++17 (std::span only from C++20 on), warning-free.
    let header_only = tmp.path().join("hpp17.cpp");
    std::fs::write(
        &header_only,
        "#include <kcache.hpp>\nint main() { std::vector<double> v(3); kc_array a = kcache::array(v); return a.ndim - 1; }\n",
    )
    .unwrap();
    run(Command::new(std::env::var("CXX").unwrap_or_else(|_| "c++".into()))
        .args(["-std=c++17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only"])
        .arg(format!("-I{}", prefix.join("include").display()))
        .arg(&header_only));

    // A version the installed package does not satisfy is refused.
    let project = tmp.path().join("needs-9");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(
        project.join("CMakeLists.txt"),
        "cmake_minimum_required(VERSION 3.16)\nproject(v NONE)\nfind_package(kcache 9.0 REQUIRED)\n",
    )
    .unwrap();
    let refused = Command::new("cmake")
        .arg("-S")
        .arg(&project)
        .arg("-B")
        .arg(project.join("build"))
        .arg(format!("-DCMAKE_PREFIX_PATH={}", prefix.display()))
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("version: 0.1.0"));

    // The installed command line client talks to the daemon.
    let ping = run(Command::new(prefix.join("bin/kcache"))
        .arg("--endpoint")
        .arg(daemon.endpoint())
        .arg("ping"));
    assert!(String::from_utf8_lossy(&ping.stdout).contains("answered"));
}

/// The Rust example (`client/examples/compute_sum.rs`), which `cargo test` builds, runs.
#[test]
fn the_rust_example_runs() {
    let exe = bin_dir().join("examples/compute_sum");
    assert!(
        exe.exists(),
        "{} is missing: cargo test builds the examples",
        exe.display()
    );
    let daemon = Daemon::start();
    let first = run_example(&exe, &daemon, None);
    assert!(first.contains("sum = 124875000") && first.contains("miss"), "{first}");
    let second = run_example(&exe, &daemon, None);
    assert!(second.contains("hit in"), "{second}");
}
