// Package tpch generates the eight TPC-H tables at a scale factor following the specification's value rules
// (clause 4.2): cardinalities, sparse order keys, partsupp's supplier formula, retail prices, the fixed word
// lists (types, containers, segments, priorities, ship modes, nations, regions), grammar-generated comments,
// phone numbers whose country code is nationkey+10, order dates and the ship/commit/receipt date rules, return
// flags and line status relative to CURRENTDATE 1995-06-17, and order status and total price derived from the
// line items. Output is not byte-compatible with dbgen, but the 22 queries return non-trivial answers.
//
// Layout: each table is a folder usable as a LOCATION, holding <table>.tbl[.gz] / <table>.csv[.gz] or
// part-NNNNN.parquet files (one row group per part). Work is split into fixed-size chunks generated on all
// cores; text chunks are appended in order (compressed ones as concatenated gzip members), so results are
// deterministic for a given Seed and SF whatever the core count.
//
// The package imports the standard library, parquet-go, klauspost/compress and x/sync.
package tpch
