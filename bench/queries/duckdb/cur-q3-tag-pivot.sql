-- DuckDB dialect of ../../../shared/spec/cur-q3-tag-pivot.sql (the harness runs the spec text on Quarry):
-- from_iso8601_timestamp(x) -> CAST(x AS TIMESTAMPTZ) (session TimeZone is UTC); DATE_FORMAT(t,'%Y-%m') -> strftime;
-- REGEXP_LIKE -> regexp_matches; SUM over the VARCHAR cost -> SUM(CAST(... AS DOUBLE)) (Quarry coerces implicitly);
-- NOW() -> getvariable('now'), the fixed clock the CUR data was generated with;
-- DATE_ADD('month', 6, DATE_ADD('month', -5, m)) -> m + INTERVAL 1 MONTH.
SELECT * FROM (
SELECT *, DENSE_RANK() OVER (ORDER BY z___min_rank) as z___pivot_row_rank, RANK() OVER (PARTITION BY z__pivot_col_rank ORDER BY z___min_rank) as z__pivot_col_ordering FROM (
SELECT *, MIN(z___rank) OVER (PARTITION BY "cost_and_usage.product_code") as z___min_rank FROM (
SELECT *, RANK() OVER (ORDER BY CASE WHEN z__pivot_col_rank=1 THEN (CASE WHEN "cost_and_usage.total_unblended_cost" IS NOT NULL THEN 0 ELSE 1 END) ELSE 2 END, CASE WHEN z__pivot_col_rank=1 THEN "cost_and_usage.total_unblended_cost" ELSE NULL END DESC, "cost_and_usage.total_unblended_cost" DESC, z__pivot_col_rank, "cost_and_usage.product_code") AS z___rank FROM (
SELECT *, DENSE_RANK() OVER (ORDER BY CASE WHEN "cost_and_usage.customer_segment" IS NULL THEN 1 ELSE 0 END, "cost_and_usage.customer_segment") AS z__pivot_col_rank FROM (
SELECT
	cost_and_usage.lineitem_productcode  AS "cost_and_usage.product_code",
	cost_and_usage.resourcetags_customersegment  AS "cost_and_usage.customer_segment",
	COALESCE(SUM(CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE) ), 0) AS "cost_and_usage.total_unblended_cost",
	1.0 * (COALESCE(SUM(CASE WHEN regexp_matches(cost_and_usage.product_usagetype, 'DataTransfer')    THEN CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)  ELSE NULL END), 0)) / NULLIF((COALESCE(SUM(CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE) ), 0)),0)  AS "cost_and_usage.percent_spend_data_transfers_unblended",
	1.0 * (COALESCE(SUM(CASE WHEN (CASE
         WHEN cost_and_usage.lineitem_lineitemtype = 'DiscountedUsage' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'RIFee' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'Fee' THEN 'RI Line Item'
         ELSE 'Non RI Line Item'
        END = 'Non RI Line Item') THEN CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)  ELSE NULL END), 0)) / NULLIF((COALESCE(SUM(CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE) ), 0)),0)  AS "cost_and_usage.unblended_percent_spend_on_ris"
FROM aws_optimizer.cost_and_usage_raw  AS cost_and_usage
WHERE
	(((CAST(cost_and_usage.lineitem_usagestartdate AS TIMESTAMPTZ)) >= (date_trunc('month', CAST(getvariable('now') AS DATE)) - INTERVAL 5 MONTH) AND (CAST(cost_and_usage.lineitem_usagestartdate AS TIMESTAMPTZ)) < (date_trunc('month', CAST(getvariable('now') AS DATE)) + INTERVAL 1 MONTH)))
GROUP BY 1,2) ww
) bb WHERE z__pivot_col_rank <= 16384
) aa
) xx
) zz
 WHERE z___pivot_row_rank <= 500 OR z__pivot_col_ordering = 1 ORDER BY z___pivot_row_rank;
