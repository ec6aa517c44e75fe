Constant folding in the binder (clock fixed at 2025-06-18 13:45:30 UTC):
now(), date_trunc('month', cast(now() as date)) and date_add('month', -5, ...)
are constants in the bound plan already; the column expression is not folded.
-- @setup
CREATE EXTERNAL TABLE usage (start_ts varchar, start_day date, product varchar, kind varchar, cost double, amount varchar) LOCATION '${TMP}/usage';
-- @stats
usage 5000000
-- @query
SELECT now() AS n, date_trunc('month', CAST(now() AS date)) AS m, date_add('month', -5, date_trunc('month', CAST(now() AS date))) AS m5, current_date AS d, date_trunc('month', start_day) AS per_row FROM usage
-- @bound
Project n#10 := 1750254330000000::timestamp(3) with time zone, m#11 := 20240::date, m5#12 := 20089::date, d#13 := 20257::date, per_row#14 := date_trunc('month'::varchar(5), start_day#2)
    Scan default.usage [start_ts#1, start_day#2, product#3, kind#4, cost#5, amount#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project n#10 := 1750254330000000::timestamp(3) with time zone, m#11 := 20240::date, m5#12 := 20089::date, d#13 := 20257::date, per_row#14 := date_trunc('month'::varchar(5), start_day#2)
    Scan default.usage [start_day#2]
-- @fired
prune_columns
