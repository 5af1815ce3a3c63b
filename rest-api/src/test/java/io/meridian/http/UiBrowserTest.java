package io.meridian.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.acl.HazelcastAclStore;
import io.meridian.operator.ClusterState;
import io.meridian.registry.Check;
import io.meridian.registry.CheckKind;
import io.meridian.registry.HealthStatus;
import io.meridian.registry.ServiceInstance;
import io.meridian.registry.grid.ChangePublisher;
import io.meridian.registry.grid.HazelcastChangeEvents;
import io.meridian.registry.grid.HazelcastPreparedQueries;
import io.meridian.registry.grid.HazelcastRegistry;
import io.meridian.registry.grid.HazelcastUserEvents;
import io.meridian.registry.grid.RegistrySettings;
import io.meridian.registry.testing.TestCluster;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.meridian.registry.testing.Instances.instance;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI in a real browser: Debian's headless Chromium, driven through its chromedriver, against two real servers
 * on ephemeral loopback ports over one three-member cluster (one default-allow, one default-deny). Each screen is
 * saved as a screenshot under {@code target/ui-screenshots}.
 */
class UiBrowserTest {

    private static final String ROOT = "ui-root-secret";
    private static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    private static final Duration SHOWN = Duration.ofSeconds(10);

    private static TestCluster cluster;
    private static final List<ChangePublisher> publishers = new ArrayList<>();
    private static HazelcastRegistry registry;
    private static HazelcastAclStore acls;
    private static ConsulHttpServer open;
    private static ConsulHttpServer denying;
    private static String openBase;
    private static String denyingBase;
    /** One browser for every test, since starting one is the slow part; each test starts from a clean page. */
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(3);
        cluster.members().forEach(member -> publishers.add(new ChangePublisher(member)));
        registry = new HazelcastRegistry(cluster.member(0), RegistrySettings.defaults("ui-node"), Clock.systemUTC());
        acls = new HazelcastAclStore(cluster.member(0).getCPSubsystem(), Optional.of(ROOT),
                Duration.ofSeconds(10), registry.durableWrites());
        open = server(ApiSettings.defaults("ui-node"));
        denying = server(ApiSettings.defaults("ui-node").withAcl(new AclSettings(true, Optional.empty())));
        openBase = "http://127.0.0.1:" + open.start("127.0.0.1", 0);
        denyingBase = "http://127.0.0.1:" + denying.start("127.0.0.1", 0);

