push_down_filter fires, TPC-H Q19 shape: a disjunction whose branches share
conjuncts is factored, (j AND a) OR (j AND b) => j AND (a OR b), so the join
equality becomes the join condition and each side's common filter its scan's.
-- @setup
CREATE EXTERNAL TABLE fact (f_id bigint, f_key integer, f_dim integer, f_amount double, f_tag varchar, f_day date) LOCATION '${TMP}/fact';
CREATE EXTERNAL TABLE dim (d_id integer, d_name varchar, d_group integer) LOCATION '${TMP}/dim';
CREATE EXTERNAL TABLE grp (g_id integer, g_name varchar) LOCATION '${TMP}/grp';
-- @stats
fact 1000000
dim 10000
grp 100
-- @query
SELECT f_id FROM fact, dim WHERE (f_dim = d_id AND f_tag = 'A' AND d_group = 1 AND f_amount BETWEEN 1 AND 10) OR (f_dim = d_id AND f_tag = 'A' AND d_group = 2 AND f_amount BETWEEN 20 AND 30) OR (f_dim = d_id AND f_tag = 'A' AND d_group = 3)
-- @bound
Project f_id#16 := f_id#1
    Filter $or($or($and($and($and($eq(f_dim#3, d_id#10), $eq(f_tag#5, 'A'::varchar)), $eq(d_group#12, 1::integer)), $and($ge(f_amount#4, 1::double), $le(f_amount#4, 10::double))), $and($and($and($eq(f_dim#3, d_id#10), $eq(f_tag#5, 'A'::varchar)), $eq(d_group#12, 2::integer)), $and($ge(f_amount#4, 20::double), $le(f_amount#4, 30::double)))), $and($and($eq(f_dim#3, d_id#10), $eq(f_tag#5, 'A'::varchar)), $eq(d_group#12, 3::integer)))
        INNER Join on true
            Scan default.fact [f_id#1, f_key#2, f_dim#3, f_amount#4, f_tag#5, f_day#6, $path#7, $file_size#8, $file_modified_time#9]
            Scan default.dim [d_id#10, d_name#11, d_group#12, $path#13, $file_size#14, $file_modified_time#15]
-- @optimized
Project f_id#16 := f_id#1
    INNER Join on $and($eq(f_dim#3, d_id#10), $or($or($and($and($eq(d_group#12, 1::integer), $ge(f_amount#4, 1::double)), $le(f_amount#4, 10::double)), $and($and($eq(d_group#12, 2::integer), $ge(f_amount#4, 20::double)), $le(f_amount#4, 30::double))), $eq(d_group#12, 3::integer)))
        Scan default.fact [f_id#1, f_dim#3, f_amount#4, f_tag#5] filters: $eq(f_tag#5, 'A'::varchar)
        Scan default.dim [d_id#10, d_group#12]
-- @fired
push_down_filter
prune_columns
