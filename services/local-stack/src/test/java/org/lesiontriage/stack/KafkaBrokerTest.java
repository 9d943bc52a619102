package org.lesiontriage.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.Topics;

@Tag("integration")
class KafkaBrokerTest {

    @Test
    void roundTripsARecordThroughARealBroker() throws Exception {
        try (KafkaBroker broker = KafkaBroker.startEphemeral()) {
            broker.createTopics(Map.of("round-trip", 1));
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("round-trip", "case-1", "hello")).get();
            }
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "round-trip-test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("round-trip"));
                ConsumerRecord<String, String> record = null;
                long deadline = System.currentTimeMillis() + 30_000;
                while (record == null && System.currentTimeMillis() < deadline) {
                    var records = consumer.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        record = records.iterator().next();
                    }
                }
                assertEquals("case-1", record == null ? null : record.key());
                assertEquals("hello", record.value());
            }
        }
    }

    @Test
    void createsTheReviewsTopicCompactedAndTheOthersNot() throws Exception {
        try (KafkaBroker broker = KafkaBroker.startEphemeral()) {
            broker.createTopics(Map.of(Topics.REVIEWS, 1, Topics.TRIAGE_RESULTS, 1));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                assertEquals("compact", cleanupPolicy(admin, Topics.REVIEWS));
                assertEquals("delete", cleanupPolicy(admin, Topics.TRIAGE_RESULTS));
            }
        }
    }

    private static String cleanupPolicy(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    }
}
