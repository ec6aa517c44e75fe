TPC-H Q15 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q15.sql
-- @bound
Sort s_suppkey#40
    Project s_suppkey#40 := s_suppkey#1, s_name#41 := s_name#2, s_address#42 := s_address#3, s_phone#43 := s_phone#5, total_revenue#44 := total_revenue#35
        Filter $eq(total_revenue#35, _col0#39)
            LEFT Join on true
                Filter $eq(s_suppkey#1, supplier_no#34)
                    INNER Join on true
                        Scan tpch.supplier [s_suppkey#1, s_name#2, s_address#3, s_nationkey#4, s_phone#5, s_acctbal#6, s_comment#7, $path#8, $file_size#9, $file_modified_time#10]
                        Shared revenue [supplier_no#34, total_revenue#35] (computed once for every reference)
                            Project supplier_no#32 := l_suppkey#30, total_revenue#33 := sum#31
                                Aggregate keys: [#30 := l_suppkey#13] aggregates: [#31 := sum($multiply(l_extendedprice#16, $subtract(1::decimal(10,0), l_discount#17)))]
                                    Filter $lt(l_shipdate#21, 9587::date)
                                        Filter $ge(l_shipdate#21, 9496::date)
                                            Scan tpch.lineitem [l_orderkey#11, l_partkey#12, l_suppkey#13, l_linenumber#14, l_quantity#15, l_extendedprice#16, l_discount#17, l_tax#18, l_returnflag#19, l_linestatus#20, l_shipdate#21, l_commitdate#22, l_receiptdate#23, l_shipinstruct#24, l_shipmode#25, l_comment#26, $path#27, $file_size#28, $file_modified_time#29]
                SingleRow
                    Project _col0#39 := max#38
                        Aggregate keys: [] aggregates: [#38 := max(total_revenue#37)]
                            Shared revenue [supplier_no#36, total_revenue#37] (computed once for every reference)
                                Project supplier_no#32 := l_suppkey#30, total_revenue#33 := sum#31
                                    Aggregate keys: [#30 := l_suppkey#13] aggregates: [#31 := sum($multiply(l_extendedprice#16, $subtract(1::decimal(10,0), l_discount#17)))]
                                        Filter $lt(l_shipdate#21, 9587::date)
                                            Filter $ge(l_shipdate#21, 9496::date)
                                                Scan tpch.lineitem [l_orderkey#11, l_partkey#12, l_suppkey#13, l_linenumber#14, l_quantity#15, l_extendedprice#16, l_discount#17, l_tax#18, l_returnflag#19, l_linestatus#20, l_shipdate#21, l_commitdate#22, l_receiptdate#23, l_shipinstruct#24, l_shipmode#25, l_comment#26, $path#27, $file_size#28, $file_modified_time#29]
-- @optimized
Sort s_suppkey#40
    Project s_suppkey#40 := s_suppkey#1, s_name#41 := s_name#2, s_address#42 := s_address#3, s_phone#43 := s_phone#5, total_revenue#44 := total_revenue#35
        Filter $eq(total_revenue#35, _col0#39)
            LEFT Join on true
                INNER Join on $eq(s_suppkey#1, supplier_no#34)
                    Scan tpch.supplier [s_suppkey#1, s_name#2, s_address#3, s_phone#5]
                    Shared revenue [supplier_no#34, total_revenue#35] (computed once for every reference)
                        Project supplier_no#32 := l_suppkey#30, total_revenue#33 := sum#31
                            Aggregate keys: [#30 := l_suppkey#13] aggregates: [#31 := sum($multiply(l_extendedprice#16, $subtract(1::decimal(10,0), l_discount#17)))]
                                Scan tpch.lineitem [l_suppkey#13, l_extendedprice#16, l_discount#17, l_shipdate#21] filters: $lt(l_shipdate#21, 9587::date), $ge(l_shipdate#21, 9496::date)
                SingleRow
                    Project _col0#39 := max#38
                        Aggregate keys: [] aggregates: [#38 := max(total_revenue#37)]
                            Shared revenue [supplier_no#36, total_revenue#37] (computed once for every reference)
                                Project supplier_no#32 := l_suppkey#30, total_revenue#33 := sum#31
                                    Aggregate keys: [#30 := l_suppkey#13] aggregates: [#31 := sum($multiply(l_extendedprice#16, $subtract(1::decimal(10,0), l_discount#17)))]
                                        Scan tpch.lineitem [l_suppkey#13, l_extendedprice#16, l_discount#17, l_shipdate#21] filters: $lt(l_shipdate#21, 9587::date), $ge(l_shipdate#21, 9496::date)
-- @fired
push_down_filter
prune_columns
push_down_filter
prune_columns
