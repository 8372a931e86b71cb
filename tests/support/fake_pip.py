"""A stand-in for the interpreter of checkov's environment, for tests of what `tfgen setup-checkov` REPORTS.

`fake_create_venv(target)` replaces `checkov_env._create_venv`: instead of a real virtual
environment (a real install downloads ~96 packages and takes about a minute), it writes
`bin/python`, a script that answers `-m pip install ...` with pip's own line shapes ("Collecting
name==version", "Using cached ...", "Installing collected packages: ...", "Successfully installed
...") for every pin in tfgen's constraints file and then writes `bin/checkov`; any other
invocation (the parse-table script) exits 0. With `$FAKE_PIP_FAIL` set, pip fails as pip does
when an index has no such version. The real install is proven by `python3 dev.py` set-up.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tfgen.checkov import env as checkov_env

_SCRIPT = """#!{python}
import os, sys
pins = {pins!r}
if [a for a in sys.argv[1:4] if a != "-I"][:2] != ["-m", "pip"]:
    sys.exit(0)
if os.environ.get("FAKE_PIP_FAIL"):
    print("Collecting checkov==3.3.30")
    print("ERROR: Could not find a version that satisfies the requirement checkov==3.3.30 (from versions: none)")
    print("ERROR: No matching distribution found for checkov==3.3.30")
    sys.exit(1)
for pin in pins:
    print(f"Collecting {{pin}}" + ("" if pin.startswith("checkov==") else " (from checkov==3.3.30)"))
    print(f"  Using cached {{pin.replace('==', '-')}}-py3-none-any.whl.metadata (2.1 kB)")
print("Installing collected packages: " + ", ".join(p.split("==")[0] for p in pins))
print("Successfully installed " + " ".join(p.replace("==", "-") for p in pins))
checkov = os.path.join(os.path.dirname(sys.argv[0]), "checkov")
with open(checkov, "w") as handle:
    handle.write("#!/bin/sh\\necho 3.3.30\\n")
os.chmod(checkov, 0o755)
"""


def fake_create_venv(target: Path) -> None:
    bin_dir = target / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    python = bin_dir / "python"
    python.write_text(_SCRIPT.format(python=sys.executable, pins=checkov_env.pinned_packages()))
    python.chmod(0o755)
