"""Feedback issues: what the client's users report during trial operation (试运行), logged in
seconds, owned, dated, searchable in Chinese, and raised to incidents when they hurt.

The modules are imported by name (`launchpad.issues.log`, `.capture`, `.chat`, …); this file
imports nothing, because `launchpad.store.migrations` reads `launchpad.issues.schema` while the
store itself is still being imported.
"""
