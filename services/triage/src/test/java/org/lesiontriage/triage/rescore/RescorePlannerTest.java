package org.lesiontriage.triage.rescore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.stack.KafkaBroker;

/** Range bounds resolved against a real broker: times as Kafka resolves them, clamping, unnamed partitions. */
@Tag("integration")
class RescorePlannerTest {

    private static final String TOPIC = "timed-images";
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static KafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void tenRecordsOneSecondApartOnPartitionZero() {
        broker = KafkaBroker.startEphemeral();
        broker.createTopics(Map.of(TOPIC, 2));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, T0.plusSeconds(i).toEpochMilli(), null,
                        ("record " + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.send(new ProducerRecord<>(TOPIC, 1, T0.toEpochMilli(), null, new byte[] {1}));
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void aTimeRangeIsTheOffsetsOfTheFirstRecordsAtOrAfterEachTime() throws Exception {
        RescorePlan plan = plan("2026-11-01T00:00:03Z", "2026-11-01T00:00:07Z");
        assertThat(plan.partitions()).containsExactly(
                new RescorePlan.PartitionRange(0, 3, 7),
                new RescorePlan.PartitionRange(1, 1, 1));
        assertThat(plan.total()).isEqualTo(4);
    }

    @Test
    void boundsBeyondTheDataAreClampedToTheTopicsEnds() throws Exception {
        assertThat(plan("earliest", "2030-01-01T00:00:00Z").partitions()).containsExactly(
                new RescorePlan.PartitionRange(0, 0, 10), new RescorePlan.PartitionRange(1, 0, 1));
        assertThat(plan("2030-01-01T00:00:00Z", "latest").total()).isZero();
        assertThat(plan("0:8", "0:500").partitions()).as("partition 1 unnamed: replayed in full")
                .containsExactly(new RescorePlan.PartitionRange(0, 8, 10), new RescorePlan.PartitionRange(1, 0, 1));
        assertThat(plan("0:6", "0:2").partitions().get(0)).as("an inverted range is empty")
                .isEqualTo(new RescorePlan.PartitionRange(0, 2, 2));
    }

    @Test
    void aPartitionTheTopicLacksIsRefused() {
        assertThatThrownBy(() -> plan("7:0", "latest")).hasMessageContaining("has no partition 7");
    }

    private static RescorePlan plan(String from, String to) throws Exception {
        var request = new RescoreRequest("planner", TOPIC, RangeBound.parse(from), RangeBound.parse(to),
                Path.of("unused"), null, null);
        return new RescorePlanner(admin).plan(request);
    }
}
