"""The site-wide data file (content/site.yaml): languages, base URL, clinic data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from .addresses import unsafe_reason
from .errors import BuildError, Problem, raise_if_errors
from .files import Reader, Unreadable
from .placeholders import LISTED, find_placeholders, placeholder
from .yamltext import YamlDoc, parse_yaml

SITE_FILE = "site.yaml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")
_EMAIL = re.compile(r"^[^@\s:/]+@[^@\s:/]+\.[a-z]{2,}$", re.IGNORECASE)
# The root of a host: a scheme, a host name (letters of any script, digits, hyphens, dots), a port.
_ROOT_URL = re.compile(r"https?://[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*(?::\d{1,5})?/?")
_HOST = re.compile(r"[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+")
_WEB = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
_PHONE = re.compile(r"^\+\d[\d ]{6,}$")
# A registered electronic mail address: every KEP provider's addresses are under kep.tr.
_KEP = re.compile(r"^[^@\s:/]+@(?:[^@\s:/.]+\.)*kep\.tr$", re.IGNORECASE)
_MERSIS = re.compile(r"^\d{16}$")  # the central registry number: 16 digits
_INDEX = re.compile(r"[0-9]+")  # an item of a list, in a path such as clinic.opening_hours.0

PROFILE_LAYOUT = "doctor"  # the layout of a doctor's profile; section_layouts names its one folder
SEARCH_LAYOUT = (
    "search"  # the layout of the search page: listed by no search engine, nor by the site's own search
)

# schema.org's medical specialties a clinic or a doctor's profile may name (MedicalSpecialty).
MEDICAL_SPECIALTIES = (
    "Anesthesia", "Cardiovascular", "CommunityHealth", "Dentistry", "Dermatologic", "DietNutrition",
    "Emergency", "Endocrine", "Gastroenterologic", "Genetic", "Geriatric", "Gynecologic", "Hematologic",
    "Infectious", "LaboratoryScience", "Midwifery", "Musculoskeletal", "Neurologic", "Nursing",
    "Obstetric", "Oncologic", "Optometric", "Otolaryngologic", "Pathology", "Pediatric",
    "PharmacySpecialty", "Physiotherapy", "PlasticSurgery", "Podiatric", "PrimaryCare", "Psychiatric",
    "PublicHealth", "Pulmonary", "Radiography", "Renal", "RespiratoryTherapy", "Rheumatologic",
    "SpeechPathology", "Surgical", "Toxicologic", "Urologic",
)  # fmt: skip


# Every key site.yaml may have; a dict names the keys below, a list's one item those of each entry,
# None any value (section_layouts maps folder names, which are the editor's to choose).
_KEYS: dict[str, object] = {
    "base_url": None,
    "languages": [{"code": None, "name": None, "locale": None}],
    "section_layouts": None,
    "faq_markup": None,
    "image_hosts": None,
    "logo": None,
    "icon": None,
    "placeholders": None,
    "clinic": {
        "name": None,
        "legal_name": None,
        "kep": None,
        "mersis": None,
        "licences": [{"kind": None, "number": None, "issuer": None, "date": None}],
        "address": {"street": None, "postal_code": None, "district": None, "city": None, "country": None},
        "geo": {"latitude": None, "longitude": None},
        "medical_specialty": None,
        "phone": None,
        "whatsapp": None,
        "email": None,
        "map_url": None,
        "opening_hours": [{"days": None, "opens": None, "closes": None}],
    },
    "editor": {"name": None, "email": None},
}


@dataclass(frozen=True)
class Language:
    code: str  # "tr": the URL prefix, file suffix and <html lang>
    name: str  # the language's name in itself: "Türkçe"
    locale: str  # Babel locale for dates and numbers: "tr_TR"


@dataclass(frozen=True)
class OpeningHours:
    days: tuple[str, ...]  # weekday codes from WEEKDAYS
    opens: str
    closes: str


@dataclass(frozen=True)
class PostalAddress:
    street: str
    postal_code: str
    district: str
    city: str
    country: str  # ISO 3166 code: TR

    @property
    def lines(self) -> tuple[str, ...]:
        """Return the address as written in Turkey: street, then "34000 Şişli / İstanbul"."""
        return (self.street, f"{self.postal_code} {self.district} / {self.city}")


# The kinds of licence the contact page shows, each named by the template in the page's language.
LICENCE_KINDS = ("facility", "getat")


@dataclass(frozen=True)
class Licence:
    """A licence or authorisation the clinic holds, as its document names it."""

    kind: str  # one of LICENCE_KINDS: the facility's licence, the GETAT unit's authorisation
    number: str
    issuer: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Editor:
    name: str
    email: str


_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class Clinic:
    name: str
    address: PostalAddress
    phone: str
    whatsapp: str
    email: str
    map_url: str
    opening_hours: tuple[OpeningHours, ...]
    legal_name: str  # the data controller, as registered: the privacy notice names it
    medical_specialty: str | None = None  # schema.org, from the licence; none is claimed by default
    kep: str | None = None  # the registered electronic mail (KEP) address
    mersis: str | None = None  # the central registry number
    licences: tuple[Licence, ...] = ()
    geo: tuple[float, float] | None = None

    @property
    def phone_href(self) -> str:
        """Return the ``tel:`` link of the phone number."""
        return "tel:+" + _NOT_DIGIT.sub("", self.phone)

    @property
    def whatsapp_href(self) -> str:
        """Return the ``https://wa.me/<digits>`` link of the WhatsApp number."""
        return "https://wa.me/" + _NOT_DIGIT.sub("", self.whatsapp)


