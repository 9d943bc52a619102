package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in the Confluent wire format, registering (or, with
 * {@code auto.register.schemas=false}, looking up) the record's schema under {@code <topic>-value} or
 * {@code <topic>-key}.
 */
public class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private SchemaRegistry client;
    private boolean isKey;
    private boolean autoRegister;

    /** For Kafka to create from a class name; {@link #configure} must be called before use. */
    public SpecificAvroSerializer() {
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        RegistrySerdeConfig config = RegistrySerdeConfig.from(configs);
        this.client = SchemaRegistries.connect(config);
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("SpecificAvroSerializer used before configure()");
        }
        Schema schema = record.getSchema();
        String subject = Subjects.subject(topic, isKey);
        int id = autoRegister ? client.register(subject, schema) : client.lookup(subject, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ConfluentWireFormat.header(id));
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<T>(schema, SpecificData.getForSchema(schema)).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            // Avro names the offending field in its message; the record's values are not included.
            throw new RegistrySerdeException(ReasonCode.INVALID_RECORD, "Cannot encode a " + schema.getFullName() + " for subject " + subject
                    + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
