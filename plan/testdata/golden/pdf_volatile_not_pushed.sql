push_down_filter must NOT push a volatile predicate (random()) through the
projection that computes it, nor into a scan's filters (scan filters may be
evaluated for pruning); the deterministic conjunct is pushed.
-- @setup
CREATE EXTERNAL TABLE fact (f_id bigint, f_key integer, f_dim integer, f_amount double, f_tag varchar, f_day date) LOCATION '${TMP}/fact';
CREATE EXTERNAL TABLE dim (d_id integer, d_name varchar, d_group integer) LOCATION '${TMP}/dim';
CREATE EXTERNAL TABLE grp (g_id integer, g_name varchar) LOCATION '${TMP}/grp';
-- @stats
fact 1000000
dim 10000
grp 100
-- @query
SELECT * FROM (SELECT f_id, f_amount, random() AS r FROM fact) x WHERE r < 0.5 AND f_amount > 3 AND random() < 0.9
-- @bound
Project f_id#13 := f_id#10, f_amount#14 := f_amount#11, r#15 := r#12
    Filter $lt(random(), 0.9::double)
        Filter $gt(f_amount#11, 3::double)
            Filter $lt(r#12, 0.5::double)
                Project f_id#10 := f_id#1, f_amount#11 := f_amount#4, r#12 := random()
                    Scan default.fact [f_id#1, f_key#2, f_dim#3, f_amount#4, f_tag#5, f_day#6, $path#7, $file_size#8, $file_modified_time#9]
-- @optimized
Project f_id#13 := f_id#10, f_amount#14 := f_amount#11, r#15 := r#12
    Filter $and($lt(random(), 0.9::double), $lt(r#12, 0.5::double))
        Project f_id#10 := f_id#1, f_amount#11 := f_amount#4, r#12 := random()
            Scan default.fact [f_id#1, f_amount#4] filters: $gt(f_amount#4, 3::double)
-- @fired
push_down_filter
prune_columns
