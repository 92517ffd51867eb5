"""Round trips between the store, the Turtle files, spreadsheets and releases: `mskg fmt`, `export`, `diff`, `release`.

The Turtle files stay the canonical, reviewable form: edits made in the service are written back to them
(`export`), compared (`diff`) and recorded as dated releases (`releases`).
"""
