from __future__ import annotations

import json

from aiokafka import AIOKafkaProducer


class EventPublisher:
    def __init__(self, producer: AIOKafkaProducer, topic: str) -> None:
        self._producer = producer
        self._topic = topic

    async def publish(self, event_type: str, payload: dict) -> None:
        await self._producer.send_and_wait(
            self._topic,
            json.dumps({"type": event_type, "data": payload}).encode(),
            key=payload.get("tenant_id", "").encode(),
        )
