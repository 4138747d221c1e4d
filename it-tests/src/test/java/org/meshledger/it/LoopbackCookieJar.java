package org.meshledger.it;

import java.net.CookieHandler;
import java.net.HttpCookie;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Cookies per host, as a browser keeps them for a site on loopback. Keycloak marks its session
 * cookies {@code Secure}; browsers treat loopback as a secure context and send them over plain HTTP,
 * but {@link java.net.CookieManager} does not, so the sign-in would fail with "cookie not found".
 */
final class LoopbackCookieJar extends CookieHandler {

    private final Map<String, Map<String, String>> cookiesByHost = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
        Map<String, String> cookies = cookiesByHost.getOrDefault(uri.getHost(), Map.of());
        if (cookies.isEmpty()) {
            return Map.of();
        }
        String header = cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        return Map.of("Cookie", List.of(header));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
        Map<String, String> cookies = cookiesByHost.computeIfAbsent(uri.getHost(), host -> new LinkedHashMap<>());
        responseHeaders.forEach((name, values) -> {
            if ("Set-Cookie".equalsIgnoreCase(name)) {
                for (String value : values) {
                    for (HttpCookie cookie : HttpCookie.parse(value)) {
                        synchronized (cookies) {
                            if (cookie.hasExpired() || cookie.getValue().isEmpty()) {
                                cookies.remove(cookie.getName());
                            } else {
                                cookies.put(cookie.getName(), cookie.getValue());
                            }
                        }
                    }
                }
            }
        });
    }
}
