-- The fact holds exactly the good order lines of the loaded days: the manifests'
-- lines minus the quarantined ones, with the manifests' sum of line amounts.
select *
from {{ ref('audit_fact_reconciliation') }}
where
    fact_rows != expected_fact_rows
    or fact_rows != manifest_good_rows
    or fact_line_amount_usd != manifest_line_amount_usd
