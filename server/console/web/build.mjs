// Builds the console into ../dist (or the folder given by --out DIR):
// index.html, app.js, app.css and build.json. The output depends only on the
// sources and the locked packages, so a rebuild is byte-for-byte identical;
// server/console's Go tests check that dist/ matches the sources.
import { build, version } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv.indexOf("--out");
const out = resolve(outArg > 0 ? process.argv[outArg + 1] : join(here, "..", "dist"));

// sourceHash must agree with sourceHash in ../console_test.go: sha256 over
// "path\nsha256(content)\n" for every input file, sorted by path.
function inputs() {
  const files = [".npmrc", "build.mjs", "package.json", "package-lock.json"];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(here, p).split("\\").join("/"));
    }
  };
  walk(join(here, "src"));
  return files.sort();
}
function sourceHash() {
  const h = createHash("sha256");
  for (const f of inputs()) {
    const c = createHash("sha256").update(readFileSync(join(here, f))).digest("hex");
    h.update(`${f}\n${c}\n`);
  }
  return h.digest("hex");
}

mkdirSync(out, { recursive: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: { app: "src/main.js" },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  outdir: out,
  legalComments: "eof",
  loader: { ".sql": "text" },
  charset: "utf8",
  metafile: true,
  logLevel: "warning",
});
writeFileSync(join(out, "index.html"), readFileSync(join(here, "src", "index.html")));
const sizes = {};
for (const f of ["app.js", "app.css", "index.html"]) sizes[f] = statSync(join(out, f)).size;
writeFileSync(
  join(out, "build.json"),
  JSON.stringify({ sourceHash: sourceHash(), esbuild: version, sizes }, null, 2) + "\n",
);
if (!process.argv.includes("--quiet")) {
  for (const [f, n] of Object.entries(sizes)) console.log(`${f.padEnd(12)} ${(n / 1024).toFixed(1)} KiB`);
  void result;
}
