"""Screens of the workbench: overview, coding, and the modals they open."""
