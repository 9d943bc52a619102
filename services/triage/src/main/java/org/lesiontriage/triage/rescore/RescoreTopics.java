package org.lesiontriage.triage.rescore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.lesiontriage.contracts.RecordLimits;

/** Creates a replay's output topics when they do not exist: partitioned like the source, broker's replication. */
final class RescoreTopics {

    private RescoreTopics() {
    }

    /** Dead letters carry the original image bytes, so they need the image topic's record size. */
    static void createOutputs(Admin admin, RescorePlan plan) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        int partitions = plan.partitions().size();
        List<NewTopic> missing = new ArrayList<>();
        if (!existing.contains(plan.resultsTopic())) {
            missing.add(new NewTopic(plan.resultsTopic(), Optional.of(partitions), Optional.empty()));
        }
        if (!existing.contains(plan.failuresTopic())) {
            missing.add(new NewTopic(plan.failuresTopic(), Optional.of(partitions), Optional.empty())
                    .configs(Map.of("max.message.bytes", String.valueOf(RecordLimits.MAX_DERIVED_RECORD_BYTES))));
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get();
        }
    }
}
