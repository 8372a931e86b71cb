"""Credentials in files Terraform reads with file(), templatefile() or filebase64().

The file is scanned with TFGEN_SECRETS_1's detector; a hit is a failed finding at the `.tf` line
that reads it, naming the file and its line, never the secret. Only a file inside the scanned
PATHs at a path known statically (`${path.module}/...`, `${path.root}/...`, or a relative literal, read
from the root module's directory as Terraform reads it) is read; anything else is a skipped finding
saying why. The file's bytes are part of its group's cache key.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.in_process_cli import invoke_validate, reports_in_every_format
from support.validate import ROOT, write_tree

from tfgen.hcl.parsing import file_body
from tfgen.validate import readfiles
from tfgen.validate.readfiles import calls, unknown_reason

# A fake key shaped like a real one (the detector reports its kind; the body must never be printed).
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsentinelBODYsentinelBODYsentinelBODY\n-----END RSA PRIVATE "
    "KEY-----\n"
)
BODY = "sentinelBODY"
CERT = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUpublicpublic\n-----END CERTIFICATE-----\n"


def _server_certificate(*expressions: str) -> str:
    """A resource per expression, each reading a file (the expression is what the case varies)."""
    blocks = [
        f'resource "aws_iam_server_certificate" "c{i}" {{\n  name        = "c{i}"\n  private_key = {e}\n}}\n'
        for i, e in enumerate(expressions)
    ]
    return "\n".join(blocks)


def _secrets_1(tree: Path, *flags: str) -> list[dict[str, Any]]:
    result = invoke_validate(str(tree), "--skip-checkov", "--format", "json", *flags)
    assert result.exit_code in (0, 1), result.output
    return [f for f in json.loads(result.stdout)["findings"] if f["id"] == "TFGEN_SECRETS_1"]


def _files_read(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings about files read (the per-file scan of the .tf itself has no message)."""
    return [f for f in findings if f.get("message") or f["skip_reason"]]


def test_a_key_read_by_file_fails_at_the_line_that_reads_it_and_is_never_printed(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": "# a certificate and its key\n" + _server_certificate('file("${path.module}/certs/api.key")'),
            "certs/api.key": "# issued 2026\n" + PEM,
        },
    )
    [found] = _files_read(_secrets_1(tree, "--no-cache"))
    assert (found["status"], found["file"], found["line"]) == ("failed", "main.tf", 4)
    assert found["message"] == "private key (PEM) in certs/api.key:2, which file() reads here"
    assert found["resource"] == "aws_iam_server_certificate.c0"
    for fmt, out in reports_in_every_format(tree, "--skip-checkov").items():
        assert "certs/api.key:2" in out, fmt
        assert BODY not in out, fmt


def test_templatefile_and_filebase64_are_read_too_and_a_clean_file_passes(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": _server_certificate(
                'templatefile("${path.module}/t/user.tpl", { a = 1 })',
                'filebase64("${path.module}/./init.cfg")',
                'file("${path.module}/cert.pem")',
            ),
            "t/user.tpl": "TOKEN=ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7c\n",
            "init.cfg": "key = AKIAIOSFODNN7EXAMPLE\n",
            "cert.pem": CERT,
        },
    )
    found = {f["line"]: (f["status"], f["message"]) for f in _files_read(_secrets_1(tree, "--no-cache"))}
    assert found == {
        3: ("failed", "GitHub token in t/user.tpl:1, which templatefile() reads here"),
        8: ("failed", "AWS access key id in init.cfg:1, which filebase64() reads here"),
        13: ("passed", "cert.pem (file() reads it) holds no credential"),
    }


def test_nothing_outside_the_paths_is_read_by_a_walk_or_a_link(tmp_path: Path) -> None:
    write_tree(tmp_path, {"outside/x.key": PEM})
    tree = write_tree(
        tmp_path / "scan",
        {
            "main.tf": _server_certificate(
                'file("${path.module}/../outside/x.key")', 'file("${path.module}/link.key")'
            ),
        },
    )
    (tree / "link.key").symlink_to(tmp_path / "outside" / "x.key")
    found = _files_read(_secrets_1(tree, "--no-cache"))
    assert [f["status"] for f in found] == ["skipped", "skipped"]
    assert all("outside the scanned paths" in f["skip_reason"] for f in found), found
    assert found[0]["skip_reason"].startswith("not scanned: ../outside/x.key (file() reads it): ")
    result = invoke_validate(str(tree), "--skip-checkov", "--no-cache", "--show-skipped")
    assert result.exit_code == 0, result.output
    assert BODY not in result.output and str(tmp_path) not in result.output


