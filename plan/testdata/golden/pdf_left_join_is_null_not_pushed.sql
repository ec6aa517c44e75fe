push_down_filter must NOT push IS NULL on a LEFT JOIN's right side (the
anti-join idiom) below the join; a left-only ON conjunct must stay in ON
(pushing it into the left input would drop rows the LEFT JOIN keeps).
-- @setup
CREATE EXTERNAL TABLE fact (f_id bigint, f_key integer, f_dim integer, f_amount double, f_tag varchar, f_day date) LOCATION '${TMP}/fact';
CREATE EXTERNAL TABLE dim (d_id integer, d_name varchar, d_group integer) LOCATION '${TMP}/dim';
CREATE EXTERNAL TABLE grp (g_id integer, g_name varchar) LOCATION '${TMP}/grp';
-- @stats
fact 1000000
dim 10000
grp 100
-- @query
SELECT f_id FROM fact LEFT JOIN dim ON f_dim = d_id AND f_amount > 5 WHERE d_id IS NULL
-- @bound
Project f_id#16 := f_id#1
    Filter (d_id#10 is null)
        LEFT Join on $and($eq(f_dim#3, d_id#10), $gt(f_amount#4, 5::double))
            Scan default.fact [f_id#1, f_key#2, f_dim#3, f_amount#4, f_tag#5, f_day#6, $path#7, $file_size#8, $file_modified_time#9]
            Scan default.dim [d_id#10, d_name#11, d_group#12, $path#13, $file_size#14, $file_modified_time#15]
-- @optimized
Project f_id#16 := f_id#1
    Filter (d_id#10 is null)
        LEFT Join on $and($eq(f_dim#3, d_id#10), $gt(f_amount#4, 5::double))
            Scan default.fact [f_id#1, f_dim#3, f_amount#4]
            Scan default.dim [d_id#10]
-- @fired
prune_columns
