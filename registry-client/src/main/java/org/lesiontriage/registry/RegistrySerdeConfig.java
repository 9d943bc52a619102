package org.lesiontriage.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the registry serde, read from the usual Kafka serde config map with the Confluent key names so that
 * existing client configurations work unchanged.
 */
public final class RegistrySerdeConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    /** CA certificates trusted for an https registry (PKCS12, JKS or PEM); without it the JDK's default CAs. */
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    /** Reader class when a deserializer is created by Kafka from a class name rather than constructed with one. */
    public static final String SPECIFIC_VALUE_TYPE = "specific.avro.value.type";
    public static final String SPECIFIC_KEY_TYPE = "specific.avro.key.type";

    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

    private final List<URI> urls;
    private final String authorizationHeader;
    private final boolean autoRegisterSchemas;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final String truststoreLocation;
    private final SSLContext sslContext;

    private RegistrySerdeConfig(List<URI> urls, String authorizationHeader, boolean autoRegisterSchemas,
            Duration connectTimeout, Duration requestTimeout, String truststoreLocation, SSLContext sslContext) {
        this.urls = List.copyOf(urls);
        this.authorizationHeader = authorizationHeader;
        this.autoRegisterSchemas = autoRegisterSchemas;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.truststoreLocation = truststoreLocation;
        this.sslContext = sslContext;
    }

    /**
     * Whether a client setting is the serde's (schema.registry.*, basic.auth.*) rather than the Kafka client's: one
     * properties file can then hold both, as the tools' --kafka-config files do.
     */
    public static boolean isSerdeKey(String key) {
        return key.startsWith("schema.registry.") || key.startsWith("basic.auth.");
    }

    /** Reads and validates the settings; throws {@link ConfigException} naming the offending key. */
    public static RegistrySerdeConfig from(Map<String, ?> configs) {
        Object rawUrls = configs.get(SCHEMA_REGISTRY_URL);
        if (rawUrls == null || rawUrls.toString().isBlank()) {
            throw new ConfigException("Missing required setting " + SCHEMA_REGISTRY_URL
                    + ": the base URL of the schema registry, e.g. http://registry:8081");
        }
        List<String> rawUrlList = splitUrls(rawUrls);
        List<URI> urls = new ArrayList<>();
        String urlUserInfo = null;
        for (String raw : rawUrlList) {
            URI uri = parseUrl(raw);
            if (uri.getRawUserInfo() != null && urlUserInfo == null) {
                urlUserInfo = uri.getUserInfo();
            }
            urls.add(withoutUserInfo(uri));
        }
        String userInfo = userInfo(configs, urlUserInfo);
        String truststore = text(configs, SSL_TRUSTSTORE_LOCATION);
        // Loaded here, so that a wrong path or password fails at configure time, not at the first record.
        SSLContext sslContext = truststore == null ? null : RegistryTruststore.sslContext(truststore,
                text(configs, SSL_TRUSTSTORE_PASSWORD), text(configs, SSL_TRUSTSTORE_TYPE));
        return new RegistrySerdeConfig(urls, userInfo == null ? null : basicHeader(userInfo),
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                Duration.ofMillis(millis(configs, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS)),
                Duration.ofMillis(millis(configs, REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS)),
                truststore, sslContext);
    }

    /** Registry base URLs, tried in order; credentials stripped, so they are safe to print. */
    public List<URI> urls() {
        return urls;
    }

    /** The value of the Authorization header, if basic auth is configured. */
    public Optional<String> authorizationHeader() {
        return Optional.ofNullable(authorizationHeader);
    }

    public boolean autoRegisterSchemas() {
        return autoRegisterSchemas;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** TLS context trusting the configured truststore; empty means the JDK's default trusted CAs. */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    @Override
    public String toString() {
        return "RegistrySerdeConfig{urls=" + urls + ", basicAuth=" + (authorizationHeader != null)
                + ", truststore=" + (truststoreLocation == null ? "JDK default" : truststoreLocation)
                + ", autoRegisterSchemas=" + autoRegisterSchemas + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + "}";
    }

    private static List<String> splitUrls(Object rawUrls) {
        List<String> result = new ArrayList<>();
        Iterable<?> parts = rawUrls instanceof List<?> list ? list : List.of(rawUrls.toString().split(","));
        for (Object part : parts) {
            String url = part.toString().trim();
            if (!url.isEmpty()) {
                result.add(url);
            }
        }
        if (result.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " lists no URL");
        }
        return result;
    }

    private static URI parseUrl(String raw) {
        try {
            URI uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(SchemaRegistries.isHttp(uri) || SchemaRegistries.hasProvider(uri))) {
                throw new URISyntaxException(raw, "expected an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            // The raw value may carry credentials: name the key, not the value.
            throw new ConfigException(SCHEMA_REGISTRY_URL + " holds a malformed URL: " + e.getReason());
        }
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " holds a malformed URL: " + e.getReason());
        }
    }

    private static String userInfo(Map<String, ?> configs, String urlUserInfo) {
        Object source = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE);
        String sourceName = source == null ? "USER_INFO" : source.toString().trim().toUpperCase(Locale.ROOT);
        Object configured = configs.get(BASIC_AUTH_USER_INFO);
        String userInfo = configured == null || configured.toString().isBlank() ? null : configured.toString();
        return switch (sourceName) {
            // Credentials in the URL still count with the default source, so a URL with userinfo just works.
            case "USER_INFO" -> validUserInfo(userInfo != null ? userInfo : urlUserInfo);
            case "URL" -> validUserInfo(urlUserInfo);
            default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + " must be USER_INFO or URL, was "
                    + sourceName);
        };
    }

    private static String validUserInfo(String userInfo) {
        if (userInfo != null && !userInfo.contains(":")) {
            throw new ConfigException("Basic auth credentials must have the form user:password");
        }
        return userInfo;
    }

    private static String basicHeader(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value instanceof org.apache.kafka.common.config.types.Password password) {
            return password.value(); // how Kafka hands over password settings it parsed itself
        }
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "expected true or false");
    }

    private static long millis(Map<String, ?> configs, String key, long defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long millis = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
            if (millis <= 0) {
                throw new ConfigException(key, value, "expected a positive number of milliseconds");
            }
            return millis;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "expected a positive number of milliseconds");
        }
    }
}
