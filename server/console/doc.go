// Package console serves Quarry's web console: a single-page app, embedded
// in the binary, that talks to the server only through the Trino client
// protocol (POST /v1/statement, GET nextUri, DELETE nextUri), so it works
// against any server that speaks it and needs no API of its own.
//
// The page's sources live in web/ (CodeMirror 6 for the editor, Chart.js for
// charts, bundled by esbuild); their build output is checked in as dist/ so
// that `go build` works on a clean clone without Node. After changing web/,
// run `npm ci && npm run build` in web/; the tests fail while dist/ is stale
// (dist/build.json records a hash of the sources, and with Node present the
// tests rebuild from scratch and compare byte for byte).
//
// Imports: the standard library only.
package console
