TPC-H Q01 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q01.sql
-- @bound
Sort l_returnflag#30, l_linestatus#31
    Project l_returnflag#30 := l_returnflag#20, l_linestatus#31 := l_linestatus#21, sum_qty#32 := sum#22, sum_base_price#33 := sum#23, sum_disc_price#34 := sum#24, sum_charge#35 := sum#25, avg_qty#36 := avg#26, avg_price#37 := avg#27, avg_disc#38 := avg#28, count_order#39 := count#29
        Aggregate keys: [#20 := l_returnflag#9, #21 := l_linestatus#10] aggregates: [#22 := sum(l_quantity#5), #23 := sum(l_extendedprice#6), #24 := sum($multiply(l_extendedprice#6, $subtract(1::decimal(10,0), l_discount#7))), #25 := sum($multiply($multiply(l_extendedprice#6, $subtract(1::decimal(10,0), l_discount#7)), $add(1::decimal(10,0), l_tax#8))), #26 := avg(l_quantity#5), #27 := avg(l_extendedprice#6), #28 := avg(l_discount#7), #29 := count()]
            Filter $le(l_shipdate#11, 10471::date)
                Scan tpch.lineitem [l_orderkey#1, l_partkey#2, l_suppkey#3, l_linenumber#4, l_quantity#5, l_extendedprice#6, l_discount#7, l_tax#8, l_returnflag#9, l_linestatus#10, l_shipdate#11, l_commitdate#12, l_receiptdate#13, l_shipinstruct#14, l_shipmode#15, l_comment#16, $path#17, $file_size#18, $file_modified_time#19]
-- @optimized
Sort l_returnflag#30, l_linestatus#31
    Project l_returnflag#30 := l_returnflag#20, l_linestatus#31 := l_linestatus#21, sum_qty#32 := sum#22, sum_base_price#33 := sum#23, sum_disc_price#34 := sum#24, sum_charge#35 := sum#25, avg_qty#36 := avg#26, avg_price#37 := avg#27, avg_disc#38 := avg#28, count_order#39 := count#29
        Aggregate keys: [#20 := l_returnflag#9, #21 := l_linestatus#10] aggregates: [#22 := sum(l_quantity#5), #23 := sum(l_extendedprice#6), #24 := sum(cse#40), #25 := sum($multiply(cse#40, $add(1::decimal(10,0), l_tax#8))), #26 := avg(l_quantity#5), #27 := avg(l_extendedprice#6), #28 := avg(l_discount#7), #29 := count()]
            Project l_quantity#5 := l_quantity#5, l_extendedprice#6 := l_extendedprice#6, l_discount#7 := l_discount#7, l_tax#8 := l_tax#8, l_returnflag#9 := l_returnflag#9, l_linestatus#10 := l_linestatus#10, cse#40 := $multiply(l_extendedprice#6, $subtract(1::decimal(10,0), l_discount#7))
                Scan tpch.lineitem [l_quantity#5, l_extendedprice#6, l_discount#7, l_tax#8, l_returnflag#9, l_linestatus#10, l_shipdate#11] filters: $le(l_shipdate#11, 10471::date)
-- @fired
push_down_filter
common_subexpressions
prune_columns
