package org.lesiontriage.triage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.triage.inference.InferenceDevice;

/**
 * The service's own settings ({@code triage.*}); docs/operations.md explains each. The defaults are written here and
 * only here: application.properties names a {@code triage.*} key only to give it something other than a default
 * (an environment variable of another name, a value without one), which ApplicationPropertiesTest checks.
 * Every key can be set by its environment variable ({@code triage.batch.max-size}: TRIAGE_BATCH_MAX_SIZE).
 */
@ConfigMapping(prefix = "triage")
public interface TriageConfig {

    TopicNames topics();

    Model model();

    Batch batch();

    Image image();

    SchemaRegistry schemaRegistry();

    Rescore rescore();

    Poison poison();

    Health health();

    DeadLetters deadLetters();

    Preprocess preprocess();

    Lifecycle lifecycle();

    /** Models delivered on triage-models and switched at recorded offsets (docs/model-lifecycle.md). */
    interface Lifecycle {
        /** Off: the configured model scores everything and the lifecycle topics are not read (re-score jobs, benchmarks). */
        @WithDefault("true")
        boolean enabled();

        /** Where released model files are written to be loaded; unset: a folder under java.io.tmpdir. */
        Optional<String> cacheDir();

        /**
         * Resident memory all loaded model versions may take together, MiB; a release that would exceed it is FAILED.
         * A version of triagenet 2.0.0 adds about 60 MiB (docs/model-lifecycle.md, "Memory").
         */
        @WithDefault("1024")
        long memoryBudgetMb();

        /** How long a task waits for a version being prepared before its thread is replaced (and waits again). */
        @WithDefault("2m")
        Duration maxWait();

        /** How long start-up may take to read the lifecycle topics and load the live version. */
        @WithDefault("2m")
        Duration startTimeout();

        /** How often committed offsets are checked to complete a switch and retire versions no partition needs. */
        @WithDefault("5s")
        Duration retirementInterval();

        /** How long a version stays loaded after the last partition passed it (a quick rollback needs no reload). */
        @WithDefault("5m")
        Duration retirementGrace();

        /**
         * A batch whose oldest record waited longer than this since it was produced is not scored by the shadow version
         * (counted in triage_shadow_skipped_total{reason="lag"}): behind a backlog the live path gets the CPU.
         */
        @WithDefault("10s")
        Duration shadowMaxLag();

        /** What an activation for every clinic must show first (docs/model-lifecycle.md, "Promotion gate"). */
        Gate gate();
    }

    /** Limits of the promotion gate: the candidate's results beside the live version's on the same events. */
    interface Gate {
        /** URGENT -> ROUTINE changes allowed, as a share of the events the live version sent to URGENT. */
        @WithDefault("0.05")
        double maxUrgentToRoutine();

        /** Events both versions answered below which the gate judges nothing and refuses. */
        @WithDefault("50")
        int minCompared();

        /**
         * The candidate's sensitivity floor on labelled events: a clinical requirement, set it to yours. The default
         * sits below the served 2.0.0's ISIC 2017 test sensitivity (0.838), so that model passes its own gate there.
         */
        @WithDefault("0.80")
        double minSensitivity();

        /** Labelled events below which sensitivity is not judged (the findings say so). */
        @WithDefault("20")
        int minLabelled();
    }

    /** Image decoding beside the stream threads (docs/architecture.md, "Decoding beside the model"). */
    interface Preprocess {
        /** Threads that decode and preprocess images while the stream threads batch and run the model; 0: decode on the stream thread. */
        @WithDefault("1")
        int threads();
    }

    interface DeadLetters {
        /**
         * Largest original value a dead letter carries; larger ones are left out, with size and sha256 kept. Lowered
         * at start to what the dead-letter topic accepts (its max.message.bytes less 64 KiB).
         */
        @WithDefault("" + RecordLimits.MAX_IMAGE_RECORD_BYTES)
        long maxOriginalBytes();
    }

