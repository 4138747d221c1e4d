package org.meshledger.connect.salesforce;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Where the connector may send its Salesforce credentials and session token: the login URL's own
 * host and port, and the instance hosts the settings allow ({@code instanceHosts}; by default any
 * host under {@code .salesforce.com}, {@code .force.com} or {@code .salesforce.mil}, on 443).
 *
 * <p>Salesforce's login answer names the {@code instance_url} that camel-salesforce then sends the
 * session token to (and, on renewal, the client secret: it logs in again at the instance), so that
 * URL is pinned here in two places: {@link #check(String)} when a login names it (from a session
 * listener), and as the HTTP client's address resolver, which every connection of camel-salesforce
 * (REST, the Streaming API, logins and token revocations) passes before it is opened: an address it
 * refuses is never connected to, so nothing, not even a TLS handshake, reaches it. Both report the
 * refusal once to {@code onRefused}, which fails the connector.
 */
final class InstancePin implements SocketAddressResolver {

    /** The instance hosts of the real service, when the settings name none. */
    static final List<String> DEFAULT_HOSTS = List.of(".salesforce.com", ".force.com", ".salesforce.mil");

    private final URI login;
    private final List<String> hosts;
    private final SocketAddressResolver delegate;
    private final Consumer<String> onRefused;
    private volatile boolean refused;

    /**
     * @param instanceHosts host names ({@code contoso.my.salesforce.com}), {@code host:port}, or a
     *        suffix starting with a dot ({@code .my.salesforce.com}); without a port, 443
     * @param delegate what resolves the addresses that are allowed
     */
    InstancePin(String loginUrl, List<String> instanceHosts, SocketAddressResolver delegate,
            Consumer<String> onRefused) {
        this.login = URI.create(loginUrl);
        this.hosts = instanceHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.delegate = delegate;
        this.onRefused = onRefused;
    }

    /** Whether the connector may connect to this host and port. */
    boolean allows(String host, int port) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals(login.getHost().toLowerCase(Locale.ROOT)) && port == port(login)) {
            return true;
        }
        for (String entry : hosts) {
            int colon = entry.lastIndexOf(':');
            String entryHost = colon > 0 ? entry.substring(0, colon) : entry;
            int entryPort = colon > 0 ? Integer.parseInt(entry.substring(colon + 1)) : 443;
            boolean matches = entryHost.startsWith(".") ? name.endsWith(entryHost) && name.length() > entryHost.length()
                    : name.equals(entryHost);
            if (matches && port == entryPort) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why an instance URL a login named is refused, or null when it is allowed: its scheme must be the
     * login URL's (no step down from https), and its host and port allowed.
     */
    String refusal(String instanceUrl) {
        URI instance;
        try {
            instance = URI.create(instanceUrl);
        } catch (IllegalArgumentException e) {
            return "Salesforce's login answer names an instance URL that is not a URL: " + instanceUrl;
        }
        if (instance.getHost() == null || instance.getScheme() == null
                || !instance.getScheme().equalsIgnoreCase(login.getScheme())
                || !allows(instance.getHost(), port(instance))) {
            return "Salesforce's login answer names the instance " + instanceUrl + ", which is not "
                    + allowed() + "; the session token is not sent there and the connector is stopped "
                    + "(if that instance is your org's, add its host to instanceHosts)";
        }
        return null;
    }

    /** Reports an instance URL a login named that is not allowed; true if it is allowed. */
    boolean check(String instanceUrl) {
        String refusal = instanceUrl == null ? null : refusal(instanceUrl);
        if (refusal != null) {
            refused = true;
            onRefused.accept(refusal);
        }
        return refusal == null;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        if (!allows(host, port)) {
            String reason = "refused to connect to " + host + ":" + port + ", which is not " + allowed()
                    + "; nothing was sent there";
            refused = true;
            onRefused.accept(reason);
            promise.failed(new UnknownHostException(reason));
            return;
        }
        delegate.resolve(host, port, context, promise);
    }

    /** Whether it refused anything yet. */
    boolean refused() {
        return refused;
    }

    /** What is allowed, in words. */
    private String allowed() {
        return "the login URL's host " + login.getHost() + ":" + port(login) + " or an allowed instance host "
                + hosts;
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
