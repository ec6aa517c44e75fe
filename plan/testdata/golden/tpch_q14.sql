TPC-H Q14 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q14.sql
-- @bound
Project promo_revenue#34 := $divide($multiply(10000::decimal(5,2), sum#32), sum#33)
    Aggregate keys: [] aggregates: [#32 := sum(case when $like(p_type#24, 'PROMO%'::varchar(6)) then $multiply(l_extendedprice#6, $subtract(1::decimal(10,0), l_discount#7)) else {0 0}::decimal(31,4) end), #33 := sum($multiply(l_extendedprice#6, $subtract(1::decimal(10,0), l_discount#7)))]
        Filter $lt(l_shipdate#11, 9404::date)
            Filter $ge(l_shipdate#11, 9374::date)
                Filter $eq(l_partkey#2, p_partkey#20)
                    INNER Join on true
                        Scan tpch.lineitem [l_orderkey#1, l_partkey#2, l_suppkey#3, l_linenumber#4, l_quantity#5, l_extendedprice#6, l_discount#7, l_tax#8, l_returnflag#9, l_linestatus#10, l_shipdate#11, l_commitdate#12, l_receiptdate#13, l_shipinstruct#14, l_shipmode#15, l_comment#16, $path#17, $file_size#18, $file_modified_time#19]
                        Scan tpch.part [p_partkey#20, p_name#21, p_mfgr#22, p_brand#23, p_type#24, p_size#25, p_container#26, p_retailprice#27, p_comment#28, $path#29, $file_size#30, $file_modified_time#31]
-- @optimized
Project promo_revenue#34 := $divide($multiply(10000::decimal(5,2), sum#32), sum#33)
    Aggregate keys: [] aggregates: [#32 := sum(case when $like(p_type#24, 'PROMO%'::varchar(6)) then cse#35 else {0 0}::decimal(31,4) end), #33 := sum(cse#35)]
        Project p_type#24 := p_type#24, cse#35 := $multiply(l_extendedprice#6, $subtract(1::decimal(10,0), l_discount#7))
            INNER Join on $eq(l_partkey#2, p_partkey#20)
                Scan tpch.lineitem [l_partkey#2, l_extendedprice#6, l_discount#7, l_shipdate#11] filters: $lt(l_shipdate#11, 9404::date), $ge(l_shipdate#11, 9374::date)
                Scan tpch.part [p_partkey#20, p_type#24]
-- @fired
push_down_filter
common_subexpressions
prune_columns
