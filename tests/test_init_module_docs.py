"""Module READMEs carry input/output tables in terraform-docs' markdown table layout, from the parsed module.

terraform-docs itself is not installed here (neither PyPI nor Debian packages it), so the tests check
the layout terraform-docs prints and that every variable and output of each module is in the tables
with its type, default and description, read independently with python-hcl2 from the files written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import hcl2
import pytest
from support.init_tree import init

from tfgen.errors import InternalError
from tfgen.init import blueprint_model, tfdocs
from tfgen.init.render import blueprint_root

MODULES = blueprint_model.MODULES
BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "out"
    code, output = init(out)
    assert code == 0, output
    return out


def section(readme: str) -> str:
    assert readme.count(BEGIN) == 1 and readme.count(END) == 1, "one pair of terraform-docs markers"
    return readme.split(BEGIN, 1)[1].split(END, 1)[0]


def rows(docs: str, heading: str) -> list[list[str]]:
    """The cells of each body row of the table under `## heading`."""
    block = docs.split(f"## {heading}\n\n", 1)[1].split("\n\n", 1)[0]
    lines = block.splitlines()
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[2:]]


def unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def names(cells: list[list[str]], kind: str) -> list[str]:
    found = []
    for row in cells:
        match = re.fullmatch(rf'<a name="{kind}_([^"]+)"></a> \[(.+)\]\(#{kind}\\_(.+)\)', row[0])
        assert match, row[0]
        assert match.group(2) == match.group(3) == match.group(1).replace("_", "\\_")
        found.append(match.group(1))
    return found


@pytest.mark.parametrize("module", MODULES)
def test_module_readme_has_terraform_docs_tables_of_every_input_and_output(tree: Path, module: str) -> None:
    root = tree / "modules" / module
    docs = section((root / "README.md").read_text())
    headings = re.findall(r"^## (.+)$", docs, flags=re.M)
    assert headings == ["Requirements", "Providers", "Inputs", "Outputs"]
    assert (
        "| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|\n"
        in docs
    )
    assert "| Name | Description |\n|------|-------------|\n" in docs
    assert "| Name | Version |\n|------|---------|\n" in docs

    variables = {unquote(n): b for e in hcl2.load((root / "variables.tf").open())["variable"] for n, b in e.items()}
    outputs = {unquote(n): b for e in hcl2.load((root / "outputs.tf").open())["output"] for n, b in e.items()}
    inputs = rows(docs, "Inputs")
    assert names(inputs, "input") == sorted(variables)  # every variable, sorted by name as terraform-docs does
    for row, name in zip(inputs, sorted(variables), strict=True):
        body = variables[name]
        _, description, type_cell, default, required = row
        written = body["type"]
        written = written[2:-1] if written.startswith("${") else written  # python-hcl2's expression marks, if any
        if type_cell.startswith("<pre>"):  # a multi-line type as written: the same words as the parse
            assert "\n" not in written and re.sub(r"[\s,]", "", type_cell[5:-6].replace("<br>", "")) == re.sub(
                r"[\s,]", "", written
            )
        else:
            assert type_cell == f"`{written}`"
        assert description.replace("\\_", "_").replace("\\*", "*").replace("&lt;", "<").replace("&gt;", ">") == unquote(
            body["description"]
        )
        if "default" in body:
            assert required == "no"
            value = body["default"]
            value = [unquote(v) for v in value] if isinstance(value, list) else value
            value = unquote(value) if isinstance(value, str) else value
            if isinstance(value, list) and value:
                assert default == "<pre>" + json.dumps(value, indent=2).replace("\n", "<br>") + "</pre>"
            else:
                assert default == f"`{json.dumps(value)}`"
        else:
            assert (default, required) == ("n/a", "yes")
    outs = rows(docs, "Outputs")
    assert names(outs, "output") == sorted(outputs)
    for row, name in zip(outs, sorted(outputs), strict=True):
        assert row[1].replace("\\_", "_").replace("\\*", "*") == unquote(outputs[name]["description"])
    assert rows(docs, "Requirements") == [
        ['<a name="requirement_terraform"></a> [terraform](#requirement\\_terraform)', ">= 1.11"],
        ['<a name="requirement_aws"></a> [aws](#requirement\\_aws)', ">= 5.100, < 6.0"],
    ]
    assert rows(docs, "Providers") == [['<a name="provider_aws"></a> [aws](#provider\\_aws)', ">= 5.100, < 6.0"]]


def test_rows_are_exactly_terraform_docs_rows(tree: Path) -> None:
    docs = section((tree / "modules/kms/README.md").read_text())
    assert (
        '| <a name="input_deletion_window_in_days"></a> '
        "[deletion\\_window\\_in\\_days](#input\\_deletion\\_window\\_in\\_days)"
        " | Waiting period before a scheduled key deletion completes. | `number` | `30` | no |\n"
    ) in docs
    assert (
        '| <a name="input_account_id"></a> [account\\_id](#input\\_account\\_id) | AWS account ID that owns the keys;'
        " its root principal is the key-policy lockout guard. | `string` | n/a | yes |\n"
    ) in docs
    assert '| <a name="output_key_arns"></a> [key\\_arns](#output\\_key\\_arns) | Every key ARN by purpose. |\n' in docs
    s3 = section((tree / "modules/s3/README.md").read_text())
    # a multi-line type as written, as terraform-docs prints it (python-hcl2 alone gives it on one line)
    assert (
        "| <pre>object({<br>    target_bucket = string<br>    target_prefix = string<br>  })</pre> | `null` | no |"
        in s3
    )


def test_the_shipped_readmes_hold_the_tables_of_their_modules() -> None:
    """A module is the same for every answer, so its README ships filled; init copies it verbatim."""
    for path, text in tfdocs.blueprint_readmes().items():
        shipped = (blueprint_root() / path).read_text(encoding="utf-8")
        assert shipped == text, f"blueprints/{path} is stale: run .venv/bin/python -m tfgen.init.tfdocs --write"


def test_a_module_readme_without_its_markers_is_an_internal_error() -> None:
    readme = (blueprint_root() / "modules/iam/README.md").read_text(encoding="utf-8")
    with pytest.raises(InternalError, match="modules/iam/README.md: needs exactly one <!-- BEGIN_TF_DOCS -->"):
        tfdocs.inject(readme.replace(END, ""), "## Inputs", "modules/iam/README.md")
