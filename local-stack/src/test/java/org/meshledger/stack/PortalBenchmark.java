package org.meshledger.stack;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Portal page times against a running stack (the run command, with as many demo loans as wanted):
 * signs in through Keycloak's form like a browser, then asks for each page and each loans-table
 * action many times and prints p50 / p95 / p99 of the full response time seen by the client.
 *
 * <pre>
 * MESHLEDGER_DEMO_LOANS=100000 ./mvnw -Prun package          # one terminal: the stack with 100,000 loans
 * ./mvnw -Pportal-benchmark package -pl local-stack           # another: the figures
 * </pre>
 *
 * System properties: {@code portal} (http://localhost:8080), {@code user} (sam.servicer),
 * {@code password} (demo), {@code requests} per page (200), {@code loans} in the network (to pick
 * random loans and pages from; read from the first page when absent).
 */
public final class PortalBenchmark {

    private static final Pattern VIEW_STATE = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern LOGIN_FORM = Pattern.compile("id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern TOTAL = Pattern.compile("of (\\d+)</span>");

    private final String portal = System.getProperty("portal", "http://localhost:8080");
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new LoopbackCookieJar())
            .followRedirects(HttpClient.Redirect.ALWAYS).connectTimeout(Duration.ofSeconds(5)).build();
    private final SplittableRandom random = new SplittableRandom(7);

    public static void main(String[] args) throws Exception {
        new PortalBenchmark().run();
    }

    private void run() throws Exception {
        signIn(System.getProperty("user", "sam.servicer"), System.getProperty("password", "demo"));
        int requests = Integer.getInteger("requests", 200);
        long loans = Long.getLong("loans", total(get("/portal/loans.xhtml")));
        System.out.printf("Portal %s, %d loans, %d requests per page, signed in as %s%n", portal, loans, requests,
                System.getProperty("user", "sam.servicer"));

        Map<String, IntFunction<String>> pages = new LinkedHashMap<>();
        // A view of the loans table for the ajax requests, taken after the page loads above (a
        // session keeps a limited number of views).
        String[] viewState = new String[1];
        pages.put("dashboard", i -> get("/portal/index.xhtml"));
        pages.put("loans (first page)", i -> get("/portal/loans.xhtml"));
        pages.put("loans: page turn", i -> ajax(viewState(viewState), table("pagination", "true", "first",
                Long.toString(25 * random.nextLong(Math.max(1, loans / 25))), "rows", "25")));
        pages.put("loans: sort by status", i -> ajax(viewState(viewState), table("sorting", "true",
                "sortKey", "loans-form:loans:status-column", "sortDir", i % 2 == 0 ? "1" : "-1")));
        pages.put("loans: search name", i -> search(viewState(viewState), NAMES[i % NAMES.length]));
        pages.put("loans: search number", i -> search(viewState(viewState), "L-" + String.format("%04d", random.nextInt(10_000))));
        pages.put("loan detail", i -> get("/portal/loan.xhtml?loan=" + randomLoan(loans)));
        pages.put("record history", i -> get("/portal/record.xhtml?type=Loan&id=" + randomLoan(loans)));

        for (Map.Entry<String, IntFunction<String>> page : pages.entrySet()) {
            for (int i = 0; i < 10; i++) {
                page.getValue().apply(i); // warm-up
            }
            double[] millis = new double[requests];
            for (int i = 0; i < requests; i++) {
                long start = System.nanoTime();
                String body = page.getValue().apply(i);
                millis[i] = (System.nanoTime() - start) / 1e6;
                if (body.contains("Something went wrong") || body.contains("<error>")) {
                    throw new IllegalStateException(page.getKey() + " failed: " + body.substring(0,
                            Math.min(500, body.length())));
                }
            }
            Arrays.sort(millis);
            System.out.printf("%-22s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", page.getKey(),
                    at(millis, 0.50), at(millis, 0.95), at(millis, 0.99), millis[millis.length - 1]);
        }
    }

    /** Starts of borrower names (the search matches a name's start). */
    private static final String[] NAMES = {"Ada", "Grace", "Hugo H", "Olga Ch", "Pablo", "Maya K", "Tara", "Jonas S"};

    private String randomLoan(long loans) {
        return String.format("L-%06d", 1 + random.nextLong(loans));
    }

    private static double at(double[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private void signIn(String user, String password) {
        String login = get("/portal/index.xhtml");
        Matcher form = LOGIN_FORM.matcher(login);
        if (!form.find()) {
            throw new IllegalStateException("No Keycloak login form at " + portal + "/portal/index.xhtml");
        }
        String dashboard = send(HttpRequest.newBuilder(URI.create(form.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", user, "password", password))))
                .build());
        if (!dashboard.contains("principal-name")) {
            throw new IllegalStateException("Sign-in as " + user + " failed");
        }
    }

    /** What PrimeFaces posts for an ajax request of a component of the loans form. */
    private static Map<String, String> partial(String source, String execute, String render) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("jakarta.faces.partial.ajax", "true");
        params.put("jakarta.faces.source", source);
        params.put("jakarta.faces.partial.execute", execute);
        params.put("jakarta.faces.partial.render", render);
        params.put(source, source);
        params.put("loans-form", "loans-form");
        return params;
    }

    private String search(String viewState, String text) {
        Map<String, String> params = partial("loans-form:apply", "loans-form:apply loans-form:search loans-form:status",
                "loans-form:loans loans-form:messages");
        params.put("loans-form:search", text);
        params.put("loans-form:status_input", "");
        return ajax(viewState, params);
    }

    private static Map<String, String> table(String... feature) {
        Map<String, String> params = partial("loans-form:loans", "loans-form:loans", "loans-form:loans");
        for (int i = 0; i < feature.length; i += 2) {
            params.put("loans-form:loans_" + feature[i], feature[i + 1]);
        }
        params.put("loans-form:loans_skipChildren", "true");
        params.put("loans-form:loans_encodeFeature", "true");
        return params;
    }

    private String ajax(String viewState, Map<String, String> params) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("jakarta.faces.ViewState", viewState);
        return post("/portal/loans.xhtml", all);
    }

    private String get(String path) {
        return send(HttpRequest.newBuilder(URI.create(portal + path)).GET().build());
    }

    private String post(String path, Map<String, String> params) {
        return send(HttpRequest.newBuilder(URI.create(portal + path))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("Faces-Request", "partial/ajax")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build());
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String viewState(String[] held) {
        if (held[0] == null) {
            held[0] = viewState(get("/portal/loans.xhtml"));
        }
        return held[0];
    }

    private static String viewState(String page) {
        Matcher m = VIEW_STATE.matcher(page);
        if (!m.find()) {
            throw new IllegalStateException("No view state on the loans page");
        }
        return m.group(1);
    }

    private static long total(String loansPage) {
        Matcher m = TOTAL.matcher(loansPage);
        return m.find() ? Long.parseLong(m.group(1)) : 1;
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
