"""Make a copy of the project with many generated bilingual treatment pages, for the benchmark.

The pages are in the project's own content format (front matter the schema
accepts, Markdown with headings, lists, tables and links to other pages) and
read like the real ones: Turkish titles with ş ğ ı İ ç ö ü, about 800 words.
The words are drawn with a fixed seed, so the same arguments give the same site.

    python bench/generate.py DEST --pages 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
COPIED = (
    "templates", "locales", "content", "babel.cfg", "pyproject.toml", "requirements", "build.py", "sitegen"
)  # fmt: skip

# Vocabulary kept clear of the phrases content/rules.yaml forbids.
EN_WORDS = (
    "skin layer solution session practitioner consultation treatment area needle cream texture tone "
    "hydration collagen elastin circulation follicle scalp volume fine lines pores pigmentation care "
    "routine plan recovery redness swelling sensation comfort appointment assessment history goals "
    "vitamins enzymes extracts minerals amino acids gentle small careful regular clean calm even "
    "visible gradual individual local daily weekly early later usually often sometimes typically"
).split()
TR_WORDS = (
    "cilt katman solüsyon seans uzman görüşme tedavi bölge iğne krem doku ton nem kolajen elastin "
    "dolaşım folikül saç derisi hacim ince çizgi gözenek leke bakım rutin plan iyileşme kızarıklık "
    "şişlik his konfor randevu değerlendirme öykü hedef vitamin enzim özüt mineral amino asit nazik "
    "küçük dikkatli düzenli temiz sakin eşit görünür kademeli kişisel yerel günlük haftalık erken "
    "sonra genellikle çoğu zaman bazen ılık ışık güçlü yüzey içerik işlem süreç ölçü değişim"
).split()
EN_TOPICS = (
    "Skin",
    "Scalp",
    "Neck",
    "Hand",
    "Décolleté",
    "Eye Area",
    "Lip",
    "Jawline",
    "Forehead",
    "Cheek",
    "Body",
    "Arm",
    "Knee",
    "Chin",
    "Temple",
)
TR_TOPICS = (
    "Cilt",
    "Saç Derisi",
    "Boyun",
    "El",
    "Dekolte",
    "Göz Çevresi",
    "Dudak",
    "Çene Hattı",
    "Alın",
    "Yanak",
    "Vücut",
    "Kol",
    "Diz",
    "Gıdı",
    "Şakak",
)
EN_KINDS = ("Care", "Renewal", "Hydration", "Support", "Balance", "Revival", "Therapy", "Programme")
TR_KINDS = ("Bakımı", "Yenileme", "Nemlendirme", "Desteği", "Dengesi", "Canlandırma", "Terapisi", "İşlemi")
EN_HEADINGS = ("What is it?", "Who is it for?", "How does a session go?", "Aftercare", "Side effects")
TR_HEADINGS = ("Nedir?", "Kimler için uygundur?", "Seans nasıl geçer?", "Sonrası bakım", "Yan etkiler")


def sentence(rng: random.Random, words: list[str], low: int = 8, high: int = 16) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(low, high))]
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(sentence(rng, words) for _ in range(rng.randint(3, 5)))


def body(rng: random.Random, lang: str, index: int, count: int) -> str:
    words = EN_WORDS if lang == "en" else TR_WORDS
    headings = EN_HEADINGS if lang == "en" else TR_HEADINGS
    other = f"t{rng.randrange(count):05d}.md"
    link_text = "a related treatment" if lang == "en" else "ilgili bir tedavi"
    parts = [paragraph(rng, words), f"See also [{link_text}]({other}) and [{link_text}](mesotherapy.md)."]
    for number, heading in enumerate(headings):
        parts.append(f"## {heading}")
        parts.append(paragraph(rng, words))
        if number == 1:
            parts.append("\n".join(f"- {sentence(rng, words, 4, 8)}" for _ in range(4)))
        if number == 2:
            parts.append("\n".join(f"{n}. {sentence(rng, words, 5, 9)}" for n in range(1, 5)))
            first, second = ("Step", "Duration") if lang == "en" else ("Adım", "Süre")
            rows = [f"| {first} | {second} |", "| --- | --- |"]
            rows += [
                f"| {rng.choice(words)} {rng.choice(words)} | {rng.randint(5, 40)} min |" for _ in range(3)
            ]
            parts.append("\n".join(rows))
        parts.append(paragraph(rng, words))
    return "\n\n".join(parts) + "\n"


def front_matter(rng: random.Random, lang: str, index: int) -> str:
    topics, kinds = (EN_TOPICS, EN_KINDS) if lang == "en" else (TR_TOPICS, TR_KINDS)
    title = f"{rng.choice(topics)} {rng.choice(kinds)} {index}"
    words = EN_WORDS if lang == "en" else TR_WORDS
    description = sentence(rng, words, 12, 18)
    glance = {
        "en": ("About 30 minutes", "Several", "Minimal", "Topical cream"),
        "tr": ("Yaklaşık 30 dakika", "Birkaç seans", "Çok kısa", "Lokal krem"),
    }[lang]
    return f"""---
title: "{title}"
description: "{description}"
weight: {index + 10}
at_a_glance:
  session_length: "{glance[0]}"
  sessions: "{glance[1]}"
  downtime: "{glance[2]}"
  anaesthesia: "{glance[3]}"
side_effects:
  - "{sentence(rng, words, 5, 9)}"
  - "{sentence(rng, words, 5, 9)}"
faq:
  - question: "{sentence(rng, words, 4, 7)[:-1]}?"
    answer: "{sentence(rng, words)}"
reviewed_by: "Dr. Ayşe Yılmaz"
last_reviewed: 2026-{1 + index % 12:02d}-{1 + index % 28:02d}
procedure:
  type: percutaneous
  how_performed: "{sentence(rng, words)}"
  preparation: "{sentence(rng, words)}"
  followup: "{sentence(rng, words)}"
  body_location: "{rng.choice(topics)}"
---

"""


def copy_project(dest: Path) -> Path:
    """Copy what a build needs of the project (its content, templates, catalogs, code) to *dest*."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in COPIED:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def generate(dest: Path, pages: int, seed: int = 7) -> Path:
    """Copy the project to *dest* and add *pages* treatment pages in each language."""
    copy_project(dest)
    folder = dest / "content" / "treatments"
    for index in range(pages):
        for lang in ("en", "tr"):
            rng = random.Random(f"{seed}-{index}-{lang}")
            text = front_matter(rng, lang, index) + body(rng, lang, index, pages)
            (folder / f"t{index:05d}.{lang}.md").write_text(text, encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--pages", type=int, default=1000, help="treatment pages per language")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.dest, args.pages, args.seed)
    print(f"{args.dest}: {args.pages} treatment pages in each language")


if __name__ == "__main__":
    main()
