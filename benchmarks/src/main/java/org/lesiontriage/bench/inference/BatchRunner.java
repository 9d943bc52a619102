package org.lesiontriage.bench.inference;

/** One way of running the model on the first {@code batchSize} images of a reused input buffer. */
public interface BatchRunner extends AutoCloseable {

    void run(int batchSize) throws Exception;

    @Override
    void close();
}
