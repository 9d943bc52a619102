package org.lesiontriage.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.lesiontriage.contracts.Topics;

/** Command-line options of the local stack. */
record StackOptions(int kafkaPort, int registryPort, int registryManagementPort, Path dataDir,
                    Map<String, Integer> topics, boolean smoke, boolean help) {

    /**
     * The triage topics with their partition counts; the service reads the same names from its configuration. The
     * model lifecycle's topics have one partition each (Topics.LIFECYCLE).
     */
    static final String DEFAULT_TOPICS = Topics.LESION_IMAGES + ":3," + Topics.TRIAGE_RESULTS + ":3,"
            + Topics.TRIAGE_FAILURES + ":1," + Topics.REVIEWS + ":1," + Topics.MODELS + ":1,"
            + Topics.MODEL_STATUS + ":1," + Topics.ROLLOUTS + ":1," + Topics.SHADOW_RESULTS + ":3";

    @Command(name = "bin/stack", mixinStandardHelpOptions = true, sortOptions = false,
            description = "A real Kafka broker (KRaft) and a real schema registry on 127.0.0.1; Ctrl-C stops both.")
    static final class Spec {
        @Option(names = "--kafka-port", paramLabel = "N", description = "Kafka listener port on 127.0.0.1 (default 9092)")
        int kafkaPort = 9092;
        @Option(names = "--registry-port", paramLabel = "N", description = "schema registry HTTP port (default 8081)")
        int registryPort = 8081;
        @Option(names = "--registry-mgmt-port", paramLabel = "N", description = "schema registry health port (default 9081)")
        int managementPort = 9081;
        @Option(names = "--data-dir", paramLabel = "DIR", description = "broker log and registry database folder "
                + "(default .stack)")
        Path dataDir = LocalStack.defaultDataDir();
        @Option(names = "--topics", paramLabel = "SPEC", description = "topics to create, name:partitions,... (default "
                + DEFAULT_TOPICS + ")")
        String topics = DEFAULT_TOPICS;
        @Option(names = "--smoke", description = "start, make one produce/consume round trip, stop")
        boolean smoke;
    }

    static String usage() {
        return new CommandLine(new Spec()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    static StackOptions parse(String[] args) {
        Spec spec = new Spec();
        CommandLine line = new CommandLine(spec);
        try {
            line.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new StackOptions(port("--kafka-port", spec.kafkaPort), port("--registry-port", spec.registryPort),
                port("--registry-mgmt-port", spec.managementPort), spec.dataDir.toAbsolutePath().normalize(),
                parseTopics(spec.topics), spec.smoke, line.isUsageHelpRequested());
    }

    static Map<String, Integer> parseTopics(String spec) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException("Topic spec must be name:partitions, got '" + entry + "'");
            }
            topics.put(parts[0], Integer.parseInt(parts[1]));
        }
        return topics;
    }

    Path addressFile() {
        return dataDir.resolve("stack.env");
    }

    /** The configured ports some other program already listens on, or an empty string. */
    String busyPorts() {
        StringJoiner busy = new StringJoiner(", ");
        for (int port : new int[] {kafkaPort, registryPort, registryManagementPort}) {
            if (port != 0 && FreePorts.inUse(port)) {
                busy.add(String.valueOf(port));
            }
        }
        return busy.toString();
    }

    private static int port(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " needs a port number, got " + port);
        }
        return port;
    }
}
