package org.lesiontriage.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class RegistryServerTest {

    @Test
    void startsARealRegistryWithBackwardCompatibilityAndStopsIt(@TempDir Path work) throws Exception {
        RegistryServer registry = RegistryServer.start(0, 0, work);
        try {
            HttpResponse<String> config = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(registry.confluentUrl() + "/config")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, config.statusCode());
            assertTrue(config.body().contains("BACKWARD"), config.body());
        } finally {
            registry.close();
        }
        assertTrue(!registry.isAlive(), "registry process still alive after close");
    }
}
