"""Arbitrary bytes as front matter and body: a page or a clear content error, nothing else."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.errors import BuildError
from sitegen.pipeline import build

PAGE = "content/privacy.en.md"
yaml_like = st.text(
    alphabet=st.sampled_from(list("abc:-'\"[]{}#&*!|>%@`\t \n0123456789çğıİşü.,?\\")), max_size=80
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=st.one_of(st.binary(max_size=120), yaml_like.map(str.encode)), body=st.binary(max_size=200))
def test_any_bytes_give_a_page_or_a_content_error(scratch_site, front, body):
    scratch_site.write({PAGE: b"---\ntitle: Privacy\ndescription: x\n" + front + b"\n---\n" + body})
    try:
        result = build(scratch_site.project)
    except BuildError as error:
        assert error.errors, "a BuildError always carries at least one error"
        for problem in error.errors:
            assert problem.path.startswith(("content/", "templates/", "locales/")), problem
            assert problem.message
    else:
        assert "en/privacy/index.html" in result.outputs or any(
            page.source.shown == PAGE for page in result.site.pages
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(whole=st.binary(max_size=300))
def test_any_bytes_as_a_whole_file(scratch_site, whole):
    scratch_site.write({PAGE: whole})
    try:
        build(scratch_site.project)
    except BuildError as error:
        assert all(p.path == PAGE for p in error.errors), error
