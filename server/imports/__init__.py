"""Imports and exports: Trello boards and time trackers' CSV files in, boards out."""