def test_a_path_tfgen_cannot_know_is_not_read_and_says_why(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": 'variable "name" {\n  type    = string\n  default = "api"\n}\n\n'
            + _server_certificate(
                'file("/etc/tls/api.key")',
                'file("${path.module}/${var.name}")',
                "file(local.key_path)",
                'file("${path.cwd}/certs/api.key")',
            ),
            "certs/api.key": PEM,
        },
    )
    found = _files_read(_secrets_1(tree, "--no-cache"))
    assert [f["status"] for f in found] == ["skipped"] * 4
    reasons = [f["skip_reason"] for f in found]
    assert "names a place on the machine that runs Terraform" in reasons[0]
    assert all(r.startswith("not scanned: file() reads a path tfgen cannot know") for r in reasons[1:]), reasons


def test_a_skip_reason_never_prints_a_credential_written_as_the_path(tmp_path: Path) -> None:
    """A skip reason quotes the file() argument as TFGEN_SYNTAX quotes file text: masked, at most 40
    characters, so a token pasted where a path belongs reaches no report (JSON, --show-skipped)."""
    token = "ghp_" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijk1"
    tree = write_tree(
        tmp_path / "t", {"main.tf": _server_certificate(f'file("{token}")', f'file("x-${{var.a}}-{token}")')}
    )
    reports = reports_in_every_format(tree, "--skip-checkov")
    reports["text --show-skipped"] = invoke_validate(str(tree), "--skip-checkov", "--no-cache", "--show-skipped").stdout
    assert "not scanned" in reports["json"]
    for fmt, report in reports.items():
        assert token not in report and token[:20] not in report, fmt


def test_path_root_is_the_directory_of_each_root_module_above_the_call(tmp_path: Path) -> None:
    """`${path.root}` is where Terraform runs: a module nobody calls is its own root; a called
    module reads from each uncalled module at the top of its callers (docs/accuracy.md: a real
    repository reads a key that way). A cycle of calls has no root: said, not guessed."""
    listener = _server_certificate('file("${path.root}/tls/edge.key")')
    tree = write_tree(
        tmp_path / "t",
        {
            "alone/main.tf": listener,
            "alone/tls/edge.key": PEM,
            "live/a/main.tf": 'module "m" {\n  source = "../../shared/mid"\n}\n',
            "live/a/tls/edge.key": PEM,
            "live/b/main.tf": 'module "m" {\n  source = "../../shared/mid"\n}\n',
            "live/b/tls/edge.key": CERT,
            "shared/mid/main.tf": 'module "l" {\n  source = "../listener"\n}\n',
            "shared/listener/main.tf": listener,
            "loop/x/main.tf": 'module "y" {\n  source = "../y"\n}\n',
            "loop/y/main.tf": 'module "x" {\n  source = "../x"\n}\n' + listener,
        },
    )
    found = sorted(
        (f["file"], f["status"], f.get("message") or f["skip_reason"])
        for f in _files_read(_secrets_1(tree, "--no-cache"))
    )
    assert found == [
        ("alone/main.tf", "failed", "private key (PEM) in alone/tls/edge.key:1, which file() reads here"),
        (
            "loop/y/main.tf",
            "skipped",
            'not scanned: file("${path.root}/tls/edge.key"): no root module calling this one is known',
        ),
        ("shared/listener/main.tf", "failed", "private key (PEM) in live/a/tls/edge.key:1, which file() reads here"),
        ("shared/listener/main.tf", "passed", "live/b/tls/edge.key (file() reads it) holds no credential"),
    ]


