package org.lesiontriage.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.lesiontriage.contracts.Topics;

/** Command-line options of the local stack. */
record StackOptions(int kafkaPort, int registryPort, int registryManagementPort, Path dataDir,
                    Map<String, Integer> topics, boolean smoke, boolean help) {

    /** The triage topics with their partition counts; the service reads the same names from its configuration. */
    static final String DEFAULT_TOPICS = Topics.LESION_IMAGES + ":3," + Topics.TRIAGE_RESULTS + ":3,"
            + Topics.TRIAGE_FAILURES + ":1";

    static final String USAGE = """
            usage: bin/stack [options]
              --kafka-port N          Kafka listener port on 127.0.0.1 (default 9092)
              --registry-port N       schema registry HTTP port (default 8081)
              --registry-mgmt-port N  schema registry health port (default 9081)
              --data-dir DIR          broker log and registry database folder (default .stack)
              --topics SPEC           topics to create, name:partitions,... (default %s)
              --smoke                 start, make one produce/consume round trip, stop
              --help                  this text""".formatted(DEFAULT_TOPICS);

    static StackOptions parse(String[] args) {
        int kafkaPort = 9092;
        int registryPort = 8081;
        int managementPort = 9081;
        Path dataDir = LocalStack.defaultDataDir();
        String topics = DEFAULT_TOPICS;
        boolean smoke = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--kafka-port" -> kafkaPort = port(arg, value(args, ++i, arg));
                case "--registry-port" -> registryPort = port(arg, value(args, ++i, arg));
                case "--registry-mgmt-port" -> managementPort = port(arg, value(args, ++i, arg));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--topics" -> topics = value(args, ++i, arg);
                case "--smoke" -> smoke = true;
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("Unknown option: " + arg);
            }
        }
        return new StackOptions(kafkaPort, registryPort, managementPort, dataDir.toAbsolutePath().normalize(),
                parseTopics(topics), smoke, help);
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

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a port number, got '" + value + "'");
        }
    }
}
