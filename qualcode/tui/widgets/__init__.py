"""Widgets of the workbench: the transcript view, the code tree, the codes-here panel."""
