"""The read-only JSON API over published results, with its OpenAPI 3.1 description (issue #7)."""
