// Package catalog declares Quarry's metadata model (schemas, tables, views,
// partitions, query history) and the Catalog interface, and holds the
// embedded persistent store behind it. Imports: types, the standard library
// and the store's library.
package catalog
