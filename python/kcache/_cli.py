"""The `kcached` and `kcache` commands of an installed package: the executables shipped in
kcache/lib/, run in place of this process."""
import os
import pathlib
import sys


def _run(name):
    exe = pathlib.Path(__file__).resolve().parent / "lib" / name
    if not exe.exists():
        sys.exit("%s: %s is missing: this kcache package was installed without its Rust parts "
                 "(reinstall it with `pip install ./python` from a kcache checkout)" % (name, exe))
    os.execv(str(exe), [name] + sys.argv[1:])


def kcached():
    _run("kcached")


def kcache():
    _run("kcache")
