"""Recall per practice on labelled examples tfgen's authors did not write (docs/accuracy.md).

    .venv/bin/python bench/recall.py --out OUT --trivy GIT_DIR --checkov GIT_DIR --stratus GIT_DIR
    .venv/bin/python bench/recall.py ... --tfgen-only          # tfgen's rules alone (no checkov pass)
    .venv/bin/python bench/recall.py ... --reuse               # score the reports an earlier run left in OUT

Each GIT_DIR is a bare clone (the `fetch` tool's), read at HEAD (`--rev-trivy` etc. to pick another):

- aquasecurity/trivy-checks: each AWS check's `terraform` `good` and `bad` examples
  (`checks/cloud/aws/**/*.yaml`), one tree per example; the practice of a check is TRIVY_PRACTICE below.
- bridgecrewio/checkov: the test resources of its AWS Terraform checks: `example_X/` beside
  `test_X.py` (its `passing_resources` / `failing_resources` sets) and the graph checks'
  `resources/X/` (`expected.yaml`'s `pass` / `fail`), one tree per check, labelled per resource; the
  practice from the check's own category (ENCRYPTION, IAM, SECRETS, LOGGING: audit), a NETWORKING
  check about TLS/HTTPS counted as encryption (TLS in transit). Only checks the pinned checkov knows.
- DataDog/stratus-red-team: the warm-up Terraform of each AWS attack technique, one tree each.
  Nobody labelled it good or bad: it is reported as what each practice's findings say, not as recall.

Every tree is its own directory (its own root module) under OUT/trees/SET/, and one `tfgen validate
--format json --no-cache` runs over each SET directory (both engines, then `--skip-checkov`): a
few runs instead of hundreds of checkov start-ups on two shared cores.

A bad example is caught when the report has a failed finding of the example's practice in its
tree (for checkov's resources: on that resource, `data.` dropped from the address); a good one is
failed when it has one (another problem of the practice counts too: judge those of tfgen's rules
by hand). OUT/details.md lists, for tfgen's rules alone, every good example
failed (to judge by hand) and every bad example missed. Never part of the test suite; third-party
trees stay under OUT, never in this repository.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import child_env, tfgen_exe  # noqa: E402

PRACTICES = ("iam", "secrets", "encryption", "audit")
TIMEOUT = 3600

# trivy-checks' AWS checks in the four practices (the Proton security guide's), by id. Every other
# AWS check (tracing, caching, versioning, backups, networks, descriptions, IMDS) is left out.
TRIVY_PRACTICE: dict[str, str] = {
    # iam: policies (wildcards, full access, attached to users, a permission with no source ARN:
    # a confused deputy), public access to buckets and repositories, the account password policy
    **dict.fromkeys(
        "AWS-0032 AWS-0056 AWS-0057 AWS-0058 AWS-0059 AWS-0060 AWS-0061 AWS-0062 AWS-0063 AWS-0067 AWS-0086 "
        "AWS-0087 AWS-0091 AWS-0092 AWS-0093 AWS-0094 AWS-0097 AWS-0123 AWS-0141 AWS-0143 AWS-0161 "
        "AWS-0345".split(),
        "iam",
    ),
    # secrets: credentials in user data, task definitions, or sent out by an http data source
    **dict.fromkeys("AWS-0029 AWS-0036 AWS-0122 AWS-0129 AWS-0134".split(), "secrets"),
    # encryption: at rest (customer managed keys included), key rotation, TLS in transit
    **dict.fromkeys(
        "AWS-0002 AWS-0005 AWS-0006 AWS-0007 AWS-0008 AWS-0012 AWS-0013 AWS-0015 AWS-0017 AWS-0018 AWS-0021 "
        "AWS-0022 AWS-0023 AWS-0025 AWS-0026 AWS-0027 AWS-0033 AWS-0035 AWS-0037 AWS-0039 AWS-0043 AWS-0045 "
        "AWS-0046 AWS-0047 AWS-0048 AWS-0051 AWS-0054 AWS-0064 AWS-0065 AWS-0073 AWS-0076 AWS-0078 AWS-0079 "
        "AWS-0080 AWS-0084 AWS-0088 AWS-0095 AWS-0096 AWS-0098 AWS-0109 AWS-0126 AWS-0128 AWS-0131 AWS-0132 "
        "AWS-0135 AWS-0136 AWS-0137 AWS-0138 AWS-0139 AWS-0179".split(),
        "encryption",
    ),
    # audit: CloudTrail, Config, and the access and audit logs of each service
    **dict.fromkeys(
        "AWS-0001 AWS-0010 AWS-0014 AWS-0016 AWS-0019 AWS-0020 AWS-0038 AWS-0042 AWS-0070 AWS-0071 AWS-0074 "
        "AWS-0075 AWS-0089 AWS-0162 AWS-0163 AWS-0171 AWS-0172 AWS-0178".split(),
        "audit",
    ),
}
CHECKOV_CATEGORY = {"IAM": "iam", "SECRETS": "secrets", "ENCRYPTION": "encryption", "LOGGING": "audit"}
TLS = re.compile(r"\b(TLS|SSL|HTTPS)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Example:
    set: str  # trivy, checkov, stratus
    check: str  # the labelling check (trivy or checkov id), or the stratus technique
    practice: str | None
    good: bool | None  # None: unlabelled (stratus)
    tree: str  # directory name under OUT/trees/SET
    resource: str | None = None  # checkov's examples are labelled per resource


def git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(git_dir), *args], check=True, capture_output=True).stdout


def extract_dir(git_dir: Path, rev: str, path: str, into: Path) -> None:
    """The tree at REV:PATH, its contents directly in INTO."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.Popen(["git", "-C", str(git_dir), "archive", f"{rev}:{path}"], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(into)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"git archive {rev}:{path} failed in {git_dir}")


