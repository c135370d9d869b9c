"""Modal dialogs: one small base (title, body, buttons, the safe answer on Escape) shared by the
error, confirmation, production, sign-off, reason, approval and resume dialogs."""
