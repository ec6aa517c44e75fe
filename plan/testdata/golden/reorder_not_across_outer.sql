reorder_joins fires over a comma list whose last item is a LEFT JOIN, but must
not reorder across the LEFT JOIN: it is one input of the inner-join tree (the
largest, so the probe side); its own two sides stay, except that it becomes the
equivalent RIGHT JOIN building on customer, the smaller side.
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
SELECT count(*) FROM region, nation, customer LEFT JOIN orders ON o_custkey = c_custkey WHERE c_nationkey = n_nationkey AND n_regionkey = r_regionkey
-- @bound
Project _col0#25 := count#24
    Aggregate keys: [] aggregates: [#24 := count()]
        Filter $eq(n_regionkey#8, r_regionkey#1)
            Filter $eq(c_nationkey#14, n_nationkey#6)
                INNER Join on true
                    INNER Join on true
                        Scan default.region [r_regionkey#1, r_name#2, $path#3, $file_size#4, $file_modified_time#5]
                        Scan default.nation [n_nationkey#6, n_name#7, n_regionkey#8, $path#9, $file_size#10, $file_modified_time#11]
                    LEFT Join on $eq(o_custkey#19, c_custkey#12)
                        Scan default.customer [c_custkey#12, c_name#13, c_nationkey#14, $path#15, $file_size#16, $file_modified_time#17]
                        Scan default.orders [o_orderkey#18, o_custkey#19, o_orderdate#20, $path#21, $file_size#22, $file_modified_time#23]
-- @optimized
Project _col0#25 := count#24
    Aggregate keys: [] aggregates: [#24 := count()]
        INNER Join on $eq(n_regionkey#8, r_regionkey#1)
            INNER Join on $eq(c_nationkey#14, n_nationkey#6)
                Project c_nationkey#14 := c_nationkey#14
                    RIGHT Join on $eq(o_custkey#19, c_custkey#12)
                        Scan default.orders [o_custkey#19]
                        Scan default.customer [c_custkey#12, c_nationkey#14]
                Scan default.nation [n_nationkey#6, n_regionkey#8]
            Scan default.region [r_regionkey#1]
-- @fired
push_down_filter
reorder_joins
prune_columns
