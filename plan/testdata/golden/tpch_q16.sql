TPC-H Q16 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q16.sql
-- @bound
Sort supplier_cnt#39 desc, p_brand#36, p_type#37, p_size#38
    Project p_brand#36 := p_brand#32, p_type#37 := p_type#33, p_size#38 := p_size#34, supplier_cnt#39 := count#35
        Aggregate keys: [#32 := p_brand#12, #33 := p_type#13, #34 := p_size#14] aggregates: [#35 := count(distinct ps_suppkey#2)]
            NULL-AWARE ANTI Join on $eq(ps_suppkey#2, s_suppkey#31)
                Filter (p_size#14 in (49::integer, 14::integer, 23::integer, 45::integer, 19::integer, 3::integer, 36::integer, 9::integer))
                    Filter $not($like(p_type#13, 'MEDIUM POLISHED%'::varchar(16)))
                        Filter $ne(p_brand#12, 'Brand#45'::varchar(10))
                            Filter $eq(p_partkey#9, ps_partkey#1)
                                INNER Join on true
                                    Scan tpch.partsupp [ps_partkey#1, ps_suppkey#2, ps_availqty#3, ps_supplycost#4, ps_comment#5, $path#6, $file_size#7, $file_modified_time#8]
                                    Scan tpch.part [p_partkey#9, p_name#10, p_mfgr#11, p_brand#12, p_type#13, p_size#14, p_container#15, p_retailprice#16, p_comment#17, $path#18, $file_size#19, $file_modified_time#20]
                Project s_suppkey#31 := s_suppkey#21
                    Filter $like(s_comment#27, '%Customer%Complaints%'::varchar(21))
                        Scan tpch.supplier [s_suppkey#21, s_name#22, s_address#23, s_nationkey#24, s_phone#25, s_acctbal#26, s_comment#27, $path#28, $file_size#29, $file_modified_time#30]
-- @optimized
Sort supplier_cnt#39 desc, p_brand#36, p_type#37, p_size#38
    Project p_brand#36 := p_brand#32, p_type#37 := p_type#33, p_size#38 := p_size#34, supplier_cnt#39 := count#35
        Aggregate keys: [#32 := p_brand#12, #33 := p_type#13, #34 := p_size#14] aggregates: [#35 := count(distinct ps_suppkey#2)]
            NULL-AWARE ANTI Join on $eq(ps_suppkey#2, s_suppkey#31)
                INNER Join on $eq(p_partkey#9, ps_partkey#1)
                    Scan tpch.partsupp [ps_partkey#1, ps_suppkey#2]
                    Scan tpch.part [p_partkey#9, p_brand#12, p_type#13, p_size#14] filters: (p_size#14 in (49::integer, 14::integer, 23::integer, 45::integer, 19::integer, 3::integer, 36::integer, 9::integer)), $not($like(p_type#13, 'MEDIUM POLISHED%'::varchar(16))), $ne(p_brand#12, 'Brand#45'::varchar(10))
                Project s_suppkey#31 := s_suppkey#21
                    Scan tpch.supplier [s_suppkey#21, s_comment#27] filters: $like(s_comment#27, '%Customer%Complaints%'::varchar(21))
-- @fired
push_down_filter
prune_columns
