"""User import: the client's HR sheet checked row by row, planned against the live target
system, applied in batches and recorded so it can be rolled back.

- `sources.py` reads a file into sheets of text cells (xlsx/xls/ods through python-calamine,
  CSV/TSV with the encoding detected);
- `layout.py` finds the header row (under title rows, over two rows with merged cells);
- `mapping.py` is the `imports/*.yaml` model: target, columns, transforms, code lists, units,
  roles, natural key;
- `idnumber.py`, `checks.py` check every row and collect every problem;
- `annotate.py` writes the annotated copy of the sheet for the client.
"""
