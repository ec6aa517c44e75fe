common_subexpressions must NOT compute from_iso8601_timestamp(start_ts) for
every scanned row: in the filter it is guarded by a CASE branch (a malformed
start_ts fails it), and the select list reads it only for the rows the filter
keeps, so there is no stage where computing it once is safe.
-- @setup
CREATE EXTERNAL TABLE usage (start_ts varchar, start_day date, product varchar, kind varchar, cost double, amount varchar) LOCATION '${TMP}/usage';
-- @stats
usage 5000000
-- @query
SELECT from_iso8601_timestamp(start_ts) AS ts
FROM usage
WHERE CASE WHEN start_ts = '' THEN false ELSE from_iso8601_timestamp(start_ts) >= TIMESTAMP '2025-01-01 00:00:00 UTC' END
-- @bound
Project ts#10 := from_iso8601_timestamp(start_ts#1)
    Filter case when $eq(start_ts#1, ''::varchar) then false::boolean else $ge(from_iso8601_timestamp(start_ts#1), 1735689600000000::timestamp(3) with time zone) end
        Scan default.usage [start_ts#1, start_day#2, product#3, kind#4, cost#5, amount#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project ts#10 := from_iso8601_timestamp(start_ts#1)
    Scan default.usage [start_ts#1] filters: case when $eq(start_ts#1, ''::varchar) then false::boolean else $ge(from_iso8601_timestamp(start_ts#1), 1735689600000000::timestamp(3) with time zone) end
-- @fired
push_down_filter
prune_columns
