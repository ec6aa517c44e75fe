// Package server is Quarry's long-lived network face: the Trino client REST
// protocol (POST /v1/statement, paging through nextUri, X-Trino-* headers,
// Trino-shaped errors) over one engine.Engine, plus health, readiness,
// Prometheus metrics, the query list, and the web console mounted at "/".
//
// Invariants:
//   - One engine.Session per query: sessions are not safe for concurrent use
//     and carry the state the request headers describe (schema, properties),
//     as Trino's coordinator builds a session per request.
//   - Results stream: a producer goroutine per query turns engine batches into
//     bounded JSON pages on demand; at most a few pages per query are held in
//     memory, whatever the size of the result.
//   - Every query ends by closing its engine.Result exactly once, whether it
//     finished, failed, was cancelled by DELETE, abandoned by its client or
//     cut off by shutdown.
//
// Imports: engine, engine/output, exec, plan, catalog, types, sql/* and the
// standard library (plus bcrypt and gzip); nothing imports server but cmd.
package server