def test_a_relative_path_is_read_from_the_root_module_directory_as_terraform_reads_it(tmp_path: Path) -> None:
    """`file("tls/x.key")`, `"./tls/x.key"`, `"../shared/x.key"` are read from the working directory,
    the root module's: in a root from its own directory, in a called module from each root above it.
    A walk out of the scanned tree is refused with the reason, its file never read."""
    reads = _server_certificate('file("tls/edge.key")', 'templatefile("./tls/edge.key", {})')
    tree = write_tree(
        tmp_path / "t",
        {
            "root/main.tf": reads + _server_certificate('file("../shared/ca.key")').replace('"c0"', '"up"'),
            "root/tls/edge.key": PEM,
            "shared/ca.key": PEM,
            "live/main.tf": 'module "l" {\n  source = "../modules/listener"\n}\n',
            "live/tls/edge.key": CERT,
            "modules/listener/main.tf": reads,
            "modules/listener/tls/edge.key": PEM,  # not what Terraform reads: the caller's is
            "edge/main.tf": _server_certificate('file("../../outside.key")'),
        },
    )
    (tmp_path / "outside.key").write_text(PEM)
    found = sorted(
        (f["file"], f["status"], f.get("message") or f["skip_reason"])
        for f in _files_read(_secrets_1(tree, "--no-cache"))
    )
    assert found == [
        (
            "edge/main.tf",
            "skipped",
            "not scanned: ../outside.key (file() reads it): outside the scanned paths: not read "
            "(pass its directory as a PATH to scan it)",
        ),
        ("modules/listener/main.tf", "passed", "live/tls/edge.key (file() reads it) holds no credential"),
        ("modules/listener/main.tf", "passed", "live/tls/edge.key (templatefile() reads it) holds no credential"),
        ("root/main.tf", "failed", "private key (PEM) in root/tls/edge.key:1, which file() reads here"),
        ("root/main.tf", "failed", "private key (PEM) in root/tls/edge.key:1, which templatefile() reads here"),
        ("root/main.tf", "failed", "private key (PEM) in shared/ca.key:1, which file() reads here"),
    ]
    result = invoke_validate(str(tree), "--skip-checkov", "--no-cache", "--show-skipped")
    assert BODY not in result.output and str(tmp_path) not in result.output


def test_binary_large_special_and_missing_files_are_skipped_with_the_reason(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": _server_certificate(
                *(f'file("${{path.module}}/{n}")' for n in ("bin.key", "big.key", "fifo.key", "gone.key", "dir"))
            ),
            "bin.key": b"\0\x01" + PEM.encode(),
            "big.key": PEM + "x" * (1024 * 1024),
            "dir/x": "",
        },
    )
    os.mkfifo(tree / "fifo.key")  # read_regular opens without blocking: a FIFO is refused, never waited on
    reasons = [f["skip_reason"] for f in _files_read(_secrets_1(tree, "--no-cache"))]
    assert reasons == [
        "not scanned: bin.key (file() reads it): binary file (a NUL byte in its first 8000 bytes, as git decides)",
        "not scanned: big.key (file() reads it): larger than 1048576 bytes",
        "not scanned: fifo.key (file() reads it): not a regular file (FIFO, device or socket)",
        "not scanned: gone.key (file() reads it): no such file",
        "not scanned: dir (file() reads it): a directory",
    ]


def test_a_changed_file_is_a_new_verdict_never_a_cached_one(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t", {"main.tf": _server_certificate('file("${path.module}/api.key")'), "api.key": CERT}
    )
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert invoke_validate(str(tree), "--skip-checkov", *cache).exit_code == 0
    (tree / "api.key").write_text(PEM)
    second = invoke_validate(str(tree), "--skip-checkov", "--format", "json", *cache)
    assert second.exit_code == 1, second.output
    assert [f["message"] for f in json.loads(second.stdout)["findings"] if f["status"] == "failed"] == [
        "private key (PEM) in api.key:1, which file() reads here"
    ]
    (tree / "api.key").write_text(CERT)
    assert invoke_validate(str(tree), "--skip-checkov", *cache).exit_code == 0


_SEGMENTS = st.sampled_from(["..", ".", "a", "b", "outside", "scan"])


