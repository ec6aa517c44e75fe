prune_columns fires: an aggregate nobody reads is dropped from the
Aggregate, and the columns only it read are dropped from the scan.
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
SELECT l_orderkey, n FROM (SELECT l_orderkey, count(*) AS n, sum(l_extendedprice) AS total, max(l_shipdate) AS last FROM lineitem GROUP BY l_orderkey) x
-- @bound
Project l_orderkey#19 := l_orderkey#15, n#20 := n#16
    Project l_orderkey#15 := l_orderkey#11, n#16 := count#12, total#17 := sum#13, last#18 := max#14
        Aggregate keys: [#11 := l_orderkey#1] aggregates: [#12 := count(), #13 := sum(l_extendedprice#5), #14 := max(l_shipdate#7)]
            Scan default.lineitem [l_orderkey#1, l_partkey#2, l_suppkey#3, l_quantity#4, l_extendedprice#5, l_discount#6, l_shipdate#7, $path#8, $file_size#9, $file_modified_time#10]
-- @optimized
Project l_orderkey#19 := l_orderkey#15, n#20 := n#16
    Project l_orderkey#15 := l_orderkey#11, n#16 := count#12
        Aggregate keys: [#11 := l_orderkey#1] aggregates: [#12 := count()]
            Scan default.lineitem [l_orderkey#1]
-- @fired
prune_columns
