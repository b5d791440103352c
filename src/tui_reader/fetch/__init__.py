"""The network side: HTTP, feed parsing, autodiscovery and article cleaning. No UI, no SQL."""
