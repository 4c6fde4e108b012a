"""The ``vidlint`` command: argument parsing and wiring only.

Exit codes: 0 every check passed, 1 at least one finding at or above ``--fail-on``, 2 a usage or
configuration error. Each command's handler lives in ``vidlint.commands`` and is imported only when
that command runs (heavy modules only inside the handlers that need them), so that
``vidlint --version`` and a pre-commit run of one file start quickly.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from vidlint import __version__
from vidlint.cli.common import EXIT_OK, EXIT_USAGE, UsageError, positive_int, prestart_probe
from vidlint.errors import VidlintError

FORMATS = ("text", "json", "sarif", "junit", "github", "jsonl")  # jsonl: a catalog run, streamed
CHECK_COMMANDS = ("check", "probe", "rules")
# every command, in help order
COMMANDS = ("check", "probe", "rules", "cache", "upload", "sandbox", "pack", "fix", "server")


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout. argparse builds a formatter at every add_argument (to check metavars), and
    its own asks ``shutil.get_terminal_size``: shutil's import (with bz2, lzma and zlib) cost every
    start ~2 ms for a width that only --help uses. The width comes from the same places here."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24) -> None:
        super().__init__(prog, indent_increment, max_help_position, width=_columns() - 2)


def _columns() -> int:
    """$COLUMNS, else the terminal's width, else 80 (what shutil.get_terminal_size answers)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def run() -> None:
    """The console script. vidlint uses no pydantic plug-in: skipping their discovery (a scan of every
    installed distribution's entry points) saves ~10 ms of each start, which a pre-commit run pays."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    command = sys.argv[1] if sys.argv[1:2] else ""
    if command == "check":
        gc.disable()  # until start-up is over (settled): its objects live until exit, collecting costs ~5 ms
    code = main()
    if command in CHECK_COMMANDS:
        _exit_now(code)
    raise SystemExit(code)


def _exit_now(code: int) -> NoReturn:
    """Exit once the output is out, without the interpreter's teardown (freeing every module costs
    ~25 ms once pydantic is loaded). Only after check, probe and rules: they leave no thread, no atexit
    work and nothing unflushed behind (their workers exit by themselves when the pipe closes)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: let the interpreter's own exit deal with it
        raise SystemExit(code) from None
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        if argv == ["--version"]:  # what argparse would print, without building every command's parser
            print(f"vidlint {__version__}")
            return EXIT_OK
        args = _parser(argv).parse_args(argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        _working_folder()
        return handler(args)
    except (UsageError, VidlintError) as exc:  # bad arguments, configuration, rule pack, missing path
        return _fail(str(exc))
    except RecursionError:  # input nested deeper than any reader is made for (each names its own first)
        return _fail("the input is nested too deeply")
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return _fail("interrupted", code=130)


def _working_folder() -> None:
    """Every command resolves paths (and its probe workers their files) against the working folder:
    one that was deleted under the shell is a usage error, even when every path given is absolute."""
    try:
        os.getcwd()
    except OSError as exc:
        raise UsageError(
            f"the working folder cannot be used ({exc.strerror or exc}): run vidlint from an existing folder"
        ) from None


def _fail(message: str, *, code: int = EXIT_USAGE) -> int:
    print(f"vidlint: error: {message}", file=sys.stderr)
    return code


def _safe_streams() -> None:
    """A file name that is not valid UTF-8 must not crash printing: escape what cannot be encoded."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _parser(argv: Sequence[str] = ()) -> _Parser:
    """The parser for ``argv``: the clients' commands (which import more, ~5 ms) are only added when
    the command is not one of check, probe and rules (help, version, a typo and theirs need them)."""
    ids = _marketplace_ids() if {"-h", "--help"} & set(argv) else ""
    return _built_parser(ids, full=not argv or argv[0] not in CHECK_COMMANDS)


@functools.cache
def _built_parser(ids: str, *, full: bool) -> _Parser:
    """Built once per process: the warm server (vidlint.server) builds it before it forks a run, which
    then parses at once (building costs ~3 ms, most of it gettext looking for translations)."""
    parser = _Parser(prog="vidlint", description="Check product videos against marketplace rules.")
    parser.add_argument("--version", action="version", version=f"vidlint {__version__}")
    parser.set_defaults(handler=_no_command)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    _add_check(commands.add_parser("check", help="check videos (files, folders or URLs)"), ids)
    _add_probe(commands.add_parser("probe", help="print what vidlint reads from files"))
    _add_rules(commands.add_parser("rules", help="list or explain the rules"))
    _add_cache(commands.add_parser("cache", help="show or clear the result cache"))
    if full:
        from vidlint.cli.sandbox import add_sandbox_parser
        from vidlint.cli.upload import add_upload_parser

        add_upload_parser(commands)
        add_sandbox_parser(commands)
        from vidlint.cli.pack import add_pack_parser

        add_pack_parser(commands)
        from vidlint.cli.fix import add_fix_parser

        add_fix_parser(commands)
        from vidlint.cli.server import add_server_parser

        add_server_parser(commands)
    return parser


def _marketplace_ids() -> str:
    """The built-in marketplace ids, for --help only (listing the rule packs' folder reads no pack)."""
    from vidlint.packs.builtin import pack_ids

    try:
        return ", ".join(pack_ids())
    except OSError:
        return ""


def _marketplace(text: str) -> str:
    if not text.strip(", \t"):
        raise argparse.ArgumentTypeError("needs a marketplace id (see vidlint rules list)")
    return text


def _add_check(parser: argparse.ArgumentParser, ids: str = "") -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH|URL",
        help="files, folders or URLs (default: ., or the request alone for request-only marketplaces)",
    )
    known = f"; one of: {ids}" if ids else ""
    parser.add_argument(
        "-m",
        "--marketplace",
        action="append",
        default=[],
        type=_marketplace,
        metavar="ID",
        help=f"marketplace to check against (repeatable, comma-separated; default: config, else all{known})",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--jobs", type=positive_int, default=None, metavar="N", help="worker processes (default: all cores)"
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    parser.add_argument(
        "--server",
        action="store_true",
        help="run in the warm background server, started at first use (VIDLINT_SERVER=1 too; docs/server.md)",
    )
    parser.add_argument("--caption", metavar="FILE", help="caption file for a single video")
    parser.add_argument(
        "--meta",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="request metadata (value parsed as JSON when it parses; repeatable)",
    )
    parser.add_argument(
        "--meta-file",
        metavar="FILE",
        help="request body: a JSON object file (--meta pairs go over its keys)",
    )
    parser.add_argument("--config", metavar="FILE", help="configuration file (default: found upwards)")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        default=None,
        help="lowest severity that fails the run (default: config, else error)",
    )
    parser.add_argument("--quiet", action="store_true", help="text: only files with findings, no matrix")
    parser.add_argument(
        "--matrix",
        action="store_true",
        help="text: one line per file, one column per marketplace (default: every one that judges files)",
    )
    parser.add_argument(
        "--statistics", action="store_true", help="after the report: findings per code and marketplace"
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE (a regular file)")
    _add_catalog(parser)
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text format (default auto: a terminal, unless NO_COLOR; FORCE_COLOR forces it)",
    )
    parser.add_argument(
        "--select",
        action="append",
        metavar="CODE_OR_RULE,...",
        help="report only these rule ids, provider codes or prefixes (e.g. samsclub.; repeatable)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="CODE_OR_RULE,...",
        help="drop these rule ids, provider codes or prefixes from output and exit code (repeatable)",
    )
    parser.set_defaults(handler=_check)


def _add_catalog(parser: argparse.ArgumentParser) -> None:
    """Catalog runs (vidlint.catalog): a list of sources, checked many at a time, streamed."""
    group = parser.add_argument_group("catalogs (docs/catalog.md)")
    group.add_argument(
        "--from", dest="from_file", metavar="FILE",
        help="sources listed in FILE (- for stdin): one per line, CSV/TSV/JSONL, or a Merchant product feed",
    )  # fmt: skip
    group.add_argument("--column", metavar="NAME", help="--from tables: the sources' column (default: first)")
    group.add_argument("--meta-columns", metavar="A,B", help="--from: columns passed as request metadata")
    group.add_argument(
        "--concurrency", type=positive_int, default=None, metavar="N",
        help="network sources in flight, each in its own probe worker (default: 16)",
    )  # fmt: skip
    group.add_argument(
        "--per-host", type=positive_int, default=None, metavar="N", help="per host or bucket (default: 16)"
    )
    group.add_argument("--resume", action="store_true", help="skip sources already in --output FILE.jsonl")
    group.add_argument("--scheduler", metavar="ADDRESS", help="run on this Dask scheduler ('vidlint[dask]')")


def _add_probe(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH|URL", help="files or URLs to read")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(handler=_probe)


def _add_rules(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(title="actions", metavar="ACTION", parser_class=_Parser, required=True)
    listing = actions.add_parser("list", help="list the rules of every (or the given) marketplace")
    listing.add_argument(
        "-m",
        "--marketplace",
        action="append",
        default=[],
        type=_marketplace,
        metavar="ID",
        help="only this marketplace's rules (repeatable)",
    )
    listing.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    listing.set_defaults(handler=_rules_list)
    show = actions.add_parser("show", help="explain one rule (or a marketplace's pack)")
    show.add_argument("rule_id", metavar="RULE_ID", help="a rule id, a provider code or a marketplace id")
    show.set_defaults(handler=_rules_show)
    for sub in (listing, show):
        sub.add_argument("--config", metavar="FILE", help="configuration file (default: found upwards)")


def _add_cache(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(title="actions", metavar="ACTION", parser_class=_Parser, required=True)
    actions.add_parser("info", help="where the cache is, its size and rows").set_defaults(handler=_cache_info)
    actions.add_parser("clear", help="remove vidlint's cache database").set_defaults(handler=_cache_clear)


def _cache_info(args: argparse.Namespace) -> int:
    from vidlint.cli.cache import info

    return info(args)


def _cache_clear(args: argparse.Namespace) -> int:
    from vidlint.cli.cache import clear

    return clear(args)


def _no_command(args: argparse.Namespace) -> int:
    raise UsageError(f"a command is required: {', '.join(COMMANDS)} (see vidlint --help)")


def _check(args: argparse.Namespace) -> int:
    if args.no_cache:  # nothing to ask first: the worker starts while the rest of the command imports
        prestart_probe(args.paths)
    from vidlint.cli.check import check

    return check(args)


def _probe(args: argparse.Namespace) -> int:
    from vidlint.cli.probe import probe

    return probe(args)


def _rules_list(args: argparse.Namespace) -> int:
    from vidlint.cli.rules import list_rules

    return list_rules(args)


def _rules_show(args: argparse.Namespace) -> int:
    from vidlint.cli.rules import show_rule

    return show_rule(args)
