"""Deterministic synthetic Terraform trees for the benchmark.

The shapes are the ones that make checkov and python-hcl2 slow in real monorepos:

- `live/<env>-<n>/`: many root modules, each a handful of files with KMS, S3, IAM, CloudTrail,
  CloudWatch and SSM resources, most calling a shared module under `modules/` (so several roots
  form one module-call group, as in a real monorepo);
- `repos/terraform-aws-<name>/`: module repositories whose `examples/*` all call `../../`, the
  shape that makes checkov render the root module once per example;
- `large/`: a few large files (thousands of lines), the python-hcl2 worst case.

No randomness: the same scale always writes byte-identical files, so runs compare.
`scale` 1, 2, 4 double the tree each time (every part scales linearly).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

ENVS = ("dev", "stage", "prod", "sandbox")
_ARN_LIKE = (
    '        ArnLike      = { "aws:SourceArn" = "arn:aws:codebuild:${var.region}:${var.account_id}:project/*" }\n'
)


@dataclass
class TreeStats:
    files: int
    lines: int
    bytes: int
    roots: int
    module_repos: int
    large_files: int


def _tags(indent: str = "  ") -> str:
    return f"{indent}tags = merge(local.tags, {{ Component = var.name }})\n"


def _service_block(i: int, prefix: str = "svc") -> str:
    """One self-contained 'service': KMS key, bucket, policies, role, log group, parameter."""
    n = f"{prefix}{i}"
    return f'''
resource "aws_kms_key" "{n}" {{
  description             = "${{var.name}} {n} data key"
  deletion_window_in_days = 30
  enable_key_rotation     = {"true" if i % 3 else "false"}
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid       = "Admin"
        Effect    = "Allow"
        Principal = {{ AWS = "arn:${{data.aws_partition.current.partition}}:iam::${{var.account_id}}:root" }}
        Action    = "kms:*"
        Resource  = "*"
      }},
    ]
  }})
{_tags()}}}

resource "aws_s3_bucket" "{n}" {{
  bucket = "${{var.name}}-{n}-${{var.account_id}}"
{_tags()}}}

resource "aws_s3_bucket_versioning" "{n}" {{
  bucket = aws_s3_bucket.{n}.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "{n}" {{
  bucket = aws_s3_bucket.{n}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "{"aws:kms" if i % 4 else "AES256"}"
      kms_master_key_id = aws_kms_key.{n}.arn
    }}
    bucket_key_enabled = true
  }}
}}

resource "aws_s3_bucket_public_access_block" "{n}" {{
  bucket                  = aws_s3_bucket.{n}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}}

data "aws_iam_policy_document" "{n}_tls" {{
  statement {{
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.{n}.arn,
      "${{aws_s3_bucket.{n}.arn}}/*",
    ]
    principals {{
      type        = "*"
      identifiers = ["*"]
    }}
    condition {{
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }}
  }}
}}

resource "aws_s3_bucket_policy" "{n}" {{
  bucket = aws_s3_bucket.{n}.id
  policy = data.aws_iam_policy_document.{n}_tls.json
}}

resource "aws_iam_role" "{n}" {{
  name = "${{var.name}}-{n}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "codebuild.amazonaws.com" }}
      Action    = "sts:AssumeRole"
      Condition = {{
        StringEquals = {{ "aws:SourceAccount" = var.account_id }}
{"" if i % 5 == 0 else _ARN_LIKE}      }}
    }}]
  }})
{_tags()}}}

resource "aws_iam_role_policy" "{n}" {{
  name = "{n}-access"
  role = aws_iam_role.{n}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = ["${{aws_s3_bucket.{n}.arn}}/*"]
      }},
      {{
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [aws_kms_key.{n}.arn]
      }},
    ]
  }})
}}

resource "aws_cloudwatch_log_group" "{n}" {{
  name              = "/${{var.name}}/{n}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.{n}.arn
{_tags()}}}

resource "aws_ssm_parameter" "{n}_endpoint" {{
  name  = "/${{var.name}}/{n}/endpoint"
  type  = "{"String" if i % 6 else "SecureString"}"
  value = "https://{n}.example.internal"
{_tags()}}}
'''


_VARIABLES = """variable "name" {
  description = "Name prefix for every resource."
  type        = string
}

variable "account_id" {
  description = "The AWS account id."
  type        = string
}

variable "region" {
  description = "The AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention."
  type        = number
  default     = 365
}

variable "extra_tags" {
  description = "Extra tags."
  type        = map(string)
  default     = {}
}
"""

_LOCALS_AND_DATA = """locals {
  tags = merge(var.extra_tags, {
    ManagedBy = "terraform"
    Name      = var.name
  })
}

