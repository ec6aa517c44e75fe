Common aggregate reuse (Looker repeats every measure): the same
SUM(CASE ...) written three times and SUM(cost) written three times bind to
one aggregate each.
-- @setup
CREATE EXTERNAL TABLE usage (start_ts varchar, start_day date, product varchar, kind varchar, cost double, amount varchar) LOCATION '${TMP}/usage';
-- @stats
usage 5000000
-- @query
SELECT product,
  COALESCE(SUM(CASE WHEN kind = 'RIFee' THEN cost ELSE NULL END), 0) AS ri,
  1.0 * (COALESCE(SUM(CASE WHEN kind = 'RIFee' THEN cost ELSE NULL END), 0)) / NULLIF((COALESCE(SUM(cost), 0)), 0) AS ri_pct,
  COALESCE(SUM(cost), 0) AS total,
  1.0 * (COALESCE(SUM(CASE WHEN kind = 'RIFee' THEN cost ELSE NULL END), 0)) / NULLIF((COALESCE(SUM(cost), 0)), 0) AS ri_pct_again
FROM usage GROUP BY 1
-- @bound
Project product#13 := product#10, ri#14 := case when (sum#11 is not null) then sum#11 else 0::double end, ri_pct#15 := $divide($multiply(1::double, case when (sum#11 is not null) then sum#11 else 0::double end), nullif(case when (sum#12 is not null) then sum#12 else 0::double end, 0::double)), total#16 := case when (sum#12 is not null) then sum#12 else 0::double end, ri_pct_again#17 := $divide($multiply(1::double, case when (sum#11 is not null) then sum#11 else 0::double end), nullif(case when (sum#12 is not null) then sum#12 else 0::double end, 0::double))
    Aggregate keys: [#10 := product#3] aggregates: [#11 := sum(case when $eq(kind#4, 'RIFee'::varchar) then cost#5 end), #12 := sum(cost#5)]
        Scan default.usage [start_ts#1, start_day#2, product#3, kind#4, cost#5, amount#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project product#13 := product#10, ri#14 := cse#18, ri_pct#15 := cse#20, total#16 := cse#19, ri_pct_again#17 := cse#20
    Project product#10 := product#10, cse#18 := cse#18, cse#19 := cse#19, cse#20 := $divide($multiply(1::double, cse#18), nullif(cse#19, 0::double))
        Project product#10 := product#10, cse#18 := case when (sum#11 is not null) then sum#11 else 0::double end, cse#19 := case when (sum#12 is not null) then sum#12 else 0::double end
            Aggregate keys: [#10 := product#3] aggregates: [#11 := sum(case when $eq(kind#4, 'RIFee'::varchar) then cost#5 end), #12 := sum(cost#5)]
                Scan default.usage [product#3, kind#4, cost#5]
-- @fired
common_subexpressions
prune_columns
