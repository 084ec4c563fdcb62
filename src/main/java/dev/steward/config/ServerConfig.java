package dev.steward.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code server:} in steward.yaml — what {@code steward serve} lets in.
 *
 * @param allowIps        client addresses allowed to connect, as IPs or CIDR ranges ({@code 10.0.0.0/8},
 *                        {@code ::1}); empty (the default) lets every address in. Behind a reverse proxy this is the
 *                        proxy's address: the proxy's own allowlist guards the clients.
 * @param maxRequestBytes the largest request body any route accepts (default 32 MB); bigger ones get 413
 */
public record ServerConfig(List<String> allowIps, Long maxRequestBytes) {
    public static final long DEFAULT_MAX_REQUEST_BYTES = 32L * 1024 * 1024;
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public ServerConfig {
        allowIps = allowIps == null ? List.of() : List.copyOf(allowIps);
        maxRequestBytes = maxRequestBytes == null ? DEFAULT_MAX_REQUEST_BYTES : maxRequestBytes;
        for (String entry : allowIps) {
            String problem = problem(entry);
            if (problem != null) {
                throw new IllegalArgumentException("server.allow_ips: '" + entry + "' " + problem
                        + "; write an IP address (192.168.1.20, ::1) or a CIDR range (10.0.0.0/8, fd00::/8)");
            }
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("server.max_request_bytes is " + maxRequestBytes
                    + "; it must be at least 1024 (the default is " + DEFAULT_MAX_REQUEST_BYTES + ")");
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null);
    }

    /** What is wrong with an allowlist entry, or null: literal addresses only, never a host name to look up. */
    private static String problem(String entry) {
        if (entry == null || entry.isBlank()) {
            return "is empty";
        }
        String[] parts = entry.strip().split("/", -1);
        if (parts.length > 2) {
            return "has more than one '/'";
        }
        boolean v4 = IPV4.matcher(parts[0]).matches();
        if (v4) {
            for (String octet : parts[0].split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return "is not an IPv4 address (" + octet + " is over 255)";
                }
            }
        } else if (!IPV6.matcher(parts[0]).matches()) {
            return "is not an IP address";
        }
        if (parts.length == 2) {
            int max = v4 ? 32 : 128;
            if (!parts[1].matches("\\d{1,3}") || Integer.parseInt(parts[1]) > max) {
                return "has a prefix length that is not 0 to " + max;
            }
        }
        return null;
    }
}
