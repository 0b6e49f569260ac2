"""Builds the kcache package: the Rust parts (libkcache.so, the kcached daemon, the kcache
command line and the runtime archive `kcache export` links) with cargo, shipped inside the package in kcache/lib/, and the optional C call path
(kcache._fast; the package works without it, through ctypes).

Why a setuptools build step that runs cargo, rather than setuptools-rust or maturin: what the
package carries is not a Python extension module but a C library loaded with ctypes plus two
executables, all built by one `cargo build` of the workspace. maturin puts one crate's binding
(or one binary) in a wheel; setuptools-rust could describe the three, at the price of a build
dependency fetched for every `pip install` and a second description of how the workspace
builds. One cargo command, run from the repository root so that .cargo/config.toml applies, is
the build `make` already uses.

Environment:
  KCACHE_CARGO_PROFILE  cargo profile to build and ship (default release; `debug` reuses a
                        development build, as the packaging test does)
  KCACHE_LLVM           static (default): kcached with LLVM linked in, so the package runs
                        where LLVM is not installed (kcache-server's llvm-static feature);
                        dynamic: kcached as `make` builds it, needing libLLVM-19 at run time
  KCACHE_PREBUILT_DIR   ship libkcache.so, kcached and kcache from this directory instead of
                        running cargo
  KCACHE_STRIP          0 keeps debug information in the shipped copies (default: stripped)
  CARGO, CARGO_TARGET_DIR  as cargo itself reads them
"""
import os
import pathlib
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
# The runtime archive goes beside `kcache`, where `kcache export` looks for it.
SHIPPED = ["libkcache.so", "kcached", "kcache", "libkcache_export_runtime.a"]


def _cargo_outputs():
    prebuilt = os.environ.get("KCACHE_PREBUILT_DIR")
    if prebuilt:
        return pathlib.Path(prebuilt)
    if not (REPO / "Cargo.toml").exists():
        raise SystemExit(
            "kcache: building the package needs the kcache repository around python/ (the Rust "
            "workspace at %s); install from a checkout (`pip install ./python`) or a built wheel" % REPO)
    profile = os.environ.get("KCACHE_CARGO_PROFILE", "release")
    cargo = os.environ.get("CARGO", "cargo")
    if shutil.which(cargo) is None:
        raise SystemExit("kcache: cargo is missing; install Rust (https://rustup.rs), or run "
                         "scripts/install-deps.sh for LLVM 19 and the rest")
    profile_args = ["--release"] if profile == "release" else ([] if profile in ("debug", "dev") else ["--profile", profile])
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    if not target.is_absolute():
        target = REPO / target
    out = target / ("debug" if profile == "dev" else profile)
    llvm = os.environ.get("KCACHE_LLVM", "static")
    if llvm not in ("static", "dynamic"):
        raise SystemExit("kcache: KCACHE_LLVM is static or dynamic, not %r" % llvm)
    builds = [[cargo, "build", "--workspace", "--bins", "--lib"] + profile_args]
    if llvm == "static":
        # Built last: target/<profile>/kcached is then this one, copied below (the next
        # ordinary build puts the dynamic one back; both stay built under target/).
        builds.append([cargo, "build", "-p", "kcache-server", "--bin", "kcached", "--no-default-features",
                       "--features", "llvm-static"] + profile_args)
    for command in builds:
        print("kcache: " + " ".join(command), flush=True)
        subprocess.run(command, cwd=REPO, check=True)
    return out


class build_py_with_rust(build_py):
    """build_py, then the Rust outputs copied into the built package's lib/ directory."""

    def run(self):
        super().run()
        source = _cargo_outputs()
        dest = pathlib.Path(self.build_lib) / "kcache" / "lib"
        dest.mkdir(parents=True, exist_ok=True)
        strip = os.environ.get("KCACHE_STRIP", "1") != "0" and shutil.which("objcopy")
        for name in SHIPPED:
            out = dest / name
            if out.exists():
                out.unlink()
            shutil.copy2(source / name, out)
            if strip:
                subprocess.run(["objcopy", "--strip-debug", str(out)], check=True)


setup(
    cmdclass={"build_py": build_py_with_rust},
    ext_modules=[Extension("kcache._fast", ["kcache/_fast.c"], optional=True)],
)
