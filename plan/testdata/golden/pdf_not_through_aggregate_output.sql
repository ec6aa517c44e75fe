push_down_filter must NOT push a predicate on an aggregate's output (HAVING
sum(...) > ..., or a WHERE on it over a derived table) below the aggregation.
-- @setup
CREATE EXTERNAL TABLE fact (f_id bigint, f_key integer, f_dim integer, f_amount double, f_tag varchar, f_day date) LOCATION '${TMP}/fact';
CREATE EXTERNAL TABLE dim (d_id integer, d_name varchar, d_group integer) LOCATION '${TMP}/dim';
CREATE EXTERNAL TABLE grp (g_id integer, g_name varchar) LOCATION '${TMP}/grp';
-- @stats
fact 1000000
dim 10000
grp 100
-- @query
SELECT * FROM (SELECT f_key, sum(f_amount) AS total FROM fact GROUP BY f_key HAVING count(*) > 2) g WHERE total > 1000
-- @bound
Project f_key#15 := f_key#13, total#16 := total#14
    Filter $gt(total#14, 1000::double)
        Project f_key#13 := f_key#10, total#14 := sum#11
            Filter $gt(count#12, 2::bigint)
                Aggregate keys: [#10 := f_key#2] aggregates: [#11 := sum(f_amount#4), #12 := count()]
                    Scan default.fact [f_id#1, f_key#2, f_dim#3, f_amount#4, f_tag#5, f_day#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project f_key#15 := f_key#13, total#16 := total#14
    Project f_key#13 := f_key#10, total#14 := sum#11
        Filter $and($gt(sum#11, 1000::double), $gt(count#12, 2::bigint))
            Aggregate keys: [#10 := f_key#2] aggregates: [#11 := sum(f_amount#4), #12 := count()]
                Scan default.fact [f_key#2, f_amount#4]
-- @fired
push_down_filter
prune_columns
