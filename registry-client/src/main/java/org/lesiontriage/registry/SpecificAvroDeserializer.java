package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire format bytes into records of class {@code T}: the writer schema is fetched by the id in the
 * header and resolved to T's schema, so data written with older or newer compatible schemas reads fine.
 *
 * <p>Every failure is a {@link RegistrySerdeException} with a reason code, never another exception, so a topology
 * can deserialize raw bytes itself and dead-letter what it cannot read.
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private Class<T> type;
    private Schema readerSchema;
    private SpecificData model;
    private SchemaRegistry client;
    private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    /** Reads records of {@code type}, e.g. {@code new SpecificAvroDeserializer<>(LesionImageEvent.class)}. */
    public SpecificAvroDeserializer(Class<T> type) {
        useType(type);
    }

    /**
     * For Kafka to create from a class name: the record class then comes from {@code specific.avro.value.type}
     * (or {@code specific.avro.key.type}).
     */
    public SpecificAvroDeserializer() {
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (type == null) {
            useType(typeFromConfig(configs, isKey));
        }
        this.client = SchemaRegistries.connect(RegistrySerdeConfig.from(configs));
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null; // a tombstone
        }
        if (client == null) {
            throw new IllegalStateException("SpecificAvroDeserializer used before configure()");
        }
        int writerId = ConfluentWireFormat.schemaId(data);
        SpecificDatumReader<T> reader = readerFor(writerId);
        int bodyLength = data.length - ConfluentWireFormat.HEADER_LENGTH;
        // Before decoding: the decoder allocates what the body declares, and the body may lie.
        try {
            AvroBodyBounds.require(reader.getSchema(), data, ConfluentWireFormat.HEADER_LENGTH, bodyLength);
        } catch (RegistrySerdeException e) {
            throw new RegistrySerdeException(e.reason(), "Value on topic " + topic + " with writer schema id "
                    + writerId + ": " + e.getMessage(), e);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWireFormat.HEADER_LENGTH,
                    bodyLength, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException("bytes left over after the record");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            // Garbage makes Avro fail in many ways (EOF, negative lengths, bad union index): all mean the same.
            throw new RegistrySerdeException(ReasonCode.SCHEMA_MISMATCH, "Value on topic " + topic + " does not decode with writer schema id "
                    + writerId + " as " + readerSchema.getFullName() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
    }

    private SpecificDatumReader<T> readerFor(int writerId) {
        SpecificDatumReader<T> cached = readersByWriterId.get(writerId);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = client.schemaById(writerId);
        } catch (RegistrySerdeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RegistrySerdeException(ReasonCode.REGISTRY_ERROR, "Fetching writer schema id " + writerId + " failed: " + e, e);
        }
        // Incompatible writers are not cached: the check is cheap and the schema itself is cached by the client.
        WriterSchemaResolution.requireReadable(readerSchema, writer, writerId);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(writer, readerSchema, model);
        readersByWriterId.putIfAbsent(writerId, reader);
        return reader;
    }

    private void useType(Class<T> recordType) {
        this.type = recordType;
        this.model = modelFor(recordType);
        this.readerSchema = model.getSchema(recordType);
    }

    /**
     * A data model that creates records with the record type's own class loader, carrying the type's logical-type
     * conversions. The generated class's shared model may resolve record classes through another loader where
     * an application has several (Quarkus dev and test mode), and the records would then not cast.
     */
    private static SpecificData modelFor(Class<?> recordType) {
        SpecificData model = new SpecificData(recordType.getClassLoader());
        SpecificData.getForClass(recordType).getConversions().forEach(model::addLogicalTypeConversion);
        return model;
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> typeFromConfig(Map<String, ?> configs, boolean isKey) {
        String key = isKey ? RegistrySerdeConfig.SPECIFIC_KEY_TYPE : RegistrySerdeConfig.SPECIFIC_VALUE_TYPE;
        Object value = configs.get(key);
        if (value instanceof Class<?> c && SpecificRecord.class.isAssignableFrom(c)) {
            return (Class<T>) c;
        }
        if (value instanceof String name && !name.isBlank()) {
            try {
                Class<?> c = Class.forName(name.trim(), true, Thread.currentThread().getContextClassLoader());
                if (SpecificRecord.class.isAssignableFrom(c)) {
                    return (Class<T>) c;
                }
            } catch (ClassNotFoundException e) {
                throw new ConfigException(key, value, "class not found");
            }
        }
        throw new ConfigException(key, value, "the Avro specific record class to read, required when the "
                + "deserializer is not constructed with one");
    }
}
