Regression (once a wrong-result bug). WHERE random() < 0.5 over a join references no
column, so the Join case sends it to the left input: it samples orders before
the join (all or none of an order's joined rows) instead of each joined row.
The Project and Scan cases keep volatile predicates where they are; Trino does
not push non-deterministic predicates at all.

Today (optimized):
  Project o_orderkey#13 := o_orderkey#1
      INNER Join on $eq(o_custkey#2, c_custkey#7)
          Filter $lt(random(), 0.5::double)
              Scan default.orders [o_orderkey#1, o_custkey#2]
          Scan default.customer [c_custkey#7]
Expected: Filter $lt(random(), 0.5::double) stays above the INNER Join.
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
SELECT o_orderkey FROM orders JOIN customer ON o_custkey = c_custkey WHERE random() < 0.5
-- @bound
Project o_orderkey#13 := o_orderkey#1
    Filter $lt(random(), 0.5::double)
        INNER Join on $eq(o_custkey#2, c_custkey#7)
            Scan default.orders [o_orderkey#1, o_custkey#2, o_orderdate#3, $path#4, $file_size#5, $file_modified_time#6]
            Scan default.customer [c_custkey#7, c_name#8, c_nationkey#9, $path#10, $file_size#11, $file_modified_time#12]
-- @optimized
Project o_orderkey#13 := o_orderkey#1
    Filter $lt(random(), 0.5::double)
        INNER Join on $eq(o_custkey#2, c_custkey#7)
            Scan default.orders [o_orderkey#1, o_custkey#2]
            Scan default.customer [c_custkey#7]
-- @fired
prune_columns
