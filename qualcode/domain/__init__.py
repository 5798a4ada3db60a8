"""Pure domain logic: text, offsets, spans and the records the store hands out.

Nothing in this package does I/O, talks SQL or imports a UI toolkit.
"""