data "aws_partition" "current" {}
"""

_VERSIONS = """terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}
"""


def _trail_block(name: str) -> str:
    return f'''
resource "aws_cloudtrail" "{name}" {{
  name                          = "${{var.name}}-{name}"
  s3_bucket_name                = aws_s3_bucket.{name}_trail.id
  kms_key_id                    = aws_kms_key.{name}_trail.arn
  include_global_service_events = true
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  cloud_watch_logs_group_arn    = "${{aws_cloudwatch_log_group.{name}_trail.arn}}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.{name}_trail.arn
  event_selector {{
    read_write_type           = "All"
    include_management_events = true
  }}
{_tags()}}}

resource "aws_kms_key" "{name}_trail" {{
  description         = "trail key"
  enable_key_rotation = true
{_tags()}}}

resource "aws_s3_bucket" "{name}_trail" {{
  bucket = "${{var.name}}-{name}-trail"
{_tags()}}}

resource "aws_cloudwatch_log_group" "{name}_trail" {{
  name              = "/${{var.name}}/{name}/trail"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.{name}_trail.arn
}}

resource "aws_iam_role" "{name}_trail" {{
  name = "${{var.name}}-{name}-trail"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "cloudtrail.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}
'''


def _shared_module(k: int) -> dict[str, str]:
    body = _LOCALS_AND_DATA + "".join(_service_block(j, prefix=f"m{k}s") for j in range(3))
    outputs = "".join(f'output "bucket_{j}" {{\n  value = aws_s3_bucket.m{k}s{j}.id\n}}\n\n' for j in range(3))
    return {"main.tf": body, "variables.tf": _VARIABLES, "outputs.tf": outputs, "versions.tf": _VERSIONS}


def _root_module(env: str, n: int, shared: int | None) -> dict[str, str]:
    body = _LOCALS_AND_DATA + "".join(_service_block(j) for j in range(2 + n % 3))
    if n % 4 == 0:
        body += _trail_block("audit")
    if shared is not None:
        body += f"""
module "shared" {{
  source             = "../../modules/shared-{shared}"
  name               = "${{var.name}}-shared"
  account_id         = var.account_id
  region             = var.region
  log_retention_days = var.log_retention_days
}}
"""
    providers = f"""provider "aws" {{
  region = var.region
  default_tags {{
    tags = {{ Environment = "{env}" }}
  }}
}}
"""
    tfvars = f'name = "{env}-{n}"\naccount_id = "{100000000000 + n}"\nregion = "eu-west-1"\n'
    outputs = 'output "svc0_bucket" {\n  value = aws_s3_bucket.svc0.id\n}\n'
    return {
        "main.tf": body,
        "variables.tf": _VARIABLES,
        "outputs.tf": outputs,
        "providers.tf": providers,
        "versions.tf": _VERSIONS,
        "terraform.tfvars": tfvars,
    }


def _module_repo(r: int) -> dict[str, str]:
    files = {
        "main.tf": _LOCALS_AND_DATA + "".join(_service_block(j, prefix=f"r{r}s") for j in range(4)),
        "variables.tf": _VARIABLES,
        "outputs.tf": f'output "bucket" {{\n  value = aws_s3_bucket.r{r}s0.id\n}}\n',
        "versions.tf": _VERSIONS,
    }
    for example in ("basic", "complete", "kms", "logging"):
        files[f"examples/{example}/main.tf"] = f"""provider "aws" {{
  region = "eu-west-1"
}}

module "this" {{
  source             = "../../"
  name               = "example-{example}"
  account_id         = "123456789012"
  log_retention_days = {365 if example != "logging" else 30}
}}

output "bucket" {{
  value = module.this.bucket
}}
"""
        files[f"examples/{example}/versions.tf"] = _VERSIONS
    return files


def _large_file(i: int, blocks: int) -> dict[str, str]:
    body = _LOCALS_AND_DATA + "".join(_service_block(j, prefix=f"l{i}s") for j in range(blocks))
    return {"main.tf": body, "variables.tf": _VARIABLES, "versions.tf": _VERSIONS}


def build(dest: Path, scale: int) -> TreeStats:
    """Write the tree for `scale` (1, 2, 4, ...) into `dest` (replaced if present)."""
    if dest.exists():
        shutil.rmtree(dest)
    files: dict[str, str] = {}
    shared_count = 2 * scale
    for k in range(shared_count):
        for rel, text in _shared_module(k).items():
            files[f"modules/shared-{k}/{rel}"] = text
    roots = 8 * scale
    for n in range(roots):
        env = ENVS[n % len(ENVS)]
        shared = n % shared_count if n % 3 else None
        for rel, text in _root_module(env, n, shared).items():
            files[f"live/{env}-{n:03d}/{rel}"] = text
    repos = scale
    for r in range(repos):
        for rel, text in _module_repo(r).items():
            files[f"repos/terraform-aws-thing{r}/{rel}"] = text
    large = scale
    for i in range(large):
        for rel, text in _large_file(i, blocks=20).items():
            files[f"large/stack-{i}/{rel}"] = text
    total_lines = total_bytes = 0
    for rel, text in sorted(files.items()):
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total_lines += text.count("\n")
        total_bytes += len(data)
    return TreeStats(
        files=len(files), lines=total_lines, bytes=total_bytes, roots=roots, module_repos=repos, large_files=large
    )


def edit_one_file(tree: Path) -> Path:
    """Change one root module's file the way a commit would (append a resource); returns it."""
    target = sorted((tree / "live").iterdir())[1] / "main.tf"
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(
            '\nresource "aws_cloudwatch_log_group" "bench_edit" {\n'
            '  name              = "/bench/edit"\n  retention_in_days = 30\n}\n'
        )
    os.utime(target)
    return target


if __name__ == "__main__":  # quick look: python bench/synth.py DEST SCALE
    import sys

    stats = build(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    print(stats)
