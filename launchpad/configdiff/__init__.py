"""Configuration files compared across environments: the pre-release check that would have
caught a production release still pointing at the group's test interface.

`formats` reads .properties, YAML, JSON, INI and .env into flat `dotted.key → text` maps;
`expectations` loads which files to compare and which differences are declared
(`config-expect.yaml`); `masking` keeps secret values out of every output; `compare` judges
the readings; `collect` reads the files from the hosts of two environments and is the one
function the `config_diff` step and `launchpad config diff` both call.
"""
