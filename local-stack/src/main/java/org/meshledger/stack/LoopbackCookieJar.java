package org.meshledger.stack;

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
 * Cookies are kept by path and name, and sent where their path applies.
 */
public final class LoopbackCookieJar extends CookieHandler {

    /** A cookie as kept: its path decides where it is sent (two realms set cookies of the same name). */
    private record Kept(String name, String value, String path) {
    }

    private final Map<String, Map<String, Kept>> cookiesByHost = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
        Map<String, Kept> cookies = cookiesByHost.getOrDefault(uri.getHost(), Map.of());
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        String header;
        synchronized (cookies) {
            header = cookies.values().stream().filter(c -> path.startsWith(c.path()))
                    .sorted((a, b) -> b.path().length() - a.path().length())
                    .map(c -> c.name() + "=" + c.value()).collect(Collectors.joining("; "));
        }
        return header.isEmpty() ? Map.of() : Map.of("Cookie", List.of(header));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
        Map<String, Kept> cookies = cookiesByHost.computeIfAbsent(uri.getHost(), host -> new LinkedHashMap<>());
        responseHeaders.forEach((name, values) -> {
            if ("Set-Cookie".equalsIgnoreCase(name)) {
                for (String value : values) {
                    for (HttpCookie cookie : HttpCookie.parse(value)) {
                        String path = cookie.getPath() == null ? "/" : cookie.getPath();
                        String key = path + "\u0000" + cookie.getName();
                        synchronized (cookies) {
                            if (cookie.hasExpired() || cookie.getValue().isEmpty()) {
                                cookies.remove(key);
                            } else {
                                cookies.put(key, new Kept(cookie.getName(), cookie.getValue(), path));
                            }
                        }
                    }
                }
            }
        });
    }
}
