"""checkov: its pinned environment, runs and output normalisation (no knowledge of findings or practices)."""
