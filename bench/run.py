# ruff: noqa: E501
"""Benchmark the build beside Hugo on the same generated content; print a table of figures.

    python bench/run.py                     # 200 and 2,000 pages, 3 runs each
    python bench/run.py --sizes 200 2000 8000 --runs 5

For each size (pages in all, half of them in each language) it makes a copy of
the project with generated treatment pages (bench/generate.py) and measures, as
the median of --runs runs, the wall time of `python build.py` for: a cold build
(no cache, empty site/), a rebuild with nothing changed, one page's text edited,
the treatment template edited and the Turkish catalog edited; the time from
saving a page while `python build.py serve` runs until the preview serves the
new page; and the peak memory of the cold build (resident memory of the build
and its worker processes together, sampled every 20 ms). Then it builds the
same content with Hugo (Debian's `hugo`, bench/hugo_site.py) and prints the
ratios. Nothing is compared with figures from another run or machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402
from hugo_site import make_hugo_site  # noqa: E402

ENV = {**os.environ, "SITEGEN_NO_BOOTSTRAP": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def tree_rss_kb(pid: int) -> int:
    """Resident memory of *pid* and all its descendants, in KB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Run *command*; return its wall time and the peak memory of its process tree (KB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss_kb(process.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, peak


def median_of(runs: int, prepare: Callable[[int], None], command: list[str], cwd: Path) -> tuple[float, int]:
    times, peaks = [], []
    for run in range(runs):
        prepare(run)
        seconds, peak = timed(command, cwd)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_latency(project: Path, runs: int) -> float:
    """Median time from saving a page to the preview serving its new text."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--port", str(port)],
        cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    page = project / "content/treatments/t00000.en.md"
    title = page.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0].strip('"')
    sys.path.insert(0, str(project))
    from sitegen.slugs import slugify

    url = f"http://127.0.0.1:{port}/en/treatments/{slugify(title)}/"
    try:
        deadline = time.time() + 600
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit(f"the preview did not start or does not serve {url}") from None
                time.sleep(0.2)
        time.sleep(1.0)  # let the watcher take its first look at the files
        latencies = []
        for run in range(runs):
            marker = f"Saved-{run}-{time.time_ns()}"
            page.write_text(page.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            saved = time.perf_counter()
            while marker not in urllib.request.urlopen(url, timeout=5).read().decode():
                if time.perf_counter() - saved > 60:
                    raise SystemExit("the preview did not show the edit within 60 s")
                time.sleep(0.005)
            latencies.append(time.perf_counter() - saved)
            time.sleep(0.5)
        return statistics.median(latencies)
    finally:
        server.terminate()
        server.wait(timeout=30)


def measure(pages: int, runs: int, work: Path, hugo: str | None) -> dict[str, float]:
    per_language = pages // 2
    project = generate(work / f"site-{pages}", per_language)
    build = [sys.executable, "build.py", "build"]
    figures: dict[str, float] = {}

    def cold(_: int) -> None:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.rmtree(project / "site", ignore_errors=True)

    figures["cold"], figures["peak_mb"] = median_of(runs, cold, build, project)
    figures["peak_mb"] /= 1024
    figures["cold_1"], _ = median_of(runs, cold, [*build, "--jobs", "1"], project)
    timed(build, project)  # warm the cache after the single-process runs
    figures["noop"], _ = median_of(runs, lambda _: None, build, project)
    page = project / "content/treatments/t00000.en.md"
    figures["page_edit"], _ = median_of(
        runs,
        lambda run: page.write_text(page.read_text("utf-8") + f"\nEdit {run}.\n", "utf-8"),
        build,
        project,
    )
    template = project / "templates/treatment.html"
    figures["template_edit"], _ = median_of(
        runs, lambda run: template.write_text(template.read_text("utf-8") + f"\n{{# {run} #}}\n", "utf-8"),
        build, project,
    )  # fmt: skip
    catalog = project / "locales/tr/LC_MESSAGES/messages.po"
    figures["catalog_edit"], _ = median_of(
        runs, lambda run: edit(catalog, 'msgstr "Ana sayfa', f'msgstr "Ana sayfa{"" if run % 2 else " "}'),
        build, project,
    )  # fmt: skip
    figures["serve"] = serve_latency(project, runs)
    if hugo:
        hugo_site = make_hugo_site(project, work / f"hugo-{pages}")

        def hugo_cold(_: int) -> None:
            shutil.rmtree(hugo_site / "public", ignore_errors=True)
            shutil.rmtree(hugo_site / "resources", ignore_errors=True)

        hugo_run = [hugo, "--quiet", "--ignoreCache", "-d", str(hugo_site / "public")]
        figures["hugo_cold"], hugo_peak = median_of(runs, hugo_cold, hugo_run, hugo_site)
        figures["hugo_peak_mb"] = hugo_peak / 1024
    shutil.rmtree(project)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[200, 2000], help="pages in all (both languages)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown")
    args = parser.parse_args()
    hugo = shutil.which("hugo")
    if hugo is None:
        print("hugo is not installed (apt-get install hugo): its column stays empty\n", file=sys.stderr)
    else:
        version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]
        print(f"Hugo: {version}")
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; median of {args.runs} runs; times in seconds\n"
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as folder:
        for size in args.sizes:
            figures = measure(size, args.runs, Path(folder), hugo)
            rows.append((size, figures))
            print(f"  measured {size} pages", file=sys.stderr, flush=True)
    header = (
        "| pages | cold | cold, 1 process | Hugo cold | ratio to Hugo | no change | one page edited"
        " | template edited | catalog edited | serve: save to new page | peak memory | Hugo peak memory |"
    )
    print(header)
    print("|" + "|".join(["---"] * (header.count("|") - 1)) + "|")
    for size, f in rows:
        hugo_cold = f.get("hugo_cold")
        ratio = f"{f['cold'] / hugo_cold:.2f}" if hugo_cold else "-"
        print(
            f"| {size:,} | {f['cold']:.2f} | {f['cold_1']:.2f} | {hugo_cold or 0:.2f} | {ratio} | {f['noop']:.2f}"
            f" | {f['page_edit']:.2f} | {f['template_edit']:.2f} | {f['catalog_edit']:.2f} | {f['serve']:.2f}"
            f" | {f['peak_mb']:.0f} MB | {f.get('hugo_peak_mb', 0):.0f} MB |"
        )


if __name__ == "__main__":
    main()
