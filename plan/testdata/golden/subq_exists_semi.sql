Binder decorrelation: EXISTS becomes a SEMI join whose condition is the
subquery's correlated conjuncts (TPC-H Q4 shape); the uncorrelated inner
conjunct stays inside the build side.
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
SELECT o_orderkey FROM orders WHERE o_orderdate >= DATE '1993-07-01' AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_quantity > 10)
-- @bound
Project o_orderkey#24 := o_orderkey#1
    SEMI Join on $eq(l_orderkey#7, o_orderkey#1)
        Filter $ge(o_orderdate#3, 8582::date)
            Scan default.orders [o_orderkey#1, o_custkey#2, o_orderdate#3, $path#4, $file_size#5, $file_modified_time#6]
        Project l_orderkey#17 := l_orderkey#7, l_partkey#18 := l_partkey#8, l_suppkey#19 := l_suppkey#9, l_quantity#20 := l_quantity#10, l_extendedprice#21 := l_extendedprice#11, l_discount#22 := l_discount#12, l_shipdate#23 := l_shipdate#13, l_orderkey#7 := l_orderkey#7
            Filter $gt(l_quantity#10, 10::decimal(10,0))
                Scan default.lineitem [l_orderkey#7, l_partkey#8, l_suppkey#9, l_quantity#10, l_extendedprice#11, l_discount#12, l_shipdate#13, $path#14, $file_size#15, $file_modified_time#16]
-- @optimized
Project o_orderkey#24 := o_orderkey#1
    SEMI Join on $eq(l_orderkey#7, o_orderkey#1)
        Scan default.orders [o_orderkey#1, o_orderdate#3] filters: $ge(o_orderdate#3, 8582::date)
        Project l_orderkey#7 := l_orderkey#7
            Scan default.lineitem [l_orderkey#7, l_quantity#10] filters: $gt(l_quantity#10, 10::decimal(10,0))
-- @fired
push_down_filter
prune_columns