def files(git_dir: Path, rev: str, under: str) -> list[str]:
    return git(git_dir, "ls-tree", "-r", "--name-only", rev, under).decode().splitlines()


def trivy_examples(git_dir: Path, rev: str, trees: Path) -> list[Example]:
    examples = []
    for path in files(git_dir, rev, "checks/cloud/aws"):
        if not path.endswith(".yaml"):
            continue
        rego = git(git_dir, "show", f"{rev}:{path[: -len('.yaml')]}.rego").decode()
        match = re.search(r"^#\s+id:\s*(AWS-\d+)", rego, re.MULTILINE)
        practice = TRIVY_PRACTICE.get(match.group(1)) if match else None
        terraform = (yaml.safe_load(git(git_dir, "show", f"{rev}:{path}")) or {}).get("terraform") or {}
        if practice is None or not match:
            continue
        for kind in ("good", "bad"):
            for n, text in enumerate(terraform.get(kind) or [], 1):
                tree = f"{match.group(1)}-{kind}-{n}"
                (trees / tree).mkdir(parents=True, exist_ok=True)
                (trees / tree / "main.tf").write_text(text + "\n", encoding="utf-8")
                examples.append(Example("trivy", match.group(1), practice, kind == "good", tree))
    return examples


def checkov_practice(category: str | None, name: str) -> str | None:
    if category in CHECKOV_CATEGORY:
        return CHECKOV_CATEGORY[category]
    return "encryption" if category == "NETWORKING" and TLS.search(name) else None


Labelled = tuple[str, str, str, str, set[str], set[str]]  # id, name, category, directory, passing, failing


def checkov_resource_tests(git_dir: Path, rev: str) -> list[Labelled]:
    """`test_X.py` beside `example_X/`: the check it imports, its passing and failing resources."""
    labelled = []
    tests = "tests/terraform/checks/resource/aws"
    for path in files(git_dir, rev, tests):
        name = path.rsplit("/", 1)[1]
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        source = git(git_dir, "show", f"{rev}:{path}").decode()
        module = re.search(r"from checkov\.terraform\.checks\.resource\.aws\.(\w+) import check", source)
        dirs = set(re.findall(r"[\"'/](example_\w+)", source))
        sets: dict[str, set[str]] = {"passing_resources": set(), "failing_resources": set()}
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Set):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id in sets:
                        sets[target.id].update(ast.literal_eval(node.value))
        if not module or len(dirs) != 1 or not any(sets.values()):
            continue  # inline cases or several example directories: no one labelled tree
        check = git(git_dir, "show", f"{rev}:checkov/terraform/checks/resource/aws/{module.group(1)}.py").decode()
        cid = re.search(r"\bid\s*=\s*[\"'](CKV2?_AWS_\d+)", check)
        title = re.search(r"\bname\s*=\s*[\"'](.+?)[\"']", check)
        category = re.search(r"CheckCategories\.(\w+)", check)
        if cid:
            labelled.append(
                (
                    cid.group(1),
                    title.group(1) if title else "",
                    category.group(1) if category else "",
                    f"{tests}/{dirs.pop()}",
                    sets["passing_resources"],
                    sets["failing_resources"],
                )
            )
    return labelled


