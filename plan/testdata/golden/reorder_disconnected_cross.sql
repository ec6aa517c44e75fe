reorder_joins with no connecting equality for one input: the cross product
the query asks for is kept (last), the connected inputs are joined first.
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
SELECT count(*) FROM lineitem, region, orders WHERE l_orderkey = o_orderkey
-- @bound
Project _col0#23 := count#22
    Aggregate keys: [] aggregates: [#22 := count()]
        Filter $eq(l_orderkey#1, o_orderkey#16)
            INNER Join on true
                INNER Join on true
                    Scan default.lineitem [l_orderkey#1, l_partkey#2, l_suppkey#3, l_quantity#4, l_extendedprice#5, l_discount#6, l_shipdate#7, $path#8, $file_size#9, $file_modified_time#10]
                    Scan default.region [r_regionkey#11, r_name#12, $path#13, $file_size#14, $file_modified_time#15]
                Scan default.orders [o_orderkey#16, o_custkey#17, o_orderdate#18, $path#19, $file_size#20, $file_modified_time#21]
-- @optimized
Project _col0#23 := count#22
    Aggregate keys: [] aggregates: [#22 := count()]
        INNER Join on true
            INNER Join on $eq(l_orderkey#1, o_orderkey#16)
                Scan default.lineitem [l_orderkey#1]
                Scan default.orders [o_orderkey#16]
            Scan default.region []
-- @fired
push_down_filter
reorder_joins
prune_columns
