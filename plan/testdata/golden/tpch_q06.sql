TPC-H Q06 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q06.sql
-- @bound
Project revenue#21 := sum#20
    Aggregate keys: [] aggregates: [#20 := sum($multiply(l_extendedprice#6, l_discount#7))]
        Filter $lt(l_quantity#5, 24::decimal(10,0))
            Filter $and($ge(l_discount#7, 5::decimal(2,2)), $le(l_discount#7, 7::decimal(2,2)))
                Filter $lt(l_shipdate#11, 9131::date)
                    Filter $ge(l_shipdate#11, 8766::date)
                        Scan tpch.lineitem [l_orderkey#1, l_partkey#2, l_suppkey#3, l_linenumber#4, l_quantity#5, l_extendedprice#6, l_discount#7, l_tax#8, l_returnflag#9, l_linestatus#10, l_shipdate#11, l_commitdate#12, l_receiptdate#13, l_shipinstruct#14, l_shipmode#15, l_comment#16, $path#17, $file_size#18, $file_modified_time#19]
-- @optimized
Project revenue#21 := sum#20
    Aggregate keys: [] aggregates: [#20 := sum($multiply(l_extendedprice#6, l_discount#7))]
        Scan tpch.lineitem [l_quantity#5, l_extendedprice#6, l_discount#7, l_shipdate#11] filters: $lt(l_quantity#5, 24::decimal(10,0)), $ge(l_discount#7, 5::decimal(2,2)), $le(l_discount#7, 7::decimal(2,2)), $lt(l_shipdate#11, 9131::date), $ge(l_shipdate#11, 8766::date)
-- @fired
push_down_filter
prune_columns