        registry.register(withTtl(instance("web", "web-1", "v1")));
        registry.register(instance("web", "web-2", "v2"));
        registry.register(instance("db", "db-1"));
        registry.renewTtl("default", "web-1-ttl", HealthStatus.CRITICAL, "connection refused on 10.0.0.1:8080");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    private static ConsulHttpServer server(ApiSettings settings) {
        return new ConsulHttpServer(new ApiBackends(registry, FixedClusterStatus.ONE_LEADER,
                (namespace, id) -> CompletableFuture.completedFuture(Optional.empty()), Map::of,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), acls, new FixedRaftOperator(),
                new ClusterState(registry, List.of(acls)), new HazelcastUserEvents(cluster.member(0)),
                new HazelcastPreparedQueries(cluster.member(0).getCPSubsystem(), Duration.ofSeconds(10),
                        registry.durableWrites()), new HazelcastChangeEvents(cluster.member(0))), settings);
    }

    private static ServiceInstance withTtl(ServiceInstance instance) {
        return instance.withChecks(List.of(new Check(instance.id() + "-ttl", "alive", CheckKind.TTL, "", null, null,
                null, Duration.ofMinutes(10), null, null, HealthStatus.PASSING, "")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        open.close();
        denying.close();
        publishers.forEach(ChangePublisher::close);
        registry.close();
        cluster.close();
    }

    /**
     * Leaves the page of the test before (stopping its requests), and forgets the token and namespace it chose on
     * either server, and its window size.
     */
    @BeforeEach
    void startClean() {
        for (String base : List.of(openBase, denyingBase)) {
            browser.get(base + "/v1/status/leader");
            browser.executeScript("localStorage.clear(); sessionStorage.clear();");
        }
        browser.manage().window().setSize(new Dimension(1280, 800));
    }

    @Test
    void theServicesListCountsInstancesByHealthAndFilters() throws Exception {
        browser.get(openBase + "/ui/");
        WebElement web = shown(By.cssSelector("tr[data-service='web']"));
        List<String> row = cells(web);
        assertEquals("web", row.get(0));
        assertTrue(row.get(1).contains("v1") && row.get(1).contains("v2"), row.toString());
        assertEquals(List.of("2", "1", "0", "1"), row.subList(2, 6).stream()
                .map(text -> text.replaceAll("[^0-9]", "")).toList(), "instances, passing, warning, critical");
        assertTrue(web.getText().contains("\u2716"), "critical is shown by an icon as well as colour");
        screenshot("services");

        browser.findElement(By.id("search")).sendKeys("db");
        await().atMost(SHOWN).until(() -> browser.findElements(By.cssSelector("tr[data-service]")).size() == 1);

        browser.manage().window().setSize(new Dimension(420, 800));
        screenshot("services-narrow");
    }

    @Test
    void aServiceShowsItsInstancesAndAFailingChecksOutput() throws Exception {
        browser.get(openBase + "/ui/#/service/web");
        WebElement failing = shown(By.cssSelector("section[data-instance='web-1'] tr[data-check='web-1-ttl']"));
        assertTrue(failing.getText().contains("connection refused on 10.0.0.1:8080"), failing.getText());
        assertTrue(failing.getText().contains("critical"), "health in words: " + failing.getText());
        assertTrue(browser.findElement(By.cssSelector("section[data-instance='web-2']")).getText().contains("passing"));
        screenshot("service");

        browser.get(openBase + "/ui/#/instance/web/web-1");
        WebElement history = shown(By.cssSelector("#history table"));
        assertTrue(history.getText().contains("registered"), history.getText());
        screenshot("instance");

        browser.get(openBase + "/ui/#/cluster");
        shown(By.cssSelector("#cluster table"));
        screenshot("cluster");
    }

    @Test
    void aRegistrationAndAHealthChangeShowWithoutAReload() throws Exception {
        browser.get(openBase + "/ui/");
        shown(By.cssSelector("tr[data-service='web']"));
        browser.executeScript("window.loadedOnce = 'yes'");

        long before = System.nanoTime();
        registry.register(withTtl(instance("live", "live-1")));
        shown(By.cssSelector("tr[data-service='live']"));
        System.out.printf("a registration showed on the open page %d ms after it was acknowledged%n",
                (System.nanoTime() - before) / 1_000_000);
        registry.renewTtl("default", "live-1-ttl", HealthStatus.CRITICAL, "gone");
        await().atMost(SHOWN).until(() -> cells(browser.findElement(By.cssSelector("tr[data-service='live']")))
                .get(5).contains("1"));
        assertEquals("yes", ((JavascriptExecutor) browser).executeScript("return window.loadedOnce"),
                "the page was not reloaded");
    }

    @Test
    void theNamespaceSwitchShowsAnotherNamespacesServices() throws Exception {
        registry.register(ServiceInstance.builder("billing", "billing-1").namespace("team-a").build());
        browser.get(openBase + "/ui/");
        shown(By.cssSelector("tr[data-service='web']"));
        await().atMost(SHOWN).until(() -> browser.findElements(By.cssSelector("#namespace option[value='team-a']"))
                .size() == 1);
        new Select(browser.findElement(By.id("namespace"))).selectByValue("team-a");
        shown(By.cssSelector("tr[data-service='billing']"));
        assertEquals(1, browser.findElements(By.cssSelector("tr[data-service]")).size(), "team-a's services only");
    }

    @Test
    void maintenanceIsTurnedOnFromTheUiAfterAConfirmation() throws Exception {
        registry.register(instance("cache", "cache-1"));
        browser.get(openBase + "/ui/#/service/cache");
        shown(By.cssSelector("section[data-instance='cache-1'] button.maintenance")).click();
        shown(By.id("confirm-ok")).click();

        await().atMost(SHOWN).until(() -> registry.service("default", "cache").instances().get(0).instance()
                .health() == HealthStatus.CRITICAL);
        await().atMost(SHOWN).until(() -> browser.findElement(By.cssSelector(
                "section[data-instance='cache-1'] button.maintenance")).getText().equals("Maintenance off"));
    }

    @Test
    void underDefaultDenyTheUiAsksForATokenAndThenShowsWhatItMayRead() throws Exception {
        LocalApi api = new LocalApi(denyingBase);
        assertEquals(200, api.send(api.request("/v1/acl/policy").header("X-Consul-Token", ROOT)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"Name\":\"ui-web-read\",\"Rules\":[{\"Namespace\":"
                        + "\"default\",\"ServicePrefix\":\"web\",\"Access\":\"read\"}]}"))).statusCode());
        String webReader = new ObjectMapper().readTree(api.send(api.request("/v1/acl/token")
                .header("X-Consul-Token", ROOT).PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"Policies\":[{\"Name\":\"ui-web-read\"}]}"))).body()).get("SecretID").asText();

        browser.get(denyingBase + "/ui/");
        WebElement prompt = shown(By.cssSelector("#token-dialog[open]"));
        screenshot("token");
        prompt.findElement(By.id("token-input")).sendKeys(webReader);
        prompt.findElement(By.id("token-save")).click();
        shown(By.cssSelector("tr[data-service='web']"));
        assertEquals(1, browser.findElements(By.cssSelector("tr[data-service]")).size(),
                "only web, which the token may read: " + browser.findElement(By.id("services")).getText());
    }

    @Test
    void anEmptyNamespaceAndALostConnectionEachExplainThemselves() throws Exception {
        ConsulHttpServer leaving = server(ApiSettings.defaults("ui-node"));
        String base = "http://127.0.0.1:" + leaving.start("127.0.0.1", 0);
        try {
            browser.get(base + "/ui/");
            browser.executeScript("localStorage.setItem('meridian.namespace', 'nothing-here')");
            browser.navigate().refresh();
            assertTrue(shown(By.id("empty")).getText().contains("No services are registered in namespace"));
        } finally {
            leaving.close();
        }
        WebElement banner = shown(By.id("connection"));
        assertTrue(banner.getText().contains("connection to this Meridian node is lost"), banner.getText());
        screenshot("connection-lost");
    }

    /** The element once visible; else a screenshot of the page and its text in the failure. */
    private WebElement shown(By selector) {
        try {
            return new WebDriverWait(browser, SHOWN).until(ExpectedConditions.visibilityOfElementLocated(selector));
        } catch (TimeoutException e) {
            try {
                screenshot("failed-" + System.currentTimeMillis());
            } catch (IOException | RuntimeException unsaved) {
                e.addSuppressed(unsaved);
            }
            throw new AssertionError(selector + " was not shown within " + SHOWN + "; the page says:\n"
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
