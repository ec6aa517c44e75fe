// Package ast declares the syntax tree that sql/parser produces for Quarry's
// SQL dialect (Trino queries and statements, Hive DDL as Athena accepts it),
// a formatter that prints a tree back as SQL, and a structural equality that
// ignores positions.
//
// Invariants:
//   - Every node implements Node; Pos() is the position of its first token
//     and End() the position just past its last token (see sql/token for how
//     positions count). Parentheses around an expression are not nodes and
//     are not included in its span. The one exception is Frame, whose End
//     field (the frame's end bound) shadows the method; its range is in
//     its Span.
//   - The interfaces Statement, Expr, Relation, QueryBody, SelectItem and
//     GroupingElement are sealed: only types in this package implement them.
//   - The tree is purely syntactic: identifiers keep the case they were
//     written in (Ident.Quoted says whether case folding applies), literals
//     keep their source text, and nothing is resolved or typed.
//   - Format(n) prints SQL that parses back to a tree Equal to n (checked
//     by a property test over every seed query and by the parser's fuzz
//     target). Equal and Inspect work by reflection over the node structs,
//     so new node types need no extra code there.
//
// Imports: the standard library and sql/token only.
package ast