    /** What readiness and liveness call a stall (docs/reliability.md, "Health"). */
    interface Health {
        /** How often committed offsets are compared with the input's end offsets. */
        @WithDefault("5s")
        Duration checkInterval();

        /** Input waiting with no commit for this long: readiness DOWN. */
        @WithDefault("60s")
        Duration stallTimeout();

        /** Stalled for this long: liveness DOWN, so the process is restarted. */
        @WithDefault("5m")
        Duration livenessTimeout();
    }

    /** When one record that keeps failing is set aside (docs/reliability.md, "Poison records"). */
    interface Poison {
        /** Failures of one record (exception, Error or a dead process) before it becomes a REPEATED_FAILURE dead letter. */
        @WithDefault("3")
        int maxAttempts();

        /** Records processed one at a time after a task restarts without progress, to find the failing one. */
        @WithDefault("200")
        int carefulRecords();
    }

    interface TopicNames {
        @WithDefault(Topics.LESION_IMAGES)
        String images();

        @WithDefault(Topics.TRIAGE_RESULTS)
        String results();

        @WithDefault(Topics.TRIAGE_FAILURES)
        String failures();

        @WithDefault(Topics.SHADOW_RESULTS)
        String shadowResults();
    }

    interface Model {
        /** Folder holding model.onnx, e.g. models/triagenet/2.0.0. */
        @WithDefault("models/triagenet/2.0.0")
        String dir();

        /** auto | cpu | cuda. auto tries CUDA (GPU build, -Pgpu) and falls back to the CPU with one log line. */
        @WithDefault("auto")
        InferenceDevice device();

        /** ONNX Runtime threads inside one model run. */
        @WithDefault("2")
        int intraOpThreads();

        @WithDefault("0")
        int cudaDeviceId();
    }

    /**
     * A batch goes to the model when full or when its oldest image waited max-delay. CPU defaults: on a CPU a batch
     * of 4 runs only about 13% faster per image than 4 batches of 1, so waiting at light load buys nothing and
     * max-delay is short; behind a backlog batches still fill to max-size. On a GPU larger batches pay: e.g.
     * max-size=128, max-delay=20ms.
     */
    interface Batch {
        @WithDefault("32")
        int maxSize();

        @WithDefault("2ms")
        Duration maxDelay();

        /**
         * Commit as soon as a batch's results are forwarded, so read_committed readers see them at once rather than
         * at the next {@code kafka-streams.commit.interval.ms}; the interval remains for everything else.
         */
        @WithDefault("true")
        boolean commitEachBatch();
    }

    interface Image {
        /** Largest encoded image accepted, bytes (the record limit of the contracts). */
        @WithDefault("" + RecordLimits.MAX_IMAGE_RECORD_BYTES)
        long maxBytes();

        /** Largest width x height decoded: the guard against decompression bombs. */
        @WithDefault("40000000")
        long maxPixels();

        /** Smallest accepted width or height, pixels. */
        @WithDefault("16")
        int minSide();
    }

    interface SchemaRegistry {
        /** Confluent-protocol schema registry base URL(s), comma-separated. */
        String url();

        /** user:password for HTTP basic auth, if the registry demands it. */
        Optional<String> basicAuthUserInfo();

        /** CA certificates trusted for an https registry; without it the JDK's default CAs. */
        Optional<String> truststoreLocation();

        Optional<String> truststorePassword();

        /** PKCS12 (default), JKS or PEM. */
        Optional<String> truststoreType();

        @WithDefault("true")
        boolean autoRegister();

        /** How long one registry request may take before it counts as unavailable (the client's default: 10 s). */
        Optional<Duration> requestTimeout();
    }

    /** Re-score jobs started over REST (POST /rescore). */
    interface Rescore {
        /** Where jobs keep their plan, Kafka Streams state and report; a job resumes from here after a restart. */
        @WithDefault("rescore-jobs")
        String workDir();

        /** Model folders a job may name, relative to this root: a REST call cannot load files from elsewhere. */
        @WithDefault("models")
        String modelRoot();
    }
}
