Constant folding negative: random() is volatile and stays a call (in every
row), while 1 + 2 * 3 and upper('x') fold.
-- @setup
CREATE EXTERNAL TABLE usage (start_ts varchar, start_day date, product varchar, kind varchar, cost double, amount varchar) LOCATION '${TMP}/usage';
-- @stats
usage 5000000
-- @query
SELECT random() AS r, 1 + 2 * 3 AS k, upper('x') AS u FROM usage
-- @bound
Project r#10 := random(), k#11 := 7::integer, u#12 := 'X'::varchar
    Scan default.usage [start_ts#1, start_day#2, product#3, kind#4, cost#5, amount#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project r#10 := random(), k#11 := 7::integer, u#12 := 'X'::varchar
    Scan default.usage []
-- @fired
prune_columns
