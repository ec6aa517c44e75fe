push_down_filter fires: a predicate on a grouping key (HAVING, and a WHERE
over a grouped derived table) goes below the aggregation into the scan.
-- @setup
CREATE EXTERNAL TABLE fact (f_id bigint, f_key integer, f_dim integer, f_amount double, f_tag varchar, f_day date) LOCATION '${TMP}/fact';
CREATE EXTERNAL TABLE dim (d_id integer, d_name varchar, d_group integer) LOCATION '${TMP}/dim';
CREATE EXTERNAL TABLE grp (g_id integer, g_name varchar) LOCATION '${TMP}/grp';
-- @stats
fact 1000000
dim 10000
grp 100
-- @query
SELECT * FROM (SELECT f_key, sum(f_amount) AS total FROM fact GROUP BY f_key HAVING f_key < 100) g WHERE f_key > 10
-- @bound
Project f_key#14 := f_key#12, total#15 := total#13
    Filter $gt(f_key#12, 10::integer)
        Project f_key#12 := f_key#10, total#13 := sum#11
            Filter $lt(f_key#10, 100::integer)
                Aggregate keys: [#10 := f_key#2] aggregates: [#11 := sum(f_amount#4)]
                    Scan default.fact [f_id#1, f_key#2, f_dim#3, f_amount#4, f_tag#5, f_day#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project f_key#14 := f_key#12, total#15 := total#13
    Project f_key#12 := f_key#10, total#13 := sum#11
        Aggregate keys: [#10 := f_key#2] aggregates: [#11 := sum(f_amount#4)]
            Scan default.fact [f_key#2, f_amount#4] filters: $gt(f_key#2, 10::integer), $lt(f_key#2, 100::integer)
-- @fired
push_down_filter
prune_columns
