-- The seed's openFDA preparation as one statement: the raw zipped JSON
-- downloads (table fda_raw.drugevents_raw, spec/fda-raw-ddl.sql in schema
-- fda_raw) flattened to one row per report x drug x reaction, as the seed's
-- fda.drugevents table, partitioned by receipt year. The seed's PRR query
-- (spec/fda-prr.sql) then runs on it unchanged.
CREATE TABLE fda.drugevents
WITH (format = 'PARQUET', partitioned_by = ARRAY['receipt_year'])
AS SELECT e.companynumb, e.safetyreportid, e.receiptdate, e.serious, e.seriousnessdeath,
          e.patient.patientsex AS patientsex,
          d.medicinalproduct, d.drugcharacterization, d.drugindication, d.drugadministrationroute,
          d.drugauthorizationnumb, r.reactionmeddrapt,
          substr(e.receiptdate, 1, 4) AS receipt_year
FROM fda_raw.drugevents_raw AS e
CROSS JOIN UNNEST(e.patient.drug) AS d (medicinalproduct, drugcharacterization, drugindication,
                                        drugadministrationroute, drugauthorizationnumb)
CROSS JOIN UNNEST(e.patient.reaction) AS r (reactionmeddrapt);
