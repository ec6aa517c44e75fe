reorder_joins fires on explicit INNER JOIN ... ON chains too: written
small-to-large (region, nation, supplier, lineitem), rebuilt from lineitem.
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
SELECT count(*) FROM region JOIN nation ON n_regionkey = r_regionkey JOIN supplier ON s_nationkey = n_nationkey JOIN lineitem ON l_suppkey = s_suppkey
-- @bound
Project _col0#29 := count#28
    Aggregate keys: [] aggregates: [#28 := count()]
        INNER Join on $eq(l_suppkey#20, s_suppkey#12)
            INNER Join on $eq(s_nationkey#14, n_nationkey#6)
                INNER Join on $eq(n_regionkey#8, r_regionkey#1)
                    Scan default.region [r_regionkey#1, r_name#2, $path#3, $file_size#4, $file_modified_time#5]
                    Scan default.nation [n_nationkey#6, n_name#7, n_regionkey#8, $path#9, $file_size#10, $file_modified_time#11]
                Scan default.supplier [s_suppkey#12, s_name#13, s_nationkey#14, $path#15, $file_size#16, $file_modified_time#17]
            Scan default.lineitem [l_orderkey#18, l_partkey#19, l_suppkey#20, l_quantity#21, l_extendedprice#22, l_discount#23, l_shipdate#24, $path#25, $file_size#26, $file_modified_time#27]
-- @optimized
Project _col0#29 := count#28
    Aggregate keys: [] aggregates: [#28 := count()]
        INNER Join on $eq(n_regionkey#8, r_regionkey#1)
            INNER Join on $eq(s_nationkey#14, n_nationkey#6)
                INNER Join on $eq(l_suppkey#20, s_suppkey#12)
                    Scan default.lineitem [l_suppkey#20]
                    Scan default.supplier [s_suppkey#12, s_nationkey#14]
                Scan default.nation [n_nationkey#6, n_regionkey#8]
            Scan default.region [r_regionkey#1]
-- @fired
reorder_joins
prune_columns
