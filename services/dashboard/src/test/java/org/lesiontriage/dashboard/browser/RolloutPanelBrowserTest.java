package org.lesiontriage.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.contracts.RolloutKind;
import org.lesiontriage.dashboard.testing.DashboardStack;
import org.lesiontriage.dashboard.testing.DashboardStackResource;
import org.lesiontriage.dashboard.testing.Rollouts;
import org.lesiontriage.dashboard.testing.TriageTopicsPublisher;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The operator view's model rollout in a real headless Chromium against the dashboard on a real broker and
 * registry: a rollout history (an activation with its gate, a shadow, a canary), live results and the shadow's
 * results of the same images where the shadow turns URGENT cases ROUTINE at one clinic. The panel shows the versions,
 * that clinic first with its URGENT -> ROUTINE count, which clinics are on the canary, and follows the window picked.
 * Its own stack, so that its results stay out of the other browser test's queue. Screenshot:
 * target/screenshots/dashboard-rollout.png.
 */
@Tag("integration")
@QuarkusTest
@QuarkusTestResource(value = DashboardStackResource.class, restrictToAnnotatedClass = true)
class RolloutPanelBrowserTest extends BrowserTest {

    DashboardStack stack;

    @TestHTTPResource("/")
    URL base;

    @Test
    void theOperatorViewShowsTheShadowComparisonByClinicAndWhichClinicsAreOnTheCanary() {
        Instant now = Instant.now();
        try (TriageTopicsPublisher publisher = stack.publisher()) {
            publisher.rollout(Rollouts.gated("r1", "2.0.0", true, 0, now.minus(Duration.ofDays(2))));
            publisher.rollout(Rollouts.of("r2", RolloutKind.SHADOW, "3.0.0", now.minus(Duration.ofHours(6))));
            // clinic-east by name; clinic-south by its hash (0.164 < 0.2); clinic-north (0.385), clinic-west (0.917) not
            publisher.rollout(Rollouts.canary("r3", "2.1.0", List.of("clinic-east"), 0.2, now.minus(Duration.ofHours(5))));

            publisher.triagedInShadow("n-1", "clinic-north", now, 0.82, "2.0.0", 0.12, "3.0.0");
            publisher.triagedInShadow("n-2", "clinic-north", now, 0.64, "2.0.0", 0.21, "3.0.0");
            publisher.triagedInShadow("n-3", "clinic-north", now, 0.45, "2.0.0", 0.28, "3.0.0");
            publisher.triagedInShadow("n-4", "clinic-north", now, 0.05, "2.0.0", 0.04, "3.0.0");
            publisher.triagedInShadow("s-1", "clinic-south", now, 0.70, "2.1.0", 0.75, "3.0.0");
            publisher.triagedInShadow("s-2", "clinic-south", now, 0.10, "2.1.0", 0.08, "3.0.0");
            publisher.triagedInShadow("s-3", "clinic-south", now.minus(Duration.ofHours(2)), 0.60, "2.1.0", 0.20,
                    "3.0.0");
            publisher.triagedInShadow("e-1", "clinic-east", now, 0.10, "2.1.0", 0.40, "3.0.0");
            publisher.triagedInShadow("e-2", "clinic-east", now, 0.90, "2.1.0", 0.92, "3.0.0");
            publisher.triagedInShadow("w-1", "clinic-west", now, 0.20, "2.0.0", 0.22, "3.0.0");
        }

        logIn(DashboardStack.OPERATOR);
        wait.until(d -> d.findElement(By.id("view-operations")).isDisplayed());
        waitForClinicRows("clinic-north", "clinic-south", "clinic-east", "clinic-west");

        // The flipped clinic first, its URGENT -> ROUTINE count marked as the dangerous direction.
        wait.until(d -> text("#rollout-clinics tr[data-clinic='clinic-north'] td.u2r").equals("3"));
        assertThat(driver.findElement(By.cssSelector("#rollout-clinics tr[data-clinic='clinic-north'] td.u2r"))
                .getAttribute("class")).contains("danger");
        assertThat(text("#rollout-clinics tr[data-clinic='clinic-south'] td.u2r")).as("one of them 2 h ago").isEqualTo("1");
        assertThat(text("#rollout-clinics tr[data-clinic='clinic-east'] td.r2u")).isEqualTo("1");
        assertThat(text("#rollout-summary")).contains("10 (triagenet 3.0.0 beside triagenet 2.0.0, triagenet 2.1.0)")
                .contains("50.0 %");

        String versions = text("#rollout-versions");
        assertThat(versions).contains("triagenet 2.0.0 since").contains("triagenet 3.0.0 since")
                .contains("triagenet 2.1.0 since").contains("clinics clinic-east and 20 % of clinics by hash")
                .contains("passed");

        // Which clinics are on the canary: by name and by the hash rule, marked in the table as well.
        assertThat(list("#rollout-canary-clinics li", "clinic")).containsExactly("clinic-east", "clinic-south");
        assertThat(text("#rollout-canary-clinics")).contains("clinic-east (named)").contains("clinic-south (hash 0.164");
        assertThat(list("#rollout-clinics tr:has(.badge.canary)", "clinic")).containsExactly("clinic-south", "clinic-east");
        assertThat(text("#rollout-canary-others")).contains("2 other clinics");
        assertThat(text("#rollout-labels")).contains("bin/compare").contains("--labels");
        driver.executeScript("document.getElementById('rollout').scrollIntoView();");
        HeadlessChromium.screenshot(driver, "dashboard-rollout");

        // The last hour leaves out clinic-south's older change.
        new Select(driver.findElement(By.id("rollout-window"))).selectByValue("1h");
        waitForClinicRows("clinic-north", "clinic-east", "clinic-south", "clinic-west");
        assertThat(text("#rollout-clinics tr[data-clinic='clinic-south'] td.u2r")).isEqualTo("0");
        assertThat(text("#rollout-clinics tr[data-clinic='clinic-north'] td.u2r")).isEqualTo("3");
    }

    private void logIn(String user) {
        logIn(base, user, stack.password(user));
    }

    private void waitForClinicRows(String... clinics) {
        try {
            wait.until(d -> list("#rollout-clinics tbody tr", "clinic").equals(List.of(clinics)));
        } catch (org.openqa.selenium.TimeoutException e) {
            HeadlessChromium.screenshot(driver, "dashboard-rollout-failed");
            throw new AssertionError("expected the clinic rows " + List.of(clinics) + ", the page shows "
                    + list("#rollout-clinics tbody tr", "clinic")
                    + " (screenshot target/screenshots/dashboard-rollout-failed.png)", e);
        }
    }

    /** Read in one script: the panel is replaced while it streams. */
    @SuppressWarnings("unchecked")
    private List<String> list(String selector, String dataKey) {
        return (List<String>) driver.executeScript("return [...document.querySelectorAll(arguments[0])]"
                + ".map(e => e.dataset[arguments[1]]);", selector, dataKey);
    }

    private String text(String selector) {
        return String.valueOf(driver.executeScript("const e = document.querySelector(arguments[0]);"
                + " return e ? e.textContent : null;", selector));
    }
}
