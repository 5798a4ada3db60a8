"""Use cases shared by the CLI and the TUI.

Each function opens its own session on the project's database and commits one user
action as one transaction, writing the event log in the same transaction.
"""
