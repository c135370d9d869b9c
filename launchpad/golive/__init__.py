"""The go-live checklist (上线清单): what must be done before go-live, by whom, by when, and
what proves it. `checklist.py` reads `golive.yaml`, `proofs.py` finds what proves each item in
the store, `progress.py` turns both into how far the site is from go-live."""
