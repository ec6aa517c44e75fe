A correlated scalar subquery whose correlation is not an equality cannot be
decorrelated by grouping on the correlated column (that duplicated rows); it
is evaluated per outer row instead: row ids, a LEFT join on the correlation,
and the aggregate grouped by row id.
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
SELECT c_name, (SELECT min(o_orderdate) FROM orders WHERE o_custkey < c_custkey) AS first FROM customer
-- @bound
Project c_name#25 := c_name#2, first#26 := min#24
    Aggregate keys: [#23 := $row#23, #1 := c_custkey#1, #2 := c_name#2, #3 := c_nationkey#3, #4 := $path#4, #5 := $file_size#5, #6 := $file_modified_time#6] aggregates: [#24 := min(o_orderdate#18)]
        LEFT Join on $lt(o_custkey#17, c_custkey#1)
            RowID $row#23
                Scan default.customer [c_custkey#1, c_name#2, c_nationkey#3, $path#4, $file_size#5, $file_modified_time#6]
            Project o_orderkey#16 := o_orderkey#16, o_custkey#17 := o_custkey#17, o_orderdate#18 := o_orderdate#18, $path#19 := $path#19, $file_size#20 := $file_size#20, $file_modified_time#21 := $file_modified_time#21, $matched#22 := true::boolean
                Scan default.orders [o_orderkey#16, o_custkey#17, o_orderdate#18, $path#19, $file_size#20, $file_modified_time#21]
-- @optimized
Project c_name#25 := c_name#2, first#26 := min#24
    Aggregate keys: [#23 := $row#23, #1 := c_custkey#1, #2 := c_name#2, #3 := c_nationkey#3, #4 := $path#4, #5 := $file_size#5, #6 := $file_modified_time#6] aggregates: [#24 := min(o_orderdate#18)]
        LEFT Join on $lt(o_custkey#17, c_custkey#1)
            RowID $row#23
                Scan default.customer [c_custkey#1, c_name#2, c_nationkey#3, $path#4, $file_size#5, $file_modified_time#6]
            Project o_custkey#17 := o_custkey#17, o_orderdate#18 := o_orderdate#18
                Scan default.orders [o_custkey#17, o_orderdate#18]
-- @fired
prune_columns
