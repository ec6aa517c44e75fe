// Package cur generates synthetic AWS Cost and Usage Report (legacy CUR) deliveries laid out the way AWS writes
// them to S3:
//
//	<out>/<report>/<yyyymmdd-yyyymmdd>/<report>-Manifest.json
//	<out>/<report>/<yyyymmdd-yyyymmdd>/<assemblyId>/<report>-<n>.csv.gz
//
// Every CSV file carries a header row of AWS column names (category/Name) followed by rows whose 131 columns
// follow ../shared/spec/cur-ddl-opencsv.sql by position (the delimited DDL reads the first 130).
//
// Invariants the seed queries and the DDLs rely on:
//   - no generated value contains a comma, a double quote or a backslash, so the ROW FORMAT DELIMITED table
//     (FIELDS TERMINATED BY ',' ESCAPED BY '\\') and the OpenCSVSerde table split every line identically;
//   - usage dates fall in the Months calendar months ending with the month of Options.Now, never after Now,
//     so NOW()-relative filters see data;
//   - the same Options (including Seed and Now) produce byte-identical files.
//
// The package imports only the standard library and klauspost/compress; it is a leaf used by cmd/quarry.
package cur
