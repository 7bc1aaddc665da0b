{#-
    The fact against the manifests of every loaded day: its row count must equal
    the order lines the generator wrote minus the ones quarantined, and its line
    amount the manifests' sum over the good lines
    (tests/assert_fact_reconciles_with_manifests.sql).
-#}
with

manifest_totals as (

    select
        sum(cast(manifests.tables.order_items.rows as bigint)) as manifest_rows,
        sum(cast(manifests.tables.order_items.good_rows as bigint)) as manifest_good_rows,
        sum(cast(manifests.order_items_line_amount_usd as decimal(18, 2)))
            as manifest_line_amount_usd

    from {{ source('ecommerce', 'manifests') }} as manifests

),

quarantined as (

    select count(*) as quarantined_rows
    from {{ ref('stg_ecommerce__quarantine') }}
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
        manifest_totals.manifest_line_amount_usd,
        fact_totals.fact_line_amount_usd

    from manifest_totals
    cross join quarantined
    cross join fact_totals

)

select * from final
