package org.lesiontriage.dashboard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.lesiontriage.contracts.Topics;

/** The dashboard's settings ({@code dashboard.*}; every key is also a variable, e.g. DASHBOARD_WORKING_SET_RECENT). */
@ConfigMapping(prefix = "dashboard")
public interface DashboardConfig {

    /** Names this instance: its consumer group is lesion-triage-dashboard-INSTANCE (each instance reads everything). */
    String instance();

    TopicNames topics();

    WorkingSet workingSet();

    Thumbnails thumbnails();

    Comparison comparison();

    Auth auth();

    /** The triage service's Prometheus endpoint. */
    String serviceMetricsUrl();

    /** How often a browser's stream is checked for changes (server-sent events are pushed at most this often). */
    @WithDefault("500ms")
    Duration pushInterval();

    /** A stream ends after this long and the browser reconnects, so a stream cannot outlive its session. */
    @WithDefault("5m")
    Duration streamMaxAge();

    /** Most queue rows one view sends to the browser. */
    @WithDefault("200")
    int maxRows();

    /** At start, results, dead letters and reviews older than this are not read; empty = the whole topics. */
    Optional<Duration> startLookback();

    interface TopicNames {
        @WithDefault(Topics.LESION_IMAGES)
        String images();

        @WithDefault(Topics.TRIAGE_RESULTS)
        String results();

        @WithDefault(Topics.TRIAGE_FAILURES)
        String failures();

        @WithDefault(Topics.REVIEWS)
        String reviews();

        /** The shadow version's results, compared with the live ones on the operator view. */
        @WithDefault(Topics.SHADOW_RESULTS)
        String shadowResults();

        /** Activations, rollbacks, shadows and canaries: always read whole, whatever the start lookback. */
        @WithDefault(Topics.ROLLOUTS)
        String rollouts();
    }

    /** What is kept in memory: bounded whatever the size of the topics. */
    interface WorkingSet {
        /** The newest results kept, reviewed or not. */
        @WithDefault("2000")
        int recent();

        /** Open (unreviewed) results kept beyond the newest; past it the least urgent, newest ones are dropped. */
        @WithDefault("10000")
        int openCap();

        /** Reviews remembered for cases whose results are not held (yet): a review may be read before its result. */
        @WithDefault("100000")
        int reviews();

        /** The newest dead letters whose metadata the operator view lists. */
        @WithDefault("200")
        int deadLetters();

        /** Results in the latency and batch-size samples of the operator view. */
        @WithDefault("5000")
        int samples();
    }

    /**
     * The shadow comparison's memory: per side (the live results' scores, the shadow results), the newest
     * {@code events} and none received more than {@code maxAge} ago, whichever is fewer.
     */
    interface Comparison {
        @WithDefault("20000")
        int events();

        @WithDefault("7d")
        Duration maxAge();
    }

    interface Thumbnails {
        /** Longest side of a thumbnail, pixels. */
        @WithDefault("160")
        int size();

        /** Thumbnails cached (only of results in the working set). */
        @WithDefault("500")
        int cache();

        /** Records of lesion-images read at most to find one result's image. */
        @WithDefault("64")
        int maxScan();

        /** Images declaring more pixels than this are not decoded. */
        @WithDefault("40000000")
        long maxPixels();
    }

    interface Auth {
        /** Users file: user=HEX(MD5(user:lesion-triage:password)); empty: no users, every login is refused. */
        Optional<String> usersFile();

        /** Roles file: user=clinician,operator; set with the users file. */
        Optional<String> rolesFile();
    }
}
