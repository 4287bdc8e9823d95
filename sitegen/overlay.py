"""What the preview shows an editor beside the pages: the error page at the address of a page that
has a mistake, and a banner of warnings on the pages they concern, in the language of the page.

The problems themselves (``path:line: what is wrong``, with a hint) are the build's; this module
lays them out for someone who is not a programmer: the lines of the file around the mistake with
the faulty one marked, and the few technical words they may contain explained.
"""

from __future__ import annotations

import gettext
import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import Problem
from .project import Project

AROUND = 3  # lines shown before and after the faulty one
MAX_EXCERPT_BYTES = 2 * 1024 * 1024  # a bigger file is not read for an excerpt
BANNER_CSS = "/_preview/overlay.css"  # served by the preview; pages' policy admits only their own host
_LANGUAGE = re.compile(r"\.([a-z]{2,3})\.md$")


def language_of(path: str, codes: Iterable[str], default: str) -> str:
    """The language of a page file (content/x.tr.md -> tr), or of a URL (/tr/...), else *default*."""
    codes = tuple(codes)
    match = _LANGUAGE.search(path)
    if match and match[1] in codes:
        return match[1]
    first = path.strip("/").split("/")[0]
    return first if first in codes else default


def _glossary(_: gettext.NullTranslations) -> dict[str, str]:
    """The technical words a problem may use, explained in plain words."""
    return {
        "front matter": _.gettext(
            "front matter: the fields between the two --- lines at the top of a page's file"
        ),
        "YAML": _.gettext("YAML: the way those fields are written, one 'name: value' per line"),
        "msgid": _.gettext("msgid: the English text of a button or menu item in the translation file"),
        "msgstr": _.gettext("msgstr: its translation, on the line under it"),
        "anchor": _.gettext("anchor: the part of a link after #, which leads to a heading of a page"),
        "slug": _.gettext(
            "slug: the last part of a page's address, such as mezoterapi in /tr/tedaviler/mezoterapi/"
        ),
    }


def excerpt(project: Project, problem: Problem) -> list[tuple[int, str, bool]]:
    """The lines of *problem*'s file around its line: (number, text, whether it is the faulty one)."""
    if not problem.line:
        return []
    path = Path(project.root, problem.path)
    try:
        if not path.resolve().is_relative_to(project.root) or path.stat().st_size > MAX_EXCERPT_BYTES:
            return []
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return []
    first, last = max(1, problem.line - AROUND), min(len(lines), problem.line + AROUND)
    return [(n, lines[n - 1], n == problem.line) for n in range(first, last + 1)]


def _problem_html(project: Project, problem: Problem, _: gettext.NullTranslations) -> str:
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    parts = [f'<li><p class="where"><code>{html.escape(where)}</code></p>',
             f'<p class="what">{html.escape(problem.message + problem.while_rendering)}</p>']  # fmt: skip
    if problem.hint:
        todo = html.escape(_.gettext("What to do:"))
        parts.append(f'<p class="hint">{todo} {html.escape(problem.hint)}</p>')
    lines = excerpt(project, problem)
    if lines:
        rows = "".join(
            f'<span class="{"faulty" if faulty else "line"}"><span class="n">{n}</span>'
            f"{'&#9654; ' if faulty else '  '}{html.escape(text)}</span>"
            for n, text, faulty in lines
        )
        parts.append(f"<pre>{rows}</pre>")
    return "".join(parts) + "</li>"


def _explained(problems: Iterable[Problem], _: gettext.NullTranslations) -> str:
    text = " ".join(f"{p.message} {p.hint or ''}" for p in problems)
    used = [explanation for word, explanation in _glossary(_).items() if word.lower() in text.lower()]
    if not used:
        return ""
    items = "".join(f"<li>{html.escape(entry)}</li>" for entry in used)
    title = html.escape(_.gettext("Words used above"))
    return f'<aside class="words"><h2>{title}</h2><ul>{items}</ul></aside>'


