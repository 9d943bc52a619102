package org.lesiontriage.dashboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.dashboard.testing.DashboardStack;
import org.lesiontriage.dashboard.testing.DashboardStackResource;

/** Sessions end: after the timeout without a request, and at once for a user taken out of the users file. */
@Tag("integration")
@QuarkusTest
@TestProfile(SessionExpiryTest.ShortSessions.class)
@QuarkusTestResource(value = DashboardStackResource.class, restrictToAnnotatedClass = true)
class SessionExpiryTest {

    /** Sessions of two seconds. */
    public static class ShortSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.form.timeout", "PT2S", "quarkus.http.auth.form.new-cookie-interval", "PT1S");
        }
    }

    DashboardStack stack;

    @Test
    void aSessionEndsAfterItsTimeoutWithoutARequest() throws Exception {
        String cookie = login(DashboardStack.CLINICIAN);
        given().cookie("quarkus-credential", cookie).get("/api/session").then().statusCode(200);

        Thread.sleep(3_000);

        given().redirects().follow(false).cookie("quarkus-credential", cookie).get("/api/session")
                .then().statusCode(302).header("Location", containsString("/login.html"));
    }

    @Test
    void aUserTakenOutOfTheUsersFileIsRefusedAtTheNextRequest() throws Exception {
        String cookie = login(DashboardStack.OPERATOR);
        Path users = stack.usersFile();
        String before = Files.readString(users);
        try {
            Files.writeString(users, before.lines().filter(l -> !l.startsWith(DashboardStack.OPERATOR + "="))
                    .map(l -> l + "\n").reduce("", String::concat));
            given().redirects().follow(false).cookie("quarkus-credential", cookie).get("/api/operations")
                    .then().statusCode(302).header("Location", containsString("/login.html"));
        } finally {
            Files.writeString(users, before);
        }
    }

    private String login(String user) {
        return given().redirects().follow(false).formParam("j_username", user)
                .formParam("j_password", stack.password(user)).post("/j_security_check")
                .then().statusCode(302).extract().cookie("quarkus-credential");
    }
}
