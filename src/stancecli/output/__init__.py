"""Renderers: turn a command's Listing into text. Only the table renderer imports Rich."""

FORMATS = ("table", "tsv", "csv", "json", "jsonl", "markdown")
