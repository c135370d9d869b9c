"""What the screens share that is not a screen, a dialog or a widget: the UI's words, keys,
commands, messages between screens, and the prompter and event plumbing of a run."""
