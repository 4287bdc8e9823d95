"""Reading page files: encodings, front matter fences, YAML mistakes, file names."""

import unicodedata

import pytest

from sitegen.content import read_source
from sitegen.files import Reader
from sitegen.project import Project


def read(tmp_path, data: bytes):
    path = tmp_path / "content" / "page.tr.md"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return read_source(Reader(Project.at(tmp_path)), path, "content/page.tr.md", "page", "tr")


def messages(problems):
    return [str(p) for p in problems]


def test_front_matter_and_body_are_split_with_the_body_line(tmp_path):
    source, problems = read(tmp_path, b"---\ntitle: A\ndescription: B\n---\nBody\n")
    assert problems == []
    assert source.front.data == {"title": "A", "description": "B"}
    assert source.body == "Body\n"
    assert source.body_line == 5
    assert source.front.line_of("description") == 3


def test_text_is_normalised_to_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Saç şişlik")
    source, _ = read(tmp_path, f"---\ntitle: {decomposed}\ndescription: x\n---\n".encode())
    assert source.front.data["title"] == "Saç şişlik"
    assert unicodedata.is_normalized("NFC", source.front.data["title"])


def test_windows_line_endings_are_accepted(tmp_path):
    source, problems = read(tmp_path, b"---\r\ntitle: A\r\ndescription: B\r\n---\r\nBody\r\n")
    assert problems == [] and source.body == "Body\n"


def test_unclosed_front_matter(tmp_path):
    source, problems = read(tmp_path, b"---\ntitle: A\n\nBody\n")
    assert source is None
    assert messages(problems) == [
        "content/page.tr.md:1: the front matter that starts on line 1 is never closed\n"
        "  hint: add a line with only '---' after the last field"
    ]


def test_missing_front_matter(tmp_path):
    _, problems = read(tmp_path, b"# Title\n")
    assert messages(problems) == [
        "content/page.tr.md:1: the file must start with a line '---', found '# Title'\n"
        "  hint: put '---', then the fields such as 'title: ...', then '---' at the top"
    ]


def test_malformed_yaml_reports_the_line_in_the_file(tmp_path):
    _, problems = read(tmp_path, "---\ntitle: A\ndescription: Saç: bakım\n---\n".encode())
    assert messages(problems) == [
        "content/page.tr.md:3: YAML syntax error: mapping values are not allowed here\n"
        "  hint: a value contains ': ' — put the whole value in double quotes"
    ]


def test_tab_in_yaml(tmp_path):
    _, problems = read(tmp_path, b"---\ntitle: A\nat_a_glance:\n\tdowntime: x\n---\n")
    assert messages(problems) == [
        "content/page.tr.md:4: a tab character is used for indentation or spacing in YAML\n"
        "  hint: YAML only allows spaces: replace the tab with spaces"
    ]


def test_duplicate_key(tmp_path):
    _, problems = read(tmp_path, b"---\ntitle: A\ntitle: B\n---\n")
    assert messages(problems) == [
        "content/page.tr.md:3: the key 'title' is given twice\n"
        "  hint: keep one of them: the second would silently replace the first"
    ]


def test_file_that_is_not_utf8(tmp_path):
    _, problems = read(tmp_path, b"---\ntitle: A\n---\nSa\xe7\n")
    assert messages(problems) == [
        "content/page.tr.md:4: the file is not UTF-8 text (byte 0xe7 cannot be read)\n"
        "  hint: save the file with the 'UTF-8' encoding in your editor"
    ]


def test_byte_order_mark_is_dropped_with_a_warning(tmp_path):
    source, problems = read(tmp_path, b"\xef\xbb\xbf---\ntitle: A\ndescription: B\n---\n")
    assert source is not None and source.front.data["title"] == "A"
    assert messages(problems) == [
        "content/page.tr.md:1: warning: the file starts with an invisible byte-order mark (BOM);"
        " it was ignored\n  hint: save the file as 'UTF-8' without BOM in your editor"
    ]


def test_empty_file(tmp_path):
    _, problems = read(tmp_path, b"\n \n")
    assert messages(problems) == [
        "content/page.tr.md:1: the file is empty\n  hint: add front matter (title, description) and text"
    ]