@dataclass(frozen=True)
class SiteConfig:
    base_url: str
    languages: tuple[Language, ...]
    section_layouts: tuple[tuple[str, str], ...]
    clinic: Clinic
    editor: Editor
    faq_markup: bool = False
    # Hosts that pages may show images from (https only). Every visitor's browser then contacts
    # them, so the privacy notice must name each one (the build checks that it does).
    image_hosts: tuple[str, ...] = ()
    logo: str | None = None  # an SVG of templates/static/: the header's logo and the SVG favicon
    icon: str | None = None  # a square PNG or JPEG of templates/static/ the browser's icons are made from

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        """Return the language with *code*."""
        return next(lang for lang in self.languages if lang.code == code)

    def layout_for_section(self, section: str) -> str | None:
        """Return the layout configured for pages in content folder *section*."""
        return dict(self.section_layouts).get(section)

    def folder_of_layout(self, layout: str) -> str | None:
        """Return the content folder whose pages have *layout* ('doctor' -> 'doctors'), if any."""
        return next((folder for folder, name in self.section_layouts if name == layout), None)


def base_url_problem(url: str) -> str | None:
    """Return why *url* cannot be the site's address, or None if it can."""
    port = re.search(r":(\d+)/?$", url.split("//", 1)[-1])
    if not _ROOT_URL.fullmatch(url) or (port and not 1 <= int(port[1]) <= 65535):
        return (
            f"the site's address must be the root of a host, such as https://www.klinik.com.tr,"
            f" found {url!r} (links inside the site start at /, so it cannot live in a sub-folder)"
        )
    return None


def with_base_url(config: SiteConfig, url: str | None) -> SiteConfig:
    """Return *config* published at *url* instead (a preview deploy); raise BuildError if invalid."""
    if url is None:
        return config
    if why := base_url_problem(url):
        raise_if_errors([Problem("--base-url", None, why, "give the preview's root address")])
    return dataclasses.replace(config, base_url=url.rstrip("/"))


def load_config(reader: Reader) -> tuple[SiteConfig, list[Problem]]:
    """Read and check the site data file; raise BuildError if it is unusable.

    Return the config and any warnings (placeholders still to be replaced).
    """
    path = reader.project.content_dir / SITE_FILE
    shown = reader.show(path)
    if not reader.exists(path):
        raise_if_errors([Problem(shown, None, "the site data file is missing",
                                 "restore it from git: git checkout -- content/site.yaml")])  # fmt: skip
    try:
        text, warnings = reader.read_text(path)
    except Unreadable as exc:
        raise BuildError([exc.problem]) from None
    doc, problems = parse_yaml(text, shown)
    raise_if_errors(problems)
    assert doc is not None
    fields = _Fields(doc)
    config = fields.site_config()
    notes = fields.listed_placeholders()
    for key in ("logo", "icon"):
        name = getattr(config, key)
        if name is not None and not reader.exists(reader.project.static_dir / name):
            fields.fail((key,), f"{key} names templates/static/{name}, which does not exist",
                        "put the file in templates/static/, or correct its name")  # fmt: skip
    raise_if_errors(fields.problems)
    notes += find_placeholders(shown, text, yaml_lines=text.count("\n") + 1)
    return config, warnings + _one_per_line(notes)


def _one_per_line(notes: list[Problem]) -> list[Problem]:
    """Keep the first note of each line: a value marked twice is one placeholder."""
    lines: dict[int | None, Problem] = {}
    for note in notes:
        lines.setdefault(note.line, note)
    return sorted(lines.values(), key=lambda note: note.line or 0)


