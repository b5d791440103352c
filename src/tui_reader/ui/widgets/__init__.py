"""Widgets of the reader; each shows store rows and knows nothing of SQL or HTTP."""
