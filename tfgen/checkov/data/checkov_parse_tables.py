"""Write PLY's parse tables for checkov's JSONPath parsers; run by checkov's own interpreter.

bc_jsonpath_ng builds its LALR tables anew for every JSONPath expression it parses
(`write_tables=0`, "it doesn't actually take that long"). checkov's Terraform graph parses one
per rendered nested attribute: on tfgen's own baseline that was about a third of checkov's
run. PLY reads a table module it finds beside the grammar when its signature matches the
grammar, and rebuilds the tables itself when it does not, so writing them once is safe
across upgrades: stale tables are ignored, never used.

    python checkov_parse_tables.py           # write the tables, then --verify
    python checkov_parse_tables.py --verify  # exit 1 unless both parsers load their tables

Prints one line per table module. Not imported by tfgen: it cannot share checkov's environment.
"""

from __future__ import annotations

import logging
import os
import sys

import ply.yacc
from bc_jsonpath_ng import parser as base_parser
from bc_jsonpath_ng.ext import parser as ext_parser

START = "jsonpath"
# bc_jsonpath_ng's own name: "<grammar module>_<start symbol>_parsetab", in the grammar's package
TABLE_MODULE = f"parser_{START}_parsetab"
PARSERS = (
    (base_parser, base_parser.JsonPathParser),
    (ext_parser, ext_parser.ExtentedJsonPathParser),
)
SAMPLE = 'resource.aws_s3_bucket[0].tags["Name"]'


class _TablesMissing(Exception):
    pass


def write() -> None:
    for module, parser_class in PARSERS:
        ply.yacc.yacc(
            module=parser_class(),
            debug=False,
            tabmodule=TABLE_MODULE,
            start=START,
            outputdir=os.path.dirname(module.__file__),
            write_tables=True,
            errorlog=logging.getLogger("ply"),
        )


def verify() -> bool:
    """Parse through each parser's public path with table generation forbidden."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise _TablesMissing

    generator = ply.yacc.LRGeneratedTable
    ply.yacc.LRGeneratedTable = refuse
    ok = True
    try:
        for module, parser_class in PARSERS:
            table = os.path.join(os.path.dirname(module.__file__), TABLE_MODULE + ".py")
            try:
                parser_class().parse(SAMPLE)
                print(f"parse tables in use: {table}")
            except _TablesMissing:
                print(f"parse tables missing or stale: {table}")
                ok = False
    finally:
        ply.yacc.LRGeneratedTable = generator
    return ok


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.ERROR)  # PLY reports the grammar's known conflicts as warnings
    if argv[1:] != ["--verify"]:
        write()
    return 0 if verify() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
