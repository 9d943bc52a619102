package org.lesiontriage.registry;

import org.lesiontriage.contracts.ReasonCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Sends one request to the registry, moving on to the next configured URL when a server cannot be reached or
 * answers with a server error, so that one node of a registry cluster being down does not stop the serde.
 */
final class RegistryTransport {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    // The media types every Confluent-protocol registry understands, preferred first.
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    record Response(int status, String body, URI url) {
    }

    private final RegistrySerdeConfig config;
    private final HttpClient http;

    RegistryTransport(RegistrySerdeConfig config) {
        this.config = config;
        // HTTP/1.1: some registries and proxies mishandle the h2c upgrade the JDK would otherwise attempt.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        config.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** GET when {@code jsonBody} is null, else POST; {@code path} is already percent-encoded. */
    Response send(String path, String jsonBody) {
        List<String> failures = new ArrayList<>();
        SSLException tlsFailure = null;
        Response lastServerError = null;
        for (URI base : config.urls()) {
            URI url = URI.create(base + path);
            try {
                HttpResponse<String> response = sendRetryingClosedConnection(url, jsonBody);
                Response answer = new Response(response.statusCode(), response.body(), url);
                if (answer.status() < 500) {
                    return answer;
                }
                lastServerError = answer;
                failures.add(base + " (HTTP " + answer.status() + ")");
            } catch (SSLException e) {
                tlsFailure = e;
                failures.add(base + " (" + describeTls(e) + ")");
            } catch (IOException e) {
                failures.add(base + " (" + describe(e) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistrySerdeException(ReasonCode.REGISTRY_UNAVAILABLE, "Interrupted while calling the schema registry at " + base, e);
            }
        }
        if (lastServerError != null) {
            return lastServerError;
        }
        if (tlsFailure != null) {
            // Retrying cannot fix a certificate nobody trusts: a distinct, permanent error that says what to set.
            throw new RegistrySerdeException(ReasonCode.REGISTRY_TLS, "TLS handshake with the schema registry failed: " + String.join(", ", failures)
                    + "; check that the registry's CA is in " + RegistrySerdeConfig.SSL_TRUSTSTORE_LOCATION, tlsFailure);
        }
        throw new RegistrySerdeException(ReasonCode.REGISTRY_UNAVAILABLE, "Schema registry unavailable: " + String.join(", ", failures));
    }

    /**
     * A connection the registry closed (an idle pooled one, or one it dropped under load) fails with no answer at
     * all; every registry call here is idempotent (look-up, register-or-look-up), so it is sent once more on a new
     * connection before the URL counts as unavailable. Timeouts and TLS failures are not retried.
     */
    private HttpResponse<String> sendRetryingClosedConnection(URI url, String jsonBody)
            throws IOException, InterruptedException {
        try {
            return http.send(request(url, jsonBody), HttpResponse.BodyHandlers.ofString());
        } catch (SSLException | HttpTimeoutException | ConnectException notAClosedConnection) {
            throw notAClosedConnection;
        } catch (IOException closedConnection) {
            return http.send(request(url, jsonBody), HttpResponse.BodyHandlers.ofString());
        }
    }

    private HttpRequest request(URI url, String jsonBody) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT);
        config.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
        if (jsonBody == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build();
    }

    private static String describeTls(SSLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.security.cert.CertPathValidatorException
                    || cause.getClass().getName().endsWith("SunCertPathBuilderException")) {
                return "certificate not trusted";
            }
            if (cause instanceof java.security.cert.CertificateException && cause.getMessage() != null
                    && cause.getMessage().startsWith("No subject alternative")) {
                return "certificate does not name this host: " + cause.getMessage();
            }
        }
        return "TLS failure: " + e.getMessage();
    }

    private String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + config.connectTimeout().toMillis() + " ms";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + config.requestTimeout().toMillis() + " ms";
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
