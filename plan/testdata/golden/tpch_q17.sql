TPC-H Q17 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q17.sql
-- @bound
Project avg_yearly#55 := $divide(sum#54, 70::decimal(2,1))
    Aggregate keys: [] aggregates: [#54 := sum(l_extendedprice#6)]
        Filter $lt(l_quantity#5, _col0#53)
            LEFT Join on $eq(l_partkey#51, p_partkey#20)
                Filter $eq(p_container#26, 'MED BOX'::varchar(10))
                    Filter $eq(p_brand#23, 'Brand#23'::varchar(10))
                        Filter $eq(p_partkey#20, l_partkey#2)
                            INNER Join on true
                                Scan tpch.lineitem [l_orderkey#1, l_partkey#2, l_suppkey#3, l_linenumber#4, l_quantity#5, l_extendedprice#6, l_discount#7, l_tax#8, l_returnflag#9, l_linestatus#10, l_shipdate#11, l_commitdate#12, l_receiptdate#13, l_shipinstruct#14, l_shipmode#15, l_comment#16, $path#17, $file_size#18, $file_modified_time#19]
                                Scan tpch.part [p_partkey#20, p_name#21, p_mfgr#22, p_brand#23, p_type#24, p_size#25, p_container#26, p_retailprice#27, p_comment#28, $path#29, $file_size#30, $file_modified_time#31]
                Project _col0#53 := $multiply(2::decimal(1,1), avg#52), l_partkey#51 := l_partkey#51
                    Aggregate keys: [#51 := l_partkey#33] aggregates: [#52 := avg(l_quantity#36)]
                        Scan tpch.lineitem [l_orderkey#32, l_partkey#33, l_suppkey#34, l_linenumber#35, l_quantity#36, l_extendedprice#37, l_discount#38, l_tax#39, l_returnflag#40, l_linestatus#41, l_shipdate#42, l_commitdate#43, l_receiptdate#44, l_shipinstruct#45, l_shipmode#46, l_comment#47, $path#48, $file_size#49, $file_modified_time#50]
-- @optimized
Project avg_yearly#55 := $divide(sum#54, 70::decimal(2,1))
    Aggregate keys: [] aggregates: [#54 := sum(l_extendedprice#6)]
        Filter $lt(l_quantity#5, _col0#53)
            LEFT Join on $eq(l_partkey#51, p_partkey#20)
                INNER Join on $eq(p_partkey#20, l_partkey#2)
                    Scan tpch.lineitem [l_partkey#2, l_quantity#5, l_extendedprice#6]
                    Scan tpch.part [p_partkey#20, p_brand#23, p_container#26] filters: $eq(p_container#26, 'MED BOX'::varchar(10)), $eq(p_brand#23, 'Brand#23'::varchar(10))
                Project _col0#53 := $multiply(2::decimal(1,1), avg#52), l_partkey#51 := l_partkey#51
                    Aggregate keys: [#51 := l_partkey#33] aggregates: [#52 := avg(l_quantity#36)]
                        Scan tpch.lineitem [l_partkey#33, l_quantity#36]
-- @fired
push_down_filter
prune_columns
