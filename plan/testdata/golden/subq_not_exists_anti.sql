Binder decorrelation: NOT EXISTS becomes an ANTI join (TPC-H Q21/Q22 shape),
with a non-equality correlated conjunct kept in the condition.
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
SELECT s_name FROM supplier, lineitem l1 WHERE s_suppkey = l1.l_suppkey AND NOT EXISTS (SELECT * FROM lineitem l3 WHERE l3.l_orderkey = l1.l_orderkey AND l3.l_suppkey <> l1.l_suppkey)
-- @bound
Project s_name#34 := s_name#2
    ANTI Join on $and($eq(l_orderkey#17, l_orderkey#7), $ne(l_suppkey#19, l_suppkey#9))
        Filter $eq(s_suppkey#1, l_suppkey#9)
            INNER Join on true
                Scan default.supplier [s_suppkey#1, s_name#2, s_nationkey#3, $path#4, $file_size#5, $file_modified_time#6]
                Scan default.lineitem [l_orderkey#7, l_partkey#8, l_suppkey#9, l_quantity#10, l_extendedprice#11, l_discount#12, l_shipdate#13, $path#14, $file_size#15, $file_modified_time#16]
        Project l_orderkey#27 := l_orderkey#17, l_partkey#28 := l_partkey#18, l_suppkey#29 := l_suppkey#19, l_quantity#30 := l_quantity#20, l_extendedprice#31 := l_extendedprice#21, l_discount#32 := l_discount#22, l_shipdate#33 := l_shipdate#23, l_orderkey#17 := l_orderkey#17, l_suppkey#19 := l_suppkey#19
            Scan default.lineitem [l_orderkey#17, l_partkey#18, l_suppkey#19, l_quantity#20, l_extendedprice#21, l_discount#22, l_shipdate#23, $path#24, $file_size#25, $file_modified_time#26]
-- @optimized
Project s_name#34 := s_name#2
    ANTI Join on $and($eq(l_orderkey#17, l_orderkey#7), $ne(l_suppkey#19, l_suppkey#9))
        INNER Join on $eq(s_suppkey#1, l_suppkey#9)
            Scan default.supplier [s_suppkey#1, s_name#2]
            Scan default.lineitem [l_orderkey#7, l_suppkey#9]
        Project l_orderkey#17 := l_orderkey#17, l_suppkey#19 := l_suppkey#19
            Scan default.lineitem [l_orderkey#17, l_suppkey#19]
-- @fired
push_down_filter
prune_columns
