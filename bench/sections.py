"""What the bench scripts that add a section of their own to bench/RESULTS.md share."""
import os
import pathlib
import subprocess

RESULTS = pathlib.Path(__file__).resolve().parent / "RESULTS.md"


def git_rev():
    """The commit measured, marked when the tree (besides RESULTS.md) has uncommitted changes."""
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/RESULTS.md"],
                           capture_output=True, text=True).stdout.strip()
    return rev + (" + uncommitted changes" if dirty else "")


def write_section(head, section):
    """Puts `section` (starting with the heading `head`) into RESULTS.md: in place of its earlier
    version, up to the next section of the same level, or at the end."""
    text = RESULTS.read_text() if RESULTS.exists() else "# kcache benchmarks\n"
    i = text.find(head)
    if i >= 0:
        j = text.find("\n## ", i + len(head))
        text = text[:i] + section + ("\n" + text[j + 1:] if j >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)


def noise_note(spread=True):
    """The noise line every section ends with."""
    where = "min and max are beside each median" if spread else "only medians are kept here"
    return ("- noise: a 2-core machine that other work may share (load average %s at the end); %s."
            % ("%.2f %.2f %.2f" % os.getloadavg(), where))


def publish(head, lines, spread=True):
    """Prints the section of `lines` (its heading `head` first) and writes it into RESULTS.md."""
    section = "\n".join([head, ""] + lines + [noise_note(spread), ""])
    print(section)
    write_section(head, section)
