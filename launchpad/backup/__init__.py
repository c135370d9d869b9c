"""Backups that can be trusted at 23:00: streamed from the host into the workspace's store,
checksummed while streaming, checked for completeness before anything is recorded, verified,
drilled, restored after a safety backup.

Modules: `targets` (site.yaml targets → what runs where), `drivers/` (one per engine: dump,
restore, completeness, inventory), `hostshell` and `envelope` (commands on the host, secrets
on stdin, nothing left behind), `writer` (the streaming sink), `compress`, `structure` (format
checks), `take`, `verify`, `verified` (a restore's input hashed as it is read), `retention`,
`drill`, `restore`, `records` (the store rows), `sqlclient` (mysql/psql on the host, also used
by the `sql` step).

This package's `__init__` imports nothing: `launchpad.store.migrations` imports `backup.schema`.
"""
