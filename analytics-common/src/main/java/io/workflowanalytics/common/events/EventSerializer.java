package io.workflowanalytics.common.events;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for every contract record, with {@link EventJson}'s configuration. */
public class EventSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object event) {
        return event == null ? null : EventJson.toBytes(event);
    }
}
