"""The workspace folder and what it holds: site.yaml and its models, secret references, time
windows, the duty roster, the YAML loader that remembers where each value came from, and
`launchpad init`."""
