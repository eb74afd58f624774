"""Accounts: users with roles and an area scope, their sign-ins, and the audit log."""
