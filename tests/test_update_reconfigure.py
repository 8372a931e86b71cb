"""`tfgen update --reconfigure`: every question again in a terminal, the tree's answers offered as defaults."""

from __future__ import annotations

import json
from pathlib import Path

from support.init_tree import init
from support.pty_session import PtySession
from support.update_tree import update

from tfgen.init.config import QUESTIONS


def test_reconfigure_offers_the_trees_answers_and_renders_the_changed_one(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out, "--proton-roles")[0] == 0
    session = PtySession("update", "--reconfigure", "--skip-checkov", "--no-cache", "--out", str(out))
    for question in QUESTIONS:
        if question.name == "account_id":
            session.answer(b"[123456789012]: ", "")  # today's answer is the default
        elif question.name == "name":
            session.answer(b"[acme]: ", "other")
        else:
            session.answer(question.prompt.encode(), "")
    session.answer(b"[Y/n]: ", "")
    assert session.wait() == 0, session.text
    variables = (out / "variables.tf").read_text()
    assert 'default     = "other"' in variables
    inputs = json.loads((out / ".tfgen/manifest.json").read_text())["inputs"]
    assert inputs["name"] == "other" and inputs["create_pipeline_role"] is True  # Enter kept the tree's answer


def test_reconfigure_off_a_terminal_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "baseline"
    assert init(out)[0] == 0
    code, output = update(out, "--reconfigure")
    assert code == 2
    # One line, naming no flag update does not have (--non-interactive is init's).
    assert output == "tfgen: error: --reconfigure asks every question again: it needs a terminal\n"
