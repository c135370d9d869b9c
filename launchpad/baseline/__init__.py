"""Roles, permissions, dictionaries and posts: what HQ ships (the baseline, `baselines/` in the
workspace) against what each environment holds.

- `model.py` is the baseline as data, keyed by natural keys only (never database ids);
- `files.py` reads and writes it: YAML (primary, located errors), xlsx or a folder of CSV files;
- `ruoyi.py` reads a live RuoYi (若依) database into the same shape and writes fixes back;
- `drift.py` compares two of them: missing, extra and changed items, each with a severity;
- `fix.py` turns chosen differences into parameterised SQL applied in one transaction;
- `records.py` keeps comparisons and applied fixes in the store; `reports.py` writes md/html/xlsx;
- `operations.py` holds the use cases the command line and the `baseline` step share.
"""