_PAGE_STYLE = """body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;
color:#222}ol{padding-left:1.2rem}li{margin-bottom:1.5rem}.where{margin:0;font-weight:600}
.what{margin:.2rem 0}.hint{margin:.2rem 0;color:#134c4b}
pre{background:#f6f8f8;border:1px solid #d8e0e2;padding:.5rem;overflow-x:auto;font-size:14px}
.faulty{display:block;background:#fde2e2;font-weight:700}.line{display:block}
.n{display:inline-block;min-width:3ch;color:#55636b;margin-right:1ch;text-align:right}
.words{background:#e7f2f1;padding:.25rem 1rem;border-radius:10px}"""


def error_page(
    project: Project, problems: list[Problem], translations: gettext.NullTranslations, lang: str,
    whole_site: bool,
) -> bytes:  # fmt: skip
    """The page shown instead of a page with a mistake (or of every page, if *whole_site*)."""
    _ = translations
    title = _.gettext("The site could not be built") if whole_site else _.gettext("This page has a mistake")
    lead = (
        _.gettext("Fix the mistake below and save the file: this page reloads by itself.")
        if whole_site
        else _.gettext(
            "Fix the mistake below and save the file: this page reloads by itself. The other pages of"
            " the preview work as usual; the published site is not built until every mistake is fixed."
        )
    )
    ordered = sorted(problems, key=lambda p: (p.path, p.line or 0))
    items = "".join(_problem_html(project, p, _) for p in ordered)
    return f"""<!doctype html>
<html lang="{html.escape(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_PAGE_STYLE}</style>
</head><body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(lead)}</p>
<ol class="problems">{items}</ol>
{_explained(problems, _)}
</body></html>
""".encode()


def banner(
    problems: list[Problem], held: Mapping[str, str | None], translations: gettext.NullTranslations,
    views: str = "",
) -> bytes:  # fmt: skip
    """The bar over a previewed page: the links to its *views* (HTML: the languages side by side, its
    search result), its warnings, and the pages left out of the preview for their mistakes (*held*:
    page file -> its address, when known)."""
    if not problems and not held and not views:
        return b""
    _ = translations
    todo = html.escape(_.gettext("What to do:"))
    kind = "preview-banner warn" if problems or held else "preview-banner"
    parts = [f'<link rel="stylesheet" href="{BANNER_CSS}"><aside class="{kind}" role="status">']
    if views:
        title = html.escape(_.gettext("Preview"))
        parts.append(f'<p class="preview-views"><strong>{title}:</strong> {views}</p>')
    if problems:
        count = len(problems)
        title = _.ngettext("%(n)d warning on this page", "%(n)d warnings on this page", count) % {"n": count}
        parts.append(f"<p><strong>{html.escape(title)}</strong></p><ul>")
        for problem in problems[:20]:
            where = f"{problem.path}:{problem.line}" if problem.line else problem.path
            hint = f" <em>{todo} {html.escape(problem.hint)}</em>" if problem.hint else ""
            parts.append(f"<li><code>{html.escape(where)}</code> {html.escape(problem.message)}{hint}</li>")
        parts.append("</ul>")
    if held:
        title = _.gettext("Pages not shown until their mistake is fixed:")
        parts.append(f"<p><strong>{html.escape(title)}</strong></p><ul>")
        for path, url in sorted(held.items()):
            shown = html.escape(path)
            parts.append(f'<li><a href="{html.escape(url)}">{shown}</a></li>' if url else f"<li>{shown}</li>")
        parts.append("</ul>")
    parts.append("</aside>")
    return "".join(parts).encode()


BANNER_STYLE = b""".preview-banner{background:#f6f8f8;border-bottom:1px solid #d8e0e2;padding:.4rem 1rem;
font:15px/1.45 system-ui,sans-serif;color:#1f2a30}
.preview-banner.warn{background:#fdf6e7;border-bottom:3px solid #c58b00}.preview-banner p{margin:.25rem 0}
.preview-banner ul{margin:.25rem 0 .5rem;padding-left:1.2rem}.preview-banner code{font-size:14px}
.preview-banner em{color:#134c4b;font-style:normal}
.preview-banner .preview-views a{margin-right:1rem}
"""
