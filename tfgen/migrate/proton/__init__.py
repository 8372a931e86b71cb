"""`tfgen migrate proton`: AWS Proton Terraform template bundles -> plain Terraform modules.

    from tfgen.migrate.proton import migrate
    result = migrate(Path("bundle/v1"), Path("modules/network"))

See docs/migrate-proton.md.
"""

from __future__ import annotations

from tfgen.migrate.proton.api import MigrateResult, migrate, render_files

__all__ = ["MigrateResult", "migrate", "render_files"]
