-- The seed's Spark/Lambda step as one statement: the raw Cost and Usage
-- Report (gzip CSV, OpenCSVSerde table aws_optimizer.cost_and_usage_raw of
-- spec/cur-ddl-opencsv.sql) rewritten as Parquet, partitioned by the month
-- of usage start. Later queries read only the months they filter on.
CREATE TABLE aws_optimizer.cost_and_usage_parquet
WITH (format = 'PARQUET', write_compression = 'ZSTD', partitioned_by = ARRAY['usage_month'])
AS SELECT *, date_format(from_iso8601_timestamp(lineitem_usagestartdate), '%Y-%m') AS usage_month
FROM aws_optimizer.cost_and_usage_raw;
