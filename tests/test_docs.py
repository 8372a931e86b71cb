"""README stays a short front door, and every link in README and docs/ leads somewhere that exists."""

from __future__ import annotations

import re
from pathlib import Path

from support.validate import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.*)$", text, re.M)}


def test_readme_is_short_and_starts_with_a_quickstart() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300
    headings = [i for i, line in enumerate(lines) if line.startswith("## ")]
    start = next(i for i in headings if lines[i] == "## Quickstart")
    end = next(i for i in headings if i > start)
    assert end <= 60, "the quickstart (install, init, validate, CI) ends within the first 60 lines"
    quickstart = "\n".join(lines[start:end])
    for command in ("pipx install", "tfgen setup-checkov", "tfgen init", "tfgen validate", "-o sarif="):
        assert command in quickstart, command


def test_every_relative_link_and_anchor_resolves() -> None:
    broken = []
    for page in PAGES:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            dest = (page.parent / path).resolve() if path else page
            if not dest.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in _anchors(dest):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert broken == []


def test_every_page_of_docs_is_linked_from_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {target.partition("#")[0] for target in LINK.findall(readme)}
    assert {f"docs/{page.name}" for page in PAGES[1:]} <= linked


def _init_doc_listing() -> str:
    text = (ROOT / "docs" / "init.md").read_text(encoding="utf-8")
    return text.split("What it writes", 1)[1].split("```", 2)[1]


def test_init_doc_lists_every_directory_and_top_level_file_init_renders() -> None:
    from tfgen.init.config import build_config
    from tfgen.init.render import render_baseline

    texts = render_baseline(build_config({"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}))
    rendered = {path if "/" not in path else path.rsplit("/", 1)[0] + "/" for path in texts}
    assert rendered - set(_init_doc_listing().split()) == set()
    assert "`rendered`" in _init_doc_listing()  # the manifest keeps each file's text, update's base


def test_init_doc_names_the_files_init_proves_at_every_run() -> None:
    from tfgen.init.render import answer_paths

    text = (ROOT / "docs" / "init.md").read_text(encoding="utf-8")
    step = text.split("How `init` proves its output", 1)[1].split("\n3. ", 1)[0]
    named = set(re.findall(r"[\w.]+\.(?:tf|example|md)\b", step))
    assert set(answer_paths()) <= named
