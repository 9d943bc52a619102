package org.lesiontriage.dashboard.browser;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A fresh headless Chromium for each browser test, and the wait its steps use. */
abstract class BrowserTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        driver = HeadlessChromium.start(HeadlessChromium.profileDir().toPath());
        // A form post reloads the page: an element found just before the reload goes stale, which is a reason to
        // look again, not a failure (the condition itself must still come true within WAIT).
        wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
    }

    /** Through the login page, as a person would; returns once the page has left it. */
    void logIn(java.net.URL base, String user, String password) {
        driver.get(base + "login.html");
        driver.findElement(org.openqa.selenium.By.id("username")).sendKeys(user);
        driver.findElement(org.openqa.selenium.By.id("password")).sendKeys(password);
        driver.findElement(org.openqa.selenium.By.id("login")).click();
        wait.until(d -> !d.getCurrentUrl().contains("/login.html"));
    }

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }
}
