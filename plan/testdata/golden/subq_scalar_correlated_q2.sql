Binder decorrelation, TPC-H Q2 shape: a correlated min() over a four-table
join becomes a LEFT join with the aggregate grouped by ps_partkey; the join
inside the subquery is reordered too.
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
SELECT s_name, p_partkey FROM part, supplier, partsupp, nation, region
WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey AND p_size = 15 AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey AND r_name = 'EUROPE'
  AND ps_supplycost = (SELECT min(ps_supplycost) FROM partsupp, supplier, nation, region
    WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey AND r_name = 'EUROPE')
-- @bound
Project s_name#58 := s_name#8, p_partkey#59 := p_partkey#1
    Filter $eq(ps_supplycost#15, _col0#57)
        LEFT Join on $eq(p_partkey#1, ps_partkey#55)
            Filter $eq(r_name#27, 'EUROPE'::varchar)
                Filter $eq(n_regionkey#22, r_regionkey#26)
                    Filter $eq(s_nationkey#9, n_nationkey#20)
                        Filter $eq(p_size#3, 15::integer)
                            Filter $eq(s_suppkey#7, ps_suppkey#14)
                                Filter $eq(p_partkey#1, ps_partkey#13)
                                    INNER Join on true
                                        INNER Join on true
                                            INNER Join on true
                                                INNER Join on true
                                                    Scan default.part [p_partkey#1, p_name#2, p_size#3, $path#4, $file_size#5, $file_modified_time#6]
                                                    Scan default.supplier [s_suppkey#7, s_name#8, s_nationkey#9, $path#10, $file_size#11, $file_modified_time#12]
                                                Scan default.partsupp [ps_partkey#13, ps_suppkey#14, ps_supplycost#15, ps_availqty#16, $path#17, $file_size#18, $file_modified_time#19]
                                            Scan default.nation [n_nationkey#20, n_name#21, n_regionkey#22, $path#23, $file_size#24, $file_modified_time#25]
                                        Scan default.region [r_regionkey#26, r_name#27, $path#28, $file_size#29, $file_modified_time#30]
            Project _col0#57 := min#56, ps_partkey#55 := ps_partkey#55
                Aggregate keys: [#55 := ps_partkey#31] aggregates: [#56 := min(ps_supplycost#33)]
                    Filter $eq(r_name#51, 'EUROPE'::varchar)
                        Filter $eq(n_regionkey#46, r_regionkey#50)
                            Filter $eq(s_nationkey#40, n_nationkey#44)
                                Filter $eq(s_suppkey#38, ps_suppkey#32)
                                    INNER Join on true
                                        INNER Join on true
                                            INNER Join on true
                                                Scan default.partsupp [ps_partkey#31, ps_suppkey#32, ps_supplycost#33, ps_availqty#34, $path#35, $file_size#36, $file_modified_time#37]
                                                Scan default.supplier [s_suppkey#38, s_name#39, s_nationkey#40, $path#41, $file_size#42, $file_modified_time#43]
                                            Scan default.nation [n_nationkey#44, n_name#45, n_regionkey#46, $path#47, $file_size#48, $file_modified_time#49]
                                        Scan default.region [r_regionkey#50, r_name#51, $path#52, $file_size#53, $file_modified_time#54]
-- @optimized
Project s_name#58 := s_name#8, p_partkey#59 := p_partkey#1
    Filter $eq(ps_supplycost#15, _col0#57)
        LEFT Join on $eq(p_partkey#1, ps_partkey#55)
            INNER Join on $eq(p_partkey#1, ps_partkey#13)
                INNER Join on $eq(n_regionkey#22, r_regionkey#26)
                    INNER Join on $eq(s_nationkey#9, n_nationkey#20)
                        INNER Join on $eq(s_suppkey#7, ps_suppkey#14)
                            Scan default.partsupp [ps_partkey#13, ps_suppkey#14, ps_supplycost#15]
                            Scan default.supplier [s_suppkey#7, s_name#8, s_nationkey#9]
                        Scan default.nation [n_nationkey#20, n_regionkey#22]
                    Scan default.region [r_regionkey#26, r_name#27] filters: $eq(r_name#27, 'EUROPE'::varchar)
                Scan default.part [p_partkey#1, p_size#3] filters: $eq(p_size#3, 15::integer)
            Project _col0#57 := min#56, ps_partkey#55 := ps_partkey#55
                Aggregate keys: [#55 := ps_partkey#31] aggregates: [#56 := min(ps_supplycost#33)]
                    INNER Join on $eq(n_regionkey#46, r_regionkey#50)
                        INNER Join on $eq(s_nationkey#40, n_nationkey#44)
                            INNER Join on $eq(s_suppkey#38, ps_suppkey#32)
                                Scan default.partsupp [ps_partkey#31, ps_suppkey#32, ps_supplycost#33]
                                Scan default.supplier [s_suppkey#38, s_nationkey#40]
                            Scan default.nation [n_nationkey#44, n_regionkey#46]
                        Scan default.region [r_regionkey#50, r_name#51] filters: $eq(r_name#51, 'EUROPE'::varchar)
-- @fired
push_down_filter
reorder_joins
prune_columns
