TPC-H Q20 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q20.sql
-- @bound
Sort s_name#63
    Project s_name#63 := s_name#2, s_address#64 := s_address#3
        Filter $eq(n_name#12, 'CANADA'::varchar(25))
            Filter $eq(s_nationkey#4, n_nationkey#11)
                SEMI Join on $eq(s_suppkey#1, ps_suppkey#62)
                    INNER Join on true
                        Scan tpch.supplier [s_suppkey#1, s_name#2, s_address#3, s_nationkey#4, s_phone#5, s_acctbal#6, s_comment#7, $path#8, $file_size#9, $file_modified_time#10]
                        Scan tpch.nation [n_nationkey#11, n_name#12, n_regionkey#13, n_comment#14, $path#15, $file_size#16, $file_modified_time#17]
                    Project ps_suppkey#62 := ps_suppkey#19
                        Filter $gt(cast(ps_availqty#20 as decimal(10,0)), _col0#61)
                            LEFT Join on $and($eq(l_partkey#58, ps_partkey#18), $eq(l_suppkey#59, ps_suppkey#19))
                                SEMI Join on $eq(ps_partkey#18, p_partkey#38)
                                    Scan tpch.partsupp [ps_partkey#18, ps_suppkey#19, ps_availqty#20, ps_supplycost#21, ps_comment#22, $path#23, $file_size#24, $file_modified_time#25]
                                    Project p_partkey#38 := p_partkey#26
                                        Filter $like(p_name#27, 'forest%'::varchar(7))
                                            Scan tpch.part [p_partkey#26, p_name#27, p_mfgr#28, p_brand#29, p_type#30, p_size#31, p_container#32, p_retailprice#33, p_comment#34, $path#35, $file_size#36, $file_modified_time#37]
                                Project _col0#61 := $multiply(5::decimal(1,1), sum#60), l_partkey#58 := l_partkey#58, l_suppkey#59 := l_suppkey#59
                                    Aggregate keys: [#58 := l_partkey#40, #59 := l_suppkey#41] aggregates: [#60 := sum(l_quantity#43)]
                                        Filter $lt(l_shipdate#49, 9131::date)
                                            Filter $ge(l_shipdate#49, 8766::date)
                                                Scan tpch.lineitem [l_orderkey#39, l_partkey#40, l_suppkey#41, l_linenumber#42, l_quantity#43, l_extendedprice#44, l_discount#45, l_tax#46, l_returnflag#47, l_linestatus#48, l_shipdate#49, l_commitdate#50, l_receiptdate#51, l_shipinstruct#52, l_shipmode#53, l_comment#54, $path#55, $file_size#56, $file_modified_time#57]
-- @optimized
Sort s_name#63
    Project s_name#63 := s_name#2, s_address#64 := s_address#3
        SEMI Join on $eq(s_suppkey#1, ps_suppkey#62)
            INNER Join on $eq(s_nationkey#4, n_nationkey#11)
                Scan tpch.supplier [s_suppkey#1, s_name#2, s_address#3, s_nationkey#4]
                Scan tpch.nation [n_nationkey#11, n_name#12] filters: $eq(n_name#12, 'CANADA'::varchar(25))
            Project ps_suppkey#62 := ps_suppkey#19
                Filter $gt(cast(ps_availqty#20 as decimal(10,0)), _col0#61)
                    LEFT Join on $and($eq(l_partkey#58, ps_partkey#18), $eq(l_suppkey#59, ps_suppkey#19))
                        SEMI Join on $eq(ps_partkey#18, p_partkey#38)
                            Scan tpch.partsupp [ps_partkey#18, ps_suppkey#19, ps_availqty#20]
                            Project p_partkey#38 := p_partkey#26
                                Scan tpch.part [p_partkey#26, p_name#27] filters: $like(p_name#27, 'forest%'::varchar(7))
                        Project _col0#61 := $multiply(5::decimal(1,1), sum#60), l_partkey#58 := l_partkey#58, l_suppkey#59 := l_suppkey#59
                            Aggregate keys: [#58 := l_partkey#40, #59 := l_suppkey#41] aggregates: [#60 := sum(l_quantity#43)]
                                Scan tpch.lineitem [l_partkey#40, l_suppkey#41, l_quantity#43, l_shipdate#49] filters: $lt(l_shipdate#49, 9131::date), $ge(l_shipdate#49, 8766::date)
-- @fired
push_down_filter
prune_columns
