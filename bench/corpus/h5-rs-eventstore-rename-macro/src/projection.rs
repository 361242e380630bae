use crate::store::{read_stream, EventStore};
use crate::{EventStoreError, OrderView};

pub async fn catch_up_order(store: &EventStore, view: OrderView) -> Result<OrderView, EventStoreError> {
    let events = read_stream(store, &format!("order-{}", view.order_id), view.version).await?;
    view.apply_all(events)
}