@settings(max_examples=25, deadline=None)
@given(segments=st.lists(_SEGMENTS, max_size=5))
def test_any_walk_reads_inside_and_never_outside(tmp_path_factory: Any, segments: list[str]) -> None:
    """A key sits at every level (outside the PATH, at the PATH, in the module, below it); whatever
    `${path.module}/<walk>/k.pem` a module reads, it fails exactly when the walk ends inside the PATH
    at a key, and a key outside is never read."""
    base = tmp_path_factory.mktemp("walk")
    write_tree(base, {"outside/k.pem": PEM, "scan/k.pem": PEM, "scan/a/b/k.pem": PEM})
    relative = posixpath.join(*segments, "k.pem")
    write_tree(base / "scan" / "a", {"main.tf": _server_certificate(f'file("${{path.module}}/{relative}")')})
    [found] = _files_read(_secrets_1(base / "scan", "--no-cache"))
    target = Path(os.path.normpath(base / "scan" / "a" / relative))
    inside = target.is_relative_to(base / "scan")
    if inside and target.is_file():
        assert found["status"] == "failed", found
    elif not inside:
        assert found["status"] == "skipped" and "outside the scanned paths" in found["skip_reason"], found
    else:
        assert found["status"] == "skipped" and found["skip_reason"].endswith("no such file"), found


def test_a_file_given_as_the_path_reads_nothing_beside_it(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t", {"main.tf": _server_certificate('file("${path.module}/api.key")'), "api.key": PEM}
    )
    [found] = _files_read(_secrets_1(tree / "main.tf", "--no-cache"))
    assert found["status"] == "skipped"
    assert (
        found["skip_reason"]
        == "not scanned: api.key (file() reads it): outside the scanned paths: not read (pass its directory as a "
        "PATH to scan it)"
    )


# (the path as the HCL string writes it, the file it names)
@pytest.mark.parametrize("name,written", [("100%.policy", "100%.policy"), ("odd\\\\name.policy", "odd\\name.policy")])
def test_a_policy_file_is_read_only_where_its_bytes_are_in_the_cache_key(
    tmp_path: Path, name: str, written: str
) -> None:
    """Whatever tfgen reads, it hashes: a policy file read by the iam rules (`100%.policy`, a name
    with `%` or `\\`, no file checkov scans) is in the cache key, so a policy made wide open after a
    cached run is judged afresh, and cached and uncached agree."""
    narrow = '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}\n'
    wide = '{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}\n'
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": 'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = file("${path.module}/'
            + name
            + '")\n}\n',
        },
    )
    (tree / written).write_text(narrow)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    first = invoke_validate(str(tree), "--skip-checkov", *cache)
    (tree / written).write_text(wide)
    cached = invoke_validate(str(tree), "--skip-checkov", "--format", "json", *cache)
    fresh = invoke_validate(str(tree), "--skip-checkov", "--format", "json", "--no-cache")
    verdicts = [
        sorted(f["id"] for f in json.loads(r.stdout)["findings"] if f["status"] == "failed") for r in (cached, fresh)
    ]
    assert first.exit_code in (0, 1) and verdicts[0] == verdicts[1], (first.output, verdicts)


def test_a_policy_template_read_by_templatefile_is_in_the_cache_key_too(tmp_path: Path) -> None:
    """The iam rules read `templatefile()` policies (policies.py); a `.tpl` is no file checkov's
    secrets framework scans, so `Group.reads` puts it in the cache key: its edit is judged afresh."""
    narrowed = (
        '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": '
        '"arn:aws:s3:::${bucket}/*",\n'
    )
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": 'resource "aws_s3_bucket_policy" "b" {\n  bucket = "b"\n  policy = '
            'templatefile("${path.module}/policy.json.tpl", { bucket = "b" })\n}\n',
            "policy.json.tpl": narrowed
            + '  "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}\n',
        },
    )
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert invoke_validate(str(tree), "--skip-checkov", *cache).exit_code == 0
    (tree / "policy.json.tpl").write_text(
        narrowed + '  "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}}]}\n'
    )
    second = invoke_validate(str(tree), "--skip-checkov", "--format", "json", *cache)
    assert [f["id"] for f in json.loads(second.stdout)["findings"] if f["status"] == "failed"] == ["TFGEN_IAM_3"], (
        second.output
    )


