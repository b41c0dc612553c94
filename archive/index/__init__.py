"""The archive's index of URLs, content hashes and versions (SQLite by default)."""
