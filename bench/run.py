# ruff: noqa: E501
"""Benchmark the build beside Hugo on the same generated content; print a table of figures.

    python bench/run.py                     # 200 and 2,000 pages, 3 runs each
    python bench/run.py --sizes 200 2000 8000 --runs 5

For each size (pages in all, half of them in each language) it makes a copy of
the project with generated treatment pages (bench/generate.py) and measures, as
the median of --runs runs, the wall time of `python build.py` for: a cold build
(no cache, empty site/), taking turns with Hugo's cold build of the same
content (Debian's `hugo`, bench/hugo_site.py) so that both meet the same state
of a noisy machine; a rebuild with nothing changed (and again without the
record of the last build, so that the cache is checked page by page); one
page's text edited; the treatment template edited; the Turkish catalog edited;
the time from saving a page while `python build.py serve` runs until the
preview serves the new page; and the peak memory of the cold build, sampled
every 20 ms over the build and its worker processes: PSS (memory shared by the
forked workers counted once) and RSS summed over the processes (shared memory
counted in each). Nothing is compared with figures from another run or machine.

With --readme it prints, after that table, the README's: one column per size,
one row per performance goal (cold build beside Hugo's and their ratio, nothing
changed, one page, template and catalog edited, the preview's save to new page,
peak memory beside Hugo's and their ratio).
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, photo  # noqa: E402
from hugo_site import make_hugo_site  # noqa: E402

ENV = {**os.environ, "SITEGEN_NO_BOOTSTRAP": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def _pss_kb(pid: int) -> int:
    """Proportional set size: memory shared between processes (forked workers) counted once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """Resident and proportional memory of *pid* and all its descendants, in KB."""
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
    total, pss, todo = 0, 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        pss += _pss_kb(current)
        todo.extend(children.get(current, []))
    return total, pss


def timed(command: list[str], cwd: Path) -> tuple[float, tuple[int, int]]:
    """Run *command*; return its wall time and the peak RSS and PSS of its process tree (KB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = (0, 0)
    while process.poll() is None:
        rss, pss = tree_memory_kb(process.pid)
        peak = (max(peak[0], rss), max(peak[1], pss))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{process.stderr.read().decode() if process.stderr else ''}"
        )
    return seconds, peak


def median_of(
    runs: int, prepare: Callable[[int], None], command: list[str], cwd: Path
) -> tuple[float, tuple[int, int]]:
    times, peaks = [], []
    for run in range(runs):
        prepare(run)
        seconds, peak = timed(command, cwd)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), (max(p[0] for p in peaks), max(p[1] for p in peaks))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_preview(project: Path, path: str, timeout: float = 600) -> Iterator[str]:
    """Run `python build.py serve` in *project* until it serves *path*; yield its root address."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--port", str(port)],
        cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(root + path, timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit(f"the preview did not start or does not serve {path}") from None
                time.sleep(0.2)
        time.sleep(1.0)  # let the watcher take its first look at the files
        yield root
    finally:
        server.terminate()
        server.wait(timeout=30)


def serve_latency(project: Path, runs: int) -> float:
    """Median time from saving a page to the preview serving its new text."""
    page = project / "content/treatments/t00000.en.md"
    title = page.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0].strip('"')
    sys.path.insert(0, str(project))
    from sitegen.slugs import slugify

    path = f"/en/treatments/{slugify(title)}/"
    with running_preview(project, path) as root:
        url = root + path
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


