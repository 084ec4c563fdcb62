package dev.steward.actions;

import dev.steward.config.ActionsConfig;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where Steward may send a request: http(s) only, and never to loopback, private, link-local or cloud-metadata
 * addresses (checked after DNS resolution) unless {@code actions.http.allow_private} or {@code allow_hosts} says so.
 * http.fetch checks every hop with it; the browser tools check every request a page makes.
 */
public final class Destinations {
    private Destinations() {}

    /** Refuses URLs that are not http(s), and hosts that resolve to an address we must not reach. */
    public static void check(URI uri, ActionsConfig.Http limits) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ToolException("refused " + uri + ": only http and https URLs may be fetched");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new ToolException("refused " + uri + ": the URL has no host");
        }
        if (limits.allowPrivate() || limits.allowHosts().contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ToolException("cannot resolve host " + host);
        }
        for (InetAddress address : addresses) {
            String why = forbidden(address);
            if (why != null) {
                throw new ToolException("refused " + uri + ": " + host + " is " + address.getHostAddress() + ", "
                        + why + " (allow it with actions.http.allow_private or actions.http.allow_hosts)");
            }
        }
    }

    /** Why an address may not be reached, or null if it may. */
    public static String forbidden(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] == (byte) 0xff && b[11] == (byte) 0xff)) {
                try {
                    return forbidden(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException impossible) {
                    return "an unreadable address";
                }
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "a private (unique local) address";
            }
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (address.isLinkLocalAddress()) {
            return address.getHostAddress().equals("169.254.169.254") ? "the cloud metadata address"
                    : "a link-local address";
        }
        if (address.isSiteLocalAddress()) {
            return "a private address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "a reserved address";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "a shared (carrier-grade NAT) address";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return "a reserved address";
            }
            if (first >= 240) {
                return "a reserved address";
            }
        }
        return null;
    }
}
