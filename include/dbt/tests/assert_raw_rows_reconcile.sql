-- Every line the generator wrote is read by the ETL job, and either loaded or
-- rejected (by the job or the warehouse), and the split matches the manifest:
-- nothing is dropped silently.
select *
from {{ ref('audit_load_reconciliation') }}
where
    manifest_rows is null
    or rows_read != manifest_rows
    or rows_loaded != manifest_good_rows
    or rows_quarantined + rows_rejected != manifest_bad_rows
    or rows_written != rows_loaded + rows_rejected