def measure_images(pages: int, runs: int, work: Path, figures: dict[str, float]) -> None:
    """The same pages, each showing one of pages / 4 distinct photos: cold, nothing changed, one replaced."""
    count = pages // 4
    project = generate(work / f"images-{pages}", pages // 2, images=count)
    build = [sys.executable, "build.py", "build"]

    def cold(_: int) -> None:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.rmtree(project / "site", ignore_errors=True)

    figures["images"] = count
    figures["images_cold"], _ = median_of(runs, cold, build, project)
    time.sleep(3.5)
    timed(build, project)
    record = project / ".cache" / "last-build.pickle"
    figures["images_noop_cache"], _ = median_of(
        runs, lambda _: record.unlink(missing_ok=True), build, project
    )
    target = project / "content/media/photo-0000.jpg"
    figures["image_edit"], _ = median_of(
        runs, lambda run: target.write_bytes(photo(10_000 + run)), build, project
    )
    shutil.rmtree(project)


def measure(pages: int, runs: int, work: Path, hugo: str | None, images: bool = True) -> dict[str, float]:
    per_language = pages // 2
    project = generate(work / f"site-{pages}", per_language)
    build = [sys.executable, "build.py", "build"]
    figures: dict[str, float] = {}

    def cold(_: int) -> None:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.rmtree(project / "site", ignore_errors=True)

    hugo_site = make_hugo_site(project, work / f"hugo-{pages}") if hugo else None
    hugo_run = [hugo or "hugo", "--quiet", "--ignoreCache", "-d", str((hugo_site or work) / "public")]

    def hugo_cold(_: int) -> None:
        shutil.rmtree((hugo_site or work) / "public", ignore_errors=True)
        shutil.rmtree((hugo_site or work) / "resources", ignore_errors=True)

    # Our cold build and Hugo's take turns, so that both meet the same state of a noisy machine.
    ours, theirs, ours_peaks, hugo_peaks = [], [], [], []
    for run in range(runs):
        cold(run)
        seconds, peak = timed(build, project)
        ours.append(seconds)
        ours_peaks.append(peak)
        if hugo_site:
            hugo_cold(run)
            seconds, peak = timed(hugo_run, hugo_site)
            theirs.append(seconds)
            hugo_peaks.append(peak)
    figures["cold"] = statistics.median(ours)
    figures["peak_rss_mb"] = max(p[0] for p in ours_peaks) / 1024
    figures["peak_pss_mb"] = max(p[1] for p in ours_peaks) / 1024
    if hugo_site:
        figures["hugo_cold"] = statistics.median(theirs)
        figures["hugo_peak_mb"] = max(p[0] for p in hugo_peaks) / 1024
    figures["cold_1"], _ = median_of(runs, cold, [*build, "--jobs", "1"], project)
    timed(build, project)  # warm the cache after the single-process runs
    time.sleep(3.5)  # a build is recorded as the last word only when no input changed in the 3 s before
    timed(build, project)
    figures["noop"], _ = median_of(runs, lambda _: None, build, project)
    record = project / ".cache" / "last-build.pickle"
    figures["noop_cache"], _ = median_of(runs, lambda _: record.unlink(missing_ok=True), build, project)
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
    shutil.rmtree(project)
    if images:
        measure_images(pages, runs, work, figures)
    if hugo_site:
        shutil.rmtree(hugo_site)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[200, 2000], help="pages in all (both languages)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown")
    parser.add_argument("--no-images", action="store_true", help="leave out the figures with photos")
    parser.add_argument(
        "--readme", action="store_true", help="also print the README's table (one column per size)"
    )
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
            figures = measure(size, args.runs, Path(folder), hugo, not args.no_images)
            rows.append((size, figures))
            print(f"  measured {size} pages", file=sys.stderr, flush=True)
    header = (
        "| pages | cold | cold, 1 process | Hugo cold | ratio to Hugo | no change | no change, cache only"
        " | one page edited | template edited | catalog edited | serve: save to new page"
        " | peak memory (PSS) | peak RSS, summed | Hugo peak memory | photos | cold, with photos"
        " | no change, with photos | one photo replaced |"
    )
    print(header)
    print("|" + "|".join(["---"] * (header.count("|") - 1)) + "|")
    for size, f in rows:
        hugo_cold = f.get("hugo_cold")
        ratio = f"{f['cold'] / hugo_cold:.2f}" if hugo_cold else "-"
        print(
            f"| {size:,} | {f['cold']:.2f} | {f['cold_1']:.2f} | {hugo_cold or 0:.2f} | {ratio} | {f['noop']:.2f}"
            f" | {f['noop_cache']:.2f} | {f['page_edit']:.2f} | {f['template_edit']:.2f}"
            f" | {f['catalog_edit']:.2f} | {f['serve']:.2f} | {f['peak_pss_mb']:.0f} MB | {f['peak_rss_mb']:.0f} MB"
            f" | {f.get('hugo_peak_mb', 0):.0f} MB | {f.get('images', 0):.0f} | {f.get('images_cold', 0):.2f}"
            f" | {f.get('images_noop_cache', 0):.2f} | {f.get('image_edit', 0):.2f} |"
        )
    if args.readme:
        print("\n" + readme_table(rows))


def readme_table(rows: list[tuple[int, dict[str, float]]]) -> str:
    """Return the README's table of *rows* (size, figures): one column per size, one row per goal."""

    def seconds(key: str) -> Callable[[dict[str, float]], str]:
        return lambda f: f"{f[key]:.2f} s" if key in f else "-"

    def ratio(ours: str, theirs: str) -> Callable[[dict[str, float]], str]:
        return lambda f: f"{f[ours] / f[theirs]:.2f}" if f.get(theirs) else "-"

    def megabytes(key: str) -> Callable[[dict[str, float]], str]:
        return lambda f: f"{f[key]:,.0f} MB" if key in f else "-"

    lines: list[tuple[str, Callable[[dict[str, float]], str]]] = [
        ("cold build", seconds("cold")),
        ("Hugo's cold build", seconds("hugo_cold")),
        ("cold build: ratio to Hugo", ratio("cold", "hugo_cold")),
        ("nothing changed", seconds("noop")),
        ("one page edited", seconds("page_edit")),
        ("template edited", seconds("template_edit")),
        ("catalog edited", seconds("catalog_edit")),
        ("preview: save to new page", seconds("serve")),
        ("cold build, pages showing pages / 4 distinct photos", seconds("images_cold")),
        ("  the same, nothing changed (cache checked file by file)", seconds("images_noop_cache")),
        ("  the same, one photo replaced", seconds("image_edit")),
        ("peak memory (PSS)", megabytes("peak_pss_mb")),
        ("Hugo's peak memory", megabytes("hugo_peak_mb")),
        ("peak memory: ratio to Hugo", ratio("peak_pss_mb", "hugo_peak_mb")),
    ]
    table = ["| | " + " | ".join(f"{size:,} pages" for size, _ in rows) + " |"]
    table.append("|---" * (len(rows) + 1) + "|")
    for name, cell in lines:
        table.append(f"| {name} | " + " | ".join(cell(figures) for _, figures in rows) + " |")
    return "\n".join(table)


if __name__ == "__main__":
    main()
