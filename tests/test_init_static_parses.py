"""A first `tfgen init` reads the modules' parses from the table shipped with the blueprints, never a stale one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.init_tree import files, init

from tfgen.hcl import parsing
from tfgen.init import static_parses


@pytest.fixture()
def parsed_here(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The display paths python-hcl2 parses in this process (the real parser still runs)."""
    seen: list[str] = []
    real = parsing.parse_to_json

    def counting(item: Any) -> dict[str, Any]:
        seen.append(item[1])
        return real(item)

    monkeypatch.setattr(parsing, "parse_to_json", counting)
    yield seen


def test_the_shipped_table_is_the_one_the_blueprints_and_parser_make() -> None:
    shipped = static_parses.table_path().read_text(encoding="utf-8")
    assert shipped == static_parses.text(), "stale: run .venv/bin/python -m tfgen.init.static_parses --write"


def test_a_first_init_parses_only_the_files_that_depend_on_the_answers(tmp_path: Path, parsed_here: list[str]) -> None:
    code, output = init(tmp_path / "out", cache=tmp_path / "cache")
    assert code == 0, output
    # versions.tf is the modules' versions.tf, byte for byte, and main.tf, outputs.tf and
    # providers.tf read the answers only through variables: they come from the table too
    assert sorted(parsed_here) == ["backend.tf", "terraform.tfvars.example", "variables.tf"]


def test_a_table_made_by_another_parser_is_not_used(
    tmp_path: Path, parsed_here: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert init(tmp_path / "with", "--no-cache")[0] == 0
    monkeypatch.setattr(static_parses, "parser_identity", lambda: "another python-hcl2")
    parsed_here.clear()
    code, output = init(tmp_path / "without", "--no-cache")
    assert code == 0, output
    assert any(path.startswith("modules/") for path in parsed_here)
    assert files(tmp_path / "with") == files(tmp_path / "without")


def test_a_damaged_table_is_ignored(tmp_path: Path, parsed_here: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "static-parses.json"
    damaged.write_bytes(static_parses.table_path().read_bytes()[:-100])
    monkeypatch.setattr(static_parses, "table_path", lambda: damaged)
    code, output = init(tmp_path / "out", "--no-cache")
    assert code == 0, output
    assert "modules/kms/main.tf" in parsed_here
