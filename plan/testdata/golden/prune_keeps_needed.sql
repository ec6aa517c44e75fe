prune_columns negative: columns only a pushed filter, DISTINCT or a UNION
reads are kept (the DISTINCT keys and both UNION sides keep every column).
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
SELECT n_name FROM (SELECT DISTINCT n_name, n_regionkey FROM nation UNION SELECT r_name, r_regionkey FROM region) u
-- @bound
Project n_name#24 := n_name#20
    UNION
        Project n_name#18 := n_name#9, n_regionkey#21 := n_regionkey#10
            Aggregate keys: [#9 := n_name#7, #10 := n_regionkey#8] aggregates: []
                Project n_name#7 := n_name#2, n_regionkey#8 := n_regionkey#3
                    Scan default.nation [n_nationkey#1, n_name#2, n_regionkey#3, $path#4, $file_size#5, $file_modified_time#6]
        Project n_name#19 := r_name#16, n_regionkey#22 := r_regionkey#17
            Project r_name#16 := r_name#12, r_regionkey#17 := r_regionkey#11
                Scan default.region [r_regionkey#11, r_name#12, $path#13, $file_size#14, $file_modified_time#15]
-- @optimized
Project n_name#24 := n_name#20
    UNION
        Project n_name#18 := n_name#9, n_regionkey#21 := n_regionkey#10
            Aggregate keys: [#9 := n_name#7, #10 := n_regionkey#8] aggregates: []
                Project n_name#7 := n_name#2, n_regionkey#8 := n_regionkey#3
                    Scan default.nation [n_name#2, n_regionkey#3]
        Project n_name#19 := r_name#16, n_regionkey#22 := r_regionkey#17
            Project r_name#16 := r_name#12, r_regionkey#17 := r_regionkey#11
                Scan default.region [r_regionkey#11, r_name#12]
-- @fired
prune_columns