def _dotted(data: object, prefix: str = "") -> list[str]:
    """Return the paths of every value in *data*: clinic, clinic.name, clinic.opening_hours.0..."""
    found = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for name, value in items:
        path = f"{prefix}{name}"
        found += [path, *_dotted(value, path + ".")]
    return found


class _Fields:
    """Typed access to the YAML document, collecting every problem found."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def fail(self, key: tuple[str | int, ...], message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line_of(*key), message, hint))

    def value(self, *key: str | int) -> object:
        data: object = self.doc.data
        for part in key:
            if isinstance(part, str) and isinstance(data, dict) and part in data:
                data = data[part]
            elif isinstance(part, int) and isinstance(data, list) and part < len(data):
                data = data[part]
            else:
                return None
        return data

    def text(self, *key: str | int) -> str:
        value = self.value(*key)
        typed = self.doc.typed(key, value)  # as typed: YAML reads 9:00 as 540 and No as False
        if typed and typed.strip():
            return typed.strip()
        name = ".".join(str(k) for k in key)
        if value is None or value == "":
            self.fail(key, f"{name!r} is required", f"add '{key[-1]}: ...' to the file")
        else:
            self.fail(key, f"{name!r} must be one line of text", "write it after the colon, in quotes")
        return ""

    def static_file(self, key: str, suffixes: tuple[str, ...]) -> str | None:
        """A file of templates/static/ named by *key*, checked to exist by `load_config`."""
        name = self.optional_text(key)
        if name is None:
            return None
        if not name.lower().endswith(suffixes) or ".." in name.replace("\\", "/").split("/"):
            self.fail((key,), f"{key} must name a {' or '.join(suffixes)} file of templates/static/, found"
                      f" {name!r}", f"for example: {key}: {key}{suffixes[0]}")  # fmt: skip
            return None
        return name.strip("/")

    def optional_text(self, *key: str | int) -> str | None:
        return self.text(*key) if self.value(*key) is not None else None

    def medical_specialty(self) -> str | None:
        specialty = self.optional_text("clinic", "medical_specialty")
        if specialty and specialty not in MEDICAL_SPECIALTIES:
            close = difflib.get_close_matches(specialty, MEDICAL_SPECIALTIES, n=1, cutoff=0.6)
            self.fail(("clinic", "medical_specialty"), f"medical_specialty is not one of schema.org's"
                      f" medical specialties: {specialty!r}", f"did you mean {close[0]!r}?" if close else
                      "leave the line out unless the licence names one, such as Dermatologic")  # fmt: skip
            return None
        return specialty

    def registered(self, name: str, pattern: re.Pattern[str], what: str, hint: str) -> str | None:
        """The clinic's *name* (kep, mersis): optional, and when given, *pattern*, unless it is still a
        placeholder (its note says so, and the publishing build refuses it)."""
        value = self.optional_text("clinic", name)
        shown = self.doc.path
        if value and not pattern.match(value) and not find_placeholders(shown, value):
            self.fail(("clinic", name), f"{name} must be {what}, found {value!r}", hint)
        return value

    def licences(self) -> tuple[Licence, ...]:
        value = self.value("clinic", "licences")
        if value is None:
            return ()
        found = []
        for index, _ in enumerate(self.items("clinic", "licences")):
            key = ("clinic", "licences", index)
            kind = self.text(*key, "kind")
            if kind and kind not in LICENCE_KINDS:
                self.fail((*key, "kind"), f"kind must be one of {', '.join(LICENCE_KINDS)}, found {kind!r}",
                          "facility: the facility's licence; getat: the authorisation of a traditional and"
                          " complementary medicine (GETAT) unit")  # fmt: skip
            date = self.value(*key, "date")
            if isinstance(date, dt.datetime):
                date = date.date()  # a web editor's date widget may add a time
            elif date is not None and not isinstance(date, dt.date):
                typed = self.doc.typed((*key, "date"), date) or date
                self.fail((*key, "date"), f"the licence's date must be a date written as YYYY-MM-DD without"
                          f" quotes, found {typed!r}", "write it as year-month-day, without quotes, for"
                          " example: date: 2024-05-17")  # fmt: skip
                date = None
            found.append(Licence(kind, self.text(*key, "number"), self.text(*key, "issuer"),
                                 date if isinstance(date, dt.date) else None))  # fmt: skip
        return tuple(found)

    def listed_placeholders(self) -> list[Problem]:
        """The values site.yaml's 'placeholders:' list names (a list survives a web editor's save,
        where a '# PLACEHOLDER' comment may not)."""
        value = self.value("placeholders")
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(("placeholders",), "placeholders must be a list of the data still to be replaced",
                      "for example: placeholders: [clinic.opening_hours, clinic.name]")  # fmt: skip
            return []
        found = []
        for index, name in enumerate(value):
            key = tuple(int(part) if _INDEX.fullmatch(part) else part for part in name.split("."))
            if self.value(*key) is None:
                known = sorted(_dotted(self.doc.data))
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                self.fail(("placeholders", index), f"placeholders names {name!r}, not a value of site.yaml",
                          f"did you mean {close[0]!r}?" if close else "write the path of a value, such as"
                          " clinic.opening_hours")  # fmt: skip
                continue
            shown = self.doc.raw.get(key, self.value(*key))
            what = shown if isinstance(shown, str) else name
            found.append(placeholder(self.doc.path, self.doc.line_of(*key), LISTED, what))
        return found

    def address(self, *key: str | int, pattern: re.Pattern[str], example: str) -> str:
        value = self.text(*key)
        if value and (unsafe_reason(value) or not pattern.match(value)):
            self.fail(
                key,
                f"{'.'.join(map(str, key))!r} is not a valid address: {value!r}",
                f"for example: {example}",
            )
        return value

    def items(self, *key: str | int) -> list[object]:
        value = self.value(*key)
        if isinstance(value, list) and value:
            return value
        self.fail(key, f"{'.'.join(map(str, key))!r} must be a list with at least one entry")
        return []

    def site_config(self) -> SiteConfig:
        if not isinstance(self.doc.data, dict):
            self.fail((), "the site data file must be a set of 'key: value' lines")
            raise_if_errors(self.problems)
        self.unknown_keys(self.doc.data, _KEYS, ())
        base_url = self.text("base_url").rstrip("/")
        if base_url and (why := base_url_problem(base_url)):
            self.fail(("base_url",), why, "for example: https://www.klinik.com.tr")
        layouts = self.value("section_layouts") or {}
        if not isinstance(layouts, dict):
            self.fail(("section_layouts",), "section_layouts must map folder names to templates")
            layouts = {}
        profiles = [str(folder) for folder, layout in layouts.items() if layout == PROFILE_LAYOUT]
        for folder in profiles[1:]:  # reviewed_by names a profile by its file in the one folder
            self.fail(("section_layouts", folder), f"section_layouts gives the {PROFILE_LAYOUT!r} layout to"
                      f" {folder!r} as well as to {profiles[0]!r}: the doctors' profiles live in one folder",
                      f"put every profile in content/{profiles[0]}/ and delete this line")  # fmt: skip
        faq_markup = self.value("faq_markup")
        if faq_markup is not None and not isinstance(faq_markup, bool):
            self.fail(("faq_markup",), "faq_markup must be true or false")
        return SiteConfig(
            base_url=base_url,
            languages=self.languages(),
            section_layouts=tuple(sorted((str(k), str(v)) for k, v in layouts.items())),
            clinic=self.clinic(),
            editor=Editor(
                name=self.text("editor", "name"),
                email=self.address("editor", "email", pattern=_EMAIL, example="editor@klinik.com.tr"),
            ),
            faq_markup=bool(faq_markup),
            image_hosts=self.image_hosts(),
            logo=self.static_file("logo", (".svg",)),
            icon=self.static_file("icon", (".png", ".jpg", ".jpeg")),
        )

    def image_hosts(self) -> tuple[str, ...]:
        value = self.value("image_hosts")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(("image_hosts",), "image_hosts must be a list of host names",
                      "for example: image_hosts: [images.klinik.com.tr]")  # fmt: skip
            return ()
        hosts = []
        for index, host in enumerate(value):
            if not isinstance(host, str) or not _HOST.fullmatch(host):
                hint = "write the name alone, without https:// or a path: images.klinik.com.tr"
                self.fail(("image_hosts", index), f"{host!r} is not a host name", hint)
                continue
            hosts.append(host.lower())
        return tuple(hosts)

    def unknown_keys(self, data: object, known: object, key: tuple[str | int, ...]) -> None:
        """Report every key that site.yaml does not have (a misspelling is otherwise silently ignored)."""
        if isinstance(known, list) and isinstance(data, list):
            for index, item in enumerate(data):
                self.unknown_keys(item, known[0], (*key, index))
        elif isinstance(known, dict) and isinstance(data, dict):
            for name, value in data.items():
                if name in known:
                    self.unknown_keys(value, known[name], (*key, name))
                    continue
                close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
                where = f" under {key[-1]!r}" if key and isinstance(key[-1], str) else ""
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.fail((*key, name), f"unknown key {name!r}{where}",
                          f"{hint}the keys here are: {', '.join(known)}")  # fmt: skip

    def languages(self) -> tuple[Language, ...]:
        languages = []
        for index, _ in enumerate(self.items("languages")):
            code = self.text("languages", index, "code")
            if code and not _LANG_CODE.match(code):
                self.fail(("languages", index, "code"), f"language code {code!r} must be like 'tr'")
            locale = self.text("languages", index, "locale")
            try:
                Locale.parse(locale)
            except (ValueError, UnknownLocaleError):
                self.fail(("languages", index, "locale"), f"unknown locale {locale!r}",
                          "use a locale such as 'tr_TR' or 'en_GB'")  # fmt: skip
            languages.append(Language(code, self.text("languages", index, "name"), locale))
        codes = [lang.code for lang in languages]
        for code in set(codes):
            if codes.count(code) > 1:
                self.fail(("languages",), f"language {code!r} is listed twice")
        return tuple(languages)

    def geo(self) -> tuple[float, float] | None:
        geo = self.value("clinic", "geo")
        if geo is None:
            return None
        try:
            latitude, longitude = float(geo["latitude"]), float(geo["longitude"])  # type: ignore[index]
        except (TypeError, KeyError, ValueError):
            self.fail(("clinic", "geo"), "geo needs latitude and longitude as numbers",
                      "for example: geo: {latitude: 41.06, longitude: 28.99}")  # fmt: skip
            return None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            self.fail(("clinic", "geo"), "geo is outside the map: latitude -90..90, longitude -180..180")
            return None
        return latitude, longitude

    def clinic(self) -> Clinic:
        hours = []
        for index, _ in enumerate(self.items("clinic", "opening_hours")):
            key = ("clinic", "opening_hours", index)
            days = self.value(*key, "days")
            if not isinstance(days, list) or not days or any(d not in WEEKDAYS for d in days):
                self.fail((*key, "days"), f"days must be a list of {', '.join(WEEKDAYS)}",
                          "for example: days: [mon, tue, wed]")  # fmt: skip
                days = []
            times = []
            for field in ("opens", "closes"):
                value = self.text(*key, field)
                if value and not _TIME.match(value):
                    self.fail((*key, field), f"{field} must be a time like \"09:00\", found {value!r}",
                              'write hours and minutes with two digits each, in quotes: "09:00"')  # fmt: skip
                times.append(value)
            hours.append(OpeningHours(tuple(days), times[0], times[1]))
        for field in ("phone", "whatsapp"):
            number = self.text("clinic", field)
            if number and not _PHONE.match(number):
                self.fail(("clinic", field), f"{field} must be an international number like"
                          f" \"+90 212 000 00 00\", found {number!r}")  # fmt: skip
        country = self.text("clinic", "address", "country")
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            self.fail(
                ("clinic", "address", "country"),
                f"country must be a two-letter code such as TR, found {country!r}",
            )
        return Clinic(
            name=self.text("clinic", "name"),
            address=PostalAddress(
                street=self.text("clinic", "address", "street"),
                postal_code=self.text("clinic", "address", "postal_code"),
                district=self.text("clinic", "address", "district"),
                city=self.text("clinic", "address", "city"),
                country=country,
            ),  # fmt: skip
            legal_name=self.text("clinic", "legal_name"),
            medical_specialty=self.medical_specialty(),
            kep=self.registered(
                "kep",
                _KEP,
                "the registered electronic mail (KEP) address, which ends in .kep.tr",
                "for example: kep: klinik@hs01.kep.tr",
            ),
            mersis=self.registered(
                "mersis",
                _MERSIS,
                "the 16-digit MERSIS number",
                'write its 16 digits, in quotes, as the trade registry gives it: "0123456789012345"',
            ),
            licences=self.licences(),
            geo=self.geo(),
            phone=self.text("clinic", "phone"),
            whatsapp=self.text("clinic", "whatsapp"),
            email=self.address("clinic", "email", pattern=_EMAIL, example="info@klinik.com.tr"),
            map_url=self.address(
                "clinic", "map_url", pattern=_WEB, example="https://www.openstreetmap.org/..."
            ),
            opening_hours=tuple(hours),
        )
