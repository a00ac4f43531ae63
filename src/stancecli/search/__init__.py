"""Norwegian-aware fuzzy search over source texts, with a persistent index.

Import from the submodules: `stancecli.search.engine.search` runs a query.
Nothing heavy is imported here, so the CLI starts fast.
"""
