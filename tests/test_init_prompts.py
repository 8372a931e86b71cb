"""In a terminal, `tfgen init` asks for the answers it lacks, like copier: every question of
`tfgen.init.config.QUESTIONS` (the `--config` keys) with its default, each answer checked as it is
typed and asked again with the reason, a summary to confirm, Ctrl-C exits 130 writing nothing."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from support.hostile import HOSTILE_FRAGMENTS
from support.init_tree import init
from support.pty_session import PtySession

from tfgen.errors import InvalidValueError, UsageError
from tfgen.init.config import QUESTION_BY_NAME, QUESTIONS, build_config, parse_typed

CONFIRM = b"Render with these answers? [Y/n]: "


def _prompt(name: str) -> bytes:
    return QUESTION_BY_NAME[name].prompt.encode()


def _start(out: Path, *extra: str) -> PtySession:
    return PtySession("init", "--skip-checkov", "--no-cache", "--out", str(out), *extra)


def _accept_defaults(session: PtySession, after: str) -> None:
    """Enter at every question after `after`."""
    names = [q.name for q in QUESTIONS]
    for name in names[names.index(after) + 1 :]:
        session.answer(_prompt(name), "")


def test_prompts_for_missing_answers_in_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "out"
    session = _start(out, "--region", "eu-west-1")
    session.answer(_prompt("account_id"), "123456789012")
    session.answer(_prompt("name"), "acme")
    _accept_defaults(session, "name")
    session.answer(CONFIRM, "")
    assert session.wait() == 0, session.text
    assert "AWS region" not in session.text  # given as a flag, so never asked
    assert "rendered" in session.text
    assert '"123456789012"' in (out / "variables.tf").read_text()


def test_every_config_key_is_asked_with_its_default_and_summarised(tmp_path: Path) -> None:
    out = tmp_path / "out"
    session = _start(out)
    session.answer(_prompt("account_id"), "123456789012")
    session.answer(_prompt("region"), "eu-west-1")
    session.answer(_prompt("name"), "acme")
    _accept_defaults(session, "name")  # up to and including the last question
    summary = session.read_until(CONFIRM).decode()
    session.type("")
    assert session.wait() == 0, session.text
    text = session.text
    # The defaults offered are the ones rendered when nothing is given.
    assert f"{QUESTION_BY_NAME['log_retention_days'].prompt} [365]: " in text
    assert f"{QUESTION_BY_NAME['create_pipeline_role'].prompt} [y/N]: " in text
    assert f"{QUESTION_BY_NAME['secret_names'].prompt} [proton/repository-token]: " in text
    assert f"{QUESTION_BY_NAME['tags'].prompt} [none]: " in text
    # The summary lists exactly the keys `--config` accepts (taken from init's own error message).
    bad = tmp_path / "bad.toml"
    bad.write_text("bogus = 1\n")
    code, output = init(tmp_path / "other", "--config", str(bad))
    assert code == 2
    known = re.search(r"known: (.*)$", output.strip())
    assert known, output
    summarised = re.findall(r"^  (\w+) +(.*?)\s*$", summary, re.MULTILINE)
    assert sorted(k for k, _ in summarised) == sorted(known[1].split(", "))
    assert ("account_id", "123456789012") in summarised and ("create_pipeline_role", "no") in summarised
    assert "create_pipeline_role = false" in re.sub(r" +", " ", (out / "terraform.tfvars.example").read_text())


def test_a_wrong_answer_is_asked_again_with_the_reason(tmp_path: Path) -> None:
    out = tmp_path / "out"
    session = _start(out)
    session.answer(_prompt("account_id"), "12345")
    again = session.read_until(_prompt("account_id")).decode()
    assert "'12345' is not a 12-digit AWS account id" in again and "AWS region" not in again
    session.type("123456789012")
    session.answer(_prompt("region"), "mars-1")
    assert "is not an AWS region name" in session.read_until(_prompt("region")).decode()
    session.type("cn-north-1")
    session.answer(_prompt("name"), "Acme")
    assert "must be 3-16 characters" in session.read_until(_prompt("name")).decode()
    session.type("acme")
    # The region typed above fixes the partition the role ARNs must be in.
    session.answer(_prompt("key_administrator_arns"), "arn:aws:iam::123456789012:role/admin")
    assert (
        "is in partition aws, but the region is in aws-cn"
        in session.read_until(_prompt("key_administrator_arns")).decode()
    )
    session.type("arn:aws-cn:iam::123456789012:role/admin")
    session.answer(_prompt("key_user_arns"), "")
    session.answer(_prompt("log_retention_days"), "30")
    assert "below one year" in session.read_until(_prompt("log_retention_days")).decode()
    session.type("")
    _accept_defaults_until(session, "log_retention_days", "tags")
    session.answer(_prompt("tags"), "Team")
    assert "'Team' is not Key=Value" in session.read_until(_prompt("tags")).decode()
    session.type("Team=platform, CostCenter=42")
    _accept_defaults(session, "tags")
    summary = session.read_until(CONFIRM).decode()
    assert re.search(r"^  tags +CostCenter=42, Team=platform\s*$", summary, re.MULTILINE), summary
    assert re.search(
        r"^  key_administrator_arns +arn:aws-cn:iam::123456789012:role/admin\s*$", summary, re.MULTILINE
    ), summary
    session.type("maybe")
    assert "answer y or n" in session.read_until(CONFIRM).decode()
    session.type("n")  # declined: nothing is rendered
    assert session.wait() == 2, session.text
    assert "not confirmed; nothing written" in session.text
    assert not out.exists()


def _accept_defaults_until(session: PtySession, after: str, before: str) -> None:
    names = [q.name for q in QUESTIONS]
    for name in names[names.index(after) + 1 : names.index(before)]:
        session.answer(_prompt(name), "")


def test_ctrl_c_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    session = _start(out)
    session.answer(_prompt("account_id"), "123456789012")
    session.read_until(_prompt("region"))
    session.interrupt()
    assert session.wait() == 130, session.text
    assert "interrupted; nothing written" in session.text and "Traceback" not in session.text
    assert not out.exists()


def test_ctrl_c_at_the_summary_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    session = _start(out, "--account-id", "123456789012", "--region", "eu-west-1")
    session.answer(_prompt("name"), "acme")
    _accept_defaults(session, "name")
    session.read_until(CONFIRM)
    session.interrupt()
    assert session.wait() == 130, session.text
    assert not out.exists()


def test_a_bad_config_answer_stops_before_the_first_question(tmp_path: Path) -> None:
    config = tmp_path / "answers.toml"
    config.write_text("log_retention_days = 30\n")
    out = tmp_path / "out"
    session = _start(out, "--config", str(config))
    assert session.wait() == 2, session.text
    assert "log_retention_days: 30 is below one year" in session.text
    assert _prompt("account_id").decode() not in session.text
    assert not out.exists()


def test_a_rerun_with_saved_answers_asks_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = init(out)
    assert code == 0, output
    session = _start(out)
    assert session.wait() == 0, session.text
    assert "Render with these answers" not in session.text and "[y/N]" not in session.text
    assert "rendered" in session.text


# --- one definition: a typed answer is accepted exactly when `--config` accepts it -----------

_BASE = {"account_id": "123456789012", "region": "eu-west-1", "name": "acme"}
# Typed text and a TOML string mean the same for these keys (booleans take y/n, tags Key=Value).
_TEXT_KEYS = [q.name for q in QUESTIONS if q.name != "tags" and q.type != "bool"]
_plausible = st.sampled_from(
    [
        "123456789012",
        "eu-west-1",
        "us-gov-west-1",
        "acme",
        "365",
        "30",
        "3650",
        "0",
        "ecs, logs",
        "arn:aws:iam::123456789012:role/admin",
        "arn:aws-cn:iam::123456789012:role/a",
        "a/b.tfstate",
        "/x",
    ]
)
_typed = st.one_of(
    _plausible, st.text(max_size=30), st.lists(st.sampled_from(HOSTILE_FRAGMENTS), max_size=5).map("".join)
)


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(_TEXT_KEYS), text=_typed)
def test_a_typed_answer_is_accepted_exactly_when_config_accepts_it(name: str, text: str) -> None:
    if not text.strip() or text.strip().lower() == "none":
        return  # Enter keeps the default and `none` empties a list: prompt-only spellings
    try:
        typed = parse_typed(name, text, "aws")
    except InvalidValueError as exc:
        typed = exc
    try:
        config = build_config({**_BASE, name: text})
        from_config: object = getattr(config, name)
    except UsageError as exc:
        from_config = exc
    if isinstance(typed, Exception) or isinstance(from_config, Exception):
        # Both refuse, naming the same field (the typed text is stripped first, so the echo may differ).
        assert getattr(typed, "field", None) == getattr(from_config, "field", None) == name, (typed, from_config)
    else:
        assert typed == from_config
