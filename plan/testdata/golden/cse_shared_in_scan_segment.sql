common_subexpressions fires (the CUR seed queries' shape, small): the ISO
timestamp is parsed once, in a Project over the scan, for both the filter and
the group key (the filter that reads it leaves the scan; product = 'ec2' stays
in it, where it prunes); upper(kind) is computed once for both CASEs; the
lenient casts of the CASEs go into their branches, so the varchar amount is
parsed once for all three sums.
-- @setup
CREATE EXTERNAL TABLE usage (start_ts varchar, start_day date, product varchar, kind varchar, cost double, amount varchar) LOCATION '${TMP}/usage';
-- @stats
usage 5000000
-- @query
SELECT date_format(from_iso8601_timestamp(start_ts), '%Y-%m') AS month,
  sum(amount) AS total,
  sum(CASE WHEN upper(kind) = 'RI' THEN amount END) AS ri,
  sum(CASE WHEN upper(kind) <> 'RI' THEN amount END) AS other
FROM usage
WHERE product = 'ec2' AND from_iso8601_timestamp(start_ts) >= TIMESTAMP '2025-01-01 00:00:00 UTC'
GROUP BY 1
-- @bound
Project month#14 := _col#10, total#15 := sum#11, ri#16 := sum#12, other#17 := sum#13
    Aggregate keys: [#10 := date_format(from_iso8601_timestamp(start_ts#1), '%Y-%m'::varchar(5))] aggregates: [#11 := sum(lenient_cast(amount#6 as double)), #12 := sum(lenient_cast(case when $eq(upper(kind#4), 'RI'::varchar) then amount#6 end as double)), #13 := sum(lenient_cast(case when $ne(upper(kind#4), 'RI'::varchar) then amount#6 end as double))]
        Filter $ge(from_iso8601_timestamp(start_ts#1), 1735689600000000::timestamp(3) with time zone)
            Filter $eq(product#3, 'ec2'::varchar)
                Scan default.usage [start_ts#1, start_day#2, product#3, kind#4, cost#5, amount#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project month#14 := _col#10, total#15 := sum#11, ri#16 := sum#12, other#17 := sum#13
    Aggregate keys: [#10 := date_format(cse#18, '%Y-%m'::varchar(5))] aggregates: [#11 := sum(cse#19), #12 := sum(case when $eq(cse#20, 'RI'::varchar) then cse#19 end), #13 := sum(case when $ne(cse#20, 'RI'::varchar) then cse#19 end)]
        Project cse#18 := cse#18, cse#19 := lenient_cast(amount#6 as double), cse#20 := upper(kind#4)
            Filter $ge(cse#18, 1735689600000000::timestamp(3) with time zone)
                Project kind#4 := kind#4, amount#6 := amount#6, cse#18 := from_iso8601_timestamp(start_ts#1)
                    Scan default.usage [start_ts#1, product#3, kind#4, amount#6] filters: $eq(product#3, 'ec2'::varchar)
-- @fired
push_down_filter
common_subexpressions
prune_columns
