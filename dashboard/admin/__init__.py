"""The administrators' page: accounts and the audit log."""