def checkov_graph_tests(git_dir: Path, rev: str) -> list[Labelled]:
    """`resources/X/expected.yaml` of the AWS graph checks: `pass` and `fail` resources."""
    labelled = []
    graph = "tests/terraform/graph/checks/resources"
    for path in files(git_dir, rev, graph):
        if not path.endswith("/expected.yaml"):
            continue
        name = path.split("/")[-2]
        try:
            meta = yaml.safe_load(git(git_dir, "show", f"{rev}:checkov/terraform/checks/graph_checks/aws/{name}.yaml"))
        except subprocess.CalledProcessError:
            continue  # another provider's graph check
        expected = yaml.safe_load(git(git_dir, "show", f"{rev}:{path}")) or {}
        meta = meta["metadata"]
        directory = f"{graph}/{name}"
        passing, failing = set(expected.get("pass") or []), set(expected.get("fail") or [])
        labelled.append((meta["id"], meta.get("name", ""), meta.get("category", ""), directory, passing, failing))
    return labelled


def checkov_examples(git_dir: Path, rev: str, trees: Path, known: set[str]) -> tuple[list[Example], list[str]]:
    examples: list[Example] = []
    unknown: list[str] = []  # checks the pinned checkov does not have
    for cid, title, category, directory, passing, failing in [
        *checkov_resource_tests(git_dir, rev),
        *checkov_graph_tests(git_dir, rev),
    ]:
        practice = checkov_practice(category, title)
        if practice is None:
            continue
        if cid not in known:
            unknown.append(cid)
            continue
        tree = f"{cid}-{directory.rsplit('/', 1)[1]}"
        extract_dir(git_dir, rev, directory, trees / tree)
        for resource in sorted(passing):
            examples.append(Example("checkov", cid, practice, True, tree, resource))
        for resource in sorted(failing):
            examples.append(Example("checkov", cid, practice, False, tree, resource))
    return examples, unknown


def stratus_examples(git_dir: Path, rev: str, trees: Path) -> list[Example]:
    examples = []
    root = "v2/internal/attacktechniques/aws"
    for path in files(git_dir, rev, root):
        if path.endswith("/main.tf"):
            tactic, technique = path.split("/")[-3:-1]
            tree = f"{tactic}--{technique}"
            extract_dir(git_dir, rev, path.rsplit("/", 1)[0], trees / tree)
            examples.append(Example("stratus", technique, None, None, tree))
    return examples


def known_checks() -> set[str]:
    out = subprocess.run([tfgen_exe(), "list-checks", "--format", "json"], check=True, capture_output=True).stdout
    return {c["id"] for c in json.loads(out)["checks"]}


def validate(root: Path, report: Path, tfgen_only: bool, reuse: bool) -> list[dict]:
    if not (reuse and report.is_file()):
        argv = [tfgen_exe(), "validate", "--format", "json", "--no-cache", "--checkov-timeout", str(TIMEOUT)]
        proc = subprocess.run(
            [*argv, *(["--skip-checkov"] if tfgen_only else []), "."],
            cwd=root,
            env=child_env(offline=True),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT + 300,
        )
        if proc.returncode not in (0, 1) or "Traceback" in proc.stderr.decode("utf-8", "replace"):
            print(f"[recall] {root.name}: exit {proc.returncode}: {proc.stderr.decode()[-2000:]}", file=sys.stderr)
        report.write_bytes(proc.stdout)
    return json.loads(report.read_text(encoding="utf-8"))["findings"]


def _address(resource: str | None) -> str:
    return re.sub(r"(^|\.)data\.", r"\1", resource or "")


def failed_in(findings: list[dict], example: Example, practice: str | None) -> list[dict]:
    hits = []
    for f in findings:
        tree = f["file"].replace("\\", "/").lstrip("./").split("/", 1)[0]
        if f["status"] != "failed" or tree != example.tree or f["practice"] != practice:
            continue
        if example.resource is None or _address(f["resource"]) == _address(example.resource):
            hits.append(f)
    return hits


def table(examples: list[Example], reports: dict[tuple[str, str], list[dict]], engines: list[str]) -> list[str]:
    head = "| set | practice |" + "".join(f" bad caught ({e}) | good failed ({e}) |" for e in engines)
    lines = [head, "|---|---|" + "---:|---:|" * len(engines)]
    total: dict[tuple[str, str], Counter[str]] = {}
    for name in ("trivy", "checkov"):
        for practice in PRACTICES:
            chosen = [x for x in examples if x.set == name and x.practice == practice]
            if not chosen:
                continue
            cells = []
            for engine in engines:
                c = Counter()
                for x in chosen:
                    hit = bool(failed_in(reports[(name, engine)], x, practice))
                    c["good" if x.good else "bad"] += 1
                    c[("good_failed" if x.good else "bad_caught")] += hit
                total.setdefault((practice, engine), Counter()).update(c)
                cells.append(f" {c['bad_caught']}/{c['bad']} | {c['good_failed']}/{c['good']} |")
            lines.append(f"| {name} | {practice} |" + "".join(cells))
    for practice in PRACTICES:
        cells = []
        for engine in engines:
            c = total.get((practice, engine), Counter())
            rate = f" ({100 * c['bad_caught'] / c['bad']:.0f}%)" if c["bad"] else ""
            cells.append(f" **{c['bad_caught']}/{c['bad']}**{rate} | {c['good_failed']}/{c['good']} |")
        lines.append(f"| both sets | **{practice}** |" + "".join(cells))
    return lines


