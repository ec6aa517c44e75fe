push_down_filter must NOT push a filter below a LIMIT (or a window): it
changes which rows are counted.
-- @setup
CREATE EXTERNAL TABLE fact (f_id bigint, f_key integer, f_dim integer, f_amount double, f_tag varchar, f_day date) LOCATION '${TMP}/fact';
CREATE EXTERNAL TABLE dim (d_id integer, d_name varchar, d_group integer) LOCATION '${TMP}/dim';
CREATE EXTERNAL TABLE grp (g_id integer, g_name varchar) LOCATION '${TMP}/grp';
-- @stats
fact 1000000
dim 10000
grp 100
-- @query
SELECT * FROM (SELECT f_id, f_amount FROM fact LIMIT 10) x WHERE f_amount > 3
-- @bound
Project f_id#12 := f_id#10, f_amount#13 := f_amount#11
    Filter $gt(f_amount#11, 3::double)
        Limit 10 offset 0
            Project f_id#10 := f_id#1, f_amount#11 := f_amount#4
                Scan default.fact [f_id#1, f_key#2, f_dim#3, f_amount#4, f_tag#5, f_day#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project f_id#12 := f_id#10, f_amount#13 := f_amount#11
    Filter $gt(f_amount#11, 3::double)
        Limit 10 offset 0
            Project f_id#10 := f_id#1, f_amount#11 := f_amount#4
                Scan default.fact [f_id#1, f_amount#4]
-- @fired
prune_columns
