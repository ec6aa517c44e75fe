Binder decorrelation, TPC-H Q17 shape: a correlated scalar aggregate becomes
a LEFT join with the aggregate grouped by the correlated column, joined on it.
-- @setup
CREATE EXTERNAL TABLE region (r_regionkey integer, r_name varchar) LOCATION '${TMP}/region';
CREATE EXTERNAL TABLE nation (n_nationkey integer, n_name varchar, n_regionkey integer) LOCATION '${TMP}/nation';
CREATE EXTERNAL TABLE supplier (s_suppkey bigint, s_name varchar, s_nationkey integer) LOCATION '${TMP}/supplier';
CREATE EXTERNAL TABLE customer (c_custkey bigint, c_name varchar, c_nationkey integer) LOCATION '${TMP}/customer';
CREATE EXTERNAL TABLE part (p_partkey bigint, p_name varchar, p_size integer) LOCATION '${TMP}/part';
CREATE EXTERNAL TABLE partsupp (ps_partkey bigint, ps_suppkey bigint, ps_supplycost decimal(15,2), ps_availqty integer) LOCATION '${TMP}/partsupp';
CREATE EXTERNAL TABLE orders (o_orderkey bigint, o_custkey bigint, o_orderdate date) LOCATION '${TMP}/orders';
CREATE EXTERNAL TABLE lineitem (l_orderkey bigint, l_partkey bigint, l_suppkey bigint, l_quantity decimal(15,2), l_extendedprice decimal(15,2), l_discount decimal(15,2), l_shipdate date) LOCATION '${TMP}/lineitem';
-- @stats
lineitem 7300000
orders 1650000
partsupp 1150000
customer 240000
part 230000
supplier 14000
nation 2200
region 390
-- @query
SELECT sum(l_extendedprice) / 7.0 AS avg_yearly FROM lineitem, part WHERE p_partkey = l_partkey AND p_size = 15 AND l_quantity < (SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)
-- @bound
Project avg_yearly#31 := $divide(sum#30, 70::decimal(2,1))
    Aggregate keys: [] aggregates: [#30 := sum(l_extendedprice#5)]
        Filter $lt(l_quantity#4, _col0#29)
            LEFT Join on $eq(l_partkey#27, p_partkey#11)
                Filter $eq(p_size#13, 15::integer)
                    Filter $eq(p_partkey#11, l_partkey#2)
                        INNER Join on true
                            Scan default.lineitem [l_orderkey#1, l_partkey#2, l_suppkey#3, l_quantity#4, l_extendedprice#5, l_discount#6, l_shipdate#7, $path#8, $file_size#9, $file_modified_time#10]
                            Scan default.part [p_partkey#11, p_name#12, p_size#13, $path#14, $file_size#15, $file_modified_time#16]
                Project _col0#29 := $multiply(2::decimal(1,1), avg#28), l_partkey#27 := l_partkey#27
                    Aggregate keys: [#27 := l_partkey#18] aggregates: [#28 := avg(l_quantity#20)]
                        Scan default.lineitem [l_orderkey#17, l_partkey#18, l_suppkey#19, l_quantity#20, l_extendedprice#21, l_discount#22, l_shipdate#23, $path#24, $file_size#25, $file_modified_time#26]
-- @optimized
Project avg_yearly#31 := $divide(sum#30, 70::decimal(2,1))
    Aggregate keys: [] aggregates: [#30 := sum(l_extendedprice#5)]
        Filter $lt(l_quantity#4, _col0#29)
            LEFT Join on $eq(l_partkey#27, p_partkey#11)
                INNER Join on $eq(p_partkey#11, l_partkey#2)
                    Scan default.lineitem [l_partkey#2, l_quantity#4, l_extendedprice#5]
                    Scan default.part [p_partkey#11, p_size#13] filters: $eq(p_size#13, 15::integer)
                Project _col0#29 := $multiply(2::decimal(1,1), avg#28), l_partkey#27 := l_partkey#27
                    Aggregate keys: [#27 := l_partkey#18] aggregates: [#28 := avg(l_quantity#20)]
                        Scan default.lineitem [l_partkey#18, l_quantity#20]
-- @fired
push_down_filter
prune_columns
