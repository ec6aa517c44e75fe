// Package plan turns a parsed statement into a running plan: binding (names,
// types, coercions; the only bridge between syntax and catalog), the logical
// plan, the optimizer (one rule per file), and physical planning into exec
// operators.
//
// Logical plans identify columns by ColumnID, never by position, so rules
// can move expressions between operators freely; physical planning maps IDs
// to batch positions.
//
// Imports: sql/ast, sql/token, catalog, types, function, source, objstore,
// exec. After binding nothing touches the AST.
package plan
