-- DuckDB dialect of ../../../shared/spec/cur-q1-ri-spend.sql (the harness runs the spec text on Quarry):
-- from_iso8601_timestamp(x) -> CAST(x AS TIMESTAMPTZ) (session TimeZone is UTC); DATE_FORMAT(t,'%Y-%m') -> strftime;
-- REGEXP_LIKE -> regexp_matches; SUM over the VARCHAR cost -> SUM(CAST(... AS DOUBLE)) (Quarry coerces implicitly);
-- NOW() -> getvariable('now'), the fixed clock the CUR data was generated with;
-- DATE_ADD('month', 6, DATE_ADD('month', -5, m)) -> m + INTERVAL 1 MONTH.
SELECT
	strftime(CAST(cost_and_usage.lineitem_usagestartdate AS TIMESTAMPTZ), '%Y-%m') AS "cost_and_usage.usage_start_month",
	COALESCE(SUM(CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE) ), 0) AS "cost_and_usage.total_unblended_cost",
	COALESCE(SUM(CASE WHEN (CASE
         WHEN cost_and_usage.lineitem_lineitemtype = 'DiscountedUsage' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'RIFee' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'Fee' THEN 'RI Line Item'
         ELSE 'Non RI Line Item'
        END = 'RI Line Item') THEN CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)  ELSE NULL END), 0) AS "cost_and_usage.total_reserved_unblended_cost",
	1.0 * (COALESCE(SUM(CASE WHEN (CASE
         WHEN cost_and_usage.lineitem_lineitemtype = 'DiscountedUsage' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'RIFee' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'Fee' THEN 'RI Line Item'
         ELSE 'Non RI Line Item'
        END = 'RI Line Item') THEN CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)  ELSE NULL END), 0)) / NULLIF((COALESCE(SUM(CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE) ), 0)),0)  AS "cost_and_usage.percent_spend_on_ris",
	COALESCE(SUM(CASE WHEN (CASE
         WHEN cost_and_usage.lineitem_lineitemtype = 'DiscountedUsage' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'RIFee' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'Fee' THEN 'RI Line Item'
         ELSE 'Non RI Line Item'
        END = 'Non RI Line Item') THEN CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)  ELSE NULL END), 0) AS "cost_and_usage.total_non_reserved_unblended_cost",
	1.0 * (COALESCE(SUM(CASE WHEN (CASE
         WHEN cost_and_usage.lineitem_lineitemtype = 'DiscountedUsage' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'RIFee' THEN 'RI Line Item'
         WHEN cost_and_usage.lineitem_lineitemtype = 'Fee' THEN 'RI Line Item'
         ELSE 'Non RI Line Item'
        END = 'Non RI Line Item') THEN CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)  ELSE NULL END), 0)) / NULLIF((COALESCE(SUM(CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE) ), 0)),0)  AS "cost_and_usage.percent_spend_on_non_ris"
FROM aws_optimizer.cost_and_usage  AS cost_and_usage
WHERE
	(((CAST(cost_and_usage.lineitem_usagestartdate AS TIMESTAMPTZ)) >= (date_trunc('month', CAST(getvariable('now') AS DATE)) - INTERVAL 5 MONTH) AND (CAST(cost_and_usage.lineitem_usagestartdate AS TIMESTAMPTZ)) < (date_trunc('month', CAST(getvariable('now') AS DATE)) + INTERVAL 1 MONTH)))
GROUP BY 1
ORDER BY 1 DESC
LIMIT 500;
