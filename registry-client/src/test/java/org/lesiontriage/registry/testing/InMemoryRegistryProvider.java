package org.lesiontriage.registry.testing;

import java.net.URI;
import org.lesiontriage.registry.RegistrySerdeConfig;
import org.lesiontriage.registry.SchemaRegistry;
import org.lesiontriage.registry.SchemaRegistryProvider;

/** Answers {@code mem://NAME} URLs with {@link InMemorySchemaRegistry#named}. */
public final class InMemoryRegistryProvider implements SchemaRegistryProvider {

    @Override
    public boolean accepts(URI url) {
        return "mem".equals(url.getScheme());
    }

    @Override
    public SchemaRegistry connect(RegistrySerdeConfig config) {
        return InMemorySchemaRegistry.named(config.urls().get(0).getHost());
    }
}
