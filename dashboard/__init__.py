"""The Dash dashboard; a client of the timeline library's public API."""
