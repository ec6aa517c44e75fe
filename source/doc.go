// Package source declares how tables are read: the Format interface that the
// csv, json and parquet sub-packages implement, the Request a scan passes
// them, scan statistics, and (in files.go) which objects under a table's
// LOCATION a scan reads. Imports: catalog, objstore, types, arrow-go.
package source
