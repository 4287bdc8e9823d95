"""Make a copy of the project with many generated bilingual treatment pages, for the benchmark.

The pages are in the project's own content format and have the mix of the real
ones (content/treatments/): front matter with every treatment field the schema
has (several side effects, aftercare and FAQ entries); Turkish titles with
ş ğ ı İ ç ö ü; about 900 words with bold or italic words in most paragraphs,
bulleted lists with bold lead-ins, numbered lists, the odd table; and five to
eight links, to other generated pages and to the real pages (mesotherapy.md,
../contact.md...), some of them to a heading that exists there. Every word is
clear of the phrases content/rules.yaml forbids: a strict build passes.
The words are drawn with a fixed seed, so the same arguments give the same site.

    python bench/generate.py DEST --pages 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from sitegen.slugs import slugify  # noqa: E402  (the anchors the build gives headings)

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
EN_HEADINGS = ("What is it?", "Who is it for?", "How does a session go?", "After the session", "Side effects")
TR_HEADINGS = ("Nedir?", "Kimler için uygundur?", "Seans nasıl geçer?", "Seans sonrası", "Yan etkiler")
# Link texts and the real pages of the project that generated pages link to (with the folder
# they are in as seen from content/treatments/), as the real pages link to each other.
LINK_TEXTS = {
    "en": ("a related treatment", "this treatment", "the session plan", "this page", "care after a session"),
    "tr": ("ilgili bir tedavi", "bu tedavi", "seans planı", "bu sayfa", "seans sonrası bakım"),
}
REAL_PAGES = {  # file as linked from content/treatments/ -> its link text in each language
    "mesotherapy.md": {"en": "mesotherapy", "tr": "mezoterapi"},
    "hair-mesotherapy.md": {"en": "hair mesotherapy", "tr": "saç mezoterapisi"},
    "../contact.md": {"en": "contact us", "tr": "bize ulaşın"},
    "../privacy.md": {"en": "privacy notice", "tr": "gizlilik bildirimi"},
}
TERMS = {  # bold lead-ins of list items, as the real pages write them ("- **Hair loss:** ...")
    "en": ("Skin tone", "Hydration", "Fine lines", "Scalp care", "Recovery", "Comfort", "Texture", "Volume"),
    "tr": ("Cilt tonu", "Nem", "İnce çizgiler", "Saç derisi", "İyileşme", "Konfor", "Doku", "Hacim"),
}


def sentence(rng: random.Random, words: list[str], low: int = 8, high: int = 16) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(low, high))]
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def marked(rng: random.Random, words: list[str], links: list[str]) -> str:
    """A sentence in which a few words may be bold or italic and a phrase may be a link."""
    chosen = [rng.choice(words) for _ in range(rng.randint(8, 16))]
    places = rng.sample(range(1, len(chosen)), 3)
    for at in places[: rng.choice((0,) * 8 + (1, 2))]:  # about as often as on the real pages
        chosen[at] = rng.choice(("**{}**", "*{}*", "_{}_", "**{}**")).format(chosen[at])
    if links and rng.random() < 0.35:
        chosen[places[2]] = links.pop()
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def paragraph(rng: random.Random, words: list[str], links: list[str] | None = None) -> str:
    links = links if links is not None else []
    return " ".join(marked(rng, words, links) for _ in range(rng.randint(3, 5)))


def anchors(project: Path, lang: str) -> dict[str, list[str]]:
    """The anchors of the headings of the real pages that generated pages link to, by link."""
    found = {}
    for link in REAL_PAGES:
        path = project / "content" / "treatments" / link.replace(".md", f".{lang}.md")
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        found[link] = [slugify(line[3:]) for line in text.split("\n") if line.startswith("## ")]
    return found


def page_links(rng: random.Random, lang: str, count: int, real: dict[str, list[str]]) -> list[str]:
    """The links of one page: to other generated pages and to the real ones, some to a heading."""
    texts = LINK_TEXTS[lang]
    headings = EN_HEADINGS if lang == "en" else TR_HEADINGS
    links = []
    for _ in range(rng.randint(3, 6)):
        target = f"t{rng.randrange(count):05d}.md"
        if rng.random() < 0.4:
            target += "#" + slugify(rng.choice(headings))
        links.append(f"[{rng.choice(texts)}]({target})")
    for link, text in rng.sample(sorted(REAL_PAGES.items()), 2):
        if real[link] and rng.random() < 0.5:
            link += "#" + rng.choice(real[link])
        links.append(f"[{text[lang]}]({link})")
    rng.shuffle(links)
    return links


def body(rng: random.Random, lang: str, count: int, real: dict[str, list[str]] | None = None) -> str:
    """The Markdown of a page that links to *count* generated pages and to the real ones (*real*:
    their anchors, see anchors(); by default those of this project's pages)."""
    real = anchors(PROJECT, lang) if real is None else real
    words = EN_WORDS if lang == "en" else TR_WORDS
    headings = EN_HEADINGS if lang == "en" else TR_HEADINGS
    links = page_links(rng, lang, count, real)
    see_also = "See also" if lang == "en" else "Ayrıca bakınız:"
    first = links.pop()
    parts = [paragraph(rng, words, links), f"{see_also} {first}."]
    for number, heading in enumerate(headings):
        parts.append(f"## {heading}")
        parts.append(paragraph(rng, words, links))
        if number == 1:
            terms = rng.sample(TERMS[lang], 4)
            parts.append("\n".join(f"- **{term}:** {marked(rng, words, links)}" for term in terms))
        if number == 2:
            parts.append("\n".join(f"{n}. {sentence(rng, words, 5, 9)}" for n in range(1, 5)))
            if rng.random() < 0.3:  # the odd table
                first, second = ("Step", "Duration") if lang == "en" else ("Adım", "Süre")
                rows = [f"| {first} | {second} |", "| --- | --- |"]
                rows += [
                    f"| {rng.choice(words)} {rng.choice(words)} | {rng.randint(5, 40)} min |"
                    for _ in range(3)
                ]
                parts.append("\n".join(rows))
        if number == 3:
            parts.append("\n".join(f"- {sentence(rng, words, 4, 8)}" for _ in range(rng.randint(3, 5))))
        parts.append(paragraph(rng, words, links))
    if links:  # the links left over
        parts.append(f"{see_also} {', '.join(links)}.")
    return "\n\n".join(parts) + "\n"


def front_matter(rng: random.Random, lang: str, index: int) -> str:
    topics, kinds = (EN_TOPICS, EN_KINDS) if lang == "en" else (TR_TOPICS, TR_KINDS)
    title = f"{rng.choice(topics)} {rng.choice(kinds)} {index}"
    words = EN_WORDS if lang == "en" else TR_WORDS
    description = sentence(rng, words, 12, 18)
    while len(description) > 150:  # search engines show 50 to 160 characters (checks.py)
        description = sentence(rng, words, 12, 18)
    glance = {
        "en": ("About 30 minutes", "Several", "Minimal", "Topical cream"),
        "tr": ("Yaklaşık 30 dakika", "Birkaç seans", "Çok kısa", "Lokal krem"),
    }[lang]
    side_effects = "".join(f'\n  - "{sentence(rng, words, 5, 9)}"' for _ in range(rng.randint(2, 4)))
    aftercare = "".join(f'\n  - "{sentence(rng, words, 5, 9)}"' for _ in range(rng.randint(2, 3)))
    faq = "".join(
        f'\n  - question: "{sentence(rng, words, 4, 7)[:-1]}?"\n    answer: "{sentence(rng, words)}"'
        for _ in range(rng.randint(3, 6))
    )
    listed = {
        name: "".join(f'\n  - "{sentence(rng, words, 5, 9)}"' for _ in range(rng.randint(2, 4)))
        for name in ("contraindications", "preparation", "warning_signs", "alternatives")
    }
    return f"""---
title: "{title}"
description: "{description}"
weight: {index + 10}
lead: "{sentence(rng, words, 14, 22)}"
at_a_glance:
  session_length: "{glance[0]}"
  sessions: "{glance[1]}"
  downtime: "{glance[2]}"
  anaesthesia: "{glance[3]}"
contraindications:{listed["contraindications"]}
preparation:{listed["preparation"]}
results: "{sentence(rng, words)}"
side_effects:{side_effects}
warning_signs:{listed["warning_signs"]}
aftercare:{aftercare}
alternatives:{listed["alternatives"]}
evidence: "{sentence(rng, words)}"
authorisation: "{sentence(rng, words)}"
faq:{faq}
references:
  - title: "{sentence(rng, words, 5, 9)}"
    url: https://pubmed.ncbi.nlm.nih.gov/{21393967 + index}/
  - title: "{sentence(rng, words, 5, 9)}"
reviewed_by: ad-soyad
last_reviewed: 2026-{1 + index % 12:02d}-{1 + index % 28:02d}
next_review: 2027-{1 + index % 12:02d}-{1 + index % 28:02d}
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
    real = {lang: anchors(dest, lang) for lang in ("en", "tr")}
    for index in range(pages):
        for lang in ("en", "tr"):
            rng = random.Random(f"{seed}-{index}-{lang}")
            text = front_matter(rng, lang, index) + body(rng, lang, pages, real[lang])
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
