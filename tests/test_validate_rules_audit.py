"""tfgen's `audit` rules: a trail that records every management API call."""

from __future__ import annotations

import pytest
from support.validate import results_for, statuses

TRAIL = '''resource "aws_cloudtrail" "t" {
  name                       = "t"
  s3_bucket_name             = "b"
  is_multi_region_trail      = true
  enable_log_file_validation = true
  cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:audit:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456789012:role/trail"
%s
}
'''


def run(extra: str = "") -> dict[str, list[str]]:
    results = results_for(TRAIL % extra)
    return {rule: statuses(results, rule) for rule in ("TFGEN_AUDIT_1", "TFGEN_AUDIT_2", "TFGEN_AUDIT_3", "TFGEN_AUDIT_4", "TFGEN_AUDIT_5")}


def test_default_trail_passes_every_rule() -> None:
    assert run() == {rule: ["passed"] for rule in run()}


def test_global_service_events_off() -> None:
    assert run("  include_global_service_events = false")["TFGEN_AUDIT_1"] == ["failed"]


@pytest.mark.parametrize("selector,failing", [
    ('event_selector {\n    read_write_type = "ReadOnly"\n  }', "TFGEN_AUDIT_3"),
    ('event_selector {\n    read_write_type = "WriteOnly"\n  }', "TFGEN_AUDIT_4"),
    ('event_selector {\n    include_management_events = false\n  }', "TFGEN_AUDIT_2"),
    ('event_selector {\n    exclude_management_event_sources = ["kms.amazonaws.com"]\n  }', "TFGEN_AUDIT_2"),
    ('advanced_event_selector {\n    field_selector {\n      field  = "eventCategory"\n      equals = ["Data"]\n    }\n  }', "TFGEN_AUDIT_2"),
    ('advanced_event_selector {\n    field_selector {\n      field  = "eventCategory"\n      equals = ["Management"]\n    }\n    field_selector {\n      field  = "readOnly"\n      equals = ["true"]\n    }\n  }', "TFGEN_AUDIT_3"),
    ('advanced_event_selector {\n    field_selector {\n      field  = "eventCategory"\n      equals = ["Management"]\n    }\n    field_selector {\n      field      = "eventSource"\n      not_equals = ["kms.amazonaws.com"]\n    }\n  }', "TFGEN_AUDIT_2"),
])
def test_selectors_that_drop_management_or_write_events_fail(selector: str, failing: str) -> None:
    assert run("  " + selector)[failing] == ["failed"]


@pytest.mark.parametrize("selector", [
    'event_selector {\n    read_write_type = "All"\n    include_management_events = true\n  }',
    'event_selector {\n    read_write_type = "ReadOnly"\n  }\n  event_selector {\n    read_write_type = "WriteOnly"\n  }',
    'advanced_event_selector {\n    field_selector {\n      field  = "eventCategory"\n      equals = ["Management"]\n    }\n  }',
])
def test_selectors_that_keep_all_management_events_pass(selector: str) -> None:
    verdicts = run("  " + selector)
    assert verdicts["TFGEN_AUDIT_2"] == verdicts["TFGEN_AUDIT_3"] == verdicts["TFGEN_AUDIT_4"] == ["passed"]


def test_log_group_arn_needs_the_wildcard_suffix_and_a_role() -> None:
    no_suffix = TRAIL.replace("log-group:audit:*", "log-group:audit")
    assert statuses(results_for(no_suffix % ""), "TFGEN_AUDIT_5") == ["failed"]
    attribute = TRAIL.replace('"arn:aws:logs:eu-west-1:123456789012:log-group:audit:*"', "aws_cloudwatch_log_group.a.arn")
    assert statuses(results_for(attribute % ""), "TFGEN_AUDIT_5") == ["failed"]
    suffixed = TRAIL.replace('"arn:aws:logs:eu-west-1:123456789012:log-group:audit:*"', '"${aws_cloudwatch_log_group.a.arn}:*"')
    assert statuses(results_for(suffixed % ""), "TFGEN_AUDIT_5") == ["passed"]
    no_role = TRAIL.replace('  cloud_watch_logs_role_arn  = "arn:aws:iam::123456789012:role/trail"\n', "")
    assert statuses(results_for(no_role % ""), "TFGEN_AUDIT_5") == ["failed"]