def test_a_directory_swapped_for_a_link_after_the_check_is_not_read_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What was opened is checked, not what was named: a directory swapped for a link to outside
    between the confinement check and the read is not followed (no outside byte is read or scanned)."""
    from tfgen.validate import readfiles
    from tfgen.validate.discover import Confinement

    scan = write_tree(tmp_path / "scan", {"mod/certs/api.key": "inside\n"})
    write_tree(tmp_path / "outside", {"api.key": "OUTSIDE SECRET\n"})
    certs = scan / "mod" / "certs"
    real_holds = Confinement.holds

    def holds_then_swap(self: Confinement, path: Any) -> bool:
        answer = real_holds(self, path)
        if answer and certs.is_dir() and not certs.is_symlink():  # the race, won every time
            os.rename(certs, scan / "mod" / "certs.old")
            os.symlink(tmp_path / "outside", certs)
        return answer

    monkeypatch.setattr(Confinement, "holds", holds_then_swap)
    inside = Confinement([os.path.join(os.path.realpath(scan), "")], [])
    read = readfiles.read_referenced(str(certs / "api.key"), inside)
    assert read.data is None and read.problem is not None and "outside" in read.problem, read


# --- a path that interpolates after a static start: every file its pattern matches ---------------


def _instances(path: str, keys: list[str]) -> str:
    """An IAM policy per key, each reading the file `path` names for it (the for_each shape)."""
    listed = ", ".join(f'"{k}"' for k in keys)
    return (
        f'resource "aws_iam_server_certificate" "c" {{\n  for_each    = toset([{listed}])\n'
        f"  name        = each.key\n  private_key = file({path})\n}}\n"
    )


def test_a_for_each_over_file_names_reads_every_file_its_path_may_name(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": _instances('"${path.module}/certs/${each.key}.key"', ["api", "web"]),
            "certs/api.key": CERT,
            "certs/web.key": "# the web tier's key\n" + PEM,
            "certs/notes.txt": PEM,  # not *.key: no instance can read it
        },
    )
    [found] = _files_read(_secrets_1(tree, "--no-cache"))
    assert (found["status"], found["line"]) == ("failed", 4)
    assert found["message"] == "private key (PEM) in certs/web.key:2, which file() may read here"
    (tree / "certs" / "web.key").write_text(CERT)
    [clean] = _files_read(_secrets_1(tree, "--no-cache"))
    assert clean["status"] == "passed"
    assert clean["message"] == 'the 2 files file("${path.module}/certs/${each.key}.key") may read hold no credential'


def test_a_file_added_where_a_pattern_reads_is_a_new_verdict_not_a_cached_one(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "t", {"main.tf": _instances('"${path.module}/k/${each.key}.pem"', ["a"]), "k/a.pem": CERT}
    )
    cache = ("--cache-dir", str(tmp_path / "cache"))
    assert [f["status"] for f in _files_read(_secrets_1(tree, *cache))] == ["passed"]
    (tree / "k" / "b.pem").write_text(PEM)
    assert [f["status"] for f in _files_read(_secrets_1(tree, *cache))] == ["failed"]


def test_a_pattern_never_walks_out_of_the_tree_nor_into_a_linked_directory(tmp_path: Path) -> None:
    write_tree(tmp_path, {"outside/keys/x.key": PEM})
    tree = write_tree(
        tmp_path / "scan",
        {
            "main.tf": _instances('"${path.module}/${each.key}/x.key"', ["keys"])
            + _server_certificate('file("${path.module}/../${each.key}/x.key")'),
        },
    )
    (tree / "keys").symlink_to(tmp_path / "outside" / "keys", target_is_directory=True)
    found = _files_read(_secrets_1(tree, "--no-cache"))
    assert [f["status"] for f in found] == ["skipped", "skipped"], found
    assert found[0]["skip_reason"].endswith(": no file in the scanned tree matches it")
    assert "cannot know" in found[1]["skip_reason"]
    result = invoke_validate(str(tree), "--skip-checkov", "--no-cache", "--show-skipped")
    assert BODY not in result.output and str(tmp_path) not in result.output


def test_a_pattern_matching_too_many_files_is_not_read(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"p/{i}.json": "{}" for i in range(65)}
    tree = write_tree(tmp_path / "t", {"main.tf": _instances('"${path.module}/p/${each.key}.json"', ["0"]), **files})
    [found] = _files_read(_secrets_1(tree, "--no-cache"))
    assert found["status"] == "skipped"
    assert found["skip_reason"].endswith(": more than 64 files match its pattern")


_NAME = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)


@settings(max_examples=25, deadline=None)
@given(
    names=st.lists(_NAME, min_size=1, max_size=5, unique=True),
    data=st.data(),
    prefix=st.sampled_from(["", "key-", "tls/"]),
    suffix=st.sampled_from([".pem", ".key", "-private.pem"]),
)
def test_every_file_an_instance_reads_is_scanned(
    names: list[str], data: st.DataObject, prefix: str, suffix: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whichever key the for_each holds, the file Terraform reads for it is among those scanned: a
    key in any of them fails the call, and clean files pass it."""
    keys = data.draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    leaked = data.draw(st.sampled_from(keys) | st.none())
    files: dict[str, str | bytes] = {f"certs/{prefix}{n}{suffix}": (PEM if n == leaked else CERT) for n in names}
    path = f'"${{path.module}}/certs/{prefix}${{each.key}}{suffix}"'
    tree = write_tree(tmp_path_factory.mktemp("p"), {"main.tf": _instances(path, keys), **files})
    found = _files_read(_secrets_1(tree, "--no-cache"))
    assert [f["status"] for f in found] == (["failed"] if leaked else ["passed"]), (files, keys)