def stratus_table(examples: list[Example], reports: dict[tuple[str, str], list[dict]], engines: list[str]) -> list[str]:
    chosen = [x for x in examples if x.set == "stratus"]
    lines = [f"stratus-red-team: {len(chosen)} AWS warm-up trees; trees with a failed finding of the practice", ""]
    lines += ["| practice |" + "".join(f" {e} |" for e in engines), "|---|" + "---:|" * len(engines)]
    for practice in PRACTICES:
        cells = "".join(
            f" {sum(bool(failed_in(reports[('stratus', e)], x, practice)) for x in chosen)}/{len(chosen)} |"
            for e in engines
        )
        lines.append(f"| {practice} |{cells}")
    return lines


def details(examples: list[Example], findings: dict[str, list[dict]]) -> list[str]:
    """tfgen's rules alone: every good example failed and every bad one missed, per set."""
    lines = ["# tfgen's rules alone", "", "## good examples failed (judge each)", ""]
    for x in examples:
        if x.good:
            for f in failed_in(findings[x.set], x, x.practice):
                where = f"{f['file']}:{f['line']} {f['resource']}"
                lines.append(f"- {x.set} {x.check} {x.tree} {f['id']} {where}: {f['title']}")
    lines += ["", "## bad examples missed", ""]
    for x in examples:
        if x.good is False and not failed_in(findings[x.set], x, x.practice):
            lines.append(f"- {x.set} {x.practice} {x.check} {x.tree} {x.resource or ''}")
    lines += ["", "## stratus-red-team: failures of tfgen's rules", ""]
    for x in examples:
        if x.set == "stratus":
            for f in findings["stratus"]:
                tree = f["file"].lstrip("./").split("/", 1)[0]
                if tree == x.tree and f["status"] == "failed":
                    lines.append(f"- {f['id']} {f['file']}:{f['line']} {f['resource']}: {f['title']}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trivy", type=Path, required=True, metavar="GIT_DIR")
    parser.add_argument("--checkov", type=Path, required=True, metavar="GIT_DIR")
    parser.add_argument("--stratus", type=Path, required=True, metavar="GIT_DIR")
    for name in ("trivy", "checkov", "stratus"):
        parser.add_argument(f"--rev-{name}", default="HEAD")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "tfgen-recall")
    parser.add_argument("--tfgen-only", action="store_true", help="tfgen's rules alone: no run with checkov")
    parser.add_argument("--reuse", action="store_true", help="read the reports an earlier run left in --out")
    args = parser.parse_args(argv)
    trees = args.out / "trees"
    if not args.reuse and trees.exists():
        shutil.rmtree(trees)
    trees.mkdir(parents=True, exist_ok=True)
    examples = trivy_examples(args.trivy, args.rev_trivy, trees / "trivy")
    for_checkov, unknown = checkov_examples(args.checkov, args.rev_checkov, trees / "checkov", known_checks())
    examples += for_checkov + stratus_examples(args.stratus, args.rev_stratus, trees / "stratus")
    for name, git_dir in (("trivy", args.trivy), ("checkov", args.checkov), ("stratus", args.stratus)):
        rev = git(git_dir, "rev-parse", getattr(args, f"rev_{name}")).decode().strip()
        print(f"[recall] {name}: {rev}, {sum(x.set == name for x in examples)} examples", file=sys.stderr)
    if unknown:
        print(f"[recall] checks the pinned checkov lacks, left out: {' '.join(sorted(unknown))}", file=sys.stderr)
    engines = ["tfgen"] if args.tfgen_only else ["both", "tfgen"]
    reports: dict[tuple[str, str], list[dict]] = {}
    for name in ("trivy", "checkov", "stratus"):
        for engine in engines:
            print(f"[recall] tfgen validate {name} ({engine})", file=sys.stderr, flush=True)
            reports[(name, engine)] = validate(
                trees / name, args.out / f"{name}-{engine}.json", engine == "tfgen", args.reuse
            )
    print("\n".join(table(examples, reports, engines)))
    print()
    print("\n".join(stratus_table(examples, reports, engines)))
    tfgen_alone = {name: reports[(name, "tfgen")] for name in ("trivy", "checkov", "stratus")}
    (args.out / "details.md").write_text("\n".join(details(examples, tfgen_alone)) + "\n", encoding="utf-8")
    print(f"[recall] tfgen's rules alone, example by example: {args.out / 'details.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    sys.exit(main())
