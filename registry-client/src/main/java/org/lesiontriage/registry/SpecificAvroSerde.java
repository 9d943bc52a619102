package org.lesiontriage.registry;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serializer and deserializer of one Avro specific record type, for Kafka Streams and clients. */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SpecificAvroSerializer<T> serializer = new SpecificAvroSerializer<>();
    private final SpecificAvroDeserializer<T> deserializer;

    public SpecificAvroSerde(Class<T> type) {
        this.deserializer = new SpecificAvroDeserializer<>(type);
    }

    /** A serde for {@code type}, already configured, e.g. {@code configured(LesionImageEvent.class, props, false)}. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> configured(Class<T> type, Map<String, ?> configs,
            boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
