"""python-hcl2 values as rules see them: literals, templates, expressions, jsonencode, heredocs."""

from __future__ import annotations

from tfgen.hcl.read import parse_text
from tfgen.hcl.values import Expr, Template, heredoc_text, normalise, normalise_json, parse_expression, references


def body(text: str) -> dict:
    data = parse_text(text, "t.tf").data
    return normalise(data["resource"][0]['"x"']['"y"'])


def test_literals_and_expressions() -> None:
    b = body(
        'resource "x" "y" {\n  s = "a\\"b"\n  n = 3\n  f = 1.5\n  t = true\n  z = null\n  r = var.a\n  tpl = '
        '"${var.a}-x"\n  esc = "$${literal}"\n}\n'
    )
    assert b["s"] == 'a"b'
    assert (b["n"], b["f"], b["t"], b["z"]) == (3, 1.5, True, None)
    assert b["r"] == Expr("var.a")
    assert b["tpl"] == Template("${var.a}-x")
    assert b["esc"] == "${literal}"


def test_jsonencode_objects_become_dicts() -> None:
    b = body(
        'resource "x" "y" {\n  p = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", "Action" '
        ': ["s3:*"], Resource = "${aws_s3_bucket.b.arn}/*" }] })\n}\n'
    )
    assert b["p"]["Version"] == "2012-10-17"
    statement = b["p"]["Statement"][0]
    assert statement["Action"] == ["s3:*"]
    assert statement["Resource"] == Template("${aws_s3_bucket.b.arn}/*")


def test_heredocs_keep_their_text() -> None:
    b = body('resource "x" "y" {\n  h = <<-EOT\n    {"a": 1}\n      indented\n  EOT\n  p = <<EOT\n${var.x}\nEOT\n}\n')
    assert b["h"] == '{"a": 1}\n  indented\n'
    assert b["p"] == Template("${var.x}\n")
    assert heredoc_text('"<<EOT\nline\nEOT"') == "line\n"
    assert heredoc_text('"plain"') is None


def test_nested_blocks_are_lists_of_dicts() -> None:
    b = body('resource "x" "y" {\n  rule {\n    inner {\n      k = "v"\n    }\n  }\n}\n')
    assert b == {"rule": [{"inner": [{"k": "v"}]}]}


def test_expressions_that_only_start_with_a_literal_stay_opaque() -> None:
    assert parse_expression('{a = 1}["a"]') == Expr('{a = 1}["a"]')
    assert parse_expression('"x" == var.y') == Expr('"x" == var.y')
    assert parse_expression("[for x in y : x]") == Expr("[for x in y : x]")
    assert parse_expression("merge(var.a, {b = 1})") == Expr("merge(var.a, {b = 1})")
    assert parse_expression("{unterminated = 1") == Expr("{unterminated = 1")


def test_template_literal_parts() -> None:
    assert Template("arn:aws:s3:::${var.b}/*").literal_parts() == ["arn:aws:s3:::", "/*"]


def test_json_values() -> None:
    assert normalise_json({"a": "${var.x}", "b": "x-${var.y}", "c": "plain", "//": "comment"}) == {
        "a": Expr("var.x"),
        "b": Template("x-${var.y}"),
        "c": "plain",
    }


def test_references() -> None:
    expr = parse_expression(
        'compact([var.a ? data.aws_iam_policy_document.x[0].json : "", local.y, aws_s3_bucket.b.arn, module.m.out, '
        "each.key, path.module])"
    )
    assert references(expr) == ["var.a", "data.aws_iam_policy_document.x", "local.y", "aws_s3_bucket.b", "module.m"]
