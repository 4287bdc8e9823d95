"""Shared fixtures: a small bilingual scratch site built from dedented strings."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from sitegen.errors import BuildError
from sitegen.pipeline import BuildResult, build
from sitegen.project import Project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

SITE_YAML = """\
base_url: https://klinik.test
languages:
  - {code: tr, name: Türkçe, locale: tr_TR}
  - {code: en, name: English, locale: en_GB}
section_layouts:
  {treatments: treatment, doctors: doctor}
clinic:
  name: Test Kliniği
  address: {street: Test Sokak 1, postal_code: "34000", district: Şişli, city: İstanbul, country: TR}
  medical_specialty: Dermatologic
  phone: +90 212 555 01 23
  whatsapp: +90 532 555 01 23
  email: info@klinik.test
  map_url: https://maps.test/clinic
  opening_hours:
    - {days: [mon, tue, wed, thu, fri], opens: "09:00", closes: "18:00"}
  legal_name: Test Sağlık Hizmetleri Ltd. Şti.
editor: {name: Dr. Test, email: editor@klinik.test}
"""

TREATMENT_FIELDS = """\
at_a_glance:
  session_length: 30 min
  sessions: several
  downtime: minimal
  anaesthesia: cream
side_effects:
  - bruising
reviewed_by: test
last_reviewed: 2026-11-24
procedure: {type: percutaneous, how_performed: needle, preparation: cream, followup: none, body_location: skin}
lead: A lead.
contraindications: [pregnancy]
preparation: [tell the doctor]
results: Several sessions.
warning_signs: [fever]
alternatives: [creams]
evidence: Limited.
authorisation: Certified doctors.
references:
  - {title: A review, url: "https://pubmed.ncbi.nlm.nih.gov/1/"}
  - {title: A label}
next_review: 2027-11-24
"""

DOCTOR_FIELDS = """\
specialty: Dermatology
registration: "12345"
languages: [Türkçe, English]
"""

BASE_FILES = {
    "content/site.yaml": SITE_YAML,
    "content/index.en.md": "---\ntitle: Welcome\ndescription: Home page.\n---\nHello.\n",
    "content/index.tr.md": "---\ntitle: Hoş geldiniz\ndescription: Ana sayfa.\n---\nMerhaba.\n",
    "content/contact.en.md": "---\ntitle: Contact\ndescription: Reach us.\nlayout: contact\nmenu: 2\n---\n",
    "content/contact.tr.md": "---\ntitle: İletişim\ndescription: Bize ulaşın.\nlayout: contact\nmenu: 2\n---\n",
    "content/privacy.en.md": "---\ntitle: Privacy notice\ndescription: Privacy.\n---\n",
    "content/privacy.tr.md": "---\ntitle: KVKK Aydınlatma Metni\ndescription: KVKK.\n---\n",
    "content/cookies.en.md": "---\ntitle: Cookies\ndescription: No cookies.\n---\n",
    "content/cookies.tr.md": "---\ntitle: Çerezler\ndescription: Çerez yok.\n---\n",
    "content/404.en.md": "---\ntitle: Page not found\ndescription: Not found.\n---\n",
    "content/404.tr.md": "---\ntitle: Sayfa bulunamadı\ndescription: Bulunamadı.\n---\n",
    "content/doctors/_index.en.md": "---\ntitle: Our doctors\ndescription: Doctors.\nslug: doctors\n---\n",
    "content/doctors/_index.tr.md": "---\ntitle: Hekimlerimiz\ndescription: Hekimler.\n---\n",
    "content/doctors/test.en.md": "---\ntitle: Dr Test\ndescription: A doctor.\n" + DOCTOR_FIELDS + "---\n",
    "content/doctors/test.tr.md": "---\ntitle: Dr. Test\ndescription: Bir hekim.\n" + DOCTOR_FIELDS + "---\n",
    "content/treatments/_index.en.md": "---\ntitle: Treatments\ndescription: All.\nslug: treatments\nmenu: 1\n---\n",
    "content/treatments/_index.tr.md": "---\ntitle: Tedaviler\ndescription: Hepsi.\nmenu: 1\n---\n",
    "content/treatments/mesotherapy.en.md": "---\ntitle: Mesotherapy\ndescription: Meso.\n"
    + TREATMENT_FIELDS
    + "---\n## How is it done?\n\nSee [hair](hair-mesotherapy.md).\n",
    "content/treatments/mesotherapy.tr.md": "---\ntitle: Mezoterapi\ndescription: Meso.\nslug: mezoterapi\n"
    + TREATMENT_FIELDS
    + "---\n## Nasıl Yapılır?\n\nBakınız [saç](hair-mesotherapy.md#olasi-yan-etkiler).\n",
    "content/treatments/hair-mesotherapy.en.md": "---\ntitle: Hair mesotherapy\ndescription: Hair.\n"
    + TREATMENT_FIELDS
    + "---\nText.\n",
    "content/treatments/hair-mesotherapy.tr.md": "---\ntitle: Saç Mezoterapisi\ndescription: Saç.\n"
    + TREATMENT_FIELDS
    + "---\nMetin.\n",
}


class ScratchSite:
    """The real templates with a small content/ and a frozen Turkish catalog of its own.

    The catalog is a fixture so that translators' edits to locales/ never break
    these tests; the real catalog has tests of its own in test_i18n.py.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(ROOT / "templates", root / "templates")
        catalog = root / "locales/tr/LC_MESSAGES/messages.po"
        catalog.parent.mkdir(parents=True)
        shutil.copy(FIXTURES / "messages.tr.po", catalog)
        shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
        self.write(BASE_FILES)
        self.project = Project.at(root)

    def write(self, files: dict[str, str | bytes]) -> None:
        """Write *files* (path -> text, dedented, or bytes) into the site."""
        for relative, data in files.items():
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(textwrap.dedent(data), encoding="utf-8")

    def remove(self, relative: str) -> None:
        (self.root / relative).unlink()

    def build(self) -> BuildResult:
        return build(self.project)

    def errors(self) -> str:
        """Build, expecting failure; return the problems as printed."""
        with pytest.raises(BuildError) as caught:
            build(self.project)
        return str(caught.value)

    def html(self, path: str) -> str:
        return self.build().outputs[path].decode("utf-8")


@pytest.fixture
def scratch_site(tmp_path: Path) -> ScratchSite:
    return ScratchSite(tmp_path / "project")
