// Package token defines the lexical vocabulary of Quarry's SQL dialect (Trino
// plus Hive DDL) and the lexer that produces it.
//
// Positions: Pos.Offset is a 0-based byte offset into the source; Line and
// Col are 1-based, and Col counts runes (not bytes) from the start of the
// line, so an error column points at the character a user sees.
//
// Invariants: the lexer never panics and always terminates; any input
// yields a token stream ending in EOF. Malformed input (an unterminated
// string or comment, a stray character) yields an ILLEGAL token whose Value
// holds a message; the parser turns it into a positioned error.
//
// Imports: the standard library only.
package token
