{#-
    Every order row (placed, or a later status change) of the silver days loaded so
    far, with the warehouse's own check: the customer must have been loaded
    (quarantine_reason unknown_customer otherwise). A day's rows are checked against
    every customer loaded up to that run, the day's own included.
-#}
-- depends_on: {{ ref('stg_ecommerce__loads') }}
with

orders as (

    select * from {{ ref('stg_ecommerce__orders') }}
    where {{ partitions_to_process('orders') }}

),

known_customers as (

    select distinct customer_id
    from {{ ref('int_customer_versions') }}

),

checked as (

    select
        orders.*,
        case
            when known_customers.customer_id is null then 'unknown_customer'
        end as quarantine_reason

    from orders
    left join known_customers
        on orders.customer_id = known_customers.customer_id

)

select * from checked
