Regression (once a wrong-result bug). push_down_filter's Aggregate case checks
that the predicate is deterministic but not the grouping-key expression it is
rewritten to (the Project case checks both), so bucket = 3 becomes
floor(random() * 10) = 3 below the aggregation, evaluated with a different
random value than the grouping key: the output has buckets other than 3.

Today (optimized):
  Project bucket#11 := bucket#9, n#12 := n#10
      Project bucket#9 := _col#7, n#10 := count#8
          Aggregate keys: [#7 := floor($multiply(random(), 10::double))] aggregates: [#8 := count()]
              Filter $eq(floor($multiply(random(), 10::double)), 3::double)
                  Scan default.orders []
Expected: Filter $eq(_col#7, 3::double) stays above the Aggregate.
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
SELECT * FROM (SELECT floor(random() * 10) AS bucket, count(*) AS n FROM orders GROUP BY 1) x WHERE bucket = 3
-- @bound
Project bucket#11 := bucket#9, n#12 := n#10
    Filter $eq(bucket#9, 3::double)
        Project bucket#9 := _col#7, n#10 := count#8
            Aggregate keys: [#7 := floor($multiply(random(), 10::double))] aggregates: [#8 := count()]
                Scan default.orders [o_orderkey#1, o_custkey#2, o_orderdate#3, $path#4, $file_size#5, $file_modified_time#6]
-- @optimized
Project bucket#11 := bucket#9, n#12 := n#10
    Project bucket#9 := _col#7, n#10 := count#8
        Filter $eq(_col#7, 3::double)
            Aggregate keys: [#7 := floor($multiply(random(), 10::double))] aggregates: [#8 := count()]
                Scan default.orders []
-- @fired
push_down_filter
prune_columns
