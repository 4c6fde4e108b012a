"""The warm server behind ``vidlint check --server``: one background process per user and build that
keeps the probe's modules and native libraries loaded, and runs each check in a fork of itself on the
caller's own standard streams.

A fresh ``vidlint`` process spends most of a one-file check starting up (Python, ~50 dataclasses,
libmagic's database, libmediainfo); the server pays that once. ``client`` is what the console script
runs first (nothing imported but ``os``, ``sys``, ``_socket`` and ``marshal``), ``daemon`` the server,
``address`` where they meet, ``wire`` how they talk. docs/server.md is the user's side.
"""
