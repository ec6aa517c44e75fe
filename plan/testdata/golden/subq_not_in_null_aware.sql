Binder decorrelation: uncorrelated NOT IN becomes a NULL-AWARE ANTI join
(no rows when the subquery yields a NULL), TPC-H Q16 shape.
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
SELECT ps_partkey FROM partsupp WHERE ps_suppkey NOT IN (SELECT s_suppkey FROM supplier WHERE s_name LIKE '%Complaints%')
-- @bound
Project ps_partkey#15 := ps_partkey#1
    NULL-AWARE ANTI Join on $eq(ps_suppkey#2, s_suppkey#14)
        Scan default.partsupp [ps_partkey#1, ps_suppkey#2, ps_supplycost#3, ps_availqty#4, $path#5, $file_size#6, $file_modified_time#7]
        Project s_suppkey#14 := s_suppkey#8
            Filter $like(s_name#9, '%Complaints%'::varchar(12))
                Scan default.supplier [s_suppkey#8, s_name#9, s_nationkey#10, $path#11, $file_size#12, $file_modified_time#13]
-- @optimized
Project ps_partkey#15 := ps_partkey#1
    NULL-AWARE ANTI Join on $eq(ps_suppkey#2, s_suppkey#14)
        Scan default.partsupp [ps_partkey#1, ps_suppkey#2]
        Project s_suppkey#14 := s_suppkey#8
            Scan default.supplier [s_suppkey#8, s_name#9] filters: $like(s_name#9, '%Complaints%'::varchar(12))
-- @fired
push_down_filter
prune_columns
