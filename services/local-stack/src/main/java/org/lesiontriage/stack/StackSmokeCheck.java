package org.lesiontriage.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A console-producer/consumer style round trip through a running stack, and a registry ping. */
public final class StackSmokeCheck {

    private static final String TOPIC = "stack-smoke";

    private StackSmokeCheck() {
    }

    /** Produces one record, reads it back, and asks the registry for its subjects; throws if any step fails. */
    public static void roundTrip(String bootstrapServers, String registryUrl) throws IOException, InterruptedException {
        TopicAdmin.createMissing(bootstrapServers, Map.of(TOPIC, 1));
        String payload = UUID.randomUUID().toString();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "smoke", payload)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("Producing to " + TOPIC + " failed", e.getCause());
        }
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "stack-smoke-" + payload,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (payload.equals(record.value())) {
                        pingRegistry(registryUrl);
                        return;
                    }
                }
            }
        }
        throw new IOException("The smoke record did not come back from " + TOPIC + " within 30 s");
    }

    private static void pingRegistry(String registryUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registryUrl + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Registry answered HTTP " + response.statusCode() + " at " + registryUrl);
        }
    }
}
