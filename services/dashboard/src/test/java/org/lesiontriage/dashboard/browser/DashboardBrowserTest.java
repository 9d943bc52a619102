package org.lesiontriage.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lesiontriage.dashboard.testing.DashboardStack;
import org.lesiontriage.dashboard.testing.DashboardStackResource;
import org.lesiontriage.dashboard.testing.TriageTopicsPublisher;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The page in a real headless Chromium against the dashboard on a real broker and registry: log in, watch results
 * arrive while they are published (a case with two images as one row, placed by its most urgent), filter by clinic,
 * mark a case reviewed, reload and find it still reviewed, look
 * at the operator view, log out and be refused. Screenshots: target/screenshots/dashboard-*.png.
 */
@Tag("integration")
@QuarkusTest
@QuarkusTestResource(value = DashboardStackResource.class, restrictToAnnotatedClass = true)
class DashboardBrowserTest extends BrowserTest {

    DashboardStack stack;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aClinicianWorksTheLiveQueueAndLogsOut() {
        try (TriageTopicsPublisher publisher = stack.publisher()) {
            publisher.triaged("case-a-1", "clinic-north", 0.82);
            publisher.triaged("case-b-1", "clinic-south", 0.12);
            publisher.deadLetter("case-x-1", "IMAGE_UNDECODABLE", 3);

            driver.get(base.toString());
            wait.until(d -> d.getCurrentUrl().contains("/login.html"));
            HeadlessChromium.screenshot(driver, "dashboard-login");
            logIn(DashboardStack.BOTH);
            waitForCases("case-a-1", "case-b-1");

            // Published while the page is open: the page shows them without a reload.
            publisher.triaged("case-c-1", "clinic-north", 0.05);
            publisher.triaged("case-d-1", "clinic-south", 0.64);
            waitForCases("case-a-1", "case-d-1", "case-b-1", "case-c-1");
            // A second image of case-c-1, URGENT: still one row for the case, now placed by that image.
            publisher.triaged("case-c-1", "clinic-north", 0.91);
            waitForCases("case-a-1", "case-d-1", "case-c-1", "case-b-1");
        }
        wait.until(d -> thumbnailsLoaded() == 5);
        assertThat(cells("td span.priority")).containsExactly("URGENT", "URGENT", "URGENT", "ROUTINE");
        assertThat(row("case-c-1").findElements(By.cssSelector("td.thumbs img"))).hasSize(2);
        assertThat(row("case-c-1").findElement(By.cssSelector("span.count")).getText()).isEqualTo("2 images");
        HeadlessChromium.screenshot(driver, "dashboard-queue");

        new Select(driver.findElement(By.id("filter-clinic"))).selectByValue("clinic-south");
        waitForCases("case-d-1", "case-b-1");
        assertThat(cells("td.clinic")).containsOnly("clinic-south");
        HeadlessChromium.screenshot(driver, "dashboard-filtered");
        new Select(driver.findElement(By.id("filter-clinic"))).selectByValue("");
        waitForCases("case-a-1", "case-d-1", "case-c-1", "case-b-1");

        row("case-d-1").findElement(By.cssSelector("button.review")).click();
        waitForCases("case-a-1", "case-c-1", "case-b-1");

        driver.navigate().refresh();
        waitForCases("case-a-1", "case-c-1", "case-b-1");
        new Select(driver.findElement(By.id("filter-status"))).selectByValue("reviewed");
        waitForCases("case-d-1");
        assertThat(row("case-d-1").findElement(By.cssSelector("td.waiting")).getText())
                .isEqualTo("reviewed by " + DashboardStack.BOTH);
        HeadlessChromium.screenshot(driver, "dashboard-reviewed");

        assertNothingLoadedFromElsewhere();

        driver.findElement(By.id("tab-operations")).click();
        wait.until(d -> d.findElement(By.id("ops-model")).getText().contains("triagenet 2.0.0 on CPU"));
        wait.until(d -> d.findElement(By.id("ops-rates")).getText().contains("results read"));
        driver.findElement(By.cssSelector("#ops-letters tbody tr[data-reason='IMAGE_UNDECODABLE']")).click();
        String letter = driver.findElement(By.id("ops-letter-detail")).getText();
        assertThat(letter).contains("\"sourceOffset\": 3").contains("\"keyBytes\": 8").doesNotContain("case-x-1");
        HeadlessChromium.screenshot(driver, "dashboard-operations");

        driver.findElement(By.id("logout")).click();
        wait.until(d -> d.getCurrentUrl().contains("/login.html?logged-out"));
        driver.get(base.toString());
        wait.until(d -> d.getCurrentUrl().contains("/login.html"));
        Object session = driver.executeAsyncScript("const done = arguments[0];"
                + "fetch('/api/session').then(r => done(r.headers.get('content-type') + ' ' + r.url));");
        assertThat(String.valueOf(session)).as("after logging out the API answers with the login page")
                .contains("text/html").contains("/login.html");
        HeadlessChromium.screenshot(driver, "dashboard-logged-out");
    }

    @Test
    void anOperatorSeesNoQueueAndAWrongPasswordGetsIn() {
        driver.get(base + "login.html");
        driver.findElement(By.id("username")).sendKeys(DashboardStack.CLINICIAN);
        driver.findElement(By.id("password")).sendKeys("wrong password");
        driver.findElement(By.id("login")).click();
        wait.until(d -> d.findElement(By.id("login-error")).isDisplayed());

        logIn(DashboardStack.OPERATOR);
        wait.until(d -> d.findElement(By.id("view-operations")).isDisplayed());
        assertThat(driver.findElement(By.id("tab-queue")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("view-queue")).isDisplayed()).isFalse();
    }

    private void logIn(String user) {
        logIn(base, user, stack.password(user));
    }

    private void waitForCases(String... caseRefs) {
        try {
            wait.until(d -> cases().equals(List.of(caseRefs)));
        } catch (org.openqa.selenium.TimeoutException e) {
            HeadlessChromium.screenshot(driver, "dashboard-failed");
            throw new AssertionError("expected the cases " + List.of(caseRefs) + ", the page shows " + cases()
                    + " at " + driver.getCurrentUrl() + " (screenshot target/screenshots/dashboard-failed.png)", e);
        }
    }

    /** Read in one script: rows come and go while the page streams. */
    @SuppressWarnings("unchecked")
    private List<String> cases() {
        return (List<String>) driver.executeScript(
                "return [...document.querySelectorAll('#queue tbody tr')].map(tr => tr.dataset.caseRef);");
    }

    @SuppressWarnings("unchecked")
    private List<String> cells(String selector) {
        return (List<String>) driver.executeScript("return [...document.querySelectorAll(arguments[0])]"
                + ".map(e => e.textContent);", "#queue tbody " + selector);
    }

    private WebElement row(String caseRef) {
        return driver.findElement(By.cssSelector("#queue tbody tr[data-case-ref='" + caseRef + "']"));
    }

    private long thumbnailsLoaded() {
        return (Long) driver.executeScript("return [...document.querySelectorAll('#queue img')]"
                + ".filter(i => i.complete && i.naturalWidth > 0).length;");
    }

    /** Everything the page loaded came from the dashboard itself: nothing from a CDN or any other host. */
    @SuppressWarnings("unchecked")
    private void assertNothingLoadedFromElsewhere() {
        String origin = base.getProtocol() + "://" + base.getAuthority();
        List<String> loaded = (List<String>) driver.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name);");
        assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin));
        assertThat(driver.getPageSource()).doesNotContain("http://", "https://", "src=\"//", "href=\"//");
    }
}
