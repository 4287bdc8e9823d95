# ruff: noqa: E501
"""Time the worst inputs an editor (or a pull request) can send: each is built or refused at its line.

    python bench/limits.py            # every case once, then the preview under the slowest one

The goal: every input under the size limits is built or refused with path:line in under 5 s
and 500 MB on this 2-core machine, and the preview keeps answering meanwhile. Each case is
one page (or site.yaml) added to a copy of the project, built with `python build.py build`
(no cache); the table gives the wall time, the peak memory of the build's processes, and
the first line it printed. The cases are the attacks of untrusted files (alias bombs, quadratic
Markdown, deep nesting) and, for each bound, the worst page that still fits under it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import copy_project  # noqa: E402
from run import ENV, running_preview, tree_memory_kb  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
FRONT = "---\ntitle: Worst case\ndescription: A page made to take the build as long as it can.\n---\n"
PAGE_LIMIT = 512 * 1024 - 200  # bytes: just under the page size limit


def laughs() -> str:
    lines = ["  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"  {name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def paragraphs(unit: str, marks: int = 990, block: int = 19_500, page_marks: int = 9_900) -> str:
    """Fill a page up to the size limit with paragraphs just under the paragraph and page bounds."""
    per = max(1, sum(unit.count(c) for c in "`*_[<&!\\"))
    count = min(block // len(unit), marks // per)
    text = unit * count + "x" * (block - len(unit) * count)
    number = min(PAGE_LIMIT // (len(text) + 2), max(1, page_marks // max(1, per * count)))
    return "\n\n".join([text] * number) + "\n"


def cases() -> dict[str, str]:
    """The page text (or site.yaml addition, when it starts with 'site.yaml:') of each case."""
    realistic = (
        "See [the treatment](https://example.org/t), *emphasis*, **strong**, `code`, and <https://example.org/>. "
        * 6
    )
    return {
        "alias bomb in front matter (refused)": FRONT.replace("---\n", "---\nextra:\n" + laughs(), 1).replace(
            "\n---\n", "\n---\n", 1
        ),
        "alias bomb in site.yaml (refused)": "site.yaml:x-defaults:\n" + laughs(),
        "alias to itself (refused)": FRONT.replace("title:", "tags: &x [*x]\ntitle:", 1),
        "YAML nested 5,000 deep (refused)": FRONT.replace(
            "title:", "extra: " + "[" * 5000 + "]" * 5000 + "\ntitle:", 1
        ),
        "40 KB run of [ (refused)": FRONT + "[" * 40_000 + "\n",
        "unclosed brackets over paragraphs (refused)": FRONT + "\n\n".join(["[" * 300] * 40),
        "Markdown list 300 levels deep (refused)": FRONT
        + "".join("    " * i + "- item\n" for i in range(300)),
        "quote 3,000 levels deep (refused)": FRONT + "> " * 3000 + "x\n",
        "500 KB page: realistic prose (refused)": FRONT
        + paragraphs(realistic, marks=10**9, block=700, page_marks=10**9),
        "realistic prose up to the page's marks bound": FRONT + paragraphs(realistic, marks=10**9, block=700),
        "code spans up to the bounds": FRONT + paragraphs("`a "),
        "emphasis up to the bounds": FRONT + paragraphs("*a "),
        "underscores up to the bounds": FRONT + paragraphs("_a "),
        "entities up to the bounds": FRONT + paragraphs("&amp; "),
        "< up to the bounds": FRONT + paragraphs("<a "),
        "links up to the bounds": FRONT + paragraphs("[a](https://example.org/) ", block=5_000),
        "500 KB page: closed links (refused)": FRONT
        + paragraphs("[a](https://example.org/) ", block=2_000, page_marks=10**9),
        "500 KB page, no marks": FRONT + paragraphs("Plain words of a long page. ", page_marks=10**9),
        "500 KB page: unclosed [ at the bounds": FRONT
        + "\n\n".join(["[" * 24 + "x" * 400] * 1000)[:PAGE_LIMIT],
        "80,000 headings (refused)": FRONT + "## a\n\n" * 80_000,
        "blocks up to the bound: 2,990 headings": FRONT + "## a\n\n" * 2_990,
        "template: two nested loops (stopped)": "template:{% for i in range(100000) %}{% for j in range(100000) %}"
        "{% endfor %}{% endfor %}",
        "template: a join of 10 GB (refused)": 'template:{{ range(100000)|join("x" * 100000)|length }}',
        "template: doubling with ~ (refused)": 'template:{% set ns = namespace(s="x" * 99999) %}'
        "{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "template: reaching Python (refused)": "template:{{ cycler.__init__.__globals__.os }}",
        "500 KB page: lists 12 levels deep": FRONT
        + (("".join("    " * i + f"- item {i}\n" for i in range(12)) + "\n") * 2800)[:PAGE_LIMIT],
    }


def put_case(project: Path, text: str) -> None:
    """Write one case into the project copy, replacing the previous one."""
    page = project / "content/worst-case.en.md"
    site_yaml = project / "content/site.yaml"
    shutil.copy2(PROJECT / "content/site.yaml", site_yaml)
    page.unlink(missing_ok=True)
    shutil.copy2(PROJECT / "templates/page.html", project / "templates/page.html")
    if text.startswith("template:"):  # a line in the template of plain pages (a pull request's)
        template = project / "templates/page.html"
        lines = template.read_text(encoding="utf-8").replace(
            "{% block main %}", "{% block main %}\n" + text.removeprefix("template:"), 1
        )
        template.write_text(lines, encoding="utf-8")
    elif text.startswith("site.yaml:"):
        site_yaml.write_text(
            site_yaml.read_text(encoding="utf-8") + text.removeprefix("site.yaml:"), encoding="utf-8"
        )
    else:
        page.write_text(text, encoding="utf-8")


def run_case(project: Path, timeout: float = 300) -> tuple[float, int, int, str]:
    """Build; return seconds, peak RSS summed over the processes (MB), exit code, first message."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "build.py", "build", "--no-cache"], cwd=project, env=ENV,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_memory_kb(process.pid)[0])
        if time.perf_counter() - started > timeout:
            process.kill()
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    out, err = process.communicate()
    lines = [
        line
        for line in (err + out).decode("utf-8", "replace").split("\n")
        if ("worst-case" in line or "site.yaml:" in line or "templates/" in line)
        and "placeholder" not in line
    ]
    message = lines[0] if lines else (err + out).decode("utf-8", "replace").strip().split("\n")[-1]
    return seconds, peak // 1024, process.returncode, message[:110]


