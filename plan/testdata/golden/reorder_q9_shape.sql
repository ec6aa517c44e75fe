reorder_joins fires, TPC-H Q9 FROM list (part first, lineitem third): starts
from lineitem; partsupp is joined on a two-column equality; no cross product.
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
SELECT n_name, sum(l_extendedprice * (1 - l_discount) - ps_supplycost * l_quantity) AS amount
FROM part, supplier, lineitem, partsupp, orders, nation
WHERE s_suppkey = l_suppkey AND ps_suppkey = l_suppkey AND ps_partkey = l_partkey
  AND p_partkey = l_partkey AND o_orderkey = l_orderkey AND s_nationkey = n_nationkey
  AND p_name LIKE '%green%'
GROUP BY n_name
-- @bound
Project n_name#44 := n_name#42, amount#45 := sum#43
    Aggregate keys: [#42 := n_name#37] aggregates: [#43 := sum($subtract($multiply(l_extendedprice#17, $subtract(1::decimal(10,0), l_discount#18)), $multiply(ps_supplycost#25, l_quantity#16)))]
        Filter $like(p_name#2, '%green%'::varchar(7))
            Filter $eq(s_nationkey#9, n_nationkey#36)
                Filter $eq(o_orderkey#30, l_orderkey#13)
                    Filter $eq(p_partkey#1, l_partkey#14)
                        Filter $eq(ps_partkey#23, l_partkey#14)
                            Filter $eq(ps_suppkey#24, l_suppkey#15)
                                Filter $eq(s_suppkey#7, l_suppkey#15)
                                    INNER Join on true
                                        INNER Join on true
                                            INNER Join on true
                                                INNER Join on true
                                                    INNER Join on true
                                                        Scan default.part [p_partkey#1, p_name#2, p_size#3, $path#4, $file_size#5, $file_modified_time#6]
                                                        Scan default.supplier [s_suppkey#7, s_name#8, s_nationkey#9, $path#10, $file_size#11, $file_modified_time#12]
                                                    Scan default.lineitem [l_orderkey#13, l_partkey#14, l_suppkey#15, l_quantity#16, l_extendedprice#17, l_discount#18, l_shipdate#19, $path#20, $file_size#21, $file_modified_time#22]
                                                Scan default.partsupp [ps_partkey#23, ps_suppkey#24, ps_supplycost#25, ps_availqty#26, $path#27, $file_size#28, $file_modified_time#29]
                                            Scan default.orders [o_orderkey#30, o_custkey#31, o_orderdate#32, $path#33, $file_size#34, $file_modified_time#35]
                                        Scan default.nation [n_nationkey#36, n_name#37, n_regionkey#38, $path#39, $file_size#40, $file_modified_time#41]
-- @optimized
Project n_name#44 := n_name#42, amount#45 := sum#43
    Aggregate keys: [#42 := n_name#37] aggregates: [#43 := sum($subtract($multiply(l_extendedprice#17, $subtract(1::decimal(10,0), l_discount#18)), $multiply(ps_supplycost#25, l_quantity#16)))]
        INNER Join on $eq(o_orderkey#30, l_orderkey#13)
            INNER Join on $and($eq(ps_partkey#23, l_partkey#14), $eq(ps_suppkey#24, l_suppkey#15))
                INNER Join on $eq(p_partkey#1, l_partkey#14)
                    INNER Join on $eq(s_nationkey#9, n_nationkey#36)
                        INNER Join on $eq(s_suppkey#7, l_suppkey#15)
                            Scan default.lineitem [l_orderkey#13, l_partkey#14, l_suppkey#15, l_quantity#16, l_extendedprice#17, l_discount#18]
                            Scan default.supplier [s_suppkey#7, s_nationkey#9]
                        Scan default.nation [n_nationkey#36, n_name#37]
                    Scan default.part [p_partkey#1, p_name#2] filters: $like(p_name#2, '%green%'::varchar(7))
                Scan default.partsupp [ps_partkey#23, ps_suppkey#24, ps_supplycost#25]
            Scan default.orders [o_orderkey#30]
-- @fired
push_down_filter
reorder_joins
prune_columns
