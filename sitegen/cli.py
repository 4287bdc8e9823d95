"""The command line: ``python build.py [build|serve|i18n] ...``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import catalog
from .errors import BuildError, format_problems
from .project import Project
from .runner import build_and_write, report_failure, summary


def command_build(project: Project, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        result = build_and_write(project)
    except BuildError as error:
        report_failure(error, project)
        return 1
    if result.warnings:
        print(format_problems(result.warnings), file=sys.stderr)
    print(summary(result, project, time.perf_counter() - started))
    return 0


def command_serve(project: Project, args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(project, host=args.host, port=args.port)


def command_i18n(project: Project, args: argparse.Namespace) -> int:
    if args.action == "extract":
        return catalog.extract(project)
    if args.action == "update":
        return catalog.update(project)
    if not args.lang:
        print("Say which language: python build.py i18n init LANG (for example: de)", file=sys.stderr)
        return 2
    return catalog.init(project, args.lang)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the clinic's bilingual website from content/, templates/ and locales/.",
        epilog="Without a command, the site is built into site/.",
    )
    main.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    main.add_argument("--output", type=Path, default=None, help="where to write the site (default: site/)")
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    build_cmd = commands.add_parser(
        "build",
        help="build the whole site into site/ (the default)",
        description="Build the whole site into site/. If anything is wrong, every problem is"
        " listed as file:line and site/ is left as it was.",
    )
    build_cmd.set_defaults(run=command_build)
    serve_cmd = commands.add_parser(
        "serve", help="build, serve on http://127.0.0.1:8000 and rebuild on every save",
        description="Build the site, serve site/ with live reload, and rebuild and reload the browser"
        " whenever a file in content/, templates/ or locales/ is saved. Stop with Ctrl+C.",
    )  # fmt: skip
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve_cmd.set_defaults(run=command_serve)
    i18n_cmd = commands.add_parser(
        "i18n", help="translators' workflow: extract, update or init catalogs",
        description="extract: collect the templates' interface strings into locales/messages.pot."
        " update: merge them into every locales/<lang>/LC_MESSAGES/messages.po."
        " init LANG: start a catalog for a new language. The build compiles catalogs itself.",
    )  # fmt: skip
    i18n_cmd.add_argument("action", choices=["extract", "update", "init"])
    i18n_cmd.add_argument("lang", nargs="?", help="with init: the language code, such as de")
    i18n_cmd.set_defaults(run=command_i18n)
    return main


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    project = Project.at(args.root, args.output)
    run = getattr(args, "run", command_build)
    try:
        return int(run(project, args))
    except KeyboardInterrupt:
        return 130
