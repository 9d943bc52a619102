package org.lesiontriage.deploy;

import java.util.Set;
import java.util.TreeSet;
import org.lesiontriage.dashboard.config.DashboardConfig;
import org.lesiontriage.deploy.config.ApplicationProperties;
import org.lesiontriage.deploy.config.ConfigMappingNames;
import org.lesiontriage.triage.config.TriageConfig;

/**
 * What a service reads from its environment, taken from the service itself: the variables its
 * application.properties reads, those of its {@code @ConfigMapping} (every key is also a variable), and the
 * JAVA_OPTS of the images' entry point. A manifest that sets anything else sets a name the service ignores.
 *
 * @param name        the service, for messages
 * @param properties  its application.properties
 * @param variables   every variable it reads
 * @param defaultPort its HTTP port when the port variable is unset
 */
public record ServiceConfiguration(String name, ApplicationProperties properties, Set<String> variables,
                                   String portVariable, int defaultPort) {

    /** Read by the images' ENTRYPOINT (DockerImagesTest checks that it is). */
    public static final String JAVA_OPTS = "JAVA_OPTS";

    public static ServiceConfiguration triage() {
        return of("triage service", "services/triage/src/main/resources/application.properties",
                ConfigMappingNames.variables(TriageConfig.class, "triage"));
    }

    public static ServiceConfiguration dashboard() {
        return of("dashboard", "services/dashboard/src/main/resources/application.properties",
                ConfigMappingNames.variables(DashboardConfig.class, "dashboard"));
    }

    private static ServiceConfiguration of(String name, String file, Set<String> mappingVariables) {
        ApplicationProperties properties = ApplicationProperties.read(ProjectFiles.path(file));
        Set<String> variables = new TreeSet<>(properties.variables().keySet());
        variables.addAll(mappingVariables);
        variables.add(JAVA_OPTS);
        String port = properties.get("quarkus.http.port").orElseThrow();
        var matcher = java.util.regex.Pattern.compile("\\$\\{([A-Z_]+):(\\d+)}").matcher(port);
        if (!matcher.matches()) {
            throw new IllegalStateException(name + ": quarkus.http.port is " + port + ", not ${VARIABLE:port}");
        }
        return new ServiceConfiguration(name, properties, variables, matcher.group(1), Integer.parseInt(matcher.group(2)));
    }

    /** The HTTP port in this environment. */
    public int port(java.util.Map<String, String> environment) {
        return Integer.parseInt(environment.getOrDefault(portVariable, String.valueOf(defaultPort)));
    }

    /** Health and metrics paths: Quarkus' defaults, unless the service moved its non-application root. */
    public String path(String endpoint) {
        String root = properties.get("quarkus.http.non-application-root-path").orElse("q");
        return "/" + root + "/" + endpoint;
    }
}
