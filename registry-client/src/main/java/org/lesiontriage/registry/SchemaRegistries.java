package org.lesiontriage.registry;

import java.net.URI;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.ConfigException;

/** The registry a serde's URL names: the Confluent REST protocol over http(s), or a provider's for other schemes. */
public final class SchemaRegistries {

    private SchemaRegistries() {
    }

    public static SchemaRegistry connect(RegistrySerdeConfig config) {
        URI first = config.urls().get(0);
        if (isHttp(first)) {
            return new SchemaRegistryClient(config);
        }
        return provider(first).connect(config);
    }

    static boolean isHttp(URI url) {
        return "http".equals(url.getScheme()) || "https".equals(url.getScheme());
    }

    static boolean hasProvider(URI url) {
        return ServiceLoader.load(SchemaRegistryProvider.class).stream().anyMatch(p -> p.get().accepts(url));
    }

    private static SchemaRegistryProvider provider(URI url) {
        return ServiceLoader.load(SchemaRegistryProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.accepts(url)).findFirst()
                .orElseThrow(() -> new ConfigException(RegistrySerdeConfig.SCHEMA_REGISTRY_URL
                        + ": no schema registry for the scheme " + url.getScheme()));
    }
}
