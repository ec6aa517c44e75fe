TPC-H Q11 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q11.sql
-- @bound
Sort value#56 desc
    Project ps_partkey#55 := ps_partkey#53, value#56 := sum#54
        Filter $gt(sum#54, _col0#52)
            LEFT Join on true
                Aggregate keys: [#53 := ps_partkey#1] aggregates: [#54 := sum($multiply(ps_supplycost#4, cast(ps_availqty#3 as decimal(10,0))))]
                    Filter $eq(n_name#20, 'GERMANY'::varchar(25))
                        Filter $eq(s_nationkey#12, n_nationkey#19)
                            Filter $eq(ps_suppkey#2, s_suppkey#9)
                                INNER Join on true
                                    INNER Join on true
                                        Scan tpch.partsupp [ps_partkey#1, ps_suppkey#2, ps_availqty#3, ps_supplycost#4, ps_comment#5, $path#6, $file_size#7, $file_modified_time#8]
                                        Scan tpch.supplier [s_suppkey#9, s_name#10, s_address#11, s_nationkey#12, s_phone#13, s_acctbal#14, s_comment#15, $path#16, $file_size#17, $file_modified_time#18]
                                    Scan tpch.nation [n_nationkey#19, n_name#20, n_regionkey#21, n_comment#22, $path#23, $file_size#24, $file_modified_time#25]
                SingleRow
                    Project _col0#52 := $multiply(sum#51, 1000000::decimal(10,10))
                        Aggregate keys: [] aggregates: [#51 := sum($multiply(ps_supplycost#29, cast(ps_availqty#28 as decimal(10,0))))]
                            Filter $eq(n_name#45, 'GERMANY'::varchar(25))
                                Filter $eq(s_nationkey#37, n_nationkey#44)
                                    Filter $eq(ps_suppkey#27, s_suppkey#34)
                                        INNER Join on true
                                            INNER Join on true
                                                Scan tpch.partsupp [ps_partkey#26, ps_suppkey#27, ps_availqty#28, ps_supplycost#29, ps_comment#30, $path#31, $file_size#32, $file_modified_time#33]
                                                Scan tpch.supplier [s_suppkey#34, s_name#35, s_address#36, s_nationkey#37, s_phone#38, s_acctbal#39, s_comment#40, $path#41, $file_size#42, $file_modified_time#43]
                                            Scan tpch.nation [n_nationkey#44, n_name#45, n_regionkey#46, n_comment#47, $path#48, $file_size#49, $file_modified_time#50]
-- @optimized
Sort value#56 desc
    Project ps_partkey#55 := ps_partkey#53, value#56 := sum#54
        Filter $gt(sum#54, _col0#52)
            LEFT Join on true
                Aggregate keys: [#53 := ps_partkey#1] aggregates: [#54 := sum($multiply(ps_supplycost#4, cast(ps_availqty#3 as decimal(10,0))))]
                    INNER Join on $eq(s_nationkey#12, n_nationkey#19)
                        INNER Join on $eq(ps_suppkey#2, s_suppkey#9)
                            Scan tpch.partsupp [ps_partkey#1, ps_suppkey#2, ps_availqty#3, ps_supplycost#4]
                            Scan tpch.supplier [s_suppkey#9, s_nationkey#12]
                        Scan tpch.nation [n_nationkey#19, n_name#20] filters: $eq(n_name#20, 'GERMANY'::varchar(25))
                SingleRow
                    Project _col0#52 := $multiply(sum#51, 1000000::decimal(10,10))
                        Aggregate keys: [] aggregates: [#51 := sum($multiply(ps_supplycost#29, cast(ps_availqty#28 as decimal(10,0))))]
                            INNER Join on $eq(s_nationkey#37, n_nationkey#44)
                                INNER Join on $eq(ps_suppkey#27, s_suppkey#34)
                                    Scan tpch.partsupp [ps_suppkey#27, ps_availqty#28, ps_supplycost#29]
                                    Scan tpch.supplier [s_suppkey#34, s_nationkey#37]
                                Scan tpch.nation [n_nationkey#44, n_name#45] filters: $eq(n_name#45, 'GERMANY'::varchar(25))
-- @fired
push_down_filter
prune_columns
