TPC-H Q18 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q18.sql
-- @bound
Limit 100 offset 0
    Sort o_totalprice#75 desc, o_orderdate#74
        Project c_name#71 := c_name#65, c_custkey#72 := c_custkey#66, o_orderkey#73 := o_orderkey#67, o_orderdate#74 := o_orderdate#68, o_totalprice#75 := o_totalprice#69, _col5#76 := sum#70
            Aggregate keys: [#65 := c_name#2, #66 := c_custkey#1, #67 := o_orderkey#12, #68 := o_orderdate#16, #69 := o_totalprice#15] aggregates: [#70 := sum(l_quantity#28)]
                Filter $eq(o_orderkey#12, l_orderkey#24)
                    Filter $eq(c_custkey#1, o_custkey#13)
                        SEMI Join on $eq(o_orderkey#12, l_orderkey#64)
                            INNER Join on true
                                INNER Join on true
                                    Scan tpch.customer [c_custkey#1, c_name#2, c_address#3, c_nationkey#4, c_phone#5, c_acctbal#6, c_mktsegment#7, c_comment#8, $path#9, $file_size#10, $file_modified_time#11]
                                    Scan tpch.orders [o_orderkey#12, o_custkey#13, o_orderstatus#14, o_totalprice#15, o_orderdate#16, o_orderpriority#17, o_clerk#18, o_shippriority#19, o_comment#20, $path#21, $file_size#22, $file_modified_time#23]
                                Scan tpch.lineitem [l_orderkey#24, l_partkey#25, l_suppkey#26, l_linenumber#27, l_quantity#28, l_extendedprice#29, l_discount#30, l_tax#31, l_returnflag#32, l_linestatus#33, l_shipdate#34, l_commitdate#35, l_receiptdate#36, l_shipinstruct#37, l_shipmode#38, l_comment#39, $path#40, $file_size#41, $file_modified_time#42]
                            Project l_orderkey#64 := l_orderkey#62
                                Filter $gt(sum#63, 300::decimal(10,0))
                                    Aggregate keys: [#62 := l_orderkey#43] aggregates: [#63 := sum(l_quantity#47)]
                                        Scan tpch.lineitem [l_orderkey#43, l_partkey#44, l_suppkey#45, l_linenumber#46, l_quantity#47, l_extendedprice#48, l_discount#49, l_tax#50, l_returnflag#51, l_linestatus#52, l_shipdate#53, l_commitdate#54, l_receiptdate#55, l_shipinstruct#56, l_shipmode#57, l_comment#58, $path#59, $file_size#60, $file_modified_time#61]
-- @optimized
Limit 100 offset 0
    Sort o_totalprice#75 desc, o_orderdate#74
        Project c_name#71 := c_name#65, c_custkey#72 := c_custkey#66, o_orderkey#73 := o_orderkey#67, o_orderdate#74 := o_orderdate#68, o_totalprice#75 := o_totalprice#69, _col5#76 := sum#70
            Aggregate keys: [#65 := c_name#2, #66 := c_custkey#1, #67 := o_orderkey#12, #68 := o_orderdate#16, #69 := o_totalprice#15] aggregates: [#70 := sum(l_quantity#28)]
                SEMI Join on $eq(o_orderkey#12, l_orderkey#64)
                    INNER Join on $eq(c_custkey#1, o_custkey#13)
                        INNER Join on $eq(o_orderkey#12, l_orderkey#24)
                            Scan tpch.lineitem [l_orderkey#24, l_quantity#28]
                            Scan tpch.orders [o_orderkey#12, o_custkey#13, o_totalprice#15, o_orderdate#16]
                        Scan tpch.customer [c_custkey#1, c_name#2]
                    Project l_orderkey#64 := l_orderkey#62
                        Filter $gt(sum#63, 300::decimal(10,0))
                            Aggregate keys: [#62 := l_orderkey#43] aggregates: [#63 := sum(l_quantity#47)]
                                Scan tpch.lineitem [l_orderkey#43, l_quantity#47]
-- @fired
push_down_filter
reorder_joins
prune_columns
