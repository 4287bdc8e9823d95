"""The engine: builds that redo only what changed, around the pipeline (sitegen/pipeline.py).

- `run`: one build from the command line: skipped when nothing changed, else built
  with the store and written to site/.
- `skip`: the record of the last build, to tell in a fraction of a second that
  nothing it read has changed.
- `store`: what earlier builds computed (.cache/), kept by digests of its inputs.
- `incremental`: the pipeline's stages reusing the store; how a page gets rebuilt.
- `lookups`: the recorder of the questions a page's rendering asks the site.
- `workers`: the pages to render shared among the processor's cores.
- `session`: the preview's builds, which start from the files a save changed.

Nothing outside this package knows of the cache.
"""
