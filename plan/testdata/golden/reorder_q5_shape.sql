reorder_joins fires, TPC-H Q5 FROM list (written customer-first): the join
tree starts from the largest table (lineitem, the probe side) and each step
joins the smallest input connected by an equality, so there is no cross
product (customer joins only once both orders and supplier are in).
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
SELECT n_name, sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM customer, orders, lineitem, supplier, nation, region
WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_suppkey = s_suppkey
  AND c_nationkey = s_nationkey AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey
  AND r_name = 'ASIA' AND o_orderdate >= DATE '1994-01-01' AND o_orderdate < DATE '1995-01-01'
GROUP BY n_name
-- @bound
Project n_name#42 := n_name#40, revenue#43 := sum#41
    Aggregate keys: [#40 := n_name#30] aggregates: [#41 := sum($multiply(l_extendedprice#17, $subtract(1::decimal(10,0), l_discount#18)))]
        Filter $lt(o_orderdate#9, 9131::date)
            Filter $ge(o_orderdate#9, 8766::date)
                Filter $eq(r_name#36, 'ASIA'::varchar)
                    Filter $eq(n_regionkey#31, r_regionkey#35)
                        Filter $eq(s_nationkey#25, n_nationkey#29)
                            Filter $eq(c_nationkey#3, s_nationkey#25)
                                Filter $eq(l_suppkey#15, s_suppkey#23)
                                    Filter $eq(l_orderkey#13, o_orderkey#7)
                                        Filter $eq(c_custkey#1, o_custkey#8)
                                            INNER Join on true
                                                INNER Join on true
                                                    INNER Join on true
                                                        INNER Join on true
                                                            INNER Join on true
                                                                Scan default.customer [c_custkey#1, c_name#2, c_nationkey#3, $path#4, $file_size#5, $file_modified_time#6]
                                                                Scan default.orders [o_orderkey#7, o_custkey#8, o_orderdate#9, $path#10, $file_size#11, $file_modified_time#12]
                                                            Scan default.lineitem [l_orderkey#13, l_partkey#14, l_suppkey#15, l_quantity#16, l_extendedprice#17, l_discount#18, l_shipdate#19, $path#20, $file_size#21, $file_modified_time#22]
                                                        Scan default.supplier [s_suppkey#23, s_name#24, s_nationkey#25, $path#26, $file_size#27, $file_modified_time#28]
                                                    Scan default.nation [n_nationkey#29, n_name#30, n_regionkey#31, $path#32, $file_size#33, $file_modified_time#34]
                                                Scan default.region [r_regionkey#35, r_name#36, $path#37, $file_size#38, $file_modified_time#39]
-- @optimized
Project n_name#42 := n_name#40, revenue#43 := sum#41
    Aggregate keys: [#40 := n_name#30] aggregates: [#41 := sum($multiply(l_extendedprice#17, $subtract(1::decimal(10,0), l_discount#18)))]
        INNER Join on $and($eq(c_custkey#1, o_custkey#8), $eq(c_nationkey#3, s_nationkey#25))
            INNER Join on $eq(l_orderkey#13, o_orderkey#7)
                INNER Join on $eq(n_regionkey#31, r_regionkey#35)
                    INNER Join on $eq(s_nationkey#25, n_nationkey#29)
                        INNER Join on $eq(l_suppkey#15, s_suppkey#23)
                            Scan default.lineitem [l_orderkey#13, l_suppkey#15, l_extendedprice#17, l_discount#18]
                            Scan default.supplier [s_suppkey#23, s_nationkey#25]
                        Scan default.nation [n_nationkey#29, n_name#30, n_regionkey#31]
                    Scan default.region [r_regionkey#35, r_name#36] filters: $eq(r_name#36, 'ASIA'::varchar)
                Scan default.orders [o_orderkey#7, o_custkey#8, o_orderdate#9] filters: $lt(o_orderdate#9, 9131::date), $ge(o_orderdate#9, 8766::date)
            Scan default.customer [c_custkey#1, c_nationkey#3]
-- @fired
push_down_filter
reorder_joins
prune_columns
