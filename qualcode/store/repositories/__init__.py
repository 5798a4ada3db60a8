"""Repositories: SQL for one aggregate each, returning frozen records.

They take an open ``Session`` and never commit: transactions belong to the services.
"""
