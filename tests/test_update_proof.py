"""update's proof on a merged file: a line merge that changes a block neither side changed that way, or
that does not parse, is never written as merged; the team's blocks and departures are listed as theirs."""

from __future__ import annotations

from typing import Any

import pytest

from tfgen.init.api import render_files
from tfgen.init.config import BaselineConfig, build_config
from tfgen.tree.manifest import build
from tfgen.update.api import CONFLICT, KEPT, MERGED, labels, merge_file, prove

KMS = "modules/kms/main.tf"
NOTE = b"# team note\n"
Render = tuple[BaselineConfig, dict[str, bytes]]


@pytest.fixture(scope="module")
def render() -> Render:
    config = build_config({"account_id": "123456789012", "region": "eu-west-1", "name": "acme"})
    return config, render_files(config)


def _prove(render: Render, ours: bytes, result: bytes | None = None) -> Any:
    config, files = render
    previous = build("2", {}, files)
    names = labels(previous)
    merged = merge_file(KMS, previous, ours, files[KMS], names)
    if result is not None:  # what a faulty line merge would have made
        merged = type(merged)(merged.path, merged.base, merged.ours, merged.theirs, result, MERGED)
    return prove([merged], config, None, names)


def test_a_note_of_the_teams_is_kept_and_proved(render: Render) -> None:
    files = render[1]
    [kept], users, departures = _prove(render, NOTE + files[KMS])
    assert (kept.what, kept.result) == (KEPT, NOTE + files[KMS])
    assert users == [] and departures == []


def test_a_merge_that_changes_a_block_neither_side_changed_is_written_as_one_conflict(render: Render) -> None:
    files = render[1]
    ours = NOTE + files[KMS]
    wrong = ours.replace(b"enable_key_rotation     = true", b"enable_key_rotation     = false", 1)
    [checked], _, _ = _prove(render, ours, wrong)
    assert checked.what == CONFLICT and "the line merge is not trusted" in checked.why
    assert "resource.aws_kms_key.audit is not the new render's" in checked.why
    text = checked.result
    assert text.startswith(b"<<<<<<< yours\n" + NOTE) and text.count(b"<<<<<<<") == 1
    assert b"enable_key_rotation     = false" not in text


def test_a_merge_that_does_not_parse_is_written_as_one_conflict(render: Render) -> None:
    files = render[1]
    ours = NOTE + files[KMS]
    [checked], _, _ = _prove(render, ours, ours + b"resource {\n")
    assert checked.what == CONFLICT and checked.why == "the merged text does not parse: left whole for you to merge"
    assert b"resource {\n" not in checked.result


def test_the_teams_block_and_its_departure_from_the_model_are_listed_as_the_teams(render: Render) -> None:
    files = render[1]
    ours = files[KMS].replace(b"enable_key_rotation     = true", b"enable_key_rotation     = false", 1)
    ours += b'\nresource "aws_kms_alias" "team" {\n  name          = "alias/team"\n  target_key_id = "x"\n}\n'
    [kept], users, departures = _prove(render, ours)
    assert kept.what == KEPT and kept.result == ours
    assert users == [f"{KMS}: resource.aws_kms_alias.team"]
    assert any("enable_key_rotation is false, expected true" in d for d in departures), departures
    assert not any("aws_kms_alias.team" in d for d in departures), departures
