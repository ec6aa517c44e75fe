Regression (once a wrong-result bug). EXISTS (SELECT count(*) FROM orders WHERE
o_custkey = c_custkey) is true for every customer (an aggregate without GROUP
BY always yields one row), but the binder groups the aggregate by the
correlated column and semi-joins on it, so customers without orders are
dropped. Verified through the engine: returns only customers with orders.

Today (optimized):
  Project c_name#16 := c_name#2
      SEMI Join on $eq(o_custkey#13, c_custkey#1)
          Scan default.customer [c_custkey#1, c_name#2]
          Project o_custkey#13 := o_custkey#13
              Aggregate keys: [#13 := o_custkey#8] aggregates: []
                  Scan default.orders [o_custkey#8]
Expected: Project c_name#16 := c_name#2 over Scan default.customer (the EXISTS
is true; at most a HAVING on the aggregate could make it false).
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
SELECT c_name FROM customer WHERE EXISTS (SELECT count(*) FROM orders WHERE o_custkey = c_custkey)
-- @bound
Project c_name#16 := c_name#2
    Scan default.customer [c_custkey#1, c_name#2, c_nationkey#3, $path#4, $file_size#5, $file_modified_time#6]
-- @optimized
Project c_name#16 := c_name#2
    Scan default.customer [c_name#2]
-- @fired
prune_columns
