TPC-H Q03 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q03.sql
-- @bound
Limit 10 offset 0
    Sort revenue#48 desc, o_orderdate#49
        Project l_orderkey#47 := l_orderkey#43, revenue#48 := sum#46, o_orderdate#49 := o_orderdate#44, o_shippriority#50 := o_shippriority#45
            Aggregate keys: [#43 := l_orderkey#24, #44 := o_orderdate#16, #45 := o_shippriority#19] aggregates: [#46 := sum($multiply(l_extendedprice#29, $subtract(1::decimal(10,0), l_discount#30)))]
                Filter $gt(l_shipdate#34, 9204::date)
                    Filter $lt(o_orderdate#16, 9204::date)
                        Filter $eq(l_orderkey#24, o_orderkey#12)
                            Filter $eq(c_custkey#1, o_custkey#13)
                                Filter $eq(c_mktsegment#7, 'BUILDING'::varchar(10))
                                    INNER Join on true
                                        INNER Join on true
                                            Scan tpch.customer [c_custkey#1, c_name#2, c_address#3, c_nationkey#4, c_phone#5, c_acctbal#6, c_mktsegment#7, c_comment#8, $path#9, $file_size#10, $file_modified_time#11]
                                            Scan tpch.orders [o_orderkey#12, o_custkey#13, o_orderstatus#14, o_totalprice#15, o_orderdate#16, o_orderpriority#17, o_clerk#18, o_shippriority#19, o_comment#20, $path#21, $file_size#22, $file_modified_time#23]
                                        Scan tpch.lineitem [l_orderkey#24, l_partkey#25, l_suppkey#26, l_linenumber#27, l_quantity#28, l_extendedprice#29, l_discount#30, l_tax#31, l_returnflag#32, l_linestatus#33, l_shipdate#34, l_commitdate#35, l_receiptdate#36, l_shipinstruct#37, l_shipmode#38, l_comment#39, $path#40, $file_size#41, $file_modified_time#42]
-- @optimized
Limit 10 offset 0
    Sort revenue#48 desc, o_orderdate#49
        Project l_orderkey#47 := l_orderkey#43, revenue#48 := sum#46, o_orderdate#49 := o_orderdate#44, o_shippriority#50 := o_shippriority#45
            Aggregate keys: [#43 := l_orderkey#24, #44 := o_orderdate#16, #45 := o_shippriority#19] aggregates: [#46 := sum($multiply(l_extendedprice#29, $subtract(1::decimal(10,0), l_discount#30)))]
                INNER Join on $eq(c_custkey#1, o_custkey#13)
                    INNER Join on $eq(l_orderkey#24, o_orderkey#12)
                        Scan tpch.lineitem [l_orderkey#24, l_extendedprice#29, l_discount#30, l_shipdate#34] filters: $gt(l_shipdate#34, 9204::date)
                        Scan tpch.orders [o_orderkey#12, o_custkey#13, o_orderdate#16, o_shippriority#19] filters: $lt(o_orderdate#16, 9204::date)
                    Scan tpch.customer [c_custkey#1, c_mktsegment#7] filters: $eq(c_mktsegment#7, 'BUILDING'::varchar(10))
-- @fired
push_down_filter
reorder_joins
prune_columns