def test_two_patterns_over_one_directory_each_read_their_own_files(tmp_path: Path) -> None:
    """One pattern's entry (`policies/p*.json`) is not a file another pattern (`policies/*.json`) matches."""
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": _instances('"${path.module}/policies/${each.key}.json"', ["x"])
            + _instances('"${path.module}/policies/p${each.key}.json"', ["x"]).replace('"c"', '"d"'),
            "policies/x.json": "{}",
            "policies/px.json": "{}",
        },
    )
    found = _files_read(_secrets_1(tree, "--no-cache"))
    assert [(f["status"], f["message"]) for f in found] == [
        ("passed", 'the 2 files file("${path.module}/policies/${each.key}.json") may read hold no credential'),
        ("passed", 'the file file("${path.module}/policies/p${each.key}.json") may read holds no credential'),
    ]


# --- which calls: the syntax tree's, never text that looks like one ------------------------------

CASES = ROOT / "tests" / "cases" / "files_read"


def _case(tmp_path: Path, name: str) -> Path:
    shutil.copytree(CASES / name, tmp_path / name)
    return tmp_path / name


def test_a_call_in_a_comment_a_string_a_heredoc_or_a_namespace_reads_nothing(tmp_path: Path) -> None:
    """Terraform reads no file for text that only looks like a call: a trailing `#` or a `/* */`
    comment, a string's or a heredoc's text, `provider::local::file()`. The key there is neither
    read nor reported."""
    found = _files_read(_secrets_1(_case(tmp_path, "not_calls"), "--no-cache"))
    assert found == []


def test_a_call_spaced_or_over_several_lines_is_read(tmp_path: Path) -> None:
    """`file ("...")` is a call to Terraform as `file("...")` is: its key is read and fails."""
    found = _files_read(_secrets_1(_case(tmp_path, "spaced_calls"), "--no-cache"))
    assert [(f["status"], f["line"], f["message"]) for f in found] == [
        ("failed", 5, "private key (PEM) in certs/api.key:1, which file() reads here"),
        ("failed", 11, "private key (PEM) in certs/other.key:1, which templatefile() reads here"),
    ]


def test_a_call_in_a_deeply_nested_file_is_read(tmp_path: Path) -> None:
    """A file tfgen parses (nested up to 256 levels) has its calls read too: the key it reads fails."""
    found = _files_read(_secrets_1(_case(tmp_path, "deep_file"), "--no-cache"))
    assert [(f["status"], f["line"], f["message"]) for f in found] == [
        ("failed", 10, "private key (PEM) in certs/api.key:1, which file() reads here"),
    ]


def test_a_json_comment_reads_nothing_and_a_value_template_does(tmp_path: Path) -> None:
    found = _files_read(_secrets_1(_case(tmp_path, "json_comment"), "--no-cache"))
    assert [(f["status"], f["file"], f["line"], f["message"]) for f in found] == [
        ("failed", "main.tf.json", 8, "private key (PEM) in certs/api.key:1, which file() reads here"),
    ]