def test_unknown_language_and_missing_language_in_file_names(scratch_site):
    scratch_site.write({"content/about.de.md": "---\ntitle: x\n---\n", "content/about.md": "x"})
    errors = scratch_site.errors()
    assert "content/about.de.md: unknown language 'de' in the file name\n" in errors
    assert "  hint: the site's languages are tr, en (content/site.yaml)" in errors
    assert "content/about.md: the file name does not say its language\n" in errors
    assert "  hint: name it about.tr.md or about.en.md" in errors


def test_unclosed_quote_points_to_the_line_where_it_opens(tmp_path):
    _, problems = read(tmp_path, b'---\ntitle: "Mezoterapi\ndescription: B\nslug: x\n---\n')
    assert messages(problems) == [
        "content/page.tr.md:2: a quote opened on this line is never closed\n"
        "  hint: add the closing quote at the end of the value"
    ]


def test_control_character_in_front_matter(tmp_path):
    _, problems = read(tmp_path, b"---\ntitle: A\ndescription: B\x00C\n---\n")
    assert messages(problems) == [
        "content/page.tr.md:3: the text holds an invisible control character (#x0000)\n"
        "  hint: delete it: retype the line, or copy it from a plain-text editor"
    ]


def test_control_character_in_the_body(tmp_path):
    _, problems = read(tmp_path, b"---\ntitle: A\ndescription: B\n---\n\nText\x07 here\n")
    assert messages(problems) == [
        "content/page.tr.md:6: the text holds an invisible control character (#x0007)\n"
        "  hint: delete it: retype the line, or copy it from a plain-text editor"
    ]


def test_an_impossible_date_names_its_line(tmp_path):
    _, problems = read(tmp_path, b"---\ntitle: A\ndescription: B\nlast_reviewed: 2026-02-30\n---\n")
    assert messages(problems) == [
        "content/page.tr.md:4: '2026-02-30' is not a real date or value (day is out of range for month)\n"
        "  hint: write an existing date as YYYY-MM-DD, for example 2026-11-24"
    ]


@pytest.mark.parametrize("line", [2, 3, 5])
def test_an_unclosed_quote_anywhere_points_to_where_it_opens(tmp_path, line):
    fields = ["title: A", 'description: "B"', "slug: c", "menu: 1", "nav_title: 'D e'"]
    fields[line - 2] = fields[line - 2].split(": ")[0] + ': "broken'
    _, problems = read(tmp_path, ("---\n" + "\n".join(fields) + "\n---\n").encode())
    assert messages(problems) == [
        f"content/page.tr.md:{line}: a quote opened on this line is never closed\n"
        "  hint: add the closing quote at the end of the value"
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "faq.v2.md",
            "content/faq.v2.md: the file name does not say its language\n  hint: name it faq.v2.tr.md or faq.v2.en.md",
        ),
        (
            "about.tr.MD",
            "content/about.tr.MD: the file name ends in '.MD'\n  hint: rename it to end in '.md' (small letters): about.tr.md",
        ),
        (
            "about.TR.md",
            "content/about.TR.md: unknown language 'TR' in the file name\n  hint: write the language in small letters: about.tr.md",
        ),
    ],
)
def test_file_names_with_dots_or_capitals(scratch_site, name, expected):
    scratch_site.write({f"content/{name}": "---\ntitle: x\ndescription: y\n---\n"})
    assert expected in scratch_site.errors()


def test_a_name_with_dots_is_a_page(scratch_site):
    scratch_site.write({"content/faq.v2.en.md": "---\ntitle: FAQ two\ndescription: y\n---\n"})
    assert "en/faq-two/index.html" in scratch_site.build().outputs


def test_a_broken_symbolic_link_is_reported_not_a_traceback(scratch_site):
    (scratch_site.root / "content/gone.en.md").symlink_to(scratch_site.root / "nowhere.md")
    assert (
        "content/gone.en.md: this is a link to a file that does not exist\n"
        "  hint: remove the link, or copy the file here"
    ) in scratch_site.errors()


def test_a_pasted_line_separator_is_refused_at_its_line(tmp_path):
    _, problems = read(tmp_path, "---\ntitle: A\ndescription: B\u2028C\n---\n".encode())
    assert messages(problems) == [
        "content/page.tr.md:3: the text holds an invisible control character (#x2028)\n"
        "  hint: delete it: retype the line, or copy it from a plain-text editor"
    ]
