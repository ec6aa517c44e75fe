TPC-H Q10 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
SF 0.01 so the join order does not depend on the files.
-- @setup-file ${SHARED}/spec/tpch-ddl.sql
-- @schema tpch
-- @stats
lineitem 7300000
orders 1650000
partsupp 1150000
customer 240000
part 230000
supplier 14000
nation 2200
region 390
-- @query-file ${SHARED}/data/tpch/queries/q10.sql
-- @bound
Limit 20 offset 0
    Sort revenue#60 desc
        Project c_custkey#58 := c_custkey#50, c_name#59 := c_name#51, revenue#60 := sum#57, c_acctbal#61 := c_acctbal#52, n_name#62 := n_name#54, c_address#63 := c_address#55, c_phone#64 := c_phone#53, c_comment#65 := c_comment#56
            Aggregate keys: [#50 := c_custkey#1, #51 := c_name#2, #52 := c_acctbal#6, #53 := c_phone#5, #54 := n_name#44, #55 := c_address#3, #56 := c_comment#8] aggregates: [#57 := sum($multiply(l_extendedprice#29, $subtract(1::decimal(10,0), l_discount#30)))]
                Filter $eq(c_nationkey#4, n_nationkey#43)
                    Filter $eq(l_returnflag#32, 'R'::varchar(1))
                        Filter $lt(o_orderdate#16, 8766::date)
                            Filter $ge(o_orderdate#16, 8674::date)
                                Filter $eq(l_orderkey#24, o_orderkey#12)
                                    Filter $eq(c_custkey#1, o_custkey#13)
                                        INNER Join on true
                                            INNER Join on true
                                                INNER Join on true
                                                    Scan tpch.customer [c_custkey#1, c_name#2, c_address#3, c_nationkey#4, c_phone#5, c_acctbal#6, c_mktsegment#7, c_comment#8, $path#9, $file_size#10, $file_modified_time#11]
                                                    Scan tpch.orders [o_orderkey#12, o_custkey#13, o_orderstatus#14, o_totalprice#15, o_orderdate#16, o_orderpriority#17, o_clerk#18, o_shippriority#19, o_comment#20, $path#21, $file_size#22, $file_modified_time#23]
                                                Scan tpch.lineitem [l_orderkey#24, l_partkey#25, l_suppkey#26, l_linenumber#27, l_quantity#28, l_extendedprice#29, l_discount#30, l_tax#31, l_returnflag#32, l_linestatus#33, l_shipdate#34, l_commitdate#35, l_receiptdate#36, l_shipinstruct#37, l_shipmode#38, l_comment#39, $path#40, $file_size#41, $file_modified_time#42]
                                            Scan tpch.nation [n_nationkey#43, n_name#44, n_regionkey#45, n_comment#46, $path#47, $file_size#48, $file_modified_time#49]
-- @optimized
Limit 20 offset 0
    Sort revenue#60 desc
        Project c_custkey#58 := c_custkey#50, c_name#59 := c_name#51, revenue#60 := sum#57, c_acctbal#61 := c_acctbal#52, n_name#62 := n_name#54, c_address#63 := c_address#55, c_phone#64 := c_phone#53, c_comment#65 := c_comment#56
            Aggregate keys: [#50 := c_custkey#1, #51 := c_name#2, #52 := c_acctbal#6, #53 := c_phone#5, #54 := n_name#44, #55 := c_address#3, #56 := c_comment#8] aggregates: [#57 := sum($multiply(l_extendedprice#29, $subtract(1::decimal(10,0), l_discount#30)))]
                INNER Join on $eq(c_nationkey#4, n_nationkey#43)
                    INNER Join on $eq(c_custkey#1, o_custkey#13)
                        INNER Join on $eq(l_orderkey#24, o_orderkey#12)
                            Scan tpch.lineitem [l_orderkey#24, l_extendedprice#29, l_discount#30, l_returnflag#32] filters: $eq(l_returnflag#32, 'R'::varchar(1))
                            Scan tpch.orders [o_orderkey#12, o_custkey#13, o_orderdate#16] filters: $lt(o_orderdate#16, 8766::date), $ge(o_orderdate#16, 8674::date)
                        Scan tpch.customer [c_custkey#1, c_name#2, c_address#3, c_nationkey#4, c_phone#5, c_acctbal#6, c_comment#8]
                    Scan tpch.nation [n_nationkey#43, n_name#44]
-- @fired
push_down_filter
reorder_joins
prune_columns
