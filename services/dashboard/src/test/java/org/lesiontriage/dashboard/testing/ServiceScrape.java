package org.lesiontriage.dashboard.testing;

/** A scrape of the service's /q/metrics as the stand-in serves it (names from TriageMetrics). */
public final class ServiceScrape {

    public static final String TEXT = """
            # TYPE triage_events_in_total counter
            triage_events_in_total 12.0
            triage_results_total{priority="URGENT"} 6.0
            triage_results_total{priority="ROUTINE"} 5.0
            triage_dead_letters_total{reason="IMAGE_UNDECODABLE"} 1.0
            triage_end_to_end_seconds_bucket{le="0.1"} 8.0
            triage_end_to_end_seconds_bucket{le="0.5"} 11.0
            triage_end_to_end_seconds_bucket{le="+Inf"} 11.0
            triage_batch_size_bucket{le="1.0"} 1.0
            triage_batch_size_bucket{le="4.0"} 3.0
            triage_batch_size_bucket{le="+Inf"} 3.0
            triage_batch_size_sum 11.0
            triage_batch_size_count 3.0
            triage_model_info{device="CPU",name="triagenet",sha256="d59761a05065",version="2.0.0",} 1.0
            """;

    private ServiceScrape() {
    }
}
