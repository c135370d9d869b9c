"""The workspace store (`.launchpad/launchpad.db`): the database, its migrations, the audit log
and which process holds a record that is in progress."""
