"""Publication snapshots will live here (issue 5)."""
