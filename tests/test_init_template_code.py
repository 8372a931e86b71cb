"""init compiles its templates from Jinja's code shipped with the blueprints, never from a stale one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tfgen.init import render, static_parses, template_code
from tfgen.init.config import build_config


@pytest.fixture()
def fresh_environment() -> Iterator[None]:
    render.environment.cache_clear()
    yield
    render.environment.cache_clear()


def _render_all() -> list[dict[str, str]]:
    render.environment.cache_clear()
    return [render.render_baseline(build_config(answers)) for answers in static_parses.DIFFERENT_ANSWERS]


def test_the_shipped_table_is_the_one_the_templates_and_jinja_make() -> None:
    shipped = template_code.table_path().read_text(encoding="utf-8")
    assert shipped == template_code.text(), "stale: run .venv/bin/python -m tfgen.init.template_code --write"


def test_every_template_is_compiled_from_the_table(fresh_environment: None) -> None:
    env = render.environment()
    cache = env.bytecode_cache
    assert cache is not None
    for name in render.template_names():
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        assert cache.get_bucket(env, name, None, source).code is not None, name


def test_the_render_is_the_same_with_and_without_the_table(
    fresh_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_table = _render_all()
    monkeypatch.setattr(template_code, "shipped", lambda env: template_code.Shipped({}))
    assert _render_all() == with_table


def test_a_stale_entry_or_a_table_of_another_jinja_is_not_used(
    fresh_environment: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _render_all()
    table = json.loads(template_code.table_path().read_text(encoding="utf-8"))
    # code that would render something else, recorded for another source
    for entry in table["templates"].values():
        entry["code"] = entry["code"].replace("    yield '", "    yield 'STALE' + '", 1)  # used, it would show
        entry["source_sha256"] = "0" * 64
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps(table), encoding="utf-8")
    monkeypatch.setattr(template_code, "table_path", lambda: stale)
    assert _render_all() == expected
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**json.loads(template_code.text()), "identity": "another jinja"}), encoding="utf-8")
    monkeypatch.setattr(template_code, "table_path", lambda: other)
    env = render.environment()
    assert env.bytecode_cache is not None and env.bytecode_cache.get_bucket(env, "main.tf.j2", None, "x").code is None
    assert _render_all() == expected
