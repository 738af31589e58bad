// Bundles the modeller and the viewer into one self-contained script each (no CDN: the pages work offline).
// Usage: node build.mjs <output directory>
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = process.argv[2];
if (!outdir) {
  console.error("usage: node build.mjs <output directory>");
  process.exit(2);
}

// The align/distribute icons of bpmn-js are SVG markup with `style="..."` attributes, put into the popup menu as
// HTML. Under a CSP without 'unsafe-inline' styles the browser refuses those, so they become presentation
// attributes (fill, stroke, stroke-width, ...), which draw the same and are no inline styles.
const styleToAttributes = {
  name: "svg-style-to-attributes",
  setup(build) {
    build.onLoad({ filter: /(Align|Distribute)ElementsIcons\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const contents = source.replace(/style="([^"]*)"/g, (_, declarations) =>
        declarations
          .split(";")
          .map((declaration) => declaration.split(":").map((part) => part.trim()))
          .filter(([property, value]) => property && value)
          .map(([property, value]) => `${property}="${value}"`)
          .join(" "),
      );
      return { contents, loader: "js" };
    });
  },
};

await esbuild.build({
  entryPoints: {
    modeler: path.join(here, "src", "modeler.js"),
    viewer: path.join(here, "src", "viewer.js"),
  },
  outdir,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  charset: "utf8",
  legalComments: "eof", // keeps the bpmn.io licence notices in the bundles
  logLevel: "warning",
  plugins: [styleToAttributes],
});
