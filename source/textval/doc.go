// Package textval parses the text forms of Hive values (integers, doubles,
// exact decimals, booleans, dates, timestamps) in place, without
// allocating, for the text readers (csv, json): one implementation, so the
// same field means the same value whatever the SerDe. Imports: the
// standard library only.
package textval
