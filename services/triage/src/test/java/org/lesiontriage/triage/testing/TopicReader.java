package org.lesiontriage.triage.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lesiontriage.registry.ConfluentWireFormat;
import org.lesiontriage.registry.RegistrySerdeConfig;
import org.lesiontriage.registry.SchemaRegistryClient;

/** Reads a topic from the start as a dashboard would: read_committed, so aborted transactions stay invisible. */
public final class TopicReader {

    private TopicReader() {
    }

    /** Polls until {@code expected} records arrived or the timeout passed, then for {@code settle} more (to catch extras). */
    public static <T extends SpecificRecord> List<T> readAll(String bootstrapServers, String topic, Class<T> type,
                                                            Map<String, ?> serdeConfig, int expected,
                                                            Duration timeout, Duration settle) {
        var deserializer = TopologyHarness.deserializer(type, serdeConfig);
        return readAll(bootstrapServers, Map.of(), topic, value -> deserializer.deserialize(topic, value), expected,
                timeout, settle);
    }

    /**
     * The same as generic records. Inside a @QuarkusTest the generated classes exist in two class loaders, and
     * generic records sidestep that.
     */
    public static List<GenericRecord> readGeneric(String bootstrapServers, String topic, Map<String, ?> serdeConfig,
                                                  int expected, Duration timeout, Duration settle) {
        return readGeneric(bootstrapServers, Map.of(), topic, serdeConfig, expected, timeout, settle);
    }

    /** The same through a secured broker: {@code clientSecurity} holds the SASL/TLS client settings. */
    public static List<GenericRecord> readGeneric(String bootstrapServers, Map<String, String> clientSecurity,
                                                  String topic, Map<String, ?> serdeConfig,
                                                  int expected, Duration timeout, Duration settle) {
        SchemaRegistryClient registry = new SchemaRegistryClient(RegistrySerdeConfig.from(serdeConfig));
        return readAll(bootstrapServers, clientSecurity, topic, value -> {
            Schema writer = registry.schemaById(ConfluentWireFormat.schemaId(value));
            try {
                var decoder = DecoderFactory.get().binaryDecoder(value, ConfluentWireFormat.HEADER_LENGTH,
                        value.length - ConfluentWireFormat.HEADER_LENGTH, null);
                return new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, expected, timeout, settle);
    }

    private static <T> List<T> readAll(String bootstrapServers, Map<String, String> clientSecurity, String topic,
                                       Function<byte[], T> decode, int expected, Duration timeout, Duration settle) {
        List<T> values = new ArrayList<>();
        Map<String, Object> config = new HashMap<>(clientSecurity);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (var consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(decode.apply(r.value())));
                if (values.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
        }
        return values;
    }
}
