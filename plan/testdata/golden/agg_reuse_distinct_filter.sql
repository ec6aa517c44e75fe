Common aggregate reuse negative: sum(cost), sum(DISTINCT cost) and
sum(cost) FILTER (WHERE ...) are different aggregates and stay three; count(*)
twice is one.
-- @setup
CREATE EXTERNAL TABLE usage (start_ts varchar, start_day date, product varchar, kind varchar, cost double, amount varchar) LOCATION '${TMP}/usage';
-- @stats
usage 5000000
-- @query
SELECT product, sum(cost) AS a, sum(DISTINCT cost) AS b, sum(cost) FILTER (WHERE kind = 'Fee') AS c, count(*) AS n1, count(*) + 1 AS n2 FROM usage GROUP BY product
-- @bound
Project product#15 := product#10, a#16 := sum#11, b#17 := sum#12, c#18 := sum#13, n1#19 := count#14, n2#20 := $add(count#14, 1::bigint)
    Aggregate keys: [#10 := product#3] aggregates: [#11 := sum(cost#5), #12 := sum(distinct cost#5), #13 := sum(cost#5) filter(where $eq(kind#4, 'Fee'::varchar)), #14 := count()]
        Scan default.usage [start_ts#1, start_day#2, product#3, kind#4, cost#5, amount#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project product#15 := product#10, a#16 := sum#11, b#17 := sum#12, c#18 := sum#13, n1#19 := count#14, n2#20 := $add(count#14, 1::bigint)
    Aggregate keys: [#10 := product#3] aggregates: [#11 := sum(cost#5), #12 := sum(distinct cost#5), #13 := sum(cost#5) filter(where $eq(kind#4, 'Fee'::varchar)), #14 := count()]
        Scan default.usage [product#3, kind#4, cost#5]
-- @fired
prune_columns
