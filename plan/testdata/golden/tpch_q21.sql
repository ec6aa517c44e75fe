TPC-H Q21 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q21.sql
-- @bound
Limit 100 offset 0
    Sort numwait#122 desc, s_name#121
        Project s_name#121 := s_name#119, numwait#122 := count#120
            Aggregate keys: [#119 := s_name#2] aggregates: [#120 := count()]
                Filter $eq(n_name#43, 'SAUDI ARABIA'::varchar(25))
                    Filter $eq(s_nationkey#4, n_nationkey#42)
                        ANTI Join on $and($eq(l_orderkey#84, l_orderkey#11), $ne(l_suppkey#86, l_suppkey#13))
                            SEMI Join on $and($eq(l_orderkey#49, l_orderkey#11), $ne(l_suppkey#51, l_suppkey#13))
                                Filter $gt(l_receiptdate#23, l_commitdate#22)
                                    Filter $eq(o_orderstatus#32, 'F'::varchar(1))
                                        Filter $eq(o_orderkey#30, l_orderkey#11)
                                            Filter $eq(s_suppkey#1, l_suppkey#13)
                                                INNER Join on true
                                                    INNER Join on true
                                                        INNER Join on true
                                                            Scan tpch.supplier [s_suppkey#1, s_name#2, s_address#3, s_nationkey#4, s_phone#5, s_acctbal#6, s_comment#7, $path#8, $file_size#9, $file_modified_time#10]
                                                            Scan tpch.lineitem [l_orderkey#11, l_partkey#12, l_suppkey#13, l_linenumber#14, l_quantity#15, l_extendedprice#16, l_discount#17, l_tax#18, l_returnflag#19, l_linestatus#20, l_shipdate#21, l_commitdate#22, l_receiptdate#23, l_shipinstruct#24, l_shipmode#25, l_comment#26, $path#27, $file_size#28, $file_modified_time#29]
                                                        Scan tpch.orders [o_orderkey#30, o_custkey#31, o_orderstatus#32, o_totalprice#33, o_orderdate#34, o_orderpriority#35, o_clerk#36, o_shippriority#37, o_comment#38, $path#39, $file_size#40, $file_modified_time#41]
                                                    Scan tpch.nation [n_nationkey#42, n_name#43, n_regionkey#44, n_comment#45, $path#46, $file_size#47, $file_modified_time#48]
                                Project l_orderkey#68 := l_orderkey#49, l_partkey#69 := l_partkey#50, l_suppkey#70 := l_suppkey#51, l_linenumber#71 := l_linenumber#52, l_quantity#72 := l_quantity#53, l_extendedprice#73 := l_extendedprice#54, l_discount#74 := l_discount#55, l_tax#75 := l_tax#56, l_returnflag#76 := l_returnflag#57, l_linestatus#77 := l_linestatus#58, l_shipdate#78 := l_shipdate#59, l_commitdate#79 := l_commitdate#60, l_receiptdate#80 := l_receiptdate#61, l_shipinstruct#81 := l_shipinstruct#62, l_shipmode#82 := l_shipmode#63, l_comment#83 := l_comment#64, l_orderkey#49 := l_orderkey#49, l_suppkey#51 := l_suppkey#51
                                    Scan tpch.lineitem [l_orderkey#49, l_partkey#50, l_suppkey#51, l_linenumber#52, l_quantity#53, l_extendedprice#54, l_discount#55, l_tax#56, l_returnflag#57, l_linestatus#58, l_shipdate#59, l_commitdate#60, l_receiptdate#61, l_shipinstruct#62, l_shipmode#63, l_comment#64, $path#65, $file_size#66, $file_modified_time#67]
                            Project l_orderkey#103 := l_orderkey#84, l_partkey#104 := l_partkey#85, l_suppkey#105 := l_suppkey#86, l_linenumber#106 := l_linenumber#87, l_quantity#107 := l_quantity#88, l_extendedprice#108 := l_extendedprice#89, l_discount#109 := l_discount#90, l_tax#110 := l_tax#91, l_returnflag#111 := l_returnflag#92, l_linestatus#112 := l_linestatus#93, l_shipdate#113 := l_shipdate#94, l_commitdate#114 := l_commitdate#95, l_receiptdate#115 := l_receiptdate#96, l_shipinstruct#116 := l_shipinstruct#97, l_shipmode#117 := l_shipmode#98, l_comment#118 := l_comment#99, l_orderkey#84 := l_orderkey#84, l_suppkey#86 := l_suppkey#86
                                Filter $gt(l_receiptdate#96, l_commitdate#95)
                                    Scan tpch.lineitem [l_orderkey#84, l_partkey#85, l_suppkey#86, l_linenumber#87, l_quantity#88, l_extendedprice#89, l_discount#90, l_tax#91, l_returnflag#92, l_linestatus#93, l_shipdate#94, l_commitdate#95, l_receiptdate#96, l_shipinstruct#97, l_shipmode#98, l_comment#99, $path#100, $file_size#101, $file_modified_time#102]
-- @optimized
Limit 100 offset 0
    Sort numwait#122 desc, s_name#121
        Project s_name#121 := s_name#119, numwait#122 := count#120
            Aggregate keys: [#119 := s_name#2] aggregates: [#120 := count()]
                ANTI Join on $and($eq(l_orderkey#84, l_orderkey#11), $ne(l_suppkey#86, l_suppkey#13))
                    SEMI Join on $and($eq(l_orderkey#49, l_orderkey#11), $ne(l_suppkey#51, l_suppkey#13))
                        INNER Join on $eq(o_orderkey#30, l_orderkey#11)
                            INNER Join on $eq(s_nationkey#4, n_nationkey#42)
                                INNER Join on $eq(s_suppkey#1, l_suppkey#13)
                                    Scan tpch.lineitem [l_orderkey#11, l_suppkey#13, l_commitdate#22, l_receiptdate#23] filters: $gt(l_receiptdate#23, l_commitdate#22)
                                    Scan tpch.supplier [s_suppkey#1, s_name#2, s_nationkey#4]
                                Scan tpch.nation [n_nationkey#42, n_name#43] filters: $eq(n_name#43, 'SAUDI ARABIA'::varchar(25))
                            Scan tpch.orders [o_orderkey#30, o_orderstatus#32] filters: $eq(o_orderstatus#32, 'F'::varchar(1))
                        Project l_orderkey#49 := l_orderkey#49, l_suppkey#51 := l_suppkey#51
                            Scan tpch.lineitem [l_orderkey#49, l_suppkey#51]
                    Project l_orderkey#84 := l_orderkey#84, l_suppkey#86 := l_suppkey#86
                        Scan tpch.lineitem [l_orderkey#84, l_suppkey#86, l_commitdate#95, l_receiptdate#96] filters: $gt(l_receiptdate#96, l_commitdate#95)
-- @fired
push_down_filter
reorder_joins
prune_columns
