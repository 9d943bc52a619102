package org.lesiontriage.triage.lifecycle;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * The instances of the service that hold input partitions now: the members of its consumer group. Each stream
 * thread's consumer is named {@code <client.id>-StreamThread-<n>-consumer}, and the service sets its client.id to
 * its instance id, the name it reports statuses under.
 */
public final class LiveInstances {

    private static final Pattern STREAM_THREAD_CONSUMER = Pattern.compile("^(.*)-StreamThread-\\d+-consumer$");

    private LiveInstances() {
    }

    public static Set<String> of(Admin admin, String applicationId) throws ExecutionException, InterruptedException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(java.util.List.of(applicationId))
                .describedGroups().get(applicationId).get();
        Set<String> instances = new TreeSet<>();
        for (MemberDescription member : group.members()) {
            instances.add(instanceOf(member.clientId()));
        }
        return instances;
    }

    static String instanceOf(String consumerClientId) {
        Matcher thread = STREAM_THREAD_CONSUMER.matcher(consumerClientId);
        return thread.matches() ? thread.group(1) : consumerClientId;
    }
}
