"""Helpers shared by several test folders (not part of the library): ``support.server``, ``support.media``.

``tests/`` itself is not a package (a ``tests/__init__.py`` would rename every test folder to
``tests.<folder>`` and break the top-level ``sandbox.support`` / ``support.*`` imports): pytest's
default "prepend" import mode puts ``tests/`` on ``sys.path`` as the base of each test package, so
test modules import ``from support.server import LocalFileServer``. ``benchmarks/url_bench.py``
adds ``tests/`` to ``sys.path`` itself.
"""
