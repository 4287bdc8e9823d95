"""The command line: ``python build.py [build|serve|i18n] ...``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .engine.run import build_unless_unchanged
from .errors import BuildError, count, format_problems
from .options import BuildOptions, default_jobs
from .project import Project
from .report import format_report, internal_error, report_failure, report_problems, summary

if TYPE_CHECKING:
    from .model import Page
    from .pipeline import BuildResult


def command_build(project: Project, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    changes_file = getattr(args, "changes", None)
    if changes_file is not None and (changes_file.is_dir() or not changes_file.parent.is_dir()):
        print(f"--changes {changes_file}: give a file in an existing folder, such as changes.json;"
              " nothing was built", file=sys.stderr)  # fmt: skip
        return 2
    try:
        done, problems, changes = build_unless_unchanged(
            project, build_options(args), use_cache=not getattr(args, "no_cache", False)
        )
    except BuildError as error:
        report_failure(error, project)
        return 1
    report_problems(problems)
    if args.changes:
        args.changes.write_text(changes.as_json(), encoding="utf-8")
    print(summary(done, changes, project, time.perf_counter() - started))
    return 0


_ALLOW_HELP = (
    "with --strict: let the placeholders through as notes (a build of the repository's own"
    " sample content; never for the site that is published)"
)


def build_options(args: argparse.Namespace) -> BuildOptions:
    """The options of a build as the command line gives them."""
    jobs = getattr(args, "jobs", None)
    return BuildOptions(strict=args.strict, allow_placeholders=args.allow_placeholders, drafts=args.drafts,
                        base_url=args.base_url, jobs=default_jobs() if jobs is None else jobs)  # fmt: skip


def command_check(project: Project, args: argparse.Namespace) -> int:
    from . import checks
    from .pipeline import build

    try:
        result = build(project, BuildOptions(check=True, base_url=args.base_url))
    except BuildError as error:
        problems, status = list(error.problems), []
    else:
        problems, status = list(result.problems), result.translations
        if args.translations:
            return _translations_report(project, args, result)
    if args.strict:
        problems = [p.strict(args.allow_placeholders) for p in problems]
    failed = any(p.is_error for p in problems)
    if args.json:
        report = {
            "ok": not failed,
            "problems": [
                {
                    "file": p.path,
                    "line": p.line,
                    "severity": p.severity,
                    "message": p.message + p.while_rendering,
                    "hint": p.hint,
                }
                for p in sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
            ],
            "translations": checks.status_json(status),
        }
        # With errors, the report lists them even when only the translations were asked for.
        shown = report["translations"] if args.translations and not failed else report
        _print_json(shown)
        return 1 if failed else 0
    if args.translations:  # the build failed: its errors, not the translations
        print(format_problems(problems), file=sys.stderr)
        return 1
    if problems:
        print(format_report(problems) + "\n", file=sys.stderr)
    print(f"check: {count(problems)}.", file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _translations_report(project: Project, args: argparse.Namespace, result: BuildResult) -> int:
    """``check --translations``: each page in each language; each catalog's interface strings;
    then, as warnings at their lines, what the language versions of a page do not share (a
    section, list item, question, link, picture or number) and the catalogs' unfinished entries."""
    import datetime as dt

    from . import catalog, checks, compare
    from .files import Reader

    def modified(page: Page) -> dt.datetime | None:
        try:
            return dt.datetime.fromtimestamp((project.root / page.source.shown).stat().st_mtime)
        except OSError:
            return None

    config = result.site.config
    catalogs, interface = catalog.interface_status(Reader(project), config)
    problems = compare.site_problems(result.site, modified) + interface
    if args.strict:
        problems = [p.strict(args.allow_placeholders) for p in problems]
    failed = any(p.is_error for p in problems)
    if args.json:
        ordered = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
        _print_json({
            "pages": checks.status_json(result.translations),
            "interface": [dataclasses.asdict(row) for row in catalogs],
            "problems": [{"file": p.path, "line": p.line, "severity": p.severity, "message": p.message,
                          "hint": p.hint} for p in ordered],
        })  # fmt: skip
        return 1 if failed else 0
    parts = [checks.status_table(config.language_codes, result.translations),
             "\n".join(catalog.status_lines(catalogs, config))]  # fmt: skip
    if problems:
        parts.append(format_problems(problems))
    parts.append(f"check --translations: {count(problems)}.")
    print("\n\n".join(parts))
    return 1 if failed else 0


