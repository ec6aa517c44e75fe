TPC-H Q02 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q02.sql
-- @bound
Limit 100 offset 0
    Sort s_acctbal#78 desc, n_name#80, s_name#79, p_partkey#81
        Project s_acctbal#78 := s_acctbal#18, s_name#79 := s_name#14, n_name#80 := n_name#32, p_partkey#81 := p_partkey#1, p_mfgr#82 := p_mfgr#3, s_address#83 := s_address#15, s_phone#84 := s_phone#17, s_comment#85 := s_comment#19
            Filter $eq(ps_supplycost#26, _col0#77)
                LEFT Join on $eq(p_partkey#1, ps_partkey#75)
                    Filter $eq(r_name#39, 'EUROPE'::varchar(25))
                        Filter $eq(n_regionkey#33, r_regionkey#38)
                            Filter $eq(s_nationkey#16, n_nationkey#31)
                                Filter $like(p_type#5, '%BRASS'::varchar(6))
                                    Filter $eq(p_size#6, 15::integer)
                                        Filter $eq(s_suppkey#13, ps_suppkey#24)
                                            Filter $eq(p_partkey#1, ps_partkey#23)
                                                INNER Join on true
                                                    INNER Join on true
                                                        INNER Join on true
                                                            INNER Join on true
                                                                Scan tpch.part [p_partkey#1, p_name#2, p_mfgr#3, p_brand#4, p_type#5, p_size#6, p_container#7, p_retailprice#8, p_comment#9, $path#10, $file_size#11, $file_modified_time#12]
                                                                Scan tpch.supplier [s_suppkey#13, s_name#14, s_address#15, s_nationkey#16, s_phone#17, s_acctbal#18, s_comment#19, $path#20, $file_size#21, $file_modified_time#22]
                                                            Scan tpch.partsupp [ps_partkey#23, ps_suppkey#24, ps_availqty#25, ps_supplycost#26, ps_comment#27, $path#28, $file_size#29, $file_modified_time#30]
                                                        Scan tpch.nation [n_nationkey#31, n_name#32, n_regionkey#33, n_comment#34, $path#35, $file_size#36, $file_modified_time#37]
                                                    Scan tpch.region [r_regionkey#38, r_name#39, r_comment#40, $path#41, $file_size#42, $file_modified_time#43]
                    Project _col0#77 := min#76, ps_partkey#75 := ps_partkey#75
                        Aggregate keys: [#75 := ps_partkey#44] aggregates: [#76 := min(ps_supplycost#47)]
                            Filter $eq(r_name#70, 'EUROPE'::varchar(25))
                                Filter $eq(n_regionkey#64, r_regionkey#69)
                                    Filter $eq(s_nationkey#55, n_nationkey#62)
                                        Filter $eq(s_suppkey#52, ps_suppkey#45)
                                            INNER Join on true
                                                INNER Join on true
                                                    INNER Join on true
                                                        Scan tpch.partsupp [ps_partkey#44, ps_suppkey#45, ps_availqty#46, ps_supplycost#47, ps_comment#48, $path#49, $file_size#50, $file_modified_time#51]
                                                        Scan tpch.supplier [s_suppkey#52, s_name#53, s_address#54, s_nationkey#55, s_phone#56, s_acctbal#57, s_comment#58, $path#59, $file_size#60, $file_modified_time#61]
                                                    Scan tpch.nation [n_nationkey#62, n_name#63, n_regionkey#64, n_comment#65, $path#66, $file_size#67, $file_modified_time#68]
                                                Scan tpch.region [r_regionkey#69, r_name#70, r_comment#71, $path#72, $file_size#73, $file_modified_time#74]
-- @optimized
Limit 100 offset 0
    Sort s_acctbal#78 desc, n_name#80, s_name#79, p_partkey#81
        Project s_acctbal#78 := s_acctbal#18, s_name#79 := s_name#14, n_name#80 := n_name#32, p_partkey#81 := p_partkey#1, p_mfgr#82 := p_mfgr#3, s_address#83 := s_address#15, s_phone#84 := s_phone#17, s_comment#85 := s_comment#19
            Filter $eq(ps_supplycost#26, _col0#77)
                LEFT Join on $eq(p_partkey#1, ps_partkey#75)
                    INNER Join on $eq(p_partkey#1, ps_partkey#23)
                        INNER Join on $eq(n_regionkey#33, r_regionkey#38)
                            INNER Join on $eq(s_nationkey#16, n_nationkey#31)
                                INNER Join on $eq(s_suppkey#13, ps_suppkey#24)
                                    Scan tpch.partsupp [ps_partkey#23, ps_suppkey#24, ps_supplycost#26]
                                    Scan tpch.supplier [s_suppkey#13, s_name#14, s_address#15, s_nationkey#16, s_phone#17, s_acctbal#18, s_comment#19]
                                Scan tpch.nation [n_nationkey#31, n_name#32, n_regionkey#33]
                            Scan tpch.region [r_regionkey#38, r_name#39] filters: $eq(r_name#39, 'EUROPE'::varchar(25))
                        Scan tpch.part [p_partkey#1, p_mfgr#3, p_type#5, p_size#6] filters: $like(p_type#5, '%BRASS'::varchar(6)), $eq(p_size#6, 15::integer)
                    Project _col0#77 := min#76, ps_partkey#75 := ps_partkey#75
                        Aggregate keys: [#75 := ps_partkey#44] aggregates: [#76 := min(ps_supplycost#47)]
                            INNER Join on $eq(n_regionkey#64, r_regionkey#69)
                                INNER Join on $eq(s_nationkey#55, n_nationkey#62)
                                    INNER Join on $eq(s_suppkey#52, ps_suppkey#45)
                                        Scan tpch.partsupp [ps_partkey#44, ps_suppkey#45, ps_supplycost#47]
                                        Scan tpch.supplier [s_suppkey#52, s_nationkey#55]
                                    Scan tpch.nation [n_nationkey#62, n_regionkey#64]
                                Scan tpch.region [r_regionkey#69, r_name#70] filters: $eq(r_name#70, 'EUROPE'::varchar(25))
-- @fired
push_down_filter
reorder_joins
prune_columns
