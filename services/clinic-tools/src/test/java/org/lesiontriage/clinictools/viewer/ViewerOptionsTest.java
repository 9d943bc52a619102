package org.lesiontriage.clinictools.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.clinictools.cli.UsageException;

@Tag("unit")
class ViewerOptionsTest {

    @Test
    void defaults() {
        ViewerOptions o = ViewerOptions.parse(new String[0], Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:1"));
        assertThat(o.bootstrapServers()).isEqualTo("k:1");
        assertThat(o.registryUrl()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(o.resultsTopic()).isEqualTo("triage-results");
        assertThat(o.failuresTopic()).isEqualTo("triage-failures");
        assertThat(o.idleTimeoutSeconds()).isEqualTo(30);
        assertThat(o.expect()).isZero();
        assertThat(o.top()).isEqualTo(15);
        assertThat(o.group()).isNull();
    }

    @Test
    void parsesEveryOption() {
        ViewerOptions o = ViewerOptions.parse(new String[] {"--expect", "600", "--idle-timeout=0", "--labels", "l.tsv",
            "--check-card", "card.json", "--report", "r.json", "--group", "g", "--top", "5",
            "--results-topic", "rt", "--failures-topic", "ft", "--registry-url", "http://r"}, Map.of());
        assertThat(o.expect()).isEqualTo(600);
        assertThat(o.idleTimeoutSeconds()).isZero();
        assertThat(o.labels()).isEqualTo(Path.of("l.tsv"));
        assertThat(o.checkCard()).isEqualTo(Path.of("card.json"));
        assertThat(o.report()).isEqualTo(Path.of("r.json"));
        assertThat(o.group()).isEqualTo("g");
        assertThat(o.top()).isEqualTo(5);
        assertThat(o.resultsTopic()).isEqualTo("rt");
        assertThat(o.failuresTopic()).isEqualTo("ft");
        assertThat(o.registryUrl()).isEqualTo("http://r");
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"--expect", "x"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--expect");
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"stray"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("stray");
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"--top", "0"}, Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--top");
    }

    @Test
    void consumerReadsCommittedFromTheBeginningWithAFreshGroupPerRun() {
        ViewerOptions o = ViewerOptions.parse(new String[0], Map.of());
        Properties a = TriageTopicsConsumer.consumerConfig(o);
        Properties b = TriageTopicsConsumer.consumerConfig(o);
        assertThat(a.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(a.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).isEqualTo("earliest");
        assertThat(a.get(ConsumerConfig.GROUP_ID_CONFIG)).isNotEqualTo(b.get(ConsumerConfig.GROUP_ID_CONFIG));
        Properties named = TriageTopicsConsumer.consumerConfig(ViewerOptions.parse(new String[] {"--group", "g"}, Map.of()));
        assertThat(named.get(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("g");
    }
}
