"""Alembic migrations for the qualcode schema (run through ``qualcode.store.migrate``)."""
