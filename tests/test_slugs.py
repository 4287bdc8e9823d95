from hypothesis import given
from hypothesis import strategies as st

from sitegen.slugs import SLUG_PATTERN, slug_problem, slugify


def test_turkish_letters_are_transliterated_not_dropped():
    assert slugify("Saç Mezoterapisi") == "sac-mezoterapisi"
    assert slugify("ılık") == "ilik"
    assert slugify("Nasıl Yapılır?") == "nasil-yapilir"
    assert slugify("IŞIK İĞNE ÇÖĞÜŞ") == "isik-igne-cogus"
    assert slugify("çğıöşü ÇĞİÖŞÜ") == "cgiosu-cgiosu"


def test_punctuation_and_spaces_become_single_hyphens():
    assert slugify("  Yan etkiler -- ve   bakım!  ") == "yan-etkiler-ve-bakim"
    assert slugify("Hair mesotherapy: what & why") == "hair-mesotherapy-what-why"


def test_slug_problem_explains_and_suggests():
    assert slug_problem("sac-mezoterapisi") is None
    assert slug_problem("") == "the slug is empty"
    assert slug_problem("Saç Mezoterapisi") == (
        "the slug 'Saç Mezoterapisi' may only contain lower-case letters a-z, digits and single"
        " hyphens (try 'sac-mezoterapisi')"
    )
    assert slug_problem("../etc") is not None
    assert slug_problem("a/b") is not None


@given(st.text())
def test_slugify_output_is_always_a_clean_slug_or_empty(text):
    slug = slugify(text)
    assert slug == "" or SLUG_PATTERN.match(slug)


@given(st.text())
def test_slugify_is_idempotent(text):
    assert slugify(slugify(text)) == slugify(text)
