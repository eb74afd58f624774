"""The clerks' intake page: upload incident files, read the import log and the quarantine."""
