push_down_filter negative for OR factoring: branches with no common conjunct
stay one disjunction; it reads both sides, so it becomes the join condition
(a residual) of what was a cross join.
-- @setup
CREATE EXTERNAL TABLE fact (f_id bigint, f_key integer, f_dim integer, f_amount double, f_tag varchar, f_day date) LOCATION '${TMP}/fact';
CREATE EXTERNAL TABLE dim (d_id integer, d_name varchar, d_group integer) LOCATION '${TMP}/dim';
CREATE EXTERNAL TABLE grp (g_id integer, g_name varchar) LOCATION '${TMP}/grp';
-- @stats
fact 1000000
dim 10000
grp 100
-- @query
SELECT f_id FROM fact, dim WHERE f_dim = d_id AND (f_tag = 'A' OR d_group = 2)
-- @bound
Project f_id#16 := f_id#1
    Filter $or($eq(f_tag#5, 'A'::varchar), $eq(d_group#12, 2::integer))
        Filter $eq(f_dim#3, d_id#10)
            INNER Join on true
                Scan default.fact [f_id#1, f_key#2, f_dim#3, f_amount#4, f_tag#5, f_day#6, $path#7, $file_size#8, $file_modified_time#9]
                Scan default.dim [d_id#10, d_name#11, d_group#12, $path#13, $file_size#14, $file_modified_time#15]
-- @optimized
Project f_id#16 := f_id#1
    INNER Join on $and($or($eq(f_tag#5, 'A'::varchar), $eq(d_group#12, 2::integer)), $eq(f_dim#3, d_id#10))
        Scan default.fact [f_id#1, f_dim#3, f_tag#5]
        Scan default.dim [d_id#10, d_group#12]
-- @fired
push_down_filter
prune_columns