def _print_json(data: object) -> None:
    """Print *data* as UTF-8 JSON whatever the terminal's encoding; a file name's undecodable
    bytes (kept by Python as lone surrogates) are written as \\u escapes, which JSON allows."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8", "backslashreplace"))
    sys.stdout.buffer.flush()


def command_serve(project: Project, args: argparse.Namespace) -> int:
    from .serve import serve

    try:
        return serve(project, host=args.host, port=args.port, cms_port=args.cms_port if args.cms else None)
    except BuildError as error:  # what stops the preview before it starts (the cache folder)
        print(format_problems(error.problems), file=sys.stderr)
        return 1


def command_cms_style(project: Project, args: argparse.Namespace) -> int:
    """Write the pages as the web editor saves them (or, with --check, name those that are not)."""
    from . import cms
    from .config import load_config
    from .files import Reader

    if not cms.installed():
        print(f"cms-style: the web editor is not installed; {cms.INSTALL_HINT}", file=sys.stderr)
        return 2
    try:
        config, _ = load_config(Reader(project))
    except BuildError as error:
        report_failure(error, project)
        return 1
    data = cms.admin_config(project.content_dir, config, {"name": "proxy"})
    try:
        differ = cms.restyle(project.root, data, write=not args.check)
    except (OSError, RuntimeError) as exc:
        print(f"cms-style: {exc}", file=sys.stderr)
        return 2
    state = "not in the web editor's style" if args.check else "rewritten"
    for path in differ:
        print(f"{project.show(path)}: {state}")
    if args.check and differ:
        print("Rewrite them with: python3 build.py cms-style", file=sys.stderr)
        return 1
    return 0


_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def command_cms_admin(project: Project, args: argparse.Namespace) -> int:
    """Add the web editor to the built site (site/admin/), saving to a GitHub repository."""
    from . import cms
    from .config import load_config
    from .files import Reader

    if not _REPO.match(args.repo):
        print(f"cms-admin --repo {args.repo!r}: give the repository as OWNER/NAME", file=sys.stderr)
        return 2
    if not cms.installed():
        print(f"cms-admin: the web editor is not installed; {cms.INSTALL_HINT}", file=sys.stderr)
        return 2
    if not (project.site_dir / "index.html").is_file():
        print(f"cms-admin: build the site first ({project.show(project.site_dir)}/ has no index.html)",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        config, _ = load_config(Reader(project))
    except BuildError as error:
        report_failure(error, project)
        return 1
    written = cms.write_admin(project.site_dir, project.content_dir, config, args.repo, args.branch,
                              args.auth_url)  # fmt: skip
    print(f"Web editor: {len(written)} files in {project.show(project.site_dir)}/admin/, saving to"
          f" {args.repo} ({args.branch})")  # fmt: skip
    return 0


def command_share_images(project: Project, args: argparse.Namespace) -> int:
    from .share_images import make_share_images

    return make_share_images(project)


def command_new(project: Project, args: argparse.Namespace) -> int:
    """Write the pair of files of a new page, then say where they are and how to preview them."""
    import datetime as dt

    from . import scaffold
    from .config import load_config
    from .files import Reader
    from .pipeline import build

    try:
        config, _ = load_config(Reader(project))
    except BuildError as error:
        report_failure(error, project)
        return 1
    first = config.languages[0].code
    titles: dict[str, str] = {lang.code: getattr(args, lang.code, None) or "" for lang in config.languages}
    given = args.title  # the English title, or the first language's when the site has no English
    titles["en" if "en" in titles else first] = given
    missing = [lang for lang, title in titles.items() if not title]
    if missing:
        options = " ".join(f'--{code} "..."' for code in missing)
        print(f"Give the title in every language: python build.py new {args.kind} \"{given}\" {options}",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        new = scaffold.write_pair(
            project.content_dir,
            config,
            args.kind,
            titles,
            scaffold.default_reviewer(project.content_dir, config),
            dt.date.today(),
        )
    except scaffold.ScaffoldError as error:
        print(f"new {args.kind}: {error}; nothing was written.", file=sys.stderr)
        return 1
    print("Wrote, as drafts (draft: true):")
    for path in new.files:
        print(f"  {project.show(path)}")
    print("Fill in every [...] value (the build lists each one), then preview: python3 build.py serve")
    try:
        site = build(project, BuildOptions(drafts=True)).site
    except BuildError:
        print("(The preview shows the problems to fix first.)")
    else:
        for lang in config.language_codes:
            page = site.page(new.key, lang)
            if page is not None:
                print(f"  {config.language(lang).name}: http://127.0.0.1:8000{page.url}")
    print("When the pages are ready, delete the line 'draft: true' from each file to publish them.")
    return 0


def command_i18n(project: Project, args: argparse.Namespace) -> int:
    from . import catalog

    if args.action == "extract":
        return catalog.extract(project)
    if args.action == "update":
        return catalog.update(project)
    if not args.lang:
        print("Say which language: python build.py i18n init LANG (for example: de)", file=sys.stderr)
        return 2
    return catalog.init(project, args.lang)


def _jobs(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes: give 1 to 64")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give a number from 1 to 65535 (8001)")
    return int(text)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the clinic's bilingual website from content/, templates/ and locales/.",
        epilog="Without a command, the site is built into site/.",
    )
    _project_options(main, defaults=True)
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    # The same options after the command ('build --base-url X') as before it ('--base-url X build').
    after = argparse.ArgumentParser(add_help=False)
    _project_options(after, defaults=False)
    build_cmd = commands.add_parser(
        "build",
        parents=[after],
        help="build the whole site into site/ (the default)",
        description="Build the whole site into site/. If anything is wrong, every problem is"
        " listed as file:line and site/ is left as it was.",
    )
    build_cmd.add_argument(
        "--strict",
        action="store_true",
        help="the publishing build: also run the checks of 'check'; warnings and placeholders stop it too",
    )
    build_cmd.add_argument("--allow-placeholders", action="store_true", help=_ALLOW_HELP)
    build_cmd.add_argument("--drafts", action="store_true", help="also build pages marked 'draft: true'")
    build_cmd.add_argument(
        "--changes", type=Path, metavar="FILE",
        help="write the files added, changed and removed since the previous build to FILE (JSON)",
    )  # fmt: skip
    build_cmd.add_argument(
        "--no-cache", action="store_true",
        help="render every page again instead of reusing .cache/ (the result is the same, only slower)",
    )  # fmt: skip
    build_cmd.add_argument(
        "--jobs", type=_jobs, metavar="N", default=None,
        help="processes that render pages (default: one per processor core)",
    )  # fmt: skip
    build_cmd.set_defaults(run=command_build)
    check_cmd = commands.add_parser(
        "check", parents=[after],
        help="check content, links, translations and the built pages; write nothing",
        description="Build the site in memory and report every problem as file:line, grouped by file:"
        " front matter, links and anchors, missing or outdated translations, interface strings,"
        " and the built HTML. Exits non-zero when there are errors.",
    )  # fmt: skip
    check_cmd.add_argument(
        "--strict", action="store_true", help="treat warnings and placeholders as errors (as publishing does)"
    )
    check_cmd.add_argument("--allow-placeholders", action="store_true", help=_ALLOW_HELP)
    check_cmd.add_argument(
        "--translations",
        action="store_true",
        help="only the translations: each page x language, each catalog's interface strings, and what"
        " the language versions of a page do not share (sections, list items, links, pictures, numbers)",
    )
    check_cmd.add_argument("--json", action="store_true", help="print the report as JSON (for CI)")
    check_cmd.set_defaults(run=command_check)
    serve_cmd = commands.add_parser(
        "serve", parents=[after], help="build, serve on http://127.0.0.1:8000 and rebuild on every save",
        description="Build the site, serve site/ with live reload, and rebuild and reload the browser"
        " whenever a file in content/, templates/ or locales/ is saved. Stop with Ctrl+C.",
    )  # fmt: skip
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve_cmd.add_argument(
        "--cms", action="store_true",
        help="also serve the web editor at /admin/ and start its local backend (needs npm ci --prefix cms)",
    )  # fmt: skip
    serve_cmd.add_argument(
        "--cms-port",
        type=_port,
        default=8081,
        help="with --cms: the port of the web editor's backend (default: 8081)",
    )
    serve_cmd.set_defaults(run=command_serve)
    new_cmd = commands.add_parser(
        "new", parents=[after], help="start a new page: the pair of files, every field to fill in",
        description="Write content/<folder>/<name>.<lang>.md for every language, with every field the"
        " page's layout requires, explained in the file's language, marked draft: true.",
    )  # fmt: skip
    new_cmd.add_argument("kind", choices=["treatment", "doctor", "page"], help="what kind of page")
    new_cmd.add_argument("title", help="the English title (it also names the files)")
    new_cmd.add_argument("--tr", metavar="TITLE", help="the Turkish title")
    new_cmd.set_defaults(run=command_new)
    i18n_cmd = commands.add_parser(
        "i18n", parents=[after], help="translators' workflow: extract, update or init catalogs",
        description="extract: collect the templates' interface strings into locales/messages.pot."
        " update: merge them into every locales/<lang>/LC_MESSAGES/messages.po."
        " init LANG: start a catalog for a new language. The build compiles catalogs itself.",
    )  # fmt: skip
    i18n_cmd.add_argument("action", choices=["extract", "update", "init"])
    i18n_cmd.add_argument("lang", nargs="?", help="with init: the language code, such as de")
    i18n_cmd.set_defaults(run=command_i18n)
    style_cmd = commands.add_parser(
        "cms-style", parents=[after],
        help="write the pages' front matter as the web editor saves it (comments are dropped)",
        description="Rewrite the front matter of every page the web editor edits the way it saves it:"
        " the same values, its quoting and line breaks, keys in the schema's order, no comments. A"
        " later save in the editor then changes only the lines of what was changed."
        " Needs npm ci --prefix cms.",
    )  # fmt: skip
    style_cmd.add_argument("--check", action="store_true", help="only list the pages not in that style")
    style_cmd.set_defaults(run=command_cms_style)
    admin_cmd = commands.add_parser(
        "cms-admin", parents=[after],
        help="add the web editor to the built site (site/admin/), saving to a GitHub repository",
        description="After a build: write site/admin/ (the web editor's page, its configuration and"
        " Decap CMS's files) so that editors sign in with GitHub and save there. Run it after every"
        " build: a build replaces site/ whole. Needs npm ci --prefix cms.",
    )  # fmt: skip
    admin_cmd.add_argument("--repo", required=True, metavar="OWNER/NAME", help="the GitHub repository")
    admin_cmd.add_argument("--branch", default="main", help="the branch saves go to (default: main)")
    admin_cmd.add_argument("--auth-url", metavar="URL",
                           help="the OAuth client editors sign in through (default: Netlify's)")  # fmt: skip
    admin_cmd.set_defaults(run=command_cms_admin)
    share_cmd = commands.add_parser(
        "share-images", parents=[after],
        help="redraw the images shown when a page is shared (after a name change)",
        description="Draw templates/static/share-<lang>.png (1200 x 630) from the clinic's name and a"
        " translated line, with Chromium. Needs the test tools (make test installs them).",
    )  # fmt: skip
    share_cmd.set_defaults(run=command_share_images)
    return main


def _project_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """Add --root, --output and --base-url; without *defaults*, a value not given keeps the one
    given before the command."""

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--root", type=Path, default=default(Path.cwd()),
                        help="the project folder (default: here)")  # fmt: skip
    parser.add_argument("--output", type=Path, default=default(None),
                        help="where to write the site (default: site/)")  # fmt: skip
    parser.add_argument(
        "--base-url", metavar="URL", default=default(None),
        help="publish at this address instead of base_url of content/site.yaml (for preview deploys)",
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    if not (args.root / "content").is_dir():
        print(f"--root {args.root}: there is no site project here (no content/ folder): give the folder"
              " that holds content/, templates/ and locales/", file=sys.stderr)  # fmt: skip
        return 2
    project = Project.at(args.root, args.output)
    if not hasattr(args, "run"):
        args.run, args.strict, args.drafts, args.changes = command_build, False, False, None
        args.allow_placeholders = False
    run = args.run
    try:
        return int(run(project, args))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if os.environ.get("SITEGEN_DEBUG"):
            raise
        print(internal_error(exc), file=sys.stderr)
        return 2
