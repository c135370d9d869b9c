"""Deploying a release: an artifact pushed to hosts with its checksum checked on arrival
(`upload`), a check polled until it passes (`probe`), the hosts of a group switched in batches
with a health check between them (`rolling`), and the application log scanned for errors
since the release began (`logscan`). The step kinds in `launchpad.steps` (upload, wait,
log_scan, shell's `rolling:`) are thin layers over these."""
