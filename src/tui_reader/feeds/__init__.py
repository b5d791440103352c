"""Feeds as bytes in, entries out: RSS, Atom and JSON Feed parsing, autodiscovery and OPML.

Pure functions of their input: no network, no SQL.
"""
