"""The desktop app (PySide6): the kanban board where the founder reviews the CEO's decisions.

The only package that imports Qt. Views lay out widgets; controllers hold behaviour; item
models sit over the store and follow its change events; blocking work goes through
``common.ops``.
"""
