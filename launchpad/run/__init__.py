"""Running a playbook: the models and loader, the values and templates of a run, the engine,
the questions it asks a person and the events it reports."""
