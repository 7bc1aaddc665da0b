-- Every line the generator wrote is read, and either loaded or quarantined, and
-- the split matches the manifest: nothing is dropped silently.
select *
from {{ ref('audit_load_reconciliation') }}
where
    manifest_rows is null
    or rows_read != manifest_rows
    or rows_loaded != manifest_good_rows
    or rows_quarantined != manifest_bad_rows
