"""Upper and lower case that respect Turkish and Azerbaijani dotted and dotless i.

Python's str.upper() turns "i" into "I" and "İ".lower() into two characters;
in Turkish "i" pairs with "İ" and "ı" with "I".
"""

from __future__ import annotations

_DOTTED_LANGUAGES = {"tr", "az"}


def upper(text: str, lang: str) -> str:
    """Return *text* in capitals as written in *lang*: "istanbul" -> "İSTANBUL" in Turkish."""
    if lang in _DOTTED_LANGUAGES:
        text = text.replace("i", "İ")  # str.replace is many times faster than str.translate
    return text.upper()


def lower(text: str, lang: str) -> str:
    """Return *text* in small letters as written in *lang*: "ISPARTA" -> "ısparta" in Turkish."""
    if lang in _DOTTED_LANGUAGES:
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


def capitalize(text: str, lang: str) -> str:
    """Return *text* with its first letter in capitals and the rest in small letters."""
    return upper(text[:1], lang) + lower(text[1:], lang)


def title(text: str, lang: str) -> str:
    """Return *text* with each word capitalised as written in *lang*."""
    return " ".join(capitalize(word, lang) for word in text.split(" "))


_TURKISH_ORDER = "abcçdefgğhıijklmnoöprsştuüvyz"
_TURKISH_RANK = {letter: f"{index:02d}" for index, letter in enumerate(_TURKISH_ORDER)}


def sort_key(text: str, lang: str) -> str:
    """Return a key that sorts *text* alphabetically as readers of *lang* expect.

    In Turkish, "Çene" comes after "Cilt" and "Işık" before "İğne".
    """
    folded = lower(text, lang)
    if lang not in _DOTTED_LANGUAGES:
        return folded
    return "".join(_TURKISH_RANK.get(ch, "99" + ch) for ch in folded)
