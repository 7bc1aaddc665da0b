{#- Every customer version of the silver days loaded so far (partition-replaced). -#}
-- depends_on: {{ ref('stg_ecommerce__loads') }}
with

customers as (

    select * from {{ ref('stg_ecommerce__customers') }}
    where {{ partitions_to_process('customers') }}

)

select * from customers
