"""The Textual workbench: an app factory, screens, widgets and one stylesheet.

Only this package imports Textual; it reads and writes through ``qualcode.services``
and sees nothing but the frozen records those return.
"""
