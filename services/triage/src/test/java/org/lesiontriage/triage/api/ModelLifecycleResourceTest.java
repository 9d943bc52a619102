package org.lesiontriage.triage.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.triage.testing.TriageStackResource;

/**
 * The model lifecycle through the running service: GET /models shows the live version, this instance and the
 * rollout history to anyone; activating and rolling back need role models, and a refused activation (a version
 * never published) answers 409 with the reason and changes nothing.
 */
@Tag("integration")
@QuarkusTest
@QuarkusTestResource(value = TriageStackResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ApiUsersResource.class, restrictToAnnotatedClass = true)
class ModelLifecycleResourceTest {

    @Test
    void theOverviewIsOpenAndActivationNeedsRoleModelsAndAPublishedVersion() {
        given().get("/models").then().statusCode(200)
                .body("live", equalTo("triagenet:2.0.0"))
                .body("instance", not(emptyOrNullString())) // the pod's name in a cluster
                .body("rollouts.size()", equalTo(0));

        Map<String, String> body = Map.of("name", "triagenet", "version", "9.9.9", "reason", "test");
        given().contentType(ContentType.JSON).body(body).post("/models/activate").then().statusCode(401);
        given().auth().preemptive().basic(ApiUsersResource.VIEWER, ApiUsersResource.VIEWER_PASSWORD)
                .contentType(ContentType.JSON).body(body).post("/models/activate").then().statusCode(403);
        given().auth().preemptive().basic(ApiUsersResource.OPERATOR, ApiUsersResource.OPERATOR_PASSWORD)
                .contentType(ContentType.JSON).body(body).post("/models/activate").then().statusCode(409)
                .body("error", containsString("triagenet:9.9.9 is not published"));
        given().auth().preemptive().basic(ApiUsersResource.OPERATOR, ApiUsersResource.OPERATOR_PASSWORD)
                .contentType(ContentType.JSON).body("{}").post("/models/rollback").then().statusCode(409)
                .body("error", containsString("nothing to roll back"));

        given().get("/models").then().statusCode(200).body("rollouts.size()", equalTo(0))
                .body("live", equalTo("triagenet:2.0.0"));
        given().get("/model").then().statusCode(200).body("version", equalTo("2.0.0"));
    }
}
