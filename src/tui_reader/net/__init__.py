"""The network: a polite, bounded HTTP client (`http.Fetcher`) and picture downloads.

Everything here returns bytes or our own errors; what the bytes mean is for `feeds` and `clean`.
"""
