package org.lesiontriage.triage.reliability.chaos;

import java.nio.file.Path;
import java.util.Map;
import org.lesiontriage.stack.KafkaBroker;
import org.lesiontriage.contracts.Topics;

/**
 * The Kafka broker of a chaos run, in a process of its own so that it can be restarted: a persistent log
 * directory keeps topics, offsets and transaction state across restarts. Args: port logDir.
 */
public final class ChaosBroker {

    private ChaosBroker() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaBroker broker = KafkaBroker.start(Integer.parseInt(args[0]), Path.of(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        broker.createTopics(Map.of(Topics.LESION_IMAGES, 3, Topics.TRIAGE_RESULTS, 3, Topics.TRIAGE_FAILURES, 1));
        System.out.println("BROKER READY " + broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
