package org.lesiontriage.triage.imaging;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes and preprocesses images on threads of its own, so that a stream thread can read the next records, run
 * the model and talk to Kafka while the coming images are being decoded.
 *
 * <p>Bounded: when every thread is busy and the queue is full, the caller decodes the image itself. That is the
 * back-pressure: the stream thread slows to the pace the cores allow instead of letting decoded images pile up.
 * With 0 threads every image is decoded by the caller, one after another, as a single stream thread would.
 *
 * <p>Only pixels are computed here; whatever touches Kafka (state stores, forwarding, commits) stays on the stream
 * thread, so exactly-once is what it was.
 */
public final class PreprocessingPool implements AutoCloseable {

    /** How thread names start (Linux shows 15 characters of them: "triage-preproce"). */
    public static final String THREAD_NAME_PREFIX = "triage-preprocess-";
    private static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();

    private final ImagePreprocessor preprocessor;
    private final Decoding decoding;
    private final ThreadPoolExecutor executor;

    /** What runs on the pool's threads: the preprocessor, or in tests a stand-in that fails as decoders can. */
    interface Decoding {
        float[] tensor(byte[] bytes, String mediaType) throws ImageRejectedException;
    }

    /**
     * @param threads       decoding threads; 0 decodes on the caller's thread
     * @param queueCapacity images that may wait for a decoding thread before the caller decodes them itself
     */
    public PreprocessingPool(ImagePreprocessor preprocessor, int threads, int queueCapacity) {
        this(preprocessor, preprocessor::preprocess, threads, queueCapacity);
    }

    PreprocessingPool(ImagePreprocessor preprocessor, Decoding decoding, int threads, int queueCapacity) {
        if (threads < 0 || queueCapacity < 1) {
            throw new IllegalArgumentException("threads must be >= 0 and the queue >= 1: " + threads + ", " + queueCapacity);
        }
        this.preprocessor = preprocessor;
        this.decoding = decoding;
        if (threads == 0) {
            this.executor = null;
        } else {
            this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(queueCapacity), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
            // Idle pools (a finished re-score job, a test's pipeline) let their threads go.
            this.executor.allowCoreThreadTimeOut(true);
        }
    }

    /** True when images are decoded on the pool's threads, beside the caller. */
    public boolean decodesAside() {
        return executor != null;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** Starts decoding {@code bytes}; the caller must not change them afterwards. */
    public PendingTensor submit(byte[] bytes, String mediaType) {
        return submit(preprocessor, bytes, mediaType);
    }

    /** Starts decoding {@code bytes} for a model of another input size ({@code target}), on the same threads. */
    public PendingTensor submit(ImagePreprocessor target, byte[] bytes, String mediaType) {
        Decoding decode = target == preprocessor ? decoding : target::preprocess;
        FutureTask<float[]> task = new FutureTask<>(() -> decode.tensor(bytes, mediaType));
        if (executor == null) {
            task.run();
        } else {
            executor.execute(task);
        }
        return new PendingTensor(task);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME_PREFIX + THREAD_NUMBERS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** An image's tensor, being computed or done. */
    public static final class PendingTensor {
        private final FutureTask<float[]> task;

        private PendingTensor(FutureTask<float[]> task) {
            this.task = task;
        }

        /**
         * Waits for the tensor. A rejection comes back as the {@link ImageRejectedException} it was; any other
         * exception or Error is rethrown as it was thrown on the decoding thread, so it counts against the record
         * exactly as if the caller had decoded it.
         */
        public float[] get() throws ImageRejectedException {
            try {
                return task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while an image was being decoded", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof ImageRejectedException rejected) {
                    throw rejected;
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("image decoding failed", cause);
            }
        }
    }
}
