"""Releases: the record of one release (what, when, impact, the issues it fixes, how to roll it
back, who owns it), its test report for the client, its approval and its notices."""
