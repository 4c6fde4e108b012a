"""The handlers of ``vidlint check``, ``probe`` and ``rules``, one module each.

``vidlint.cli`` parses the arguments and imports a command's module only when that command runs,
so that the start-up stays cheap: keep these modules' top-level imports light (heavy ones go inside
the functions that need them).
"""
