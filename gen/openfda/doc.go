// Package openfda generates synthetic openFDA /drug/event bulk downloads: zip archives
// <out>/drug-event-000N-of-000M.json.zip, each holding one indented JSON document
// {"meta": {..., "results": {"skip", "limit", "total"}}, "results": [report, ...]} whose reports follow the
// structure of the real downloads (../shared/data/openfda/drug_event_results_100.json) and the official schema.
//
// What the seed queries rely on: receiptdate is yyyymmdd in 2004-2016; medicinalproduct and reactionmeddrapt
// are upper case; ASPIRIN and GASTROINTESTINAL HAEMORRHAGE co-occur more often than chance, so the yearly PRR
// is above 1; safetyreportid is unique across all files. Documents are streamed, so memory stays flat at any
// size, and the same Options produce byte-identical archives.
//
// The package imports only the standard library, klauspost/compress and x/sync.
package openfda
