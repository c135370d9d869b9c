# bundled go-live playbooks
