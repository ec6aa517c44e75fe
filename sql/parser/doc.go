// Package parser turns SQL text in Quarry's dialect (Trino queries and
// statements, Hive DDL as Athena accepts it) into sql/ast trees.
//
// It is a hand-written recursive-descent parser; expressions follow Trino's
// precedence (OR < AND < NOT < predicates < || < + - < * / % < unary +/- <
// AT TIME ZONE < subscript and field access). Errors carry the position of
// the offending token and, for syntax errors, Trino-style text:
//
//	line 1:10: mismatched input 'FORM'. Expecting: ',', 'FROM', ...
//
// Invariants: parsing never panics and always terminates on any input
// (nesting is bounded by maxDepth, which keeps the recursion far from the
// goroutine stack limit); a script with several broken statements reports
// one error per statement, since statement boundaries (';') are a safe
// resynchronization point. Internally the first error in a statement
// unwinds with a private bailout panic that every entry point recovers;
// any other panic is a bug and is not swallowed.
//
// Dialect notes: keywords are case-insensitive and Trino's non-reserved
// keywords (date, year, comment, format, location, ...) work as
// identifiers; unquoted identifiers keep their spelling. Strings in Hive
// DDL clauses are decoded with Hive's backslash escapes (see
// HiveUnescape); everywhere else strings follow Trino (a doubled quote
// is one quote, backslash is literal). LIMIT n OFFSET m is accepted as well as Trino's
// OFFSET m LIMIT n.
//
// Imports: the standard library, sql/token and sql/ast only.
package parser
