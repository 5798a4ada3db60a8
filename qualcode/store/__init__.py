"""Persistence: SQLAlchemy models, engine factory, migrations and repositories.

Callers get frozen records from ``qualcode.domain.records``, never ORM rows.
"""
