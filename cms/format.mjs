// Write pages in the style the web editor saves them, so that a save there changes only what the
// editor changed. This is what Decap CMS does to an entry (decap-cms-core, src/formats/frontmatter.ts
// and yaml.ts): gray-matter splits the file; the front matter is read with the `yaml` package and
// written anew with it (version 1: its quoting, lines folded at 80 characters, no comments), its keys
// in the order of the configuration's fields; a file ends with one line break.
//
// Run by the generator (python build.py cms-style), never by hand: it reads a JSON list of
// {"path": ..., "keys": [...]} on standard input, and with --write rewrites the files that differ;
// without it, it only names them. It prints one JSON object: {"differ": [paths]}.
import { readFileSync, writeFileSync } from "node:fs";
import matter from "gray-matter";
import yaml from "yaml";

const timestampTag = {
  identify: (value) => value instanceof Date,
  default: true,
  tag: "!timestamp",
  test: /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(\.[0-9]+)?)Z$/,
  resolve: (str) => new Date(str),
  stringify: (value) => value.toISOString(),
};

function sortKeys(sortedKeys) {
  return (a, b) => {
    const idxA = sortedKeys.indexOf(a.key?.toString());
    const idxB = sortedKeys.indexOf(b.key?.toString());
    if (idxA === -1 || idxB === -1) return 0;
    return idxA > idxB ? 1 : idxA < idxB ? -1 : 0;
  };
}

function engine(sortedKeys) {
  return {
    parse(input) {
      let content = input;
      if (content && content.trim().endsWith("---")) content = content.trim().slice(0, -3);
      const doc = yaml.parseDocument(content, { customTags: [timestampTag], prettyErrors: true });
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join("\n"));
      return doc.toJSON();
    },
    stringify(data) {
      const contents = yaml.createNode(data);
      contents.items.sort(sortKeys(sortedKeys));
      const doc = new yaml.Document();
      doc.contents = contents;
      return doc.toString();
    },
  };
}

export function asSaved(text, sortedKeys) {
  const options = { engines: { yaml: engine(sortedKeys) }, language: "yaml", delimiters: "---" };
  const parsed = matter(text, options);
  const body = parsed.content.trim() ? parsed.content : "";
  const trimLastLineBreak = body.slice(-1) !== "\n";
  let file = matter.stringify(body, parsed.data, options);
  if (trimLastLineBreak && file.slice(-1) === "\n") file = file.slice(0, -1);
  if (file.slice(-1) !== "\n") file += "\n";
  return file;
}

const write = process.argv.includes("--write");
const pages = JSON.parse(readFileSync(0, "utf-8"));
const differ = [];
for (const { path, keys } of pages) {
  const text = readFileSync(path, "utf-8");
  const saved = asSaved(text, keys);
  if (saved !== text) {
    differ.push(path);
    if (write) writeFileSync(path, saved);
  }
}
process.stdout.write(JSON.stringify({ differ }) + "\n");
