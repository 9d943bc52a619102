package org.lesiontriage.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local stack: a real KRaft Kafka broker and a real schema registry on loopback, with the project's topics,
 * until Ctrl-C. A second start against the same data folder reports the running one instead of failing obscurely.
 *
 * <p>Run it with {@code bin/stack}; {@code bin/stack --help} lists the options.
 */
public final class LocalStack implements AutoCloseable {

    static final int EXIT_ALREADY_RUNNING = 3;
    static final int EXIT_PORT_IN_USE = 4;

    private final StackLock lock;
    private final KafkaBroker broker;
    private final RegistryServer registry;
    private final StackOptions options;

    private LocalStack(StackOptions options, StackLock lock, KafkaBroker broker, RegistryServer registry) {
        this.options = options;
        this.lock = lock;
        this.broker = broker;
        this.registry = registry;
    }

    /** Starts broker and registry, waits until both are healthy, creates the topics and records the addresses. */
    public static LocalStack start(StackOptions options, StackLock lock) throws IOException {
        KafkaBroker broker = KafkaBroker.start(options.kafkaPort(), options.dataDir().resolve("kafka"));
        RegistryServer registry;
        try {
            broker.createTopics(options.topics());
            registry = RegistryServer.start(options.registryPort(), options.registryManagementPort(),
                    options.dataDir().resolve("registry"), true);
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
        LocalStack stack = new LocalStack(options, lock, broker, registry);
        stack.writeAddresses();
        return stack;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registry.confluentUrl();
    }

    private void writeAddresses() throws IOException {
        Files.writeString(options.addressFile(), StackAddresses.format(ProcessHandle.current().pid(),
                bootstrapServers(), registryUrl()));
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
        try {
            Files.deleteIfExists(options.addressFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lock.close();
    }

    public static void main(String[] args) throws Exception {
        StackOptions options;
        try {
            options = StackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(StackOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(StackOptions.usage());
            return;
        }
        Files.createDirectories(options.dataDir());
        StackLock lock = StackLock.tryAcquire(options.dataDir());
        if (lock == null) {
            System.err.println("The local stack is already running for " + options.dataDir() + ":");
            System.err.print(StackAddresses.describe(options.addressFile()));
            System.exit(EXIT_ALREADY_RUNNING);
            return;
        }
        String busy = options.busyPorts();
        if (!busy.isEmpty()) {
            lock.close();
            System.err.println("Cannot start the local stack: port(s) " + busy
                    + " already in use by another program; choose others with --kafka-port / --registry-port.");
            System.exit(EXIT_PORT_IN_USE);
            return;
        }
        long started = System.nanoTime();
        AtomicReference<LocalStack> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before start, so that Ctrl-C during start-up leaves no registry process behind either.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the local stack...");
            LocalStack stack = running.get();
            if (stack != null) {
                stack.close();
            } else {
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            }
            System.out.println("Local stack stopped.");
            stopped.countDown();
        }, "local-stack-shutdown"));
        LocalStack stack = start(options, lock);
        running.set(stack);
        System.out.printf("Local stack ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
        System.out.println("  KAFKA_BOOTSTRAP_SERVERS=" + stack.bootstrapServers());
        System.out.println("  SCHEMA_REGISTRY_URL=" + stack.registryUrl());
        System.out.println("  topics: " + options.topics());
        System.out.println("  data: " + options.dataDir() + "  (addresses in " + options.addressFile().getFileName() + ")");
        if (options.smoke()) {
            StackSmokeCheck.roundTrip(stack.bootstrapServers(), stack.registryUrl());
            System.out.println("Smoke check passed: a record made the round trip and the registry answered.");
            System.exit(0);
        }
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    static Path defaultDataDir() {
        return Path.of(".stack");
    }
}
