"""Catalog scale: many sources at once, streamed (docs/catalog.md).

- ``sources.read_sources(path, column=..., meta_columns=...)``: a list, table, JSON Lines file or
  Google Merchant feed, row by row (``feeds``: the feeds).
- ``buckets`` / ``objects``: ``s3://``, ``gs://``, ``az://`` sources through fsspec, listed and read
  header-only with the URL check's limits.
- ``runner.check_items(items, packs)``: a bounded number in flight, each in a killable probe worker
  (``dispatch``), a limit per host, results as each completes.
- ``output``: JSON Lines and ``--resume``; ``progress``: the bar and the summary; ``command``: the CLI's run.
- ``dask``: batches on a Dask cluster, and results of a ``dask.bag`` / dataframe column as a dataframe.

Nothing here is imported by ``vidlint check FILE``: only by ``--from``, bucket sources, JSON Lines,
``--resume`` and ``--scheduler``.
"""
