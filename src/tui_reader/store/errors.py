"""Storage failures, each with a one-line message for the user."""


class StoreError(Exception):
    """A storage failure the user can act on (damaged file, newer schema, disk full)."""


class InvalidSearch(StoreError):
    """The query is not one FTS5 can run, even after quoting."""
