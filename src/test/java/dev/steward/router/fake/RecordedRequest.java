package dev.steward.router.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request a fake server received, exactly as it came: method, path with query, headers (names in any case),
 * raw body, and the body parsed as JSON (null if it was empty or not JSON).
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String rawBody,
                              JsonNode body) {

    public RecordedRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        headers = copy;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The path without its query. */
    public String pathOnly() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
