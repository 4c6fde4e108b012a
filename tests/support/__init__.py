"""Helpers shared by several test folders (not part of the library).

``tests/`` itself is not a package: pytest puts it on ``sys.path`` (rootdir-relative "prepend"
import mode, as for ``sandbox.support``), so test modules import these as ``support.server`` and
``support.media``; ``benchmarks/url_bench.py`` adds ``tests/`` to ``sys.path`` itself.
"""
