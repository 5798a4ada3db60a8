"""REFI-QDA exchange: .qdc codebooks and .qdpx projects, bytes <-> frozen records.

Knows no database: ``qualcode.services.exchange`` turns these records into rows and
back. Import is lenient (namespace variants, ``Sources/``, BOMs, NVivo's UTF-16
positions), export is strict (valid against the REFI-QDA 1.0 schemas).
"""
