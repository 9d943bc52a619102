package org.lesiontriage.registry;

import java.net.URI;

/**
 * A registry for URLs of another scheme than http(s), found with {@link java.util.ServiceLoader}: the test jar's
 * in-memory registry ({@code mem://name}) lets topology tests run without a registry process.
 */
public interface SchemaRegistryProvider {

    boolean accepts(URI url);

    SchemaRegistry connect(RegistrySerdeConfig config);
}
