Regression (once a wrong-result bug). A correlated scalar subquery is decorrelated into a LEFT
join with the aggregate grouped by the correlated column. For count(*) (and
count(x), approx_distinct, ...) an outer row with no inner rows must get 0, but
the LEFT join gives NULL. Verified through the engine: customers with no orders
get n = NULL, Trino returns 0.

Today (optimized):
  Project c_name#16 := c_name#2, n#17 := _col0#15
      LEFT Join on $eq(o_custkey#13, c_custkey#1)
          Scan default.customer [c_custkey#1, c_name#2]
          Project _col0#15 := count#14, o_custkey#13 := o_custkey#13
              Aggregate keys: [#13 := o_custkey#8] aggregates: [#14 := count()]
                  Scan default.orders [o_custkey#8]
Expected: the projection above the LEFT join reads coalesce(count#14, 0) (or
case when the join matched then count#14 else 0 end) for aggregates whose value
on an empty group is not NULL; results: every customer, n = 0 when no orders.
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
SELECT c_name, (SELECT count(*) FROM orders WHERE o_custkey = c_custkey) AS n FROM customer
-- @bound
Project c_name#16 := c_name#2, n#17 := case when (_col0#15 is null) then 0::bigint else _col0#15 end
    LEFT Join on $eq(o_custkey#13, c_custkey#1)
        Scan default.customer [c_custkey#1, c_name#2, c_nationkey#3, $path#4, $file_size#5, $file_modified_time#6]
        Project _col0#15 := count#14, o_custkey#13 := o_custkey#13
            Aggregate keys: [#13 := o_custkey#8] aggregates: [#14 := count()]
                Scan default.orders [o_orderkey#7, o_custkey#8, o_orderdate#9, $path#10, $file_size#11, $file_modified_time#12]
-- @optimized
Project c_name#16 := c_name#2, n#17 := case when (_col0#15 is null) then 0::bigint else _col0#15 end
    LEFT Join on $eq(o_custkey#13, c_custkey#1)
        Scan default.customer [c_custkey#1, c_name#2]
        Project _col0#15 := count#14, o_custkey#13 := o_custkey#13
            Aggregate keys: [#13 := o_custkey#8] aggregates: [#14 := count()]
                Scan default.orders [o_custkey#8]
-- @fired
prune_columns
