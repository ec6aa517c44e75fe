// Package engine is Quarry's facade: Open wires the catalog, storage,
// formats and function library; a Session runs statements (DDL, SHOW,
// queries) and returns results as streams of Arrow batches with statistics.
// cmd/quarry and server use only this package. Nothing imports engine but them.
package engine
