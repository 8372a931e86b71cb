"""What README's CI recipes need to run here: a user's clone of tfgen at a commit, a checkov in the
user's cache (as a restored cache or an earlier first run leaves it), and README's code blocks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from support.git_repo import git
from tfgen.checkov import env as checkov_env

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def hosted_tfgen(base: Path) -> Path:
    """This working tree's files (tracked and new, as git lists them) committed to `base/hosted`:
    where a user's clone of tfgen comes from. Returns it."""
    hosted = base / "hosted"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (hosted / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, hosted / name)
    git(hosted, "init", "-q", "-b", "main")
    git(hosted, "add", "-A")
    git(hosted, "commit", "-q", "-m", "tfgen")
    return hosted


def tfgen_clone(hosted: Path, base: Path) -> tuple[Path, str]:
    """`hosted` (`hosted_tfgen`) cloned to `base/clone`: the clone a user installed tfgen from.
    Returns it and its commit."""
    clone = base / "clone"
    git(base, "clone", "-q", str(hosted), str(clone))
    return clone, git(clone, "rev-parse", "HEAD")


def cached_checkov(cache_home: Path, checkov: Path) -> Path:
    """`cache_home` holding tfgen's checkov environment where `validate --setup-checkov` leaves it,
    complete: its `checkov` is the real one (a link to it)."""
    env_dir = cache_home / "tfgen-checkov" / checkov_env.CHECKOV_VERSION
    (env_dir / "bin").mkdir(parents=True)
    (env_dir / "bin" / "checkov").symlink_to(checkov)
    checkov_env.mark_complete(env_dir)
    return env_dir


def readme_block(after_heading: str, language: str = "sh") -> str:
    """The first ```language block of README under the heading that starts with `after_heading`."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(after_heading) :]
    match = re.search(rf"^```{language}\n(.*?)^```$", section, re.M | re.S)
    assert match is not None, f"no {language} block under {after_heading!r}"
    return match.group(1)


def with_clone(block: str, clone: Path) -> str:
    """A recipe with its `TFGEN=` line naming `clone` (the recipe's only line the user adapts)."""
    lines = block.splitlines()
    assert lines[0].startswith("TFGEN=~/src/tfgen"), lines[0]
    return "\n".join([f"TFGEN={clone}", *lines[1:]]) + "\n"


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh machine: no TFGEN_* variable set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TFGEN_", "PRE_COMMIT", "VIRTUAL_ENV"))}
    env.update(extra)
    return env
