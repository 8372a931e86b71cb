"""A file's parse runs without Python's cyclic garbage collector, and leaves it as it found it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tfgen.errors import HclSyntaxError
from tfgen.hcl.read import parse_body, parse_text

# Enough allocations for the collector to run many times were it on (it runs every 700).
BLOCK = 'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "b-{i}"\n  tags = {{ n = {i} }}\n}}\n'
TEXT = "".join(BLOCK.format(i=i) for i in range(200))


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each collection that starts while the test runs."""
    started: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield started
    finally:
        gc.callbacks.remove(note)


@pytest.mark.parametrize("parse", [parse_text, parse_body])
def test_no_collection_runs_during_a_parse(parse: object, collections: list[int]) -> None:
    assert gc.isenabled()
    parse(TEXT, "main.tf")  # type: ignore[operator]
    assert len(collections) <= 1, collections  # at most the one the first allocation after it starts
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off() -> None:
    gc.disable()
    try:
        parse_text(TEXT, "main.tf")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_file_that_does_not_parse_turns_it_on_again() -> None:
    with pytest.raises(HclSyntaxError):
        parse_text('resource "a" {\n  x = \n}\n', "main.tf")
    assert gc.isenabled()
    with pytest.raises(HclSyntaxError):
        parse_body('resource "a" {\n  x = \n}\n', "main.tf")
    assert gc.isenabled()
