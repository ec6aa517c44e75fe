// Package types is Quarry's Trino type system: the Type value, parsing of
// Trino and Hive type names, the mapping of every type to an Arrow data type,
// and Trino's coercion rules. It imports only arrow-go and the standard library.
package types
