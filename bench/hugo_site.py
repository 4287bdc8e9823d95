# ruff: noqa: E501  (the Hugo templates are kept on one line each, as written)
"""Turn a generated benchmark project into a Hugo site with a comparable minimal layout.

The pages are the same files: Hugo reads `<name>.<lang>.md` as a translation and
the same `slug` front matter. The layout does what ours does on a treatment page
(head with canonical and hreflang, menu, breadcrumbs, language switcher, body with
a table of contents, at-a-glance block, side effects, FAQ, footer), and a link
render hook turns `other.md` and `other.md#heading` links into page URLs, as our
build does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CONFIG = """\
baseURL = "https://www.example.com.tr/"
defaultContentLanguage = "tr"
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = false
[markup.tableOfContents]
startLevel = 2
endLevel = 3
[languages.tr]
languageName = "Türkçe"
weight = 1
[languages.en]
languageName = "English"
weight = 2
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="{{ .Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | Klinik</title>
<meta name="description" content="{{ .Description }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
</head>
<body>
<header><a href="{{ "" | relLangURL }}">Klinik</a>
<nav><ul>{{ range .Site.Home.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
<ul class="switcher">{{ range .AllTranslations }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></li>{{ end }}</ul>
</header>
<nav aria-label="breadcrumb"><ol>{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol></nav>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ with .Params.last_reviewed }}{{ time.Format "2 January 2006" . }}{{ end }}</p></footer>
</body>
</html>
"""

SINGLE = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.at_a_glance }}<dl>{{ range $k, $v := . }}<dt>{{ $k }}</dt><dd>{{ $v }}</dd>{{ end }}</dl>{{ end }}
<nav class="toc">{{ .TableOfContents }}</nav>
{{ .Content }}
{{ with .Params.side_effects }}<h2>Side effects</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.faq }}{{ range . }}<details><summary>{{ .question }}</summary><p>{{ .answer }}</p></details>{{ end }}{{ end }}
{{ with .Params.reviewed_by }}<p>{{ . }}</p>{{ end }}
{{ end }}
"""

LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Description }}</li>{{ end }}</ul>
{{ end }}
"""

LINK_HOOK = """\
{{- $dest := .Destination -}}
{{- $url := urls.Parse $dest -}}
{{- if strings.HasSuffix $url.Path ".md" -}}
{{- with .Page.GetPage (strings.TrimSuffix ".md" $url.Path) -}}{{ $dest = .RelPermalink }}{{ with $url.Fragment }}{{ $dest = printf "%s#%s" $dest . }}{{ end }}{{- end -}}
{{- end -}}
<a href="{{ $dest | safeURL }}">{{ .Text | safeHTML }}</a>
"""


def make_hugo_site(project: Path, dest: Path) -> Path:
    """Write a Hugo site at *dest* whose content is *project*'s content/."""
    if dest.exists():
        shutil.rmtree(dest)
    content = dest / "content"
    shutil.copytree(project / "content", content, ignore=shutil.ignore_patterns("*.yaml"))
    for page in list(content.glob("index.*.md")):  # Hugo's home page is _index
        page.rename(content / ("_" + page.name))
    (dest / "config.toml").write_text(CONFIG, encoding="utf-8")
    layouts = dest / "layouts" / "_default"
    (layouts / "_markup").mkdir(parents=True)
    (layouts / "baseof.html").write_text(BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(LIST, encoding="utf-8")
    (layouts / "_markup" / "render-link.html").write_text(LINK_HOOK, encoding="utf-8")
    return dest
