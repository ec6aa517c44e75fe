Constant folding in WHERE (the Looker date window of the CUR seed queries):
both bounds fold to constants, so the scan filter compares a column with two
literals. common_subexpressions then parses the timestamp once for both.
-- @setup
CREATE EXTERNAL TABLE usage (start_ts varchar, start_day date, product varchar, kind varchar, cost double, amount varchar) LOCATION '${TMP}/usage';
-- @stats
usage 5000000
-- @query
SELECT product FROM usage WHERE from_iso8601_timestamp(start_ts) >= DATE_ADD('month', -5, DATE_TRUNC('MONTH', CAST(NOW() AS DATE))) AND from_iso8601_timestamp(start_ts) < DATE_ADD('month', 6, DATE_ADD('month', -5, DATE_TRUNC('MONTH', CAST(NOW() AS DATE))))
-- @bound
Project product#10 := product#3
    Filter $lt(from_iso8601_timestamp(start_ts#1), 1751328000000000::timestamp(3) with time zone)
        Filter $ge(from_iso8601_timestamp(start_ts#1), 1735689600000000::timestamp(3) with time zone)
            Scan default.usage [start_ts#1, start_day#2, product#3, kind#4, cost#5, amount#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project product#10 := product#3
    Filter $and($lt(cse#11, 1751328000000000::timestamp(3) with time zone), $ge(cse#11, 1735689600000000::timestamp(3) with time zone))
        Project product#3 := product#3, cse#11 := from_iso8601_timestamp(start_ts#1)
            Scan default.usage [start_ts#1, product#3]
-- @fired
push_down_filter
common_subexpressions
prune_columns
