package org.lesiontriage.triage.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each default of the triage settings is written once, in {@link TriageConfig}: a second copy in
 * application.properties would drift (it did: max-delay was 2 ms in the file and 10 ms in the mapping).
 */
@Tag("unit")
class DefaultsWrittenOnceTest {

    @Test
    void applicationPropertiesRepeatsNoDefaultOfTheMapping() throws Exception {
        Properties served = TriageSettingsTest.servedProperties();
        Map<String, String> defaults = defaultsOf(TriageConfig.class, "triage.");
        assertThat(defaults).as("the mapping's defaults were found").containsKeys("triage.batch.max-size",
                "triage.model.dir", "triage.poison.max-attempts");

        assertThat(served.stringPropertyNames()).as("keys of application.properties that TriageConfig defaults too")
                .doesNotContainAnyElementsOf(defaults.keySet());
    }

    @Test
    void theServedSettingsAreTheMappingsDefaults() {
        TriageConfig served = TriageSettings.load(Map.of(), Map.of()).triage();

        assertThat(served.batch().maxSize()).isEqualTo(32);
        assertThat(served.batch().maxDelay()).isEqualTo(Duration.ofMillis(2));
        assertThat(served.model().dir()).isEqualTo(defaultsOf(TriageConfig.class, "triage.").get("triage.model.dir"));
    }

    /** Key -> default of every {@code @WithDefault} in a mapping, walking its groups. */
    static Map<String, String> defaultsOf(Class<?> mapping, String prefix) {
        Map<String, String> defaults = new TreeMap<>();
        for (Method method : mapping.getDeclaredMethods()) {
            WithName named = method.getAnnotation(WithName.class);
            String key = prefix + (named != null ? named.value() : kebab(method.getName()));
            WithDefault value = method.getAnnotation(WithDefault.class);
            if (value != null) {
                defaults.put(key, value.value());
            } else if (method.getReturnType().getName().startsWith(TriageConfig.class.getName() + "$")) { // a group
                defaults.putAll(defaultsOf(method.getReturnType(), key + "."));
            }
        }
        return defaults;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