def preview_while(project: Path, text: str) -> tuple[float, float]:
    """Save *text* while the preview runs; return the rebuild's time and the slowest answer meanwhile."""
    put_case(project, FRONT + "Small.\n")
    with running_preview(project, "/en/worst-case/", timeout=120) as root:
        url, other = root + "/en/worst-case/", root + "/en/"
        (project / "content/worst-case.en.md").write_text(text, encoding="utf-8")
        saved = time.perf_counter()
        slowest = 0.0
        while True:
            asked = time.perf_counter()
            urllib.request.urlopen(other, timeout=60).read()
            slowest = max(slowest, time.perf_counter() - asked)
            body = urllib.request.urlopen(url, timeout=60).read()
            if b"Small." not in body:
                return time.perf_counter() - saved, slowest
            if time.perf_counter() - saved > 120:
                raise SystemExit("the preview did not rebuild within 120 s")
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitegen-limits-") as folder:
        project = copy_project(Path(folder) / "project")
        print(f"{'case':48} {'result':8} {'seconds':>8} {'peak MB':>8}  first message")
        slowest_text, slowest_time = "", 0.0
        for name, text in cases().items():
            if args.only and args.only not in name:
                continue
            put_case(project, text)
            seconds, peak, code, message = run_case(project)
            result = {0: "built", 1: "refused"}.get(code, f"exit {code}")
            print(f"{name:48} {result:8} {seconds:8.2f} {peak:8}  {message}", flush=True)
            if code == 0 and seconds > slowest_time:
                slowest_text, slowest_time = text, seconds
        if slowest_text:
            rebuild, answer = preview_while(project, slowest_text)
            print(f"\npreview, the slowest built case saved: rebuilt in {rebuild:.2f} s;"
                  f" slowest answer to another page meanwhile {answer:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
