"""New pages without guessing: ``python build.py new treatment "PRP" --tr "PRP tedavisi"``.

Writes the pair of files of a new page, one per language, with every field its layout requires
(from `schema.SCHEMAS`), each explained by a comment in the file's own language and holding a
blank to fill in. The pair is a draft: the preview shows it, the published site leaves it out,
and its blanks are placeholders the build lists until they are filled in.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .model import PROFILE_LAYOUT
from .schema import COMMON, SCHEMAS, Field
from .slugs import slug_problem, slugify

KINDS = ("treatment", "doctor", "page")  # a layout of schema.SCHEMAS, or a plain page at the top


@dataclass(frozen=True)
class Help:
    """What a field is for, and the blank it starts with, in Turkish and in English."""

    tr: str
    en: str
    blank_tr: str = ""  # YAML written after 'field:' ('' for a value made by the scaffold)
    blank_en: str = ""


def _blank(what_tr: str, what_en: str) -> tuple[str, str]:
    return f'"[doldurulacak: {what_tr}]"', f'"[to be completed: {what_en}]"'


def _list(what_tr: str, what_en: str, items: int = 1) -> tuple[str, str]:
    tr, en = _blank(what_tr, what_en)
    return "".join(f"\n  - {tr}" for _ in range(items)), "".join(f"\n  - {en}" for _ in range(items))


HELP: dict[str, Help] = {
    "title": Help("Sayfanın başlığı (sayfada tek H1).", "The page's heading (its only H1)."),
    "description": Help("Arama sonuçlarında görünen bir iki cümle (50–160 karakter).",
                        "One or two sentences shown in search results (50 to 160 characters).",
                        *_blank("arama sonuçları için kısa açıklama",
                                "a short description for search results")),
    "layout": Help("Sayfanın türü: web editörü sayfayı bununla tanır; değiştirmeyin.",
                   "The kind of page: the web editor knows the page by it; leave it as it is."),
    "slug": Help("Sayfanın adresi: küçük harf, rakam ve tire.",
                 "The page's address: lower case, digits, hyphens."),
    "draft": Help("Taslak: önizlemede görünür, yayımlanmaz. Sayfa hazır olunca bu satırı silin.",
                  "A draft: the preview shows it, the published site does not. Delete this line when"
                  " the page is ready.", "true", "true"),
    "lead": Help("Başlığın altındaki ilk paragraf: ziyaretçi için yazın.",
                 "The first paragraph under the title, written for visitors.",
                 *_blank("ziyaretçiler için giriş paragrafı", "the opening paragraph for visitors")),
    "at_a_glance": Help("Özet bilgiler kutusu.", "The 'at a glance' box.",
                        '\n  session_length: "[doldurulacak: seans süresi]"'
                        '\n  sessions: "[doldurulacak: seans sayısı]"'
                        '\n  downtime: "[doldurulacak: iyileşme süresi]"'
                        '\n  anaesthesia: "[doldurulacak: anestezi]"',
                        '\n  session_length: "[to be completed: session length]"\n  sessions: "[to be'
                        ' completed: number of sessions]"\n  downtime: "[to be completed: downtime]"\n'
                        '  anaesthesia: "[to be completed: anaesthesia]"'),
    "contraindications": Help("Kimlere uygulanmaz: her durum bir satır.",
                              "Who should not have it: one line each.",
                              *_list("uygulanmaması gereken bir durum", "a condition that rules it out")),
    "preparation": Help("İşleme nasıl hazırlanılır: her öneri bir satır.", "How to prepare: one line each.",
                        *_list("hazırlık önerisi", "a preparation step")),
    "results": Help("Seans sayısı, değişikliklerin ne zaman görülebileceği, ne kadar sürdüğü (söz vermeden).",
                    "How many sessions, when changes may show, how long they last (no promises).",
                    *_blank("seanslar ve sonuçlar", "sessions and results")),
    "side_effects": Help("Olası yan etkiler: her biri bir satır.", "Possible side effects: one line each.",
                         *_list("olası bir yan etki", "a possible side effect")),
    "warning_signs": Help("Hemen başvurulması gereken belirtiler (112 cümlesini şablon ekler).",
                          "Signs that need the clinic at once (the template adds the 112 sentence).",
                          *_list("hemen başvurmayı gerektiren bir belirti", "a warning sign")),
    "aftercare": Help("İşlem sonrası bakım: her öneri bir satır.", "Aftercare: one line each.",
                      *_list("bakım önerisi", "an aftercare instruction")),
    "alternatives": Help("Diğer seçenekler, karşılaştırma yapmadan.", "Other options, without comparison.",
                         *_list("başka bir seçenek", "another option")),
    "evidence": Help("Bilimsel kanıtların gücü hakkında dürüst bir cümle.",
                     "One honest line on how strong the evidence is.",
                     *_blank("kanıtların durumu", "the strength of the evidence")),
    "authorisation": Help("Kimler, nerede uygulayabilir ve hasta bunu nasıl kontrol eder.",
                          "Who may perform it, where, and how a patient can check.",
                          *_blank("uygulama yetkisi", "who may perform it")),
    "faq": Help("Sık sorulan sorular (isteğe bağlı).", "Frequently asked questions (optional).",
                '\n  - question: "[doldurulacak: soru]"\n    answer: "[doldurulacak: yanıt]"',
                '\n  - question: "[to be completed: question]"\n    answer: "[to be completed: answer]"'),
    "references": Help("2–4 kaynak: başlık ve adres (url).", "2 to 4 sources: title and address (url).",
                       '\n  - title: "[doldurulacak: birinci kaynağın başlığı]"'
                       '\n  - title: "[doldurulacak: ikinci kaynağın başlığı]"',
                       '\n  - title: "[to be completed: the first source\'s title]"'
                       '\n  - title: "[to be completed: the second source\'s title]"'),
    "reviewed_by": Help("Sayfayı inceleyen hekimin profil dosyasının adı (content/doctors/ içinde).",
                        "The file name of the reviewing doctor's profile (in content/doctors/)."),
    "last_reviewed": Help("Son tıbbi inceleme tarihi (YYYY-AA-GG).",
                          "Date of the last medical review (YYYY-MM-DD)."),
    "next_review": Help("Bir sonraki inceleme tarihi.", "Date of the next review."),
    "procedure": Help("Arama motorları için işlemin tanımı.",
                      "What search engines are told about the procedure.",
                      '\n  type: percutaneous\n  how_performed: "[doldurulacak: nasıl uygulanır]"\n'
                      '  preparation: "[doldurulacak: hazırlık]"\n  followup: "[doldurulacak: sonrası]"\n'
                      '  body_location: "[doldurulacak: uygulama bölgesi]"',
                      '\n  type: percutaneous\n  how_performed: "[to be completed: how it is done]"\n'
                      '  preparation: "[to be completed: preparation]"\n'
                      '  followup: "[to be completed: follow-up]"\n'
                      '  body_location: "[to be completed: where on the body]"'),
    "specialty": Help("Diplomada yazan ana dal (ve varsa yan dal) uzmanlığı.",
                      "The main (and any sub-) specialty named on the diploma.",
                      *_blank("uzmanlık alanı", "specialty")),
    "registration": Help("Diploma tescil numarası.", "The diploma's registration number.",
                         *_blank("diploma tescil numarası", "registration number")),
    "languages": Help("Hastalarla konuşulan diller.", "Languages spoken with patients.",
                      "\n  - Türkçe", "\n  - Turkish"),
}  # fmt: skip

# The optional fields a new page starts with, besides the required ones.
STARTING = {
    # The layout is written out: it is how the web editor tells these pages from their folder's _index.
    "treatment": ("slug", "layout", "aftercare", "faq", "draft"),
    "doctor": ("slug", "layout", "draft"),
    "page": ("slug", "draft"),
}


class ScaffoldError(ValueError):
    """Why the pair cannot be written; nothing was written."""


@dataclass(frozen=True)
class NewPage:
    files: tuple[Path, ...]
    key: str  # "treatments/prp"


def fields_of(kind: str) -> list[tuple[str, Field]]:
    """Return the fields a new page of *kind* starts with, in the order the schema lists them."""
    schema = SCHEMAS.get(kind, COMMON)
    wanted = [(name, field) for name, field in schema.items() if field.required or name in STARTING[kind]]
    missing = [name for name, _ in wanted if name not in HELP]
    if missing:  # a field added to the schema needs its explanation here
        raise LookupError(f"scaffold.HELP has no entry for {', '.join(missing)}")
    return wanted


def folder_of(kind: str, config: SiteConfig) -> str:
    if kind == "page":
        return ""
    folder = config.folder_of_layout(kind)
    if folder is None:
        raise ScaffoldError(f"content/site.yaml maps no folder to the {kind!r} layout (section_layouts)")
    return folder


def front_matter(kind: str, lang: str, title: str, reviewer: str, today: dt.date) -> str:
    """Return the front matter of a new page of *kind* in *lang*."""
    lines = ["---"]
    for name, _ in fields_of(kind):
        help = HELP[name]
        lines.append(f"# {help.tr if lang == 'tr' else help.en}")
        value = help.blank_tr if lang == "tr" else help.blank_en
        if name == "title":
            value = json.dumps(title, ensure_ascii=False)
        elif name == "slug":
            value = slugify(title)
        elif name == "layout":
            value = kind
        elif name == "reviewed_by":
            value = reviewer
        elif name == "last_reviewed":
            value = today.isoformat()
        elif name == "next_review":
            value = (
                today.replace(year=today.year + 1).isoformat()
                if (today.month, today.day) != (2, 29)
                else (dt.date(today.year + 1, 3, 1).isoformat())
            )
        lines.append(f"{name}: {value}" if not value.startswith("\n") else f"{name}:{value}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def body(kind: str, lang: str) -> str:
    if lang == "tr":
        return "\n## [doldurulacak: ilk bölümün başlığı]\n\n[doldurulacak: sayfanın metni]\n"
    return "\n## [to be completed: the first section's heading]\n\n[to be completed: the page's text]\n"


def write_pair(
    content_dir: Path, config: SiteConfig, kind: str, titles: dict[str, str], reviewer: str, today: dt.date
) -> NewPage:
    """Write the new page's file in every language of *titles*; raise ScaffoldError, writing nothing."""
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind of page {kind!r}: use one of {', '.join(KINDS)}")
    codes = config.language_codes
    for lang in codes:
        if not titles.get(lang, "").strip():
            raise ScaffoldError(f"the title in {config.language(lang).name} is missing")
    folder = folder_of(kind, config)
    name = slugify(titles.get("en") or titles[codes[0]])
    if why := slug_problem(name):
        raise ScaffoldError(f"the file name made from the title would not do: {why}")
    for lang in codes:
        if why := slug_problem(slugify(titles[lang])):
            raise ScaffoldError(f"the address made from the title {titles[lang]!r} would not do: {why}")
    key = f"{folder}/{name}" if folder else name
    files = tuple(content_dir / f"{key}.{lang}.md" for lang in codes)
    existing = [f for f in files if f.exists()]
    if existing:
        shown = f"content/{key}.{existing[0].name.split('.')[-2]}.md"
        raise ScaffoldError(f"{shown} already exists: choose another title, or edit that page")
    for path, lang in zip(files, codes, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        text = front_matter(kind, lang, titles[lang], reviewer, today) + body(kind, lang)
        path.write_text(text, encoding="utf-8", newline="\n")
    return NewPage(files, key)


def default_reviewer(content_dir: Path, config: SiteConfig) -> str:
    """The first doctor's profile, as the reviewer a new treatment page names until it is changed."""
    folder = config.folder_of_layout(PROFILE_LAYOUT)
    if folder:
        names = sorted({p.name.split(".")[0] for p in (content_dir / folder).glob("*.md")} - {"_index"})
        if names:
            return names[0]
    return "ad-soyad"