def test_a_warm_run_parses_no_file_for_its_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file's calls are kept in the content cache by its bytes: a later run reads them back instead
    of parsing the file again (its group checked again for a change in another file too), and reads
    the same key file."""
    parses: list[str] = []

    def counted(text: str, path: str) -> Any:
        parses.append(text)
        return file_body(text, path)

    monkeypatch.setattr(readfiles, "file_body", counted)
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": _server_certificate('file ("${path.module}/certs/api.key")'),
            "other.tf": "locals {\n  a = 1\n}\n",
            "certs/api.key": PEM,
        },
    )
    cache = ["--cache-dir", str(tmp_path / "cache")]
    readfiles.clear_memo()
    first = _files_read(_secrets_1(tree, *cache))
    assert len(parses) == 1
    readfiles.clear_memo()  # as a new process starts
    warm = _files_read(_secrets_1(tree, *cache))
    (tree / "other.tf").write_text("locals {\n  a = 2\n}\n")  # the group is checked again
    readfiles.clear_memo()
    again = _files_read(_secrets_1(tree, *cache))
    assert len(parses) == 1
    shown = [[(f["status"], f["message"]) for f in run] for run in (first, warm, again)]
    assert shown[0] == shown[1] == shown[2] and first[0]["status"] == "failed", shown


def test_a_path_tfgen_cannot_know_is_quoted_whole() -> None:
    """The skip reason quotes the argument Terraform evaluates, not the text up to its first `,` or `"`."""
    [join] = calls('a = file(join("/", ["certs", "a.key"]))\n')
    assert unknown_reason(join).endswith('without evaluating join("/", ["certs", "a.key"])')
    [lookup] = calls('a = file("${path.module}/p/${lookup(var.m, "k")}.json")\n')
    assert (lookup.argument, lookup.pattern) == ('"${path.module}/p/${lookup(var.m, "k")}.json"', "p/*.json")


# A call as Terraform reads it, spaced and broken over lines in the ways HCL allows.
_CALL_SHAPES = ['{f}("{p}")', '{f} ("{p}")', '{f}\t("{p}")', '{f}(\n  "{p}"\n)', '{f}("{p}", {{}})', '{f}( "{p}" )']
# The same text where Terraform makes no call: comments, string and heredoc text, another namespace.
_NOT_CALL_SHAPES = [
    '# {f}("{p}")\n',
    '// {f}("{p}")\n',
    '/* {f}("{p}") */\n',
    'd{n} = "{f}(\\"{p}\\")"\n',
    'h{n} = <<EOT\n{f}("{p}")\nEOT\n',
    'n{n} = provider::local::{f}("{p}")\n',
    'k{n} = "my{f}" # {f}("{p}")\n',
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.sampled_from(["file", "templatefile", "filebase64"]),
            st.from_regex(r"[a-z][a-z0-9_]{0,8}(/[a-z0-9_]{1,8}){0,2}\.(key|pem|json|tpl)", fullmatch=True),
            st.integers(0, 100),
        ),
        max_size=8,
    )
)
def test_the_calls_found_are_the_calls_terraform_makes(slots: list[tuple[bool, str, str, int]]) -> None:
    """In a file mixing calls and text that only looks like one, the calls found are exactly the
    calls, in order, each with its path and line; comments, strings and heredocs give none."""
    lines: list[str] = []
    expected: list[tuple[str, str, int]] = []
    for index, (real, function, path, shape) in enumerate(slots):
        written = f"${{path.module}}/{path}"
        line = sum(chunk.count("\n") for chunk in lines) + 1
        if real:
            call = _CALL_SHAPES[shape % len(_CALL_SHAPES)].format(f=function, p=written)
            lines.append(f"a{index} = {call}\n")
            expected.append((function, posixpath.normpath(path), line))
        else:
            lines.append(_NOT_CALL_SHAPES[shape % len(_NOT_CALL_SHAPES)].format(f=function, p=written, n=index))
    text = "".join(lines)
    assert [(c.function, c.relative, c.line(text)) for c in calls(text)] == expected, text


@pytest.mark.parametrize("name", ["main.tf", "main.tf.json"])
def test_a_file_starting_with_a_byte_order_mark_has_its_reads_found(tmp_path: Path, name: str) -> None:
    """Terraform reads a `.tf` (or `.tf.json`) that starts with a UTF-8 byte order mark as any other:
    the key it reads fails, and the policy file it reads is in the group's cache key (a policy made
    wide open after a cached run is judged afresh)."""
    if name == "main.tf":
        text = _server_certificate('file("${path.module}/certs/api.key")') + (
            'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = file("${path.module}/pol/p.json")\n}\n'
        )
    else:
        text = json.dumps(
            {
                "resource": {
                    "aws_iam_server_certificate": {
                        "c0": {"name": "c0", "private_key": '${file("${path.module}/certs/api.key")}'}
                    },
                    "aws_iam_policy": {"p": {"name": "p", "policy": '${file("${path.module}/pol/p.json")}'}},
                }
            },
            indent=2,
        )
    narrow = '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}\n'
    wide = '{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}\n'
    tree = write_tree(
        tmp_path / "t", {name: b"\xef\xbb\xbf" + text.encode("utf-8"), "certs/api.key": PEM, "pol/p.json": narrow}
    )
    found = _files_read(_secrets_1(tree, "--no-cache"))
    assert [f["status"] for f in found if "api.key" in (f.get("message") or f["skip_reason"])] == ["failed"], found
    cache = ["--cache-dir", str(tmp_path / "cache")]
    invoke_validate(str(tree), "--skip-checkov", *cache)
    (tree / "pol/p.json").write_text(wide)
    cached = invoke_validate(str(tree), "--skip-checkov", "--format", "json", *cache)
    assert "TFGEN_IAM_4" in {f["id"] for f in json.loads(cached.stdout)["findings"] if f["status"] == "failed"}


def test_a_json_comment_key_inside_an_attribute_value_is_read(tmp_path: Path) -> None:
    """`"//"` is a comment only where a JSON object is a body: inside an attribute's value (a local's
    object) it is a key like any other, and Terraform evaluates its template (terraform console)."""
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf.json": json.dumps({"locals": {"x": {"//": '${file("${path.module}/certs/api.key")}'}}}),
            "certs/api.key": PEM,
        },
    )
    assert [f["status"] for f in _files_read(_secrets_1(tree, "--no-cache"))] == ["failed"]


@pytest.mark.parametrize(
    "expression",
    [
        'file("${path.module}/pol/p.json")',
        '"${file("${path.module}/pol/p.json")}"',
        '(file("${path.module}/pol/p.json"))',
    ],
)
def test_a_policy_file_is_judged_however_its_read_is_written(tmp_path: Path, expression: str) -> None:
    """`"${file(...)}"` (Terraform 0.11's style, still common) and `(file(...))` read the same
    file as `file(...)`: a policy allowing every action fails TFGEN_IAM_4 all the same."""
    wide = '{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}\n'
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf": f'resource "aws_iam_policy" "p" {{\n  name   = "p"\n  policy = {expression}\n}}\n',
            "pol/p.json": wide,
        },
    )
    result = invoke_validate(str(tree), "--skip-checkov", "--format", "json", "--no-cache")
    assert "TFGEN_IAM_4" in {f["id"] for f in json.loads(result.stdout)["findings"] if f["status"] == "failed"}


def test_a_json_variable_default_is_taken_literally(tmp_path: Path) -> None:
    """Terraform takes a `.tf.json` variable's default as written (terraform console: the text
    `${file(...)}`), so the file it names is not read; a local's template is."""
    call = '${file("${path.module}/certs/api.key")}'
    tree = write_tree(
        tmp_path / "t",
        {
            "main.tf.json": json.dumps({"variable": {"v": {"default": call}}, "locals": {"k": call}}, indent=2),
            "certs/api.key": PEM,
        },
    )
    found = _files_read(_secrets_1(tree, "--no-cache"))
    assert [(f["status"], f["line"]) for f in found] == [("failed", 8)]  # the local's line


def test_a_path_with_a_doubled_slash_after_the_base_is_read(tmp_path: Path) -> None:
    """`"${path.module}//certs/api.key"` names the same file to the operating system as one slash:
    Terraform reads it, so the key in it fails."""
    tree = write_tree(
        tmp_path / "t",
        {"main.tf": _server_certificate('file("${path.module}//certs/api.key")'), "certs/api.key": PEM},
    )
    found = _files_read(_secrets_1(tree, "--no-cache"))
    assert [(f["status"], f.get("message")) for f in found] == [
        ("failed", "private key (PEM) in certs/api.key:1, which file() reads here")
    ]
