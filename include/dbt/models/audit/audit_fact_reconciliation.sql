{#-
    The fact against the manifests of every day the ETL job loaded: its row count must equal
    the order lines the generator wrote minus the ones quarantined (by the ETL job
    or the warehouse), and its line amount the manifests' sum over the good lines
    (tests/assert_fact_reconciles_with_manifests.sql).
-#}
with

manifest_totals as (

    select
        sum(manifests.manifest_rows) as manifest_rows,
        sum(manifests.manifest_good_rows) as manifest_good_rows,
        sum(manifests.line_amount_usd) as manifest_line_amount_usd

    from {{ ref('stg_generator__manifests') }} as manifests
    inner join {{ ref('stg_ecommerce__loads') }} as loads
        on
            manifests.source_table = loads.source_table
            and manifests.dt = loads.dt
    where manifests.source_table = 'order_items'

),

quarantined as (

    select count(*) as quarantined_rows
    from {{ ref('audit_quarantined_rows') }}
    where source_table = 'order_items'

),

fact_totals as (

    select
        count(*) as fact_rows,
        cast(coalesce(sum(line_amount_usd), 0) as decimal(18, 2)) as fact_line_amount_usd

    from {{ ref('fact_order_items') }}

),

final as (

    select
        manifest_totals.manifest_rows,
        manifest_totals.manifest_good_rows,
        quarantined.quarantined_rows,
        manifest_totals.manifest_rows - quarantined.quarantined_rows as expected_fact_rows,
        fact_totals.fact_rows,
        cast(manifest_totals.manifest_line_amount_usd as decimal(18, 2))
            as manifest_line_amount_usd,
        fact_totals.fact_line_amount_usd

    from manifest_totals
    cross join quarantined
    cross join fact_totals

)

select * from final
